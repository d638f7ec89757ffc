/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media stream: what a SIP leg plugs into an audio bridge. One RTP
 * session with a codec, the telephone-event payload type, DTMF handling,
 * comfort noise and a direction, turning 20 ms frames of 8 kHz linear
 * audio into RTP and back.
 *
 *   receive: RTP -> jitter buffer -> decode / PLC / CN -> media_stream_get
 *   send:    media_stream_put -> encode (or CN/DTX) -> RTP
 *   DTMF:    RFC 4733 events in -> digit events (and in-band tones in the
 *            audio out, on request); digits out as RFC 4733 events,
 *            in-band tones, or both
 *
 * The 20 ms clock belongs to the caller: the bridge calls put() and get()
 * once per frame, paced by whatever drives it (a DAHDI channel's reads, or
 * a loop timer for IP-to-IP bridges). The stream keeps no clock of its
 * own, so a TDM leg and an IP leg never drift against each other inside
 * the gateway; the jitter buffer absorbs the network's side of it.
 *
 * SRTP: with the contexts in p->rtp (keys from SDES, RFC 4568), RTP and
 * RTCP go out protected (SRTP, SRTCP) and come in authenticated, with
 * replay protection; media_stream_update() swaps them (a rekeying
 * re-INVITE). A stream with SRTP and one without bridge through decoded
 * audio like any two streams: that is RTP<->SRTP interworking.
 *
 * Everything runs on the loop's thread. G.722 is used with 8 kHz PCM at
 * this interface (spandsp resamples), so every codec moves 160 samples per
 * frame.
 */
#ifndef TL_MEDIA_STREAM_H
#define TL_MEDIA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "dtmf.h"
#include "jb.h"
#include "rtpsess.h"

/* Samples in one 20 ms frame at the stream's interface (8 kHz). */
#define MEDIA_STREAM_FRAME 160

enum media_stream_dtmf {
	MEDIA_STREAM_DTMF_RFC4733, /* send digits as telephone-events */
	MEDIA_STREAM_DTMF_INBAND,  /* send digits as tones in the audio */
	MEDIA_STREAM_DTMF_BOTH,
};

/* SDP direction from our side (RFC 3264 6.1). */
enum media_stream_dir {
	MEDIA_STREAM_SENDRECV,
	MEDIA_STREAM_SENDONLY,
	MEDIA_STREAM_RECVONLY,
	MEDIA_STREAM_INACTIVE,
};

struct media_stream;

/* A received digit started or ended (RFC 4733 events; ts and duration in
 * 8 kHz units). */
typedef void(media_stream_dtmf_h)(const struct media_dtmf_event *ev,
				  void *arg);

struct media_stream_params {
	/* the RTP session: ports, local and remote address, rtcp-mux,
	 * strict, RTCP interval, SRTP, cname, id. pt/npt, recvh, eventh
	 * and arg are the stream's own and are ignored here. */
	struct rtp_sess_params rtp;
	enum media_codec_id codec;
	int te_pt;		   /* telephone-event PT 96-127, -1 = none */
	unsigned ptime;		   /* ms per packet, multiple of 20; 0: 20 */
	enum media_stream_dtmf dtmf;
	enum media_stream_dir dir;
	bool cn;		   /* send CN (PT 13) and DTX in silence */
	bool dtmf_inband_out;	   /* play received events as tones in get() */
	unsigned jb_min_ms, jb_max_ms; /* jitter buffer bounds; 0: defaults */
	media_stream_dtmf_h *dtmfh; /* may be NULL */
	void *arg;		   /* borrowed */
};

struct media_stream_stats {
	struct rtp_sess_stats rtp;
	struct media_jb_stats jb;	/* added delay, concealed frames */
	struct media_dtmf_rx_stats dtmf_rx;
	uint64_t frames_in, frames_out; /* put() and get() calls */
	uint64_t cn_sent, dtx_frames;
	uint64_t digits_sent;
	enum media_codec_id codec;
	enum media_stream_dir dir;
	bool srtp;			/* SRTP both ways */
};

/*
 * New stream on loop @l (borrowed) with @p; its RTP session takes a port
 * pair from p->rtp.ports. 0 and *@msp (a mem object), -EINVAL (bad
 * codec, te_pt, ptime, dtmf or dir), -EADDRNOTAVAIL, -ENOMEM, or what
 * rtp_sess_new() returns.
 */
int media_stream_new(struct media_stream **msp, struct loop *l,
		     const struct media_stream_params *p);

/*
 * Send one 20 ms frame (@n = MEDIA_STREAM_FRAME samples). In-band DTMF
 * is mixed in first, then the frame is encoded (or replaced with CN, or
 * not sent, in silence with cn on) and sent when ptime's worth has
 * gathered. Nothing is sent while the direction forbids it or an RFC 4733
 * event is going out, but timestamps keep counting. 0, -EINVAL for a bad
 * @n, or the send error (the frame still counts).
 */
int media_stream_put(struct media_stream *ms, const int16_t *pcm, size_t n);

/*
 * Take the next 20 ms frame of received audio into @pcm (@n >=
 * MEDIA_STREAM_FRAME): decoded, concealed, comfort noise or silence,
 * with received DTMF as tones if dtmf_inband_out. Silence while the
 * direction forbids receiving. Returns the samples written (160) or
 * -ENOSPC.
 */
int media_stream_get(struct media_stream *ms, int16_t *pcm, size_t n);

/*
 * Queue @digit (0-9 * # A-D) to send for @duration_ms (40 ms at least),
 * as the DTMF mode says. Digits go out one after another. 0, -EINVAL for
 * a bad digit, -ENOSPC when 16 are already queued.
 */
int media_stream_dtmf_send(struct media_stream *ms, char digit,
			   unsigned duration_ms);

/* Change the direction (hold: sendonly, recvonly, inactive). RTCP goes
 * on in every direction. -EINVAL for a bad value. */
int media_stream_set_dir(struct media_stream *ms, enum media_stream_dir dir);

/*
 * Apply a re-INVITE's answer: @p's remote address, codec, te_pt, ptime,
 * dir and SRTP contexts replace the current ones. The SSRC, sequence and
 * timestamps go on; the jitter buffer restarts when the codec changes.
 * Port, local address and rtcp-mux cannot change here (-EINVAL if the
 * parameters are invalid; nothing changes then).
 */
int media_stream_update(struct media_stream *ms,
			const struct media_stream_params *p);

/* The SRTP contexts in force (borrowed; NULL: plain RTP), for whoever
 * forwards the stream's packets in its place (media_relay_flow_srtp). */
void media_stream_srtp(const struct media_stream *ms, struct rtp_srtp **in,
		       struct rtp_srtp **out);

/* The RTP session inside (borrowed), e.g. for rtp_sess_local(). */
struct rtp_sess *media_stream_rtp(struct media_stream *ms);

/* What a forwarding engine compares between two streams before it
 * carries their packets without decoding (gateway/call/call_relay.c). */
struct media_stream_fwd {
	enum media_codec_id codec;
	uint8_t pt;	  /* the codec's payload type */
	int te_pt;	  /* telephone-event, -1 none */
	unsigned ptime;	  /* ms */
	enum media_stream_dir dir;
};

void media_stream_fwd_info(const struct media_stream *ms,
			   struct media_stream_fwd *f);

/* Copy the statistics into @st. */
void media_stream_stats(const struct media_stream *ms,
			struct media_stream_stats *st);

#endif
