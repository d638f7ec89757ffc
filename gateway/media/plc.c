// SPDX-License-Identifier: GPL-2.0
/* spandsp's PLC behind the media_ names. */
#include <errno.h>
#include <string.h>

#include <spandsp.h>

#include "../base/mem.h"
#include "plc.h"

struct media_plc {
	plc_state_t *s; /* owned (spandsp) */
};

static void plc_destroy(void *arg)
{
	struct media_plc *p = arg;

	if (p->s)
		plc_free(p->s);
}

int media_plc_alloc(struct media_plc **pp)
{
	struct media_plc *p = mem_zalloc(sizeof(*p), plc_destroy);

	if (!p)
		return -ENOMEM;
	p->s = plc_init(NULL);
	if (!p->s) {
		mem_deref(p);
		return -ENOMEM;
	}
	*pp = p;
	return 0;
}

void media_plc_good(struct media_plc *p, int16_t *pcm, size_t n)
{
	plc_rx(p->s, pcm, (int)n);
}

/*
 * spandsp 0.0.6 rotates its history ring to the start on the first
 * concealed frame after good audio (normalise_history), with memcpy() over
 * overlapping ranges whenever the ring's write pointer is in its first
 * half: undefined behaviour (ASan stops on it). Rotate it here with
 * memmove() first, so spandsp finds nothing to do.
 */
static void plc_rotate_history(plc_state_t *s)
{
	int16_t tmp[PLC_HISTORY_LEN];
	int k = s->buf_ptr;

	if (s->missing_samples || k <= 0 || k >= PLC_HISTORY_LEN)
		return;
	memcpy(tmp, s->history, sizeof(int16_t) * (size_t)k);
	memmove(s->history, &s->history[k],
		sizeof(int16_t) * (size_t)(PLC_HISTORY_LEN - k));
	memcpy(&s->history[PLC_HISTORY_LEN - k], tmp,
	       sizeof(int16_t) * (size_t)k);
	s->buf_ptr = 0;
}

void media_plc_conceal(struct media_plc *p, int16_t *pcm, size_t n)
{
	plc_rotate_history(p->s);
	plc_fillin(p->s, pcm, (int)n);
}
