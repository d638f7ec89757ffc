// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of Digest challenges and credentials (RFC 3261 25.1
 * "challenge" / "credentials", RFC 7616 3.3 and 3.4, RFC 7235 4.1 for
 * several challenges in one header). Zero-copy: every value is a view into
 * the header value; quoted strings keep their escapes.
 */
#include <errno.h>
#include <string.h>

#include "auth.h"
#include "scan.h"

/* Parameters whose repetition makes the header malformed (RFC 7616 3.3:
 * "each parameter MUST NOT appear more than once"). */
enum {
	P_REALM, P_NONCE, P_OPAQUE, P_DOMAIN, P_ALG, P_QOP, P_STALE,
	P_USERHASH, P_USERNAME, P_URI, P_RESPONSE, P_CNONCE, P_NC, P_NUM
};

static const char *const pnames[P_NUM] = {
	[P_REALM] = "realm",	   [P_NONCE] = "nonce",
	[P_OPAQUE] = "opaque",	   [P_DOMAIN] = "domain",
	[P_ALG] = "algorithm",	   [P_QOP] = "qop",
	[P_STALE] = "stale",	   [P_USERHASH] = "userhash",
	[P_USERNAME] = "username", [P_URI] = "uri",
	[P_RESPONSE] = "response", [P_CNONCE] = "cnonce",
	[P_NC] = "nc",
};

static int pindex(struct strv name)
{
	for (int i = 0; i < P_NUM; i++)
		if (strv_caseeq_str(name, pnames[i]))
			return i;
	return -1;
}

struct param {
	struct strv name;
	struct strv val;  /* inside the quotes if quoted */
	bool quoted;
};

/* auth-param = token BWS "=" BWS ( token / quoted-string ) */
static int param_at(struct sc *s, struct param *p)
{
	p->name = sc_span(s, SIP_C_TOKEN);
	if (!p->name.l)
		return -EBADMSG;
	sc_lws(s);
	if (!sc_eat(s, '='))
		return -EBADMSG;
	sc_lws(s);
	p->quoted = sc_peek(s, '"');
	if (p->quoted) {
		if (!sip_sc_quoted(s, &p->val))
			return -EBADMSG;
	} else {
		p->val = sc_span(s, SIP_C_TOKEN);
		if (!p->val.l)
			return -EBADMSG;
	}
	return 0;
}

/* After a comma: true if what follows is an auth-param (token BWS "="),
 * false if it starts another challenge (a scheme token). */
static bool param_follows(const struct sc *s)
{
	struct sc t = *s;

	if (!sc_span(&t, SIP_C_TOKEN).l)
		return false;
	sc_lws(&t);
	return sc_peek(&t, '=');
}

/* token68 (RFC 7235 2.1) of a non-Digest scheme: skipped, not kept. */
static bool token68_at(struct sc *s)
{
	struct sc t = *s;
	size_t n = 0;

	while (sc_more(&t) && (sip_cis(*t.p, SIP_C_ALPHA | SIP_C_DIGIT) ||
			       strchr("-._~+/", *t.p))) {
		t.p++;
		n++;
	}
	while (n && sc_eat(&t, '='))
		;
	if (!n)
		return false;
	*s = t;
	return true;
}

enum sip_auth_alg sip_auth_alg_lookup(struct strv v, bool *sess)
{
	static const struct {
		const char *name;
		enum sip_auth_alg alg;
	} algs[] = {
		{ "MD5", SIP_AUTH_MD5 },
		{ "SHA-256", SIP_AUTH_SHA256 },
		{ "SHA-512-256", SIP_AUTH_SHA512_256 },
	};

	*sess = v.l > 5 && strv_caseeq_str((struct strv){ v.p + v.l - 5, 5 },
					   "-sess");
	if (*sess)
		v.l -= 5;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strv_caseeq_str(v, algs[i].name))
			return algs[i].alg;
	return SIP_AUTH_ALG_UNKNOWN;
}

const char *sip_auth_alg_name(enum sip_auth_alg alg)
{
	switch (alg) {
	case SIP_AUTH_MD5: return "MD5";
	case SIP_AUTH_SHA256: return "SHA-256";
	case SIP_AUTH_SHA512_256: return "SHA-512-256";
	default: return "";
	}
}

size_t sip_auth_alg_hexlen(enum sip_auth_alg alg)
{
	switch (alg) {
	case SIP_AUTH_MD5: return 32;
	case SIP_AUTH_SHA256:
	case SIP_AUTH_SHA512_256: return 64;
	default: return 0;
	}
}

int sip_auth_unq(struct strv v, char *dst, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < v.l; i++) {
		if (v.p[i] == '\\' && i + 1 < v.l)
			i++;
		if (k + 1 >= n)
			return -ENOSPC;
		dst[k++] = v.p[i];
	}
	if (!n)
		return -ENOSPC;
	dst[k] = '\0';
	return (int)k;
}

/* qop-options: a quoted, comma-separated list of tokens. */
static void chal_qop(struct sip_auth_chal *c, struct strv v)
{
	struct strv item;

	c->has_qop = true;
	while (v.l) {
		const char *comma = memchr(v.p, ',', v.l);
		size_t n = comma ? (size_t)(comma - v.p) : v.l;

		item = sip_trim_lws((struct strv){ v.p, n });
		if (strv_caseeq_str(item, "auth"))
			c->qop_auth = true;
		else if (strv_caseeq_str(item, "auth-int"))
			c->qop_auth_int = true;
		v.p += comma ? n + 1 : n;
		v.l -= comma ? n + 1 : n;
	}
}

static int chal_param(struct sip_auth_chal *c, const struct param *p,
		      unsigned *seen)
{
	int i = pindex(p->name);

	if (i < 0)
		return 0;	/* extension auth-param: ignored */
	if (*seen & (1u << i))
		return -EBADMSG;
	*seen |= 1u << i;
	switch (i) {
	case P_REALM: c->realm = p->val; break;
	case P_NONCE: c->nonce = p->val; break;
	case P_OPAQUE:
		c->opaque = p->val;
		c->has_opaque = true;
		break;
	case P_DOMAIN: c->domain = p->val; break;
	case P_ALG: c->alg = sip_auth_alg_lookup(p->val, &c->sess); break;
	case P_QOP: chal_qop(c, p->val); break;
	case P_STALE: c->stale = strv_caseeq_str(p->val, "true"); break;
	case P_USERHASH: c->userhash = strv_caseeq_str(p->val, "true"); break;
	default: break;	/* credential names in a challenge: ignored */
	}
	return 0;
}

int sip_auth_chal_next(struct strv *rest, struct sip_auth_chal *c)
{
	struct sc s = sc_of(*rest);
	unsigned seen = 0;
	bool first = true;
	struct param p;
	int err;

	memset(c, 0, sizeof(*c));
	c->alg = SIP_AUTH_MD5;
	/* empty list elements are allowed (RFC 7230 7) */
	while (sc_lws(&s) || sc_eat(&s, ','))
		;
	if (!sc_more(&s))
		return -ENOENT;
	c->scheme = sc_span(&s, SIP_C_TOKEN);
	if (!c->scheme.l)
		return -EBADMSG;
	c->digest = strv_caseeq_str(c->scheme, "Digest");
	if (sc_more(&s) && !sc_lws(&s) && !sc_peek(&s, ','))
		return -EBADMSG;
	for (;;) {
		if (!first) {
			sc_lws(&s);
			if (!sc_more(&s))
				break;
			if (!sc_eat(&s, ','))
				return -EBADMSG;
			while (sc_lws(&s) || sc_eat(&s, ','))
				;
			if (!sc_more(&s) || !param_follows(&s))
				break;	/* the next challenge starts */
		} else if (!sc_more(&s) || sc_peek(&s, ',')) {
			first = false;
			continue;
		}
		if (first && !c->digest && !param_follows(&s)) {
			if (!token68_at(&s))
				return -EBADMSG;
			first = false;
			continue;
		}
		first = false;
		err = param_at(&s, &p);
		if (err)
			return err;
		if (c->digest) {
			err = chal_param(c, &p, &seen);
			if (err)
				return err;
		}
	}
	if (c->digest && (!(seen & (1u << P_REALM)) ||
			  !(seen & (1u << P_NONCE))))
		return -EBADMSG;
	*rest = (struct strv){ s.p, (size_t)(s.e - s.p) };
	return 0;
}

static bool all_hex(struct strv v)
{
	for (size_t i = 0; i < v.l; i++)
		if (!sip_cis(v.p[i], SIP_C_HEX))
			return false;
	return true;
}

static int cred_param(struct sip_auth_cred *c, const struct param *p,
		      unsigned *seen)
{
	int i = pindex(p->name);

	if (i < 0)
		return 0;
	if (*seen & (1u << i))
		return -EBADMSG;
	*seen |= 1u << i;
	switch (i) {
	case P_USERNAME: c->username = p->val; break;
	case P_REALM: c->realm = p->val; break;
	case P_NONCE: c->nonce = p->val; break;
	case P_URI: c->uri = p->val; break;
	case P_RESPONSE: c->response = p->val; break;
	case P_CNONCE: c->cnonce = p->val; break;
	case P_OPAQUE:
		c->opaque = p->val;
		c->has_opaque = true;
		break;
	case P_ALG: c->alg = sip_auth_alg_lookup(p->val, &c->sess); break;
	case P_USERHASH: c->userhash = strv_caseeq_str(p->val, "true"); break;
	case P_QOP:
		if (!strv_caseeq_str(p->val, "auth"))
			return -EBADMSG;
		c->has_qop = true;
		break;
	case P_NC: {
		uint32_t n = 0;

		if (p->val.l != 8 || !all_hex(p->val))
			return -EBADMSG;
		for (size_t k = 0; k < 8; k++) {
			unsigned ch = (unsigned char)p->val.p[k];
			unsigned d = ch <= '9' ? ch - '0'
					       : (ch | 0x20) - 'a' + 10;

			n = n << 4 | d;
		}
		c->nc_s = p->val;
		c->nc = n;
		break;
	}
	default: break;	/* stale, domain: not credential parameters */
	}
	return 0;
}

int sip_auth_cred_parse(struct strv val, struct sip_auth_cred *c)
{
	struct sc s = sc_of(val);
	const unsigned need = 1u << P_USERNAME | 1u << P_REALM |
			      1u << P_NONCE | 1u << P_URI | 1u << P_RESPONSE;
	unsigned seen = 0;
	struct strv scheme;
	struct param p;
	size_t hl;
	int err;

	memset(c, 0, sizeof(*c));
	c->alg = SIP_AUTH_MD5;
	sc_lws(&s);
	scheme = sc_span(&s, SIP_C_TOKEN);
	if (!scheme.l)
		return -EBADMSG;
	if (!strv_caseeq_str(scheme, "Digest"))
		return -ENOTSUP;
	if (!sc_lws(&s))
		return -EBADMSG;
	for (;;) {
		err = param_at(&s, &p);
		if (err)
			return err;
		err = cred_param(c, &p, &seen);
		if (err)
			return err;
		sc_lws(&s);
		if (!sc_more(&s))
			break;
		if (!sc_eat(&s, ','))
			return -EBADMSG;
		sc_lws(&s);
	}
	if ((seen & need) != need)
		return -EBADMSG;
	/* qop needs cnonce and nc (RFC 7616 3.4); no qop allows neither */
	if (c->has_qop != (c->cnonce.p != NULL) ||
	    c->has_qop != (c->nc_s.p != NULL))
		return -EBADMSG;
	hl = sip_auth_alg_hexlen(c->alg);
	if (!all_hex(c->response) || !c->response.l ||
	    (hl && c->response.l != hl))
		return -EBADMSG;
	return 0;
}
