// SPDX-License-Identifier: GPL-2.0
/*
 * CDR to SQLite. The writer runs on the event-loop thread, so an insert
 * must not stall it: the database is in WAL mode with synchronous=NORMAL,
 * where a commit appends to the WAL without an fsync (the fsync happens
 * at checkpoints), which keeps an insert in the tens of microseconds. A
 * power cut may lose the last records, never corrupt the file. A short
 * busy timeout bounds the wait if another process (a report) holds the
 * write lock.
 */
#include <errno.h>
#include <sqlite3.h>

#include "../base/mem.h"
#define LOG_TAG "cdr"
#include "../base/log.h"
#include "cdr.h"

#define BUSY_TIMEOUT_MS 50

struct call_cdr_db {
	sqlite3 *db;
	sqlite3_stmt *ins;
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS cdr ("
    " id TEXT NOT NULL,"
    " start_ms INTEGER NOT NULL,"
    " answer_ms INTEGER," /* NULL: never answered */
    " end_ms INTEGER NOT NULL,"
    " duration INTEGER NOT NULL,"
    " billsec INTEGER NOT NULL,"
    " caller TEXT, caller_name TEXT, callee TEXT,"
    " route TEXT, target TEXT, ingress TEXT, egress TEXT,"
    " cause INTEGER, sip_status INTEGER,"
    " codec TEXT, srtp INTEGER,"
    " rx_loss_pct REAL, rx_jitter_ms REAL,"
    " tx_loss_pct REAL, tx_jitter_ms REAL,"
    " mos REAL, media TEXT, relayed_pkts INTEGER);";

/* Columns added since the first layout: a database made before them gets
 * them (NULL in older rows); "duplicate column" errors are expected. */
static const char *const added[] = {
    "ALTER TABLE cdr ADD COLUMN media TEXT;",
    "ALTER TABLE cdr ADD COLUMN relayed_pkts INTEGER;",
};
#define N_ADDED (sizeof(added) / sizeof(added[0]))

static const char insert[] =
    "INSERT INTO cdr VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
    " ?24);";

static void db_destroy(void *arg)
{
	struct call_cdr_db *d = arg;

	sqlite3_finalize(d->ins);
	sqlite3_close(d->db);
}

int call_cdr_db_open(const char *path, struct call_cdr_db **out)
{
	struct call_cdr_db *d = mem_zalloc(sizeof(*d), db_destroy);
	int rc;

	if (!d)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &d->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(d->db, schema, NULL, NULL, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < N_ADDED; i++)
		(void)sqlite3_exec(d->db, added[i], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(d->db, insert, -1, &d->ins, NULL);
	if (rc != SQLITE_OK) {
		LOGE("CDR database %s: %s", path,
		     d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
		mem_deref(d);
		return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	}
	*out = d;
	return 0;
}

int call_cdr_db_put(struct call_cdr_db *d, const struct call_cdr *r)
{
	sqlite3_stmt *s = d->ins;
	int rc, i = 1;

	sqlite3_bind_text(s, i++, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, i++, (sqlite3_int64)r->start_ms);
	if (r->answer_ms)
		sqlite3_bind_int64(s, i++, (sqlite3_int64)r->answer_ms);
	else
		sqlite3_bind_null(s, i++);
	sqlite3_bind_int64(s, i++, (sqlite3_int64)r->end_ms);
	sqlite3_bind_int64(s, i++, (sqlite3_int64)call_cdr_duration(r));
	sqlite3_bind_int64(s, i++, (sqlite3_int64)call_cdr_billsec(r));
	sqlite3_bind_text(s, i++, r->caller, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->caller_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->callee, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->route, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->ingress, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, r->egress, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, i++, (int)r->cause);
	sqlite3_bind_int(s, i++, r->sip_status);
	sqlite3_bind_text(s, i++, r->codec, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, i++, r->srtp);
	sqlite3_bind_double(s, i++, r->rx.loss_pct);
	sqlite3_bind_double(s, i++, r->rx.jitter_ms);
	sqlite3_bind_double(s, i++, r->tx.loss_pct);
	sqlite3_bind_double(s, i++, r->tx.jitter_ms);
	sqlite3_bind_double(s, i++, r->mos);
	sqlite3_bind_text(s, i++, r->media, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, i++, (sqlite3_int64)r->relayed_pkts);
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		LOGW_ID(r->id, "CDR insert: %s", sqlite3_errmsg(d->db));
	/* reset also drops the bindings' borrow of @r's strings */
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_BUSY ? -EBUSY : -EIO;
}
