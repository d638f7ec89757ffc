// SPDX-License-Identifier: GPL-2.0
/* Taking the peer's answer to our offer (RFC 3264 7). */
#include <errno.h>

#include "../base/mem.h"
#include "oa_priv.h"
#include "priv.h"

/* Every answered format must come from our offer: the same payload type,
 * or the same encoding under another number (RFC 3264 6.1 lets the
 * answerer choose its own numbers for what it receives). */
static bool fmt_offered(const struct sdp_media *om, const struct sdp_media *am,
			struct strv fmt)
{
	struct strv enc, oenc;
	uint32_t rate, orate;
	unsigned pt, opt;

	if (!sdp_fmt_info(am, fmt, &pt, &enc, &rate))
		return false;
	for (unsigned i = 0; i < om->nfmt; i++)
		if (sdp_fmt_info(om, om->fmt[i], &opt, &oenc, &orate) &&
		    strv_caseeq(enc, oenc) && rate == orate)
			return true;
	return false;
}

/* The peer's crypto line must name one of our tags with its suite. */
static int take_crypto(const struct sdp_media *om, const struct sdp_media *am,
		       struct sdp_stream *st)
{
	const struct sdp_crypto *ac = &am->crypto[0];
	enum sdp_suite su = sdp_suite_of(ac->suite);
	size_t n;

	for (unsigned i = 0; i < om->ncrypto; i++) {
		const struct sdp_crypto *oc = &om->crypto[i];

		if (oc->tag != ac->tag || !strv_eq(oc->suite, ac->suite))
			continue;
		if (sdp_b64_dec(ac->key, st->remote_key.key,
				sizeof(st->remote_key.key), &n) ||
		    n != sdp_suite_keylen(su))
			return -EPROTO;
		st->remote_key.len = (uint8_t)n;
		st->remote_key.suite = su;
		st->remote_key.tag = ac->tag;
		st->remote_key.mki = ac->mki;
		st->remote_key.mki_len = ac->mki_len;
		/* our own offer: well-formed by construction */
		if (sdp_b64_dec(oc->key, st->local_key.key,
				sizeof(st->local_key.key), &n))
			return -EPROTO;
		st->local_key.len = (uint8_t)n;
		st->local_key.suite = su;
		st->local_key.tag = oc->tag;
		st->local_key.mki = oc->mki;
		st->local_key.mki_len = oc->mki_len;
		st->srtp = true;
		return 0;
	}
	return -EPROTO;
}

static enum sdp_dir answered_dir(enum sdp_dir peer, bool hold_addr)
{
	bool we_send = (peer == SDP_SENDRECV || peer == SDP_RECVONLY) &&
		       !hold_addr;
	bool we_recv = peer == SDP_SENDRECV || peer == SDP_SENDONLY;

	if (we_send && we_recv)
		return SDP_SENDRECV;
	if (we_send)
		return SDP_SENDONLY;
	return we_recv ? SDP_RECVONLY : SDP_INACTIVE;
}

static int take_audio(struct sdp_oa *oa, const struct sdp_media *om,
		      const struct sdp_session *r, const struct sdp_media *am,
		      struct sdp_stream *st)
{
	struct strv enc;
	uint32_t rate;
	unsigned pt;
	int k, err;

	if (!strv_eq(om->proto, am->proto))
		return -EPROTO;
	for (unsigned f = 0; f < am->nfmt; f++)
		if (!fmt_offered(om, am, am->fmt[f]))
			return -EPROTO;
	if (am->ncrypto) {
		err = take_crypto(om, am, st);
		if (err)
			return err;
	} else if (strv_eq(om->proto, STRV("RTP/SAVP"))) {
		return -EPROTO;
	}
	for (unsigned f = 0; f < am->nfmt; f++) {
		k = sdp_fmt_codec(am, am->fmt[f], &pt);
		if (k >= 0 && !st->active) {
			st->active = true;
			st->codec = (enum sdp_codec)k;
			st->pt = (uint8_t)pt;
			st->rate = 8000;
		} else if (k < 0 && sdp_fmt_info(am, am->fmt[f], &pt, &enc,
						 &rate) && rate == 8000) {
			if (strv_caseeq_str(enc, "telephone-event") &&
			    st->te_pt < 0)
				st->te_pt = (int)pt;
			else if (strv_caseeq_str(enc, "CN") && st->cn_pt < 0)
				st->cn_pt = (int)pt;
		}
	}
	/* an answer with no codec we know leaves the stream unusable */
	if (!st->active)
		return 0;
	st->local_port = om->port;
	st->rtcp_mux = om->rtcp_mux && am->rtcp_mux;
	st->dir = answered_dir(sdp_media_dir(r, am),
			       sdp_conn_is_hold(sdp_media_conn(r, am)));
	st->ptime = am->ptime ? am->ptime : oa->caps.ptime;
	if (am->maxptime && st->ptime > am->maxptime)
		st->ptime = am->maxptime;
	sdp_oa_remote(r, am, st);
	return 0;
}

static void take_image(struct sdp_oa *oa, const struct sdp_session *r,
		       const struct sdp_media *om, const struct sdp_media *am,
		       struct sdp_stream *st)
{
	struct sdp_t38 peer;

	sdp_t38_read(am, &peer);
	st->active = true;
	st->local_port = om->port;
	st->dir = SDP_SENDRECV;
	st->t38 = peer;
	if (peer.version > oa->caps.t38.version)
		st->t38.version = oa->caps.t38.version;
	st->t38.redundancy = peer.redundancy && oa->caps.t38.redundancy;
	sdp_oa_remote(r, am, st);
}

static int take_mlines(struct sdp_oa *oa, const struct sdp_session *r,
		       struct sdp_neg *neg)
{
	const struct sdp_session *o = oa->offer;
	bool offered = false, accepted = false;
	int err = 0;

	if (r->nmedia != o->nmedia)
		return -EPROTO;
	neg->nstreams = o->nmedia;
	for (unsigned i = 0; i < o->nmedia && !err; i++) {
		const struct sdp_media *om = &o->media[i];
		const struct sdp_media *am = &r->media[i];
		struct sdp_stream *st = &neg->s[i];

		st->kind = sdp_media_kind(om);
		st->te_pt = st->cn_pt = SDP_PT_NONE;
		st->dir = SDP_INACTIVE;
		if (!strv_eq(om->type, am->type))
			return -EPROTO;
		if (!om->port)
			continue;
		offered = true;
		if (!am->port)
			continue;
		if (st->kind == SDP_KIND_AUDIO)
			err = take_audio(oa, om, r, am, st);
		else if (st->kind == SDP_KIND_IMAGE)
			take_image(oa, r, om, am, st);
		accepted |= st->active;
	}
	if (err)
		return err;
	return offered && !accepted ? -ENOTSUP : 0;
}

int sdp_oa_take_answer(struct sdp_oa *oa, const char *body, size_t len,
		       struct sdp_perr *err)
{
	struct sdp_session *r = NULL;
	struct sdp_neg *neg = NULL;
	int ret;

	if (!oa->offer_out) {
		ret = -EPROTO;
		goto out;
	}
	ret = sdp_parse(&r, body, len, err);
	if (ret)
		goto out;
	neg = mem_zalloc(sizeof(*neg), NULL);
	if (!neg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = take_mlines(oa, r, neg);
	if (ret)
		goto out;
	oa->neg = *neg;
	oa->have_neg = true;
	sdp_oa_rollback(oa);
out:
	mem_deref(neg);
	mem_deref(r);
	return ret;
}
