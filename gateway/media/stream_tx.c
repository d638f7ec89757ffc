// SPDX-License-Identifier: GPL-2.0
/* Media stream, send side: 20 ms frames in, audio, CN and DTMF out. */
#include <errno.h>
#include <string.h>

#include "stream_priv.h"

/* Digits go as telephone-events only with a negotiated PT; without one
 * RFC 4733 mode falls back to tones, the only way left to send them. */
static bool send_events(const struct media_stream *ms)
{
	return ms->te_pt >= 0 && ms->dtmf != MEDIA_STREAM_DTMF_INBAND;
}

static bool send_tones(const struct media_stream *ms)
{
	return ms->dtmf != MEDIA_STREAM_DTMF_RFC4733 || ms->te_pt < 0;
}

int media_stream_dtmf_send(struct media_stream *ms, char digit,
			   unsigned duration_ms)
{
	unsigned i;

	if (media_dtmf_code(digit) < 0)
		return -EINVAL;
	if (ms->dq_n == STREAM_DQ)
		return -ENOSPC;
	i = (ms->dq_head + ms->dq_n++) % STREAM_DQ;
	ms->dq[i].digit = digit;
	ms->dq[i].ms = duration_ms < 40 ? 40 : duration_ms;
	return 0;
}

/* Start the next queued digit at this frame when the last one is done. */
static void dtmf_next(struct media_stream *ms)
{
	struct media_dtmf_event ev = { 0 };
	char digit;
	unsigned dur;

	if (ms->dtmf_left || !ms->dq_n)
		return;
	if (ms->dtmf_gap) {
		ms->dtmf_gap--;
		return;
	}
	digit = ms->dq[ms->dq_head].digit;
	dur = ms->dq[ms->dq_head].ms;
	ms->dq_head = (ms->dq_head + 1) % STREAM_DQ;
	ms->dq_n--;
	ms->dtmf_left = (dur + 19) / 20;
	ms->digits_sent++;
	if (send_events(ms))
		(void)media_dtmf_tx_start(ms->dtx, digit, ms->ts);
	if (send_tones(ms)) {
		ev.digit = digit;
		ev.type = MEDIA_DTMF_EV_START;
		(void)media_dtmf_gen_event(ms->gen_out, &ev);
		ev.type = MEDIA_DTMF_EV_END;
		ev.duration = ms->dtmf_left * MEDIA_STREAM_FRAME;
		(void)media_dtmf_gen_event(ms->gen_out, &ev);
	}
}

/* The digit's frame count runs down; at zero the event ends. */
static void dtmf_frame_done(struct media_stream *ms)
{
	if (!ms->dtmf_left)
		return;
	if (--ms->dtmf_left == 0) {
		if (send_events(ms))
			(void)media_dtmf_tx_stop(ms->dtx);
		ms->dtmf_gap = STREAM_DTMF_GAP;
	}
}

static int send_events_due(struct media_stream *ms, bool can)
{
	struct media_dtmf_pkt pk[2];
	int n, err = 0;

	n = media_dtmf_tx_tick(ms->dtx, pk, 2);
	for (int i = 0; can && i < n; i++) {
		int e = rtp_sess_send(ms->rtp, (uint8_t)ms->te_pt,
				      pk[i].marker, pk[i].ts, pk[i].payload,
				      sizeof(pk[i].payload));
		if (e)
			err = e;
	}
	return err;
}

static int flush_audio(struct media_stream *ms)
{
	int err;

	if (!ms->pkt_frames)
		return 0;
	err = rtp_sess_send(ms->rtp, media_codec_pt(ms->enc), ms->talkspurt,
			    ms->pkt_ts, ms->pkt, ms->pkt_len);
	ms->talkspurt = false;
	ms->pkt_len = 0;
	ms->pkt_frames = 0;
	return err;
}

static int send_audio(struct media_stream *ms, const int16_t *pcm)
{
	uint8_t cnp;
	int w;

	if (ms->cn) {
		switch (media_cn_tx_frame(&ms->cntx, pcm, MEDIA_STREAM_FRAME,
					  &cnp)) {
		case MEDIA_CN_TX_SEND:
			ms->pkt_len = 0;
			ms->pkt_frames = 0;
			ms->talkspurt = true;
			ms->cn_sent++;
			return rtp_sess_send(ms->rtp, MEDIA_CN_PT, false,
					     ms->ts, &cnp, 1);
		case MEDIA_CN_TX_QUIET:
			ms->pkt_len = 0;
			ms->pkt_frames = 0;
			ms->talkspurt = true;
			ms->dtx_frames++;
			return 0;
		case MEDIA_CN_TX_AUDIO:
			break;
		}
	}
	w = media_codec_encode(ms->enc, ms->pkt + ms->pkt_len,
			       sizeof(ms->pkt) - ms->pkt_len, pcm,
			       MEDIA_STREAM_FRAME);
	if (w < 0)
		return w;
	if (!ms->pkt_frames)
		ms->pkt_ts = ms->ts;
	ms->pkt_len += (size_t)w;
	if (++ms->pkt_frames < ms->fpp)
		return 0;
	return flush_audio(ms);
}

int media_stream_put(struct media_stream *ms, const int16_t *pcm, size_t n)
{
	int16_t buf[MEDIA_STREAM_FRAME];
	bool can = media_stream_can_send(ms);
	int err = 0, e;

	if (n != MEDIA_STREAM_FRAME)
		return -EINVAL;
	ms->frames_in++;
	dtmf_next(ms);
	memcpy(buf, pcm, sizeof(buf));
	if (ms->gen_out)
		media_dtmf_gen_frame(ms->gen_out, buf, MEDIA_STREAM_FRAME);
	if (ms->te_pt >= 0)
		err = send_events_due(ms, can);
	if (!can || (send_events(ms) && media_dtmf_tx_busy(ms->dtx))) {
		/* on hold, or an event going out instead of the audio: the
		 * half-built packet is dropped, the next one starts afresh */
		ms->pkt_len = 0;
		ms->pkt_frames = 0;
		ms->talkspurt = true;
	} else {
		e = send_audio(ms, buf);
		if (e && !err)
			err = e;
	}
	dtmf_frame_done(ms);
	ms->ts += MEDIA_STREAM_FRAME;
	return err;
}
