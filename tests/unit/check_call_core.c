// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/call: the call core with real TDM legs on the sim backend, the
 * real event loop and the real 20 ms clock. A sim phone calls in, the
 * route sends the call to a sim group, and each scripted far end (echo,
 * busy, no answer, early media, tone, unallocated, congestion) gives the
 * state, the cause on the calling line and the CDR row (read back from
 * the CSV file) it must; failover on busy and congestion; no route;
 * "show calls" and "call hangup".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/call/call.h"
#include "../../gateway/call/cdr.h"
#include "../../gateway/call/route.h"
#include "../../gateway/ctl/conf.h"
#include "../../gateway/ctl/ctl.h"
#include "../../tdm/core.h"
#include "../../tdm/module.h"
#include "../../tdm/sim.h"
#include "tl_check.h"

static const char conf_fmt[] =
	"[tdm]\n"
	"tone_zone = us\n"
	"[span 1]\n"
	"channels = 1-4\n"
	"group = 1\n"
	"echo_cancel = no\n"
	"[span 2]\n"
	"channels = 5\n"
	"group = 2\n"
	"echo_cancel = no\n"
	"[sim]\n"
	"alert_delay = 20ms\n"
	"answer_delay = 100ms\n"
	"number = 100 echo\n"
	"number = 101 busy\n"
	"number = 102 noanswer\n"
	"number = 103 early 300\n"
	"number = 104 tone\n"
	"number = 105 unallocated\n"
	"number = 106 congestion\n"
	"[route over]\n"
	"called = 9\n"
	"called_strip = 1\n"
	"targets = group:2, group:1\n"
	"[route busyover]\n"
	"called = 8\n"
	"called_strip = 1\n"
	"calling_prepend = +1\n"
	"targets = group:1, group:2\n"
	"failover = 17\n"
	"[route local]\n"
	"ingress = span:1\n"
	"called = _10X\n"
	"targets = group:1\n"
	"[calls]\n"
	"no_answer = 600ms\n"
	"[cdr]\n"
	"csv = %s\n"
	"sqlite = \"\"\n";

static const struct conf_sect_def *const defs[] = {
	&tdm_sect_tdm,	  &tdm_sect_span,  &tdm_sect_sim, &call_route_sect,
	&call_cdr_sect,	  &call_calls_sect, NULL,
};

static struct loop *loop;
static struct conf *conf;
static struct tdm *tdm;
static struct call_core *cc;
static struct ctl *ctl;
static char csv_path[512];

static void run_for(unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(loop, (int)(end - loop_now_ms()));
}

static void setup(void)
{
	struct conf_errs errs;
	struct call_core_params p = { 0 };
	struct call_routes *rt;
	struct call_cdr_writer *w;
	char text[sizeof(conf_fmt) + 512];

	snprintf(csv_path, sizeof(csv_path), "%s/core-%d.csv", tl_tmpdir(),
		 getpid());
	unlink(csv_path);
	snprintf(text, sizeof(text), conf_fmt, csv_path);
	loop = loop_new();
	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("call.conf", text, defs, &conf, &errs),
			 0);
	conf_errs_clear(&errs);
	ck_assert_int_eq(tdm_alloc(&tdm, loop, conf), 0);
	ck_assert_int_eq(call_routes_new(conf, &rt), 0);
	ck_assert_int_eq(call_cdr_writer_open(conf_get(conf, "cdr"), &w), 0);
	p.loop = loop;
	p.tdm = tdm;
	p.routes = rt;
	p.cdr = w;
	p.limits = *(const struct call_limits *)conf_get(conf, "calls");
	ck_assert_int_eq(call_core_new(&cc, &p), 0);
	mem_deref(rt);
	mem_deref(w);
	ctl = ctl_new(loop);
	ck_assert_ptr_nonnull(ctl);
	ck_assert_int_eq(ctl_register(ctl, call_cmds, call_ncmds, &cc), 0);
}

static void teardown(void)
{
	ctl = mem_deref(ctl);
	cc = mem_deref(cc);
	tdm = mem_deref(tdm);
	conf = mem_deref(conf);
	loop = mem_deref(loop);
	unlink(csv_path);
}

/* --- the CDR file, read back ---------------------------------------------- */

#define NCOL 24
enum { C_ID, C_START, C_ANSWER, C_END, C_DUR, C_BILL, C_CALLER, C_NAME,
       C_CALLEE, C_ROUTE, C_TARGET, C_INGRESS, C_EGRESS, C_CAUSE, C_SIP,
       C_CODEC };

struct row {
	char f[NCOL][96];
};

/* Split one RFC 4180 line (no line breaks inside fields here). */
static int split_csv(const char *s, struct row *r)
{
	int n = 0;
	size_t k = 0;
	bool q = false;

	memset(r, 0, sizeof(*r));
	for (; *s && *s != '\r' && *s != '\n'; s++) {
		if (q && *s == '"' && s[1] == '"') {
			s++;
		} else if (*s == '"') {
			q = !q;
			continue;
		} else if (!q && *s == ',') {
			if (++n >= NCOL)
				return -1;
			k = 0;
			continue;
		}
		if (k + 1 < sizeof(r->f[n]))
			r->f[n][k++] = *s;
	}
	return n + 1;
}

/* The data rows of the CDR file; the header must be there. */
static int cdr_rows(struct row *rows, int max)
{
	FILE *f = fopen(csv_path, "r");
	char line[1024];
	int n = 0;

	if (!f)
		return 0;
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert(!strncmp(line, "id,start,answer,end,", 20));
	while (n < max && fgets(line, sizeof(line), f)) {
		ck_assert_int_eq(split_csv(line, &rows[n]), NCOL);
		n++;
	}
	fclose(f);
	return n;
}

/* --- helpers -------------------------------------------------------------- */

static struct call *only_call(void)
{
	ck_assert_uint_eq(call_core_count(cc), 1);
	return call_core_find(cc, 1);
}

static const char *chan_state(unsigned num)
{
	return tdm_chan_state_name(tdm_chan_find(tdm, num));
}

static int chan_cause(unsigned num)
{
	return tdm_chan_find(tdm, num)->last_cause;
}

static enum call_state state_of(struct call *c)
{
	struct call_info ci;

	call_get_info(c, &ci);
	return ci.state;
}

/* --- the demo behaviours, PSTN to PSTN ------------------------------------ */

static const struct {
	const char *num;
	int cause;		/* the cause the calling line gets */
	bool answered;
	unsigned ms;		/* run this long before looking */
} beh[] = {
	{ "101", 17, false, 200 }, /* busy */
	{ "105", 1, false, 200 },  /* unallocated */
	{ "106", 34, false, 200 }, /* congestion */
	{ "102", 19, false, 900 }, /* no answer: [calls] no_answer */
};

START_TEST(call_release_causes)
{
	struct row rows[4];

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 1, beh[_i].num, "2125550100",
				      TDM_PRES_ALLOWED),
			 0);
	ck_assert_str_eq(chan_state(1), "incoming");
	run_for(beh[_i].ms);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_str_eq(chan_state(1), "idle");
	ck_assert_int_eq(chan_cause(1), beh[_i].cause);
	/* the egress channel is free again */
	ck_assert_str_eq(chan_state(2), "idle");
	ck_assert_int_eq(cdr_rows(rows, 4), 1);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), beh[_i].cause);
	ck_assert_str_eq(rows[0].f[C_ANSWER], "");
	ck_assert_str_eq(rows[0].f[C_CALLER], "2125550100");
	ck_assert_str_eq(rows[0].f[C_CALLEE], beh[_i].num);
	ck_assert_str_eq(rows[0].f[C_ROUTE], "local");
	ck_assert_str_eq(rows[0].f[C_TARGET], "group:1");
	ck_assert_str_eq(rows[0].f[C_INGRESS], "span:1,group:1");
	ck_assert_str_eq(rows[0].f[C_EGRESS], "span:1/chan:2");
	ck_assert(!strncmp(rows[0].f[C_ID], "tl-", 3));
	teardown();
}
END_TEST

/* Echo and tone answer after alerting; audio flows both ways; the
 * caller hangs up. */
START_TEST(call_answered)
{
	static const char *const nums[] = { "100", "104" };
	struct call_info ci;
	struct row rows[2];
	struct call *c;

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 1, nums[_i], "", TDM_PRES_ALLOWED),
			 0);
	run_for(60);
	c = only_call();
	ck_assert_int_eq(state_of(c), CALL_ST_EARLY);
	ck_assert_str_eq(chan_state(2), "alerting");
	/* the calling line is told, not answered yet */
	ck_assert_str_eq(chan_state(1), "incoming");
	run_for(150);
	call_get_info(c, &ci);
	/* answered (a late loop only delays it), then audio both ways */
	for (int i = 0; i < 40 && ci.state != CALL_ST_ANSWERED; i++) {
		run_for(50);
		call_get_info(c, &ci);
	}
	ck_assert_int_eq(ci.state, CALL_ST_ANSWERED);
	run_for(100);
	call_get_info(c, &ci);
	ck_assert_str_eq(chan_state(1), "up");
	ck_assert_str_eq(chan_state(2), "up");
	ck_assert_str_eq(ci.in, "span:1/chan:1");
	ck_assert_str_eq(ci.out, "span:1/chan:2");
	/* about 100 ms of answered call, both directions carried */
	ck_assert_uint_gt(ci.frames_in_out, 3);
	ck_assert_uint_gt(ci.frames_out_in, 3);
	ck_assert_int_eq(tdm_sim_hangup(tdm, 1, 16), 0);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_str_eq(chan_state(2), "idle");
	ck_assert_int_eq(chan_cause(2), 16);
	ck_assert_int_eq(cdr_rows(rows, 2), 1);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), 16);
	ck_assert_str_ne(rows[0].f[C_ANSWER], "");
	ck_assert_str_eq(rows[0].f[C_CALLER], "");
	ck_assert_str_eq(rows[0].f[C_CODEC], "");
	teardown();
}
END_TEST

/* 103: in-band progress is cut through to the caller before the answer,
 * one way only. */
START_TEST(call_early_media)
{
	struct call_info ci;
	struct call *c;

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 1, "103", "5550001",
				      TDM_PRES_ALLOWED),
			 0);
	run_for(100);
	c = only_call();
	call_get_info(c, &ci);
	/* early media flows (a late loop only delays it) */
	for (int i = 0; i < 40 && ci.state == CALL_ST_EARLY &&
			ci.frames_out_in <= 3;
	     i++) {
		run_for(20);
		call_get_info(c, &ci);
	}
	ck_assert_int_eq(ci.state, CALL_ST_EARLY);
	ck_assert_str_eq(chan_state(2), "progress");
	ck_assert_uint_gt(ci.frames_out_in, 3);
	ck_assert_uint_eq(ci.frames_in_out, 0);
	/* the sim answers 300 ms into the early media; a host that stole
	 * the CPU runs the loop late, so wait for the answer (2 s at most),
	 * then for audio both ways */
	for (int i = 0; i < 40 && ci.state != CALL_ST_ANSWERED; i++) {
		run_for(50);
		call_get_info(c, &ci);
	}
	ck_assert_int_eq(ci.state, CALL_ST_ANSWERED);
	run_for(200);
	call_get_info(c, &ci);
	ck_assert_uint_gt(ci.frames_in_out, 3);
	ck_assert_int_eq(tdm_sim_hangup(tdm, 2, 16), 0);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_int_eq(chan_cause(1), 16);
	teardown();
}
END_TEST

START_TEST(call_no_route)
{
	struct row rows[2];

	setup();
	/* 555 matches no route; 10 is too short for _10X */
	ck_assert_int_eq(tdm_sim_call(tdm, 3, _i ? "10" : "555", "7",
				      TDM_PRES_ALLOWED),
			 0);
	run_for(40);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_str_eq(chan_state(3), "idle");
	ck_assert_int_eq(chan_cause(3), 3);
	ck_assert_int_eq(cdr_rows(rows, 2), 1);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), 3);
	ck_assert_str_eq(rows[0].f[C_ROUTE], "");
	ck_assert_str_eq(rows[0].f[C_CALLEE], _i ? "10" : "555");
	teardown();
}
END_TEST

/* group 2 has one channel, taken: "no circuit" (34) moves the call to
 * group 1, where 100 answers. */
START_TEST(call_failover_no_circuit)
{
	struct tdm_chan *hold;
	struct call_info ci;
	struct row rows[2];

	setup();
	ck_assert_int_eq(tdm_seize(tdm, 2, TDM_HUNT_ASC, NULL, NULL, NULL,
				   &hold),
			 0);
	ck_assert_int_eq(tdm_sim_call(tdm, 1, "9100", "", TDM_PRES_ALLOWED),
			 0);
	run_for(300);
	call_get_info(only_call(), &ci);
	ck_assert_int_eq(ci.state, CALL_ST_ANSWERED);
	ck_assert_str_eq(ci.route, "over");
	ck_assert_str_eq(ci.target, "group:1");
	ck_assert_str_eq(ci.callee, "100");
	tdm_release(hold, 16);
	ck_assert_int_eq(tdm_sim_hangup(tdm, 1, 16), 0);
	ck_assert_int_eq(cdr_rows(rows, 2), 1);
	ck_assert_str_eq(rows[0].f[C_TARGET], "group:1");
	ck_assert_str_eq(rows[0].f[C_CALLEE], "100");
	teardown();
}
END_TEST

/* Failover on a released call: congestion (34, in the default list) and
 * busy (17, listed by the route) try every target, and the last one's
 * cause ends the call. */
START_TEST(call_failover_release)
{
	static const struct {
		const char *num, *callee, *caller;
		int cause;
	} t[] = {
		{ "9106", "106", "42", 34 },
		{ "8101", "101", "+142", 17 },
	};
	struct row rows[2];

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 3, t[_i].num, "42",
				      TDM_PRES_ALLOWED),
			 0);
	run_for(300);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_int_eq(chan_cause(3), t[_i].cause);
	/* both groups' channels were dialled */
	ck_assert_uint_eq(tdm_chan_find(tdm, 5)->calls, 1);
	ck_assert_uint_eq(tdm_chan_find(tdm, 1)->calls, 1);
	ck_assert_int_eq(cdr_rows(rows, 2), 1);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), t[_i].cause);
	ck_assert_str_eq(rows[0].f[C_CALLEE], t[_i].callee);
	ck_assert_str_eq(rows[0].f[C_CALLER], t[_i].caller);
	ck_assert_str_eq(rows[0].f[C_TARGET], _i ? "group:2" : "group:1");
	ck_assert_str_eq(rows[0].f[C_EGRESS],
			 _i ? "span:2/chan:5" : "span:1/chan:1");
	teardown();
}
END_TEST

static char *exec(const char *line, int want)
{
	struct buf out = { 0 };
	char *s;

	ck_assert_int_eq(ctl_exec(ctl, line, &out), want);
	s = strdup(buf_cstr(&out));
	buf_free(&out);
	return s;
}

START_TEST(call_ctl_hangup)
{
	struct row rows[2];
	char *s;

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 1, "100", "2125550100",
				      TDM_PRES_ALLOWED),
			 0);
	run_for(300);
	s = exec("show calls", 0);
	ck_assert_msg(strstr(s, "answered") && strstr(s, "span:1/chan:2") &&
			      strstr(s, "2125550100") && strstr(s, "local"),
		      "%s", s);
	free(s);
	s = exec("-j show calls", 0);
	ck_assert_msg(strstr(s, "\"calls\":[{\"id\":1,\"state\":\"answered\""),
		      "%s", s);
	free(s);
	s = exec("call hangup 7", -EINVAL);
	ck_assert_msg(strstr(s, "no call 7"), "%s", s);
	free(s);
	s = exec("call hangup x1", -EINVAL);
	free(s);
	s = exec("call hangup 1", 0);
	free(s);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_int_eq(chan_cause(1), 16);
	ck_assert_int_eq(chan_cause(2), 16);
	ck_assert_str_eq(chan_state(1), "idle");
	s = exec("-j show calls", 0);
	ck_assert_msg(strstr(s, "\"calls\":[]"), "%s", s);
	free(s);
	ck_assert_int_eq(cdr_rows(rows, 2), 1);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), 16);
	teardown();
}
END_TEST

/* [calls] max_calls: the call over the limit gets 34; freeing the core
 * ends the calls left with 41 and writes their CDRs. */
START_TEST(call_limits_and_close)
{
	struct call_limits l = { .max_calls = 1 };
	struct row rows[3];

	setup();
	call_core_set_limits(cc, &l);
	ck_assert_int_eq(tdm_sim_call(tdm, 1, "102", "", TDM_PRES_ALLOWED), 0);
	ck_assert_int_eq(tdm_sim_call(tdm, 3, "100", "", TDM_PRES_ALLOWED), 0);
	run_for(100);
	ck_assert_uint_eq(call_core_count(cc), 1);
	ck_assert_int_eq(chan_cause(3), 34);
	cc = mem_deref(cc);
	ck_assert_str_eq(chan_state(1), "idle");
	ck_assert_str_eq(chan_state(2), "idle");
	ck_assert_int_eq(chan_cause(1), 41);
	ck_assert_int_eq(cdr_rows(rows, 3), 2);
	ck_assert_int_eq(atoi(rows[0].f[C_CAUSE]), 34);
	ck_assert_int_eq(atoi(rows[1].f[C_CAUSE]), 41);
	teardown();
}
END_TEST

Suite *call_core_suite(void)
{
	Suite *s = suite_create("call_core");
	TCase *tc = tl_tcase(s, "pstn_to_pstn");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, call_release_causes, 0,
			    sizeof(beh) / sizeof(beh[0]));
	tcase_add_loop_test(tc, call_answered, 0, 2);
	tcase_add_test(tc, call_early_media);
	tcase_add_loop_test(tc, call_no_route, 0, 2);
	tcase_add_test(tc, call_failover_no_circuit);
	tcase_add_loop_test(tc, call_failover_release, 0, 2);
	tcase_add_test(tc, call_ctl_hangup);
	tcase_add_test(tc, call_limits_and_close);
	return s;
}
