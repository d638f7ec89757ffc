/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet loss concealment with spandsp's plc (pitch-period repetition
 * with overlap-add, fading to silence over about 60 ms of loss). Tuned for
 * 8 kHz speech; at 16 kHz (G.722) it still bridges short gaps.
 */
#ifndef TL_MEDIA_PLC_H
#define TL_MEDIA_PLC_H

#include <stddef.h>
#include <stdint.h>

struct media_plc;

/* Allocate a concealer (mem object). 0 or -ENOMEM. */
int media_plc_alloc(struct media_plc **pp);

/* A good frame was decoded: remember it (and smooth the join after a
 * concealed stretch, which may change @pcm). */
void media_plc_good(struct media_plc *p, int16_t *pcm, size_t n);

/* A frame is missing: write @n samples of concealment. */
void media_plc_conceal(struct media_plc *p, int16_t *pcm, size_t n);

#endif
