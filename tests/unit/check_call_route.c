// SPDX-License-Identifier: GPL-2.0
/* gateway/call/route: patterns, rewriting, hunting, the [route] config
 * with its errors, lookup order, failover and "show routes". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/call/route.h"
#include "tl_check.h"

static const struct conf_sect_def *const defs[] = {&call_route_sect, NULL};

START_TEST(patterns)
{
	static const struct {
		const char *pat, *num;
		bool hit;
	} t[] = {
	    {"00", "0044207", true},   {"00", "0144", false},
	    {"+44", "+4420", true},    {"+44", "4420", false},
	    {"_0X.", "012", true},     {"_0X.", "01", false},
	    {"_0X!", "01", true},      {"_0X!", "0", false},
	    {"_NXX", "212", true},     {"_NXX", "112", false},
	    {"_ZXX", "112", true},     {"_ZXX", "012", false},
	    {"_ZXX", "1123", false},   {"_nxx", "999", true},
	    {"_1[2-4]9", "139", true}, {"_1[2-4]9", "159", false},
	    {"_1[27]", "17", true},    {"_1[27]", "13", false},
	    {"_+44.", "+44207", true}, {"_+44.", "+44", false},
	    {"_*6X", "*69", true},     {"_#", "#", true},
	    {"_!", "", true},	       {"_.", "", false},
	    {"_X", "a", false},	       {"_X[", "1", false},
	};
	char why[200];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(call_pattern_match(t[i].pat, t[i].num) ==
				  t[i].hit,
			      "%s vs %s", t[i].pat, t[i].num);

	static const char *const good[] = {
	    "0", "+44", "*", "_X.", "_[0-9#]!", "_N[1-5]XX", "_+1NXXNXXXXXX"};
	static const char *const bad[] = {"",	   "_",	  "0a",	  "_X.X",
					  "_!X",   "_[]", "_[12", "_[-1]",
					  "_[1-]", "_Q",  "0 1",  "_[a]"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(!call_pattern_check(good[i], why, sizeof(why)),
			      "rejected %s: %s", good[i], why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ck_assert_msg(call_pattern_check(bad[i], why, sizeof(why)) ==
				  -EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert(why[0]);
	}
}
END_TEST

START_TEST(rewrite)
{
	char out[16];

	ck_assert_int_eq(
	    call_route_rewrite("0044207", 2, NULL, "+", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+44207");
	ck_assert_int_eq(
	    call_route_rewrite("+442079", 1, "44:0", "", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "02079");
	ck_assert_int_eq(
	    call_route_rewrite("+12125", 1, "44:0", "9", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "912125");
	ck_assert_int_eq(call_route_rewrite("12", 5, "", "", out, sizeof(out)),
			 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(
	    call_route_rewrite("123", 0, "1:", "", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "23");
	ck_assert_int_eq(call_route_rewrite("123456789", 0, NULL, "1234567",
					    out, sizeof(out)),
			 -ENOSPC);
}
END_TEST

START_TEST(hunting)
{
	bool busy[4] = {false, true, false, false};
	uint64_t used[4] = {500, 100, 300, 400};
	unsigned last = 3;

	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_ASC, 4, busy, &last, NULL),
			 0);
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_DESC, 4, busy, &last, NULL),
			 3);
	/* round robin from the last pick (3): 0, then 2 (1 is busy), 3, 0 */
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_RR, 4, busy, &last, NULL), 0);
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_RR, 4, busy, &last, NULL), 2);
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_RR, 4, busy, &last, NULL), 3);
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_RR, 4, busy, &last, NULL), 0);
	ck_assert_uint_eq(last, 0);
	/* LRU: channel 1 is idle longest but busy; then 2 (300) */
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_LRU, 4, busy, &last, used),
			 2);
	busy[2] = true;
	ck_assert_int_eq(call_hunt_pick(CALL_HUNT_LRU, 4, busy, &last, used),
			 3);
	busy[0] = busy[1] = busy[3] = true;
	for (int h = CALL_HUNT_ASC; h <= CALL_HUNT_LRU; h++)
		ck_assert_int_eq(
		    call_hunt_pick((enum call_hunt)h, 4, busy, &last, used),
		    -EBUSY);
	ck_assert_str_eq(call_hunt_name(CALL_HUNT_RR), "round-robin");
}
END_TEST

static const char routes_conf[] = "[route emergency]\n"
				  "called = 999, 112\n"
				  "targets = group:pstn\n"
				  "failover = none\n"
				  "\n"
				  "[route from-pbx-intl]\n"
				  "ingress = peer:pbx\n"
				  "called = _00X.\n"
				  "called_strip = 2\n"
				  "called_prepend = +\n"
				  "calling = _[1-9]XXX\n"
				  "calling_prepend = +44207946\n"
				  "targets = peer:carrier1, group:isdn1\n"
				  "targets = peer:carrier2\n"
				  "hunt = round-robin\n"
				  "\n"
				  "[route pstn-in]\n"
				  "ingress = span:2, group:analog\n"
				  "called_replace = 44:0\n"
				  "called_strip = 1\n"
				  "targets = peer:pbx\n"
				  "failover = 34, 17\n";

static struct call_routes *load(const char *text)
{
	struct conf_errs errs;
	struct call_routes *rt;
	struct conf *c;
	int err;

	conf_errs_init(&errs);
	err = conf_load_str("routes.conf", text, defs, &c, &errs);
	ck_assert_msg(!err, "%s",
		      errs.l.head ? ((struct conf_err *)errs.l.head->data)->msg
				  : "?");
	ck_assert_int_eq(call_routes_new(c, &rt), 0);
	mem_deref(c); /* the table holds its own reference */
	return rt;
}

START_TEST(lookup_and_failover)
{
	struct call_routes *rt = load(routes_conf);
	struct call_ingress pbx = {"pbx", -1, NULL};
	struct call_ingress span2 = {NULL, 2, "pri"};
	struct call_ingress other = {"carrier1", -1, NULL};
	struct call_route_res *res;
	const struct call_cand *c;

	ck_assert_uint_eq(call_routes_count(rt), 3);

	/* the first matching route wins, whatever the ingress */
	ck_assert_int_eq(call_route_lookup(rt, &pbx, "999", "1234", &res), 0);
	ck_assert_str_eq(res->route, "emergency");
	ck_assert_str_eq(res->called, "999");
	c = call_route_cur(res);
	ck_assert_int_eq(c->kind, CALL_TGT_GROUP);
	ck_assert_str_eq(c->name, "pstn");
	/* failover = none: even congestion is final */
	ck_assert_ptr_null(call_route_next(res, 34));
	ck_assert_ptr_null(call_route_cur(res));
	mem_deref(res);

	ck_assert_int_eq(
	    call_route_lookup(rt, &pbx, "0012125550100", "1234", &res), 0);
	ck_assert_str_eq(res->route, "from-pbx-intl");
	ck_assert_str_eq(res->called, "+12125550100");
	ck_assert_str_eq(res->calling, "+442079461234");
	ck_assert_uint_eq(res->n, 3);
	c = call_route_cur(res);
	ck_assert_int_eq(c->kind, CALL_TGT_PEER);
	ck_assert_str_eq(c->name, "carrier1");
	ck_assert_int_eq(c->hunt, CALL_HUNT_RR);
	/* default failover set: 34 and 3 move on, 17 (busy) does not */
	c = call_route_next(res, 34);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->kind, CALL_TGT_GROUP);
	ck_assert_str_eq(c->name, "isdn1");
	c = call_route_next(res, 3);
	ck_assert_str_eq(c->name, "carrier2");
	ck_assert_ptr_null(call_route_next(res, 38)); /* list used up */
	mem_deref(res);

	ck_assert_int_eq(
	    call_route_lookup(rt, &pbx, "0012125550100", "1234", &res), 0);
	ck_assert_ptr_null(call_route_next(res, 17));
	ck_assert_ptr_null(call_route_next(res, 0));
	mem_deref(res);

	/* the calling pattern must fit too: 5 digits do not */
	ck_assert_int_eq(
	    call_route_lookup(rt, &pbx, "0012125550100", "12345", &res),
	    -ENOENT);
	ck_assert_int_eq(
	    call_route_lookup(rt, &other, "0012125550100", "1234", &res),
	    -ENOENT);

	/* strip 1 then replace 44 with 0; a span matches */
	ck_assert_int_eq(
	    call_route_lookup(rt, &span2, "+442079460000", NULL, &res), 0);
	ck_assert_str_eq(res->route, "pstn-in");
	ck_assert_str_eq(res->called, "02079460000");
	ck_assert_str_eq(res->calling, "");
	ck_assert_ptr_null(call_route_next(res, 17)); /* the only target */
	ck_assert_ptr_null(call_route_cur(res));
	mem_deref(res);
	span2.span = 3;
	ck_assert_int_eq(call_route_lookup(rt, &span2, "+44", "", &res),
			 -ENOENT);
	span2.group = "analog";
	ck_assert_int_eq(call_route_lookup(rt, &span2, "+44", "", &res), 0);

	/* the result outlives the table it came from (a reload) */
	mem_deref(rt);
	ck_assert_str_eq(call_route_cur(res)->name, "pbx");
	mem_deref(res);
}
END_TEST

static char *first_err(const char *text, char *buf, size_t n, size_t *count)
{
	struct conf_errs errs;
	struct conf *c = NULL;

	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("r.conf", text, defs, &c, &errs),
			 -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_ptr_nonnull(errs.l.head);
	snprintf(buf, n, "%s", ((struct conf_err *)errs.l.head->data)->msg);
	*count = errs.n;
	conf_errs_clear(&errs);
	return buf;
}

START_TEST(config_errors)
{
	static const struct {
		const char *text, *want;
	} t[] = {
	    {"[route a]\ncalled = _0X.X\ntargets = peer:x\n",
	     "r.conf:2: called: \"_0X.X\": '.' must end the pattern"},
	    {"[route a]\ntargets = trunk:x\n",
	     "r.conf:2: targets: \"trunk:x\": expected group:NAME or "
	     "peer:NAME"},
	    {"[route a]\ncalled = 1\n",
	     "r.conf:1: targets: required in [route a]"},
	    {"[route a]\ntargets = peer:x\ningress = span:0\n",
	     "r.conf:3: ingress: \"span:0\": expected peer:NAME, "
	     "group:NAME or span:N (1..255)"},
	    {"[route a]\ntargets = peer:x\nfailover = 34, 200\n",
	     "r.conf:3: failover: \"200\" is not a Q.850 cause (1..127)"},
	    {"[route a]\ntargets = peer:x\nfailover = none, 3\n",
	     "r.conf:3: failover: \"none\" cannot be listed with causes"},
	    {"[route a]\ntargets = peer:x\ncalled_replace = 44\n",
	     "r.conf:3: called_replace: \"44\": expected FROM:TO (FROM not "
	     "empty; 0-9 + * #)"},
	    {"[route a]\ntargets = peer:x\ncalling_prepend = 9a\n",
	     "r.conf:3: calling_prepend: \"9a\": up to 16 of 0-9 + * #"},
	    {"[route a]\ntargets = peer:x\nhunt = random\n",
	     "r.conf:3: hunt: \"random\" is not one of: ascending, "
	     "descending, round-robin, lru"},
	    {"[route a]\ntargets = peer:x\ncalled_strip = 40\n",
	     "r.conf:3: called_strip: 40 is out of range [0, 32]"},
	};
	char buf[512];
	size_t n;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(first_err(t[i].text, buf, sizeof(buf), &n),
				 t[i].want);
	/* every error at once */
	first_err("[route a]\ncalled = x\ncalling = y\ntargets = z\n", buf,
		  sizeof(buf), &n);
	ck_assert_uint_eq(n, 3);
}
END_TEST

static const char *exec(struct ctl *ctl, const char *line, char *out, size_t n)
{
	struct buf b = {0};

	ck_assert_int_eq(ctl_exec(ctl, line, &b), 0);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

START_TEST(show_routes)
{
	struct call_routes *rt = load(routes_conf), *slot = NULL;
	struct loop *l = loop_new();
	struct ctl *ctl = ctl_new(l);
	char out[4096];

	ck_assert_int_eq(
	    ctl_register(ctl, call_route_cmds, call_route_ncmds, &slot), 0);
	exec(ctl, "-j show routes", out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "{\"routes\":[]}"));
	slot = rt;
	exec(ctl, "-j show routes", out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(
	    out, "{\"order\":2,\"name\":\"from-pbx-intl\","
		 "\"ingress\":\"peer:pbx\",\"called\":\"_00X.\","
		 "\"calling\":\"_[1-9]XXX\","
		 "\"called_rewrite\":\"strip 2, prepend +\","
		 "\"calling_rewrite\":\"prepend +44207946\","
		 "\"targets\":\"peer:carrier1,group:isdn1,peer:carrier2\","
		 "\"hunt\":\"round-robin\","
		 "\"failover\":\"3,34,38,41,42,44,47\"}"));
	ck_assert_ptr_nonnull(strstr(out, "\"failover\":\"none\""));
	exec(ctl, "show routes", out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "pstn-in"));
	ck_assert_ptr_nonnull(strstr(out, "strip 1, replace 44:0"));
	ck_assert_ptr_nonnull(strstr(out, "span:2,group:analog"));
	mem_deref(ctl);
	mem_deref(l);
	mem_deref(rt);
}
END_TEST

Suite *call_route_suite(void)
{
	Suite *s = suite_create("call_route");
	TCase *tc = tl_tcase(s, "route");

	tcase_add_test(tc, patterns);
	tcase_add_test(tc, rewrite);
	tcase_add_test(tc, hunting);
	tcase_add_test(tc, lookup_and_failover);
	tcase_add_test(tc, config_errors);
	tcase_add_test(tc, show_routes);
	return s;
}
