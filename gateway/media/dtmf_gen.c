// SPDX-License-Identifier: GPL-2.0
/*
 * In-band DTMF generation (RFC 4733 -> tones) with spandsp's dtmf_tx.
 *
 * The length of a digit is unknown at its start: the tone starts when the
 * START event arrives and plays until the END event's duration has been
 * played (or at once, if that much already has). spandsp's generator is
 * given an on-time longer than any digit and simply stopped there. Digits
 * are kept at least 40 ms long and 40 ms apart (ITU-T Q.24 minimums), so
 * a detector on the far side sees each of them once.
 */
#include <errno.h>
#include <string.h>

#include <spandsp.h>

#include "../base/mem.h"
#include "dtmf.h"

#define GEN_QUEUE 16
#define GEN_MIN_ON 320	   /* 40 ms at 8 kHz */
#define GEN_GAP 320	   /* 40 ms */
#define GEN_MAX_ON 480000  /* 60 s: an open digit never outlives this */
#define GEN_ON_MS 61000	   /* spandsp's on-time, beyond GEN_MAX_ON */

struct gen_digit {
	char digit;
	int level; /* dBm0 */
	uint32_t ts;
	uint32_t len; /* samples to play, 0 until the END event */
};

struct media_dtmf_gen {
	dtmf_tx_state_t *tx; /* owned (spandsp) */
	struct gen_digit q[GEN_QUEUE];
	unsigned head, n;
	bool playing;	 /* q[head] is sounding */
	uint32_t played; /* samples of q[head] so far */
	uint32_t gap;	 /* silent samples still due after a digit */
};

static void gen_destroy(void *arg)
{
	struct media_dtmf_gen *g = arg;

	if (g->tx)
		dtmf_tx_free(g->tx);
}

int media_dtmf_gen_alloc(struct media_dtmf_gen **gp)
{
	struct media_dtmf_gen *g = mem_zalloc(sizeof(*g), gen_destroy);

	if (!g)
		return -ENOMEM;
	g->tx = dtmf_tx_init(NULL);
	if (!g->tx) {
		mem_deref(g);
		return -ENOMEM;
	}
	*gp = g;
	return 0;
}

int media_dtmf_gen_event(struct media_dtmf_gen *g,
			 const struct media_dtmf_event *ev)
{
	struct gen_digit *d;
	unsigned i;

	if (media_dtmf_code(ev->digit) < 0)
		return -EINVAL;
	if (ev->type == MEDIA_DTMF_EV_START) {
		if (g->n == GEN_QUEUE)
			return -ENOSPC;
		d = &g->q[(g->head + g->n++) % GEN_QUEUE];
		d->digit = ev->digit;
		/* RFC 4733 volume is -dBm0; keep it where detectors work */
		d->level = ev->volume < 4 ? -4 : ev->volume > 20 ? -20
								 : -ev->volume;
		d->ts = ev->ts;
		d->len = 0;
		return 0;
	}
	for (i = 0; i < g->n; i++) {
		d = &g->q[(g->head + i) % GEN_QUEUE];
		if (d->ts == ev->ts && d->digit == ev->digit && !d->len) {
			d->len = ev->duration < GEN_MIN_ON ? GEN_MIN_ON
							   : ev->duration;
			if (d->len > GEN_MAX_ON)
				d->len = GEN_MAX_ON;
			return 0;
		}
	}
	return 0;
}

static void gen_begin(struct media_dtmf_gen *g)
{
	const struct gen_digit *d = &g->q[g->head];

	dtmf_tx_init(g->tx);
	dtmf_tx_set_level(g->tx, d->level, 0);
	dtmf_tx_set_timing(g->tx, GEN_ON_MS, 0);
	dtmf_tx_put(g->tx, &d->digit, 1);
	g->playing = true;
	g->played = 0;
}

bool media_dtmf_gen_frame(struct media_dtmf_gen *g, int16_t *pcm, size_t n)
{
	size_t off = 0, k;
	uint32_t len;
	int got;

	while (off < n) {
		if (g->gap) {
			k = n - off < g->gap ? n - off : g->gap;
			memset(pcm + off, 0, k * sizeof(*pcm));
			off += k;
			g->gap -= (uint32_t)k;
			continue;
		}
		if (!g->playing) {
			if (!g->n)
				break;
			gen_begin(g);
		}
		len = g->q[g->head].len ? g->q[g->head].len : GEN_MAX_ON;
		k = n - off;
		if (len - g->played < k)
			k = len - g->played;
		got = k ? dtmf_tx(g->tx, pcm + off, (int)k) : 0;
		if (got < 0)
			got = 0;
		if ((size_t)got < k)
			memset(pcm + off + got, 0, (k - (size_t)got) *
						       sizeof(*pcm));
		off += k;
		g->played += (uint32_t)k;
		if (g->played >= len) {
			g->playing = false;
			g->head = (g->head + 1) % GEN_QUEUE;
			g->n--;
			g->gap = GEN_GAP;
		}
	}
	return off > 0;
}
