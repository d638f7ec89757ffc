// SPDX-License-Identifier: GPL-2.0
/* name-addr / addr-spec with header parameters (RFC 3261 20.10, 20.20,
 * 20.39, 25.1): From, To, Contact, Route, Record-Route and friends. */
#include <errno.h>
#include <string.h>

#include "scan.h"

/* An addr-spec outside <> runs up to the header params or the next value;
 * it may not hold '?' (RFC 3261 20: a URI with ',', ';' or '?' must be
 * bracketed, and ';' and ',' already end it here). */
static int bare_uri(struct sc *s, struct sip_uri *u)
{
	const char *p0 = s->p;
	struct strv v;

	while (s->p < s->e && *s->p != ';' && *s->p != ',' &&
	       !sip_cis(*s->p, SIP_C_WS))
		s->p++;
	v = sc_from(p0, s);
	if (!v.l || memchr(v.p, '?', v.l))
		return -EBADMSG;
	return sip_uri_decode(u, v);
}

/* "<" addr-spec ">" with no LWS inside the brackets (LAQUOT, RAQUOT) */
static int bracket_uri(struct sc *s, struct sip_uri *u)
{
	const char *gt;

	if (!sc_eat(s, '<'))
		return -EBADMSG;
	gt = memchr(s->p, '>', (size_t)(s->e - s->p));
	if (!gt)
		return -EBADMSG;
	if (sip_uri_decode(u, (struct strv){ s->p, (size_t)(gt - s->p) }))
		return -EBADMSG;
	s->p = gt + 1;
	return 0;
}

int sip_sc_addr(struct sc *s, struct sip_addr *a)
{
	const char *p0;
	int err;

	memset(a, 0, sizeof(*a));
	sc_lws(s);
	p0 = s->p;
	if (sc_peek(s, '"')) {
		if (!sip_sc_quoted(s, &a->dname))
			return -EBADMSG;
		a->dname_quoted = true;
		sc_lws(s);
		a->bracketed = true;
	} else if (sc_peek(s, '<')) {
		a->bracketed = true;
	} else {
		/* *(token LWS) before '<' is a display name; anything else
		 * must be an addr-spec */
		struct sc t = *s;
		const char *dend = t.p;

		for (;;) {
			struct strv tok = sc_span(&t, SIP_C_TOKEN);

			if (!tok.l)
				break;
			dend = t.p;
			sc_lws(&t);
		}
		if (dend > p0 && sc_peek(&t, '<')) {
			a->dname = (struct strv){ p0, (size_t)(dend - p0) };
			a->bracketed = true;
			*s = t;
		}
	}
	err = a->bracketed ? bracket_uri(s, &a->uri) : bare_uri(s, &a->uri);
	if (err)
		return err;
	if (!sip_sc_params(s, &a->params))
		return -EBADMSG;
	if (sip_param_get(a->params, "tag", &a->tag) && !a->tag.l)
		return -EBADMSG;
	a->raw = sc_from(p0, s);
	return 0;
}

int sip_addr_decode(struct sip_addr *a, struct strv v)
{
	struct sc s = sc_of(v);
	int err = sip_sc_addr(&s, a);

	if (err)
		return err;
	sc_lws(&s);
	return sc_more(&s) ? -EBADMSG : 0;
}
