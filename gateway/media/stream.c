// SPDX-License-Identifier: GPL-2.0
/* Media stream: set-up, re-INVITE updates, direction, statistics. */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "stream_priv.h"

#define LOG_TAG "stream"
#include "../base/log.h"

/* CN send side: silence below -55 dBov, CN after 5 silent frames (the
 * hangover keeps word endings), a refresh every 10 frames (200 ms) */
#define CN_THRESHOLD 55
#define CN_HANGOVER 5
#define CN_INTERVAL 10

bool media_stream_can_send(const struct media_stream *ms)
{
	return ms->dir == MEDIA_STREAM_SENDRECV ||
	       ms->dir == MEDIA_STREAM_SENDONLY;
}

bool media_stream_can_recv(const struct media_stream *ms)
{
	return ms->dir == MEDIA_STREAM_SENDRECV ||
	       ms->dir == MEDIA_STREAM_RECVONLY;
}

static int check_params(const struct media_stream_params *p)
{
	unsigned ptime = p->ptime ? p->ptime : 20;

	if ((unsigned)p->codec > MEDIA_CODEC_G722 ||
	    (p->te_pt != -1 && (p->te_pt < 96 || p->te_pt > 127)) ||
	    ptime % 20 || ptime > STREAM_PTIME_MAX ||
	    (unsigned)p->dtmf > MEDIA_STREAM_DTMF_BOTH ||
	    (unsigned)p->dir > MEDIA_STREAM_INACTIVE)
		return -EINVAL;
	return 0;
}

static unsigned stream_pts(const struct media_stream_params *p,
			   const struct media_codec *enc, uint8_t *pt)
{
	unsigned n = 0;

	pt[n++] = media_codec_pt(enc);
	/* CN is taken whether we offered it or not: it only ever plays as
	 * noise, and some peers send it regardless */
	pt[n++] = MEDIA_CN_PT;
	if (p->te_pt >= 0)
		pt[n++] = (uint8_t)p->te_pt;
	return n;
}

/* Codec objects and the jitter buffer for @codec, built before anything
 * is swapped so a failure leaves the stream as it was. */
struct codec_set {
	struct media_codec *enc, *dec;
	struct media_jb *jb;
};

static void codec_set_free(struct codec_set *c)
{
	c->enc = mem_deref(c->enc);
	c->dec = mem_deref(c->dec);
	c->jb = mem_deref(c->jb);
}

static int codec_set_new(struct codec_set *c, enum media_codec_id codec,
			 const struct media_stream_params *p)
{
	struct media_jb_params jp = {
		.clock_rate = 8000,
		.frame_ms = 20,
		.min_ms = p->jb_min_ms,
		.max_ms = p->jb_max_ms,
	};
	int err;

	memset(c, 0, sizeof(*c));
	err = media_codec_alloc(&c->enc, codec, 8000);
	if (!err)
		err = media_codec_alloc(&c->dec, codec, 8000);
	if (!err)
		err = media_jb_alloc(&c->jb, &jp);
	if (err)
		codec_set_free(c);
	return err;
}

static void stream_destroy(void *arg)
{
	struct media_stream *ms = arg;

	mem_deref(ms->rtp);
	mem_deref(ms->enc);
	mem_deref(ms->dec);
	mem_deref(ms->jb);
	mem_deref(ms->plc);
	mem_deref(ms->drx);
	mem_deref(ms->dtx);
	mem_deref(ms->gen_out);
	mem_deref(ms->gen_in);
	mem_deref(ms->srtp_in);
	mem_deref(ms->srtp_out);
}

static void take_srtp(struct media_stream *ms,
		      const struct media_stream_params *p)
{
	mem_ref(p->rtp.srtp_in);
	mem_ref(p->rtp.srtp_out);
	mem_deref(ms->srtp_in);
	mem_deref(ms->srtp_out);
	ms->srtp_in = p->rtp.srtp_in;
	ms->srtp_out = p->rtp.srtp_out;
}

static void take_params(struct media_stream *ms,
			const struct media_stream_params *p)
{
	ms->te_pt = p->te_pt;
	ms->ptime = p->ptime ? p->ptime : 20;
	ms->fpp = ms->ptime / 20;
	ms->dtmf = p->dtmf;
	ms->dir = p->dir;
	ms->cn = p->cn;
	ms->inband_out = p->dtmf_inband_out;
	ms->pkt_len = 0;
	ms->pkt_frames = 0;
	ms->talkspurt = true;
}

int media_stream_new(struct media_stream **msp, struct loop *l,
		     const struct media_stream_params *p)
{
	struct rtp_sess_params rp = p->rtp;
	struct media_stream *ms;
	struct codec_set cs;
	int err;

	err = check_params(p);
	if (err)
		return err;
	ms = mem_zalloc(sizeof(*ms), stream_destroy);
	if (!ms)
		return -ENOMEM;
	ms->loop = l;
	ms->codec = p->codec;
	ms->dtmfh = p->dtmfh;
	ms->arg = p->arg;
	ms->sdp_remote = p->rtp.remote;
	ms->sdp_remote_rtcp = p->rtp.remote_rtcp;
	take_params(ms, p);
	err = codec_set_new(&cs, p->codec, p);
	if (err)
		goto err;
	ms->enc = cs.enc;
	ms->dec = cs.dec;
	ms->jb = cs.jb;
	media_cn_gen_init(&ms->cng, 0x5eed);
	media_cn_tx_init(&ms->cntx, CN_THRESHOLD, CN_HANGOVER, CN_INTERVAL);
	err = media_plc_alloc(&ms->plc);
	if (!err)
		err = media_dtmf_rx_alloc(&ms->drx, NULL,
					  media_stream_dtmf_event, ms);
	if (!err)
		err = media_dtmf_tx_alloc(&ms->dtx, NULL);
	if (!err)
		err = media_dtmf_gen_alloc(&ms->gen_out);
	if (!err)
		err = media_dtmf_gen_alloc(&ms->gen_in);
	if (err)
		goto err;
	rp.npt = stream_pts(p, ms->enc, rp.pt);
	rp.clock_rate = 8000;
	rp.recvh = media_stream_rtp_recv;
	rp.eventh = media_stream_rtp_event;
	rp.arg = ms;
	err = rtp_sess_new(&ms->rtp, l, &rp);
	if (err)
		goto err;
	take_srtp(ms, p);
	*msp = ms;
	return 0;
err:
	mem_deref(ms);
	return err;
}

int media_stream_set_dir(struct media_stream *ms, enum media_stream_dir dir)
{
	if ((unsigned)dir > MEDIA_STREAM_INACTIVE)
		return -EINVAL;
	if (dir != ms->dir)
		LOGD_ID(NULL, "direction %d -> %d", ms->dir, dir);
	ms->dir = dir;
	return 0;
}

int media_stream_update(struct media_stream *ms,
			const struct media_stream_params *p)
{
	struct codec_set cs = { 0 };
	uint8_t pt[RTP_SESS_MAX_PT];
	unsigned npt;
	int err;

	err = check_params(p);
	if (err)
		return err;
	if (p->codec != ms->codec) {
		err = codec_set_new(&cs, p->codec, p);
		if (err)
			return err;
		mem_deref(ms->enc);
		mem_deref(ms->dec);
		mem_deref(ms->jb);
		ms->enc = cs.enc;
		ms->dec = cs.dec;
		ms->jb = cs.jb;
		ms->codec = p->codec;
	}
	take_params(ms, p);
	npt = stream_pts(p, ms->enc, pt);
	(void)rtp_sess_set_pts(ms->rtp, pt, npt);
	/* new contexts start with fresh replay windows and rollover
	 * counters; the caller passes the same ones again while the keys
	 * stay (RFC 4568 7.1.4: a re-offer may keep them) */
	rtp_sess_set_srtp(ms->rtp, p->rtp.srtp_in, p->rtp.srtp_out);
	take_srtp(ms, p);
	/* an unchanged address keeps its latch (a NATed peer stays found) */
	if (!sa_eq(&p->rtp.remote, &ms->sdp_remote) ||
	    !sa_eq(&p->rtp.remote_rtcp, &ms->sdp_remote_rtcp)) {
		ms->sdp_remote = p->rtp.remote;
		ms->sdp_remote_rtcp = p->rtp.remote_rtcp;
		rtp_sess_set_remote(ms->rtp, &p->rtp.remote,
				    &p->rtp.remote_rtcp);
	}
	return 0;
}

void media_stream_srtp(const struct media_stream *ms, struct rtp_srtp **in,
		       struct rtp_srtp **out)
{
	*in = ms->srtp_in;
	*out = ms->srtp_out;
}

struct rtp_sess *media_stream_rtp(struct media_stream *ms)
{
	return ms->rtp;
}

void media_stream_stats(const struct media_stream *ms,
			struct media_stream_stats *st)
{
	memset(st, 0, sizeof(*st));
	rtp_sess_stats(ms->rtp, &st->rtp);
	media_jb_stats(ms->jb, &st->jb);
	media_dtmf_rx_stats(ms->drx, &st->dtmf_rx);
	st->frames_in = ms->frames_in;
	st->frames_out = ms->frames_out;
	st->cn_sent = ms->cn_sent;
	st->dtx_frames = ms->dtx_frames;
	st->digits_sent = ms->digits_sent;
	st->codec = ms->codec;
	st->dir = ms->dir;
	st->srtp = ms->srtp_in && ms->srtp_out;
}

void media_stream_fwd_info(const struct media_stream *ms,
			   struct media_stream_fwd *f)
{
	memset(f, 0, sizeof(*f));
	f->codec = ms->codec;
	f->pt = media_codec_pt(ms->enc);
	f->te_pt = ms->te_pt;
	f->ptime = ms->ptime;
	f->dir = ms->dir;
}
