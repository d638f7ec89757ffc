// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/media/rtp_srtp: SDES keys and SRTP/SRTCP through our wrapper,
 * checked against the RFC test vectors.
 *
 * libsrtp takes master keys only, while RFC 3711 B.2 and RFC 7714 give
 * vectors in session keys. So the vectors first pin a small reference
 * model in this file (AES-CM keystream, the AES-CM KDF, AES-GCM with the
 * RFC 7714 IV), and that model then computes the exact bytes our wrapper
 * must produce from the RFC's master keys: B.3's key derivation and the
 * RFC 7714 packet layout both go through rtp_srtp_protect().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../../gateway/media/rtp_srtp.h"
#include "../../gateway/base/mem.h"
#include "tl_check.h"

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (s[0] && s[1] && n < max) {
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* AES-128/256 in counter mode from a 16-octet IV (RFC 3711 4.1.1) */
static void aes_ctr(const uint8_t *key, size_t klen, const uint8_t *iv,
		    const uint8_t *in, uint8_t *out, size_t n)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l;

	ck_assert(EVP_EncryptInit_ex(c, klen == 32 ? EVP_aes_256_ctr()
						  : EVP_aes_128_ctr(),
				     NULL, key, iv));
	ck_assert(EVP_EncryptUpdate(c, out, &l, in, (int)n));
	EVP_CIPHER_CTX_free(c);
}

/* RFC 3711 4.3.3 with kdr = 0: x = label << 48 XOR salt, AES-CM of it */
static void kdf(const uint8_t *mkey, size_t klen, const uint8_t *msalt,
		size_t slen, uint8_t label, uint8_t *out, size_t n)
{
	uint8_t iv[16] = { 0 }, zero[64] = { 0 };

	memcpy(iv, msalt, slen);
	iv[7] ^= label;
	aes_ctr(mkey, klen, iv, zero, out, n);
}

/* AES-128-GCM (RFC 7714 8.1): 12-octet IV, 16-octet tag */
static void gcm(const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
		size_t alen, const uint8_t *in, size_t n, uint8_t *out,
		uint8_t *tag)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l;

	ck_assert(EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL));
	ck_assert(EVP_EncryptInit_ex(c, NULL, NULL, key, iv));
	ck_assert(EVP_EncryptUpdate(c, NULL, &l, aad, (int)alen));
	if (n)
		ck_assert(EVP_EncryptUpdate(c, out, &l, in, (int)n));
	ck_assert(EVP_EncryptFinal_ex(c, out + n, &l));
	ck_assert(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
	EVP_CIPHER_CTX_free(c);
}

/* RFC 7714 8.1 / 9.1: IV = salt XOR (00 00 | SSRC | ROC-or-0 | index) */
static void gcm_iv(uint8_t *iv, const uint8_t *salt, uint32_t ssrc,
		   uint32_t hi, uint16_t lo, bool rtcp, uint32_t rtcp_idx)
{
	uint8_t b[12] = { 0 };

	b[2] = (uint8_t)(ssrc >> 24);
	b[3] = (uint8_t)(ssrc >> 16);
	b[4] = (uint8_t)(ssrc >> 8);
	b[5] = (uint8_t)ssrc;
	if (rtcp) {
		b[8] = (uint8_t)(rtcp_idx >> 24);
		b[9] = (uint8_t)(rtcp_idx >> 16);
		b[10] = (uint8_t)(rtcp_idx >> 8);
		b[11] = (uint8_t)rtcp_idx;
	} else {
		b[6] = (uint8_t)(hi >> 24);
		b[7] = (uint8_t)(hi >> 16);
		b[8] = (uint8_t)(hi >> 8);
		b[9] = (uint8_t)hi;
		b[10] = (uint8_t)(lo >> 8);
		b[11] = (uint8_t)lo;
	}
	for (int i = 0; i < 12; i++)
		iv[i] = salt[i] ^ b[i];
}

/* RFC 3711 B.2: the AES-CM keystream, first and last blocks of 2^16 */
START_TEST(rfc3711_b2_keystream)
{
	uint8_t key[16], iv[16], want[48];
	static uint8_t zero[0x10000 * 16 / 16 * 16];
	static uint8_t ks[sizeof(zero)];

	unhex("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
	unhex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", iv, 16);
	aes_ctr(key, 16, iv, zero, ks, 0xff02 * 16);
	unhex("E03EAD0935C95E80E166B16DD92B4EB4"
	      "D23513162B02D0F72A43A2FE4A5F97AB"
	      "41E95B3BB0A2E8DD477901E4FCA894C0", want, 48);
	ck_assert_mem_eq(ks, want, 48);
	unhex("EC8CDF7398607CB0F2D21675EA9EA1E4"
	      "362B7C3C6773516318A077D7FC5073AE"
	      "6A2CC3787889374FBEB4C81B17BA6C44", want, 48);
	ck_assert_mem_eq(ks + 0xfeff * 16, want, 48);
}
END_TEST

/* RFC 3711 B.3 through the model, then through our wrapper: protect an
 * RTP packet with the B.3 master key and compare every octet with
 * AES-CM + HMAC-SHA1 under the B.3 session keys. */
START_TEST(rfc3711_b3_through_wrapper)
{
	uint8_t mk[30], ck[16], cs[14], ak[20], want[20];
	uint8_t pkt[12 + 160 + 64], exp[12 + 160 + 14], iv[16] = { 0 };
	uint8_t roc[4] = { 0 }, mac[20], authed[176];
	unsigned mlen = 20;
	struct rtp_srtp *tx, *rx;
	size_t len = 12 + 160;
	uint32_t ssrc = 0xcafebabe;
	uint16_t seq = 4711;

	unhex("E1F97A0D3E018BE0D64FA32C06DE4139"
	      "0EC675AD498AFEEBB6960B3AABE6", mk, 30);
	kdf(mk, 16, mk + 16, 14, 0, ck, 16);
	kdf(mk, 16, mk + 16, 14, 1, ak, 20);
	kdf(mk, 16, mk + 16, 14, 2, cs, 14);
	unhex("C61E7A93744F39EE10734AFE3FF7A087", want, 16);
	ck_assert_mem_eq(ck, want, 16);
	unhex("30CBBC08863D8C85D49DB34A9AE1", want, 14);
	ck_assert_mem_eq(cs, want, 14);
	unhex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", want, 20);
	ck_assert_mem_eq(ak, want, 20);

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x80;
	pkt[2] = (uint8_t)(seq >> 8);
	pkt[3] = (uint8_t)seq;
	pkt[4] = 0x01;
	pkt[8] = 0xca; pkt[9] = 0xfe; pkt[10] = 0xba; pkt[11] = 0xbe;
	for (int i = 0; i < 160; i++)
		pkt[12 + i] = (uint8_t)(i * 7);

	/* expected: IV = salt<<16 XOR ssrc<<64 XOR index<<16 (4.1.1) */
	memcpy(iv, cs, 14);
	iv[4] ^= (uint8_t)(ssrc >> 24);
	iv[5] ^= (uint8_t)(ssrc >> 16);
	iv[6] ^= (uint8_t)(ssrc >> 8);
	iv[7] ^= (uint8_t)ssrc;
	iv[12] ^= (uint8_t)(seq >> 8);
	iv[13] ^= (uint8_t)seq;
	memcpy(exp, pkt, 12);
	aes_ctr(ck, 16, iv, pkt + 12, exp + 12, 160);
	/* the tag covers the packet and the 32-bit ROC (0 here) */
	memcpy(authed, exp, 172);
	memcpy(authed + 172, roc, 4);
	ck_assert_ptr_nonnull(HMAC(EVP_sha1(), ak, 20, authed, 176, mac,
				   &mlen));
	memcpy(exp + 172, mac, 10);

	ck_assert_int_eq(rtp_srtp_new(&tx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      mk, RTP_SRTP_OUT), 0);
	ck_assert_int_eq(rtp_srtp_new(&rx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      mk, RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_protect(tx, pkt, &len, sizeof(pkt)), 0);
	ck_assert_uint_eq(len, 182);
	ck_assert_mem_eq(pkt, exp, 182);
	ck_assert_int_eq(rtp_srtp_unprotect(rx, pkt, &len), 0);
	ck_assert_uint_eq(len, 172);
	ck_assert_mem_eq(pkt + 12, "\x00\x07\x0e\x15", 4);
	mem_deref(tx);
	mem_deref(rx);
}
END_TEST

/* RFC 7714 16.1.1 and 17.1 pin the GCM model with the RFC's session
 * keys and packets, byte for byte. */
START_TEST(rfc7714_vectors_model)
{
	uint8_t key[16], salt[12], iv[12], rtp[64], want[128], out[128];
	uint8_t tag[16], aad[12];
	size_t n, wn;

	unhex("000102030405060708090a0b0c0d0e0f", key, 16);
	unhex("517569642070726f2071756f", salt, 12);
	/* 16.1.1: RTP, seq 0xf17b, SSRC 0x5501a0b2, ROC 0 */
	n = unhex("8040f17b8041f8d35501a0b2"
		  "47616c6c696120657374206f6d6e69732064697669736120696e"
		  "207061727465732074726573", rtp, sizeof(rtp));
	wn = unhex("8040f17b8041f8d35501a0b2"
		   "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5"
		   "f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee439"
		   "0cce", want, sizeof(want));
	gcm_iv(iv, salt, 0x5501a0b2, 0, 0xf17b, false, 0);
	unhex("51753c6580c2726f20718414", aad, 12);
	ck_assert_mem_eq(iv, aad, 12);
	memcpy(out, rtp, 12);
	gcm(key, iv, rtp, 12, rtp + 12, n - 12, out + 12, tag);
	memcpy(out + n, tag, 16);
	ck_assert_uint_eq(n + 16, wn);
	ck_assert_mem_eq(out, want, wn);

	/* 17.1: SRTCP, SSRC "Mars", index 0x5d4 with the E flag */
	n = unhex("81c8000d4d6172734e5450314e545032525450200000042a0000e930"
		  "4c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", rtp,
		  sizeof(rtp));
	wn = unhex("81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f7"
		   "6c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa458"
		   "96cf4d2fc5abf87245d9eade800005d4", want, sizeof(want));
	gcm_iv(iv, salt, 0x4d617273, 0, 0, true, 0x5d4);
	memcpy(aad, rtp, 8);
	aad[8] = 0x80; aad[9] = 0; aad[10] = 0x05; aad[11] = 0xd4;
	memcpy(out, rtp, 8);
	gcm(key, iv, aad, 12, rtp + 8, n - 8, out + 8, tag);
	memcpy(out + n, tag, 16);
	memcpy(out + n + 16, aad + 8, 4);
	ck_assert_uint_eq(n + 20, wn);
	ck_assert_mem_eq(out, want, wn);
}
END_TEST

/* RFC 7714 16.1.1's packet through our wrapper under a master key: the
 * model, pinned above, derives the session key and salt (RFC 7714 11:
 * the AES-CM PRF of RFC 3711 with a 96-bit salt) and predicts the bytes. */
START_TEST(rfc7714_gcm_through_wrapper)
{
	uint8_t mk[28], sk[16], ss[12], iv[12], rtp[128], exp[128];
	uint8_t tag[16], ctl[128], cexp[128], aad[12];
	struct rtp_srtp *tx, *rx;
	size_t n, cn;

	unhex("000102030405060708090a0b0c0d0e0f517569642070726f2071756f",
	      mk, 28);
	kdf(mk, 16, mk + 16, 12, 0, sk, 16);
	kdf(mk, 16, mk + 16, 12, 2, ss, 12);
	n = unhex("8040f17b8041f8d35501a0b2"
		  "47616c6c696120657374206f6d6e69732064697669736120696e"
		  "207061727465732074726573", rtp, sizeof(rtp));
	gcm_iv(iv, ss, 0x5501a0b2, 0, 0xf17b, false, 0);
	memcpy(exp, rtp, 12);
	gcm(sk, iv, rtp, 12, rtp + 12, n - 12, exp + 12, tag);
	memcpy(exp + n, tag, 16);

	ck_assert_int_eq(rtp_srtp_new(&tx, RTP_SRTP_AEAD_AES_128_GCM, mk,
				      RTP_SRTP_OUT), 0);
	ck_assert_int_eq(rtp_srtp_new(&rx, RTP_SRTP_AEAD_AES_128_GCM, mk,
				      RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_protect(tx, rtp, &n, sizeof(rtp)), 0);
	ck_assert_uint_eq(n, 12 + 38 + 16);
	ck_assert_mem_eq(rtp, exp, n);
	ck_assert_int_eq(rtp_srtp_unprotect(rx, rtp, &n), 0);
	ck_assert_uint_eq(n, 50);
	ck_assert_mem_eq(rtp + 12, "Gallia est omnis", 16);
	/* replay of the same packet is refused */
	memcpy(rtp, exp, 66);
	n = 66;
	ck_assert_int_eq(rtp_srtp_unprotect(rx, rtp, &n), -EALREADY);

	/* SRTCP: the 17.1 packet. libsrtp numbers its first SRTCP packet 1
	 * (the index is carried in the packet, so peers agree anyway) */
	cn = unhex("81c8000d4d6172734e5450314e545032525450200000042a0000e930"
		   "4c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", ctl,
		   sizeof(ctl));
	kdf(mk, 16, mk + 16, 12, 3, sk, 16);
	kdf(mk, 16, mk + 16, 12, 5, ss, 12);
	gcm_iv(iv, ss, 0x4d617273, 0, 0, true, 1);
	memcpy(aad, ctl, 8);
	aad[8] = 0x80; aad[9] = 0; aad[10] = 0; aad[11] = 1;
	memcpy(cexp, ctl, 8);
	gcm(sk, iv, aad, 12, ctl + 8, cn - 8, cexp + 8, tag);
	memcpy(cexp + cn, tag, 16);
	memcpy(cexp + cn + 16, aad + 8, 4);
	ck_assert_int_eq(rtp_srtp_protect_rtcp(tx, ctl, &cn, sizeof(ctl)), 0);
	/* 52 octets as the RFC prints them, + 16 tag + 4 E|index */
	ck_assert_uint_eq(cn, 52 + 20);
	ck_assert_mem_eq(ctl, cexp, cn);
	ck_assert_int_eq(rtp_srtp_unprotect_rtcp(rx, ctl, &cn), 0);
	ck_assert_uint_eq(cn, 52);
	ck_assert_mem_eq(ctl + 44, "\xde\xad\xbe\xef", 4);
	mem_deref(tx);
	mem_deref(rx);
}
END_TEST

/* Every suite: round trip, tag length, tamper and replay detection */
START_TEST(suites_roundtrip)
{
	static const size_t tags[] = { 10, 4, 10, 16 };

	for (unsigned s = 0; s < RTP_SRTP_NSUITES; s++) {
		uint8_t key[RTP_SRTP_KEY_MAX], pkt[256], orig[172];
		struct rtp_srtp *tx, *rx;
		size_t len;

		ck_assert_int_eq(rtp_srtp_key_gen(s, key), 0);
		ck_assert_int_eq(rtp_srtp_new(&tx, s, key, RTP_SRTP_OUT), 0);
		ck_assert_int_eq(rtp_srtp_new(&rx, s, key, RTP_SRTP_IN), 0);
		for (uint16_t seq = 0; seq < 5; seq++) {
			memset(orig, 0, sizeof(orig));
			orig[0] = 0x80;
			orig[3] = (uint8_t)seq;
			orig[11] = 7;
			memset(orig + 12, 0xd5 ^ seq, 160);
			memcpy(pkt, orig, sizeof(orig));
			len = sizeof(orig);
			ck_assert_int_eq(rtp_srtp_protect(tx, pkt, &len,
							  sizeof(pkt)), 0);
			ck_assert_uint_eq(len, 172 + tags[s]);
			ck_assert(memcmp(pkt + 12, orig + 12, 160));
			if (seq == 3) {
				pkt[40] ^= 1;
				ck_assert_int_eq(rtp_srtp_unprotect(rx, pkt,
								    &len),
						 -EBADMSG);
				continue;
			}
			ck_assert_int_eq(rtp_srtp_unprotect(rx, pkt, &len),
					 0);
			ck_assert_uint_eq(len, 172);
			ck_assert_mem_eq(pkt, orig, 172);
		}
		len = 100;
		ck_assert_int_eq(rtp_srtp_protect(tx, pkt, &len, 120),
				 -ENOSPC);
		mem_deref(tx);
		mem_deref(rx);
	}
}
END_TEST

START_TEST(sdes_keys)
{
	uint8_t key[RTP_SRTP_KEY_MAX], back[RTP_SRTP_KEY_MAX];
	enum rtp_srtp_suite s;
	char line[RTP_SRTP_INLINE_MAX];

	/* RFC 4568 section 6.7's example key */
	ck_assert_int_eq(rtp_srtp_suite_parse("AES_CM_128_HMAC_SHA1_80", &s),
			 0);
	ck_assert_int_eq(s, RTP_SRTP_AES_CM_128_HMAC_SHA1_80);
	ck_assert_int_eq(rtp_srtp_suite_parse("F8_128_HMAC_SHA1_80", &s),
			 -ENOENT);
	ck_assert_int_eq(rtp_srtp_sdes_decode(s,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20", key),
		0);
	ck_assert_uint_eq(key[0], 0x3d);
	ck_assert_uint_eq(key[29], 0x51);
	ck_assert_int_eq(rtp_srtp_sdes_encode(s, key, line, sizeof(line)), 0);
	ck_assert_str_eq(line,
			 "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR");
	ck_assert_int_eq(rtp_srtp_sdes_decode(s,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4",
		key), -ENOTSUP);
	ck_assert_int_eq(rtp_srtp_sdes_decode(s,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaV", key),
		-EINVAL);
	ck_assert_int_eq(rtp_srtp_sdes_decode(s,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!", key),
		-EINVAL);
	ck_assert_int_eq(rtp_srtp_sdes_decode(s, "PS1uQCVeeCFCanVm", key),
			 -EINVAL);
	/* padded lengths: AES-256 (46 octets) and GCM (28 octets) */
	for (s = RTP_SRTP_AES_256_CM_HMAC_SHA1_80;
	     s <= RTP_SRTP_AEAD_AES_128_GCM; s++) {
		ck_assert_int_eq(rtp_srtp_key_gen(s, key), 0);
		ck_assert_int_eq(rtp_srtp_sdes_encode(s, key, line,
						      sizeof(line)), 0);
		ck_assert_int_eq(rtp_srtp_sdes_decode(s, line, back), 0);
		ck_assert_mem_eq(key, back, rtp_srtp_key_len(s));
	}
	ck_assert_str_eq(rtp_srtp_suite_name(RTP_SRTP_AEAD_AES_128_GCM),
			 "AEAD_AES_128_GCM");
}
END_TEST

Suite *srtp_suite(void)
{
	Suite *s = suite_create("srtp");
	TCase *tc = tl_tcase(s, "vectors");

	tcase_add_test(tc, rfc3711_b2_keystream);
	tcase_add_test(tc, rfc3711_b3_through_wrapper);
	tcase_add_test(tc, rfc7714_vectors_model);
	tcase_add_test(tc, rfc7714_gcm_through_wrapper);
	tc = tl_tcase(s, "wrapper");
	tcase_add_test(tc, suites_roundtrip);
	tcase_add_test(tc, sdes_keys);
	return s;
}
