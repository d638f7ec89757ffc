// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes the offer/answer engine understands, taken apart and
 * checked: rtpmap, fmtp, ptime, maxptime, direction, rtcp (RFC 3605),
 * rtcp-mux (RFC 5761), crypto (RFC 4568). Anything else stays only in the
 * generic attribute list.
 */
#include <errno.h>
#include <netinet/in.h>

#include "priv.h"

static const char *const dir_names[] = {
	[SDP_SENDRECV] = "sendrecv",
	[SDP_SENDONLY] = "sendonly",
	[SDP_RECVONLY] = "recvonly",
	[SDP_INACTIVE] = "inactive",
};

const char *sdp_dir_name(enum sdp_dir d)
{
	if (d <= SDP_DIR_UNSET || d > SDP_INACTIVE)
		return NULL;
	return dir_names[d];
}

static const char *parse_rtpmap(struct sdp_media *m, struct strv v)
{
	struct strv pt, enc, rate, ch = STRV_NULL;
	struct sdp_rtpmap *r;
	uint64_t n;

	if (m->nrtpmap >= SDP_MAX_FMT)
		return "too many rtpmap";
	if (!sdp_tok(&v, &pt) || !sdp_tok(&v, &enc) || sdp_tok(&v, &rate))
		return "bad rtpmap";
	if (strv_u64(pt, 127, &n))
		return "bad rtpmap payload type";
	if (sdp_media_rtpmap(m, (unsigned)n))
		return "duplicate rtpmap";
	r = &m->rtpmap[m->nrtpmap];
	r->pt = (uint8_t)n;
	r->chans = 1;
	if (!sdp_split(enc, '/', &r->enc, &rate)) {
		/* "a=rtpmap:31 LPC": an encoding with no clock rate, as in
		 * the valid RFC 4475 messages (3.1.1.3, 3.1.1.7). It costs
		 * this one format, not the whole offer: rate 0 makes
		 * sdp_fmt_info() refuse it instead of falling back to the
		 * static meaning of the payload type. */
		r->enc = enc;
		r->rate = 0;
		m->nrtpmap++;
		return NULL;
	}
	sdp_split(rate, '/', &rate, &ch);
	if (!r->enc.l || strv_u64(rate, UINT32_MAX, &n) || !n)
		return "bad rtpmap clock rate";
	r->rate = (uint32_t)n;
	if (strv_isset(ch)) {
		if (strv_u64(ch, 255, &n) || !n)
			return "bad rtpmap channels";
		r->chans = (uint8_t)n;
	}
	m->nrtpmap++;
	return NULL;
}

static const char *parse_fmtp(struct sdp_media *m, struct strv v)
{
	struct strv fmt;

	if (m->nfmtp >= SDP_MAX_FMT)
		return "too many fmtp";
	if (!sdp_tok(&v, &fmt))
		return "bad fmtp";
	m->fmtp[m->nfmtp].fmt = fmt;
	m->fmtp[m->nfmtp].params = sdp_rest(v);
	m->nfmtp++;
	return NULL;
}

/* Milliseconds; a fractional part ("20.0") is allowed and dropped. */
static const char *parse_ms(uint32_t *out, struct strv v)
{
	struct strv whole = v, frac;
	uint64_t n;

	if (sdp_split(v, '.', &whole, &frac) &&
	    frac.l && strv_u64(frac, UINT64_MAX, &n))
		return "bad ptime";
	if (strv_u64(whole, 10000, &n) || !n)
		return "bad ptime";
	*out = (uint32_t)n;
	return NULL;
}

static const char *parse_rtcp(struct sdp_media *m, struct strv v)
{
	struct strv port;
	uint64_t n;

	if (!sdp_tok(&v, &port) || strv_u64(port, 65535, &n) || !n)
		return "bad rtcp port";
	m->rtcp_port = (uint16_t)n;
	v = sdp_rest(v);
	if (!v.l)
		return NULL;
	return sdp_conn_parse(&m->rtcp_conn, v);
}

static bool is_b64(struct strv v)
{
	size_t pad = 0;

	if (!v.l)
		return false;
	for (size_t i = 0; i < v.l; i++) {
		char c = v.p[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return false;
	}
	return pad <= 2;
}

/* "inline:KEY[|LIFETIME][|MKI:LEN]" (RFC 4568 9.1), the first of a
 * ';'-separated list. */
static const char *parse_key(struct sdp_crypto *cr, struct strv v)
{
	struct strv first = v, rest, part, a, b;
	uint64_t n;

	sdp_split(v, ';', &first, &rest);
	if (first.l < 7 || memcmp(first.p, "inline:", 7))
		return "crypto key method is not inline";
	first.p += 7;
	first.l -= 7;
	if (!sdp_split(first, '|', &cr->key, &rest)) {
		cr->key = first;
		rest = STRV_NULL;
	}
	if (!is_b64(cr->key))
		return "crypto key is not base64";
	for (int i = 0; i < 2 && rest.l; i++) {
		part = rest;
		if (!sdp_split(rest, '|', &part, &rest))
			rest = STRV_NULL;
		if (sdp_split(part, ':', &a, &b)) {
			if (cr->mki_len || strv_u64(a, UINT32_MAX, &n))
				return "bad crypto MKI";
			cr->mki = (uint32_t)n;
			if (strv_u64(b, 128, &n) || !n)
				return "bad crypto MKI length";
			cr->mki_len = (uint8_t)n;
		} else {
			if (cr->mki_len || strv_isset(cr->lifetime) || !part.l)
				return "bad crypto lifetime";
			cr->lifetime = part;
		}
	}
	if (rest.l)
		return "bad crypto key parameters";
	return NULL;
}

static const char *parse_crypto(struct sdp_media *m, struct strv v)
{
	struct sdp_crypto *cr;
	struct strv tag;
	uint64_t n;

	if (m->ncrypto >= SDP_MAX_CRYPTO)
		return "too many crypto";
	cr = &m->crypto[m->ncrypto];
	memset(cr, 0, sizeof(*cr));
	if (!sdp_tok(&v, &tag) || !sdp_tok(&v, &cr->suite) ||
	    !sdp_tok(&v, &cr->key_params))
		return "crypto needs tag, suite and key";
	if (tag.l > 9 || strv_u64(tag, 999999999, &n))
		return "bad crypto tag";
	cr->tag = (uint32_t)n;
	for (unsigned i = 0; i < m->ncrypto; i++)
		if (m->crypto[i].tag == cr->tag)
			return "duplicate crypto tag";
	v = sdp_rest(v);
	cr->sess_params = v.l ? v : STRV_NULL;
	m->ncrypto++;
	return parse_key(cr, cr->key_params);
}

static enum sdp_dir dir_of(struct strv name)
{
	for (unsigned d = SDP_SENDRECV; d <= SDP_INACTIVE; d++)
		if (strv_eq(name, strv_of(dir_names[d])))
			return (enum sdp_dir)d;
	return SDP_DIR_UNSET;
}

const char *sdp_attr_typed(struct sdp_session *s, struct sdp_media *m,
			   const struct sdp_attr *a)
{
	enum sdp_dir d = dir_of(a->name);
	struct strv v = a->value;

	if (d != SDP_DIR_UNSET) {
		enum sdp_dir *at = m ? &m->dir : &s->dir;

		if (*at != SDP_DIR_UNSET)
			return "two direction attributes";
		*at = d;
		return NULL;
	}
	/* the rest only mean something inside a media description */
	if (!m)
		return NULL;
	if (strv_eq(a->name, STRV("rtcp-mux"))) {
		m->rtcp_mux = true;
		return NULL;
	}
	if (strv_eq(a->name, STRV("rtpmap")))
		return parse_rtpmap(m, v);
	if (strv_eq(a->name, STRV("fmtp")))
		return parse_fmtp(m, v);
	if (strv_eq(a->name, STRV("ptime")))
		return m->ptime ? "two ptime" : parse_ms(&m->ptime, v);
	if (strv_eq(a->name, STRV("maxptime")))
		return m->maxptime ? "two maxptime" :
				     parse_ms(&m->maxptime, v);
	if (strv_eq(a->name, STRV("rtcp")))
		return m->rtcp_port ? "two rtcp" : parse_rtcp(m, v);
	if (strv_eq(a->name, STRV("crypto")))
		return parse_crypto(m, v);
	return NULL;
}

enum sdp_dir sdp_media_dir(const struct sdp_session *s,
			   const struct sdp_media *m)
{
	if (m->dir != SDP_DIR_UNSET)
		return m->dir;
	if (s->dir != SDP_DIR_UNSET)
		return s->dir;
	return SDP_SENDRECV;
}

const struct sdp_conn *sdp_media_conn(const struct sdp_session *s,
				      const struct sdp_media *m)
{
	return m->conn.set ? &m->conn : &s->conn;
}

const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m,
					  unsigned pt)
{
	for (unsigned i = 0; i < m->nrtpmap; i++)
		if (m->rtpmap[i].pt == pt)
			return &m->rtpmap[i];
	return NULL;
}

struct strv sdp_media_fmtp(const struct sdp_media *m, struct strv fmt)
{
	for (unsigned i = 0; i < m->nfmtp; i++)
		if (strv_eq(m->fmtp[i].fmt, fmt))
			return m->fmtp[i].params;
	return STRV_NULL;
}

const struct sdp_attr *sdp_attr_find(const struct sdp_session *s,
				     const struct sdp_media *m,
				     const char *name)
{
	const struct sdp_attr *tab = m ? m->attr : s->attr;
	unsigned n = m ? m->nattr : s->nattr;

	for (unsigned i = 0; i < n; i++)
		if (strv_eq(tab[i].name, strv_of(name)))
			return &tab[i];
	return NULL;
}

bool sdp_conn_is_hold(const struct sdp_conn *c)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (!c->set)
		return false;
	switch (sa_af(&c->sa)) {
	case AF_INET:
		return c->sa.u.in.sin_addr.s_addr == 0;
	case AF_INET6:
		return !memcmp(&c->sa.u.in6.sin6_addr, &any6, sizeof(any6));
	default:
		return false;
	}
}
