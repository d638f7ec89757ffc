// SPDX-License-Identifier: GPL-2.0
/*
 * The FXS state machine's hook commands (tdm/analog.c) on a channel with
 * no backend: the commands are recorded instead of reaching DAHDI. The
 * line itself is tested on real DAHDI in tests/vm/t_dahdi_analog.sh and
 * tests/vm/t_call_dahdi.sh.
 */
#include <string.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../tdm/analog.h"
#include "../../tdm/core.h"
#include "../../tdm/dsp/dsp.h"
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

/*
 * FXO with answer supervision by polarity reversal (`polarity_answer`):
 * the port seizes, dials, and the call is answered only when the line
 * reverses; a second reversal is the far end hanging up. Looped DAHDI
 * spans have no polarity (DAHDI_SETPOLARITY exists only in card
 * drivers), so the state machine is tested here.
 */
static void dsp_h(const struct tdm_dsp_ev *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static void fxo_dial(struct rig *r, bool polarity_answer)
{
	struct tdm_dsp_params dp = { 0 };
	struct tdm_analog_params p;
	struct tdm_setup s = {.called = "5551234", .calling = "100"};

	r->loop = loop_new();
	ck_assert_ptr_nonnull(r->loop);
	r->t.loop = r->loop;
	r->sp.tdm = &r->t;
	r->sp.num = 1;
	r->sp.zone = tdm_dsp_zone_find("us");
	r->ch.span = &r->sp;
	r->ch.num = 13;
	dp.zone = r->sp.zone;
	dp.cid_std = TDM_DSP_CID_BELL;
	ck_assert_int_eq(tdm_dsp_alloc(&r->ch.dsp, &dp, dsp_h, NULL), 0);
	r->ch.st = TDM_CH_DIALING;
	tdm_analog_defaults(&p, false);
	p.polarity_answer = polarity_answer;
	p.dial_delay_ms = 10;
	ck_assert_int_eq(tdm_analog_alloc(&r->a, &r->ch, &p, hook_h, &r->hk),
			 0);
	ck_assert_int_eq(tdm_analog_dial(r->a, &s), 0);
	ck_assert_uint_eq(r->hk.n, 1);
	ck_assert_int_eq(r->hk.h[0], TDM_ANALOG_HOOK_OFF);
}

/* Run the loop until @state or 5 s. */
static bool wait_state(struct rig *r, const char *state)
{
	uint64_t end = loop_now_ms() + 5000;

	while (strcmp(tdm_analog_state_name(r->a), state) &&
	       loop_now_ms() < end)
		loop_poll(r->loop, 20);
	return !strcmp(tdm_analog_state_name(r->a), state);
}

static void fxo_free(struct rig *r)
{
	mem_deref(r->a);
	r->ch.dsp = mem_deref(r->ch.dsp);
	mem_deref(r->loop);
}

START_TEST(fxo_polarity_answer_and_disconnect)
{
	struct rig r = {0};

	fxo_dial(&r, true);
	/* dialled: progress (the caller hears the line), not answered */
	ck_assert(wait_state(&r, "wait-answer"));
	ck_assert_int_eq(r.ch.st, TDM_CH_PROGRESS);
	tdm_analog_line(r.a, TDM_ANALOG_POLARITY, 0);
	ck_assert_int_eq(r.ch.st, TDM_CH_UP);
	ck_assert_str_eq(tdm_analog_state_name(r.a), "up");
	/* reversed back: the far end hung up; we go on-hook */
	tdm_analog_line(r.a, TDM_ANALOG_POLARITY, 0);
	ck_assert_int_eq(r.ch.st, TDM_CH_IDLE);
	ck_assert_int_eq(r.ch.last_cause, TDM_CAUSE_NORMAL);
	ck_assert_str_eq(tdm_analog_state_name(r.a), "idle");
	ck_assert_uint_eq(r.hk.n, 2);
	ck_assert_int_eq(r.hk.h[1], TDM_ANALOG_HOOK_ON);
	fxo_free(&r);
}
END_TEST

/* Without answer supervision the call is up once dialled, and a
 * polarity reversal during it is still a disconnect. */
START_TEST(fxo_no_supervision_polarity_disconnects)
{
	struct rig r = {0};

	fxo_dial(&r, false);
	ck_assert(wait_state(&r, "up"));
	ck_assert_int_eq(r.ch.st, TDM_CH_UP);
	tdm_analog_line(r.a, TDM_ANALOG_POLARITY, 0);
	ck_assert_int_eq(r.ch.st, TDM_CH_IDLE);
	ck_assert_int_eq(r.hk.h[1], TDM_ANALOG_HOOK_ON);
	fxo_free(&r);
}
END_TEST

Suite *tdm_analog_suite(void)
{
	Suite *s = suite_create("tdm_analog");
	TCase *tc = tl_tcase(s, "fxs");

	tcase_add_test(tc, fxs_answer_stops_ringing);
	tcase_add_test(tc, fxs_cancel_stops_ringing);
	tc = tl_tcase(s, "fxo");
	tcase_add_test(tc, fxo_polarity_answer_and_disconnect);
	tcase_add_test(tc, fxo_no_supervision_polarity_disconnects);
	return s;
}
