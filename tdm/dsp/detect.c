// SPDX-License-Identifier: GPL-2.0
/*
 * Tone detectors for supervision and fax.
 *
 * Busy/reorder: an FXO line often signals the far end's hang-up only with
 * a busy or reorder tone, so a line must not stay off-hook on it. Each
 * 20 ms frame is classed "tone" when the zone's busy frequencies carry
 * most of the frame's energy at a usable level (Goertzel filters), then
 * the lengths of tone and gap runs are matched against the zone's busy
 * and congestion cadences. A match needs one whole cycle plus the next
 * run confirmed for its full length (the run still under way counts
 * once it has lasted its nominal time less the tolerance), and at least
 * BUSY_MIN_MS of matching cadence: US busy (500/500) is then reported
 * 1.45 s after it starts instead of 2 s, while short cadences still need
 * more than a cycle, so a German call-waiting tone (200/200/200/5000)
 * is not taken for congestion (240/240). Speech has bursts but not a
 * steady period, and ringback has the right frequency in some zones but
 * a much longer cadence.
 *
 * Fax: spandsp's modem_connect_tones_rx for CNG (1100 Hz, 0.5 s on, 3 s
 * off) and CED (2100 Hz).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

#define BUSY_MIN_DBM0 -36.0  /* quieter than this is not a tone */
#define BUSY_PURITY 0.6	     /* share of energy in the tone's bins */
#define BUSY_MIN_MS 1200     /* matching cadence needed, at least */
#define BUSY_TOL_MS 60	     /* per run: 20 ms frames, edges fall inside */
#define BUSY_TOL_PCT 15
#define BUSY_HIST 16	     /* runs kept: 2 cycles of 4 runs, twice */

struct cadence {
	enum tdm_dsp_det what;
	unsigned n; /* runs per cycle: 2 or 4 */
	unsigned ms[4];
};

struct tdm_dsp_busy {
	double coef[2]; /* Goertzel 2 cos(w) per frequency */
	unsigned nf;
	struct cadence cad[2];
	bool tone;	 /* current frame class */
	unsigned run_ms; /* length of the current run */
	unsigned hist[BUSY_HIST]; /* completed runs, newest last */
	bool hist_on[BUSY_HIST];
	unsigned nhist;
	bool reported;
	tdm_dsp_det_h *h;
	void *arg;
};

struct tdm_dsp_fax {
	modem_connect_tones_rx_state_t *cng, *ced; /* owned */
	bool cng_seen, ced_seen;
	tdm_dsp_det_h *h;
	void *arg;
};

const char *tdm_dsp_det_name(enum tdm_dsp_det d)
{
	switch (d) {
	case TDM_DSP_DET_BUSY:
		return "busy";
	case TDM_DSP_DET_CONGESTION:
		return "congestion";
	case TDM_DSP_DET_CNG:
		return "cng";
	case TDM_DSP_DET_CED:
		return "ced";
	}
	return "?";
}

static void cadence_set(struct cadence *c, enum tdm_dsp_det what,
			const struct tdm_dsp_tone_def *d)
{
	c->what = what;
	c->n = d->cad[2] ? 4 : 2;
	for (unsigned i = 0; i < 4; i++)
		c->ms[i] = d->cad[i];
}

int tdm_dsp_busy_alloc(struct tdm_dsp_busy **bp,
		       const struct tdm_dsp_zone *zone, tdm_dsp_det_h *h,
		       void *arg)
{
	const struct tdm_dsp_tone_def *d;
	struct tdm_dsp_busy *b;

	if (!zone || !h)
		return -EINVAL;
	b = mem_zalloc(sizeof(*b), NULL);
	if (!b)
		return -ENOMEM;
	d = &zone->tone[TDM_TONE_BUSY];
	b->coef[0] = 2.0 * cos(2.0 * M_PI * d->f1 / TDM_DSP_RATE);
	b->nf = 1;
	if (d->f2) {
		b->coef[1] = 2.0 * cos(2.0 * M_PI * d->f2 / TDM_DSP_RATE);
		b->nf = 2;
	}
	cadence_set(&b->cad[0], TDM_DSP_DET_BUSY, d);
	cadence_set(&b->cad[1], TDM_DSP_DET_CONGESTION,
		    &zone->tone[TDM_TONE_CONGESTION]);
	b->h = h;
	b->arg = arg;
	*bp = b;
	return 0;
}

/* Power of one frame at the frequency of @coef, scaled like the frame's
 * mean square (a pure tone gives about the same number). */
static double goertzel(const int16_t *x, size_t n, double coef)
{
	double s1 = 0, s2 = 0;

	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + coef * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return 2.0 * (s1 * s1 + s2 * s2 - coef * s1 * s2) / ((double)n * n);
}

static bool within(unsigned got, unsigned want)
{
	unsigned tol = want * BUSY_TOL_PCT / 100;

	if (tol < BUSY_TOL_MS)
		tol = BUSY_TOL_MS;
	return got + tol >= want && got <= want + tol;
}

/* Does the run under way, with the completed runs before it, follow @c
 * for one cycle plus a run and BUSY_MIN_MS, in some phase? Walks back
 * from the newest run; the one under way only has to have lasted long
 * enough. */
static bool cadence_match(const struct tdm_dsp_busy *b, const struct cadence *c)
{
	for (unsigned phase = 0; phase < c->n; phase++) {
		unsigned seg = phase, want = c->ms[seg], runs = 1;
		unsigned dur = b->run_ms;
		unsigned tol = want * BUSY_TOL_PCT / 100;

		if (tol < BUSY_TOL_MS)
			tol = BUSY_TOL_MS;
		if (b->tone != !(seg & 1) || b->run_ms + tol < want ||
		    b->run_ms > want + tol)
			continue;
		for (unsigned h = b->nhist; h-- > 0;) {
			seg = (seg + c->n - 1) % c->n;
			if (b->hist_on[h] != !(seg & 1) ||
			    !within(b->hist[h], c->ms[seg]))
				break;
			dur += b->hist[h];
			if (++runs > c->n && dur >= BUSY_MIN_MS)
				return true;
		}
	}
	return false;
}

static void run_done(struct tdm_dsp_busy *b)
{
	if (b->nhist == BUSY_HIST) {
		memmove(b->hist, b->hist + 1, sizeof(b->hist) -
						      sizeof(b->hist[0]));
		memmove(b->hist_on, b->hist_on + 1,
			sizeof(b->hist_on) - sizeof(b->hist_on[0]));
		b->nhist--;
	}
	b->hist[b->nhist] = b->run_ms;
	b->hist_on[b->nhist] = b->tone;
	b->nhist++;
}

static void busy_check(struct tdm_dsp_busy *b)
{
	if (b->reported)
		return;
	for (unsigned i = 0; i < 2; i++) {
		if (!cadence_match(b, &b->cad[i]))
			continue;
		b->reported = true;
		b->h(b->cad[i].what, b->arg);
		return;
	}
}

void tdm_dsp_busy_feed(struct tdm_dsp_busy *b, const int16_t *frame)
{
	double total = tdm_dsp_power(frame, TDM_DSP_FRAME), in_bins = 0;
	bool tone;

	for (unsigned i = 0; i < b->nf; i++)
		in_bins += goertzel(frame, TDM_DSP_FRAME, b->coef[i]);
	tone = tdm_dsp_power_dbm0(total) >= BUSY_MIN_DBM0 &&
	       in_bins >= BUSY_PURITY * total;
	if (tone != b->tone && b->run_ms) {
		run_done(b);
		b->run_ms = 0;
	}
	b->tone = tone;
	b->run_ms += TDM_DSP_FRAME_MS;
	busy_check(b);
	/* a long silence ends the tone: report again next time */
	if (!tone && b->run_ms >= 3000 && b->reported) {
		b->reported = false;
		b->nhist = 0;
	}
	/* a gap that long is no busy cadence: do not let it grow forever */
	if (b->run_ms > 60000)
		b->run_ms = 60000;
}

static void fax_destroy(void *data)
{
	struct tdm_dsp_fax *f = data;

	if (f->cng)
		modem_connect_tones_rx_free(f->cng);
	if (f->ced)
		modem_connect_tones_rx_free(f->ced);
}

static void fax_tone(void *user, int code, int level, int delay)
{
	struct tdm_dsp_fax *f = user;

	(void)level;
	(void)delay;
	if (code == MODEM_CONNECT_TONES_FAX_CNG && !f->cng_seen) {
		f->cng_seen = true;
		f->h(TDM_DSP_DET_CNG, f->arg);
	} else if ((code == MODEM_CONNECT_TONES_FAX_CED ||
		    code == MODEM_CONNECT_TONES_ANS ||
		    code == MODEM_CONNECT_TONES_ANS_PR) &&
		   !f->ced_seen) {
		f->ced_seen = true;
		f->h(TDM_DSP_DET_CED, f->arg);
	}
}

int tdm_dsp_fax_alloc(struct tdm_dsp_fax **fp, tdm_dsp_det_h *h, void *arg)
{
	struct tdm_dsp_fax *f;

	if (!h)
		return -EINVAL;
	f = mem_zalloc(sizeof(*f), fax_destroy);
	if (!f)
		return -ENOMEM;
	f->h = h;
	f->arg = arg;
	f->cng = modem_connect_tones_rx_init(NULL, MODEM_CONNECT_TONES_FAX_CNG,
					     fax_tone, f);
	f->ced = modem_connect_tones_rx_init(NULL, MODEM_CONNECT_TONES_ANS,
					     fax_tone, f);
	if (!f->cng || !f->ced) {
		mem_deref(f);
		return -ENOMEM;
	}
	*fp = f;
	return 0;
}

void tdm_dsp_fax_feed(struct tdm_dsp_fax *f, const int16_t *amp, size_t n)
{
	if (!f->cng_seen)
		modem_connect_tones_rx(f->cng, amp, (int)n);
	if (!f->ced_seen)
		modem_connect_tones_rx(f->ced, amp, (int)n);
}
