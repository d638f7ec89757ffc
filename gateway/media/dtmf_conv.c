// SPDX-License-Identifier: GPL-2.0
/*
 * DTMF conversion for one call leg, both ways:
 *
 *   IP -> in-band:  telephone-event packets -> receiver -> tone generator,
 *                   whose tones replace the audio toward the in-band side;
 *   in-band -> IP:  audio -> detector (which delays and mutes it) ->
 *                   sender, whose packets join the RTP stream.
 *
 * Each digit crosses once: the receiver reports it once however the
 * packets arrive, and the detector silences the tone it turns into an
 * event, so it does not reach the far end a second time in the audio.
 */
#include <errno.h>

#include "../base/mem.h"
#include "dtmf.h"

struct media_dtmf_conv {
	struct media_dtmf_rx *rx;   /* owned */
	struct media_dtmf_gen *gen; /* owned */
	struct media_dtmf_det *det; /* owned */
	struct media_dtmf_tx *tx;   /* owned */
	uint32_t ts;		    /* timestamp of the frame going out */
};

static void conv_destroy(void *arg)
{
	struct media_dtmf_conv *c = arg;

	mem_deref(c->rx);
	mem_deref(c->gen);
	mem_deref(c->det);
	mem_deref(c->tx);
}

static void conv_rx_h(const struct media_dtmf_event *ev, void *arg)
{
	struct media_dtmf_conv *c = arg;

	/* a full queue (16 digits pending) drops the digit: nothing better
	 * to do with a peer that fast */
	(void)media_dtmf_gen_event(c->gen, ev);
}

static void conv_det_h(const struct media_dtmf_event *ev, void *arg)
{
	struct media_dtmf_conv *c = arg;

	/* the detector always ends a digit before it reports the next */
	if (ev->type == MEDIA_DTMF_EV_START) {
		(void)media_dtmf_tx_start(c->tx, ev->digit, c->ts);
	} else {
		(void)media_dtmf_tx_stop(c->tx);
	}
}

int media_dtmf_conv_alloc(struct media_dtmf_conv **cp,
			  const struct media_dtmf_conv_params *p)
{
	struct media_dtmf_conv *c;
	int err;

	c = mem_zalloc(sizeof(*c), conv_destroy);
	if (!c)
		return -ENOMEM;
	err = media_dtmf_rx_alloc(&c->rx, p ? &p->rx : NULL, conv_rx_h, c);
	if (err)
		goto err;
	err = media_dtmf_gen_alloc(&c->gen);
	if (err)
		goto err;
	err = media_dtmf_det_alloc(&c->det, conv_det_h, c);
	if (err)
		goto err;
	err = media_dtmf_tx_alloc(&c->tx, p ? &p->tx : NULL);
	if (err)
		goto err;
	*cp = c;
	return 0;
err:
	mem_deref(c);
	return err;
}

int media_dtmf_conv_pkt_in(struct media_dtmf_conv *c, uint32_t ts,
			   bool marker, const uint8_t *payload, size_t len,
			   uint64_t now_ms)
{
	return media_dtmf_rx_put(c->rx, ts, marker, payload, len, now_ms);
}

void media_dtmf_conv_audio_out(struct media_dtmf_conv *c, int16_t *pcm,
			       size_t n, uint64_t now_ms)
{
	media_dtmf_rx_poll(c->rx, now_ms);
	media_dtmf_gen_frame(c->gen, pcm, n);
}

int media_dtmf_conv_audio_in(struct media_dtmf_conv *c, int16_t *pcm,
			     size_t n, uint32_t ts,
			     struct media_dtmf_pkt *pkts, size_t max)
{
	int err;

	c->ts = ts;
	err = media_dtmf_det_frame(c->det, pcm, n);
	if (err)
		return err;
	return media_dtmf_tx_tick(c->tx, pkts, max);
}

struct media_dtmf_rx *media_dtmf_conv_rx(struct media_dtmf_conv *c)
{
	return c->rx;
}
