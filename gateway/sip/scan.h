/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to gateway/sip: character classes of the RFC 3261 grammar and a
 * bounded cursor over a value. Every read goes through sc_more()/sc_peek(),
 * which check the end first.
 *
 * Inside a header value a CR or LF can only be part of a line fold (the
 * header splitter rejects any other), so "LWS" here is simply any run of
 * SP, HTAB, CR and LF.
 */
#ifndef TL_SIP_SCAN_H
#define TL_SIP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strv.h"
#include "msg.h"

enum {
	SIP_C_TOKEN = 1 << 0,  /* token */
	SIP_C_WS = 1 << 1,     /* SP HTAB CR LF */
	SIP_C_USER = 1 << 2,   /* user: unreserved, user-unreserved, % */
	SIP_C_PASS = 1 << 3,   /* password */
	SIP_C_HOST = 1 << 4,   /* hostname (alnum - . _) */
	SIP_C_PARAM = 1 << 5,  /* paramchar */
	SIP_C_HNV = 1 << 6,    /* hname / hvalue chars */
	SIP_C_WORD = 1 << 7,   /* word (Call-ID) */
	SIP_C_HEX = 1 << 8,
	SIP_C_DIGIT = 1 << 9,
	SIP_C_SCHEME = 1 << 10, /* scheme after its first ALPHA */
	SIP_C_GENV = 1 << 11,	/* gen-value: token or host (":[]") */
	SIP_C_URIC = 1 << 12,	/* opaque URI chars (absoluteURI) */
	SIP_C_ALPHA = 1 << 13,
};

extern const uint16_t sip_ctab[256];

static inline bool sip_cis(char c, unsigned cls)
{
	return (sip_ctab[(unsigned char)c] & cls) != 0;
}

struct sc {
	const char *p; /* borrowed: the message copy */
	const char *e;
};

static inline struct sc sc_of(struct strv v)
{
	static const char empty[1];

	/* an unset view (NULL, 0) is an empty cursor: no NULL + 0 */
	if (!v.p)
		return (struct sc){ empty, empty };
	return (struct sc){ v.p, v.p + v.l };
}

static inline bool sc_more(const struct sc *s)
{
	return s->p < s->e;
}

static inline bool sc_peek(const struct sc *s, char c)
{
	return s->p < s->e && *s->p == c;
}

/* Consume @c if it is next. */
static inline bool sc_eat(struct sc *s, char c)
{
	if (s->p < s->e && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

static inline bool sc_lws(struct sc *s)
{
	const char *p0 = s->p;

	while (s->p < s->e && sip_cis(*s->p, SIP_C_WS))
		s->p++;
	return s->p != p0;
}

/* Longest run of class @cls (may be empty). */
static inline struct strv sc_span(struct sc *s, unsigned cls)
{
	const char *p0 = s->p;

	while (s->p < s->e && sip_cis(*s->p, cls))
		s->p++;
	return (struct strv){ p0, (size_t)(s->p - p0) };
}

/* SWS @c SWS: the separators of RFC 3261 25.1 (SEMI, COLON, SLASH ...). */
static inline bool sc_sep(struct sc *s, char c)
{
	struct sc t = *s;

	sc_lws(&t);
	if (!sc_eat(&t, c))
		return false;
	sc_lws(&t);
	*s = t;
	return true;
}

static inline struct strv sc_from(const char *p0, const struct sc *s)
{
	return (struct strv){ p0, (size_t)(s->p - p0) };
}

static inline struct strv sip_trim_lws(struct strv v)
{
	while (v.l && sip_cis(v.p[0], SIP_C_WS)) {
		v.p++;
		v.l--;
	}
	while (v.l && sip_cis(v.p[v.l - 1], SIP_C_WS))
		v.l--;
	return v;
}

/* Internal helpers shared by the decoders (prefixed, not in msg.h). */

/* A quoted string at the cursor (opening quote next): advances past the
 * closing quote; @in gets the inside. false if unterminated. */
bool sip_sc_quoted(struct sc *s, struct strv *in);
/* Run of @cls where '%' must start a valid %HEX HEX escape; false on a
 * broken escape. */
bool sip_sc_escaped(struct sc *s, unsigned cls, struct strv *out);
/* Header params "*( SEMI name [EQUAL value] )" at the cursor, stopping at
 * ',' or the end; @params gets "name=v;..." after the first ';'. */
bool sip_sc_params(struct sc *s, struct strv *params);
/* One or more decimal digits with a value <= @max. */
bool sip_sc_uint(struct sc *s, uint64_t max, uint64_t *out);
/* Host (name, IPv4, or [IPv6]) and optional ":port" at the cursor; @lws
 * allows SWS around the colon (Via). */
bool sip_sc_hostport(struct sc *s, struct strv *host, bool *v6,
		     uint16_t *port, bool lws);
/* A whole value split at commas outside quotes and <>: next value at
 * @rest into @val (trimmed); false when none is left. */
bool sip_split_comma(struct strv *rest, struct strv *val);
/* Decode a name-addr/addr-spec from the cursor, up to ',' or the end. */
int sip_sc_addr(struct sc *s, struct sip_addr *a);
/* Decode a via-parm from the cursor, up to ',' or the end. */
int sip_sc_via(struct sc *s, struct sip_via *v);

#endif
