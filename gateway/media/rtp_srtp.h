/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP and SRTCP (RFC 3711) through libsrtp2, keyed by SDES (RFC 4568).
 *
 * Suites: AES_CM_128_HMAC_SHA1_80 and _32 (RFC 4568), AES_256_CM_HMAC_
 * SHA1_80 (RFC 6188), AEAD_AES_128_GCM (RFC 7714). A context protects in
 * one direction: an outbound one for what we send, an inbound one (with
 * replay protection, window 128) for what we receive; each learns SSRCs as
 * they appear. Contexts are mem objects; they are not thread-safe.
 */
#ifndef TL_MEDIA_RTP_SRTP_H
#define TL_MEDIA_RTP_SRTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rtp_srtp_suite {
	RTP_SRTP_AES_CM_128_HMAC_SHA1_80 = 0,
	RTP_SRTP_AES_CM_128_HMAC_SHA1_32,
	RTP_SRTP_AES_256_CM_HMAC_SHA1_80,
	RTP_SRTP_AEAD_AES_128_GCM,
	RTP_SRTP_NSUITES,
};

enum rtp_srtp_dir {
	RTP_SRTP_OUT, /* protect what we send */
	RTP_SRTP_IN,  /* unprotect what we receive */
};

/* Longest master key + salt (AES-256: 32 + 14) */
#define RTP_SRTP_KEY_MAX 46
/* Octets protect may add: SRTCP index + the longest tag, with room */
#define RTP_SRTP_TRAILER_MAX 32
/* Longest "inline:" key parameter we print (base64 of 46 + prefix) */
#define RTP_SRTP_INLINE_MAX 80

struct rtp_srtp;

/* RFC 4568 name of @suite ("AES_CM_128_HMAC_SHA1_80"), NULL if unknown. */
const char *rtp_srtp_suite_name(enum rtp_srtp_suite suite);

/* Suite by its RFC 4568 name (case-sensitive); 0 or -ENOENT. */
int rtp_srtp_suite_parse(const char *name, enum rtp_srtp_suite *suite);

/* Master key + salt length of @suite in octets (30, 46 or 28). */
size_t rtp_srtp_key_len(enum rtp_srtp_suite suite);

/*
 * Decode the RFC 4568 key parameter @s ("inline:BASE64[|lifetime]") for
 * @suite into @key (rtp_srtp_key_len octets). A lifetime is accepted and
 * ignored (libsrtp enforces the 2^48 / 2^31 limits); an MKI is refused
 * with -ENOTSUP. -EINVAL on bad syntax, base64 or key length.
 */
int rtp_srtp_sdes_decode(enum rtp_srtp_suite suite, const char *s,
			 uint8_t *key);

/*
 * Print @key for @suite as "inline:BASE64" into @out of @size octets
 * (RTP_SRTP_INLINE_MAX is enough). 0 or -ENOSPC.
 */
int rtp_srtp_sdes_encode(enum rtp_srtp_suite suite, const uint8_t *key,
			 char *out, size_t size);

/* Fill @key with a fresh random master key + salt for @suite (OpenSSL
 * RAND). 0 or -EIO. */
int rtp_srtp_key_gen(enum rtp_srtp_suite suite, uint8_t *key);

/*
 * New context for @dir with the master key + salt @key of @suite.
 * 0 and *@sp, or -EINVAL / -ENOMEM / -EIO (libsrtp refused).
 */
int rtp_srtp_new(struct rtp_srtp **sp, enum rtp_srtp_suite suite,
		 const uint8_t *key, enum rtp_srtp_dir dir);

/*
 * Protect the RTP packet in @p (*@len octets, @size octets of room) in
 * place; *@len grows by the tag. -ENOSPC when size < *len +
 * RTP_SRTP_TRAILER_MAX, -EBADMSG for a malformed packet, -EIO otherwise.
 */
int rtp_srtp_protect(struct rtp_srtp *s, uint8_t *p, size_t *len,
		     size_t size);

/*
 * Unprotect the SRTP packet in @p in place; *@len shrinks to the RTP
 * packet. -EBADMSG when authentication fails or the packet is malformed,
 * -EALREADY for a replayed packet, -EIO otherwise.
 */
int rtp_srtp_unprotect(struct rtp_srtp *s, uint8_t *p, size_t *len);

/* The same for a compound RTCP packet (SRTCP). */
int rtp_srtp_protect_rtcp(struct rtp_srtp *s, uint8_t *p, size_t *len,
			  size_t size);
int rtp_srtp_unprotect_rtcp(struct rtp_srtp *s, uint8_t *p, size_t *len);

#endif
