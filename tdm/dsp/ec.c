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
 *   report an ERLE the filter never achieved;
 * - a bulk-delay estimator: the echo of a frame written to DAHDI comes
 *   back after the driver's queues, the far end's buffering and the
 *   line, which on a looped span in a VM was 100-200 ms and moved when
 *   a process was starved, so a filter placed at lag 0 never saw it
 *   (ERLE ~0 dB at 64 and 128 ms tails). Reference and received signal
 *   are decimated by 4 and cross-correlated over 480 ms of lags, 0.5 s
 *   of active reference at a time; two estimates that agree move the
 *   filter's window to start a little before the strongest echo, with
 *   the taps shifted along so that convergence is kept. The search costs
 *   as much as a 64 ms filter, so it runs only while the filter is not
 *   cancelling (smoothed ERLE under 12 dB): at the start of a call and
 *   when the path changes, which is when it is needed.
 *
 * The inner loops are in ec_kern.c (AVX2/FMA or portable vector C, one
 * pass over the taps per sample for both update and filter).
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
#include "ec_kern.h"

#define EC_MU 0.4f
#define EC_HANGOVER (30 * TDM_DSP_RATE / 1000)
/* Frames whose reference is below this carry no echo worth measuring. */
#define EC_REF_ACTIVE_DBM0 -40.0
/* Exponential average over about 16 frames (320 ms). */
#define EC_AVG_N 16.0
/* Reference history: the bulk delay plus the tail must fit. */
#define EC_HIST 4096 /* samples: 512 ms */
#define EC_MAX_BLOCKS (EC_HIST / TDM_DSP_FRAME + 2) /* 20 ms peak blocks */
/* Delay estimator: decimation, lags searched, samples per estimate. */
#define EC_DEC 4
#define EC_NLAG 960			/* 480 ms at 2 kHz */
#define EC_DHIST 1024			/* decimated history >= EC_NLAG */
#define EC_EST_N (TDM_DSP_RATE / EC_DEC / 2) /* 0.5 s */
#define EC_EST_SNR 5.0f /* peak over the correlation's rms */
#define EC_EST_AGREE 2	/* decimated lags two estimates may differ */
/* ERLE (in/out power ratio) above which the delay search rests: 12 dB */
#define EC_SETTLED 15.85

struct tdm_dsp_ec {
	const struct tdm_dsp_ec_kern *k;
	unsigned tail_ms, taps;
	unsigned off;  /* bulk delay: the window is x[off..off+taps) ago */
	unsigned margin; /* window start before the estimated echo */
	float *w;    /* taps */
	float *x;    /* reference history, twice over: x[pos..pos+EC_HIST) */
	unsigned pos;
	float xpow;  /* sum of x^2 over the window */
	float g;     /* tap update left pending by the last sample */
	unsigned hold; /* samples left without adaptation */
	int16_t peak[EC_MAX_BLOCKS]; /* loudest |ref| per frame */
	unsigned ipeak;
	double avg_in, avg_out;
	uint64_t frames;
	/* delay estimator */
	float *dr;     /* decimated reference, twice over, newest first */
	unsigned dpos;
	float *corr;   /* EC_NLAG correlation sums */
	float rsum, dsum; /* the decimation's running sums */
	unsigned dphase, nest;
	int last_lag;  /* previous estimate, -1: none */
	unsigned delay; /* last confirmed echo delay, samples */
	uint64_t moves;	/* window moves */
};

static void ec_destroy(void *data)
{
	struct tdm_dsp_ec *ec = data;

	free(ec->w);
	free(ec->x);
	free(ec->dr);
	free(ec->corr);
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
	ec->k = tdm_dsp_ec_kern_get(false);
	ec->tail_ms = tail_ms;
	ec->taps = taps;
	/* 3/8 of the tail, at most 24 ms, ahead of the echo: room for the
	 * estimate's error, for echo before the strongest tap, and for the
	 * path to slip by one 20 ms frame either way (a DAHDI transmit
	 * underrun or a dropped block does that) and stay in the window,
	 * where the filter re-adapts in place instead of waiting a second
	 * for the search (measured on TCG: 141 <-> 161 ms slips) */
	ec->margin = taps * 3 / 8 < 192 ? taps * 3 / 8 : 192;
	ec->last_lag = -1;
	ec->w = calloc(taps, sizeof(*ec->w));
	ec->x = calloc(2 * (size_t)EC_HIST, sizeof(*ec->x));
	ec->dr = calloc(2 * (size_t)EC_DHIST, sizeof(*ec->dr));
	ec->corr = calloc(EC_NLAG, sizeof(*ec->corr));
	if (!ec->w || !ec->x || !ec->dr || !ec->corr) {
		mem_deref(ec);
		return -ENOMEM;
	}
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

/* The loudest reference sample that can echo now: the frames that
 * overlap the window x[off..off+taps) (frame 0 is the newest). */
static int16_t tail_peak(const struct tdm_dsp_ec *ec)
{
	unsigned first = ec->off / TDM_DSP_FRAME;
	unsigned last = (ec->off + ec->taps) / TDM_DSP_FRAME + 1;
	int16_t m = 0;

	if (last >= EC_MAX_BLOCKS)
		last = EC_MAX_BLOCKS - 1;
	for (unsigned j = first; j <= last; j++) {
		unsigned i = (ec->ipeak + EC_MAX_BLOCKS - 1 - j) %
			     EC_MAX_BLOCKS;

		if (ec->peak[i] > m)
			m = ec->peak[i];
	}
	return m;
}

/* One sample: returns the echo-free sample, and leaves the tap update
 * its error calls for pending in ec->g (applied by the next sample's
 * pass over the taps, or at the end of the frame). */
static float ec_sample(struct tdm_dsp_ec *ec, float ref, float d, bool adapt)
{
	unsigned n = ec->taps, p;
	const float *x;
	float e;

	/* newest first: x[p] is now, x[p + k] is k samples ago; the
	 * window starts off samples ago, so x[k + 1] is the previous
	 * sample's x[k] */
	p = ec->pos = (ec->pos + EC_HIST - 1) % EC_HIST;
	ec->x[p] = ec->x[p + EC_HIST] = ref;
	x = ec->x + p + ec->off;
	ec->xpow += x[0] * x[0] - x[n] * x[n];
	if (ec->xpow < 0)
		ec->xpow = 0;
	e = d - ec->k->nlms(ec->w, x, n, ec->g);
	ec->g = adapt && ec->xpow >= (float)n * 4.0f ?
			EC_MU * e / (ec->xpow + 1.0f) : 0.0f;
	return e;
}

/* Move the window to start @off samples ago; the taps keep their lags
 * where both windows overlap. */
static void ec_move(struct tdm_dsp_ec *ec, unsigned off)
{
	int d = (int)off - (int)ec->off;
	unsigned n = ec->taps;

	if (d >= (int)n || -d >= (int)n) {
		/* no overlap: start over */
		memset(ec->w, 0, n * sizeof(*ec->w));
	} else if (d > 0) {
		memmove(ec->w, ec->w + d, (n - (unsigned)d) * sizeof(*ec->w));
		memset(ec->w + n - d, 0, (unsigned)d * sizeof(*ec->w));
	} else if (d < 0) {
		memmove(ec->w - d, ec->w, (n - (unsigned)-d) * sizeof(*ec->w));
		memset(ec->w, 0, (unsigned)-d * sizeof(*ec->w));
	}
	ec->off = off;
	ec->moves++;
}

/* One estimate from the correlation sums: accept the strongest lag if
 * it stands out of the rest and the previous estimate agrees. */
static void est_decide(struct tdm_dsp_ec *ec)
{
	float best = 0, sum = 0;
	int lag = 0;
	unsigned want, max_off = EC_HIST - ec->taps - 1;

	for (int l = 0; l < EC_NLAG; l++) {
		float a = ec->corr[l] < 0 ? -ec->corr[l] : ec->corr[l];

		sum += ec->corr[l] * ec->corr[l];
		if (a > best) {
			best = a;
			lag = l;
		}
	}
	memset(ec->corr, 0, EC_NLAG * sizeof(*ec->corr));
	ec->nest = 0;
	if (best * best < EC_EST_SNR * EC_EST_SNR * sum / EC_NLAG) {
		ec->last_lag = -1;
		return;
	}
	if (ec->last_lag < 0 || abs(lag - ec->last_lag) > EC_EST_AGREE) {
		ec->last_lag = lag;
		return;
	}
	ec->last_lag = lag;
	ec->delay = (unsigned)lag * EC_DEC;
	want = ec->delay > ec->margin ? ec->delay - ec->margin : 0;
	if (want > max_off)
		want = max_off;
	/* a few samples either way are inside the margin: no churn */
	if (abs((int)want - (int)ec->off) > EC_DEC)
		ec_move(ec, want);
}

/* Feed the estimator one frame of reference and received (echo) audio;
 * @active: the reference is loud enough to estimate with. */
static void est_feed(struct tdm_dsp_ec *ec, const int16_t *ref,
		     const int16_t *rx, size_t n, bool active)
{
	for (size_t i = 0; i < n; i++) {
		float d, *r;

		ec->rsum += ref[i];
		ec->dsum += rx[i];
		if (++ec->dphase < EC_DEC)
			continue;
		ec->dphase = 0;
		ec->dpos = (ec->dpos + EC_DHIST - 1) % EC_DHIST;
		/* scaled to about +-1 so float sums stay exact enough */
		ec->dr[ec->dpos] = ec->dr[ec->dpos + EC_DHIST] =
			ec->rsum / (32768.0f * EC_DEC);
		d = ec->dsum / (32768.0f * EC_DEC);
		ec->rsum = ec->dsum = 0;
		if (!active)
			continue;
		/* corr[l] += d(t) r(t - l) */
		r = ec->dr + ec->dpos;
		ec->k->axpy(ec->corr, r, EC_NLAG, d);
		if (++ec->nest == EC_EST_N)
			est_decide(ec);
	}
}

/* The filter cancels: the search for the delay may rest. */
static bool ec_settled(const struct tdm_dsp_ec *ec)
{
	return ec->frames >= EC_AVG_N && ec->avg_in > EC_SETTLED * ec->avg_out;
}

void tdm_dsp_ec_process(struct tdm_dsp_ec *ec, const int16_t *ref,
			int16_t *rx, size_t n)
{
	double pin = tdm_dsp_power(rx, n), pref = tdm_dsp_power(ref, n);
	bool active = tdm_dsp_power_dbm0(pref) >= EC_REF_ACTIVE_DBM0;
	bool search = active && !ec_settled(ec);
	const float *w;
	int16_t peak;

	if (active && !search && ec->nest) {
		/* settled mid-estimate: the next search starts afresh */
		memset(ec->corr, 0, EC_NLAG * sizeof(*ec->corr));
		ec->nest = 0;
		ec->last_lag = -1;
	}
	est_feed(ec, ref, rx, n, search);
	ec->peak[ec->ipeak] = frame_peak(ref, n);
	ec->ipeak = (ec->ipeak + 1) % EC_MAX_BLOCKS;
	peak = tail_peak(ec);
	/* the window's power afresh once a frame: no drift from the
	 * running update below */
	w = ec->x + ec->pos + ec->off;
	ec->xpow = ec->k->energy(w, ec->taps);
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
	/* the last sample's update now: the window may move before the
	 * next frame */
	if (ec->g != 0.0f) {
		ec->k->axpy(ec->w, ec->x + ec->pos + ec->off, ec->taps, ec->g);
		ec->g = 0.0f;
	}
	if (!active)
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
	st->delay_ms = (double)ec->delay * 1000.0 / TDM_DSP_RATE;
	st->moves = ec->moves;
}

unsigned tdm_dsp_ec_tail_ms(const struct tdm_dsp_ec *ec)
{
	return ec->tail_ms;
}
