/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to gateway/sip/auth*.c: shared helpers. */
#ifndef TL_SIP_AUTH_PRIV_H
#define TL_SIP_AUTH_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"

/* Append @s as a quoted-string, escaping '"' and '\'. 0 or a buf error. */
int sip_auth_put_quoted(struct buf *b, const char *s);

/* Fill @out with @n random bytes as 2n lowercase hex chars + NUL (OpenSSL
 * RAND). 0 or -EIO. */
int sip_auth_rand_hex(char *out, size_t n);

/* Nonces (auth_nonce.c): "TTTTTTTTTTTTTTTTSSSSSSSSSSSSSSSSMMMM..." hex of
 * a millisecond timestamp, a sequence number and an HMAC-SHA-256 (first
 * 16 bytes) over both and the realm, under the per-process secret. */
#define SIP_AUTH_NONCE_LEN 64

/* Write the nonce of (@ts, @seq) for @realm into @out (LEN + 1 bytes). */
int sip_auth_nonce_make(const char *realm, uint64_t ts, uint64_t seq,
			char *out);
/* Check a received nonce (plain) for @realm: 0 with @ts/@seq, or -EACCES
 * if it is malformed or its MAC is wrong (forged). */
int sip_auth_nonce_check(const char *realm, struct strv nonce, uint64_t *ts,
			 uint64_t *seq);
/* Draw the per-process secret if not done yet: 0 or -EIO. */
int sip_auth_secret_init(void);

#endif
