// SPDX-License-Identifier: GPL-2.0
/* SDES key parameters (RFC 4568 section 6.1): "inline:" base64 key||salt. */
#include <errno.h>
#include <string.h>

#include <openssl/rand.h>

#include "rtp_srtp.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(char c)
{
	const char *p;

	if (!c)
		return -1;
	p = strchr(b64, c);
	return p ? (int)(p - b64) : -1;
}

/* Strict base64 of exactly @n octets in @s (length @slen): padding is
 * optional, as some peers omit it; anything else is refused. */
static int b64_decode(const char *s, size_t slen, uint8_t *out, size_t n)
{
	uint32_t acc = 0;
	size_t bits = 0, o = 0, i;

	while (slen && s[slen - 1] == '=')
		slen--;
	for (i = 0; i < slen; i++) {
		int v = b64_val(s[i]);

		if (v < 0)
			return -EINVAL;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == n)
				return -EINVAL;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* leftover bits must be zero padding, not a stray character */
	if (o != n || bits >= 6 || (acc & ((1u << bits) - 1)))
		return -EINVAL;
	return 0;
}

int rtp_srtp_sdes_decode(enum rtp_srtp_suite suite, const char *s,
			 uint8_t *key)
{
	size_t klen = rtp_srtp_key_len(suite), blen;
	const char *bar;

	if (!klen || strncmp(s, "inline:", 7))
		return -EINVAL;
	s += 7;
	bar = strchr(s, '|');
	blen = bar ? (size_t)(bar - s) : strlen(s);
	if (bar) {
		/* "|lifetime" then optionally "|MKI:len"; a single field
		 * with ':' is an MKI */
		const char *f2 = strchr(bar + 1, '|');

		if (f2 || strchr(bar + 1, ':'))
			return -ENOTSUP;
		if (!bar[1])
			return -EINVAL;
	}
	return b64_decode(s, blen, key, klen);
}

int rtp_srtp_sdes_encode(enum rtp_srtp_suite suite, const uint8_t *key,
			 char *out, size_t size)
{
	size_t klen = rtp_srtp_key_len(suite), o = 7, i;

	if (!klen)
		return -EINVAL;
	if (size < 7 + (klen + 2) / 3 * 4 + 1)
		return -ENOSPC;
	memcpy(out, "inline:", 7);
	for (i = 0; i < klen; i += 3) {
		uint32_t v = (uint32_t)key[i] << 16;
		size_t left = klen - i;

		if (left > 1)
			v |= (uint32_t)key[i + 1] << 8;
		if (left > 2)
			v |= key[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = left > 1 ? b64[v >> 6 & 63] : '=';
		out[o++] = left > 2 ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return 0;
}

int rtp_srtp_key_gen(enum rtp_srtp_suite suite, uint8_t *key)
{
	size_t klen = rtp_srtp_key_len(suite);

	if (!klen)
		return -EINVAL;
	return RAND_bytes(key, (int)klen) == 1 ? 0 : -EIO;
}
