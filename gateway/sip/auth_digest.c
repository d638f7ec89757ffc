// SPDX-License-Identifier: GPL-2.0
/* The digest computation of RFC 7616 3.4.1-3.4.3 (and RFC 2069 without
 * qop) over OpenSSL EVP: MD5, SHA-256, SHA-512/256. */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "auth.h"

static const EVP_MD *evp_of(enum sip_auth_alg alg)
{
	switch (alg) {
	case SIP_AUTH_MD5: return EVP_md5();
	case SIP_AUTH_SHA256: return EVP_sha256();
	case SIP_AUTH_SHA512_256: return EVP_sha512_256();
	default: return NULL;
	}
}

/* H(p0 ":" p1 ":" ...) as lowercase hex into @out. */
static int hash_hex(enum sip_auth_alg alg, const struct strv *parts,
		    size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const EVP_MD *md = evp_of(alg);
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	EVP_MD_CTX *ctx;
	int err = -EIO;

	if (!md)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (i && EVP_DigestUpdate(ctx, ":", 1) != 1)
			goto out;
		if (parts[i].l &&
		    EVP_DigestUpdate(ctx, parts[i].p, parts[i].l) != 1)
			goto out;
	}
	if (EVP_DigestFinal_ex(ctx, d, &dl) != 1 ||
	    dl * 2 + 1 > SIP_AUTH_HEX_MAX)
		goto out;
	for (unsigned i = 0; i < dl; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * dl] = '\0';
	err = 0;
out:
	EVP_MD_CTX_free(ctx);
	return err;
}

int sip_auth_ha1(enum sip_auth_alg alg, struct strv user, struct strv realm,
		 struct strv password, char *out)
{
	const struct strv parts[] = { user, realm, password };

	return hash_hex(alg, parts, 3, out);
}

int sip_auth_digest(const struct sip_auth_dig *d, char *out)
{
	char ha1[SIP_AUTH_HEX_MAX], ha2[SIP_AUTH_HEX_MAX];
	struct strv h1, h2;
	int err;

	if (!sip_auth_alg_hexlen(d->alg) ||
	    ((d->qop || d->sess) && !d->cnonce.l))
		return -EINVAL;
	if (d->ha1.l) {
		if (d->ha1.l != sip_auth_alg_hexlen(d->alg))
			return -EINVAL;
		/* stored HA1 may be uppercase; the digest hashes it in
		 * lowercase hex like every other H() */
		for (size_t i = 0; i < d->ha1.l; i++) {
			char ch = d->ha1.p[i];

			ha1[i] = (ch >= 'A' && ch <= 'F') ? ch + 32 : ch;
		}
		ha1[d->ha1.l] = '\0';
	} else {
		err = sip_auth_ha1(d->alg, d->user, d->realm, d->password,
				   ha1);
		if (err)
			return err;
	}
	h1 = strv_of(ha1);
	if (d->sess) {
		/* RFC 7616 3.4.2: H(H(user:realm:pw):nonce:cnonce) */
		const struct strv sp[] = { h1, d->nonce, d->cnonce };

		err = hash_hex(d->alg, sp, 3, ha1);
		if (err)
			return err;
		h1 = strv_of(ha1);
	}
	{
		const struct strv a2[] = { d->method, d->uri };

		err = hash_hex(d->alg, a2, 2, ha2);
		if (err)
			return err;
		h2 = strv_of(ha2);
	}
	if (d->qop) {
		const struct strv r[] = { h1, d->nonce, d->nc, d->cnonce,
					  STRV("auth"), h2 };

		return hash_hex(d->alg, r, 6, out);
	}
	{
		const struct strv r[] = { h1, d->nonce, h2 };

		return hash_hex(d->alg, r, 3, out);
	}
}
