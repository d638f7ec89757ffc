// SPDX-License-Identifier: GPL-2.0
/*
 * tdm_echo - echo measurement on real DAHDI for the vm tier: Trunkline's
 * TDM layer on one FXO port (fxsks) places a call to a far end that only
 * reflects (tests/tools/dahdi_hybrid), sends a speech-like signal and
 * measures what comes back, after whichever canceller is configured.
 *
 *   tdm_echo CHAN off|userspace|oslec TAIL_MS SECONDS [CONVERGE_S]
 *
 * The signal is band-limited noise (300-3400 Hz) in a syllabic envelope
 * (4 Hz, 10 dB deep), about -18 dBm0, the same sample for sample on every
 * run (fixed seed), so a run with the canceller off gives the echo power
 * that a run with it on is compared with. Prints per 0.5 s block
 * "echo: block I tx X rx Y" (dBm0), then over [CONVERGE_S, SECONDS) of
 * the call "echo: converged tx X rx Y frames N late L" (L: ticks more
 * than 70 ms apart, when DAHDI's transmit queue ran dry and the echo path
 * slipped) and, for the userspace canceller, its own "echo: ec ERLE ..."
 * figures. Exit 0 when the call
 * was made and measured, 1 otherwise. Bounded: SECONDS + 20 s.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_TAG "echo"
#include "../../gateway/base/log.h"
#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/conf.h"
#include "../../tdm/core.h"
#include "../../tdm/dahdi.h"
#include "../../tdm/tdm.h"

#define BLOCK_FRAMES 25 /* 0.5 s */

struct echo {
	struct loop *loop;
	struct tdm *tdm;
	struct tdm_chan *ch;
	bool answered, done, measured;
	unsigned frames, nframes, conv_frames;
	/* signal state */
	uint32_t seed;
	double hp_x, hp_y, lp1, lp2;
	/* sums */
	double btx, brx, ctx, crx;
	unsigned cn;
	/* ticks that came later than the transmit lead allows */
	double t_last;
	unsigned late;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One sample of the test signal @n samples into the call. */
static int16_t sig_next(struct echo *e, unsigned n)
{
	double env = 0.32 + 0.68 * fabs(sin(M_PI * 4.0 * n / 8000.0));
	double w, y;

	e->seed = e->seed * 1664525u + 1013904223u;
	w = ((double)(e->seed >> 8) / 8388608.0 - 1.0) * 6300.0;
	/* high-pass at about 300 Hz, then two low-pass poles at about
	 * 3.4 kHz: the telephone band */
	y = 0.79 * (e->hp_y + w - e->hp_x);
	e->hp_x = w;
	e->hp_y = y;
	e->lp1 += 0.93 * (y - e->lp1);
	e->lp2 += 0.93 * (e->lp1 - e->lp2);
	return (int16_t)lrint(env * e->lp2);
}

static void report(struct echo *e)
{
	struct tdm_dsp_ec_stats st;

	if (e->measured || !e->cn)
		return;
	e->measured = true;
	printf("echo: converged tx %.2f rx %.2f frames %u late %u\n",
	       tdm_dsp_power_dbm0(e->ctx / e->cn),
	       tdm_dsp_power_dbm0(e->crx / e->cn), e->cn, e->late);
	if (e->ch && tdm_chan_ec_stats(e->ch, &st))
		printf("echo: ec ERLE %.1f dB, echo in %.1f dBm0, residual "
		       "%.1f dBm0, %llu frames, delay %.1f ms, moves %llu\n",
		       st.erle_db, st.in_dbm0, st.residual_dbm0,
		       (unsigned long long)st.frames, st.delay_ms,
		       (unsigned long long)st.moves);
}

static void on_audio(struct tdm_chan *ch, const int16_t *f, void *arg)
{
	struct echo *e = arg;
	int16_t out[TDM_FRAME_SAMPLES];
	double ptx, prx;

	if (!e->answered || e->frames >= e->nframes) {
		memset(out, 0, sizeof(out));
		tdm_write(ch, out);
		return;
	}
	/* The backend queues 60 ms of audio ahead: a tick later than that
	 * underran DAHDI's transmit queue, which then sent silence, and the
	 * echo of everything after comes back that much later. Only the
	 * kernel's canceller, inside DAHDI's own tick, never sees that. */
	if (e->t_last && now() - e->t_last > 0.07)
		e->late++;
	e->t_last = now();
	for (int i = 0; i < TDM_FRAME_SAMPLES; i++)
		out[i] = sig_next(e, e->frames * TDM_FRAME_SAMPLES + i);
	tdm_write(ch, out);
	/* f answers the frame sent one tick earlier at best: a block's
	 * figures pair each frame sent with a frame received */
	ptx = tdm_dsp_power(out, TDM_FRAME_SAMPLES);
	prx = tdm_dsp_power(f, TDM_FRAME_SAMPLES);
	e->btx += ptx;
	e->brx += prx;
	if (e->frames >= e->conv_frames) {
		e->ctx += ptx;
		e->crx += prx;
		e->cn++;
	}
	if (++e->frames % BLOCK_FRAMES == 0) {
		struct tdm_dsp_ec_stats st = { 0 };

		tdm_chan_ec_stats(ch, &st);
		printf("echo: block %u tx %.2f rx %.2f ec delay %.1f ms "
		       "moves %llu\n", e->frames / BLOCK_FRAMES - 1,
		       tdm_dsp_power_dbm0(e->btx / BLOCK_FRAMES),
		       tdm_dsp_power_dbm0(e->brx / BLOCK_FRAMES), st.delay_ms,
		       (unsigned long long)st.moves);
		e->btx = e->brx = 0;
	}
	if (e->frames == e->nframes) {
		/* the stats go with the call: read them first */
		report(e);
		tdm_release(ch, TDM_CAUSE_NORMAL);
		e->ch = NULL;
		e->done = true;
	}
}

static void on_ev(struct tdm_chan *ch, const struct tdm_ev *ev, void *arg)
{
	struct echo *e = arg;

	(void)ch;
	switch (ev->type) {
	case TDM_EV_ANSWER:
		printf("echo: ANSWER t=%.3f\n", now());
		e->answered = true;
		return;
	case TDM_EV_RELEASE:
		/* the far end cleared before we were done */
		report(e);
		printf("echo: RELEASE cause %d\n", ev->cause);
		e->ch = NULL;
		e->done = true;
		return;
	default:
		return;
	}
}

int main(int argc, char **argv)
{
	struct echo e = { .seed = 12345 };
	struct tdm_setup s = { .called = "1", .pres = TDM_PRES_ALLOWED };
	struct conf_errs errs;
	struct conf *conf = NULL;
	char text[512];
	double t0, secs, conv;
	int err, rc = 1;

	if (argc < 5 || (strcmp(argv[2], "off") &&
			 strcmp(argv[2], "userspace") &&
			 strcmp(argv[2], "oslec"))) {
		fprintf(stderr, "usage: tdm_echo CHAN off|userspace|oslec "
				"TAIL_MS SECONDS [CONVERGE_S]\n");
		return 2;
	}
	secs = atof(argv[4]);
	conv = argc > 5 ? atof(argv[5]) : secs / 2;
	if (secs < 1 || secs > 60 || conv < 0 || conv >= secs)
		return 2;
	e.nframes = (unsigned)(secs * 50);
	e.conv_frames = (unsigned)(conv * 50);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* answer_rings and caller ID do not matter: we place the call */
	snprintf(text, sizeof(text),
		 "[tdm]\nbackend = dahdi\ntone_zone = us\n"
		 "[span 1]\nchannels = %d\nsignalling = fxs_ks\ngroup = 1\n"
		 "echo_canceller = %s\necho_tail = %d\n",
		 atoi(argv[1]), argv[2], atoi(argv[3]));
	log_set_level(getenv("DRIVE_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	conf_errs_init(&errs);
	err = conf_load_str("echo.conf", text, tdm_sects, &conf, &errs);
	conf_errs_clear(&errs);
	if (err)
		return 2;
	e.loop = loop_new();
	err = tdm_alloc(&e.tdm, e.loop, conf);
	if (err) {
		fprintf(stderr, "echo: tdm_alloc: %s\n", strerror(-err));
		return 2;
	}
	err = tdm_seize(e.tdm, 1, TDM_HUNT_ASC, on_ev, on_audio, &e, &e.ch);
	if (!err)
		err = tdm_dial(e.ch, &s);
	if (err) {
		printf("echo: FAIL: call: %s\n", strerror(-err));
		goto out;
	}
	printf("echo: %s, tail %s ms, %.1f s, converged after %.1f s\n",
	       argv[2], argv[3], secs, conv);
	t0 = now();
	while (!e.done && now() - t0 < secs + 20)
		loop_poll(e.loop, 100);
	if (!e.done) {
		printf("echo: FAIL: no release in time\n");
		report(&e);
		if (e.ch)
			tdm_release(e.ch, TDM_CAUSE_NORMAL);
	}
	rc = e.done && e.measured && e.frames == e.nframes ? 0 : 1;
out:
	mem_deref(e.tdm);
	mem_deref(conf);
	mem_deref(e.loop);
	printf("echo: %s\n", rc ? "FAIL" : "done");
	return rc;
}
