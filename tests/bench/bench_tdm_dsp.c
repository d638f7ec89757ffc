// SPDX-License-Identifier: GPL-2.0
/*
 * CPU per channel per 20 ms frame of the TDM DSP: DTMF detection, tone
 * generation, caller ID generation, echo cancellation (32/64/128 ms
 * tails) and the whole per-channel pipeline (rx: EC 64 ms + DTMF + fax +
 * busy; tx: tone). Prints ns per frame and how many channels one core
 * carries in real time (20 ms of CPU per 20 ms), and the goal: 120
 * channels (4 E1) of DTMF + 64 ms EC under 25% of a core.
 *
 * Instruction counts (stable across machines' load) come from callgrind:
 *   valgrind --tool=callgrind build/bench/bench_tdm_dsp --frames 500
 * (tests/bench/bench_tdm_dsp.sh runs that and prints instructions per
 * frame).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../gateway/base/mem.h"
#include "../../tdm/dsp/dsp.h"

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

static void report(const char *name, double ns, int frames)
{
	double per = ns / frames;

	printf("%-34s %9.0f ns/frame %7.2f%% of a core/ch %7.0f ch/core\n",
	       name, per, per / 20e6 * 100.0, 20e6 / per);
}

static void b_dtmf_rx(int frames)
{
	struct tdm_dsp_dtmf_rx *rx;
	double t0;

	tdm_dsp_dtmf_rx_alloc(&rx, nop_digit, NULL);
	t0 = now_ns();
	for (int i = 0; i < frames; i++)
		tdm_dsp_dtmf_rx_feed(rx, speech[i % 50], TDM_DSP_FRAME);
	report("DTMF detect", now_ns() - t0, frames);
	mem_deref(rx);
}

static void b_tone(int frames)
{
	struct tdm_dsp_tonegen *tg;
	int16_t f[TDM_DSP_FRAME];
	double t0;

	tdm_dsp_tonegen_alloc(&tg, tdm_dsp_zone_find("uk"), TDM_TONE_RINGBACK);
	t0 = now_ns();
	for (int i = 0; i < frames; i++) {
		tdm_dsp_tonegen_fill(tg, f, TDM_DSP_FRAME);
		sink += f[7];
	}
	report("tone generation (uk ringback)", now_ns() - t0, frames);
	mem_deref(tg);
}

static void b_cid(int frames)
{
	struct tdm_dsp_cid cid = { .number = "15551234567",
				   .name = "ALICE SMITH",
				   .has_time = true,
				   .month = 3,
				   .day = 14,
				   .hour = 15,
				   .minute = 9 };
	struct tdm_dsp_cid_tx *tx = NULL;
	int16_t f[TDM_DSP_FRAME];
	double t0 = now_ns();

	/* a new burst each time one ends: the cost while sending */
	for (int i = 0; i < frames; i++) {
		if (!tx)
			tdm_dsp_cid_tx_alloc(&tx, TDM_DSP_CID_BELL, &cid);
		tdm_dsp_cid_tx_fill(tx, f, TDM_DSP_FRAME);
		if (tdm_dsp_cid_tx_done(tx))
			tx = mem_deref(tx);
	}
	report("caller ID generation (Bell 202)", now_ns() - t0, frames);
	mem_deref(tx);
}

static void b_ec(unsigned tail, int frames)
{
	struct tdm_dsp_ec *ec;
	int16_t rx[TDM_DSP_FRAME];
	char name[64];
	double t0;

	tdm_dsp_ec_alloc(&ec, tail);
	t0 = now_ns();
	for (int i = 0; i < frames; i++) {
		const int16_t *ref = speech[i % 50];

		for (int k = 0; k < TDM_DSP_FRAME; k++)
			rx[k] = (int16_t)(ref[(k + 40) % TDM_DSP_FRAME] / 4 +
					  noise(4));
		tdm_dsp_ec_process(ec, ref, rx, TDM_DSP_FRAME);
	}
	snprintf(name, sizeof(name), "echo canceller %u ms", tail);
	report(name, now_ns() - t0, frames);
	mem_deref(ec);
}

static void b_pipeline(int frames)
{
	struct tdm_dsp_params p = { .zone = tdm_dsp_zone_find("us"),
				    .ec_tail_ms = 64,
				    .dtmf_detect = true,
				    .fax_detect = true,
				    .busy_detect = true };
	struct tdm_dsp *d;
	int16_t rx[TDM_DSP_FRAME], tx[TDM_DSP_FRAME];
	double t0;

	tdm_dsp_alloc(&d, &p, nop_ev, NULL);
	t0 = now_ns();
	for (int i = 0; i < frames; i++) {
		memcpy(rx, speech[i % 50], sizeof(rx));
		tdm_dsp_rx(d, rx);
		memcpy(tx, speech[(i + 25) % 50], sizeof(tx));
		tdm_dsp_tx(d, tx);
	}
	report("pipeline (EC 64 + DTMF/fax/busy)", now_ns() - t0, frames);
	printf("goal: 120 channels (4 E1) of this pipeline use %.1f%% of a "
	       "core (target < 25%%)\n",
	       (now_ns() - t0) / frames / 20e6 * 100.0 * 120.0);
	mem_deref(d);
}

int main(int argc, char **argv)
{
	int frames = 5000; /* 100 s of audio per case */

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
	printf("per channel, per 20 ms frame (%d frames each)\n", frames);
	b_dtmf_rx(frames);
	b_tone(frames);
	b_cid(frames);
	b_ec(32, frames);
	b_ec(64, frames);
	b_ec(128, frames);
	b_pipeline(frames);
	printf("instructions: valgrind --tool=callgrind "
	       "build/bench/bench_tdm_dsp --frames 500 "
	       "(or tests/bench/bench_tdm_dsp.sh)\n");
	return 0;
}
