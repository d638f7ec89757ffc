// SPDX-License-Identifier: GPL-2.0
/*
 * The message parser (RFC 3261 7, 25). Two steps over one private copy of
 * the bytes: split (start line, header lines with their folds, header ids)
 * and decode (the typed headers, checked against the grammar). A message
 * that fails the second step can still be split leniently by
 * sip_msg_salvage() to answer it with a 400.
 */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "scan.h"

static int fail(struct sip_perr *err, const char *reason)
{
	if (err) {
		err->reason = reason;
		err->scode = 400;
	}
	return -EBADMSG;
}

static size_t count_lf(const char *p, size_t n)
{
	const char *e = p + n;
	size_t k = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		k++;
		p++;
	}
	return k;
}

static struct sip_msg *msg_alloc(const void *data, size_t len)
{
	size_t nh = count_lf(data, len) + 1;
	struct sip_msg *m;
	char *copy;

	if (len > SIZE_MAX / 4 || nh > (SIZE_MAX / 4) / sizeof(struct sip_hdr))
		return NULL;
	m = mem_zalloc(sizeof(*m) + nh * sizeof(struct sip_hdr) + len + 1,
		       NULL);
	if (!m)
		return NULL;
	m->hdrv = (struct sip_hdr *)(m + 1);
	copy = (char *)(m->hdrv + nh);
	if (len)
		memcpy(copy, data, len);
	m->raw = (struct strv){ copy, len };
	return m;
}

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; 1 if it is 2.0, 0 if it is
 * well formed but another version, -1 if malformed. */
static int version(struct strv v)
{
	struct sc s = sc_of(v);
	struct strv maj, min;

	if (v.l < 4 || !strv_caseeq_str((struct strv){ v.p, 4 }, "SIP/"))
		return -1;
	s.p += 4;
	maj = sc_span(&s, SIP_C_DIGIT);
	if (!maj.l || !sc_eat(&s, '.'))
		return -1;
	min = sc_span(&s, SIP_C_DIGIT);
	if (!min.l || sc_more(&s))
		return -1;
	return strv_eq(maj, STRV("2")) && strv_eq(min, STRV("0"));
}

static int request_line(struct sip_msg *m, struct strv line, bool lenient,
			struct sip_perr *err)
{
	struct sc s = sc_of(line);
	const char *sp;
	struct strv ruri, ver;
	int v;

	m->req = true;
	m->method = sc_span(&s, SIP_C_TOKEN);
	if (!m->method.l || !sc_eat(&s, ' '))
		return fail(err, "Bad Request-Line");
	m->meth = sip_method_lookup(m->method);
	if (lenient)
		return 0;
	/* exactly one SP between the three parts (RFC 4475 3.1.2.8-10) */
	sp = memchr(s.p, ' ', (size_t)(s.e - s.p));
	if (!sp)
		return fail(err, "Bad Request-Line");
	ruri = (struct strv){ s.p, (size_t)(sp - s.p) };
	ver = (struct strv){ sp + 1, (size_t)(s.e - sp - 1) };
	v = version(ver);
	if (v < 0)
		return fail(err, "Bad Request-Line");
	if (v == 0) {
		if (err) {
			err->reason = "Version Not Supported";
			err->scode = 505;
		}
		return -EBADMSG;
	}
	/* a Request-URI carries no headers component (19.1.1 table) */
	if (sip_uri_decode(&m->ruri, ruri) || m->ruri.headers.p)
		return fail(err, "Bad Request-URI");
	return 0;
}

static int status_line(struct sip_msg *m, struct strv line,
		       struct sip_perr *err)
{
	size_t i;

	/* "SIP/2.0" SP 3DIGIT SP Reason-Phrase */
	if (line.l < 12 || version((struct strv){ line.p, 7 }) != 1 ||
	    line.p[7] != ' ' || line.p[11] != ' ')
		return fail(err, "Bad Status-Line");
	for (i = 8; i < 11; i++)
		if (!sip_cis(line.p[i], SIP_C_DIGIT))
			return fail(err, "Bad Status-Line");
	m->scode = (uint16_t)((line.p[8] - '0') * 100 +
			      (line.p[9] - '0') * 10 + (line.p[10] - '0'));
	if (m->scode < 100 || m->scode > 699)
		return fail(err, "Bad Status-Line");
	m->reason = (struct strv){ line.p + 12, line.l - 12 };
	for (i = 0; i < m->reason.l; i++) {
		unsigned char c = (unsigned char)m->reason.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(err, "Bad Status-Line");
	}
	return 0;
}

/* Split start line and header lines. @lenient (salvage): only a request
 * method is needed, and a missing empty line ends the headers. Returns
 * the body offset in *@body. */
static int split(struct sip_msg *m, bool lenient, size_t *body,
		 struct sip_perr *err)
{
	const char *b = m->raw.p, *p = b, *e = b + m->raw.l, *lf;
	uint32_t last[SIP_HDR_NUM];
	struct strv line;
	int r;

	lf = memchr(p, '\n', m->raw.l);
	if (!lf || lf == p || lf[-1] != '\r' ||
	    memchr(p, '\r', (size_t)(lf - 1 - p)))
		return fail(err, m->raw.l ? "Bad Start-Line" : "Empty message");
	line = (struct strv){ p, (size_t)(lf - 1 - p) };
	if (line.l >= 4 && !memcmp(p, "SIP/", 4))
		r = lenient ? fail(err, "Not a request")
			    : status_line(m, line, err);
	else
		r = request_line(m, line, lenient, err);
	if (r)
		return r;
	p = lf + 1;

	memset(last, 0, sizeof(last));
	for (;;) {
		struct sip_hdr *h;
		const char *n0 = p, *v0;
		size_t nl;
		uint16_t flags = 0;
		enum sip_hdr_id id;

		if (e - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			p += 2;
			break;
		}
		if (p >= e) {
			if (lenient)
				break;
			return fail(err, "Missing end of headers");
		}
		while (p < e && sip_cis(*p, SIP_C_TOKEN))
			p++;
		nl = (size_t)(p - n0);
		/* HCOLON = *( SP / HTAB ) ":" SWS */
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (!nl || p >= e || *p != ':')
			return fail(err, "Malformed header");
		v0 = ++p;
		for (;;) {
			lf = memchr(p, '\n', (size_t)(e - p));
			if (!lf) {
				if (!lenient)
					return fail(err,
						    "Missing end of headers");
				lf = e;
				p = e;
				break;
			}
			/* CRLF only; no bare CR or LF inside a line */
			if (lf == p || lf[-1] != '\r' ||
			    memchr(p, '\r', (size_t)(lf - 1 - p)))
				return fail(err, "Malformed header");
			p = lf + 1;
			if (p < e && (*p == ' ' || *p == '\t')) {
				flags |= SIP_HDRF_FOLDED;
				continue;
			}
			break;
		}
		h = &m->hdrv[m->hdrc];
		h->name = (struct strv){ n0, nl };
		h->val = sip_trim_lws((struct strv){ v0,
				(size_t)((lf == e ? e : lf - 1) - v0) });
		if (!memchr(h->val.p, '\n', h->val.l))
			flags = 0;
		h->flags = flags;
		id = sip_hdr_lookup(n0, nl);
		h->id = (uint16_t)id;
		if (last[id])
			m->hdrv[last[id] - 1].next = m->hdrc + 1;
		else
			m->hfirst[id] = m->hdrc + 1;
		last[id] = m->hdrc + 1;
		if (m->hcount[id] < UINT16_MAX)
			m->hcount[id]++;
		m->hdrc++;
	}
	*body = (size_t)(p - b);
	return 0;
}

/* --- typed decoding -------------------------------------------------- */

static bool decode_cseq(struct sip_cseq *c, struct strv v)
{
	struct sc s = sc_of(v);
	uint64_t n;

	if (!sip_sc_uint(&s, UINT32_MAX, &n) || !sc_lws(&s))
		return false;
	c->num = (uint32_t)n;
	c->method = sc_span(&s, SIP_C_TOKEN);
	c->meth = sip_method_lookup(c->method);
	sc_lws(&s);
	return c->method.l && !sc_more(&s);
}

/* callid = word [ "@" word ] */
static bool good_callid(struct strv v)
{
	struct sc s = sc_of(v);

	if (!sc_span(&s, SIP_C_WORD).l)
		return false;
	if (sc_eat(&s, '@') && !sc_span(&s, SIP_C_WORD).l)
		return false;
	return !sc_more(&s);
}

static bool decode_uint(struct strv v, uint64_t max, uint64_t *n)
{
	struct sc s = sc_of(v);

	return sip_sc_uint(&s, max, n) && !sc_more(&s);
}

/* [ token *( COMMA token ) ] */
static bool good_tokens(struct strv v)
{
	struct sc s = sc_of(v);

	if (!v.l)
		return true;
	for (;;) {
		sc_lws(&s);
		if (!sc_span(&s, SIP_C_TOKEN).l)
			return false;
		sc_lws(&s);
		if (!sc_more(&s))
			return true;
		if (!sc_eat(&s, ','))
			return false;
	}
}

/* m-type SLASH m-subtype *( SEMI m-parameter ) */
static bool good_ctype(struct strv v)
{
	struct sc s = sc_of(v);
	struct strv params;

	if (!sc_span(&s, SIP_C_TOKEN).l || !sc_sep(&s, '/') ||
	    !sc_span(&s, SIP_C_TOKEN).l || !sip_sc_params(&s, &params))
		return false;
	sc_lws(&s);
	return !sc_more(&s);
}

/* rfc1123-date: wkday "," SP 2DIGIT SP month SP 4DIGIT SP time SP "GMT";
 * only GMT is legal (RFC 4475 3.1.2.12) */
static bool good_date(struct strv v)
{
	static const char pat[] = "aaa, dd aaa dddd dd:dd:dd GMT";
	size_t i;

	if (v.l != sizeof(pat) - 1)
		return false;
	for (i = 0; i < v.l; i++) {
		char c = v.p[i];

		if (pat[i] == 'a' ? !sip_cis(c, SIP_C_ALPHA)
		    : pat[i] == 'd' ? !sip_cis(c, SIP_C_DIGIT) : c != pat[i])
			return false;
	}
	return true;
}

static const char *list_reason(enum sip_hdr_id id)
{
	switch (id) {
	case SIP_HDR_CONTACT: return "Malformed Contact";
	case SIP_HDR_ROUTE: return "Malformed Route";
	case SIP_HDR_RECORD_ROUTE: return "Malformed Record-Route";
	case SIP_HDR_REQUIRE: return "Malformed Require";
	case SIP_HDR_PROXY_REQUIRE: return "Malformed Proxy-Require";
	case SIP_HDR_SUPPORTED: return "Malformed Supported";
	case SIP_HDR_UNSUPPORTED: return "Malformed Unsupported";
	case SIP_HDR_ALLOW: return "Malformed Allow";
	default: return "Malformed header";
	}
}

static int decode_vias(struct sip_msg *m, struct strv v)
{
	struct sc s = sc_of(v);
	struct sip_via via;

	for (;;) {
		if (sip_sc_via(&s, m->nvia ? &via : &m->via))
			return -EBADMSG;
		m->nvia++;
		sc_lws(&s);
		if (!sc_more(&s))
			return 0;
		if (!sc_eat(&s, ','))
			return -EBADMSG;
	}
}

/* Contact, Route, Record-Route: 1#( name-addr / addr-spec ) with params;
 * Route and Record-Route take name-addr only; "Contact: *" alone. */
static int decode_addrs(struct sip_msg *m, const struct sip_hdr *h)
{
	struct sc s = sc_of(h->val);
	struct sip_addr a;

	if (h->id == SIP_HDR_CONTACT && strv_eq(h->val, STRV("*"))) {
		if (m->contact_star || m->ncontact)
			return -EBADMSG;
		m->contact_star = true;
		return 0;
	}
	for (;;) {
		if (sip_sc_addr(&s, &a))
			return -EBADMSG;
		if (h->id != SIP_HDR_CONTACT && !a.bracketed)
			return -EBADMSG;
		if (h->id == SIP_HDR_CONTACT) {
			if (m->contact_star)
				return -EBADMSG;
			m->ncontact++;
		}
		sc_lws(&s);
		if (!sc_more(&s))
			return 0;
		if (!sc_eat(&s, ','))
			return -EBADMSG;
	}
}

static int decode_hdr(struct sip_msg *m, const struct sip_hdr *h,
		      bool first, struct sip_perr *err)
{
	uint64_t n;

	switch ((enum sip_hdr_id)h->id) {
	case SIP_HDR_VIA:
		if (decode_vias(m, h->val))
			return fail(err, "Malformed Via");
		break;
	case SIP_HDR_FROM:
		if (first && sip_addr_decode(&m->from, h->val))
			return fail(err, "Malformed From");
		break;
	case SIP_HDR_TO:
		if (first && sip_addr_decode(&m->to, h->val))
			return fail(err, "Malformed To");
		break;
	case SIP_HDR_CALL_ID:
		if (!good_callid(h->val))
			return fail(err, "Bad Call-ID");
		if (first)
			m->call_id = h->val;
		break;
	case SIP_HDR_CSEQ:
		if (first && !decode_cseq(&m->cseq, h->val))
			return fail(err, "Bad CSeq");
		break;
	case SIP_HDR_MAX_FORWARDS:
		if (!decode_uint(h->val, 255, &n))
			return fail(err, "Bad Max-Forwards");
		if (first)
			m->max_fwd = (int16_t)n;
		break;
	case SIP_HDR_CONTENT_LENGTH:
		if (!decode_uint(h->val, UINT32_MAX, &n))
			return fail(err, "Bad Content-Length");
		/* two different lengths: the body cannot be framed
		 * (RFC 4475 3.3.9) */
		if (m->has_clen && m->clen != n)
			return fail(err, "Multiple Content-Length");
		m->has_clen = true;
		m->clen = (uint32_t)n;
		break;
	case SIP_HDR_EXPIRES:
		/* malformed or overlarge: the default (RFC 4475 3.1.2.4) */
		if (first) {
			m->has_expires = true;
			m->expires = decode_uint(h->val, UINT32_MAX, &n) ?
					     (uint32_t)n : 3600;
		}
		break;
	case SIP_HDR_CONTENT_TYPE:
		if (!good_ctype(h->val))
			return fail(err, "Bad Content-Type");
		if (first)
			m->ctype = h->val;
		break;
	case SIP_HDR_CONTACT:
	case SIP_HDR_ROUTE:
	case SIP_HDR_RECORD_ROUTE:
		if (decode_addrs(m, h))
			return fail(err, list_reason(h->id));
		break;
	case SIP_HDR_REQUIRE:
	case SIP_HDR_PROXY_REQUIRE:
	case SIP_HDR_SUPPORTED:
	case SIP_HDR_UNSUPPORTED:
	case SIP_HDR_ALLOW:
		if (!good_tokens(h->val))
			return fail(err, list_reason(h->id));
		break;
	case SIP_HDR_DATE:
		if (!good_date(h->val))
			return fail(err, "Bad Date");
		break;
	default:
		break;
	}
	return 0;
}

static int decode(struct sip_msg *m, size_t boff, unsigned flags,
		  struct sip_perr *err)
{
	size_t avail = m->raw.l - boff;
	uint32_t i;
	int r;

	m->max_fwd = -1;
	for (i = 0; i < m->hdrc; i++) {
		const struct sip_hdr *h = &m->hdrv[i];

		r = decode_hdr(m, h, m->hfirst[h->id] == i + 1, err);
		if (r)
			return r;
	}
	if (m->req && m->hfirst[SIP_HDR_CSEQ] &&
	    !strv_eq(m->cseq.method, m->method))
		return fail(err, "CSeq method mismatch");
	if (m->has_clen) {
		if (m->clen > avail)
			return fail(err, "Content-Length mismatch");
		avail = m->clen;
	} else if (flags & SIP_PARSE_STREAM) {
		return fail(err, "Missing Content-Length");
	}
	/* a datagram's octets after Content-Length are dropped (18.3) */
	m->body = (struct strv){ m->raw.p + boff, avail };
	m->raw.l = boff + avail;
	return 0;
}

int sip_msg_parse(struct sip_msg **mp, const void *data, size_t len,
		  unsigned flags, struct sip_perr *err)
{
	struct sip_msg *m;
	size_t boff;
	int r;

	*mp = NULL;
	m = msg_alloc(data, len);
	if (!m)
		return -ENOMEM;
	r = split(m, false, &boff, err);
	if (!r)
		r = decode(m, boff, flags, err);
	if (r)
		mem_deref(m);
	else
		*mp = m;
	return r;
}

bool sip_msg_answerable(const struct sip_msg *m)
{
	return m && m->req && m->hfirst[SIP_HDR_VIA] &&
	       m->hfirst[SIP_HDR_FROM] && m->hfirst[SIP_HDR_TO] &&
	       m->hfirst[SIP_HDR_CALL_ID] && m->hfirst[SIP_HDR_CSEQ];
}

int sip_msg_salvage(struct sip_msg **mp, const void *data, size_t len)
{
	struct sip_msg *m;
	size_t boff;

	*mp = NULL;
	m = msg_alloc(data, len);
	if (!m)
		return -ENOMEM;
	if (split(m, true, &boff, NULL) || !sip_msg_answerable(m)) {
		mem_deref(m);
		return -EBADMSG;
	}
	m->max_fwd = -1;
	*mp = m;
	return 0;
}

int sip_msg_check(const struct sip_msg *m, struct sip_perr *err)
{
	static const struct {
		enum sip_hdr_id id;
		const char *missing, *dup;
	} must[] = {
		{ SIP_HDR_VIA, "Missing Via", NULL },
		{ SIP_HDR_FROM, "Missing From", "Duplicate From" },
		{ SIP_HDR_TO, "Missing To", "Duplicate To" },
		{ SIP_HDR_CALL_ID, "Missing Call-ID", "Duplicate Call-ID" },
		{ SIP_HDR_CSEQ, "Missing CSeq", "Duplicate CSeq" },
		{ SIP_HDR_MAX_FORWARDS, NULL, "Duplicate Max-Forwards" },
	};

	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		uint16_t n = m->hcount[must[i].id];

		if (!n && must[i].missing)
			return fail(err, must[i].missing);
		if (n > 1 && must[i].dup)
			return fail(err, must[i].dup);
	}
	return 0;
}

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m,
				  enum sip_hdr_id id)
{
	if ((unsigned)id >= SIP_HDR_NUM || !m->hfirst[id])
		return NULL;
	return &m->hdrv[m->hfirst[id] - 1];
}

const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *h)
{
	return h->next ? &m->hdrv[h->next - 1] : NULL;
}

const struct sip_hdr *sip_msg_hdr_name(const struct sip_msg *m,
				       struct strv name)
{
	for (uint32_t i = 0; i < m->hdrc; i++)
		if (strv_caseeq(m->hdrv[i].name, name))
			return &m->hdrv[i];
	return NULL;
}

bool sip_msg_values(const struct sip_msg *m, enum sip_hdr_id id,
		    uint64_t *pos, struct strv *val)
{
	uint32_t hi = (uint32_t)(*pos >> 32);
	size_t off = (size_t)(*pos & 0xffffffffu);

	if (*pos == UINT64_MAX || hi > m->hdrc)
		return false;
	if (!hi) {
		if ((unsigned)id >= SIP_HDR_NUM || !m->hfirst[id])
			return false;
		hi = m->hfirst[id];
		off = 0;
	}
	while (hi) {
		const struct sip_hdr *h = &m->hdrv[hi - 1];
		struct strv rest;

		if (off > h->val.l)
			return false;
		rest = (struct strv){ h->val.p + off, h->val.l - off };
		if (sip_split_comma(&rest, val)) {
			off = (size_t)(rest.p - h->val.p);
			*pos = (uint64_t)hi << 32 | off;
			return true;
		}
		hi = h->next;
		off = 0;
	}
	*pos = UINT64_MAX;
	return false;
}

bool sip_msg_via_next(const struct sip_msg *m, uint64_t *pos,
		      struct sip_via *via)
{
	struct strv v;

	while (sip_msg_values(m, SIP_HDR_VIA, pos, &v))
		if (!sip_via_decode(via, v))
			return true;
	return false;
}

bool sip_msg_addr_next(const struct sip_msg *m, enum sip_hdr_id id,
		       uint64_t *pos, struct sip_addr *addr)
{
	struct strv v;

	while (sip_msg_values(m, id, pos, &v))
		if (!sip_addr_decode(addr, v))
			return true;
	return false;
}

bool sip_msg_has_token(const struct sip_msg *m, enum sip_hdr_id id,
		       const char *tok)
{
	uint64_t pos = 0;
	struct strv v;

	while (sip_msg_values(m, id, &pos, &v))
		if (strv_caseeq_str(v, tok))
			return true;
	return false;
}
