// SPDX-License-Identifier: GPL-2.0
/* SDES (RFC 4568) helpers: suite names and key lengths, base64 keys. */
#include <errno.h>

#include "oa.h"

static const struct {
	const char *name;
	unsigned keylen; /* master key + master salt */
} suites[] = {
	[SDP_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30 },
	[SDP_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30 },
	[SDP_AES_256_CM_HMAC_SHA1_80] = { "AES_256_CM_HMAC_SHA1_80", 46 },
	/* RFC 7714 13: 128-bit key, 96-bit salt */
	[SDP_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28 },
};

#define NSUITES (sizeof(suites) / sizeof(suites[0]))

const char *sdp_suite_name(enum sdp_suite s)
{
	if (s <= SDP_SUITE_NONE || (size_t)s >= NSUITES)
		return NULL;
	return suites[s].name;
}

enum sdp_suite sdp_suite_of(struct strv name)
{
	for (size_t i = 1; i < NSUITES; i++)
		if (strv_eq(name, strv_of(suites[i].name)))
			return (enum sdp_suite)i;
	return SDP_SUITE_NONE;
}

unsigned sdp_suite_keylen(enum sdp_suite s)
{
	if (s <= SDP_SUITE_NONE || (size_t)s >= NSUITES)
		return 0;
	return suites[s].keylen;
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sdp_b64_enc(const uint8_t *src, size_t n, char *dst, size_t dn)
{
	size_t o = 0;

	if (dn < (n + 2) / 3 * 4 + 1)
		return -ENOSPC;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)src[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)src[i + 1] << 8;
		if (i + 2 < n)
			v |= src[i + 2];
		dst[o++] = b64[(v >> 18) & 63];
		dst[o++] = b64[(v >> 12) & 63];
		dst[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		dst[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	dst[o] = '\0';
	return 0;
}

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -EBADMSG;
}

/* Padding is optional (RFC 4568 keys are often sent without it). */
int sdp_b64_dec(struct strv v, uint8_t *dst, size_t dn, size_t *outn)
{
	uint32_t acc = 0;
	size_t o = 0, pad = 0;
	unsigned bits = 0;

	while (v.l && v.p[v.l - 1] == '=' && pad < 2) {
		v.l--;
		pad++;
	}
	if ((v.l + pad) % 4 && pad)
		return -EBADMSG;
	if (v.l % 4 == 1)
		return -EBADMSG;
	for (size_t i = 0; i < v.l; i++) {
		int d = b64_val(v.p[i]);

		if (d < 0)
			return -EBADMSG;
		acc = (acc << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= dn)
				return -ENOSPC;
			dst[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*outn = o;
	return 0;
}
