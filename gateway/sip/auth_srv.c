// SPDX-License-Identifier: GPL-2.0
/*
 * Digest authentication as a server (RFC 3261 22.1-22.3, RFC 7616 3.3,
 * 3.4, 5.x): challenges with self-validating nonces, and the check of
 * credentials with nc tracking in a bounded table.
 *
 * The nc table has one slot per (sequence number mod size). Issuing a
 * nonce claims its slot; a nonce whose slot has since been claimed by a
 * newer one is no longer tracked and is answered stale=true, so memory
 * stays bounded and a replay can never slip through an evicted entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../base/loop.h"
#include "../base/mem.h"
#include "auth_priv.h"

#define REALM_MAX 255
#define URI_MAX 1024

struct nc_slot {
	uint64_t seq;	/* nonce owning the slot; 0: free */
	uint32_t nc;	/* highest nc seen; UINT32_MAX: used without qop */
};

struct sip_auth_srv {
	char realm[REALM_MAX + 1];
	char opaque[33];
	uint64_t ttl_ms;
	uint64_t seq;		/* last issued */
	sip_auth_lookup_h *lookup;
	void *arg;		/* borrowed */
	sip_auth_clock_h *clock;
	uint32_t nslots;
	struct nc_slot slots[];
};

int sip_auth_srv_alloc(struct sip_auth_srv **sp,
		       const struct sip_auth_srv_params *p)
{
	uint32_t n = p->nc_slots ? p->nc_slots : 1024;
	struct sip_auth_srv *s;
	char rh[9];
	int err;

	if (!p->realm || !p->realm[0] || strlen(p->realm) > REALM_MAX ||
	    !p->lookup || n > (1u << 20))
		return -EINVAL;
	err = sip_auth_secret_init();
	if (err)
		return err;
	s = mem_zalloc(sizeof(*s) + n * sizeof(s->slots[0]), NULL);
	if (!s)
		return -ENOMEM;
	memcpy(s->realm, p->realm, strlen(p->realm) + 1);
	s->ttl_ms = p->nonce_ttl_ms ? p->nonce_ttl_ms : 300000;
	s->lookup = p->lookup;
	s->arg = p->arg;
	s->clock = p->clock ? p->clock : loop_now_ms;
	s->nslots = n;
	err = sip_auth_rand_hex(s->opaque, 16);
	/* a random start keeps two servers of one realm (a reload) from
	 * sharing sequence numbers and so nc slots */
	if (!err)
		err = sip_auth_rand_hex(rh, 4);
	if (err) {
		mem_deref(s);
		return err;
	}
	s->seq = strtoull(rh, NULL, 16) << 16;
	*sp = s;
	return 0;
}

int sip_auth_put_quoted(struct buf *b, const char *s)
{
	int err = buf_putc(b, '"');

	for (; *s && !err; s++) {
		if (*s == '"' || *s == '\\')
			err = buf_putc(b, '\\');
		if (!err)
			err = buf_putc(b, *s);
	}
	return err ? err : buf_putc(b, '"');
}

static int chal_line(const struct sip_auth_srv *s, struct buf *b, bool proxy,
		     bool stale, const char *nonce, enum sip_auth_alg alg)
{
	int err;

	err = buf_printf(b, "%s: Digest realm=",
			 proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
	if (!err)
		err = sip_auth_put_quoted(b, s->realm);
	if (!err)
		err = buf_printf(b,
				 ", nonce=\"%s\", opaque=\"%s\", "
				 "algorithm=%s, qop=\"auth\"%s\r\n",
				 nonce, s->opaque, sip_auth_alg_name(alg),
				 stale ? ", stale=true" : "");
	return err;
}

int sip_auth_srv_chal(struct sip_auth_srv *s, struct buf *b, bool proxy,
		      bool stale)
{
	char nonce[SIP_AUTH_NONCE_LEN + 1];
	size_t len0 = b->len;
	struct nc_slot *slot;
	int err;

	s->seq++;
	if (!s->seq)
		s->seq++;
	err = sip_auth_nonce_make(s->realm, s->clock(), s->seq, nonce);
	if (err)
		return err;
	slot = &s->slots[s->seq % s->nslots];
	slot->seq = s->seq;
	slot->nc = 0;
	err = chal_line(s, b, proxy, stale, nonce, SIP_AUTH_SHA256);
	if (!err)
		err = chal_line(s, b, proxy, stale, nonce, SIP_AUTH_MD5);
	if (err)
		b->len = len0;
	return err;
}

int sip_auth_srv_reply(struct sip_auth_srv *s, struct buf *b,
		       const struct sip_msg *req, bool proxy, bool stale,
		       struct strv to_tag)
{
	struct sip_resp_params rp = { .scode = proxy ? 407 : 401,
				      .to_tag = to_tag };
	struct buf h = { 0 };
	int err;

	err = sip_auth_srv_chal(s, &h, proxy, stale);
	if (!err) {
		rp.hdrs = (struct strv){ (const char *)h.data, h.len };
		err = sip_resp_print(b, req, &rp);
	}
	buf_free(&h);
	return err;
}

/* RFC 3261 22.4 item 5 asks for the digest uri to be the Request-URI; a
 * byte-exact copy is the norm, but accept the same URI spelled with a
 * different host case. */
static bool uri_matches(const struct sip_msg *req, const char *uri)
{
	struct strv u = strv_of(uri);
	struct sip_uri a;

	if (strv_eq(u, req->ruri.raw))
		return true;
	if (sip_uri_decode(&a, u) || a.scheme != req->ruri.scheme)
		return false;
	if (a.scheme != SIP_SCHEME_SIP && a.scheme != SIP_SCHEME_SIPS)
		return false;
	return strv_eq(a.user, req->ruri.user) &&
	       strv_caseeq(a.host, req->ruri.host) &&
	       a.port == req->ruri.port &&
	       strv_caseeq(a.params, req->ruri.params) &&
	       strv_eq(a.headers, req->ruri.headers);
}

/* Lowercase a hex view into @out (same length + NUL). */
static void lower_hex(struct strv v, char *out)
{
	for (size_t i = 0; i < v.l; i++) {
		char c = v.p[i];

		out[i] = (c >= 'A' && c <= 'F') ? c + 32 : c;
	}
	out[v.l] = '\0';
}

static int check(struct sip_auth_srv *s, const struct sip_msg *req,
		 const struct sip_auth_cred *c)
{
	char user[128], uri[URI_MAX], nonce[SIP_AUTH_NONCE_LEN + 1];
	char cnonce[256], want[SIP_AUTH_HEX_MAX], got[SIP_AUTH_HEX_MAX];
	struct sip_auth_secret sec;
	struct sip_auth_dig d;
	struct nc_slot *slot;
	uint64_t ts, seq, now;
	int err;

	if (sip_auth_unq(c->uri, uri, sizeof(uri)) < 0 ||
	    !uri_matches(req, uri))
		return -EBADMSG;
	/* only what we offered: MD5 or SHA-256, no -sess, no userhash */
	if ((c->alg != SIP_AUTH_MD5 && c->alg != SIP_AUTH_SHA256) ||
	    c->sess || c->userhash)
		return -EACCES;
	if (c->has_opaque && !strv_eq(c->opaque, strv_of(s->opaque)))
		return -EACCES;
	if (sip_auth_unq(c->nonce, nonce, sizeof(nonce)) < 0 ||
	    sip_auth_nonce_check(s->realm, strv_of(nonce), &ts, &seq))
		return -EACCES;
	if (sip_auth_unq(c->username, user, sizeof(user)) < 0 ||
	    sip_auth_unq(c->cnonce, cnonce, sizeof(cnonce)) < 0)
		return -EACCES;
	memset(&sec, 0, sizeof(sec));
	if (s->lookup(user, s->realm, c->alg, &sec, s->arg))
		return -EACCES;
	sec.password[sizeof(sec.password) - 1] = '\0';
	sec.ha1[sizeof(sec.ha1) - 1] = '\0';
	d = (struct sip_auth_dig){
		.alg = c->alg,
		.user = strv_of(user),
		.realm = strv_of(s->realm),
		.password = strv_of(sec.password),
		.ha1 = strv_of(sec.ha1),
		.method = req->method,
		.uri = strv_of(uri),
		.nonce = strv_of(nonce),
		.cnonce = strv_of(cnonce),
		.nc = c->nc_s,
		.qop = c->has_qop,
	};
	err = sip_auth_digest(&d, want);
	OPENSSL_cleanse(&sec, sizeof(sec));
	if (err)
		return -EACCES;
	lower_hex(c->response, got);
	if (c->response.l != strlen(want) ||
	    CRYPTO_memcmp(got, want, c->response.l))
		return -EACCES;
	/* the answer is right: only now may the nonce be called stale */
	now = s->clock();
	if (now < ts || now - ts > s->ttl_ms)
		return -ESTALE;
	slot = &s->slots[seq % s->nslots];
	if (slot->seq != seq)
		return -ESTALE;
	if (c->has_qop) {
		if (c->nc <= slot->nc)
			return -EACCES;
		slot->nc = c->nc;
	} else {
		/* RFC 2069 has no nc: such a nonce is good for one request */
		if (slot->nc)
			return -EACCES;
		slot->nc = UINT32_MAX;
	}
	return 0;
}

int sip_auth_srv_verify(struct sip_auth_srv *s, const struct sip_msg *req,
			bool proxy, struct strv *user)
{
	enum sip_hdr_id id = proxy ? SIP_HDR_PROXY_AUTHORIZATION
				   : SIP_HDR_AUTHORIZATION;
	char realm[REALM_MAX + 1];
	struct sip_auth_cred c;
	const struct sip_hdr *h;
	int err;

	if (!req->req)
		return -EINVAL;
	for (h = sip_msg_hdr(req, id); h; h = sip_msg_hdr_next(req, h)) {
		err = sip_auth_cred_parse(h->val, &c);
		if (err == -ENOTSUP)
			continue;
		if (err)
			return -EBADMSG;
		/* credentials for other realms belong to other servers on
		 * the path (RFC 3261 22.3) */
		if (sip_auth_unq(c.realm, realm, sizeof(realm)) < 0 ||
		    strcmp(realm, s->realm))
			continue;
		err = check(s, req, &c);
		if (!err && user)
			*user = c.username;
		return err;
	}
	return -ENOENT;
}
