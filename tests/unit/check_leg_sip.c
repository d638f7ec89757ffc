// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/call SIP leg: one SIP module instance on loopback calls itself
 * through [peer self]: a UAC leg places the call, the module's INVITE
 * handler makes the UAS leg, and the test plays the call core on both
 * sides. Real sockets, real loop, T1 = 50 ms.
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

struct t {
	struct loop *loop;
	struct conf *conf;
	struct sip_mod *sm;
	struct leg_side out, in;
	struct call_leg_setup in_setup;
	bool refuse; /* do not take incoming calls */
};

static struct t T;

static void out_h(struct call_leg *leg, const struct call_leg_ev *ev,
		  void *arg)
{
	(void)leg;
	leg_side_record(&((struct t *)arg)->out, ev);
}

static void in_h(struct call_leg *leg, const struct call_leg_ev *ev,
		 void *arg)
{
	(void)leg;
	leg_side_record(&((struct t *)arg)->in, ev);
}

static void newcall(struct call_leg *leg, const struct call_leg_ev *ev,
		    void *arg)
{
	struct t *t = arg;

	ck_assert_int_eq(ev->type, CALL_LEG_SETUP);
	ck_assert_ptr_nonnull(ev->setup);
	t->in_setup = *ev->setup;
	if (t->refuse)
		return;
	ck_assert_ptr_null(t->in.leg);
	t->in.leg = mem_ref(leg);
	call_leg_bind(leg, in_h, NULL, t);
	leg_side_record(&t->in, ev);
}

static bool wait_ev(struct leg_side *s, enum call_leg_ev_type type)
{
	return leg_side_wait(T.loop, s, type, 3000);
}

static void spin(unsigned ms)
{
	leg_rig_spin(T.loop, ms);
}

static void setup(const char *peer_extra)
{
	static const struct conf_sect_def *const defs[] = {
		&sip_conf_sect, &sip_peer_conf_sect, &media_conf_sect, NULL
	};
	unsigned port = 21000 + (unsigned)getpid() % 8000 * 2;
	unsigned rtp = 32000 + (unsigned)getpid() % 1000 * 20;
	struct conf_errs errs;
	char text[1024];

	memset(&T, 0, sizeof(T));
	snprintf(text, sizeof(text),
		 "[sip]\nlisten = udp:127.0.0.1:%u\nt1 = 50ms\nt2 = 500ms\n"
		 "t4 = 500ms\n"
		 "[media]\nrtp_port_min = %u\nrtp_port_max = %u\n"
		 "[peer self]\naddress = 127.0.0.1:%u\n%s\n",
		 port, rtp, rtp + 19, port, peer_extra ? peer_extra : "");
	conf_errs_init(&errs);
	T.loop = loop_new();
	ck_assert_ptr_nonnull(T.loop);
	if (conf_load_str("leg.conf", text, defs, &T.conf, &errs)) {
		const struct conf_err *e = errs.l.head ? errs.l.head->data :
							 NULL;

		ck_abort_msg("config: %s", e ? e->msg : "?");
	}
	ck_assert_int_eq(sip_mod_alloc(&T.sm, T.loop, T.conf), 0);
	call_leg_sip_listen(newcall, &T);
}

static void teardown(void)
{
	call_leg_sip_listen(NULL, NULL);
	mem_deref(T.out.leg);
	mem_deref(T.in.leg);
	/* let the last transactions (ACK, 200 to BYE) run */
	spin(150);
	mem_deref(T.sm);
	mem_deref(T.conf);
	mem_deref(T.loop);
}

static void dial(const char *called, const char *calling, bool hidden)
{
	struct call_leg_setup s = { 0 };

	snprintf(s.called.num.digits, sizeof(s.called.num.digits), "%s",
		 called);
	snprintf(s.calling.num.digits, sizeof(s.calling.num.digits), "%s",
		 calling);
	snprintf(s.calling.name, sizeof(s.calling.name), "Alice");
	s.calling.pres = hidden ? CALL_PRES_RESTRICTED : CALL_PRES_ALLOWED;
	ck_assert_int_eq(call_leg_sip_new(&T.out.leg, "self", T.sm), 0);
	ck_assert_str_eq(T.out.leg->ops->kind, "sip");
	call_leg_bind(T.out.leg, out_h, NULL, &T);
	ck_assert_int_eq(T.out.leg->ops->dial(T.out.leg, &s), 0);
	ck_assert(wait_ev(&T.in, CALL_LEG_SETUP));
}

START_TEST(call_answer_bye_from_uac)
{
	const struct call_leg_ev *ev;

	setup(NULL);
	dial("100", "5551234", false);
	ck_assert_str_eq(T.in_setup.called.num.digits, "100");
	ck_assert_str_eq(T.in_setup.calling.num.digits, "5551234");
	ck_assert_int_eq(T.in_setup.calling.pres, CALL_PRES_ALLOWED);
	ck_assert_str_eq(T.in_setup.ingress, "peer:self");
	ck_assert_str_eq(T.in.leg->id, T.out.leg->id);

	ck_assert_int_eq(T.in.leg->ops->alerting(T.in.leg, false), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ALERTING));
	ev = leg_side_find(&T.out, CALL_LEG_ALERTING);
	ck_assert_uint_eq(ev->sip_status, 180);
	ck_assert(!ev->inband);

	ck_assert_int_eq(T.in.leg->ops->answer(T.in.leg), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ANSWER));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_ANSWER)->sip_status, 200);
	ck_assert_ptr_nonnull(T.out.leg->ops->stream(T.out.leg));
	ck_assert_ptr_nonnull(T.in.leg->ops->stream(T.in.leg));
	spin(100); /* the ACK */

	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	ck_assert_int_eq(leg_side_find(&T.in, CALL_LEG_RELEASE)->cause, 16);
	ck_assert(!leg_side_find(&T.out, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

START_TEST(early_media_then_bye_from_uas)
{
	const struct call_leg_ev *ev;
	struct call_leg_stats st;

	setup(NULL);
	dial("103", "5551234", false);
	ck_assert_int_eq(T.in.leg->ops->progress(T.in.leg, true), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_PROGRESS));
	ev = leg_side_find(&T.out, CALL_LEG_PROGRESS);
	ck_assert_uint_eq(ev->sip_status, 183);
	ck_assert(ev->inband); /* 183 with SDP */
	ck_assert_int_eq(T.in.leg->ops->answer(T.in.leg), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ANSWER));
	spin(100);
	T.out.leg->ops->stats(T.out.leg, &st);
	ck_assert_str_eq(st.codec, "PCMU");

	T.in.leg->ops->release(T.in.leg, 17);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	/* BYE's Reason carries the cause across */
	ck_assert_int_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->cause, 17);
	teardown();
}
END_TEST

START_TEST(busy_with_reason)
{
	const struct call_leg_ev *ev;

	setup(NULL);
	dial("101", "5551234", false);
	T.in.leg->ops->release(T.in.leg, 17);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ev = leg_side_find(&T.out, CALL_LEG_RELEASE);
	ck_assert_uint_eq(ev->sip_status, 486);
	ck_assert_int_eq(ev->cause, 17);
	teardown();
}
END_TEST

START_TEST(cause_without_rfc_status_round_trips)
{
	const struct call_leg_ev *ev;

	setup(NULL);
	dial("106", "5551234", false);
	/* 34 -> 503 (with Retry-After); the Reason gives 34 back, where
	 * RFC 3398 alone would map 503 to 41 */
	T.in.leg->ops->release(T.in.leg, 34);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ev = leg_side_find(&T.out, CALL_LEG_RELEASE);
	ck_assert_uint_eq(ev->sip_status, 503);
	ck_assert_int_eq(ev->cause, 34);
	teardown();
}
END_TEST

START_TEST(cancel_before_answer)
{
	const struct call_leg_ev *ev;

	setup(NULL);
	dial("102", "5551234", false);
	ck_assert_int_eq(T.in.leg->ops->alerting(T.in.leg, false), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ALERTING));
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	ev = leg_side_find(&T.in, CALL_LEG_RELEASE);
	ck_assert_uint_eq(ev->sip_status, 487);
	ck_assert_int_eq(ev->cause, 16);
	spin(200); /* the 487 reaches the UAC and is ACKed */
	ck_assert(!leg_side_find(&T.out, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

START_TEST(hidden_caller)
{
	setup(NULL);
	dial("100", "5551234", true);
	ck_assert_int_eq(T.in_setup.calling.pres, CALL_PRES_RESTRICTED);
	/* P-Asserted-Identity still carries the number (RFC 3325) */
	ck_assert_str_eq(T.in_setup.calling.num.digits, "5551234");
	T.in.leg->ops->release(T.in.leg, 21);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->sip_status, 403);
	teardown();
}
END_TEST

/* A call without a called number (an analog line with no DID) goes to
 * the peer's own URI, not to the invalid "sip:@host". */
START_TEST(no_called_number)
{
	setup(NULL);
	dial("", "5551234", false);
	ck_assert_str_eq(T.in_setup.called.num.digits, "");
	ck_assert_str_eq(T.in_setup.calling.num.digits, "5551234");
	T.in.leg->ops->release(T.in.leg, 16);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

START_TEST(nobody_takes_the_call)
{
	setup(NULL);
	T.refuse = true;
	ck_assert_int_eq(call_leg_sip_new(&T.out.leg, "self", T.sm), 0);
	call_leg_bind(T.out.leg, out_h, NULL, &T);
	{
		struct call_leg_setup s = { 0 };

		strcpy(s.called.num.digits, "100");
		ck_assert_int_eq(T.out.leg->ops->dial(T.out.leg, &s), 0);
	}
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->sip_status, 403);
	ck_assert_int_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->cause, 21);
	teardown();
}
END_TEST

START_TEST(unknown_peer_is_enoent)
{
	struct call_leg *leg = NULL;

	setup(NULL);
	ck_assert_int_eq(call_leg_sip_new(&leg, "nope", T.sm), -ENOENT);
	ck_assert_ptr_null(leg);
	teardown();
}
END_TEST

/* RFC 3262: our UAC says Supported: 100rel, so our UAS sends the 183
 * reliably; its 200 waits for the PRACK, which the UAC sends at once. */
START_TEST(reliable_183_then_answer)
{
	struct leg_sip *in;

	setup(NULL);
	dial("103", "5551234", false);
	in = (struct leg_sip *)T.in.leg;
	ck_assert(in->rel.use);
	ck_assert_int_eq(T.in.leg->ops->progress(T.in.leg, true), 0);
	ck_assert(in->rel.open);
	/* asked before the PRACK: held back until it comes */
	ck_assert_int_eq(T.in.leg->ops->answer(T.in.leg), 0);
	ck_assert(in->rel.answer);
	ck_assert(wait_ev(&T.out, CALL_LEG_PROGRESS));
	ck_assert(leg_side_find(&T.out, CALL_LEG_PROGRESS)->inband);
	ck_assert(wait_ev(&T.out, CALL_LEG_ANSWER));
	ck_assert(!in->rel.open);
	ck_assert(!in->rel.answer);
	spin(100);
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

/* A 180 while the reliable 183 waits for its PRACK goes out after it. */
START_TEST(reliable_provisionals_one_at_a_time)
{
	struct leg_sip *in;
	uint32_t rseq;

	setup(NULL);
	dial("103", "5551234", false);
	in = (struct leg_sip *)T.in.leg;
	ck_assert_int_eq(T.in.leg->ops->progress(T.in.leg, true), 0);
	rseq = in->rel.rseq;
	ck_assert_int_eq(T.in.leg->ops->alerting(T.in.leg, false), 0);
	ck_assert_uint_eq(in->rel.rseq, rseq);
	ck_assert_uint_eq(in->rel.next, 180);
	ck_assert(wait_ev(&T.out, CALL_LEG_ALERTING));
	ck_assert(leg_side_find(&T.out, CALL_LEG_PROGRESS));
	ck_assert_uint_eq(in->rel.rseq, rseq + 1);
	spin(100);
	ck_assert(!in->rel.open);
	T.in.leg->ops->release(T.in.leg, 17);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_int_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->cause, 17);
	teardown();
}
END_TEST

/* 100rel = off: provisionals go unreliably, and an INVITE that requires
 * 100rel would get 420. */
START_TEST(rel100_off_is_unreliable)
{
	setup("100rel = off");
	dial("103", "5551234", false);
	ck_assert(!((struct leg_sip *)T.in.leg)->rel.use);
	ck_assert_int_eq(T.in.leg->ops->progress(T.in.leg, true), 0);
	ck_assert(!((struct leg_sip *)T.in.leg)->rel.open);
	ck_assert(wait_ev(&T.out, CALL_LEG_PROGRESS));
	T.in.leg->ops->release(T.in.leg, 34);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_int_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->cause, 34);
	teardown();
}
END_TEST

/* RFC 3326: the CANCEL carries the cause, and the UAS reads it back. */
START_TEST(cancel_carries_reason)
{
	setup(NULL);
	dial("102", "5551234", false);
	ck_assert_int_eq(T.in.leg->ops->alerting(T.in.leg, false), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ALERTING));
	T.out.leg->ops->release(T.out.leg, 31);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.in, CALL_LEG_RELEASE)->sip_status, 487);
	ck_assert_int_eq(leg_side_find(&T.in, CALL_LEG_RELEASE)->cause, 31);
	spin(200);
	teardown();
}
END_TEST

START_TEST(rack_values)
{
	uint32_t rs, cs;
	struct strv m;

	ck_assert_int_eq(leg_sip_rack_parse(STRV("3000 1 INVITE"), &rs, &cs,
					    &m), 0);
	ck_assert_uint_eq(rs, 3000);
	ck_assert_uint_eq(cs, 1);
	ck_assert(strv_eq(m, STRV("INVITE")));
	ck_assert_int_eq(leg_sip_rack_parse(STRV(" 4294967295\t7  INVITE "),
					    &rs, &cs, &m), 0);
	ck_assert_uint_eq(rs, 4294967295u);
	ck_assert_uint_eq(cs, 7);
	ck_assert(strv_eq(m, STRV("INVITE")));
	ck_assert_int_eq(leg_sip_rack_parse(STRV("4294967296 1 INVITE"), &rs,
					    &cs, &m), -EBADMSG);
	ck_assert_int_eq(leg_sip_rack_parse(STRV("1 INVITE"), &rs, &cs, &m),
			 -EBADMSG);
	ck_assert_int_eq(leg_sip_rack_parse(STRV("1 2 INVITE x"), &rs, &cs,
					    &m), -EBADMSG);
	ck_assert_int_eq(leg_sip_rack_parse(STRV("x 2 INVITE"), &rs, &cs, &m),
			 -EBADMSG);
	ck_assert_int_eq(leg_sip_rack_parse(STRV(""), &rs, &cs, &m),
			 -EBADMSG);
	ck_assert_int_eq(leg_sip_rack_parse((struct strv){ NULL, 0 }, &rs,
					    &cs, &m), -EBADMSG);
}
END_TEST

Suite *leg_sip_suite(void)
{
	Suite *s = suite_create("leg_sip");
	TCase *tc = tl_tcase(s, "call");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, call_answer_bye_from_uac);
	tcase_add_test(tc, early_media_then_bye_from_uas);
	tcase_add_test(tc, busy_with_reason);
	tcase_add_test(tc, cause_without_rfc_status_round_trips);
	tcase_add_test(tc, cancel_before_answer);
	tcase_add_test(tc, hidden_caller);
	tcase_add_test(tc, no_called_number);
	tcase_add_test(tc, nobody_takes_the_call);
	tcase_add_test(tc, unknown_peer_is_enoent);
	tcase_add_test(tc, reliable_183_then_answer);
	tcase_add_test(tc, reliable_provisionals_one_at_a_time);
	tcase_add_test(tc, rel100_off_is_unreliable);
	tcase_add_test(tc, cancel_carries_reason);
	tcase_add_test(tc, rack_values);
	return s;
}
