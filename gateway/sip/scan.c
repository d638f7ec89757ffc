// SPDX-License-Identifier: GPL-2.0
/* Character classes and the small grammar pieces every decoder shares. */
#include <errno.h>

#include "scan.h"

#define T SIP_C_TOKEN
#define U SIP_C_USER
#define P SIP_C_PASS
#define H SIP_C_HOST
#define PA SIP_C_PARAM
#define HV SIP_C_HNV
#define W SIP_C_WORD
#define S SIP_C_SCHEME
#define G SIP_C_GENV
#define UR SIP_C_URIC
#define AN (T | U | P | H | PA | HV | W | S | G | UR)

/* Built from the ABNF of RFC 3261 25.1 and 19.1; each octet appears once
 * (GNU range designators). '_' in hostnames is tolerated: it is common in
 * the wild and harmless. */
const uint16_t sip_ctab[256] = {
	['0' ... '9'] = AN | SIP_C_HEX | SIP_C_DIGIT,
	['A' ... 'F'] = AN | SIP_C_HEX | SIP_C_ALPHA,
	['G' ... 'Z'] = AN | SIP_C_ALPHA,
	['a' ... 'f'] = AN | SIP_C_HEX | SIP_C_ALPHA,
	['g' ... 'z'] = AN | SIP_C_ALPHA,
	['-'] = AN,
	['.'] = AN,
	['!'] = T | U | P | PA | HV | W | G | UR,
	['%'] = T | U | P | PA | HV | W | G | UR,
	['*'] = T | U | P | PA | HV | W | G | UR,
	['_'] = T | U | P | H | PA | HV | W | G | UR,
	['+'] = T | U | P | PA | HV | W | S | G | UR,
	['`'] = T | W | G,
	['\''] = T | U | P | PA | HV | W | G | UR,
	['~'] = T | U | P | PA | HV | W | G | UR,
	['('] = U | P | PA | HV | W | UR,
	[')'] = U | P | PA | HV | W | UR,
	['&'] = U | P | PA | UR,
	['='] = U | P | UR,
	['$'] = U | P | PA | HV | UR,
	[','] = U | P | UR,
	[';'] = U | UR,
	['?'] = U | HV | W | UR,
	['/'] = U | PA | HV | W | UR,
	[':'] = PA | HV | W | G | UR,
	['['] = PA | HV | W | G | UR,
	[']'] = PA | HV | W | G | UR,
	['@'] = UR,
	['<'] = W,
	['>'] = W,
	['\\'] = W,
	['"'] = W,
	['{'] = W,
	['}'] = W,
	[' '] = SIP_C_WS,
	['\t'] = SIP_C_WS,
	['\r'] = SIP_C_WS,
	['\n'] = SIP_C_WS,
};

bool sip_sc_quoted(struct sc *s, struct strv *in)
{
	const char *p0;

	if (!sc_eat(s, '"'))
		return false;
	p0 = s->p;
	while (s->p < s->e) {
		char c = *s->p;

		if (c == '"') {
			*in = sc_from(p0, s);
			s->p++;
			return true;
		}
		if (c == '\\') {
			/* quoted-pair: any octet up to 0x7F but CR and LF */
			if (s->e - s->p < 2)
				return false;
			c = s->p[1];
			if ((unsigned char)c > 0x7f || c == '\r' || c == '\n')
				return false;
			s->p += 2;
			continue;
		}
		s->p++;
	}
	return false;
}

bool sip_sc_escaped(struct sc *s, unsigned cls, struct strv *out)
{
	const char *p0 = s->p;

	while (s->p < s->e && sip_cis(*s->p, cls)) {
		if (*s->p == '%') {
			if (s->e - s->p < 3 || !sip_cis(s->p[1], SIP_C_HEX) ||
			    !sip_cis(s->p[2], SIP_C_HEX))
				return false;
			s->p += 3;
			continue;
		}
		s->p++;
	}
	*out = sc_from(p0, s);
	return true;
}

bool sip_sc_params(struct sc *s, struct strv *params)
{
	const char *p0 = NULL;

	*params = STRV_NULL;
	for (;;) {
		struct sc t = *s;
		struct strv name, val;

		sc_lws(&t);
		if (!sc_eat(&t, ';'))
			break;
		sc_lws(&t);
		if (!p0)
			p0 = t.p;
		name = sc_span(&t, SIP_C_TOKEN);
		if (!name.l)
			return false;
		*s = t;
		sc_lws(&t);
		if (sc_eat(&t, '=')) {
			sc_lws(&t);
			if (sc_peek(&t, '"')) {
				if (!sip_sc_quoted(&t, &val))
					return false;
			} else {
				val = sc_span(&t, SIP_C_GENV);
				if (!val.l)
					return false;
			}
			*s = t;
		}
	}
	if (p0)
		*params = sc_from(p0, s);
	return true;
}

bool sip_sc_uint(struct sc *s, uint64_t max, uint64_t *out)
{
	struct strv d = sc_span(s, SIP_C_DIGIT);

	return d.l && strv_u64(d, max, out) == 0;
}

bool sip_sc_hostport(struct sc *s, struct strv *host, bool *v6,
		     uint16_t *port, bool lws)
{
	struct sc t;
	uint64_t n;

	*port = 0;
	*v6 = false;
	if (sc_eat(s, '[')) {
		/* hex, ':' and '.' only; three colons in a row are tolerated
		 * (RFC 5118 4.10), so no inet_pton here */
		const char *p0 = s->p;
		bool colon = false;

		while (s->p < s->e && (sip_cis(*s->p, SIP_C_HEX) ||
				       *s->p == ':' || *s->p == '.')) {
			colon |= *s->p == ':';
			s->p++;
		}
		if (!colon || !sc_peek(s, ']'))
			return false;
		*host = sc_from(p0, s);
		*v6 = true;
		s->p++;
	} else {
		*host = sc_span(s, SIP_C_HOST);
		if (!host->l)
			return false;
	}
	t = *s;
	if (lws)
		sc_lws(&t);
	if (!sc_eat(&t, ':'))
		return true;
	if (lws)
		sc_lws(&t);
	if (!sip_sc_uint(&t, 65535, &n) || n == 0)
		return false;
	*port = (uint16_t)n;
	*s = t;
	return true;
}

bool sip_split_comma(struct strv *rest, struct strv *val)
{
	struct sc s = sc_of(*rest);
	const char *p0;
	int angle = 0;

	sc_lws(&s);
	if (!sc_more(&s))
		return false;
	p0 = s.p;
	while (s.p < s.e) {
		char c = *s.p;

		if (c == '"') {
			struct strv q;

			if (!sip_sc_quoted(&s, &q)) {
				s.p = s.e;
				break;
			}
			continue;
		}
		if (c == '<')
			angle++;
		else if (c == '>' && angle)
			angle--;
		else if (c == ',' && !angle)
			break;
		s.p++;
	}
	*val = sip_trim_lws(sc_from(p0, &s));
	if (s.p < s.e)
		s.p++;
	*rest = (struct strv){ s.p, (size_t)(s.e - s.p) };
	return true;
}
