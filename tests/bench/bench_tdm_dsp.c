// SPDX-License-Identifier: GPL-2.0
/*
 * CPU per channel per 20 ms frame of the TDM DSP: DTMF detection, tone
 * generation, caller ID generation, echo cancellation (32, 64, 128 ms
 * tails, converged on an echo path, and 64 ms still searching for one)
 * and the per-channel pipelines. The goal (issue 5): 120 channels (4 E1)
 * of DTMF detection and a 64 ms echo canceller under 25% of one core.
 *
 * Method. Each case is warmed up (5 s of audio: the canceller converges),
 * then timed natively as BLOCKS (30) blocks of --frames frames; the
 * fastest block is the case's cost, because on a shared machine the
 * others only add other people's work. % of a core for N channels = ns per frame x 50
 * frames/s x N / 1e9. The same run measures the time-stamp counter's
 * rate to state cycles per frame; tests/bench/bench_tdm_dsp.sh adds
 * callgrind's instruction counts of the very same frames, so the
 * instructions per ns this code ran at on this CPU are stated too.
 * Under callgrind each case's timed frames are one dump
 * (CALLGRIND_ZERO_STATS before, a dump named after the case after), so
 * warm-up never counts.
 *
 *   build/bench/bench_tdm_dsp [--frames N]      (default 100)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_ZERO_STATS
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "../../gateway/base/mem.h"
#include "../../tdm/dsp/dsp.h"

#define WARM 250 /* frames: 5 s */
/* Many short blocks (4-10 ms each at the default 100 frames): the
 * fastest is one no other task interrupted. With 5 blocks of 1000
 * frames on this shared machine (load 8-10) no block was clean and the
 * figures varied by 3x between runs. */
#define BLOCKS 30
#define ECHO_DELAY 480 /* samples: 60 ms, about what DAHDI's queues add */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint32_t rng = 1;

static int16_t noise(int amp)
{
	rng = rng * 1664525u + 1013904223u;
	return (int16_t)((int)(rng >> 17) % (2 * amp + 1) - amp);
}

static int16_t speech[50][TDM_DSP_FRAME]; /* 1 s of far-end signal */
static volatile int sink;

/* A 2-wire line's echo: what was sent ECHO_DELAY samples ago at -6 dB
 * (a hybrid's echo return loss), plus line noise. */
struct line {
	int16_t hist[ECHO_DELAY + TDM_DSP_FRAME];
};

static void line_echo(struct line *l, const int16_t *tx, int16_t *rx)
{
	memmove(l->hist, l->hist + TDM_DSP_FRAME,
		ECHO_DELAY * sizeof(*l->hist));
	memcpy(l->hist + ECHO_DELAY, tx, TDM_DSP_FRAME * sizeof(*tx));
	for (int k = 0; k < TDM_DSP_FRAME; k++)
		rx[k] = (int16_t)(l->hist[k] / 2 + noise(3));
}

struct bcase {
	const char *name, *id;
	void *(*setup)(void);
	void (*step)(void *ctx, int i);
	void (*done)(void *ctx);
};

static void nop_digit(char d, void *arg)
{
	(void)arg;
	sink += d;
}

static void nop_ev(const struct tdm_dsp_ev *ev, void *arg)
{
	(void)arg;
	sink += ev->type;
}

static void *dtmf_setup(void)
{
	struct tdm_dsp_dtmf_rx *rx = NULL;

	tdm_dsp_dtmf_rx_alloc(&rx, nop_digit, NULL);
	return rx;
}

static void dtmf_step(void *ctx, int i)
{
	tdm_dsp_dtmf_rx_feed(ctx, speech[i % 50], TDM_DSP_FRAME);
}

static void *tone_setup(void)
{
	struct tdm_dsp_tonegen *tg = NULL;

	/* steady: with a cadence, a block could fall in a silence and
	 * the fastest block would be that */
	tdm_dsp_tonegen_alloc(&tg, tdm_dsp_zone_find("us"), TDM_TONE_DIAL);
	return tg;
}

static void tone_step(void *ctx, int i)
{
	int16_t f[TDM_DSP_FRAME];

	(void)i;
	tdm_dsp_tonegen_fill(ctx, f, TDM_DSP_FRAME);
	sink += f[7];
}

struct cid_ctx {
	struct tdm_dsp_cid_tx *tx;
};

static void *cid_setup(void)
{
	return calloc(1, sizeof(struct cid_ctx));
}

/* a new burst each time one ends: the cost while sending */
static void cid_step(void *ctx, int i)
{
	static const struct tdm_dsp_cid cid = { .number = "15551234567",
						.name = "ALICE SMITH",
						.has_time = true,
						.month = 3,
						.day = 14,
						.hour = 15,
						.minute = 9 };
	struct cid_ctx *c = ctx;
	int16_t f[TDM_DSP_FRAME];

	(void)i;
	if (!c->tx)
		tdm_dsp_cid_tx_alloc(&c->tx, TDM_DSP_CID_BELL, &cid);
	tdm_dsp_cid_tx_fill(c->tx, f, TDM_DSP_FRAME);
	if (tdm_dsp_cid_tx_done(c->tx))
		c->tx = mem_deref(c->tx);
}

static void cid_done(void *ctx)
{
	struct cid_ctx *c = ctx;

	mem_deref(c->tx);
	free(c);
}

struct ec_ctx {
	struct tdm_dsp_ec *ec;
	struct line line;
	bool echo; /* false: nothing to find, the delay search never rests */
};

static void *ec_setup_tail(unsigned tail, bool echo)
{
	struct ec_ctx *c = calloc(1, sizeof(*c));

	if (c && tdm_dsp_ec_alloc(&c->ec, tail)) {
		free(c);
		return NULL;
	}
	if (c)
		c->echo = echo;
	return c;
}

static void *ec32_setup(void)
{
	return ec_setup_tail(32, true);
}

static void *ec64_setup(void)
{
	return ec_setup_tail(64, true);
}

static void *ec128_setup(void)
{
	return ec_setup_tail(128, true);
}

static void *ec64s_setup(void)
{
	return ec_setup_tail(64, false);
}

static void ec_step(void *ctx, int i)
{
	struct ec_ctx *c = ctx;
	const int16_t *ref = speech[i % 50];
	int16_t rx[TDM_DSP_FRAME];

	if (c->echo) {
		line_echo(&c->line, ref, rx);
	} else {
		for (int k = 0; k < TDM_DSP_FRAME; k++)
			rx[k] = speech[(i + 17) % 50][k];
	}
	tdm_dsp_ec_process(c->ec, ref, rx, TDM_DSP_FRAME);
}

static void ec_done(void *ctx)
{
	struct ec_ctx *c = ctx;
	struct tdm_dsp_ec_stats st;

	tdm_dsp_ec_stats(c->ec, &st);
	if (c->echo && st.erle_db < 20)
		printf("  (warning: %u ms canceller at %.1f dB ERLE: not "
		       "converged)\n", tdm_dsp_ec_tail_ms(c->ec), st.erle_db);
	mem_deref(c->ec);
	free(c);
}

struct pipe_ctx {
	struct tdm_dsp *d;
	struct line line;
	int16_t tx[TDM_DSP_FRAME];
};

static void *pipe_setup_p(bool full)
{
	struct tdm_dsp_params p = { .zone = tdm_dsp_zone_find("us"),
				    .ec_tail_ms = 64,
				    .dtmf_detect = true,
				    .fax_detect = full,
				    .busy_detect = full };
	struct pipe_ctx *c = calloc(1, sizeof(*c));

	if (c && tdm_dsp_alloc(&c->d, &p, nop_ev, NULL)) {
		free(c);
		return NULL;
	}
	return c;
}

static void *pipe_setup(void)
{
	return pipe_setup_p(false);
}

static void *pipe_full_setup(void)
{
	return pipe_setup_p(true);
}

/* One tick of a channel in a call: what comes back is the echo of what
 * went out (the far end's talker is silent: the canceller's steady
 * state, and what the DTMF detector must not mistake for digits). */
static void pipe_step(void *ctx, int i)
{
	struct pipe_ctx *c = ctx;
	int16_t rx[TDM_DSP_FRAME];

	line_echo(&c->line, c->tx, rx);
	tdm_dsp_rx(c->d, rx);
	memcpy(c->tx, speech[i % 50], sizeof(c->tx));
	tdm_dsp_tx(c->d, c->tx);
}

static void pipe_done(void *ctx)
{
	struct pipe_ctx *c = ctx;

	mem_deref(c->d);
	free(c);
}

static void plain_done(void *ctx)
{
	mem_deref(ctx);
}

static const struct bcase cases[] = {
	{ "DTMF detect", "dtmf", dtmf_setup, dtmf_step, plain_done },
	{ "tone generation (us dial tone)", "tone", tone_setup, tone_step,
	  plain_done },
	{ "caller ID generation (Bell 202)", "cid", cid_setup, cid_step,
	  cid_done },
	{ "echo canceller 32 ms", "ec32", ec32_setup, ec_step, ec_done },
	{ "echo canceller 64 ms", "ec64", ec64_setup, ec_step, ec_done },
	{ "echo canceller 128 ms", "ec128", ec128_setup, ec_step, ec_done },
	{ "echo canceller 64 ms, searching", "ec64search", ec64s_setup,
	  ec_step, ec_done },
	{ "pipeline: EC 64 + DTMF", "pipe", pipe_setup, pipe_step,
	  pipe_done },
	{ "pipeline: EC 64 + DTMF/fax/busy", "pipefull", pipe_full_setup,
	  pipe_step, pipe_done },
};

/* The time-stamp counter's rate (the CPU's nominal clock, whatever
 * turbo does), measured against CLOCK_MONOTONIC over 100 ms. A chain of
 * dependent instructions was tried first: on this shared vCPU it read
 * anything from 1 to 5.8 GHz. */
static double tsc_ghz(void)
{
#if defined(__x86_64__)
	double t0 = now_ns(), t;
	unsigned long long c0 = __rdtsc();

	while ((t = now_ns()) - t0 < 1e8)
		;
	return (double)(__rdtsc() - c0) / (t - t0);
#else
	return 0;
#endif
}

int main(int argc, char **argv)
{
	int frames = 100;
	double ghz, per[sizeof(cases) / sizeof(cases[0])];

	if (argc == 3 && !strcmp(argv[1], "--frames"))
		frames = atoi(argv[2]);
	if (frames < 1)
		return 2;
	/* speech-like: shaped noise with a syllabic envelope */
	for (int i = 0; i < 50; i++) {
		double env = 0.2 + 0.8 * fabs(sin(2 * M_PI * 4.0 * i / 50.0));
		double lp = 0;

		for (int k = 0; k < TDM_DSP_FRAME; k++) {
			lp = 0.6 * lp + 0.4 * noise(8000);
			speech[i][k] = (int16_t)(env * lp);
		}
	}
	ghz = tsc_ghz();
	printf("per channel, per 20 ms frame: fastest of %d blocks of %d "
	       "frames, after %d frames of warm-up\n", BLOCKS, frames, WARM);
	printf("TSC: %.2f GHz (cyc/frame below counts its cycles)\n", ghz);
	printf("%-34s %9s %9s %7s %8s\n", "case", "ns/frame", "cyc/frame",
	       "%core", "ch/core");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct bcase *b = &cases[c];
		void *ctx = b->setup();
		double best = 1e30;
		int i = 0;

		if (!ctx)
			return 1;
		for (; i < WARM; i++)
			b->step(ctx, i);
		CALLGRIND_ZERO_STATS;
		for (int r = 0; r < BLOCKS; r++) {
			double t0 = now_ns(), t;

			for (int j = 0; j < frames; j++, i++)
				b->step(ctx, i);
			t = now_ns() - t0;
			if (t < best)
				best = t;
		}
		CALLGRIND_DUMP_STATS_AT(b->id);
		per[c] = best / frames;
		printf("%-34s %9.0f %9.0f %6.3f%% %8.0f\n", b->name, per[c],
		       per[c] * ghz, per[c] / 20e6 * 100.0, 20e6 / per[c]);
		b->done(ctx);
	}
	/* the goal: cases[7] is DTMF + EC 64 */
	printf("goal: 120 channels (4 E1) of DTMF + EC 64 use %.1f%% of a "
	       "core (target < 25%%: %s); one core carries %.0f channels\n",
	       per[7] * 50 * 120 / 1e7, per[7] * 50 * 120 / 1e7 < 25 ?
	       "met" : "not met", 1e9 / 50 / per[7]);
	printf("worst case (every canceller still searching): %.1f%% of a "
	       "core for 120\n", (per[6] + per[0]) * 50 * 120 / 1e7);
	return 0;
}
