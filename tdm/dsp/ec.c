// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace echo canceller, measured.
 *
 * Why not spandsp's echo_can: Debian's libspandsp 0.0.6 is built with its
 * echo canceller's debug output on (two printf lines to stdout for every
 * sample: "echo is %d", "Narrowband score ..."), which no daemon can
 * carry, and on our simulated hybrid it diverged (ERLE -38 dB at 20 dB
 * ERL, see tests/unit/check_tdm_dsp.c). So this is our own:
 *
 * - an NLMS adaptive FIR over the whole tail (8 taps per ms), step 0.4
 *   normalised by the reference's power over the tail;
 * - a Geigel double-talk detector: when the near end is louder than half
 *   the loudest reference sample in the tail, adaptation stops for 30 ms
 *   so near-end speech does not corrupt the filter;
 * - no non-linear processor: it hides residual echo by muting and would
 *   report an ERLE the filter never achieved.
 *
 * ERLE = 10 log10(echo power in / residual power out), smoothed over the
 * frames where the far end talks; with the residual level it shows per
 * channel what the canceller does, to weigh it against DAHDI's in-kernel
 * OSLEC on the same numbers.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

#define EC_MU 0.4f
#define EC_HANGOVER (30 * TDM_DSP_RATE / 1000)
/* Frames whose reference is below this carry no echo worth measuring. */
#define EC_REF_ACTIVE_DBM0 -40.0
/* Exponential average over about 16 frames (320 ms). */
#define EC_AVG_N 16.0
#define EC_MAX_BLOCKS 16 /* 256 ms of 20 ms peak blocks, plus one */

struct tdm_dsp_ec {
	unsigned tail_ms, taps;
	float *w;    /* taps */
	float *x;    /* reference history, twice over: x[pos..pos+taps) */
	unsigned pos;
	float xpow;  /* sum of x^2 over the window */
	unsigned hold; /* samples left without adaptation */
	int16_t peak[EC_MAX_BLOCKS]; /* loudest |ref| per frame */
	unsigned npeak, ipeak;
	double avg_in, avg_out;
	uint64_t frames;
};

static void ec_destroy(void *data)
{
	struct tdm_dsp_ec *ec = data;

	free(ec->w);
	free(ec->x);
}

int tdm_dsp_ec_alloc(struct tdm_dsp_ec **ecp, unsigned tail_ms)
{
	unsigned taps = tail_ms * (TDM_DSP_RATE / 1000);
	struct tdm_dsp_ec *ec;

	/* powers of two: the sizes DAHDI and spandsp use, and tails the
	 * configuration can name */
	if (tail_ms < 8 || tail_ms > 256 || (taps & (taps - 1)))
		return -EINVAL;
	ec = mem_zalloc(sizeof(*ec), ec_destroy);
	if (!ec)
		return -ENOMEM;
	ec->tail_ms = tail_ms;
	ec->taps = taps;
	ec->w = calloc(taps, sizeof(*ec->w));
	ec->x = calloc(2 * (size_t)taps, sizeof(*ec->x));
	if (!ec->w || !ec->x) {
		mem_deref(ec);
		return -ENOMEM;
	}
	ec->npeak = (tail_ms + TDM_DSP_FRAME_MS - 1) / TDM_DSP_FRAME_MS + 1;
	*ecp = ec;
	return 0;
}

static int16_t frame_peak(const int16_t *x, size_t n)
{
	int m = 0;

	for (size_t i = 0; i < n; i++) {
		int a = x[i] < 0 ? -x[i] : x[i];

		if (a > m)
			m = a;
	}
	return (int16_t)(m > 32767 ? 32767 : m);
}

static int16_t tail_peak(const struct tdm_dsp_ec *ec)
{
	int16_t m = 0;

	for (unsigned i = 0; i < ec->npeak; i++)
		if (ec->peak[i] > m)
			m = ec->peak[i];
	return m;
}

/* Four floats at a time through GCC/clang vector extensions: portable C
 * that becomes SSE on x86-64 and NEON on arm64, where plain loops would
 * stay scalar without -ffast-math (the sum's order would change). */
typedef float v4sf __attribute__((vector_size(16)));

static inline v4sf load4(const float *p)
{
	v4sf v;

	memcpy(&v, p, sizeof(v)); /* unaligned: x moves by one each sample */
	return v;
}

/* One sample: returns the echo-free sample. */
static float ec_sample(struct tdm_dsp_ec *ec, float ref, float d, bool adapt)
{
	unsigned n = ec->taps, p;
	const float *x;
	float *w = ec->w, e, g;
	v4sf acc = { 0, 0, 0, 0 }, gv;

	/* newest first: x[p] is now, x[p + k] is k samples ago */
	p = ec->pos = (ec->pos + n - 1) % n;
	ec->xpow += ref * ref - ec->x[p] * ec->x[p];
	if (ec->xpow < 0)
		ec->xpow = 0;
	ec->x[p] = ec->x[p + n] = ref;
	x = ec->x + p;
	/* n is a power of two >= 64: whole vectors */
	for (unsigned k = 0; k < n; k += 4)
		acc += load4(w + k) * load4(x + k);
	e = d - (acc[0] + acc[1] + acc[2] + acc[3]);
	if (!adapt || ec->xpow < (float)n * 4.0f)
		return e;
	g = EC_MU * e / (ec->xpow + 1.0f);
	gv = (v4sf){ g, g, g, g };
	for (unsigned k = 0; k < n; k += 4) {
		v4sf wv = load4(w + k) + gv * load4(x + k);

		memcpy(w + k, &wv, sizeof(wv));
	}
	return e;
}

void tdm_dsp_ec_process(struct tdm_dsp_ec *ec, const int16_t *ref,
			int16_t *rx, size_t n)
{
	double pin = tdm_dsp_power(rx, n), pref = tdm_dsp_power(ref, n);
	int16_t peak;

	ec->peak[ec->ipeak] = frame_peak(ref, n);
	ec->ipeak = (ec->ipeak + 1) % ec->npeak;
	peak = tail_peak(ec);
	for (size_t i = 0; i < n; i++) {
		int a = rx[i] < 0 ? -rx[i] : rx[i];
		float e;

		/* Geigel: a near end louder than the echo could be is talk */
		if (2 * a > peak)
			ec->hold = EC_HANGOVER;
		else if (ec->hold)
			ec->hold--;
		e = ec_sample(ec, ref[i], rx[i], !ec->hold);
		rx[i] = (int16_t)(e > 32767.0f ? 32767 : e < -32768.0f ? -32768 :
					       lrintf(e));
	}
	if (tdm_dsp_power_dbm0(pref) < EC_REF_ACTIVE_DBM0)
		return;
	if (!ec->frames) {
		ec->avg_in = pin;
		ec->avg_out = tdm_dsp_power(rx, n);
	} else {
		ec->avg_in += (pin - ec->avg_in) / EC_AVG_N;
		ec->avg_out += (tdm_dsp_power(rx, n) - ec->avg_out) / EC_AVG_N;
	}
	ec->frames++;
}

void tdm_dsp_ec_stats(const struct tdm_dsp_ec *ec, struct tdm_dsp_ec_stats *st)
{
	st->frames = ec->frames;
	st->in_dbm0 = tdm_dsp_power_dbm0(ec->avg_in);
	st->residual_dbm0 = tdm_dsp_power_dbm0(ec->avg_out);
	st->erle_db = ec->frames ? st->in_dbm0 - st->residual_dbm0 : 0.0;
}

unsigned tdm_dsp_ec_tail_ms(const struct tdm_dsp_ec *ec)
{
	return ec->tail_ms;
}
