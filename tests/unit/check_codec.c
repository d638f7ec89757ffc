// SPDX-License-Identifier: GPL-2.0
/* gateway/media codecs: G.711 against known code points, G.722 round
 * trips judged by SNR on a sine. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/codec.h"
#include "tl_check.h"

START_TEST(codec_lookup_and_props)
{
	enum media_codec_id id;
	struct media_codec *c;

	ck_assert_int_eq(media_codec_lookup("pcmu", &id), 0);
	ck_assert_int_eq(id, MEDIA_CODEC_PCMU);
	ck_assert_int_eq(media_codec_lookup("G722", &id), 0);
	ck_assert_int_eq(id, MEDIA_CODEC_G722);
	ck_assert_int_eq(media_codec_lookup("opus", &id), -ENOENT);
	ck_assert_int_eq(media_codec_alloc(&c, MEDIA_CODEC_PCMA, 16000),
			 -EINVAL);
	ck_assert_int_eq(media_codec_alloc(&c, MEDIA_CODEC_G722, 16000), 0);
	ck_assert_uint_eq(media_codec_pt(c), 9);
	ck_assert_str_eq(media_codec_name(c), "G722");
	ck_assert_uint_eq(media_codec_frame_samples(c), 320);
	ck_assert_uint_eq(media_codec_frame_bytes(c), 160);
	ck_assert_uint_eq(media_codec_ts_units(c, 160), 160);
	mem_deref(c);
}
END_TEST

/* G.711 code points from the tables of ITU-T G.711 (decoder output at
 * 16-bit scale). */
START_TEST(codec_g711_vectors)
{
	static const struct {
		uint8_t code;
		int16_t lin;
	} mu[] = { { 0x80, 32124 }, { 0x00, -32124 }, { 0xff, 0 },
		   { 0x7f, 0 },	    { 0xfe, 8 },       { 0xef, 132 },
		   { 0xdf, 396 } },
	  al[] = { { 0xaa, 32256 }, { 0x2a, -32256 }, { 0xd5, 8 },
		   { 0x55, -8 },    { 0xd4, 24 } };
	struct media_codec *u, *a;
	uint8_t b[4];
	int16_t s[4];

	ck_assert_int_eq(media_codec_alloc(&u, MEDIA_CODEC_PCMU, 8000), 0);
	ck_assert_int_eq(media_codec_alloc(&a, MEDIA_CODEC_PCMA, 8000), 0);
	for (size_t i = 0; i < sizeof(mu) / sizeof(mu[0]); i++) {
		ck_assert_int_eq(media_codec_decode(u, s, 4, &mu[i].code, 1),
				 1);
		ck_assert_int_eq(s[0], mu[i].lin);
	}
	for (size_t i = 0; i < sizeof(al) / sizeof(al[0]); i++) {
		ck_assert_int_eq(media_codec_decode(a, s, 4, &al[i].code, 1),
				 1);
		ck_assert_int_eq(s[0], al[i].lin);
	}
	/* encoder: silence, full scale, both signs */
	s[0] = 0;
	s[1] = 32767;
	s[2] = -32768;
	s[3] = 100;
	ck_assert_int_eq(media_codec_encode(u, b, 4, s, 4), 4);
	ck_assert_mem_eq(b, "\xff\x80\x00\xf2", 4);
	ck_assert_int_eq(media_codec_encode(a, b, 4, s, 4), 4);
	ck_assert_mem_eq(b, "\xd5\xaa\x2a\xd3", 4);
	ck_assert_int_eq(media_codec_encode(a, b, 3, s, 4), -ENOSPC);
	/* round trip of every code is the identity but for mu-law's two
	 * zeros */
	for (int c = 0; c < 256; c++) {
		uint8_t in = (uint8_t)c, out;

		media_codec_decode(u, s, 1, &in, 1);
		media_codec_encode(u, &out, 1, s, 1);
		ck_assert_uint_eq(out, c == 0x7f ? 0xff : c);
		media_codec_decode(a, s, 1, &in, 1);
		media_codec_encode(a, &out, 1, s, 1);
		ck_assert_uint_eq(out, c);
	}
	mem_deref(u);
	mem_deref(a);
}
END_TEST

/* SNR in dB of @out against @in delayed by the best lag in 0-60. */
static double snr_best(const int16_t *in, const int16_t *out, int n)
{
	double best = -100;

	for (int lag = 0; lag <= 60; lag++) {
		double sig = 0, err = 0;

		for (int i = 200; i < n - 60; i++) {
			double e = out[i + lag] - in[i];

			sig += (double)in[i] * in[i];
			err += e * e;
		}
		if (10 * log10(sig / err) > best)
			best = 10 * log10(sig / err);
	}
	return best;
}

static double g722_snr(unsigned rate, double f)
{
	enum { SEC = 1 };
	int n = (int)rate * SEC;
	size_t fs = rate / 50;
	struct media_codec *enc, *dec;
	static int16_t in[16000], out[16000];
	uint8_t pl[160];

	ck_assert_int_eq(media_codec_alloc(&enc, MEDIA_CODEC_G722, rate), 0);
	ck_assert_int_eq(media_codec_alloc(&dec, MEDIA_CODEC_G722, rate), 0);
	for (int i = 0; i < n; i++)
		in[i] = (int16_t)(10000 * sin(2 * M_PI * f * i / rate));
	for (int i = 0; i < n; i += (int)fs) {
		ck_assert_int_eq(media_codec_frame_samples(enc), fs);
		ck_assert_int_eq(media_codec_encode(enc, pl, sizeof(pl),
						    in + i, fs), 160);
		ck_assert_int_eq(media_codec_decode(dec, out + i, fs, pl,
						    160), (int)fs);
	}
	mem_deref(enc);
	mem_deref(dec);
	return snr_best(in, out, n);
}

START_TEST(codec_g722_roundtrip)
{
	double s16 = g722_snr(16000, 1000), s8 = g722_snr(8000, 1000);
	double s16hi = g722_snr(16000, 5000);

	ck_assert_msg(s16 > 25, "G.722 16 kHz 1 kHz SNR %.1f dB", s16);
	ck_assert_msg(s8 > 20, "G.722 8 kHz 1 kHz SNR %.1f dB", s8);
	/* the upper band carries a 5 kHz tone at 16 kHz */
	ck_assert_msg(s16hi > 10, "G.722 16 kHz 5 kHz SNR %.1f dB", s16hi);
}
END_TEST

Suite *codec_suite(void)
{
	Suite *s = suite_create("codec");
	TCase *tc = tl_tcase(s, "codec");

	tcase_add_test(tc, codec_lookup_and_props);
	tcase_add_test(tc, codec_g711_vectors);
	tcase_add_test(tc, codec_g722_roundtrip);
	return s;
}
