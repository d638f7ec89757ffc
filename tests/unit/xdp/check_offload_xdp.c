// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program (ebpf/tl_xdp.bpf.c) under BPF_PROG_TEST_RUN: crafted
 * frames in, verdict and bytes out. Every frame the program must not
 * forward (truncated at each length, IPv4 options, fragments, IPv6
 * extension headers, lying UDP lengths, RTP v1, no flow, wrong source,
 * a payload type for userspace, no next hop) must come back XDP_PASS and
 * byte-for-byte unchanged; a good frame must come back rewritten exactly
 * as an independent rebuild with full checksums says. The rewrite path
 * uses a flow with a static next hop on the ingress interface (XDP_TX),
 * since test_run has no neighbours for bpf_fib_lookup, or a hop cached
 * as the loader caches it (test_cached_hop). Needs root (CI
 * runs the unit tier as root); without it the tests fail, saying so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../../gateway/media/flow.h"
#include "../../../gateway/offload/xdp/ofl_xdp.h"
#include "../tl_check.h"
#include "tl_xdp.skel.h"

#define PKT_MAX 512
#define RTP_LEN 172
#define LO_IFINDEX 1 /* test_run's ingress: the loopback device */
#define CPUS_MAX 256

static struct tl_xdp *skel;

static void setup(void)
{
	ck_assert_msg(geteuid() == 0, "BPF_PROG_TEST_RUN needs root");
	skel = tl_xdp__open_and_load();
	ck_assert_msg(skel, "cannot load tl_xdp: %s", strerror(errno));
}

static void teardown(void)
{
	tl_xdp__destroy(skel);
	skel = NULL;
}

/* One frame's description; build() makes the bytes. */
struct spec {
	bool v6, vlan;
	const char *src, *dst;	/* addresses */
	uint16_t sport, dport;
	uint8_t smac[6], dmac[6];
	uint8_t rtp_b0, pt;	/* first two RTP octets */
	uint16_t seq;
	uint32_t ts, ssrc;
	bool udp_csum_zero;	/* IPv4: send without UDP checksum */
};

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A complete, correct frame with full checksums; returns its length. */
static size_t build(uint8_t *b, const struct spec *s)
{
	size_t l2 = s->vlan ? 18 : 14, l3 = s->v6 ? 40 : 20;
	uint8_t *ip = b + l2, *udp = ip + l3, *rtp = udp + 8;
	uint16_t ulen = 8 + RTP_LEN, c;
	uint32_t ps;

	memset(b, 0, PKT_MAX);
	memcpy(b, s->dmac, 6);
	memcpy(b + 6, s->smac, 6);
	if (s->vlan) {
		put16(b + 12, 0x8100);
		put16(b + 14, 42);
	}
	put16(b + l2 - 2, s->v6 ? 0x86dd : 0x0800);
	if (s->v6) {
		ip[0] = 0x60;
		put16(ip + 4, ulen);
		ip[6] = 17;
		ip[7] = 64;
		inet_pton(AF_INET6, s->src, ip + 8);
		inet_pton(AF_INET6, s->dst, ip + 24);
		ps = sum16(ip + 8, 32, 0);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + ulen));
		put16(ip + 4, 0x1234);
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, s->src, ip + 12);
		inet_pton(AF_INET, s->dst, ip + 16);
		put16(ip + 10, fold(sum16(ip, 20, 0)));
		ps = sum16(ip + 12, 8, 0);
	}
	put16(udp, s->sport);
	put16(udp + 2, s->dport);
	put16(udp + 4, ulen);
	rtp[0] = s->rtp_b0;
	rtp[1] = s->pt;
	put16(rtp + 2, s->seq);
	put32(rtp + 4, s->ts);
	put32(rtp + 8, s->ssrc);
	for (int i = 12; i < RTP_LEN; i++)
		rtp[i] = (uint8_t)(i * 7);
	if (!s->v6 && s->udp_csum_zero)
		return l2 + l3 + ulen;
	c = fold(sum16(udp, ulen, ps + 17 + ulen));
	put16(udp + 6, c ? c : 0xffff);
	return l2 + l3 + ulen;
}

static const struct spec good4 = {
	.src = "198.18.1.2", .dst = "198.18.1.1", .sport = 40000,
	.dport = 30000, .smac = { 2, 0, 0, 0, 0, 0xa }, .dmac = { 2, 0, 0,
	0, 0, 0x1 }, .rtp_b0 = 0x80, .pt = 0, .seq = 65530, .ts = 0xfffffff0,
	.ssrc = 0x11223344,
};

static const struct spec good6 = {
	.v6 = true, .src = "fd00:0:0:1::2", .dst = "fd00:0:0:1::1",
	.sport = 40000, .dport = 30000, .smac = { 2, 0, 0, 0, 0, 0xa },
	.dmac = { 2, 0, 0, 0, 0, 0x1 }, .rtp_b0 = 0x80, .pt = 0,
	.seq = 7, .ts = 1000, .ssrc = 0x11223344,
};

static void ep(struct tl_flow_ep *e, const char *addr, uint16_t port)
{
	struct sa sa;

	ck_assert_int_eq(sa_set_ip(&sa, addr, port), 0);
	ck_assert_int_eq(media_flow_ep_from_sa(e, &sa), 0);
}

/* The flow for @s: forward to the B side, rewriting SSRC, seq and ts,
 * out of the ingress interface (static next hop). */
static void flow_for(struct tl_flow *f, const struct spec *s)
{
	media_flow_init(f);
	f->id = 7;
	ep(&f->key.local, s->dst, s->dport);
	ep(&f->action.new_src, s->v6 ? "fd00:0:0:2::1" : "198.18.2.1",
	   30002);
	ep(&f->action.new_dst, s->v6 ? "fd00:0:0:2::2" : "198.18.2.2",
	   50000);
	f->action.flags = TL_FLOW_F_SSRC | TL_FLOW_F_SEQ | TL_FLOW_F_TS |
			  TL_FLOW_F_RTCP_MUX;
	f->action.ssrc = 0xcafef00d;
	f->action.seq_off = 10;
	f->action.ts_off = 0x20;
	media_flow_pt_user_set(&f->action, 101, true);
	f->action.egress_ifindex = LO_IFINDEX;
	memcpy(f->action.src_mac, (uint8_t[6]){ 2, 0, 0, 0, 0, 0x21 }, 6);
	memcpy(f->action.dst_mac, (uint8_t[6]){ 2, 0, 0, 0, 0, 0x22 }, 6);
}

/* The counter slot the tests give the flow keyed on @local. */
static uint32_t slot_of(const struct tl_flow_ep *local)
{
	return (uint32_t)ntohs(local->port) % TL_XDP_FLOWS_MAX;
}

/* Install @v as the loader does: a zeroed counter slot, then the flow. */
static void value_put(const struct tl_xdp_flow *v)
{
	int ncpu = libbpf_num_possible_cpus();
	static struct tl_xdp_counters zero[CPUS_MAX];

	ck_assert_int_le(ncpu, CPUS_MAX);
	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(bpf_map__update_elem(skel->maps.tl_counters,
					      &v->slot, sizeof(v->slot), zero,
					      (size_t)ncpu * sizeof(zero[0]),
					      BPF_ANY),
			 0);
	ck_assert_int_eq(bpf_map__update_elem(skel->maps.tl_flows,
					      &v->f.key.local,
					      sizeof(v->f.key.local), v,
					      sizeof(*v), BPF_ANY),
			 0);
}

static void flow_value(struct tl_xdp_flow *v, const struct tl_flow *f)
{
	ck_assert_int_eq(ofl_xdp_flow_value(v, f, slot_of(&f->key.local)),
			 0);
}

static void flow_put(const struct tl_flow *f)
{
	struct tl_xdp_flow v;

	flow_value(&v, f);
	value_put(&v);
}

static void counters(const struct tl_flow *f, struct tl_flow_counters *c)
{
	int ncpu = libbpf_num_possible_cpus();
	static struct tl_xdp_counters v[CPUS_MAX];
	uint32_t slot = slot_of(&f->key.local);

	ck_assert_int_eq(bpf_map__lookup_elem(skel->maps.tl_counters, &slot,
					      sizeof(slot), v,
					      (size_t)ncpu * sizeof(v[0]), 0),
			 0);
	ofl_xdp_counters_sum(c, v, ncpu);
}

/* Run @in (@len octets); the verdict, the output in @out (*@olen). */
static int run(const uint8_t *in, size_t len, uint8_t *out, uint32_t *olen)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = PKT_MAX, .repeat = 1);
	int err;

	memset(out, 0xee, PKT_MAX);
	err = bpf_prog_test_run_opts(
		bpf_program__fd(skel->progs.tl_xdp_rtp), &o);
	ck_assert_msg(!err, "test_run: %s", strerror(-err));
	*olen = o.data_size_out;
	return (int)o.retval;
}

static void expect_pass(const uint8_t *in, size_t len, const char *what)
{
	uint8_t out[PKT_MAX];
	uint32_t olen;
	int v = run(in, len, out, &olen);

	ck_assert_msg(v == XDP_PASS, "%s: verdict %d, want XDP_PASS", what,
		      v);
	ck_assert_msg(olen == len && !memcmp(in, out, len),
		      "%s: packet modified", what);
}

/* The frame the program must emit for @s under flow_for(). */
static size_t expected(uint8_t *b, const struct spec *s)
{
	struct spec e = *s;

	e.src = s->v6 ? "fd00:0:0:2::1" : "198.18.2.1";
	e.dst = s->v6 ? "fd00:0:0:2::2" : "198.18.2.2";
	e.sport = 30002;
	e.dport = 50000;
	memcpy(e.smac, (uint8_t[6]){ 2, 0, 0, 0, 0, 0x21 }, 6);
	memcpy(e.dmac, (uint8_t[6]){ 2, 0, 0, 0, 0, 0x22 }, 6);
	if (!(s->pt >= 192 && s->pt <= 223)) {
		e.seq = (uint16_t)(s->seq + 10);
		e.ts = s->ts + 0x20;
		e.ssrc = 0xcafef00d;
	}
	return build(b, &e);
}

static void expect_rewrite(const struct spec *s)
{
	uint8_t in[PKT_MAX], out[PKT_MAX], want[PKT_MAX];
	size_t len = build(in, s), wlen = expected(want, s);
	struct tl_flow f;
	uint32_t olen;
	int v;

	flow_for(&f, s);
	flow_put(&f);
	v = run(in, len, out, &olen);
	ck_assert_int_eq(v, XDP_TX);
	ck_assert_uint_eq(olen, wlen);
	for (size_t i = 0; i < wlen; i++)
		ck_assert_msg(out[i] == want[i],
			      "octet %zu: got %02x want %02x", i, out[i],
			      want[i]);
}

START_TEST(test_rewrite_ipv4)
{
	struct tl_flow_counters c;
	struct tl_flow f;

	expect_rewrite(&good4);
	flow_for(&f, &good4);
	counters(&f, &c);
	ck_assert_uint_eq(c.packets, 1);
	ck_assert_uint_eq(c.bytes, RTP_LEN);
}
END_TEST

START_TEST(test_rewrite_ipv6)
{
	expect_rewrite(&good6);
}
END_TEST

START_TEST(test_rewrite_vlan)
{
	struct spec s = good4;

	s.vlan = true;
	expect_rewrite(&s);
}
END_TEST

START_TEST(test_rewrite_udp_csum_zero)
{
	struct spec s = good4;

	s.udp_csum_zero = true;
	expect_rewrite(&s);
}
END_TEST

START_TEST(test_rewrite_rtcp_mux)
{
	struct spec s = good4;

	s.pt = 200; /* SR: forwarded, RTP fields untouched */
	expect_rewrite(&s);
}
END_TEST

/* Seq and SSRC values whose incremental update crosses the carry. */
START_TEST(test_rewrite_csum_edges)
{
	static const uint32_t v[] = { 0, 0xffff, 0xfff6, 0xffffffff, 1 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct spec s = i & 1 ? good6 : good4;

		s.seq = (uint16_t)v[i];
		s.ts = v[i];
		s.ssrc = ~v[i];
		expect_rewrite(&s);
	}
}
END_TEST

START_TEST(test_truncated)
{
	uint8_t in[PKT_MAX];
	const struct spec *sp[] = { &good4, &good6 };
	struct tl_flow f;

	for (size_t k = 0; k < 2; k++) {
		size_t len = build(in, sp[k]);
		char what[32];

		flow_for(&f, sp[k]);
		flow_put(&f);
		/* test_run takes no frame shorter than an Ethernet header */
		for (size_t l = 14; l < len; l++) {
			snprintf(what, sizeof(what), "v%d len %zu",
				 k ? 6 : 4, l);
			expect_pass(in, l, what);
		}
	}
}
END_TEST

/* Frames the program must pass up untouched although a flow matches. */
START_TEST(test_pass_malformed)
{
	uint8_t in[PKT_MAX];
	struct tl_flow f;
	struct spec s;
	size_t len;

	flow_for(&f, &good4);
	flow_put(&f);
	flow_for(&f, &good6);
	flow_put(&f);

	len = build(in, &good4);
	in[14] = 0x46; /* IHL 6: options */
	expect_pass(in, len, "ipv4 options");
	len = build(in, &good4);
	in[14 + 6] = 0x20; /* MF */
	expect_pass(in, len, "ipv4 first fragment");
	len = build(in, &good4);
	in[14 + 7] = 0x10; /* offset */
	expect_pass(in, len, "ipv4 later fragment");
	len = build(in, &good4);
	put16(in + 14 + 20 + 4, 8 + RTP_LEN + 4);
	expect_pass(in, len, "udp length too long");
	len = build(in, &good4);
	put16(in + 14 + 20 + 4, 8 + RTP_LEN - 4);
	expect_pass(in, len, "udp length too short");
	len = build(in, &good4);
	put16(in + 14 + 2, 20 + 8 + RTP_LEN + 1);
	expect_pass(in, len, "ip length past the frame");
	len = build(in, &good6);
	in[14 + 6] = 0; /* hop-by-hop options header */
	expect_pass(in, len, "ipv6 extension header");
	len = build(in, &good6);
	put16(in + 14 + 40 + 4, 8 + RTP_LEN - 2);
	expect_pass(in, len, "ipv6 udp length lies");
	s = good4;
	s.rtp_b0 = 0x40;
	len = build(in, &s);
	expect_pass(in, len, "rtp v1");
	s.rtp_b0 = 0x8f; /* 15 CSRCs: 72 octets, fits in 172 */
	s.rtp_b0 = 0x90; /* extension with a length past the packet */
	len = build(in, &s);
	put16(in + 14 + 20 + 8 + 12 + 2, 200);
	expect_pass(in, len, "rtp extension too long");
	s = good4;
	s.vlan = true;
	len = build(in, &s);
	put16(in + 12, 0x88a8); /* a QinQ outer tag: not ours */
	expect_pass(in, len, "802.1ad");
}
END_TEST

START_TEST(test_pass_policy)
{
	struct tl_flow_counters c;
	uint8_t in[PKT_MAX];
	struct tl_flow f;
	struct spec s;
	size_t len;

	/* no flow on this port */
	s = good4;
	s.dport = 30010;
	len = build(in, &s);
	expect_pass(in, len, "no flow");

	/* telephone-event is for userspace */
	flow_for(&f, &good4);
	flow_put(&f);
	s = good4;
	s.pt = 101;
	len = build(in, &s);
	expect_pass(in, len, "pt 101");
	counters(&f, &c);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_PT], 1);

	/* a source other than the expected one */
	ep(&f.key.src, "198.18.1.2", 40001);
	flow_put(&f);
	len = build(in, &good4);
	expect_pass(in, len, "wrong source port");
	s = good4;
	s.src = "198.18.1.3";
	s.sport = 40001;
	len = build(in, &s);
	expect_pass(in, len, "wrong source address");
	counters(&f, &c);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_SOURCE], 2);
	ck_assert_uint_eq(c.packets, 0);

	/* RTCP for userspace */
	flow_for(&f, &good4);
	f.action.rtcp = TL_FLOW_RTCP_USER;
	flow_put(&f);
	s = good4;
	s.pt = 201;
	len = build(in, &s);
	expect_pass(in, len, "rtcp to user");

	/* routed flow: test_run has no next hop we may redirect to */
	flow_for(&f, &good4);
	f.action.egress_ifindex = 0;
	memset(f.action.src_mac, 0, 12);
	flow_put(&f);
	len = build(in, &good4);
	expect_pass(in, len, "no next hop");
	counters(&f, &c);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_TX], 1);
	ck_assert_uint_eq(c.packets, 0);
}
END_TEST

/*
 * The next hop cached by the loader: used while fresh and on the ingress
 * it was resolved for; otherwise the FIB decides, and test_run's has no
 * route to 198.18.2.2, so the frame goes up untouched.
 */
START_TEST(test_cached_hop)
{
	uint8_t in[PKT_MAX], out[PKT_MAX], want[PKT_MAX];
	struct tl_flow_counters c;
	struct tl_xdp_flow v;
	struct tl_flow f;
	struct spec s = good4;
	size_t len, wlen;
	uint32_t olen;

	flow_for(&f, &s);
	f.action.egress_ifindex = 0;
	memset(f.action.src_mac, 0, 12);
	/* an expected source: the checksum deltas then include it */
	ep(&f.key.src, s.src, s.sport);
	flow_value(&v, &f);
	ck_assert_uint_eq(v.xflags, TL_XDP_F_SRC_SUMMED);
	v.xflags |= TL_XDP_F_HOP;
	v.hop_iif = v.hop_ifindex = LO_IFINDEX;
	memcpy(v.hop_mac, (uint8_t[12]){ 2, 0, 0, 0, 0, 0x22, 2, 0, 0, 0, 0,
					 0x21 }, 12);
	v.hop_until_ns = ~0ull;
	value_put(&v);
	len = build(in, &s);
	wlen = expected(want, &s);
	ck_assert_int_eq(run(in, len, out, &olen), XDP_TX);
	ck_assert_uint_eq(olen, wlen);
	ck_assert_msg(!memcmp(out, want, wlen), "cached hop: wrong rewrite");

	v.hop_until_ns = 1; /* expired: the FIB must be asked */
	value_put(&v);
	expect_pass(in, len, "expired hop, no route");
	v.hop_until_ns = ~0ull;
	v.hop_iif = LO_IFINDEX + 1; /* resolved for another ingress */
	value_put(&v);
	expect_pass(in, len, "hop of another ingress");
	counters(&f, &c);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_TX], 1);
	ck_assert_uint_eq(c.packets, 0);
}
END_TEST

START_TEST(test_flow_value_refuses)
{
	struct tl_xdp_flow v;
	struct tl_flow f;

	flow_for(&f, &good4);
	ck_assert_int_eq(ofl_xdp_flow_value(&v, &f, TL_XDP_FLOWS_MAX),
			 -EINVAL);
	f.action.flags |= TL_FLOW_F_SRTP_IN;
	ck_assert_int_eq(ofl_xdp_flow_value(&v, &f, 1), -EOPNOTSUPP);
	flow_for(&f, &good4);
	ep(&f.action.new_dst, "fd00:0:0:2::2", 50000);
	ck_assert_int_eq(ofl_xdp_flow_value(&v, &f, 1), -EOPNOTSUPP);
	flow_for(&f, &good4);
	ep(&f.key.src, "fd00:0:0:1::2", 40000);
	ck_assert_int_eq(ofl_xdp_flow_value(&v, &f, 1), -EOPNOTSUPP);
}
END_TEST

Suite *offload_xdp_suite(void)
{
	Suite *s = suite_create("offload_xdp");
	TCase *tc = tl_tcase(s, "test_run");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rewrite_ipv4);
	tcase_add_test(tc, test_rewrite_ipv6);
	tcase_add_test(tc, test_rewrite_vlan);
	tcase_add_test(tc, test_rewrite_udp_csum_zero);
	tcase_add_test(tc, test_rewrite_rtcp_mux);
	tcase_add_test(tc, test_rewrite_csum_edges);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_pass_malformed);
	tcase_add_test(tc, test_pass_policy);
	tcase_add_test(tc, test_cached_hop);
	tcase_add_test(tc, test_flow_value_refuses);
	return s;
}
