// SPDX-License-Identifier: GPL-2.0
/*
 * The media receive path and DTMF, in CPU ns per packet or frame (process
 * CPU time, one thread), and what that means in concurrent G.711 streams
 * per core at 50 packets per second:
 *
 *   rx+jb+decode   a PCMU packet into the jitter buffer, a frame out,
 *                  decoded (with PLC bookkeeping) - on a jittery stream
 *   rfc4733 tx     telephone-event packets generated, per packet
 *   dtmf detect    in-band detection and muting, per 20 ms frame
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/cn.h"
#include "../../gateway/media/codec.h"
#include "../../gateway/media/dtmf.h"
#include "../../gateway/media/jb.h"
#include "../../gateway/media/plc.h"

#define FRAME 160

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void report(const char *name, long n, double ns)
{
	double per = ns / n;

	printf("%-16s %9ld ops %8.0f ns/op  %8.0f G.711 streams/core\n", name,
	       n, per, 1e9 / (per * 50));
}

static void bench_rx(void)
{
	enum { N = 500000 };
	struct media_jb *jb;
	struct media_codec *dec;
	struct media_plc *plc;
	struct media_cn_gen cn, noise;
	static uint8_t pl[64][FRAME];
	int16_t pcm[FRAME];
	uint32_t seed = 1;
	double t0;

	media_jb_alloc(&jb, NULL);
	media_codec_alloc(&dec, MEDIA_CODEC_PCMU, 8000);
	media_plc_alloc(&plc);
	media_cn_gen_init(&cn, 1);
	media_cn_gen_init(&noise, 2);
	for (int i = 0; i < 64; i++) {
		media_cn_gen_frame(&noise, 20, pcm, FRAME);
		media_codec_encode(dec, pl[i], FRAME, pcm, FRAME);
	}
	t0 = cpu_ns();
	for (long i = 0; i < N; i++) {
		struct media_jb_pkt p = {
			.ssrc = 1,
			.seq = (uint16_t)i,
			.ts = (uint32_t)i * FRAME,
			.units = FRAME,
			.payload = pl[i & 63],
			.len = FRAME,
		};

		/* 0-30 ms of jitter */
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p.arrival_ms = (uint64_t)i * 20 + seed % 31;
		media_jb_put(jb, &p);
		media_jb_play(jb, dec, plc, &cn, (uint64_t)i * 20 + 10, pcm,
			      FRAME);
	}
	report("rx+jb+decode", N, cpu_ns() - t0);
	mem_deref(jb);
	mem_deref(dec);
	mem_deref(plc);
}

static void bench_tx(void)
{
	enum { TICKS = 2000000 };
	struct media_dtmf_tx *tx;
	struct media_dtmf_pkt pk[2];
	long pkts = 0;
	double t0;

	/* one packet per tick, as senders that update every ptime do */
	struct media_dtmf_tx_params p = { .update_ms = 20 };

	media_dtmf_tx_alloc(&tx, &p);
	t0 = cpu_ns();
	for (long t = 0; t < TICKS; t++) {
		if (!(t % 10)) {
			media_dtmf_tx_stop(tx);
			media_dtmf_tx_start(tx, "0123456789*#ABCD"[t / 10 % 16],
					    (uint32_t)t * FRAME);
		}
		pkts += media_dtmf_tx_tick(tx, pk, 2);
	}
	report("rfc4733 tx", pkts, cpu_ns() - t0);
	mem_deref(tx);
}

static void nop_h(const struct media_dtmf_event *ev, void *arg)
{
	(void)ev;
	++*(long *)arg;
}

static void bench_det(void)
{
	enum { FRAMES = 50000, SRC = 500 };
	struct media_dtmf_det *det;
	struct media_cn_gen noise;
	static int16_t src[SRC][FRAME];
	int16_t pcm[FRAME];
	dtmf_tx_state_t *gen = dtmf_tx_init(NULL);
	long events = 0;
	double t0;

	/* 10 s of audio: digits of 100 ms every 200 ms over noise */
	dtmf_tx_set_timing(gen, 100, 100);
	dtmf_tx_put(gen, "0123456789*#ABCD0123456789*#ABCD0123456789*#ABCD",
		    -1);
	media_cn_gen_init(&noise, 3);
	for (int f = 0; f < SRC; f++) {
		int got = dtmf_tx(gen, src[f], FRAME);

		media_cn_gen_frame(&noise, 50, pcm, FRAME);
		for (int i = 0; i < FRAME; i++)
			src[f][i] = (int16_t)((i < got ? src[f][i] : 0) +
					      pcm[i]);
	}
	media_dtmf_det_alloc(&det, nop_h, &events);
	t0 = cpu_ns();
	for (long f = 0; f < FRAMES; f++) {
		memcpy(pcm, src[f % SRC], sizeof(pcm));
		media_dtmf_det_frame(det, pcm, FRAME);
	}
	report("dtmf detect", FRAMES, cpu_ns() - t0);
	if (events < FRAMES / SRC * 2 * 40)
		printf("dtmf detect: only %ld events\n", events);
	mem_deref(det);
	dtmf_tx_free(gen);
}

int main(void)
{
	bench_rx();
	bench_tx();
	bench_det();
	return 0;
}
