// SPDX-License-Identifier: GPL-2.0
/* Media stream, receive side: RTP into the jitter buffer and DTMF
 * receiver, 20 ms frames out. */
#include <errno.h>
#include <string.h>

#include "../base/loop.h"
#include "stream_priv.h"

void media_stream_dtmf_event(const struct media_dtmf_event *ev, void *arg)
{
	struct media_stream *ms = arg;

	if (ms->inband_out)
		(void)media_dtmf_gen_event(ms->gen_in, ev);
	if (ms->dtmfh)
		ms->dtmfh(ev, ms->arg);
}

void media_stream_rtp_recv(const struct rtp_hdr *h, const uint8_t *payload,
			   size_t len, void *arg)
{
	struct media_stream *ms = arg;
	struct media_jb_pkt pk = {
		.ssrc = h->ssrc,
		.seq = h->seq,
		.ts = h->ts,
		.marker = h->marker,
		.payload = payload,
		.len = len,
		.arrival_ms = loop_now_ms(),
	};

	if (!media_stream_can_recv(ms))
		return;
	if (ms->te_pt >= 0 && h->pt == ms->te_pt) {
		/* a malformed event is counted by the receiver */
		(void)media_dtmf_rx_put(ms->drx, h->ts, h->marker, payload,
					len, pk.arrival_ms);
		return;
	}
	if (h->pt == MEDIA_CN_PT) {
		pk.cn = true;
	} else if (h->pt == media_codec_pt(ms->dec)) {
		pk.units = media_codec_ts_units(ms->dec, len);
	} else {
		return;
	}
	/* late, duplicate and malformed packets are counted by the buffer */
	(void)media_jb_put(ms->jb, &pk);
}

void media_stream_rtp_event(enum rtp_sess_event ev, void *arg)
{
	struct media_stream *ms = arg;

	/* a new sender: its events start over (the buffer sees the SSRC) */
	if (ev == RTP_SESS_EV_SSRC)
		media_dtmf_rx_reset(ms->drx);
}

int media_stream_get(struct media_stream *ms, int16_t *pcm, size_t n)
{
	uint64_t now = loop_now_ms();
	int kind;

	if (n < MEDIA_STREAM_FRAME)
		return -ENOSPC;
	ms->frames_out++;
	media_dtmf_rx_poll(ms->drx, now);
	if (!media_stream_can_recv(ms)) {
		memset(pcm, 0, MEDIA_STREAM_FRAME * sizeof(*pcm));
	} else {
		kind = media_jb_play(ms->jb, ms->dec, ms->plc, &ms->cng, now,
				     pcm, MEDIA_STREAM_FRAME);
		if (kind < 0)
			return kind;
	}
	if (ms->inband_out)
		media_dtmf_gen_frame(ms->gen_in, pcm, MEDIA_STREAM_FRAME);
	return MEDIA_STREAM_FRAME;
}
