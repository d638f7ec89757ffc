// SPDX-License-Identifier: GPL-2.0
/*
 * Stateless, self-validating nonces (RFC 7616 3.3 suggests
 * "time-stamp H(time-stamp ":" ETag ":" secret-data)"): the server keeps
 * no list of issued nonces, only a bounded nc table (auth_srv.c). The MAC
 * key is drawn once per process, so a restart invalidates every nonce and
 * clients simply get a fresh challenge.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "auth_priv.h"

#define MAC_BYTES 16

static unsigned char secret[32];
static int secret_err = -EIO;
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static void secret_draw(void)
{
	secret_err = RAND_bytes(secret, sizeof(secret)) == 1 ? 0 : -EIO;
}

int sip_auth_secret_init(void)
{
	pthread_once(&secret_once, secret_draw);
	return secret_err;
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int sip_auth_rand_hex(char *out, size_t n)
{
	unsigned char r[32];

	if (n > sizeof(r) || RAND_bytes(r, (int)n) != 1)
		return -EIO;
	to_hex(r, n, out);
	return 0;
}

/* MAC over the 32 hex chars of time and sequence, then the realm. */
static int mac(const char *realm, const char *tsseq, unsigned char *m)
{
	unsigned char full[EVP_MAX_MD_SIZE];
	unsigned fl = 0;
	unsigned char in[32 + 256];
	size_t rl = strlen(realm);

	if (sip_auth_secret_init() || rl > 256)
		return -EIO;
	memcpy(in, tsseq, 32);
	memcpy(in + 32, realm, rl);
	if (!HMAC(EVP_sha256(), secret, sizeof(secret), in, 32 + rl, full,
		  &fl) ||
	    fl < MAC_BYTES)
		return -EIO;
	memcpy(m, full, MAC_BYTES);
	return 0;
}

int sip_auth_nonce_make(const char *realm, uint64_t ts, uint64_t seq,
			char *out)
{
	unsigned char m[MAC_BYTES];
	int err;

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)ts,
		 (unsigned long long)seq);
	err = mac(realm, out, m);
	if (err)
		return err;
	to_hex(m, MAC_BYTES, out + 32);
	return 0;
}

static bool hex_u64(const char *p, uint64_t *v)
{
	uint64_t n = 0;

	for (int i = 0; i < 16; i++) {
		char c = p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		n = n << 4 | d;
	}
	*v = n;
	return true;
}

int sip_auth_nonce_check(const char *realm, struct strv nonce, uint64_t *ts,
			 uint64_t *seq)
{
	char want[SIP_AUTH_NONCE_LEN + 1];
	unsigned char m[MAC_BYTES];

	if (nonce.l != SIP_AUTH_NONCE_LEN || !hex_u64(nonce.p, ts) ||
	    !hex_u64(nonce.p + 16, seq))
		return -EACCES;
	memcpy(want, nonce.p, 32);
	want[32] = '\0';
	if (mac(realm, want, m))
		return -EACCES;
	to_hex(m, MAC_BYTES, want + 32);
	/* constant time: a timing oracle would let a MAC be guessed */
	if (CRYPTO_memcmp(want + 32, nonce.p + 32, 2 * MAC_BYTES))
		return -EACCES;
	return 0;
}
