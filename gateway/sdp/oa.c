// SPDX-License-Identifier: GPL-2.0
/* The offer/answer state object and making offers (RFC 3264 5 and 8). */
#include <errno.h>

#include "../base/mem.h"
#include "oa_priv.h"

static void oa_destroy(void *arg)
{
	struct sdp_oa *oa = arg;

	mem_deref(oa->local);
	mem_deref(oa->offer);
	buf_free(&oa->last);
}

static int caps_check(const struct sdp_caps *c)
{
	struct sa sa;
	bool seen[SDP_NCODECS] = { false };

	if (!c->addr || sa_set_ip(&sa, c->addr, 0))
		return -EINVAL;
	if (c->user && (strlen(c->user) >= 64 || !*c->user ||
			strchr(c->user, ' ')))
		return -EINVAL;
	if (!c->ncodecs || c->ncodecs > SDP_NCODECS)
		return -EINVAL;
	for (unsigned i = 0; i < c->ncodecs; i++) {
		if ((unsigned)c->codecs[i] >= SDP_NCODECS ||
		    seen[c->codecs[i]])
			return -EINVAL;
		seen[c->codecs[i]] = true;
	}
	if (c->te_pt && (c->te_pt < 96 || c->te_pt > 127))
		return -EINVAL;
	if (c->ptime > 1000 || c->maxptime > 1000)
		return -EINVAL;
	if (c->nkeys > SDP_MAX_KEYS || (c->srtp != SDP_SRTP_OFF && !c->nkeys))
		return -EINVAL;
	for (unsigned i = 0; i < c->nkeys; i++)
		if (!sdp_suite_keylen(c->keys[i].suite) ||
		    c->keys[i].len != sdp_suite_keylen(c->keys[i].suite) ||
		    c->keys[i].mki_len > 4)
			return -EINVAL;
	return 0;
}

int sdp_oa_set_caps(struct sdp_oa *oa, const struct sdp_caps *caps)
{
	int err = caps_check(caps);

	if (err)
		return err;
	oa->caps = *caps;
	strcpy(oa->user, caps->user ? caps->user : "-");
	strcpy(oa->addr, caps->addr);
	oa->caps.user = oa->user;
	oa->caps.addr = oa->addr;
	if (!oa->caps.ptime)
		oa->caps.ptime = 20;
	return 0;
}

int sdp_oa_alloc(struct sdp_oa **oap, const struct sdp_caps *caps)
{
	struct sdp_oa *oa = mem_zalloc(sizeof(*oa), oa_destroy);
	int err;

	if (!oa)
		return -ENOMEM;
	err = sdp_oa_set_caps(oa, caps);
	if (err) {
		mem_deref(oa);
		return err;
	}
	oa->version = caps->sess_id;
	oa->dir = SDP_SENDRECV;
	oa->last.max = SDP_MAX_SIZE;
	*oap = oa;
	return 0;
}

void sdp_oa_set_dir(struct sdp_oa *oa, enum sdp_dir dir)
{
	if (dir >= SDP_SENDRECV && dir <= SDP_INACTIVE)
		oa->dir = dir;
}

void sdp_oa_set_t38(struct sdp_oa *oa, bool on)
{
	oa->t38 = on && oa->caps.image_port;
}

const struct sdp_neg *sdp_oa_neg(const struct sdp_oa *oa)
{
	return oa->have_neg ? &oa->neg : NULL;
}

void sdp_oa_rollback(struct sdp_oa *oa)
{
	oa->offer_out = false;
	oa->offer = mem_deref(oa->offer);
}

/* offer_audio() for a stream that has no negotiated state yet */
#define NO_SLOT (-1)

/* Our audio offer. A re-offer keeps the telephone-event PT in use, since
 * RFC 3264 8.3.2 forbids remapping payload types within a session. */
static int offer_audio(struct sdp_oa *oa, struct sdp_session *s, int slot)
{
	const struct sdp_caps *c = &oa->caps;
	struct sdp_key keys[SDP_MAX_KEYS];
	struct sdp_aline a = {
		.port = c->audio_port,
		.proto = c->srtp == SDP_SRTP_MANDATORY ? "RTP/SAVP" : "RTP/AVP",
		.ncodec = c->ncodecs,
		.te_pt = c->te_pt ? c->te_pt : SDP_PT_NONE,
		.cn_pt = c->cn ? 13 : SDP_PT_NONE,
		.rtcp_mux = c->rtcp_mux,
		.dir = oa->dir,
	};

	for (unsigned i = 0; i < c->ncodecs; i++) {
		a.codec[i] = c->codecs[i];
		a.pt[i] = sdp_codec_pt(c->codecs[i]);
	}
	if (c->te_pt && oa->have_neg && slot >= 0 &&
	    (unsigned)slot < oa->neg.nstreams && oa->neg.s[slot].te_pt >= 0)
		a.te_pt = oa->neg.s[slot].te_pt;
	if (c->srtp != SDP_SRTP_OFF) {
		for (unsigned i = 0; i < c->nkeys; i++) {
			keys[i] = c->keys[i];
			keys[i].tag = i + 1;
		}
		a.keys = keys;
		a.nkeys = c->nkeys;
	}
	return sdp_oa_put_audio(oa, s, &a);
}

static int offer_image(struct sdp_oa *oa, struct sdp_session *s)
{
	return sdp_oa_put_image(oa, s, &oa->caps.t38);
}

static bool slot_usable(const struct sdp_media *m)
{
	return m->port && sdp_media_kind(m) != SDP_KIND_OTHER;
}

/* Every m-line of the session so far keeps its place (RFC 3264 8): the
 * one we carry media on is offered afresh, rejected ones stay at port 0.
 * When none carries media any more, ours takes over the first m-line, as
 * RFC 3264 8.3 lets a port-0 m-line be reused for a new stream; appending
 * one instead would grow the session past its limit over time. */
static int offer_mlines(struct sdp_oa *oa, struct sdp_session *s)
{
	const struct sdp_session *prev = oa->local;
	int slot = 0, err = 0;

	if (!prev || !prev->nmedia)
		return oa->t38 ? offer_image(oa, s) :
				 offer_audio(oa, s, NO_SLOT);
	for (unsigned i = 0; i < prev->nmedia; i++) {
		if (slot_usable(&prev->media[i])) {
			slot = (int)i;
			break;
		}
	}
	for (unsigned i = 0; i < prev->nmedia && !err; i++) {
		if ((int)i != slot)
			err = sdp_oa_put_rejected(s, &prev->media[i]);
		else if (oa->t38)
			err = offer_image(oa, s);
		else
			err = offer_audio(oa, s, slot_usable(&prev->media[i]) ?
							 slot : NO_SLOT);
	}
	return err;
}

int sdp_oa_offer(struct sdp_oa *oa, struct buf *out)
{
	struct sdp_session *s = NULL, *parsed = NULL;
	size_t start = out->len;
	int err;

	err = sdp_oa_begin(oa, &s);
	if (!err)
		err = offer_mlines(oa, s);
	if (!err)
		err = sdp_oa_emit(oa, s, out);
	if (err)
		goto out;
	/* keep the offer in parsed form: the answer is checked against its
	 * typed fields (formats, crypto tags, rtcp-mux) */
	err = sdp_parse(&parsed, (const char *)out->data + start,
			out->len - start, NULL);
	if (err)
		goto out;
	mem_deref(oa->offer);
	oa->offer = parsed;
	oa->offer_out = true;
out:
	mem_deref(s);
	return err;
}
