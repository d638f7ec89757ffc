// SPDX-License-Identifier: GPL-2.0
/* URIs: SIP/SIPS (RFC 3261 19.1, 25.1), TEL (RFC 3966) and any other
 * absoluteURI kept opaque. */
#include <errno.h>
#include <string.h>

#include "scan.h"

static bool caseeq(struct strv v, const char *s)
{
	return strv_caseeq_str(v, s);
}

/* uri-parameters: *( ";" pname [ "=" pvalue ] ), the leading ';' eaten */
static bool uri_params(struct sc *s, struct strv *out)
{
	const char *p0 = s->p;
	struct strv v;

	do {
		if (!sip_sc_escaped(s, SIP_C_PARAM, &v) || !v.l)
			return false;
		if (sc_eat(s, '=') &&
		    (!sip_sc_escaped(s, SIP_C_PARAM, &v) || !v.l))
			return false;
	} while (sc_eat(s, ';'));
	*out = sc_from(p0, s);
	return true;
}

/* headers: hname "=" hvalue *( "&" hname "=" hvalue ), '?' eaten */
static bool uri_headers(struct sc *s, struct strv *out)
{
	const char *p0 = s->p;
	struct strv v;

	do {
		if (!sip_sc_escaped(s, SIP_C_HNV, &v) || !v.l)
			return false;
		if (!sc_eat(s, '='))
			return false;
		if (!sip_sc_escaped(s, SIP_C_HNV, &v))
			return false;
	} while (sc_eat(s, '&'));
	*out = sc_from(p0, s);
	return true;
}

static int sip_part(struct sip_uri *u, struct sc *s)
{
	const char *at = memchr(s->p, '@', (size_t)(s->e - s->p));

	/* '@' cannot appear raw in host, params or headers, so the first
	 * one ends the userinfo */
	if (at) {
		struct sc t = { s->p, at };

		if (!sip_sc_escaped(&t, SIP_C_USER, &u->user) || !u->user.l)
			return -EBADMSG;
		if (sc_eat(&t, ':') &&
		    !sip_sc_escaped(&t, SIP_C_PASS, &u->password))
			return -EBADMSG;
		if (t.p != at)
			return -EBADMSG;
		s->p = at + 1;
	}
	if (!sip_sc_hostport(s, &u->host, &u->host_v6, &u->port, false))
		return -EBADMSG;
	if (sc_eat(s, ';') && !uri_params(s, &u->params))
		return -EBADMSG;
	if (sc_eat(s, '?') && !uri_headers(s, &u->headers))
		return -EBADMSG;
	return sc_more(s) ? -EBADMSG : 0;
}

int sip_uri_decode(struct sip_uri *u, struct strv v)
{
	struct sc s = sc_of(v);
	const char *p0 = s.p;
	const char *semi;

	memset(u, 0, sizeof(*u));
	u->raw = v;
	if (!sc_more(&s) || !sip_cis(*s.p, SIP_C_ALPHA))
		return -EBADMSG;
	s.p++;
	sc_span(&s, SIP_C_SCHEME);
	u->scheme_s = sc_from(p0, &s);
	if (!sc_eat(&s, ':'))
		return -EBADMSG;
	if (caseeq(u->scheme_s, "sip"))
		u->scheme = SIP_SCHEME_SIP;
	else if (caseeq(u->scheme_s, "sips"))
		u->scheme = SIP_SCHEME_SIPS;
	else if (caseeq(u->scheme_s, "tel"))
		u->scheme = SIP_SCHEME_TEL;
	if (u->scheme == SIP_SCHEME_SIP || u->scheme == SIP_SCHEME_SIPS)
		return sip_part(u, &s);

	u->opaque = sc_span(&s, SIP_C_URIC);
	if (!u->opaque.l || sc_more(&s))
		return -EBADMSG;
	if (u->scheme == SIP_SCHEME_TEL) {
		semi = memchr(u->opaque.p, ';', u->opaque.l);
		if (semi) {
			size_t n = (size_t)(semi - u->opaque.p);

			u->params = (struct strv){ semi + 1,
						   u->opaque.l - n - 1 };
		}
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sip_unescape(struct strv v, char *dst, size_t n)
{
	size_t i = 0, o = 0;

	if (!n)
		return -ENOSPC;
	while (i < v.l) {
		char c = v.p[i];

		if (c == '%') {
			int h, l;

			if (v.l - i < 3)
				return -EBADMSG;
			h = hexval(v.p[i + 1]);
			l = hexval(v.p[i + 2]);
			if (h < 0 || l < 0)
				return -EBADMSG;
			c = (char)(h << 4 | l);
			i += 3;
		} else {
			i++;
		}
		if (o + 1 >= n) {
			dst[o] = '\0';
			return -ENOSPC;
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return (int)o;
}
