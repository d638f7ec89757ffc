// SPDX-License-Identifier: GPL-2.0
/*
 * Writing our own descriptions: the session lines, audio, T.38 and
 * rejected m-lines, and the o= version rule of RFC 3264 8 (the version
 * goes up by one exactly when the description differs from the last one
 * we sent).
 */
#include <errno.h>
#include <stdio.h>

#include "../base/mem.h"
#include "oa_priv.h"

int sdp_oa_begin(struct sdp_oa *oa, struct sdp_session **sp)
{
	struct sdp_session *s = NULL;
	int err;

	err = sdp_session_alloc(&s);
	if (err)
		goto out;
	err = sdp_strf(s, &s->origin.user, "%s", oa->caps.user);
	if (!err)
		err = sdp_strf(s, &s->origin.sess_id, "%llu",
			       (unsigned long long)oa->caps.sess_id);
	if (!err)
		err = sdp_conn_set(s, NULL, oa->caps.addr);
	if (!err)
		err = sdp_strf(s, &s->name, "Trunkline");
	if (!err)
		err = sdp_strf(s, &s->times, "0 0");
	if (err)
		goto out;
	s->origin.addr = s->conn;
	s->origin.version = oa->version;
	*sp = s;
	s = NULL;
out:
	mem_deref(s);
	return err;
}

static int put_key(struct sdp_session *s, struct sdp_media *m,
		   const struct sdp_key *k)
{
	char b64[SDP_KEY_MAX * 2];
	int err;

	err = sdp_b64_enc(k->key, k->len, b64, sizeof(b64));
	if (err)
		return err;
	if (k->mki_len)
		return sdp_attr_add(s, m, "crypto", "%u %s inline:%s|%u:%u",
				    k->tag, sdp_suite_name(k->suite), b64,
				    k->mki, k->mki_len);
	return sdp_attr_add(s, m, "crypto", "%u %s inline:%s", k->tag,
			    sdp_suite_name(k->suite), b64);
}

int sdp_oa_put_audio(struct sdp_oa *oa, struct sdp_session *s,
		     const struct sdp_aline *a)
{
	const struct sdp_caps *c = &oa->caps;
	char fmts[64];
	struct sdp_media *m;
	size_t n = 0;
	int err = 0;

	/* at most 3 codecs and 2 more formats of 3 digits each: fits */
	for (unsigned i = 0; i < a->ncodec; i++)
		n += (size_t)snprintf(fmts + n, sizeof(fmts) - n, "%s%u",
				      n ? " " : "", a->pt[i]);
	if (a->te_pt >= 0)
		n += (size_t)snprintf(fmts + n, sizeof(fmts) - n, " %d",
				      a->te_pt);
	if (a->cn_pt >= 0)
		snprintf(fmts + n, sizeof(fmts) - n, " %d", a->cn_pt);
	err = sdp_media_add(s, &m, "audio", a->port, a->proto, fmts);
	for (unsigned i = 0; i < a->ncodec && !err; i++)
		err = sdp_attr_add(s, m, "rtpmap", "%u %s/8000", a->pt[i],
				   sdp_codec_name(a->codec[i]));
	if (!err && a->te_pt >= 0) {
		err = sdp_attr_add(s, m, "rtpmap", "%d telephone-event/8000",
				   a->te_pt);
		if (!err)
			err = sdp_attr_add(s, m, "fmtp", "%d 0-16", a->te_pt);
	}
	if (!err && a->cn_pt >= 0)
		err = sdp_attr_add(s, m, "rtpmap", "%d CN/8000", a->cn_pt);
	if (!err)
		err = sdp_attr_add(s, m, "ptime", "%u", c->ptime);
	if (!err && c->maxptime)
		err = sdp_attr_add(s, m, "maxptime", "%u", c->maxptime);
	for (unsigned i = 0; i < a->nkeys && !err; i++)
		err = put_key(s, m, &a->keys[i]);
	if (!err && a->rtcp_mux)
		err = sdp_attr_add(s, m, "rtcp-mux", NULL);
	if (!err)
		err = sdp_attr_add(s, m, sdp_dir_name(a->dir), NULL);
	return err;
}

int sdp_oa_put_image(struct sdp_oa *oa, struct sdp_session *s,
		     const struct sdp_t38 *t)
{
	struct sdp_media *m;
	int err;

	err = sdp_media_add(s, &m, "image", oa->caps.image_port, "udptl",
			    "t38");
	if (!err)
		err = sdp_attr_add(s, m, "T38FaxVersion", "%u", t->version);
	if (!err && t->max_bitrate)
		err = sdp_attr_add(s, m, "T38MaxBitRate", "%u",
				   t->max_bitrate);
	/* over UDP the training check is always passed along (T.38 D.2) */
	if (!err)
		err = sdp_attr_add(s, m, "T38FaxRateManagement",
				   "transferredTCF");
	if (!err && t->max_buffer)
		err = sdp_attr_add(s, m, "T38FaxMaxBuffer", "%u",
				   t->max_buffer);
	if (!err && t->max_datagram)
		err = sdp_attr_add(s, m, "T38FaxMaxDatagram", "%u",
				   t->max_datagram);
	if (!err && t->redundancy)
		err = sdp_attr_add(s, m, "T38FaxUdpEC", "t38UDPRedundancy");
	return err;
}

int sdp_oa_put_rejected(struct sdp_session *s, const struct sdp_media *from)
{
	struct sdp_media *m;
	int err;

	if (s->nmedia >= SDP_MAX_MEDIA)
		return -E2BIG;
	m = &s->media[s->nmedia];
	memset(m, 0, sizeof(*m));
	m->nports = 1;
	err = sdp_strf(s, &m->type, "%.*s", (int)from->type.l,
		       from->type.p);
	if (!err)
		err = sdp_strf(s, &m->proto, "%.*s", (int)from->proto.l,
			       from->proto.p);
	for (unsigned i = 0; i < from->nfmt && !err; i++)
		err = sdp_strf(s, &m->fmt[i], "%.*s", (int)from->fmt[i].l,
			       from->fmt[i].p);
	if (err)
		return err;
	m->nfmt = from->nfmt;
	s->nmedia++;
	return 0;
}

int sdp_oa_emit(struct sdp_oa *oa, struct sdp_session *s, struct buf *out)
{
	struct buf tmp = { .max = SDP_MAX_SIZE };
	int err;

	s->origin.version = oa->version;
	err = sdp_print(&tmp, s);
	if (err)
		goto out;
	if (oa->last.len && (tmp.len != oa->last.len ||
			     memcmp(tmp.data, oa->last.data, tmp.len))) {
		s->origin.version = ++oa->version;
		buf_reset(&tmp);
		err = sdp_print(&tmp, s);
		if (err)
			goto out;
	}
	err = buf_append(out, tmp.data, tmp.len);
	if (err)
		goto out;
	buf_free(&oa->last);
	oa->last = tmp;
	tmp = (struct buf){ 0 };
	mem_deref(oa->local);
	oa->local = mem_ref(s);
out:
	buf_free(&tmp);
	return err;
}
