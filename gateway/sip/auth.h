/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP digest authentication (RFC 3261 22, RFC 7616, RFC 8760): parsing of
 * challenges and credentials, the digest computation, a server side that
 * issues self-validating nonces and checks credentials, and a client side
 * that answers 401/407 and pre-authenticates later requests.
 *
 * Parsed values are views into the header value. A value that was a quoted
 * string is the inside of the quotes with its quoted-pair escapes kept;
 * sip_auth_unq() decodes it. Token values never contain a backslash, so
 * decoding any value is always safe.
 *
 * Pure functions on parsed messages and buffers: nothing here depends on
 * the transports or the transactions.
 */
#ifndef TL_SIP_AUTH_H
#define TL_SIP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/strv.h"
#include "msg.h"

/* Digest algorithms, weakest first: a higher value is preferred. */
enum sip_auth_alg {
	SIP_AUTH_ALG_UNKNOWN = 0, /* an algorithm we do not implement */
	SIP_AUTH_MD5,
	SIP_AUTH_SHA256,
	SIP_AUTH_SHA512_256,
};

/* Longest hex digest (SHA-256 and SHA-512/256: 64) plus the NUL. */
#define SIP_AUTH_HEX_MAX 65

/* One challenge of a WWW-Authenticate / Proxy-Authenticate header. */
struct sip_auth_chal {
	bool digest;		  /* Digest; else only scheme is set */
	struct strv scheme;
	enum sip_auth_alg alg;	  /* absent: MD5 (RFC 7616 3.3) */
	bool sess;		  /* "-sess" variant */
	struct strv realm;	  /* escapes kept (sip_auth_unq) */
	struct strv nonce;
	struct strv opaque;	  /* empty view if absent */
	struct strv domain;
	bool has_opaque;
	bool qop_auth;		  /* qop list offers "auth" */
	bool qop_auth_int;	  /* ... and/or "auth-int" */
	bool has_qop;
	bool stale;
	bool userhash;
};

/* The credentials of an Authorization / Proxy-Authorization header. */
struct sip_auth_cred {
	enum sip_auth_alg alg;
	bool sess;
	struct strv username;	  /* escapes kept */
	struct strv realm;
	struct strv nonce;
	struct strv uri;
	struct strv response;	  /* lowercase or uppercase hex, checked */
	struct strv cnonce;
	struct strv opaque;
	bool has_opaque;
	bool has_qop;		  /* then qop is "auth" */
	bool userhash;
	struct strv nc_s;	  /* the 8 hex digits as sent */
	uint32_t nc;
};

/*
 * Parse the next challenge of a WWW-Authenticate/Proxy-Authenticate value
 * at @rest (several challenges may share one header, RFC 7235 4.1) and
 * advance @rest past it. 0 with @c filled (check @c->digest: other schemes
 * are skipped whole), -ENOENT when nothing is left, -EBADMSG on a
 * malformed challenge or a Digest one missing realm or nonce, or with a
 * repeated parameter.
 */
int sip_auth_chal_next(struct strv *rest, struct sip_auth_chal *c);

/*
 * Parse an Authorization/Proxy-Authorization value holding Digest
 * credentials. 0, -ENOTSUP for another scheme, or -EBADMSG: bad syntax, a
 * repeated parameter, a missing username/realm/nonce/uri/response, qop
 * other than "auth" or without cnonce and nc, nc not 8 hex digits, or a
 * response whose length does not fit the algorithm.
 */
int sip_auth_cred_parse(struct strv val, struct sip_auth_cred *c);

/*
 * Decode the quoted-pair escapes of a parsed value into @dst (size @n,
 * NUL-terminated). The length, or -ENOSPC if it does not fit.
 */
int sip_auth_unq(struct strv v, char *dst, size_t n);

/* Algorithm of an "algorithm" token (case-insensitive, "-sess" suffix
 * set in @sess); SIP_AUTH_ALG_UNKNOWN if not ours. */
enum sip_auth_alg sip_auth_alg_lookup(struct strv v, bool *sess);
/* RFC 7616 name ("MD5", "SHA-256", "SHA-512-256"); "" if unknown. */
const char *sip_auth_alg_name(enum sip_auth_alg alg);
/* Hex length of a digest of @alg (32 or 64), 0 if unknown. */
size_t sip_auth_alg_hexlen(enum sip_auth_alg alg);

/* Inputs of one digest computation; every view is plain (decoded). */
struct sip_auth_dig {
	enum sip_auth_alg alg;
	bool sess;
	struct strv user, realm, password;
	struct strv ha1;	/* hex H(user:realm:password); used if set */
	struct strv method, uri;
	struct strv nonce, cnonce, nc; /* nc: 8 hex digits */
	bool qop;		/* qop=auth; false: RFC 2069 form */
};

/*
 * The request-digest of RFC 7616 3.4.1 (qop=auth) or RFC 2069 (no qop)
 * as lowercase hex into @out (SIP_AUTH_HEX_MAX bytes). 0, -EINVAL (an
 * unknown algorithm, or qop/sess without cnonce), -EIO on a crypto error.
 */
int sip_auth_digest(const struct sip_auth_dig *d, char *out);

/* H(user:realm:password) of @alg as hex into @out (SIP_AUTH_HEX_MAX), for
 * storing HA1 instead of passwords. 0, -EINVAL, -EIO. */
int sip_auth_ha1(enum sip_auth_alg alg, struct strv user, struct strv realm,
		 struct strv password, char *out);

/* --- server side (auth_srv.c, auth_nonce.c) ---------------------------- */

/* What a lookup returns: a password, or the hex HA1 for the algorithm. */
struct sip_auth_secret {
	char password[128];
	char ha1[SIP_AUTH_HEX_MAX];	/* used if not empty */
};

/*
 * Find the secret of @user (decoded, NUL-terminated) in @realm for @alg.
 * 0 with @s filled, -ENOENT for an unknown user. @arg is the server's.
 */
typedef int(sip_auth_lookup_h)(const char *user, const char *realm,
			       enum sip_auth_alg alg,
			       struct sip_auth_secret *s, void *arg);

/* Clock in milliseconds for nonce lifetimes (tests pass a fake one). */
typedef uint64_t(sip_auth_clock_h)(void);

struct sip_auth_srv_params {
	const char *realm;	     /* copied */
	uint32_t nonce_ttl_ms;	     /* 0: 300 s */
	uint32_t nc_slots;	     /* nonces tracked for nc; 0: 1024 */
	sip_auth_lookup_h *lookup;
	void *arg;		     /* borrowed, for @lookup */
	sip_auth_clock_h *clock;     /* NULL: loop_now_ms */
};

struct sip_auth_srv;

/*
 * A new server-side authenticator (mem object). Nonces are
 * "time.seq.mac" with an HMAC-SHA-256 under a per-process secret drawn
 * from OpenSSL RAND on first use, so they expire and cannot be forged.
 * 0, -EINVAL (no realm or lookup), -ENOMEM, -EIO (RAND failed).
 */
int sip_auth_srv_alloc(struct sip_auth_srv **sp,
		       const struct sip_auth_srv_params *p);

/*
 * Append the challenge header lines of a 401 (WWW-Authenticate) or, with
 * @proxy, 407 (Proxy-Authenticate): one for SHA-256 then one for MD5
 * (RFC 8760 2.4: preferred first), sharing a fresh nonce, with realm,
 * opaque and qop="auth", and stale=true if @stale. 0 or a buf error.
 */
int sip_auth_srv_chal(struct sip_auth_srv *s, struct buf *b, bool proxy,
		      bool stale);

/*
 * Append a whole 401 (or 407 with @proxy) answering @req, carrying the
 * challenges of sip_auth_srv_chal() and @to_tag. 0 or an error.
 */
int sip_auth_srv_reply(struct sip_auth_srv *s, struct buf *b,
		       const struct sip_msg *req, bool proxy, bool stale,
		       struct strv to_tag);

/*
 * Check the credentials of request @req for our realm (Authorization, or
 * Proxy-Authorization with @proxy). 0: authenticated, @user (may be NULL)
 * gets the username as sent (a view into @req). Otherwise:
 * -ENOENT   no credentials for our realm: challenge;
 * -ESTALE   right answer on an expired (or untracked) nonce: challenge
 *           with stale=true;
 * -EACCES   wrong response, unknown user, forged nonce, replayed or
 *           non-increasing nc, opaque mismatch: challenge again (or 403);
 * -EBADMSG  malformed credentials, or the digest uri is not the
 *           Request-URI: answer 400.
 */
int sip_auth_srv_verify(struct sip_auth_srv *s, const struct sip_msg *req,
			bool proxy, struct strv *user);

/* --- client side (auth_cli.c) ------------------------------------------ */

struct sip_auth_cli;

/*
 * A new client-side authenticator for one account (mem object): @user and
 * @password (copied) answer every realm. 0, -EINVAL, -ENOMEM.
 */
int sip_auth_cli_alloc(struct sip_auth_cli **cp, const char *user,
		       const char *password);

/*
 * Take the challenges of a 401/407 response @resp: for each realm, the
 * strongest Digest challenge we support (SHA-512-256 > SHA-256 > MD5,
 * qop=auth or none) replaces what was cached for that realm. 0 if the
 * request should be re-sent with sip_auth_cli_hdrs(); -EACCES if a
 * challenge repeats a nonce we already answered without stale=true, or a
 * realm keeps rejecting fresh answers (wrong password: give up, no loop);
 * -ENOTSUP if no challenge is usable; -EBADMSG on a malformed one;
 * -EINVAL if @resp is not a 401/407.
 */
int sip_auth_cli_challenge(struct sip_auth_cli *c, const struct sip_msg *resp);

/*
 * Append one Authorization / Proxy-Authorization line per cached realm for
 * a request @method to @uri (its Request-URI): a fresh cnonce and the next
 * nc of that nonce. With nothing cached it appends nothing (a first
 * request). Use it for the re-sent request and to pre-authenticate later
 * ones, in or out of a dialog. (An ACK for a 2xx repeats the INVITE's
 * lines; CANCEL carries none: RFC 3261 22.1.) 0 or an error.
 */
int sip_auth_cli_hdrs(struct sip_auth_cli *c, struct buf *b,
		      struct strv method, struct strv uri);

/* A request carrying our credentials got a final answer other than
 * 401/407: the cached answers work, forget past rejections. */
void sip_auth_cli_accepted(struct sip_auth_cli *c);

#endif
