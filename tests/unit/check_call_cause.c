// SPDX-License-Identifier: GPL-2.0
/* gateway/call/cause: both RFC 3398 tables, walked row by row from the
 * conformance file, the defaults, overrides and the no-6xx rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/call/cause.h"
#include "tl_check.h"

#define CONF_FILE "cause-mapping.md"

static char *read_mapping(char *path, size_t n)
{
	const char *env = getenv("TL_CONFORMANCE");
	char *text;
	long len;
	FILE *f;

	if (env && strstr(env, ".md"))
		snprintf(path, n, "%s", env);
	else
		snprintf(path, n, "%s/" CONF_FILE,
			 env ? env : "../shared/conformance");
	f = fopen(path, "r");
	ck_assert_msg(f,
		      "cannot open %s (run from the repo root or set "
		      "TL_CONFORMANCE to the conformance folder): %s",
		      path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(fread(text, 1, (size_t)len, f), len);
	fclose(f);
	return text;
}

/* Split "| a | b | c |" into trimmed cells; returns the count. */
static int cells(char *line, char **c, int max)
{
	int n = 0;
	char *p = line, *bar;

	if (*p != '|')
		return 0;
	p++;
	while (n < max && (bar = strchr(p, '|'))) {
		char *e = bar;

		*bar = '\0';
		while (*p == ' ')
			p++;
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		c[n++] = p;
		p = bar + 1;
	}
	return n;
}

static bool starts_digit(const char *s)
{
	return *s >= '0' && *s <= '9';
}

struct walk {
	int rows_a, rows_b;
	bool listed_cause[CALL_CAUSE_MAX + 1];
	bool listed_status[700];
	int def_status, def_cause;
	bool saw_44;
};

static void row_a(struct walk *w, char **c, int n, int lineno)
{
	struct call_cause_info info = {.loc = CALL_LOC_PUBLIC_REMOTE};
	int cause, want, got;

	if (n < 3)
		return;
	if (!strcmp(c[0], "any other")) {
		w->def_status = atoi(c[2]);
		return;
	}
	if (!starts_digit(c[0]))
		return;
	cause = atoi(c[0]);
	ck_assert_msg(cause >= 1 && cause <= 127, "line %d: cause %s", lineno,
		      c[0]);
	want = starts_digit(c[2]) ? atoi(c[2]) : 0;
	ck_assert_msg(want || !strncmp(c[2], "---", 3),
		      "line %d: unreadable response \"%s\"", lineno, c[2]);
	if (cause == CALL_CAUSE_NUMBER_CHANGED)
		info.has_diag = strstr(c[1], "with diagnostic") != NULL;
	got = call_cause_to_sip(NULL, (unsigned)cause, &info);
	ck_assert_msg(got == want, "line %d: cause %d (%s): got %d, want %d",
		      lineno, cause, c[1], got, want);
	/* the (+) note: a rejection by the user may become 603 */
	if (cause == CALL_CAUSE_CALL_REJECTED && n > 3 && strstr(c[3], "603")) {
		info.loc = CALL_LOC_USER;
		info.allow_6xx = true;
		ck_assert_int_eq(call_cause_to_sip(NULL, 21, &info), 603);
		info.allow_6xx = false;
		ck_assert_int_eq(call_cause_to_sip(NULL, 21, &info), 403);
	}
	w->listed_cause[cause] = true;
	w->rows_a++;
}

static void row_b(struct walk *w, char **c, int n, int lineno)
{
	int status, got;

	if (n < 2)
		return;
	if (!strcmp(c[0], "any other")) {
		w->def_cause = atoi(c[1]);
		return;
	}
	if (!starts_digit(c[0]))
		return;
	status = atoi(c[0]);
	ck_assert_msg(status >= 400 && status <= 699, "line %d: status %s",
		      lineno, c[0]);
	if (starts_digit(c[1])) {
		got = call_cause_from_sip(NULL, status, false);
		ck_assert_msg(got == atoi(c[1]),
			      "line %d: status %d: got cause %d, want %d",
			      lineno, status, got, atoi(c[1]));
	} else if (strstr(c[1], "Warning")) {
		/* "default 31; 65 if the Warning is about ... bearer" */
		ck_assert_int_eq(call_cause_from_sip(NULL, status, false), 31);
		ck_assert_int_eq(call_cause_from_sip(NULL, status, true), 65);
	} else {
		ck_assert_msg(strstr(c[1], "no mapping"),
			      "line %d: unreadable cause \"%s\"", lineno, c[1]);
		ck_assert_int_eq(call_cause_from_sip(NULL, status, false), 0);
	}
	w->listed_status[status] = true;
	w->rows_b++;
}

START_TEST(walk_both_tables)
{
	char path[512], *text = read_mapping(path, sizeof(path));
	char *line, *save = NULL, *c[8];
	struct walk w = {.def_status = -1, .def_cause = -1};
	int sect = 0, lineno = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (!strncmp(line, "## ", 3)) {
			sect = !strncmp(line, "## A.", 5)   ? 'A'
			       : !strncmp(line, "## B.", 5) ? 'B'
							    : 0;
			continue;
		}
		if (sect == 'A' && strstr(line, "Cause 44") &&
		    strstr(line, "not translated"))
			w.saw_44 = true;
		if (sect == 'A')
			row_a(&w, c, cells(line, c, 8), lineno);
		else if (sect == 'B')
			row_b(&w, c, cells(line, c, 8), lineno);
	}
	free(text);

	/* the whole tables: 33 rows (22 twice) and 37 rows in RFC 3398 */
	ck_assert_msg(w.rows_a == 33, "%s: read %d rows of table A", path,
		      w.rows_a);
	ck_assert_msg(w.rows_b == 37, "%s: read %d rows of table B", path,
		      w.rows_b);
	ck_assert_int_eq(w.def_status, 500);
	ck_assert_int_eq(w.def_cause, 31);
	ck_assert(w.saw_44);
	ck_assert_int_eq(call_cause_to_sip(NULL, 44, NULL), 0);

	/* every value the tables do not list takes the default */
	for (unsigned v = 1; v <= CALL_CAUSE_MAX; v++)
		if (!w.listed_cause[v] && v != 44)
			ck_assert_msg(call_cause_to_sip(NULL, v, NULL) ==
					  w.def_status,
				      "unlisted cause %u gave %d", v,
				      call_cause_to_sip(NULL, v, NULL));
	for (int s = 400; s <= 699; s++)
		if (!w.listed_status[s])
			ck_assert_msg(call_cause_from_sip(NULL, s, false) ==
					  w.def_cause,
				      "unlisted status %d gave %d", s,
				      call_cause_from_sip(NULL, s, false));
}
END_TEST

START_TEST(out_of_range)
{
	ck_assert_int_eq(call_cause_to_sip(NULL, 0, NULL), -EINVAL);
	ck_assert_int_eq(call_cause_to_sip(NULL, 128, NULL), -EINVAL);
	ck_assert_int_eq(call_cause_from_sip(NULL, 399, false), -EINVAL);
	ck_assert_int_eq(call_cause_from_sip(NULL, 200, false), -EINVAL);
	ck_assert_int_eq(call_cause_from_sip(NULL, 700, false), -EINVAL);
	ck_assert_int_eq(call_cause_loc_from_sip(603), CALL_LOC_USER);
	ck_assert_int_eq(call_cause_loc_from_sip(486), CALL_LOC_PUBLIC_REMOTE);
}
END_TEST

START_TEST(names_and_phrases)
{
	ck_assert_str_eq(call_cause_name(17), "User busy");
	ck_assert_str_eq(call_cause_name(127), "Interworking, unspecified");
	ck_assert_str_eq(call_cause_name(12), "Unknown cause");
	ck_assert_str_eq(call_cause_name(500), "Unknown cause");
	ck_assert_str_eq(call_status_phrase(486), "Busy Here");
	ck_assert_str_eq(call_status_phrase(504), "Server Time-out");
	ck_assert_str_eq(call_status_phrase(604), "Does Not Exist Anywhere");
	ck_assert_str_eq(call_status_phrase(183), "Session Progress");
	ck_assert_str_eq(call_status_phrase(499), "Client Error");
	ck_assert_str_eq(call_status_phrase(42), "Unknown");
	/* every status the mappings can produce has its own phrase */
	for (unsigned v = 1; v <= CALL_CAUSE_MAX; v++) {
		struct call_cause_info i = {
		    .loc = CALL_LOC_USER, .allow_6xx = true, .has_diag = true};
		int st = call_cause_to_sip(NULL, v, &i);

		if (st > 0)
			ck_assert_msg(
			    strcmp(call_status_phrase(st),
				   call_status_phrase(st / 100 * 100 + 99)),
			    "no phrase for %d", st);
	}
}
END_TEST

START_TEST(retry_after)
{
	ck_assert_uint_eq(call_cause_retry_after(34, 503, 30), 30);
	ck_assert_uint_eq(call_cause_retry_after(42, 503, 5), 5);
	ck_assert_uint_eq(call_cause_retry_after(58, 503, 5), 5);
	ck_assert_uint_eq(call_cause_retry_after(34, 503, 0), 0);
	/* 88 maps to 503 but is not a resource shortage */
	ck_assert_uint_eq(call_cause_retry_after(88, 503, 5), 0);
	ck_assert_uint_eq(call_cause_retry_after(17, 486, 5), 0);
	ck_assert_uint_eq(call_cause_retry_after(34, 480, 5), 0);
}
END_TEST

START_TEST(overrides)
{
	struct call_cause_ovr o;
	char why[256] = "";

	ck_assert_int_eq(
	    call_cause_ovr_parse(&o, "486=17,480=18", why, sizeof(why)), 0);
	ck_assert_uint_eq(o.n, 2);
	ck_assert_int_eq(
	    call_cause_ovr_parse(&o,
				 " 486 = 21 , cause 34 = 480, status 404=3,"
				 "cause 17=600, 1=410",
				 why, sizeof(why)),
	    0);
	ck_assert_uint_eq(o.n, 5);
	ck_assert_int_eq(call_cause_from_sip(&o, 486, false), 21);
	ck_assert_int_eq(call_cause_from_sip(&o, 404, false), 3);
	ck_assert_int_eq(call_cause_from_sip(&o, 603, false), 21);
	ck_assert_int_eq(call_cause_from_sip(&o, 480, false), 18);
	ck_assert_int_eq(call_cause_to_sip(&o, 34, NULL), 480);
	ck_assert_int_eq(call_cause_to_sip(&o, 17, NULL), 600);
	ck_assert_int_eq(call_cause_to_sip(&o, 1, NULL), 410);
	ck_assert_int_eq(call_cause_to_sip(&o, 41, NULL), 503);

	/* a later entry for the same key wins */
	ck_assert_int_eq(
	    call_cause_ovr_parse(&o, "486=17,486=21", why, sizeof(why)), 0);
	ck_assert_uint_eq(o.n, 1);
	ck_assert_int_eq(call_cause_from_sip(&o, 486, false), 21);

	ck_assert_int_eq(call_cause_ovr_parse(&o, "", why, sizeof(why)), 0);
	ck_assert_uint_eq(o.n, 0);

	static const char *const bad[] = {
	    "486",	    "486=",	      "486=0",
	    "486=128",	    "200=17",	      "cause 0=480",
	    "cause 34=200", "cause 34=700",   "486=17,,",
	    "x=1",	    "cause=1",	      "status 17=486",
	    "486=17 x",	    "cause 41 = 603", "cause 34=600",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ck_assert_msg(call_cause_ovr_parse(&o, bad[i], why,
						   sizeof(why)) == -EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_msg(why[0], "no reason for \"%s\"", bad[i]);
	}
	ck_assert_ptr_nonnull(strstr(why, "temporary"));
}
END_TEST

START_TEST(never_6xx_for_temporary)
{
	struct call_cause_ovr o = {.n = 0};
	struct call_cause_info i = {.loc = CALL_LOC_USER, .allow_6xx = true};

	/* a table built by hand, past the parser's own check */
	o.e[o.n++] = (struct call_cause_ovr_ent){603, 41, true};
	o.e[o.n++] = (struct call_cause_ovr_ent){600, 34, true};
	o.e[o.n++] = (struct call_cause_ovr_ent){604, 18, true};
	ck_assert_int_eq(call_cause_to_sip(&o, 41, &i), 480);
	ck_assert_int_eq(call_cause_to_sip(&o, 34, &i), 486);
	ck_assert_int_eq(call_cause_to_sip(&o, 18, &i), 404);
	for (unsigned v = 1; v <= CALL_CAUSE_MAX; v++)
		if (call_cause_is_temporary(v))
			ck_assert_int_lt(call_cause_to_sip(NULL, v, &i), 600);
	ck_assert(!call_cause_is_temporary(17));
	ck_assert(call_cause_is_temporary(47));
}
END_TEST

Suite *call_cause_suite(void)
{
	Suite *s = suite_create("call_cause");
	TCase *tc = tl_tcase(s, "cause");

	tcase_add_test(tc, walk_both_tables);
	tcase_add_test(tc, out_of_range);
	tcase_add_test(tc, names_and_phrases);
	tcase_add_test(tc, retry_after);
	tcase_add_test(tc, overrides);
	tcase_add_test(tc, never_6xx_for_temporary);
	return s;
}
