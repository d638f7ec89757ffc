// SPDX-License-Identifier: GPL-2.0
/* CDR record helpers, the [cdr] section and the combined writer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/mem.h"
#define LOG_TAG "cdr"
#include "../base/log.h"
#include "cdr.h"

const char *const call_cdr_columns[] = {
    "id",	    "start",   "answer",      "end",	      "duration",
    "billsec",	    "caller",  "caller_name", "callee",	      "route",
    "target",	    "ingress", "egress",      "cause",	      "sip_status",
    "codec",	    "srtp",    "rx_loss_pct", "rx_jitter_ms", "tx_loss_pct",
    "tx_jitter_ms", "mos",     "media",	      "relayed_pkts", NULL,
};

uint64_t call_cdr_duration(const struct call_cdr *r)
{
	return r->end_ms > r->start_ms ? (r->end_ms - r->start_ms) / 1000 : 0;
}

uint64_t call_cdr_billsec(const struct call_cdr *r)
{
	if (!r->answer_ms || r->end_ms <= r->answer_ms)
		return 0;
	return (r->end_ms - r->answer_ms) / 1000;
}

/* --- CSV line ------------------------------------------------------------ */

/* RFC 4180: a field with a comma, quote, CR or LF is quoted, and a quote
 * inside is doubled. */
static int csv_field(struct buf *b, const char *s, bool last)
{
	int err = 0;

	if (strpbrk(s, ",\"\r\n")) {
		err = buf_putc(b, '"');
		for (; !err && *s; s++) {
			if (*s == '"')
				err = buf_putc(b, '"');
			if (!err)
				err = buf_putc(b, *s);
		}
		if (!err)
			err = buf_putc(b, '"');
	} else {
		err = buf_puts(b, s);
	}
	if (!err)
		err = last ? buf_puts(b, "\r\n") : buf_putc(b, ',');
	return err;
}

static void iso_ms(char *out, size_t n, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[32];

	if (!ms) {
		out[0] = '\0';
		return;
	}
	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%03uZ", s, (unsigned)(ms % 1000));
}

int call_cdr_csv_line(struct buf *b, const struct call_cdr *r)
{
	char f[13][48];
	const char *v[24];
	int err = 0;
	size_t k = 0;

	iso_ms(f[0], sizeof(f[0]), r->start_ms);
	iso_ms(f[1], sizeof(f[1]), r->answer_ms);
	iso_ms(f[2], sizeof(f[2]), r->end_ms);
	snprintf(f[3], sizeof(f[3]), "%llu",
		 (unsigned long long)call_cdr_duration(r));
	snprintf(f[4], sizeof(f[4]), "%llu",
		 (unsigned long long)call_cdr_billsec(r));
	snprintf(f[5], sizeof(f[5]), "%u", r->cause);
	snprintf(f[6], sizeof(f[6]), "%d", r->sip_status);
	snprintf(f[7], sizeof(f[7]), "%.2f", r->rx.loss_pct);
	snprintf(f[8], sizeof(f[8]), "%.1f", r->rx.jitter_ms);
	snprintf(f[9], sizeof(f[9]), "%.2f", r->tx.loss_pct);
	snprintf(f[10], sizeof(f[10]), "%.1f", r->tx.jitter_ms);
	snprintf(f[11], sizeof(f[11]), "%.2f", r->mos);
	snprintf(f[12], sizeof(f[12]), "%llu",
		 (unsigned long long)r->relayed_pkts);

	v[k++] = r->id;
	v[k++] = f[0];
	v[k++] = f[1];
	v[k++] = f[2];
	v[k++] = f[3];
	v[k++] = f[4];
	v[k++] = r->caller;
	v[k++] = r->caller_name;
	v[k++] = r->callee;
	v[k++] = r->route;
	v[k++] = r->target;
	v[k++] = r->ingress;
	v[k++] = r->egress;
	v[k++] = f[5];
	v[k++] = f[6];
	v[k++] = r->codec;
	v[k++] = r->srtp ? "1" : "0";
	v[k++] = f[7];
	v[k++] = f[8];
	v[k++] = f[9];
	v[k++] = f[10];
	v[k++] = f[11];
	v[k++] = r->media;
	v[k++] = f[12];
	for (size_t i = 0; !err && i < k; i++)
		err = csv_field(b, v[i], i + 1 == k);
	return err;
}

/* --- [cdr] ---------------------------------------------------------------- */

static int check_path(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;

	if (*s && s[0] != '/') {
		snprintf(why, n, "\"%s\": an absolute path or \"\" (none)", s);
		return -EINVAL;
	}
	return 0;
}

static const struct conf_kw cdr_kws[] = {
    {"enabled", CONF_BOOL, offsetof(struct call_cdr_conf, enabled), "yes", 0, 0,
     NULL, NULL, CONF_RELOAD, "write a record for every call"},
    {"csv", CONF_STR, offsetof(struct call_cdr_conf, csv), "", 0, 0, NULL,
     check_path, CONF_RELOAD,
     "CSV file, appended to and reopened on reload (\"\": none)"},
    {"sqlite", CONF_STR, offsetof(struct call_cdr_conf, sqlite),
     "/var/lib/trunkline/cdr.sqlite", 0, 0, NULL, check_path, CONF_RELOAD,
     "SQLite database, table cdr (\"\": none)"},
};

const struct conf_sect_def call_cdr_sect = {
    .name = "cdr",
    .size = sizeof(struct call_cdr_conf),
    .kws = cdr_kws,
    .nkws = sizeof(cdr_kws) / sizeof(cdr_kws[0]),
    .help = "call detail records",
};

/* --- the combined writer -------------------------------------------------- */

struct call_cdr_writer {
	bool enabled;
	char *csv_path, *db_path; /* owned (mem strings) */
	struct call_cdr_csv *csv; /* owned */
	struct call_cdr_db *db;	  /* owned */
};

static void writer_destroy(void *arg)
{
	struct call_cdr_writer *w = arg;

	mem_deref(w->csv);
	mem_deref(w->db);
	mem_deref(w->csv_path);
	mem_deref(w->db_path);
}

/* Open what @cc asks for into @w's empty slots. */
static int open_sinks(struct call_cdr_writer *w, const struct call_cdr_conf *cc)
{
	int err;

	w->enabled = cc->enabled;
	w->csv_path = mem_strdup(cc->csv);
	w->db_path = mem_strdup(cc->sqlite);
	if (!w->csv_path || !w->db_path)
		return -ENOMEM;
	if (cc->enabled && *cc->csv) {
		err = call_cdr_csv_open(cc->csv, &w->csv);
		if (err) {
			LOGE("CDR file %s: %s", cc->csv, strerror(-err));
			return err;
		}
	}
	if (cc->enabled && *cc->sqlite) {
		err = call_cdr_db_open(cc->sqlite, &w->db);
		if (err)
			return err;
	}
	return 0;
}

int call_cdr_writer_open(const struct call_cdr_conf *cc,
			 struct call_cdr_writer **out)
{
	struct call_cdr_writer *w = mem_zalloc(sizeof(*w), writer_destroy);
	int err;

	if (!w)
		return -ENOMEM;
	err = open_sinks(w, cc);
	if (err) {
		mem_deref(w);
		return err;
	}
	*out = w;
	return 0;
}

int call_cdr_writer_put(struct call_cdr_writer *w, const struct call_cdr *r)
{
	int err = 0, e;

	if (!w->enabled)
		return 0;
	if (w->csv) {
		e = call_cdr_csv_put(w->csv, r);
		if (e) {
			LOGW_ID(r->id, "CDR to %s: %s", w->csv_path,
				strerror(-e));
			err = e;
		}
	}
	if (w->db) {
		e = call_cdr_db_put(w->db, r);
		if (e && !err)
			err = e;
	}
	return err;
}

int call_cdr_writer_reload(struct call_cdr_writer *w,
			   const struct call_cdr_conf *cc)
{
	struct call_cdr_writer nw = {0};
	int err;

	/* the same sinks: only reopen the CSV file (rotated away?) */
	if (w->enabled == cc->enabled && !strcmp(w->csv_path, cc->csv) &&
	    !strcmp(w->db_path, cc->sqlite))
		return w->csv ? call_cdr_csv_reopen(w->csv) : 0;
	err = open_sinks(&nw, cc);
	if (err) {
		writer_destroy(&nw);
		return err;
	}
	writer_destroy(w);
	*w = nw;
	return 0;
}
