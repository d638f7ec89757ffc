// SPDX-License-Identifier: GPL-2.0
/* gateway/media: RTP header, RTCP compound packets, RFC 3550 statistics */
#include <errno.h>
#include <string.h>

#include "../../gateway/media/rtcp.h"
#include "../../gateway/media/rtp.h"
#include "../../gateway/media/rtp_stats.h"
#include "tl_check.h"

START_TEST(rtp_decode_basic)
{
	/* V=2, X=0, CC=0, M=1, PT=0, seq 0x1234, ts 0xdeadbeef, ssrc 1 */
	static const uint8_t pkt[] = { 0x80, 0x80, 0x12, 0x34, 0xde, 0xad,
				       0xbe, 0xef, 0x00, 0x00, 0x00, 0x01,
				       'a', 'b', 'c' };
	struct rtp_hdr h;

	ck_assert_int_eq(rtp_hdr_decode(&h, pkt, sizeof(pkt)), 0);
	ck_assert(h.marker);
	ck_assert_uint_eq(h.pt, 0);
	ck_assert_uint_eq(h.seq, 0x1234);
	ck_assert_uint_eq(h.ts, 0xdeadbeef);
	ck_assert_uint_eq(h.ssrc, 1);
	ck_assert_uint_eq(h.hdr_len, 12);
	ck_assert_uint_eq(h.pay_len, 3);
	ck_assert_uint_eq(h.pad_len, 0);
}
END_TEST

START_TEST(rtp_decode_csrc_ext_pad)
{
	/* P=1 X=1 CC=2, PT 8; 2 CSRCs, ext profile 0xbede len 1, 2 payload
	 * octets, 2 padding octets (last says 2) */
	static const uint8_t pkt[] = {
		0xb2, 0x08, 0x00, 0x01, 0, 0, 0, 160, 0xca, 0xfe, 0xba, 0xbe,
		0, 0, 0, 7, 0, 0, 0, 9,		     /* CSRCs */
		0xbe, 0xde, 0x00, 0x01, 1, 2, 3, 4, /* extension */
		0x55, 0x66, 0x00, 0x02,		     /* payload, padding */
	};
	struct rtp_hdr h;

	ck_assert_int_eq(rtp_hdr_decode(&h, pkt, sizeof(pkt)), 0);
	ck_assert_uint_eq(h.cc, 2);
	ck_assert_uint_eq(h.csrc[0], 7);
	ck_assert_uint_eq(h.csrc[1], 9);
	ck_assert(h.ext);
	ck_assert_uint_eq(h.ext_profile, 0xbede);
	ck_assert_uint_eq(h.ext_len, 4);
	ck_assert_ptr_eq(h.ext_data, pkt + 24);
	ck_assert_uint_eq(h.hdr_len, 28);
	ck_assert_uint_eq(h.pay_len, 2);
	ck_assert_uint_eq(h.pad_len, 2);
	ck_assert_uint_eq(h.hdr_len + h.pay_len + h.pad_len, sizeof(pkt));
}
END_TEST

START_TEST(rtp_decode_bad)
{
	uint8_t p[32] = { 0x80, 0x00 };
	struct rtp_hdr h;

	ck_assert_int_eq(rtp_hdr_decode(&h, p, 11), -EBADMSG);
	p[0] = 0x40; /* version 1 */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 12), -EBADMSG);
	p[0] = 0x81; /* one CSRC, none there */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 12), -EBADMSG);
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 16), 0);
	p[0] = 0x90; /* extension header cut */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 14), -EBADMSG);
	p[12] = 0; p[13] = 0; p[14] = 0; p[15] = 2; /* 8 octets claimed */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 20), -EBADMSG);
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 24), 0);
	p[0] = 0xa0; /* padding: count 0 is invalid */
	p[15] = 0;
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 16), -EBADMSG);
	p[15] = 5; /* more padding than payload */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 16), -EBADMSG);
	p[15] = 4; /* exactly the payload */
	ck_assert_int_eq(rtp_hdr_decode(&h, p, 16), 0);
	ck_assert_uint_eq(h.pay_len, 0);
}
END_TEST

START_TEST(rtp_encode_roundtrip)
{
	static const uint8_t ext[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rtp_hdr h = { 0 }, d;
	uint8_t buf[64];
	int n;

	h.marker = true;
	h.pt = 101;
	h.seq = 65535;
	h.ts = 123456789;
	h.ssrc = 0x11223344;
	h.cc = 1;
	h.csrc[0] = 0xabcdef01;
	h.ext = true;
	h.ext_profile = 0x1000;
	h.ext_len = 8;
	h.ext_data = ext;
	n = rtp_hdr_encode(&h, buf, sizeof(buf));
	ck_assert_int_eq(n, 12 + 4 + 4 + 8);
	ck_assert_uint_eq(buf[0], 0x91);
	ck_assert_uint_eq(buf[1], 0x80 | 101);
	ck_assert_int_eq(rtp_hdr_decode(&d, buf, (size_t)n), 0);
	ck_assert_uint_eq(d.seq, 65535);
	ck_assert_uint_eq(d.ts, 123456789);
	ck_assert_uint_eq(d.ssrc, 0x11223344);
	ck_assert_uint_eq(d.csrc[0], 0xabcdef01);
	ck_assert_mem_eq(d.ext_data, ext, 8);
	ck_assert_int_eq(rtp_hdr_encode(&h, buf, 27), -ENOSPC);
	h.pt = 128;
	ck_assert_int_eq(rtp_hdr_encode(&h, buf, sizeof(buf)), -EINVAL);
	ck_assert(rtp_is_rtcp((const uint8_t[]){ 0x80, 200 }, 2));
	ck_assert(!rtp_is_rtcp((const uint8_t[]){ 0x80, 0x80 | 96 }, 2));
}
END_TEST

START_TEST(rtcp_compound_roundtrip)
{
	struct rtcp_sender sr = { 0x0102030405060708ull, 1000, 50, 8000 };
	struct rtcp_rb rb[2] = {
		{ 0xaaaa, 64, -3, 0x10005, 17, 0x11112222, 0x10000 },
		{ 0xbbbb, 0, 123456, 7, 0, 0, 0 },
	};
	uint32_t bye[2] = { 0x1234, 0x5678 };
	struct rtcp_iter it;
	struct rtcp_pkt pkt;
	uint8_t buf[512];
	int n, off = 0;

	n = rtcp_build_report(buf, sizeof(buf), 0x99, &sr, rb, 2);
	ck_assert_int_eq(n, 8 + 20 + 48);
	off += n;
	n = rtcp_build_sdes_cname(buf + off, sizeof(buf) - (size_t)off, 0x99,
				  "tl@host");
	/* 4 + 4 + 2 + 7 + 1 (end) = 18 -> 20 */
	ck_assert_int_eq(n, 20);
	off += n;
	n = rtcp_build_bye(buf + off, sizeof(buf) - (size_t)off, bye, 2,
			   "hangup");
	ck_assert_int_eq(n, 4 + 8 + 8);
	off += n;

	ck_assert_int_eq(rtcp_iter_init(&it, buf, (size_t)off), 0);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 1);
	ck_assert_uint_eq(pkt.pt, RTCP_SR);
	ck_assert_uint_eq(pkt.ssrc, 0x99);
	ck_assert_uint_eq(pkt.sr.ntp, 0x0102030405060708ull);
	ck_assert_uint_eq(pkt.sr.rtp_ts, 1000);
	ck_assert_uint_eq(pkt.sr.pkts, 50);
	ck_assert_uint_eq(pkt.sr.octets, 8000);
	ck_assert_uint_eq(pkt.count, 2);
	ck_assert_uint_eq(pkt.rb[0].ssrc, 0xaaaa);
	ck_assert_uint_eq(pkt.rb[0].fraction, 64);
	ck_assert_int_eq(pkt.rb[0].lost, -3);
	ck_assert_uint_eq(pkt.rb[0].ext_seq, 0x10005);
	ck_assert_uint_eq(pkt.rb[0].jitter, 17);
	ck_assert_uint_eq(pkt.rb[0].lsr, 0x11112222);
	ck_assert_uint_eq(pkt.rb[0].dlsr, 0x10000);
	ck_assert_int_eq(pkt.rb[1].lost, 123456);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 1);
	ck_assert_uint_eq(pkt.pt, RTCP_SDES);
	ck_assert_uint_eq(pkt.chunk[0].ssrc, 0x99);
	ck_assert_uint_eq(pkt.chunk[0].cname_len, 7);
	ck_assert_mem_eq(pkt.chunk[0].cname, "tl@host", 7);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 1);
	ck_assert_uint_eq(pkt.pt, RTCP_BYE);
	ck_assert_uint_eq(pkt.count, 2);
	ck_assert_uint_eq(pkt.bye_ssrc[1], 0x5678);
	ck_assert_uint_eq(pkt.reason_len, 6);
	ck_assert_mem_eq(pkt.reason, "hangup", 6);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 0);
}
END_TEST

START_TEST(rtcp_app_and_bad)
{
	/* RR with no blocks + APP "TEST" with 4 data octets */
	static const uint8_t good[] = {
		0x80, 201, 0, 1, 0, 0, 0, 5,
		0x81, 204, 0, 3, 0, 0, 0, 5, 'T', 'E', 'S', 'T', 9, 9, 9, 9,
	};
	uint8_t bad[sizeof(good)];
	struct rtcp_iter it;
	struct rtcp_pkt pkt;

	ck_assert_int_eq(rtcp_iter_init(&it, good, sizeof(good)), 0);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 1);
	ck_assert_uint_eq(pkt.pt, RTCP_RR);
	ck_assert_uint_eq(pkt.count, 0);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 1);
	ck_assert_uint_eq(pkt.pt, RTCP_APP);
	ck_assert_str_eq(pkt.app_name, "TEST");
	ck_assert_uint_eq(pkt.count, 1); /* subtype */
	ck_assert_uint_eq(pkt.body_len, 12);
	ck_assert_uint_eq(pkt.body[8], 9);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), 0);

	/* lengths that do not add up */
	ck_assert_int_eq(rtcp_iter_init(&it, good, sizeof(good) - 4),
			 -EBADMSG);
	/* first packet must be SR or RR */
	memcpy(bad, good, sizeof(bad));
	bad[1] = 202;
	ck_assert_int_eq(rtcp_iter_init(&it, bad, sizeof(bad)), -EBADMSG);
	/* padding on a packet that is not the last */
	memcpy(bad, good, sizeof(bad));
	bad[0] |= 0x20;
	ck_assert_int_eq(rtcp_iter_init(&it, bad, sizeof(bad)), -EBADMSG);
	/* RR claiming one report block it does not carry */
	memcpy(bad, good, sizeof(bad));
	bad[0] = 0x81;
	ck_assert_int_eq(rtcp_iter_init(&it, bad, sizeof(bad)), 0);
	ck_assert_int_eq(rtcp_iter_next(&it, &pkt), -EBADMSG);
}
END_TEST

START_TEST(stats_sequence_wrap_loss)
{
	struct rtp_stats s;
	struct rtcp_rb rb;
	uint64_t t = 1000000000ull;
	uint16_t seq = 65530;
	unsigned i;

	rtp_stats_init(&s, 42, 8000);
	/* first packet starts probation, the second makes it valid */
	ck_assert(!rtp_stats_update(&s, seq, 0, 160, t));
	ck_assert(rtp_stats_update(&s, (uint16_t)(seq + 1), 160, 160, t));
	/* 20 more in order across the wrap, skipping 3 (lost) */
	for (i = 2; i < 25; i++) {
		if (i == 7 || i == 8 || i == 15)
			continue;
		ck_assert(rtp_stats_update(&s, (uint16_t)(seq + i), i * 160,
					   160, t + i * 20000000ull));
	}
	ck_assert_uint_eq(s.received, 22);
	ck_assert_uint_eq(rtp_stats_ext_seq(&s), 65536u + (uint16_t)(seq + 24));
	ck_assert_int_eq(rtp_stats_lost(&s), 3);
	rtp_stats_report(&s, &rb, t);
	ck_assert_uint_eq(rb.ssrc, 42);
	ck_assert_int_eq(rb.lost, 3);
	/* 3 of 25 expected: 3 * 256 / 25 = 30 */
	ck_assert_uint_eq(rb.fraction, 30);
	/* second interval: 10 in a row, none lost */
	for (i = 25; i < 35; i++)
		rtp_stats_update(&s, (uint16_t)(seq + i), i * 160, 160,
				 t + i * 20000000ull);
	rtp_stats_report(&s, &rb, t);
	ck_assert_uint_eq(rb.fraction, 0);
	ck_assert_int_eq(rb.lost, 3);
	/* a duplicate counts as received: cumulative loss goes down */
	rtp_stats_update(&s, (uint16_t)(seq + 30), 30 * 160, 160, t);
	ck_assert_int_eq(rtp_stats_lost(&s), 2);
}
END_TEST

START_TEST(stats_restart_after_jump)
{
	struct rtp_stats s;

	rtp_stats_init(&s, 1, 8000);
	rtp_stats_update(&s, 100, 0, 10, 0);
	rtp_stats_update(&s, 101, 160, 10, 0);
	/* a jump of 10000: ignored once, accepted if the next follows */
	ck_assert(!rtp_stats_update(&s, 10101, 0, 10, 0));
	ck_assert(rtp_stats_update(&s, 10102, 160, 10, 0));
	ck_assert_uint_eq(s.restarts, 1);
	ck_assert_uint_eq(s.base_seq, 10102);
	ck_assert_int_eq(rtp_stats_lost(&s), 0);
}
END_TEST

START_TEST(stats_jitter)
{
	struct rtp_stats s;
	uint64_t t = 0;
	uint32_t ts = 0;

	rtp_stats_init(&s, 1, 8000);
	/* perfectly paced: 20 ms apart, ts +160: no jitter */
	for (int i = 0; i < 10; i++, t += 20000000ull, ts += 160)
		rtp_stats_update(&s, (uint16_t)i, ts, 160, t);
	ck_assert_uint_eq(rtp_stats_jitter(&s), 0);
	/* alternate 10 ms early / 10 ms late (|D| = 80 units each) */
	for (int i = 10; i < 400; i++, ts += 160) {
		uint64_t at = t + (i & 1 ? 10000000ull : 0);

		rtp_stats_update(&s, (uint16_t)i, ts, 160, at);
		t += 20000000ull;
	}
	/* J converges to the mean |D| = 80 (A.8 estimator) */
	ck_assert_uint_ge(rtp_stats_jitter(&s), 76);
	ck_assert_uint_le(rtp_stats_jitter(&s), 80);
}
END_TEST

START_TEST(rtt_from_lsr_dlsr)
{
	uint32_t rtt;

	/* RFC 3550 6.4.1 example: A = 0xb710:8000 (46864.5 s), LSR =
	 * 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.25 s):
	 * RTT = 6.125 s */
	ck_assert_int_eq(rtcp_rtt_us(0xb7108000u, 0xb7052000u, 0x00054000u,
				     &rtt), 0);
	ck_assert_uint_eq(rtt, 6125000);
	ck_assert_int_eq(rtcp_rtt_us(0xb7108000u, 0, 5, &rtt), -ENODATA);
	ck_assert_int_eq(rtcp_rtt_us(0xb7050000u, 0xb7052000u, 0, &rtt),
			 -ERANGE);
	/* across the 2^32 wrap of the middle NTP bits */
	ck_assert_int_eq(rtcp_rtt_us(0x00008000u, 0xffff8000u, 0x8000, &rtt),
			 0);
	ck_assert_uint_eq(rtt, 500000);
}
END_TEST

Suite *rtp_suite(void)
{
	Suite *s = suite_create("rtp");
	TCase *tc = tl_tcase(s, "rtp");

	tcase_add_test(tc, rtp_decode_basic);
	tcase_add_test(tc, rtp_decode_csrc_ext_pad);
	tcase_add_test(tc, rtp_decode_bad);
	tcase_add_test(tc, rtp_encode_roundtrip);
	tc = tl_tcase(s, "rtcp");
	tcase_add_test(tc, rtcp_compound_roundtrip);
	tcase_add_test(tc, rtcp_app_and_bad);
	tcase_add_test(tc, rtt_from_lsr_dlsr);
	tc = tl_tcase(s, "stats");
	tcase_add_test(tc, stats_sequence_wrap_loss);
	tcase_add_test(tc, stats_restart_after_jump);
	tcase_add_test(tc, stats_jitter);
	return s;
}
