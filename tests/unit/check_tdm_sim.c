// SPDX-License-Identifier: GPL-2.0
/*
 * tdm with the sim backend: each scripted far-end behaviour gives its
 * exact event sequence and cause, on the real event loop and the real
 * 20 ms clock; audio goes both ways (an echo call returns our audio, a
 * tone call delivers 1004 Hz); hunting; incoming calls; the module's
 * control commands.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/conf.h"
#include "../../gateway/ctl/ctl.h"
#include "../../tdm/module.h"
#include "../../tdm/sim.h"
#include "../../tdm/tdm.h"
#include "tl_check.h"
#include "../lib/goertzel.h"

static const char conf_text[] =
	"[tdm]\n"
	"tone_zone = us\n"
	"[span 1]\n"
	"channels = 1-4\n"
	"group = 1\n"
	"echo_cancel = no\n"
	"[span 2]\n"
	"channels = 5-6\n"
	"group = 1, 2\n"
	"echo_cancel = no\n"
	"[sim]\n"
	"alert_delay = 20ms\n"
	"answer_delay = 100ms\n"
	"number = 600 echo\n"
	"number = 601 busy\n"
	"number = 602 noanswer\n"
	"number = 603 early 300\n"
	"number = 604 tone\n"
	"number = 605 unallocated\n"
	"number = 606 congestion\n";

struct rec {
	enum tdm_ev_type ev[16];
	int cause[16];
	bool inband[16];
	int n;
	struct tdm_setup setup;
	struct tdm_chan *ch;
	bool answer_incoming;
	int frames;	   /* received after the last event */
	double p_f1, p_all; /* power at the measured frequency, and all */
	double meas_hz;
	double send_hz; /* we send this tone on every frame; 0: nothing */
	double phase;
};

static struct loop *loop;
static struct conf *conf;
static struct tdm *tdm;

static void on_audio(struct tdm_chan *ch, const int16_t *f, void *arg);

static void on_ev(struct tdm_chan *ch, const struct tdm_ev *ev, void *arg)
{
	struct rec *r = arg;

	if (r->n < 16) {
		r->ev[r->n] = ev->type;
		r->cause[r->n] = ev->cause;
		r->inband[r->n] = ev->inband;
		r->n++;
	}
	r->frames = 0;
	r->p_f1 = r->p_all = 0;
	if (ev->type == TDM_EV_SETUP) {
		r->setup = *ev->setup;
		r->ch = ch;
		tdm_chan_bind(ch, on_ev, on_audio, r);
		if (r->answer_incoming)
			ck_assert_int_eq(tdm_answer(ch), 0);
	}
}

static void on_audio(struct tdm_chan *ch, const int16_t *f, void *arg)
{
	struct rec *r = arg;
	int16_t out[TDM_FRAME_SAMPLES];

	/* skip the first frames: the far end's audio starts a tick late */
	if (++r->frames > 3 && r->meas_hz > 0) {
		double all = 0;

		for (int i = 0; i < TDM_FRAME_SAMPLES; i++)
			all += (double)f[i] * f[i];
		r->p_all += all / TDM_FRAME_SAMPLES;
		r->p_f1 += tl_goertzel(f, TDM_FRAME_SAMPLES, r->meas_hz);
	}
	if (r->send_hz > 0) {
		for (int i = 0; i < TDM_FRAME_SAMPLES; i++) {
			out[i] = (int16_t)(6000.0 * sin(2 * M_PI * r->phase));
			r->phase += r->send_hz / 8000.0;
		}
		ck_assert_int_eq(tdm_write(ch, out), 0);
	}
}

/* Run the loop for @ms (bounded: tests never wait longer). */
static void run_for(unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(loop, (int)(end - loop_now_ms()));
}

/*
 * Run the loop until @r has had @n frames since its last event, at most
 * 5 s: audio is judged on a number of frames, not on wall time (on a
 * stalled host, under ASan, 300 ms once brought too few to measure).
 */
static void run_frames(struct rec *r, int n)
{
	uint64_t end = loop_now_ms() + 5000;

	while (r->frames < n && loop_now_ms() < end)
		loop_poll(loop, 20);
}

static void setup(void)
{
	struct conf_errs errs;

	loop = loop_new();
	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("sim.conf", conf_text, tdm_sects,
				       &conf, &errs),
			 0);
	conf_errs_clear(&errs);
	ck_assert_int_eq(tdm_alloc(&tdm, loop, conf), 0);
}

static void teardown(void)
{
	tdm = mem_deref(tdm);
	conf = mem_deref(conf);
	loop = mem_deref(loop);
}

static struct tdm_chan *dial(struct rec *r, const char *number)
{
	struct tdm_setup s = { .pres = TDM_PRES_ALLOWED };
	struct tdm_chan *ch;

	snprintf(s.called, sizeof(s.called), "%s", number);
	snprintf(s.calling, sizeof(s.calling), "2125550100");
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_ASC, on_ev, on_audio, r,
				   &ch),
			 0);
	ck_assert_int_eq(tdm_dial(ch, &s), 0);
	return ch;
}

START_TEST(sim_release_causes)
{
	static const struct {
		const char *num;
		int cause;
	} cases[] = { { "601", 17 }, { "605", 1 }, { "606", 34 },
		      { "699", 1 } /* not listed: [sim] default */ };
	struct rec r = { 0 };
	struct tdm_chan *ch;

	setup();
	ch = dial(&r, cases[_i].num);
	ck_assert_str_eq(tdm_chan_state_name(ch), "dialing");
	run_for(200);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.ev[0], TDM_EV_RELEASE);
	ck_assert_int_eq(r.cause[0], cases[_i].cause);
	ck_assert_str_eq(tdm_chan_state_name(ch), "idle");
	teardown();
}
END_TEST

START_TEST(sim_echo_returns_audio)
{
	struct rec r = { .send_hz = 700, .meas_hz = 700 };
	struct tdm_chan *ch;

	setup();
	ch = dial(&r, "600");
	run_for(500);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.ev[0], TDM_EV_ALERTING);
	ck_assert_int_eq(r.ev[1], TDM_EV_ANSWER);
	ck_assert_str_eq(tdm_chan_state_name(ch), "up");
	/* 20 frames after the answer: our 700 Hz comes back, nearly all
	 * of it, at the level we sent (6000 peak: 18e6 mean square) */
	run_frames(&r, 20);
	ck_assert_int_gt(r.frames, 10);
	ck_assert_msg(r.p_f1 > 0.95 * r.p_all, "700 Hz is %.0f%%",
		      100 * r.p_f1 / (r.p_all + 1));
	ck_assert(r.p_all / (r.frames - 3) > 0.9 * 18e6);
	ck_assert_int_eq(tdm_release(ch, 16), 0);
	ck_assert_str_eq(tdm_chan_state_name(ch), "idle");
	ck_assert_int_eq(tdm_release(ch, 16), -EPROTO);
	teardown();
}
END_TEST

START_TEST(sim_tone_1004)
{
	struct rec r = { .meas_hz = 1004 };
	struct tdm_chan *ch;
	double dbm0;

	setup();
	ch = dial(&r, "604");
	run_for(500);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.ev[0], TDM_EV_ALERTING);
	ck_assert_int_eq(r.ev[1], TDM_EV_ANSWER);
	run_frames(&r, 20);
	ck_assert_int_gt(r.frames, 10);
	ck_assert_msg(r.p_f1 > 0.95 * r.p_all, "1004 Hz is %.0f%%",
		      100 * r.p_f1 / (r.p_all + 1));
	/* and not a neighbour */
	dbm0 = 10 * log10(r.p_all / (r.frames - 3) /
			  (32767.0 * 32767.0 / 2)) + 3.14;
	ck_assert_msg(fabs(dbm0 - -10.0) < 0.5, "%.1f dBm0", dbm0);
	tdm_release(ch, 16);
	teardown();
}
END_TEST

START_TEST(sim_no_answer)
{
	struct rec r = { 0 };
	struct tdm_chan *ch;

	setup();
	ch = dial(&r, "602");
	run_for(600);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.ev[0], TDM_EV_ALERTING);
	ck_assert_str_eq(tdm_chan_state_name(ch), "alerting");
	ck_assert_int_eq(tdm_release(ch, 19), 0);
	run_for(60);
	ck_assert_int_eq(r.n, 1);
	teardown();
}
END_TEST

START_TEST(sim_early_media)
{
	struct rec r = { .meas_hz = 440 };
	struct tdm_chan *ch;

	setup();
	ch = dial(&r, "603");
	run_for(250);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.ev[0], TDM_EV_PROGRESS);
	ck_assert(r.inband[0]);
	ck_assert_str_eq(tdm_chan_state_name(ch), "progress");
	/* US ringback is 440+480 Hz: about half the power at 440 */
	ck_assert_int_gt(r.frames, 5);
	ck_assert_msg(r.p_f1 > 0.4 * r.p_all && r.p_f1 < 0.6 * r.p_all,
		      "440 Hz is %.0f%%", 100 * r.p_f1 / (r.p_all + 1));
	run_for(200);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.ev[1], TDM_EV_ANSWER);
	tdm_release(ch, 16);
	teardown();
}
END_TEST

START_TEST(sim_hunting)
{
	struct rec r = { 0 };
	struct tdm_chan *a, *b, *c;

	setup();
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_ASC, on_ev, NULL, &r, &a),
			 0);
	ck_assert_uint_eq(tdm_chan_num(a), 1);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_DESC, on_ev, NULL, &r,
				   &b),
			 0);
	ck_assert_uint_eq(tdm_chan_num(b), 6);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_ASC, on_ev, NULL, &r, &c),
			 0);
	ck_assert_uint_eq(tdm_chan_num(c), 2);
	/* group 2 is channels 5 and 6; 6 is taken */
	ck_assert_int_eq(tdm_seize(tdm, 2, TDM_HUNT_ASC, on_ev, NULL, &r, &c),
			 0);
	ck_assert_uint_eq(tdm_chan_num(c), 5);
	ck_assert_int_eq(tdm_seize(tdm, 2, TDM_HUNT_ASC, on_ev, NULL, &r, &c),
			 -EBUSY);
	ck_assert_int_eq(tdm_seize(tdm, 7, TDM_HUNT_ASC, on_ev, NULL, &r, &c),
			 -ENOENT);
	/* release 6, then 1, then 2: least recently used is 6 */
	tdm_release(b, 16);
	tdm_release(a, 16);
	tdm_release(tdm_chan_find(tdm, 2), 16);
	tdm_release(tdm_chan_find(tdm, 5), 16);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_LRU, on_ev, NULL, &r, &a),
			 0);
	/* 3 and 4 were never used: they come first */
	ck_assert_uint_eq(tdm_chan_num(a), 3);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_LRU, on_ev, NULL, &r, &b),
			 0);
	ck_assert_uint_eq(tdm_chan_num(b), 4);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_LRU, on_ev, NULL, &r, &c),
			 0);
	ck_assert_uint_eq(tdm_chan_num(c), 6);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_LRU, on_ev, NULL, &r, &c),
			 0);
	ck_assert_uint_eq(tdm_chan_num(c), 1);
	/* round robin goes on after the last seized */
	for (unsigned n = 1; n <= 6; n++)
		if (n != 5)
			tdm_release(tdm_chan_find(tdm, n), 16);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_RR, on_ev, NULL, &r, &a),
			 0);
	ck_assert_uint_eq(tdm_chan_num(a), 2);
	ck_assert_int_eq(tdm_seize(tdm, 1, TDM_HUNT_RR, on_ev, NULL, &r, &a),
			 0);
	ck_assert_uint_eq(tdm_chan_num(a), 3);
	teardown();
}
END_TEST

START_TEST(sim_incoming)
{
	struct rec r = { .answer_incoming = true, .send_hz = 500,
			 .meas_hz = 500 };

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 9, "100", "200", 0), -ENOENT);
	/* no listener: rejected, the channel is idle again */
	ck_assert_int_eq(tdm_sim_call(tdm, 3, "5551000", "2125550100",
				      TDM_PRES_ALLOWED),
			 0);
	ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 3)), "idle");

	tdm_listen(tdm, on_ev, on_audio, &r);
	ck_assert_int_eq(tdm_sim_call(tdm, 3, "5551000", "2125550100",
				      TDM_PRES_RESTRICTED),
			 0);
	ck_assert_int_eq(tdm_sim_call(tdm, 3, "5551000", "1", 0), -EBUSY);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.ev[0], TDM_EV_SETUP);
	ck_assert_str_eq(r.setup.called, "5551000");
	ck_assert_str_eq(r.setup.calling, "2125550100");
	ck_assert_int_eq(r.setup.pres, TDM_PRES_RESTRICTED);
	ck_assert_uint_eq(tdm_chan_num(r.ch), 3);
	ck_assert_str_eq(tdm_chan_state_name(r.ch), "up");
	run_frames(&r, 15);
	/* the calling phone echoes what it hears */
	ck_assert_msg(r.p_f1 > 0.95 * r.p_all && r.p_all > 0, "500 Hz");
	ck_assert_int_eq(tdm_sim_hangup(tdm, 3, 16), 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.ev[1], TDM_EV_RELEASE);
	ck_assert_int_eq(r.cause[1], 16);
	ck_assert_int_eq(tdm_sim_hangup(tdm, 3, 16), -EPROTO);
	teardown();
}
END_TEST

START_TEST(sim_digits)
{
	struct rec r = { 0 };
	struct tdm_chan *ch;
	int got = 0;

	setup();
	/* the echo number sends our own DTMF back: every digit returns */
	ch = dial(&r, "600");
	run_for(200);
	ck_assert_int_eq(tdm_digits(ch, "159#"), 0);
	ck_assert_int_eq(tdm_digits(ch, "12Z"), -EINVAL);
	run_for(900);
	for (int i = 0; i < r.n; i++)
		if (r.ev[i] == TDM_EV_DIGIT)
			got++;
	ck_assert_int_eq(got, 4);
	tdm_release(ch, 16);
	teardown();
}
END_TEST

START_TEST(sim_ctl)
{
	struct app app = { 0 };
	struct buf out = { 0 };
	char *s;

	loop = loop_new();
	app.loop = loop;
	app.ctl = ctl_new(loop);
	{
		struct conf_errs errs;

		conf_errs_init(&errs);
		ck_assert_int_eq(conf_load_str("sim.conf", conf_text,
					       tdm_sects, &app.conf, &errs),
				 0);
		conf_errs_clear(&errs);
	}
	ck_assert_int_eq(tdm_module.start(&app), 0);
	ck_assert_ptr_nonnull(tdm_module_tdm());
	ck_assert_int_eq(ctl_exec(app.ctl, "-j show spans", &out), 0);
	buf_putc(&out, '\0');
	s = (char *)out.data;
	ck_assert_msg(strstr(s, "\"span\":2") && strstr(s, "\"channels\":2"),
		      "%s", s);
	out.len = 0;
	ck_assert_int_eq(ctl_exec(app.ctl, "-j show channels", &out), 0);
	buf_putc(&out, '\0');
	s = (char *)out.data;
	ck_assert_msg(strstr(s, "\"chan\":6") && strstr(s, "\"idle\""), "%s",
		      s);
	out.len = 0;
	ck_assert_int_ne(ctl_exec(app.ctl, "sim call 99 600", &out), 0);
	out.len = 0;
	ck_assert_int_eq(ctl_exec(app.ctl, "sim call 2 600 anonymous", &out),
			 0);
	out.len = 0;
	ck_assert_int_ne(ctl_exec(app.ctl, "sim call 2 60x", &out), 0);
	tdm_module.stop(&app);
	ck_assert_ptr_null(tdm_module_tdm());
	buf_free(&out);
	mem_deref(app.ctl);
	mem_deref(app.conf);
	loop = mem_deref(loop);
}
END_TEST

START_TEST(sim_conf_errors)
{
	static const char *const bad[] = {
		"[span 1]\nchannels = 3-1\n",
		"[span 1]\nchannels = 1-40\n",
		"[span x]\nchannels = 1\n",
		"[span 1]\nchannels = 1\necho_tail = 100\n",
		"[span 1]\nchannels = 1\nrx_gain = 30\n",
		"[span 1]\nchannels = 1\ntone_zone = xx\n",
		"[span 1]\nchannels = 1\nbusy_detect = yes\n",
		"[span 1]\nchannels = 1\ngroup = 64\n",
		"[sim]\nnumber = 600 explode\n",
		"[sim]\nnumber = 600\n",
	};
	struct conf_errs errs;
	struct conf *c = NULL;

	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("bad.conf", bad[_i], tdm_sects, &c,
				       &errs),
			 -EINVAL);
	ck_assert_uint_ge(errs.n, 1);
	conf_errs_clear(&errs);
}
END_TEST

Suite *tdm_sim_suite(void)
{
	Suite *s = suite_create("tdm_sim");
	TCase *tc;

	tc = tl_tcase(s, "calls");
	tcase_add_loop_test(tc, sim_release_causes, 0, 4);
	tcase_add_test(tc, sim_echo_returns_audio);
	tcase_add_test(tc, sim_tone_1004);
	tcase_add_test(tc, sim_no_answer);
	tcase_add_test(tc, sim_early_media);
	tcase_add_test(tc, sim_digits);
	tc = tl_tcase(s, "channels");
	tcase_add_test(tc, sim_hunting);
	tcase_add_test(tc, sim_incoming);
	tc = tl_tcase(s, "module");
	tcase_add_test(tc, sim_ctl);
	tcase_add_loop_test(tc, sim_conf_errors, 0, 10);
	return s;
}
