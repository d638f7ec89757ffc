// SPDX-License-Identifier: GPL-2.0
/*
 * In-band DTMF detection with spandsp's dtmf_rx, and muting of the
 * detected tone in the audio that goes on toward the RFC 4733 side.
 *
 * The detector confirms a digit some 30-40 ms after the tone began, by
 * which time that much tone would have left already. So the forwarded
 * audio runs MEDIA_DTMF_DET_DELAY frames behind, and once a digit is seen
 * every frame that may hold part of it (the delayed ones, the ones while
 * it lasts, and the tail heard until the detector lets go) goes out as
 * silence: the far end gets the digit once, as an event, not twice.
 */
#include <errno.h>
#include <string.h>

#include <spandsp.h>

#include "../base/mem.h"
#include "dtmf.h"

#define DET_FRAME 160

struct media_dtmf_det {
	dtmf_rx_state_t *rx; /* owned (spandsp) */
	media_dtmf_event_h *eh;
	void *arg; /* borrowed */
	int16_t line[MEDIA_DTMF_DET_DELAY][DET_FRAME];
	unsigned pos;	   /* oldest frame in line[] */
	unsigned mute;	   /* frames still to silence */
	char digit;	   /* sounding now, or '\0' */
	bool ended;	   /* a digit ended in the current frame */
	uint64_t samples;  /* input so far */
	uint64_t start;	   /* sample count at the digit's start */
};

static void det_destroy(void *arg)
{
	struct media_dtmf_det *d = arg;

	if (d->rx)
		dtmf_rx_free(d->rx);
}

static void det_report(struct media_dtmf_det *d, enum media_dtmf_ev_type t)
{
	struct media_dtmf_event ev = {
		.type = t,
		.digit = d->digit,
		.volume = 10,
	};

	if (t == MEDIA_DTMF_EV_END)
		ev.duration = (uint32_t)(d->samples - d->start);
	d->eh(&ev, d->arg);
}

/* spandsp's real-time report: a digit code when a tone is confirmed, 0
 * when it stops. */
static void det_tone(void *arg, int code, int level, int delay)
{
	struct media_dtmf_det *d = arg;

	(void)level;
	(void)delay;
	if (d->digit && code != d->digit) {
		det_report(d, MEDIA_DTMF_EV_END);
		d->digit = '\0';
		d->ended = true;
	}
	if (code && media_dtmf_code((char)code) >= 0 && !d->digit) {
		d->digit = (char)code;
		/* the tone began before the frame that confirmed it */
		d->start = d->samples;
		det_report(d, MEDIA_DTMF_EV_START);
	}
}

int media_dtmf_det_alloc(struct media_dtmf_det **dp, media_dtmf_event_h *eh,
			 void *arg)
{
	struct media_dtmf_det *d;

	if (!eh)
		return -EINVAL;
	d = mem_zalloc(sizeof(*d), det_destroy);
	if (!d)
		return -ENOMEM;
	d->rx = dtmf_rx_init(NULL, NULL, NULL);
	if (!d->rx) {
		mem_deref(d);
		return -ENOMEM;
	}
	dtmf_rx_set_realtime_callback(d->rx, det_tone, d);
	d->eh = eh;
	d->arg = arg;
	*dp = d;
	return 0;
}

int media_dtmf_det_frame(struct media_dtmf_det *d, int16_t *pcm, size_t n)
{
	int16_t *old;

	if (n != DET_FRAME)
		return -EINVAL;
	dtmf_rx(d->rx, pcm, (int)n);
	d->samples += n;
	/* while a digit sounds, and in the frame where it stopped,
	 * everything in the delay line and this frame may carry it */
	if (d->digit || d->ended)
		d->mute = MEDIA_DTMF_DET_DELAY + 1;
	d->ended = false;
	old = d->line[d->pos];
	/* swap: the oldest frame goes out, this one takes its place */
	for (size_t i = 0; i < n; i++) {
		int16_t s = old[i];

		old[i] = pcm[i];
		pcm[i] = s;
	}
	d->pos = (d->pos + 1) % MEDIA_DTMF_DET_DELAY;
	if (d->mute) {
		memset(pcm, 0, n * sizeof(*pcm));
		d->mute--;
	}
	return 0;
}
