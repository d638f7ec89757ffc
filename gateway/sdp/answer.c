// SPDX-License-Identifier: GPL-2.0
/* Answering the peer's offer (RFC 3264 6). */
#include <errno.h>
#include <stdio.h>

#include "../base/mem.h"
#include "oa_priv.h"
#include "priv.h"

void sdp_oa_remote(const struct sdp_session *s, const struct sdp_media *m,
		   struct sdp_stream *st)
{
	const struct sdp_conn *c = sdp_media_conn(s, m);

	memset(&st->remote, 0, sizeof(st->remote));
	memset(&st->remote_rtcp, 0, sizeof(st->remote_rtcp));
	/* no address to send to: a host name (not resolved here) or the
	 * RFC 2543 hold address */
	if (!c->set || !c->sa.len || sdp_conn_is_hold(c))
		return;
	st->remote = c->sa;
	sa_set_port(&st->remote, m->port);
	if (st->rtcp_mux) {
		st->remote_rtcp = st->remote;
	} else if (m->rtcp_port) {
		st->remote_rtcp = m->rtcp_conn.sa.len ? m->rtcp_conn.sa : c->sa;
		sa_set_port(&st->remote_rtcp, m->rtcp_port);
	} else if (m->port < 65535) {
		st->remote_rtcp = c->sa;
		sa_set_port(&st->remote_rtcp, m->port + 1);
	}
}

static uint32_t attr_u32(const struct sdp_media *m, const char *name)
{
	uint64_t n;

	for (unsigned i = 0; i < m->nattr; i++)
		if (strv_caseeq_str(m->attr[i].name, name) &&
		    !strv_u64(m->attr[i].value, UINT32_MAX, &n))
			return (uint32_t)n;
	return 0;
}

void sdp_t38_read(const struct sdp_media *m, struct sdp_t38 *t)
{
	memset(t, 0, sizeof(*t));
	t->version = attr_u32(m, "T38FaxVersion");
	t->max_bitrate = attr_u32(m, "T38MaxBitRate");
	t->max_buffer = attr_u32(m, "T38FaxMaxBuffer");
	t->max_datagram = attr_u32(m, "T38FaxMaxDatagram");
	for (unsigned i = 0; i < m->nattr; i++)
		if (strv_caseeq_str(m->attr[i].name, "T38FaxUdpEC") &&
		    strv_caseeq_str(m->attr[i].value, "t38UDPRedundancy"))
			t->redundancy = true;
}

/* Our direction for an offered one and what we want ourselves. */
static enum sdp_dir mirror(enum sdp_dir peer, bool hold_addr,
			   enum sdp_dir want)
{
	bool peer_recv = (peer == SDP_SENDRECV || peer == SDP_RECVONLY) &&
			 !hold_addr;
	bool peer_send = peer == SDP_SENDRECV || peer == SDP_SENDONLY;
	bool we_send = peer_recv &&
		       (want == SDP_SENDRECV || want == SDP_SENDONLY);
	bool we_recv = peer_send &&
		       (want == SDP_SENDRECV || want == SDP_RECVONLY);

	if (we_send && we_recv)
		return SDP_SENDRECV;
	if (we_send)
		return SDP_SENDONLY;
	return we_recv ? SDP_RECVONLY : SDP_INACTIVE;
}

/* The first offered crypto line whose suite we have a key for, with the
 * peer's key decoded into @rk and ours (under the peer's tag) into @lk. */
static bool pick_crypto(const struct sdp_caps *c, const struct sdp_media *m,
			struct sdp_key *lk, struct sdp_key *rk)
{
	for (unsigned i = 0; i < m->ncrypto; i++) {
		const struct sdp_crypto *cr = &m->crypto[i];
		enum sdp_suite su = sdp_suite_of(cr->suite);
		size_t n;

		for (unsigned k = 0; k < c->nkeys; k++) {
			if (c->keys[k].suite != su)
				continue;
			memset(rk, 0, sizeof(*rk));
			if (sdp_b64_dec(cr->key, rk->key, sizeof(rk->key),
					&n) || n != sdp_suite_keylen(su))
				break;
			rk->len = (uint8_t)n;
			rk->suite = su;
			rk->tag = cr->tag;
			rk->mki = cr->mki;
			rk->mki_len = cr->mki_len;
			*lk = c->keys[k];
			lk->tag = cr->tag;
			return true;
		}
	}
	return false;
}

static int pick_codec(const struct sdp_caps *c, const struct sdp_media *m,
		      unsigned *pt)
{
	unsigned p;
	int k;

	if (c->prefer_ours) {
		for (unsigned i = 0; i < c->ncodecs; i++)
			for (unsigned f = 0; f < m->nfmt; f++)
				if (sdp_fmt_codec(m, m->fmt[f], &p) ==
				    (int)c->codecs[i]) {
					*pt = p;
					return (int)c->codecs[i];
				}
		return -ENOENT;
	}
	for (unsigned f = 0; f < m->nfmt; f++) {
		k = sdp_fmt_codec(m, m->fmt[f], &p);
		for (unsigned i = 0; k >= 0 && i < c->ncodecs; i++)
			if ((int)c->codecs[i] == k) {
				*pt = p;
				return k;
			}
	}
	return -ENOENT;
}

/* The PT of the first format called @enc at 8000 Hz, or SDP_PT_NONE. */
static int find_fmt(const struct sdp_media *m, const char *enc)
{
	struct strv e;
	uint32_t rate;
	unsigned pt;

	for (unsigned f = 0; f < m->nfmt; f++)
		if (sdp_fmt_info(m, m->fmt[f], &pt, &e, &rate) &&
		    rate == 8000 && strv_caseeq_str(e, enc))
			return (int)pt;
	return SDP_PT_NONE;
}

/* 1 accepted (m-line written), 0 not acceptable, or a negative errno. */
static int answer_audio(struct sdp_oa *oa, const struct sdp_session *r,
			const struct sdp_media *m, struct sdp_session *s,
			struct sdp_stream *st)
{
	const struct sdp_caps *c = &oa->caps;
	bool savp = strv_eq(m->proto, STRV("RTP/SAVP"));
	bool srtp = false, hold;
	struct sdp_key lk, rk;
	struct sdp_aline a = { 0 };
	unsigned pt = 0;
	int codec, err;

	if (c->srtp != SDP_SRTP_OFF)
		srtp = pick_crypto(c, m, &lk, &rk);
	if (savp && !srtp)
		return 0;
	if (c->srtp == SDP_SRTP_MANDATORY && !srtp)
		return 0;
	codec = pick_codec(c, m, &pt);
	if (codec < 0)
		return 0;
	hold = sdp_conn_is_hold(sdp_media_conn(r, m));
	a.port = c->audio_port;
	a.proto = savp ? "RTP/SAVP" : "RTP/AVP";
	a.codec[0] = (enum sdp_codec)codec;
	a.pt[0] = (uint8_t)pt;
	a.ncodec = 1;
	a.te_pt = c->te_pt ? find_fmt(m, "telephone-event") : SDP_PT_NONE;
	a.cn_pt = c->cn ? find_fmt(m, "CN") : SDP_PT_NONE;
	a.keys = srtp ? &lk : NULL;
	a.nkeys = srtp ? 1 : 0;
	a.rtcp_mux = m->rtcp_mux && c->rtcp_mux;
	a.dir = mirror(sdp_media_dir(r, m), hold, oa->dir);
	err = sdp_oa_put_audio(oa, s, &a);
	if (err)
		return err;
	st->active = true;
	st->local_port = c->audio_port;
	st->codec = a.codec[0];
	st->pt = a.pt[0];
	st->rate = 8000;
	st->te_pt = a.te_pt;
	st->cn_pt = a.cn_pt;
	st->dir = a.dir;
	st->rtcp_mux = a.rtcp_mux;
	st->ptime = m->ptime ? m->ptime : c->ptime;
	if (m->maxptime && st->ptime > m->maxptime)
		st->ptime = m->maxptime;
	st->srtp = srtp;
	if (srtp) {
		st->local_key = lk;
		st->remote_key = rk;
	}
	sdp_oa_remote(r, m, st);
	return 1;
}

static uint32_t min_set(uint32_t a, uint32_t b)
{
	if (!a || !b)
		return a ? a : b;
	return a < b ? a : b;
}

/* T.38: the lower version and rate; our own buffer and datagram sizes in
 * the answer, the peer's datagram size as the limit of what we send. */
static int answer_image(struct sdp_oa *oa, const struct sdp_session *r,
			const struct sdp_media *m, struct sdp_session *s,
			struct sdp_stream *st)
{
	const struct sdp_t38 *our = &oa->caps.t38;
	struct sdp_t38 peer, ans;
	int err;

	sdp_t38_read(m, &peer);
	ans = *our;
	ans.version = peer.version < our->version ? peer.version :
						    our->version;
	ans.max_bitrate = min_set(peer.max_bitrate, our->max_bitrate);
	ans.redundancy = peer.redundancy && our->redundancy;
	err = sdp_oa_put_image(oa, s, &ans);
	if (err)
		return err;
	st->active = true;
	st->local_port = oa->caps.image_port;
	st->dir = SDP_SENDRECV;
	st->t38 = ans;
	st->t38.max_datagram = peer.max_datagram;
	st->t38.max_buffer = peer.max_buffer;
	sdp_oa_remote(r, m, st);
	return 1;
}

static int answer_mlines(struct sdp_oa *oa, const struct sdp_session *r,
			 struct sdp_session *s, struct sdp_neg *neg)
{
	bool audio_done = false, image_done = false, offered = false;
	bool accepted = false;
	int ret = 0;

	neg->nstreams = r->nmedia;
	for (unsigned i = 0; i < r->nmedia && ret >= 0; i++) {
		const struct sdp_media *m = &r->media[i];
		struct sdp_stream *st = &neg->s[i];

		st->kind = sdp_media_kind(m);
		st->te_pt = st->cn_pt = SDP_PT_NONE;
		st->dir = SDP_INACTIVE;
		ret = 0;
		if (m->port)
			offered = true;
		if (m->port && st->kind == SDP_KIND_AUDIO && !audio_done)
			ret = answer_audio(oa, r, m, s, st);
		else if (m->port && st->kind == SDP_KIND_IMAGE &&
			 !image_done && oa->caps.image_port)
			ret = answer_image(oa, r, m, s, st);
		if (ret == 0)
			ret = sdp_oa_put_rejected(s, m);
		else if (ret > 0)
			accepted = true;
		audio_done |= st->active && st->kind == SDP_KIND_AUDIO;
		image_done |= st->active && st->kind == SDP_KIND_IMAGE;
	}
	if (ret < 0)
		return ret;
	return offered && !accepted ? -ENOTSUP : 0;
}

int sdp_oa_answer(struct sdp_oa *oa, const char *body, size_t len,
		  struct buf *out, struct sdp_perr *err)
{
	struct sdp_session *r = NULL, *s = NULL;
	struct sdp_neg *neg = NULL;
	int ret;

	if (oa->offer_out) {
		ret = -EBUSY;
		goto out;
	}
	ret = sdp_parse(&r, body, len, err);
	if (ret)
		goto out;
	/* m-lines are never removed from a session (RFC 3264 8) */
	if (oa->local && r->nmedia < oa->local->nmedia) {
		ret = -EPROTO;
		goto out;
	}
	neg = mem_zalloc(sizeof(*neg), NULL);
	if (!neg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = sdp_oa_begin(oa, &s);
	if (!ret)
		ret = answer_mlines(oa, r, s, neg);
	if (!ret)
		ret = sdp_oa_emit(oa, s, out);
	if (ret)
		goto out;
	oa->neg = *neg;
	oa->have_neg = true;
out:
	mem_deref(neg);
	mem_deref(s);
	mem_deref(r);
	return ret;
}
