// SPDX-License-Identifier: GPL-2.0
/* gateway/call/cdr: records to CSV and SQLite read back field by field,
 * RFC 4180 quoting, reopen on reload, and the E-model MOS. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/call/cdr.h"
#include "tl_check.h"

#define NCOLS 24

/* 2024-03-01T10:00:00.250Z */
#define T0 1709287200250ull

static void records(struct call_cdr r[2])
{
	memset(r, 0, 2 * sizeof(*r));
	snprintf(r[0].id, sizeof(r[0].id), "a84b4c76e66710@pc33.example.com");
	r[0].start_ms = T0;
	r[0].answer_ms = T0 + 4500;
	r[0].end_ms = T0 + 65750;
	snprintf(r[0].caller, sizeof(r[0].caller), "+442079460000");
	snprintf(r[0].caller_name, sizeof(r[0].caller_name),
		 "Smith, \"Bob\"\r\nLine 2 caf\xc3\xa9");
	snprintf(r[0].callee, sizeof(r[0].callee), "+12125550100");
	snprintf(r[0].route, sizeof(r[0].route), "intl");
	snprintf(r[0].target, sizeof(r[0].target), "peer:carrier1");
	snprintf(r[0].ingress, sizeof(r[0].ingress), "span:1");
	snprintf(r[0].egress, sizeof(r[0].egress), "peer:carrier1");
	r[0].cause = 16;
	r[0].sip_status = 200;
	snprintf(r[0].codec, sizeof(r[0].codec), "PCMA");
	r[0].srtp = true;
	r[0].rx = (struct call_cdr_rtcp){1.25, 12.5};
	r[0].tx = (struct call_cdr_rtcp){0.5, 3.0};
	r[0].mos = 4.31;
	snprintf(r[0].media, sizeof(r[0].media), "xdp");
	r[0].relayed_pkts = 3012;

	snprintf(r[1].id, sizeof(r[1].id), "busy-1");
	r[1].start_ms = T0 + 1000;
	r[1].end_ms = T0 + 3999;
	snprintf(r[1].caller, sizeof(r[1].caller), "100");
	snprintf(r[1].callee, sizeof(r[1].callee), "101");
	snprintf(r[1].route, sizeof(r[1].route), "demo");
	snprintf(r[1].target, sizeof(r[1].target), "group:sim");
	snprintf(r[1].ingress, sizeof(r[1].ingress), "peer:softphone");
	snprintf(r[1].egress, sizeof(r[1].egress), "group:sim");
	r[1].cause = 17;
	r[1].sip_status = 486;
}

/* What every column must read back as, in CSV text. */
static const char *const want[2][NCOLS] = {
    {"a84b4c76e66710@pc33.example.com",
     "2024-03-01T10:00:00.250Z",
     "2024-03-01T10:00:04.750Z",
     "2024-03-01T10:01:06.000Z",
     "65",
     "61",
     "+442079460000",
     "Smith, \"Bob\"\r\nLine 2 caf\xc3\xa9",
     "+12125550100",
     "intl",
     "peer:carrier1",
     "span:1",
     "peer:carrier1",
     "16",
     "200",
     "PCMA",
     "1",
     "1.25",
     "12.5",
     "0.50",
     "3.0",
     "4.31",
     "xdp",
     "3012"},
    {"busy-1",	  "2024-03-01T10:00:01.250Z",
     "",	  "2024-03-01T10:00:04.249Z",
     "2",	  "0",
     "100",	  "",
     "101",	  "demo",
     "group:sim", "peer:softphone",
     "group:sim", "17",
     "486",	  "",
     "0",	  "0.00",
     "0.0",	  "0.00",
     "0.0",	  "0.00",
     "",	  "0"},
};

/* An RFC 4180 reader for the test: one record from *@pp into @f. */
static int csv_record(const char **pp, char f[][160], int max)
{
	const char *p = *pp;
	int n = 0;

	if (!*p)
		return 0;
	for (;;) {
		size_t w = 0;

		ck_assert_int_lt(n, max);
		if (*p == '"') {
			for (p++;; p++) {
				ck_assert_msg(*p, "unterminated quote");
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				f[n][w++] = *p;
			}
			p++;
		} else {
			while (*p && *p != ',' && *p != '\r')
				f[n][w++] = *p++;
		}
		f[n++][w] = '\0';
		if (*p == ',') {
			p++;
			continue;
		}
		ck_assert_msg(p[0] == '\r' && p[1] == '\n',
			      "record not ended by CRLF");
		*pp = p + 2;
		return n;
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = calloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_lt(fread(s, 1, 65535, f), 65535);
	fclose(f);
	return s;
}

/* The file holds a header and then the records @recs of want[]. */
static void check_csv(const char *path, const int *recs, int n)
{
	char f[NCOLS + 1][160], *text = slurp(path);
	const char *p = text;

	ck_assert_int_eq(csv_record(&p, f, NCOLS + 1), NCOLS);
	for (int c = 0; c < NCOLS; c++)
		ck_assert_str_eq(f[c], call_cdr_columns[c]);
	ck_assert_ptr_null(call_cdr_columns[NCOLS]);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(csv_record(&p, f, NCOLS + 1), NCOLS);
		for (int c = 0; c < NCOLS; c++)
			ck_assert_msg(!strcmp(f[c], want[recs[i]][c]),
				      "record %d column %s: \"%s\" != \"%s\"",
				      i, call_cdr_columns[c], f[c],
				      want[recs[i]][c]);
	}
	ck_assert_int_eq(csv_record(&p, f, NCOLS + 1), 0);
	free(text);
}

static void tmp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tl_tmpdir(), name);
	unlink(out);
}

START_TEST(csv_quoting)
{
	struct call_cdr r[2];
	struct buf b = {0};

	records(r);
	ck_assert_int_eq(call_cdr_csv_line(&b, &r[0]), 0);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b),
				     ",\"Smith, \"\"Bob\"\"\r\nLine 2 "
				     "caf\xc3\xa9\",+12125550100,"));
	buf_reset(&b);
	ck_assert_int_eq(call_cdr_csv_line(&b, &r[1]), 0);
	ck_assert_str_eq(buf_cstr(&b),
			 "busy-1,2024-03-01T10:00:01.250Z,,"
			 "2024-03-01T10:00:04.249Z,2,0,100,,101,demo,"
			 "group:sim,peer:softphone,group:sim,17,486,,0,0.00,"
			 "0.0,0.00,0.0,0.00,,0\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(csv_file_and_reopen)
{
	char path[256], moved[256];
	struct call_cdr_csv *w;
	struct call_cdr r[2];

	records(r);
	tmp_path(path, sizeof(path), "cdr.csv");
	tmp_path(moved, sizeof(moved), "cdr.csv.1");
	ck_assert_int_eq(call_cdr_csv_open(path, &w), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[0]), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[1]), 0);
	check_csv(path, (const int[]){0, 1}, 2);

	/* rotated away: the writer keeps the old file until reopened */
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[1]), 0);
	ck_assert_int_eq(call_cdr_csv_reopen(w), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[0]), 0);
	check_csv(moved, (const int[]){0, 1, 1}, 3);
	check_csv(path, (const int[]){0}, 1);
	mem_deref(w);

	/* appending to an existing file: no second header */
	ck_assert_int_eq(call_cdr_csv_open(path, &w), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[1]), 0);
	mem_deref(w);
	check_csv(path, (const int[]){0, 1}, 2);
	unlink(path);
	unlink(moved);
	ck_assert_int_eq(call_cdr_csv_open("/nonexistent/dir/x.csv", &w),
			 -ENOENT);
}
END_TEST

static void check_db(const char *path, int nrec)
{
	sqlite3_stmt *st;
	struct call_cdr r[2];
	sqlite3 *db;
	int i = 0;

	records(r);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT * FROM cdr ORDER BY rowid",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_column_count(st), NCOLS);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct call_cdr *x = &r[i % 2];
		int c = 0;

#define TXT(v) ck_assert_str_eq((const char *)sqlite3_column_text(st, c++), v)
#define INT(v) ck_assert_int_eq(sqlite3_column_int64(st, c++), (int64_t)(v))
#define DBL(v) ck_assert_double_eq(sqlite3_column_double(st, c++), v)
		TXT(x->id);
		INT(x->start_ms);
		if (x->answer_ms)
			INT(x->answer_ms);
		else
			ck_assert_int_eq(sqlite3_column_type(st, c++),
					 SQLITE_NULL);
		INT(x->end_ms);
		INT(i % 2 ? 2 : 65);
		INT(i % 2 ? 0 : 61);
		TXT(x->caller);
		TXT(x->caller_name);
		TXT(x->callee);
		TXT(x->route);
		TXT(x->target);
		TXT(x->ingress);
		TXT(x->egress);
		INT(x->cause);
		INT(x->sip_status);
		TXT(x->codec);
		INT(x->srtp);
		DBL(x->rx.loss_pct);
		DBL(x->rx.jitter_ms);
		DBL(x->tx.loss_pct);
		DBL(x->tx.jitter_ms);
		DBL(x->mos);
		TXT(x->media);
		INT(x->relayed_pkts);
		ck_assert_int_eq(c, NCOLS);
#undef TXT
#undef INT
#undef DBL
		i++;
	}
	ck_assert_int_eq(i, nrec);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A file another version wrote (other columns) is moved aside whole and
 * a new one with our header starts; a file with our header is kept. */
START_TEST(csv_other_version_moved_aside)
{
	static const char old[] = "start,end,cause\r\n1,2,16\r\n";
	char path[512], dir[256], aside[512] = "", buf[64];
	struct call_cdr_csv *w;
	struct call_cdr r[2];
	struct dirent *de;
	int fd, found = 0;
	DIR *d;

	records(r);
	tmp_path(dir, sizeof(dir), "csvv");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/cdr.csv", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, old, sizeof(old) - 1),
			 (ssize_t)(sizeof(old) - 1));
	close(fd);

	ck_assert_int_eq(call_cdr_csv_open(path, &w), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[0]), 0);
	mem_deref(w);
	check_csv(path, (const int[]){0}, 1);

	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "cdr.csv.", 8)) {
			found++;
			snprintf(aside, sizeof(aside), "%s/%s", dir,
				 de->d_name);
		}
	closedir(d);
	ck_assert_int_eq(found, 1);
	fd = open(aside, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)),
			 (ssize_t)(sizeof(old) - 1));
	close(fd);
	ck_assert_mem_eq(buf, old, sizeof(old) - 1);

	/* our own header: appended to, nothing moved */
	ck_assert_int_eq(call_cdr_csv_open(path, &w), 0);
	ck_assert_int_eq(call_cdr_csv_put(w, &r[1]), 0);
	mem_deref(w);
	check_csv(path, (const int[]){0, 1}, 2);
	unlink(aside);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(sqlite_roundtrip)
{
	struct call_cdr_db *d;
	struct call_cdr r[2];
	char path[256];

	records(r);
	tmp_path(path, sizeof(path), "cdr.sqlite");
	ck_assert_int_eq(call_cdr_db_open(path, &d), 0);
	ck_assert_int_eq(call_cdr_db_put(d, &r[0]), 0);
	ck_assert_int_eq(call_cdr_db_put(d, &r[1]), 0);
	mem_deref(d);
	check_db(path, 2);
	/* reopening keeps the table and its rows */
	ck_assert_int_eq(call_cdr_db_open(path, &d), 0);
	ck_assert_int_eq(call_cdr_db_put(d, &r[0]), 0);
	mem_deref(d);
	check_db(path, 3);
	ck_assert_int_eq(call_cdr_db_open("/nonexistent/dir/x.db", &d), -EIO);
}
END_TEST

/* A database made before the media columns existed gets them: the old
 * row reads NULL there, a new one its values. */
START_TEST(sqlite_old_layout)
{
	static const char old[] =
	    "CREATE TABLE cdr (id TEXT NOT NULL, start_ms INTEGER NOT NULL,"
	    " answer_ms INTEGER, end_ms INTEGER NOT NULL,"
	    " duration INTEGER NOT NULL, billsec INTEGER NOT NULL,"
	    " caller TEXT, caller_name TEXT, callee TEXT, route TEXT,"
	    " target TEXT, ingress TEXT, egress TEXT, cause INTEGER,"
	    " sip_status INTEGER, codec TEXT, srtp INTEGER,"
	    " rx_loss_pct REAL, rx_jitter_ms REAL, tx_loss_pct REAL,"
	    " tx_jitter_ms REAL, mos REAL);"
	    "INSERT INTO cdr (id, start_ms, end_ms, duration, billsec)"
	    " VALUES ('old', 1, 2, 0, 0);";
	struct call_cdr_db *d;
	struct call_cdr r[2];
	char path[256];
	sqlite3_stmt *st;
	sqlite3 *db;

	records(r);
	tmp_path(path, sizeof(path), "old.sqlite");
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, old, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(call_cdr_db_open(path, &d), 0);
	ck_assert_int_eq(call_cdr_db_put(d, &r[0]), 0);
	mem_deref(d);
	/* and once more: the columns are there now */
	ck_assert_int_eq(call_cdr_db_open(path, &d), 0);
	mem_deref(d);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT id, media, relayed_pkts "
					    "FROM cdr ORDER BY rowid",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "old");
	ck_assert_int_eq(sqlite3_column_type(st, 1), SQLITE_NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), "xdp");
	ck_assert_int_eq(sqlite3_column_int64(st, 2), 3012);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

START_TEST(writer_from_config)
{
	static const struct conf_sect_def *const defs[] = {&call_cdr_sect,
							   NULL};
	char csv[256], db[256], text[768];
	struct call_cdr_writer *w;
	struct conf_errs errs;
	struct call_cdr r[2];
	struct conf *c;

	records(r);
	tmp_path(csv, sizeof(csv), "w.csv");
	tmp_path(db, sizeof(db), "w.sqlite");
	conf_errs_init(&errs);
	snprintf(text, sizeof(text), "[cdr]\ncsv = %s\nsqlite = %s\n", csv, db);
	ck_assert_int_eq(conf_load_str("c.conf", text, defs, &c, &errs), 0);
	ck_assert_int_eq(call_cdr_writer_open(conf_get(c, "cdr"), &w), 0);
	ck_assert_int_eq(call_cdr_writer_put(w, &r[0]), 0);
	ck_assert_int_eq(call_cdr_writer_put(w, &r[1]), 0);
	/* same paths: the CSV file is reopened, nothing else changes */
	ck_assert_int_eq(call_cdr_writer_reload(w, conf_get(c, "cdr")), 0);
	mem_deref(c);
	check_csv(csv, (const int[]){0, 1}, 2);
	check_db(db, 2);

	/* disabled: nothing written */
	ck_assert_int_eq(
	    conf_load_str("c.conf", "[cdr]\nenabled = no\n", defs, &c, &errs),
	    0);
	ck_assert_int_eq(call_cdr_writer_reload(w, conf_get(c, "cdr")), 0);
	ck_assert_int_eq(call_cdr_writer_put(w, &r[0]), 0);
	mem_deref(c);
	mem_deref(w);
	check_csv(csv, (const int[]){0, 1}, 2);

	ck_assert_int_eq(
	    conf_load_str("c.conf", "[cdr]\ncsv = rel.csv\n", defs, &c, &errs),
	    -EINVAL);
	ck_assert_str_eq(((struct conf_err *)errs.l.head->data)->msg,
			 "c.conf:2: csv: \"rel.csv\": an absolute path or "
			 "\"\" (none)");
	conf_errs_clear(&errs);
	unlink(csv);
	unlink(db);
}
END_TEST

START_TEST(durations)
{
	struct call_cdr r = {.start_ms = 1000, .answer_ms = 0, .end_ms = 500};

	ck_assert_uint_eq(call_cdr_duration(&r), 0);
	r.end_ms = 2999;
	ck_assert_uint_eq(call_cdr_duration(&r), 1);
	ck_assert_uint_eq(call_cdr_billsec(&r), 0);
	r.answer_ms = 1500;
	r.end_ms = 12500;
	ck_assert_uint_eq(call_cdr_billsec(&r), 11);
}
END_TEST

START_TEST(mos)
{
	/* G.107 Annex B, MOS from R (the table is printed rounded to two
	 * decimals, and 80 -> 4.03 is rounded up from 4.024) */
	static const double pts[][2] = {
	    {90, 4.34}, {80, 4.03}, {70, 3.60}, {60, 3.10}, {50, 2.58}};

	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++)
		ck_assert_double_eq_tol(call_cdr_mos_from_r(pts[i][0]),
					pts[i][1], 0.01);
	ck_assert_double_eq(call_cdr_mos_from_r(-3), 1);
	ck_assert_double_eq(call_cdr_mos_from_r(120), 4.5);

	/* default conditions: R = 93.2, MOS 4.41 */
	ck_assert_double_eq_tol(call_cdr_r_factor("PCMA", 0, 0), 93.2, 1e-9);
	ck_assert_double_eq_tol(call_cdr_mos("PCMU", 0, 0), 4.41, 0.005);
	/* G.729A: Ie 11 */
	ck_assert_double_eq_tol(call_cdr_r_factor("g729", 0, 0), 82.2, 1e-9);
	/* delay: Id = 0.024 d, plus 0.11 (d - 177.3) past 177.3 ms */
	ck_assert_double_eq_tol(call_cdr_r_factor("PCMA", 150, 0), 93.2 - 3.6,
				1e-9);
	ck_assert_double_eq_tol(call_cdr_r_factor("PCMA", 300, 0),
				93.2 - 7.2 - 0.11 * 122.7, 1e-9);
	/* loss: Ie,eff = Ie + (95 - Ie) P / (P + Bpl); G.711 PLC Bpl 25.1,
	 * G.729A 19.0 */
	ck_assert_double_eq_tol(call_cdr_r_factor("PCMA", 0, 1),
				93.2 - 95.0 / 26.1, 1e-9);
	ck_assert_double_eq_tol(call_cdr_r_factor("G729", 0, 2),
				93.2 - 11 - 84.0 * 2 / 21.0, 1e-9);
	/* MOS falls as things get worse, and stays in [1, 4.5] */
	ck_assert(call_cdr_mos("PCMA", 0, 5) < call_cdr_mos("PCMA", 0, 1));
	ck_assert(call_cdr_mos("PCMA", 400, 0) < call_cdr_mos("PCMA", 100, 0));
	ck_assert_double_eq(call_cdr_mos("PCMA", 2000, 100), 1);
	ck_assert(!isnan(call_cdr_mos(NULL, -5, -1)));
}
END_TEST

Suite *call_cdr_suite(void)
{
	Suite *s = suite_create("call_cdr");
	TCase *tc = tl_tcase(s, "cdr");

	tcase_add_test(tc, csv_quoting);
	tcase_add_test(tc, csv_file_and_reopen);
	tcase_add_test(tc, csv_other_version_moved_aside);
	tcase_add_test(tc, sqlite_roundtrip);
	tcase_add_test(tc, sqlite_old_layout);
	tcase_add_test(tc, writer_from_config);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, mos);
	return s;
}
