// SPDX-License-Identifier: GPL-2.0
/*
 * The FXS state machine's hook commands (tdm/analog.c) on a channel with
 * no backend: the commands are recorded instead of reaching DAHDI. The
 * line itself is tested on real DAHDI in tests/vm/t_dahdi_analog.sh and
 * tests/vm/t_call_dahdi.sh.
 */
#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../tdm/analog.h"
#include "../../tdm/core.h"
#include "tl_check.h"

struct hooks {
	enum tdm_analog_hook h[8];
	unsigned n;
};

static int hook_h(enum tdm_analog_hook h, void *arg)
{
	struct hooks *hk = arg;

	if (hk->n < 8)
		hk->h[hk->n] = h;
	hk->n++;
	return 0;
}

struct rig {
	struct loop *loop;
	struct tdm t;
	struct tdm_span sp;
	struct tdm_chan ch;
	struct tdm_analog *a;
	struct hooks hk;
};

/* An FXS port ringing a phone for a call from 5551000. */
static void ring_phone(struct rig *r)
{
	struct tdm_analog_params p;
	struct tdm_setup s = {.called = "201",
			      .calling = "5551000",
			      .calling_name = "SIPP CALLER",
			      .pres = TDM_PRES_ALLOWED};

	r->loop = loop_new();
	ck_assert_ptr_nonnull(r->loop);
	r->t.loop = r->loop;
	r->sp.tdm = &r->t;
	r->sp.num = 1;
	r->sp.zone = tdm_dsp_zone_find("us");
	r->sp.dsp.cid_std = TDM_DSP_CID_BELL;
	r->ch.span = &r->sp;
	r->ch.num = 1;
	/* what tdm_dial() leaves before it calls the backend */
	r->ch.st = TDM_CH_DIALING;
	tdm_analog_defaults(&p, true);
	ck_assert_int_eq(tdm_analog_alloc(&r->a, &r->ch, &p, hook_h, &r->hk),
			 0);
	ck_assert_int_eq(tdm_analog_dial(r->a, &s), 0);
	/* the alerting event comes from a zero timer */
	loop_poll(r->loop, 0);
	ck_assert_uint_eq(r->hk.n, 1);
	ck_assert_int_eq(r->hk.h[0], TDM_ANALOG_HOOK_RING);
	ck_assert_int_eq(r->ch.st, TDM_CH_ALERTING);
	ck_assert_str_eq(tdm_analog_state_name(r->a), "ringing");
}

static void rig_free(struct rig *r)
{
	mem_deref(r->a);
	mem_deref(r->loop);
}

/* The phone lifts: the call is answered and the ringing stops. DAHDI
 * trips the ring itself only after a DAHDI_START, so without the
 * off-hook command an RBS channel rang the answered phone again. */
START_TEST(fxs_answer_stops_ringing)
{
	struct rig r = {0};

	ring_phone(&r);
	tdm_analog_line(r.a, TDM_ANALOG_OFFHOOK, 0);
	ck_assert_uint_eq(r.hk.n, 2);
	ck_assert_int_eq(r.hk.h[1], TDM_ANALOG_HOOK_OFF);
	ck_assert_int_eq(r.ch.st, TDM_CH_UP);
	ck_assert_str_eq(tdm_analog_state_name(r.a), "up");
	rig_free(&r);
}
END_TEST

/* The caller gives up before the phone lifts: the ringing stops and
 * the port is idle, with no off-hook. */
START_TEST(fxs_cancel_stops_ringing)
{
	struct rig r = {0};

	ring_phone(&r);
	tdm_analog_release(r.a, 16);
	ck_assert_uint_eq(r.hk.n, 2);
	ck_assert_int_eq(r.hk.h[1], TDM_ANALOG_HOOK_RINGOFF);
	ck_assert_str_eq(tdm_analog_state_name(r.a), "idle");
	rig_free(&r);
}
END_TEST

Suite *tdm_analog_suite(void)
{
	Suite *s = suite_create("tdm_analog");
	TCase *tc = tl_tcase(s, "fxs");

	tcase_add_test(tc, fxs_answer_stops_ringing);
	tcase_add_test(tc, fxs_cancel_stops_ringing);
	return s;
}
