/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the media stream: shared by stream.c, stream_rx.c, stream_tx.c */
#ifndef TL_MEDIA_STREAM_PRIV_H
#define TL_MEDIA_STREAM_PRIV_H

#include "cn.h"
#include "plc.h"
#include "stream.h"

#define STREAM_PTIME_MAX 120
#define STREAM_DQ 16
/* frames of silence between two digits sent one after the other */
#define STREAM_DTMF_GAP 3

struct media_stream {
	struct loop *loop;		/* borrowed */
	struct rtp_sess *rtp;		/* owned */
	enum media_codec_id codec;
	struct media_codec *enc, *dec;	/* owned */
	struct media_jb *jb;		/* owned */
	struct media_plc *plc;		/* owned */
	struct media_cn_gen cng;
	struct media_cn_tx cntx;
	struct media_dtmf_rx *drx;	/* owned */
	struct media_dtmf_tx *dtx;	/* owned */
	struct media_dtmf_gen *gen_out;	/* owned: tones we send */
	struct media_dtmf_gen *gen_in;	/* owned: tones in get() */
	int te_pt;
	unsigned ptime, fpp;		/* ms, frames per packet */
	enum media_stream_dtmf dtmf;
	enum media_stream_dir dir;
	bool cn, inband_out;
	media_stream_dtmf_h *dtmfh;
	void *arg;			/* borrowed */
	struct sa sdp_remote, sdp_remote_rtcp; /* as the SDP gave them */
	/* referenced: the SRTP contexts the RTP session runs (it holds
	 * its own references), for media_stream_srtp() and the stats */
	struct rtp_srtp *srtp_in, *srtp_out;

	/* send side */
	uint32_t ts;			/* media timestamp of the next frame */
	uint8_t pkt[STREAM_PTIME_MAX / 20 * MEDIA_JB_FRAME_MAX];
	size_t pkt_len;
	unsigned pkt_frames;
	uint32_t pkt_ts;
	bool talkspurt;			/* next audio packet starts one */
	struct {
		char digit;
		unsigned ms;
	} dq[STREAM_DQ];
	unsigned dq_head, dq_n;
	unsigned dtmf_left;		/* frames left of the digit sent */
	unsigned dtmf_gap;		/* frames before the next digit */

	uint64_t frames_in, frames_out, cn_sent, dtx_frames, digits_sent;
};

bool media_stream_can_send(const struct media_stream *ms);
bool media_stream_can_recv(const struct media_stream *ms);

/* stream_rx.c */
void media_stream_rtp_recv(const struct rtp_hdr *h, const uint8_t *payload,
			   size_t len, void *arg);
void media_stream_rtp_event(enum rtp_sess_event ev, void *arg);
void media_stream_dtmf_event(const struct media_dtmf_event *ev, void *arg);

#endif
