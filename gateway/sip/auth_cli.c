// SPDX-License-Identifier: GPL-2.0
/*
 * Digest authentication as a client (RFC 3261 22.2-22.3, RFC 7616 3.4,
 * RFC 8760 2.4): answer 401/407 and keep each realm's challenge so later
 * requests carry credentials up front (nc counting on per nonce).
 *
 * Loops are what a client must avoid: a server that keeps answering 401
 * to a wrong password would otherwise get an endless stream of retries.
 * A challenge that repeats a nonce we already answered (stale or not) ends
 * it at once; fresh nonces without stale=true are tolerated once (an
 * expired pre-authentication nonce looks just like that) and end it on
 * the second time in a row.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../base/mem.h"
#include "auth_priv.h"

#define CLI_REALMS 4
#define CLI_STR 256
#define MAX_REJECTS 2

struct cli_entry {
	bool used;
	bool proxy;		/* from a Proxy-Authenticate */
	bool qop;		/* answer with qop=auth */
	bool has_opaque;
	enum sip_auth_alg alg;
	uint32_t nc;		/* requests answered with this nonce */
	unsigned rejects;	/* fresh challenges in a row after answers */
	char realm[CLI_STR];
	char nonce[CLI_STR];
	char opaque[CLI_STR];
};

struct sip_auth_cli {
	char user[128];
	char pass[128];
	unsigned next_evict;
	struct cli_entry e[CLI_REALMS];
};

static void cli_destroy(void *arg)
{
	struct sip_auth_cli *c = arg;

	OPENSSL_cleanse(c->pass, sizeof(c->pass));
}

int sip_auth_cli_alloc(struct sip_auth_cli **cp, const char *user,
		       const char *password)
{
	struct sip_auth_cli *c;

	if (!user || !password || !user[0] ||
	    strlen(user) >= sizeof(c->user) ||
	    strlen(password) >= sizeof(c->pass))
		return -EINVAL;
	c = mem_zalloc(sizeof(*c), cli_destroy);
	if (!c)
		return -ENOMEM;
	memcpy(c->user, user, strlen(user) + 1);
	memcpy(c->pass, password, strlen(password) + 1);
	*cp = c;
	return 0;
}

/* A challenge we can answer: a known algorithm without -sess (its HA1
 * would pin the first cnonce), no userhash, qop "auth" if any qop. */
static bool usable(const struct sip_auth_chal *ch)
{
	return ch->digest && ch->alg != SIP_AUTH_ALG_UNKNOWN && !ch->sess &&
	       !ch->userhash && (!ch->has_qop || ch->qop_auth);
}

struct cand {
	struct sip_auth_chal ch;
	bool proxy;
};

/* Keep the strongest usable challenge per (realm, proxy) in @cv. */
static int collect(const struct sip_msg *resp, enum sip_hdr_id id,
		   struct cand *cv, size_t *n)
{
	const struct sip_hdr *h;
	struct sip_auth_chal ch;
	bool proxy = id == SIP_HDR_PROXY_AUTHENTICATE;

	for (h = sip_msg_hdr(resp, id); h; h = sip_msg_hdr_next(resp, h)) {
		struct strv rest = h->val;
		int err;

		while ((err = sip_auth_chal_next(&rest, &ch)) == 0) {
			size_t i;

			if (!usable(&ch))
				continue;
			for (i = 0; i < *n; i++)
				if (cv[i].proxy == proxy &&
				    strv_eq(cv[i].ch.realm, ch.realm))
					break;
			if (i == *n) {
				if (*n == CLI_REALMS)
					continue;
				(*n)++;
			} else if (cv[i].ch.alg >= ch.alg) {
				continue;
			}
			cv[i] = (struct cand){ ch, proxy };
		}
		if (err != -ENOENT)
			return err;
	}
	return 0;
}

static struct cli_entry *find(struct sip_auth_cli *c, const char *realm,
			      bool proxy)
{
	for (size_t i = 0; i < CLI_REALMS; i++)
		if (c->e[i].used && c->e[i].proxy == proxy &&
		    !strcmp(c->e[i].realm, realm))
			return &c->e[i];
	return NULL;
}

static struct cli_entry *slot(struct sip_auth_cli *c)
{
	struct cli_entry *e;

	for (size_t i = 0; i < CLI_REALMS; i++)
		if (!c->e[i].used)
			return &c->e[i];
	e = &c->e[c->next_evict++ % CLI_REALMS];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Decide for one challenge, before anything is changed. */
static int judge(struct sip_auth_cli *c, const struct cand *k,
		 struct cli_entry **ep, char *realm, char *nonce)
{
	struct cli_entry *e;

	if (sip_auth_unq(k->ch.realm, realm, CLI_STR) < 0 ||
	    sip_auth_unq(k->ch.nonce, nonce, CLI_STR) < 0 ||
	    (k->ch.has_opaque && k->ch.opaque.l >= CLI_STR))
		return -EBADMSG;
	e = find(c, realm, k->proxy);
	*ep = e;
	if (!e || !e->nc)
		return 0;
	if (!strcmp(e->nonce, nonce))
		return -EACCES;
	if (!k->ch.stale && e->rejects + 1 >= MAX_REJECTS)
		return -EACCES;
	return 0;
}

int sip_auth_cli_challenge(struct sip_auth_cli *c, const struct sip_msg *resp)
{
	char realm[CLI_REALMS][CLI_STR], nonce[CLI_REALMS][CLI_STR];
	struct cli_entry *ev[CLI_REALMS];
	struct cand cv[CLI_REALMS];
	size_t n = 0;
	int err;

	if (resp->req || (resp->scode != 401 && resp->scode != 407))
		return -EINVAL;
	err = collect(resp, SIP_HDR_WWW_AUTHENTICATE, cv, &n);
	if (!err)
		err = collect(resp, SIP_HDR_PROXY_AUTHENTICATE, cv, &n);
	if (err)
		return err;
	if (!n)
		return -ENOTSUP;
	for (size_t i = 0; i < n; i++) {
		err = judge(c, &cv[i], &ev[i], realm[i], nonce[i]);
		if (err)
			return err;
	}
	for (size_t i = 0; i < n; i++) {
		struct cli_entry *e = ev[i];
		unsigned rejects = 0;

		if (e && e->nc)
			rejects = cv[i].ch.stale ? e->rejects
						 : e->rejects + 1;
		if (!e)
			e = slot(c);
		memset(e, 0, sizeof(*e));
		e->used = true;
		e->proxy = cv[i].proxy;
		e->qop = cv[i].ch.qop_auth;
		e->alg = cv[i].ch.alg;
		e->rejects = rejects;
		e->has_opaque = cv[i].ch.has_opaque;
		memcpy(e->realm, realm[i], CLI_STR);
		memcpy(e->nonce, nonce[i], CLI_STR);
		/* opaque goes back exactly as received, escapes and all */
		if (e->has_opaque)
			strv_copy(cv[i].ch.opaque, e->opaque, CLI_STR);
	}
	return 0;
}

void sip_auth_cli_accepted(struct sip_auth_cli *c)
{
	for (size_t i = 0; i < CLI_REALMS; i++)
		c->e[i].rejects = 0;
}

static int cred_line(struct sip_auth_cli *c, struct cli_entry *e,
		     struct buf *b, struct strv method, struct strv uri)
{
	char cnonce[33], nc[9], resp[SIP_AUTH_HEX_MAX], uric[1024];
	struct sip_auth_dig d;
	int err;

	if (strv_copy(uri, uric, sizeof(uric)))
		return -EINVAL;
	err = sip_auth_rand_hex(cnonce, 16);
	if (err)
		return err;
	e->nc++;
	snprintf(nc, sizeof(nc), "%08x", (unsigned)e->nc);
	d = (struct sip_auth_dig){
		.alg = e->alg,
		.user = strv_of(c->user),
		.realm = strv_of(e->realm),
		.password = strv_of(c->pass),
		.method = method,
		.uri = uri,
		.nonce = strv_of(e->nonce),
		.cnonce = strv_of(cnonce),
		.nc = strv_of(nc),
		.qop = e->qop,
	};
	err = sip_auth_digest(&d, resp);
	if (err)
		return err;
	err = buf_printf(b, "%s: Digest username=",
			 e->proxy ? "Proxy-Authorization" : "Authorization");
	if (!err)
		err = sip_auth_put_quoted(b, c->user);
	if (!err)
		err = buf_puts(b, ", realm=");
	if (!err)
		err = sip_auth_put_quoted(b, e->realm);
	if (!err)
		err = buf_puts(b, ", nonce=");
	if (!err)
		err = sip_auth_put_quoted(b, e->nonce);
	if (!err)
		err = buf_puts(b, ", uri=");
	if (!err)
		err = sip_auth_put_quoted(b, uric);
	if (!err)
		err = buf_printf(b, ", response=\"%s\", algorithm=%s", resp,
				 sip_auth_alg_name(e->alg));
	if (!err && e->qop)
		err = buf_printf(b, ", cnonce=\"%s\", qop=auth, nc=%s",
				 cnonce, nc);
	if (!err && e->has_opaque)
		err = buf_printf(b, ", opaque=\"%s\"", e->opaque);
	if (!err)
		err = buf_puts(b, "\r\n");
	return err;
}

int sip_auth_cli_hdrs(struct sip_auth_cli *c, struct buf *b,
		      struct strv method, struct strv uri)
{
	size_t len0 = b->len;
	int err = 0;

	if (!method.l || !uri.l)
		return -EINVAL;
	for (size_t i = 0; i < CLI_REALMS && !err; i++)
		if (c->e[i].used)
			err = cred_line(c, &c->e[i], b, method, uri);
	if (err)
		b->len = len0;
	return err;
}
