// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sdp: an rtpmap without a clock rate ("a=rtpmap:31 LPC", the
 * body of the valid RFC 4475 INVITEs esc01, longreq and sdp01) costs its
 * one format, never the whole description: the offer is answered with
 * what else it carries, and the broken format is not read as the static
 * payload type of the same number.
 */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sdp/oa.h"
#include "../../gateway/sdp/sdp.h"
#include "tl_check.h"

#define L(x) x "\r\n"

/* the SDP body of RFC 4475 3.1.1.3 (esc01.dat), byte for byte */
static const char rfc4475_body[] =
	L("v=0")
	L("o=mhandley 29739 7272939 IN IP4 192.0.2.1")
	L("s=-")
	L("c=IN IP4 192.0.2.1")
	L("t=0 0")
	L("m=audio 49217 RTP/AVP 0 12")
	L("m=video 3227 RTP/AVP 31")
	L("a=rtpmap:31 LPC");

static struct sdp_oa *oa_new(void)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;

	memset(&c, 0, sizeof(c));
	c.user = "tl";
	c.sess_id = 1000;
	c.addr = "192.0.2.1";
	c.audio_port = 20000;
	c.codecs[0] = SDP_PCMU;
	c.codecs[1] = SDP_PCMA;
	c.ncodecs = 2;
	c.ptime = 20;
	c.prefer_ours = false;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	return oa;
}

static int answer(struct sdp_oa *oa, const char *offer, struct buf *b)
{
	struct sdp_perr e = { 0 };

	return sdp_oa_answer(oa, offer, strlen(offer), b, &e);
}

START_TEST(parse_keeps_the_line)
{
	struct sdp_session *s = NULL;
	const struct sdp_rtpmap *r;
	struct buf b = { 0 };

	ck_assert_int_eq(sdp_parse(&s, rfc4475_body, strlen(rfc4475_body),
				   NULL), 0);
	ck_assert_uint_eq(s->nmedia, 2);
	r = sdp_media_rtpmap(&s->media[1], 31);
	ck_assert_ptr_nonnull(r);
	ck_assert(strv_eq(r->enc, STRV("LPC")));
	ck_assert_uint_eq(r->rate, 0);
	ck_assert_uint_eq(r->chans, 1);
	/* the generic attribute survives a round trip verbatim */
	ck_assert_int_eq(sdp_print(&b, s), 0);
	ck_assert_str_eq(buf_cstr(&b), rfc4475_body);
	buf_free(&b);
	mem_deref(s);
}
END_TEST

/* The RFC 4475 offer: PCMU taken, QCELP (12) unknown, the video stream
 * refused with port 0 (RFC 3264 6). */
START_TEST(rfc4475_offer_answered)
{
	struct sdp_oa *oa = oa_new();
	const struct sdp_neg *n;
	struct buf b = { 0 };

	ck_assert_int_eq(answer(oa, rfc4475_body, &b), 0);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b),
				     L("m=audio 20000 RTP/AVP 0")));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), L("m=video 0 RTP/AVP 31")));
	n = sdp_oa_neg(oa);
	ck_assert_uint_eq(n->nstreams, 2);
	ck_assert(n->s[0].active);
	ck_assert_int_eq(n->s[0].codec, SDP_PCMU);
	ck_assert_uint_eq(n->s[0].pt, 0);
	ck_assert(!n->s[1].active);
	buf_free(&b);
	mem_deref(oa);
}
END_TEST

/* "a=rtpmap:8 PCMA" has no clock rate: format 8 is unusable even though
 * PCMA is ours and 8 is its static type, so PCMU (0) is chosen. */
START_TEST(broken_format_skipped)
{
	struct sdp_oa *oa = oa_new();
	struct buf b = { 0 };

	ck_assert_int_eq(answer(oa,
				L("v=0") L("o=bob 1 1 IN IP4 198.18.0.2")
				L("s=-") L("c=IN IP4 198.18.0.2") L("t=0 0")
				L("m=audio 4000 RTP/AVP 8 0")
				L("a=rtpmap:8 PCMA"), &b), 0);
	ck_assert_int_eq(sdp_oa_neg(oa)->s[0].codec, SDP_PCMU);
	ck_assert_uint_eq(sdp_oa_neg(oa)->s[0].pt, 0);
	buf_free(&b);
	mem_deref(oa);
}
END_TEST

/* Only broken formats: no acceptable media (488), not a malformed body
 * (400). */
START_TEST(only_broken_formats)
{
	struct sdp_oa *oa = oa_new();
	struct buf b = { 0 };

	ck_assert_int_eq(answer(oa,
				L("v=0") L("o=bob 1 1 IN IP4 198.18.0.2")
				L("s=-") L("c=IN IP4 198.18.0.2") L("t=0 0")
				L("m=audio 4000 RTP/AVP 0")
				L("a=rtpmap:0 PCMU"), &b), -ENOTSUP);
	buf_free(&b);
	mem_deref(oa);
}
END_TEST

Suite *sdp_rtpmap_suite(void)
{
	Suite *s = suite_create("sdp_rtpmap");
	TCase *tc = tl_tcase(s, "no_clock_rate");

	tcase_add_test(tc, parse_keeps_the_line);
	tcase_add_test(tc, rfc4475_offer_answered);
	tcase_add_test(tc, broken_format_skipped);
	tcase_add_test(tc, only_broken_formats);
	return s;
}
