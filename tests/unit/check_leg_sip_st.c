// SPDX-License-Identifier: GPL-2.0
/*
 * SIP leg session timers (RFC 4028) and our own re-INVITE/UPDATE with
 * glare (RFC 3261 14): the header parsers and the negotiation rules as
 * pure functions, then one SIP module on loopback calling itself through
 * [peer self] with a 2 s session interval: the refresher's UPDATEs keep
 * the call up, a refresher that falls silent has the other side end the
 * call with cause 102, a refresh answered 481 ends it from the refresher
 * with cause 102 as well, and two re-INVITEs crossing each other both get
 * 491 and both go through on the retry.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/call/leg_sip.h"
#include "../../gateway/call/leg_sip_priv.h"
#include "../../gateway/media/mediaconf.h"
#include "../../gateway/sip/module.h"
#include "../../gateway/sip/peer.h"
#include "../../gateway/sip/sipconf.h"
#include "leg_rig.h"
#include "tl_check.h"

/* --- pure functions ----------------------------------------------------- */

START_TEST(parse_session_expires)
{
	enum leg_sip_st_who r;
	uint32_t se;

	ck_assert_int_eq(leg_sip_st_parse_se(STRV("1800"), &se, &r), 0);
	ck_assert_uint_eq(se, 1800);
	ck_assert_int_eq(r, LEG_SIP_ST_NONE);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("90;refresher=uac"), &se,
					     &r), 0);
	ck_assert_uint_eq(se, 90);
	ck_assert_int_eq(r, LEG_SIP_ST_UAC);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV(" 4000 ; x=y;REFRESHER=UAS"),
					     &se, &r), 0);
	ck_assert_uint_eq(se, 4000);
	ck_assert_int_eq(r, LEG_SIP_ST_UAS);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("90;refresher=both"), &se,
					     &r), -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("abc"), &se, &r), -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("0"), &se, &r), -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("90x"), &se, &r), -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV(""), &se, &r), -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_se(STRV("99999999999"), &se, &r),
			 -EBADMSG);
	ck_assert_int_eq(leg_sip_st_parse_min_se(STRV("120"), &se), 0);
	ck_assert_uint_eq(se, 120);
	ck_assert_int_eq(leg_sip_st_parse_min_se(STRV("120;ext"), &se), 0);
	ck_assert_int_eq(leg_sip_st_parse_min_se(STRV("-1"), &se), -EBADMSG);
}
END_TEST

static struct sip_msg *parse(const char *hdrs)
{
	char text[1024];
	struct sip_msg *m = NULL;

	snprintf(text, sizeof(text),
		 "INVITE sip:100@127.0.0.1 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKst1\r\n"
		 "From: <sip:a@127.0.0.1>;tag=1\r\n"
		 "To: <sip:100@127.0.0.1>\r\n"
		 "Call-ID: st@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
		 "Max-Forwards: 70\r\n%sContent-Length: 0\r\n\r\n",
		 hdrs);
	ck_assert_int_eq(sip_msg_parse(&m, text, strlen(text), 0, NULL), 0);
	return m;
}

START_TEST(read_headers_long_and_compact)
{
	struct leg_sip_st_hdrs h;
	struct sip_msg *m;

	m = parse("Session-Expires: 90;refresher=uac\r\nMin-SE: 90\r\n"
		  "Supported: 100rel, timer\r\n");
	ck_assert_int_eq(leg_sip_st_read(m, &h), 0);
	ck_assert_uint_eq(h.se, 90);
	ck_assert_int_eq(h.refresher, LEG_SIP_ST_UAC);
	ck_assert_uint_eq(h.min_se, 90);
	ck_assert(h.timer);
	mem_deref(m);

	/* x and k are the compact forms (RFC 4028 4, RFC 3261 20.37) */
	m = parse("x: 300;refresher=uas\r\nk: timer\r\n");
	ck_assert_int_eq(leg_sip_st_read(m, &h), 0);
	ck_assert_uint_eq(h.se, 300);
	ck_assert_int_eq(h.refresher, LEG_SIP_ST_UAS);
	ck_assert_uint_eq(h.min_se, 0);
	ck_assert(h.timer);
	mem_deref(m);

	m = parse("Require: timer\r\n");
	ck_assert_int_eq(leg_sip_st_read(m, &h), 0);
	ck_assert_uint_eq(h.se, 0);
	ck_assert(h.timer);
	mem_deref(m);

	m = parse("Session-Expires: soon\r\n");
	ck_assert_int_eq(leg_sip_st_read(m, &h), -EBADMSG);
	mem_deref(m);
}
END_TEST

START_TEST(uas_rules)
{
	struct leg_sip_st_hdrs rq = { 0 };
	struct leg_sip_st_ans a;

	/* below our minimum: 422 naming the larger of both minimums */
	rq = (struct leg_sip_st_hdrs){ .se = 60, .min_se = 60, .timer = true };
	leg_sip_st_uas_decide(&rq, 0, 90, &a);
	ck_assert_uint_eq(a.reject, 422);
	ck_assert_uint_eq(a.min_se, 90);

	/* asked with its refresher: copied, Require: timer */
	rq = (struct leg_sip_st_hdrs){ .se = 1800, .refresher = LEG_SIP_ST_UAS,
				       .timer = true };
	leg_sip_st_uas_decide(&rq, 0, 90, &a);
	ck_assert_uint_eq(a.reject, 0);
	ck_assert_uint_eq(a.se, 1800);
	ck_assert_int_eq(a.refresher, LEG_SIP_ST_UAS);
	ck_assert(a.require);

	/* no refresher asked for: the UAC, which supports timers */
	rq.refresher = LEG_SIP_ST_NONE;
	leg_sip_st_uas_decide(&rq, 0, 90, &a);
	ck_assert_int_eq(a.refresher, LEG_SIP_ST_UAC);

	/* our policy shortens, never below the request's Min-SE */
	rq.min_se = 600;
	leg_sip_st_uas_decide(&rq, 300, 90, &a);
	ck_assert_uint_eq(a.se, 600);
	rq.min_se = 0;
	leg_sip_st_uas_decide(&rq, 300, 90, &a);
	ck_assert_uint_eq(a.se, 300);
	/* nor lengthens */
	leg_sip_st_uas_decide(&rq, 3600, 90, &a);
	ck_assert_uint_eq(a.se, 1800);

	/* a proxy asked, the UAC has no timer support: we refresh, no
	 * Require */
	rq = (struct leg_sip_st_hdrs){ .se = 1800,
				       .refresher = LEG_SIP_ST_UAC };
	leg_sip_st_uas_decide(&rq, 0, 90, &a);
	ck_assert_int_eq(a.refresher, LEG_SIP_ST_UAS);
	ck_assert(!a.require);

	/* nobody asked and we do not want one: no timer */
	rq = (struct leg_sip_st_hdrs){ .timer = true };
	leg_sip_st_uas_decide(&rq, 0, 90, &a);
	ck_assert_uint_eq(a.se, 0);
	ck_assert_uint_eq(a.reject, 0);

	/* nobody asked, the policy wants 1800: we add it */
	leg_sip_st_uas_decide(&rq, 1800, 90, &a);
	ck_assert_uint_eq(a.se, 1800);
	ck_assert_int_eq(a.refresher, LEG_SIP_ST_UAC);
	ck_assert(a.require);
	rq.timer = false;
	rq.min_se = 2000;
	leg_sip_st_uas_decide(&rq, 1800, 90, &a);
	ck_assert_uint_eq(a.se, 2000);
	ck_assert_int_eq(a.refresher, LEG_SIP_ST_UAS);
	ck_assert(!a.require);
}
END_TEST

START_TEST(uac_rules_and_times)
{
	struct leg_sip_st_hdrs rs = { .se = 1800,
				      .refresher = LEG_SIP_ST_UAC };
	uint32_t se;
	bool we;

	leg_sip_st_uac_decide(&rs, &se, &we);
	ck_assert_uint_eq(se, 1800);
	ck_assert(we);
	rs.refresher = LEG_SIP_ST_UAS;
	leg_sip_st_uac_decide(&rs, &se, &we);
	ck_assert(!we);
	/* no refresher: ours to choose, and we do */
	rs.refresher = LEG_SIP_ST_NONE;
	leg_sip_st_uac_decide(&rs, &se, &we);
	ck_assert(we);
	/* no Session-Expires in the 2xx: no expiry at all */
	rs.se = 0;
	leg_sip_st_uac_decide(&rs, &se, &we);
	ck_assert_uint_eq(se, 0);
	ck_assert(!we);

	ck_assert_uint_eq(leg_sip_st_refresh_ms(90), 45000);
	/* 10: interval minus min(32 s, interval / 3) */
	ck_assert_uint_eq(leg_sip_st_expiry_ms(90), 60000);
	ck_assert_uint_eq(leg_sip_st_expiry_ms(1800), 1768000);
	ck_assert_uint_eq(leg_sip_st_expiry_ms(6), 4000);
}
END_TEST

START_TEST(glare_waits)
{
	/* 14.1: owner of the Call-ID 2.1-4 s, the other 0-2 s, 10 ms steps */
	for (uint32_t r = 0; r < 5000; r += 7) {
		uint32_t a = leg_sip_glare_ms(true, r * 2654435761u);
		uint32_t b = leg_sip_glare_ms(false, r * 2654435761u);

		ck_assert_uint_ge(a, 2100);
		ck_assert_uint_le(a, 4000);
		ck_assert_uint_eq(a % 10, 0);
		ck_assert_uint_le(b, 2000);
		ck_assert_uint_eq(b % 10, 0);
	}
	ck_assert_uint_eq(leg_sip_glare_ms(true, 190), 4000);
	ck_assert_uint_eq(leg_sip_glare_ms(false, 200), 2000);
	ck_assert_uint_eq(leg_sip_glare_ms(false, 201), 0);
}
END_TEST

/* --- two legs on loopback ---------------------------------------------- */

#define MAXEV 16

struct side {
	struct call_leg *leg;
	enum call_leg_ev_type ev[MAXEV];
	int cause[MAXEV];
	size_t nev;
	unsigned reinv_ok, reinv_fail;
};

static struct {
	struct loop *loop;
	struct conf *conf;
	struct sip_mod *sm;
	struct side out, in;
} T;

static void record(struct side *s, const struct call_leg_ev *ev)
{
	ck_assert_uint_lt(s->nev, MAXEV);
	s->cause[s->nev] = ev->cause;
	s->ev[s->nev++] = ev->type;
}

static void out_h(struct call_leg *leg, const struct call_leg_ev *ev,
		  void *arg)
{
	(void)leg;
	(void)arg;
	record(&T.out, ev);
}

static void in_h(struct call_leg *leg, const struct call_leg_ev *ev,
		 void *arg)
{
	(void)leg;
	(void)arg;
	record(&T.in, ev);
}

static void newcall(struct call_leg *leg, const struct call_leg_ev *ev,
		    void *arg)
{
	(void)arg;
	ck_assert_int_eq(ev->type, CALL_LEG_SETUP);
	T.in.leg = mem_ref(leg);
	call_leg_bind(leg, in_h, NULL, NULL);
}

static int find(const struct side *s, enum call_leg_ev_type type)
{
	for (size_t i = 0; i < s->nev; i++)
		if (s->ev[i] == type)
			return (int)i;
	return -1;
}

/* Run the loop until @s has seen @type or @ms pass. */
static bool wait_ev(struct side *s, enum call_leg_ev_type type, unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end) {
		if (find(s, type) >= 0)
			return true;
		loop_poll(T.loop, 10);
	}
	return find(s, type) >= 0;
}

static void spin(unsigned ms)
{
	leg_rig_spin(T.loop, ms);
}

static struct leg_sip *ls_of(struct call_leg *leg)
{
	return (struct leg_sip *)leg;
}

static void setup(void)
{
	static const struct conf_sect_def *const defs[] = {
		&sip_conf_sect, &sip_peer_conf_sect, &media_conf_sect, NULL
	};
	unsigned port = 21001 + (unsigned)getpid() % 8000 * 2;
	unsigned rtp = 42000 + (unsigned)getpid() % 1000 * 20;
	struct conf_errs errs;
	char text[512];

	memset(&T, 0, sizeof(T));
	snprintf(text, sizeof(text),
		 "[sip]\nlisten = udp:127.0.0.1:%u\nt1 = 50ms\nt2 = 500ms\n"
		 "t4 = 500ms\nsession_min_se = 2\n"
		 "[media]\nrtp_port_min = %u\nrtp_port_max = %u\n"
		 "[peer self]\naddress = 127.0.0.1:%u\nsession_timer = 90\n",
		 port, rtp, rtp + 19, port);
	conf_errs_init(&errs);
	T.loop = loop_new();
	ck_assert_ptr_nonnull(T.loop);
	ck_assert_int_eq(conf_load_str("st.conf", text, defs, &T.conf, &errs),
			 0);
	ck_assert_int_eq(sip_mod_alloc(&T.sm, T.loop, T.conf), 0);
	call_leg_sip_listen(newcall, NULL);
}

static void teardown(void)
{
	call_leg_sip_listen(NULL, NULL);
	mem_deref(T.out.leg);
	mem_deref(T.in.leg);
	spin(150);
	mem_deref(T.sm);
	mem_deref(T.conf);
	mem_deref(T.loop);
}

/* A call from [peer self] to itself asking for @se seconds, answered. */
static void call_up(uint32_t se)
{
	struct call_leg_setup s = { 0 };

	snprintf(s.called.num.digits, sizeof(s.called.num.digits), "100");
	snprintf(s.calling.num.digits, sizeof(s.calling.num.digits), "555");
	s.calling.pres = CALL_PRES_ALLOWED;
	ck_assert_int_eq(call_leg_sip_new(&T.out.leg, "self", T.sm), 0);
	call_leg_bind(T.out.leg, out_h, NULL, NULL);
	/* below the 90 s a [peer] may say: what session_min_se allows */
	ls_of(T.out.leg)->st.req_se = se;
	ck_assert_int_eq(T.out.leg->ops->dial(T.out.leg, &s), 0);
	for (unsigned i = 0; i < 300 && !T.in.leg; i++)
		loop_poll(T.loop, 10);
	ck_assert_ptr_nonnull(T.in.leg);
	ck_assert_int_eq(T.in.leg->ops->answer(T.in.leg), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ANSWER, 3000));
	spin(100); /* the ACK */
	ck_assert_int_eq(ls_of(T.in.leg)->state, LEG_SIP_CONFIRMED);
}

START_TEST(refresher_keeps_the_call_up)
{
	struct leg_sip *out, *in;

	setup();
	call_up(2);
	out = ls_of(T.out.leg);
	in = ls_of(T.in.leg);
	/* the UAC supports timers and named no refresher: it refreshes */
	ck_assert_uint_eq(out->st.se, 2);
	ck_assert_uint_eq(in->st.se, 2);
	ck_assert(out->st.refresher);
	ck_assert(!in->st.refresher);
	ck_assert(out->st.peer_update);
	/* three intervals: without the UPDATEs the UAS would end the call
	 * after 1.33 s */
	spin(6000);
	ck_assert_int_eq(find(&T.in, CALL_LEG_RELEASE), -1);
	ck_assert_int_eq(find(&T.out, CALL_LEG_RELEASE), -1);
	ck_assert(tmr_running(&out->st.tmr));
	ck_assert(tmr_running(&in->st.tmr));
	ck_assert_int_eq(out->state, LEG_SIP_CONFIRMED);
	/* hang up: every timer goes with the legs (tl_tcase counts leaks) */
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(!tmr_running(&out->st.tmr));
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE, 3000));
	ck_assert(!tmr_running(&in->st.tmr));
	teardown();
}
END_TEST

START_TEST(silent_refresher_gets_bye_102)
{
	struct leg_sip *out;
	int i;

	setup();
	call_up(3);
	out = ls_of(T.out.leg);
	ck_assert(out->st.refresher);
	/* the refresher falls silent: the UAS gives up after 2 s (3 s
	 * minus a third), BYE with Reason cause 102 */
	tmr_cancel(&out->st.tmr);
	spin(1500);
	ck_assert_int_eq(find(&T.in, CALL_LEG_RELEASE), -1);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE, 3000));
	i = find(&T.in, CALL_LEG_RELEASE);
	ck_assert_int_eq(T.in.cause[i], 102);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE, 3000));
	i = find(&T.out, CALL_LEG_RELEASE);
	ck_assert_int_eq(T.out.cause[i], 102);
	teardown();
}
END_TEST

START_TEST(refresh_481_ends_the_call)
{
	struct leg_sip *out, *in;
	int i;

	setup();
	call_up(3);
	out = ls_of(T.out.leg);
	in = ls_of(T.in.leg);
	ck_assert(out->st.refresher);
	/* the far end forgets the dialog: the module answers 481 to the
	 * refresh (and the UAS's own expiry is out of the way) */
	sip_mod_dlg_del(&in->md);
	tmr_cancel(&in->st.tmr);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE, 4000));
	i = find(&T.out, CALL_LEG_RELEASE);
	ck_assert_int_eq(T.out.cause[i], 102);
	ck_assert(!tmr_running(&out->st.tmr));
	ck_assert(!out->reinv.busy);
	teardown();
}
END_TEST

static void reinv_done(struct leg_sip *ls, uint16_t scode,
		       const struct sip_msg *resp)
{
	struct side *s = ls == ls_of(T.out.leg) ? &T.out : &T.in;

	(void)resp;
	if (scode >= 200 && scode < 300)
		s->reinv_ok++;
	else
		s->reinv_fail++;
}

START_TEST(glare_both_491_then_both_succeed)
{
	struct leg_sip *out, *in;
	uint64_t end;

	setup();
	call_up(600);
	out = ls_of(T.out.leg);
	in = ls_of(T.in.leg);
	/* both re-INVITE with SDP at once: each is answered 491 (14.2) */
	ck_assert_int_eq(leg_sip_reinvite(out, false, true, reinv_done), 0);
	ck_assert_int_eq(leg_sip_reinvite(in, false, true, reinv_done), 0);
	ck_assert_int_eq(leg_sip_reinvite(in, true, false, reinv_done),
			 -EBUSY);
	end = loop_now_ms() + 1000;
	while (loop_now_ms() < end && (out->reinv.glare < 1 ||
				       in->reinv.glare < 1))
		loop_poll(T.loop, 10);
	ck_assert_uint_eq(out->reinv.glare, 1);
	ck_assert_uint_eq(in->reinv.glare, 1);
	/* retries: the UAS within 2 s, the Call-ID's owner after 2.1 s */
	end = loop_now_ms() + 8000;
	while (loop_now_ms() < end && (T.out.reinv_ok < 1 ||
				       T.in.reinv_ok < 1))
		loop_poll(T.loop, 10);
	ck_assert_uint_eq(T.in.reinv_ok, 1);
	ck_assert_uint_eq(T.out.reinv_ok, 1);
	ck_assert_uint_eq(T.in.reinv_fail + T.out.reinv_fail, 0);
	ck_assert(!out->reinv.busy && !in->reinv.busy);
	ck_assert_int_eq(find(&T.in, CALL_LEG_RELEASE), -1);
	/* each side took the other's answer */
	ck_assert_int_ge(find(&T.out, CALL_LEG_MEDIA), 0);
	ck_assert_int_ge(find(&T.in, CALL_LEG_MEDIA), 0);
	T.in.leg->ops->release(T.in.leg, 16);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE, 3000));
	teardown();
}
END_TEST

Suite *leg_sip_st_suite(void)
{
	Suite *s = suite_create("leg_sip_st");
	TCase *tc = tl_tcase(s, "parse");
	TCase *tl = tl_tcase(s, "loop");

	tcase_add_test(tc, parse_session_expires);
	tcase_add_test(tc, read_headers_long_and_compact);
	tcase_add_test(tc, uas_rules);
	tcase_add_test(tc, uac_rules_and_times);
	tcase_add_test(tc, glare_waits);
	tcase_set_timeout(tl, 60);
	tcase_add_test(tl, refresher_keeps_the_call_up);
	tcase_add_test(tl, silent_refresher_gets_bye_102);
	tcase_add_test(tl, refresh_481_ends_the_call);
	tcase_add_test(tl, glare_both_491_then_both_succeed);
	return s;
}
