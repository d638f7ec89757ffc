// SPDX-License-Identifier: GPL-2.0
/*
 * "Never forwarded wrongly": ebpf/tl_xdp.bpf.c under BPF_PROG_TEST_RUN
 * with 100000 random frames made around valid RTP/RTCP frames for a set
 * of installed flows (random flow, family, VLAN tag, source, CSRCs,
 * extension, payload type and length), half of them then mutated (octets
 * flipped or overwritten near the headers, lengths lied about, frames cut
 * short or padded). A seeded PRNG makes every run the same; a failure
 * names the iteration and the seed.
 *
 * Each frame also goes through this file's own reference model of the
 * flow contract (written from docs/xdp.md and trunkline_flow.h, not from
 * the program), which says whether it must be forwarded and, if so, what
 * the rewritten frame is. The program must agree exactly:
 *   - XDP_PASS only when the model passes, with the frame unchanged;
 *   - XDP_TX only when the model forwards, with every octet as the model
 *     rewrites it except the checksums, and each checksum exactly as
 *     valid (or invalid) as it arrived (an incremental update keeps a
 *     bad checksum bad; an IPv4 UDP checksum of zero stays zero);
 *   - no other verdict; per-flow packet and byte counters equal to the
 *     model's count of forwards.
 * Needs root, like check_offload_xdp.
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

#define ITERATIONS 100000
#define SEED 0x7d1a5eedu
#define PKT_MAX 512
#define LO_IFINDEX 1 /* test_run's ingress: the loopback device */
#define CPUS_MAX 256
#define NFLOWS 6

static struct tl_xdp *skel;
static uint64_t rng;

static uint32_t rnd(void)
{
	/* xorshift64*: small, seeded, good enough to spread mutations */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

/* The flows installed, with what the model needs to know of each. */
static struct mflow {
	struct tl_flow f;
	bool v6;
	bool cached;	     /* next hop from the cache, not static */
	bool routed;	     /* no hop at all: the FIB has none here */
	uint8_t mac[12];     /* destination then source MAC written */
	uint64_t fwd, bytes; /* forwards the model expects */
} fl[NFLOWS];

static void ep(struct tl_flow_ep *e, const char *addr, uint16_t port)
{
	struct sa sa;

	ck_assert_int_eq(sa_set_ip(&sa, addr, port), 0);
	ck_assert_int_eq(media_flow_ep_from_sa(e, &sa), 0);
}

static void flow_def(struct mflow *m, bool v6, uint16_t port,
		     const char *src, uint32_t flags, int hop)
{
	struct tl_flow_action *a = &m->f.action;

	memset(m, 0, sizeof(*m));
	media_flow_init(&m->f);
	m->v6 = v6;
	ep(&m->f.key.local, v6 ? "fd00:0:0:1::1" : "198.18.1.1", port);
	if (src)
		ep(&m->f.key.src, src, 40000);
	ep(&a->new_src, v6 ? "fd00:0:0:2::1" : "198.18.2.1",
	   (uint16_t)(port + 100));
	ep(&a->new_dst, v6 ? "fd00:0:0:2::2" : "198.18.2.2", 50000);
	a->flags = flags;
	a->ssrc = 0xcafef00d;
	a->seq_off = 0xfff0;
	a->ts_off = 0xfffffff0u;
	media_flow_pt_user_set(a, 101, true);
	for (int i = 0; i < 12; i++)
		m->mac[i] = (uint8_t)(0x20 + i + port);
	m->mac[0] = 2;
	m->mac[6] = 2;
	if (hop == 0) {
		a->egress_ifindex = LO_IFINDEX;
		memcpy(a->dst_mac, m->mac, 6);
		memcpy(a->src_mac, m->mac + 6, 6);
	}
	m->cached = hop == 1;
	m->routed = hop == 2;
}

static void flows_install(void)
{
	static struct tl_xdp_counters zero[CPUS_MAX];
	int ncpu = libbpf_num_possible_cpus();
	struct tl_xdp_flow v;

	ck_assert_int_le(ncpu, CPUS_MAX);
	flow_def(&fl[0], false, 30000, NULL,
		 TL_FLOW_F_SSRC | TL_FLOW_F_SEQ | TL_FLOW_F_TS |
			 TL_FLOW_F_RTCP_MUX, 0);
	flow_def(&fl[1], false, 30002, "198.18.1.2", TL_FLOW_F_SEQ, 1);
	fl[1].f.action.rtcp = TL_FLOW_RTCP_USER;
	flow_def(&fl[2], false, 30004, NULL, TL_FLOW_F_RTCP_PORT, 0);
	flow_def(&fl[3], true, 30000, "fd00:0:0:1::2",
		 TL_FLOW_F_SSRC | TL_FLOW_F_TS | TL_FLOW_F_RTCP_MUX, 0);
	flow_def(&fl[4], true, 30002, NULL, 0, 1);
	flow_def(&fl[5], false, 30006, NULL, TL_FLOW_F_SEQ, 2);
	for (uint32_t i = 0; i < NFLOWS; i++) {
		ck_assert_int_eq(ofl_xdp_flow_value(&v, &fl[i].f, i), 0);
		if (fl[i].cached) {
			v.xflags |= TL_XDP_F_HOP;
			v.hop_iif = v.hop_ifindex = LO_IFINDEX;
			memcpy(v.hop_mac, fl[i].mac, 12);
			v.hop_until_ns = ~0ull;
		}
		ck_assert_int_eq(
			bpf_map__update_elem(skel->maps.tl_counters, &i,
					     sizeof(i), zero,
					     (size_t)ncpu * sizeof(zero[0]),
					     BPF_ANY),
			0);
		ck_assert_int_eq(bpf_map__update_elem(skel->maps.tl_flows,
						      &v.f.key.local,
						      sizeof(v.f.key.local),
						      &v, sizeof(v), BPF_ANY),
				 0);
	}
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += rd16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* A valid frame for flow @m (or a port nobody has); returns its length. */
static size_t make(uint8_t *b, const struct mflow *m, bool v6)
{
	bool vlan = below(5) == 0, x = below(5) == 0;
	size_t l2 = vlan ? 18 : 14, l3 = v6 ? 40 : 20;
	uint8_t *ip = b + l2, *u = ip + l3, *r = u + 8;
	uint32_t cc = below(4) ? 0 : below(16), ext = below(4), plen, ps;
	static const uint8_t pts[] = { 0, 8, 101, 200, 201, 96, 127, 223 };
	uint16_t c;

	memset(b, 0, PKT_MAX);
	for (int i = 0; i < 12; i++)
		b[i] = (uint8_t)rnd();
	if (vlan) {
		wr16(b + 12, 0x8100);
		wr16(b + 14, (uint16_t)below(4096));
	}
	wr16(b + l2 - 2, v6 ? 0x86dd : 0x0800);
	/* RTP: header, CSRCs, maybe an extension, then some payload */
	plen = 12 + cc * 4 + (x ? 4 + ext * 4 : 0) + below(160);
	if (below(8) == 0)
		plen = below(16); /* short: RTP cut, RTCP maybe */
	r[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | cc);
	if (below(16) == 0)
		r[0] = (uint8_t)rnd(); /* any version, padding bit */
	r[1] = below(2) ? pts[below(sizeof(pts))] : (uint8_t)rnd();
	for (uint32_t i = 2; i < plen; i++)
		r[i] = (uint8_t)rnd();
	if (x && 12 + cc * 4 + 4 <= plen)
		wr16(r + 12 + cc * 4 + 2, (uint16_t)ext);
	wr16(u, below(10) ? 40000 : (uint16_t)(40000 + below(3)));
	wr16(u + 2, m ? ntohs(m->f.key.local.port)
		      : (uint16_t)(30000 + below(20)));
	wr16(u + 4, (uint16_t)(8 + plen));
	if (v6) {
		ip[0] = 0x60;
		wr16(ip + 4, (uint16_t)(8 + plen));
		ip[6] = 17;
		ip[7] = 64;
		inet_pton(AF_INET6, below(10) ? "fd00:0:0:1::2" : "fd00::9",
			  ip + 8);
		inet_pton(AF_INET6, "fd00:0:0:1::1", ip + 24);
		ps = sum16(ip + 8, 32, 0);
	} else {
		ip[0] = 0x45;
		ip[1] = (uint8_t)rnd();
		wr16(ip + 2, (uint16_t)(20 + 8 + plen));
		wr16(ip + 4, (uint16_t)rnd());
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, below(10) ? "198.18.1.2" : "198.18.1.9",
			  ip + 12);
		inet_pton(AF_INET, "198.18.1.1", ip + 16);
		wr16(ip + 10, (uint16_t)~fold(sum16(ip, 20, 0)));
		ps = sum16(ip + 12, 8, 0);
	}
	if (!v6 && below(7) == 0)
		return l2 + l3 + 8 + plen; /* no UDP checksum */
	c = (uint16_t)~fold(sum16(u, 8 + plen, ps + 17 + 8 + plen));
	wr16(u + 6, c ? c : 0xffff);
	return l2 + l3 + 8 + plen;
}

/* Damage @b (@len octets) where it matters most: near the headers. */
static size_t mutate(uint8_t *b, size_t len)
{
	uint32_t n = 1 + below(3);

	while (n--) {
		switch (below(6)) {
		case 0: /* a flipped bit in the first 80 octets */
			b[below(80)] ^= (uint8_t)(1u << below(8));
			break;
		case 1: /* an octet overwritten */
			b[below(80)] = (uint8_t)rnd();
			break;
		case 2: /* cut short */
			len = 14 + below((uint32_t)(len - 13));
			break;
		case 3: /* trailing octets (Ethernet padding, or junk) */
			len += below(9);
			break;
		case 4: { /* a length field (IPv4, IPv6, UDP) moved a little */
			static const uint8_t at[] = { 16, 18, 38, 58 };
			uint8_t *f = b + at[below(sizeof(at))];

			wr16(f, (uint16_t)(rd16(f) + below(5) - 2));
			break;
		}
		default: /* an IHL, fragment or next-header change */
			b[14 + below(10)] ^= (uint8_t)(1u << below(8));
			break;
		}
	}
	return len > PKT_MAX ? PKT_MAX : len;
}

/* The model's parse of a frame: offsets and the flow it belongs to. */
struct mpkt {
	size_t l3, l4, pl;
	uint32_t plen, ulen;
	bool v6;
	struct mflow *m;
	bool rtcp;
};

static bool ep_is(const struct tl_flow_ep *e, const uint8_t *addr,
		  const uint8_t *port, bool v6)
{
	return e->family == (v6 ? TL_FLOW_FAM_IPV6 : TL_FLOW_FAM_IPV4) &&
	       !memcmp(e->addr, addr, v6 ? 16 : 4) &&
	       !memcmp(&e->port, port, 2);
}

/* Whether the contract forwards @b; fills @p when it does. */
static bool model(const uint8_t *b, size_t len, struct mpkt *p)
{
	size_t l2 = 14;
	uint16_t proto;
	const uint8_t *r;
	uint32_t off;

	memset(p, 0, sizeof(*p));
	if (len < 14)
		return false;
	proto = rd16(b + 12);
	if (proto == 0x8100) {
		if (len < 18)
			return false;
		proto = rd16(b + 16);
		l2 = 18;
	}
	p->l3 = l2;
	if (proto == 0x0800) {
		const uint8_t *ip = b + l2;
		uint16_t tot;

		if (len < l2 + 20 || ip[0] != 0x45 || ip[9] != 17 ||
		    (rd16(ip + 6) & 0x3fff))
			return false;
		tot = rd16(ip + 2);
		if (tot < 28 || l2 + tot > len)
			return false;
		p->ulen = tot - 20u;
		p->l4 = l2 + 20;
	} else if (proto == 0x86dd) {
		const uint8_t *ip = b + l2;

		if (len < l2 + 40 || ip[0] >> 4 != 6 || ip[6] != 17)
			return false;
		p->ulen = rd16(ip + 4);
		if (p->ulen < 8 || l2 + 40 + p->ulen > len)
			return false;
		p->l4 = l2 + 40;
		p->v6 = true;
	} else {
		return false;
	}
	if (rd16(b + p->l4 + 4) != p->ulen)
		return false;
	for (int i = 0; i < NFLOWS; i++) {
		const uint8_t *ip = b + l2;

		if (fl[i].v6 == p->v6 &&
		    ep_is(&fl[i].f.key.local, p->v6 ? ip + 24 : ip + 16,
			  b + p->l4 + 2, p->v6))
			p->m = &fl[i];
	}
	if (!p->m)
		return false;
	if (p->m->f.key.src.family &&
	    !ep_is(&p->m->f.key.src, b + l2 + (p->v6 ? 8 : 12), b + p->l4,
		   p->v6))
		return false;
	p->pl = p->l4 + 8;
	p->plen = p->ulen - 8;
	r = b + p->pl;
	if (p->plen < 2)
		return false;
	p->rtcp = (p->m->f.action.flags & TL_FLOW_F_RTCP_PORT) ||
		  ((p->m->f.action.flags & TL_FLOW_F_RTCP_MUX) &&
		   r[1] >= 192 && r[1] <= 223);
	if (p->rtcp)
		return p->plen >= 8 && r[0] >> 6 == 2 &&
		       p->m->f.action.rtcp != TL_FLOW_RTCP_USER &&
		       !p->m->routed;
	if (p->plen < 12 || r[0] >> 6 != 2)
		return false;
	off = 12 + (r[0] & 15) * 4u;
	if (off > p->plen)
		return false;
	if (r[0] & 0x10) {
		if (p->plen - off < 4)
			return false;
		off += 4 + rd16(r + off + 2) * 4u;
		if (off > p->plen)
			return false;
	}
	return !media_flow_pt_user(&p->m->f.action, r[1] & 0x7f) &&
	       !p->m->routed;
}

/* What the model says a forwarded @in becomes (checksums left as is). */
static void rewrite(uint8_t *o, const uint8_t *in, size_t len,
		    const struct mpkt *p)
{
	const struct tl_flow_action *a = &p->m->f.action;
	size_t al = p->v6 ? 16 : 4, sa = p->l3 + (p->v6 ? 8 : 12);
	uint8_t *r = o + p->pl;

	memcpy(o, in, len);
	memcpy(o, p->m->mac, 12);
	memcpy(o + sa, a->new_src.addr, al);
	memcpy(o + sa + al, a->new_dst.addr, al);
	memcpy(o + p->l4, &a->new_src.port, 2);
	memcpy(o + p->l4 + 2, &a->new_dst.port, 2);
	if (p->rtcp)
		return;
	if (a->flags & TL_FLOW_F_SEQ)
		wr16(r + 2, (uint16_t)(rd16(r + 2) + a->seq_off));
	if (a->flags & TL_FLOW_F_TS)
		wr32(r + 4, rd32(r + 4) + a->ts_off);
	if (a->flags & TL_FLOW_F_SSRC)
		wr32(r + 8, a->ssrc);
}

static bool ip_csum_ok(const uint8_t *b, const struct mpkt *p)
{
	return p->v6 || fold(sum16(b + p->l3, 20, 0)) == 0xffff;
}

static bool udp_csum_ok(const uint8_t *b, const struct mpkt *p)
{
	uint32_t ps = p->v6 ? sum16(b + p->l3 + 8, 32, 0)
			    : sum16(b + p->l3 + 12, 8, 0);

	return fold(sum16(b + p->l4, p->ulen, ps + 17 + p->ulen)) == 0xffff;
}

/* Compare @out with the model's rewrite of @in; NULL or what differs. */
static const char *check_fwd(const uint8_t *in, const uint8_t *out,
			     size_t len, const struct mpkt *p)
{
	uint8_t want[PKT_MAX];
	size_t ipc = p->l3 + 10, uc = p->l4 + 6;

	rewrite(want, in, len, p);
	for (size_t i = 0; i < len; i++) {
		if ((!p->v6 && (i == ipc || i == ipc + 1)) || i == uc ||
		    i == uc + 1)
			continue;
		if (out[i] != want[i])
			return "an octet other than a checksum";
	}
	if (!p->v6 && ip_csum_ok(in, p) != ip_csum_ok(out, p))
		return "IPv4 header checksum validity";
	if (!p->v6 && !rd16(in + uc))
		return rd16(out + uc) ? "UDP checksum 0 not kept" : NULL;
	if (udp_csum_ok(in, p) != udp_csum_ok(out, p))
		return "UDP checksum validity";
	if (!rd16(out + uc))
		return "UDP checksum sent as 0";
	return NULL;
}

static void setup(void)
{
	ck_assert_msg(geteuid() == 0, "BPF_PROG_TEST_RUN needs root");
	skel = tl_xdp__open_and_load();
	ck_assert_msg(skel, "cannot load tl_xdp: %s", strerror(errno));
	flows_install();
}

static void teardown(void)
{
	tl_xdp__destroy(skel);
	skel = NULL;
}

START_TEST(test_random_frames)
{
	static uint8_t in[PKT_MAX + 16], out[PKT_MAX];
	static struct tl_xdp_counters pc[CPUS_MAX];
	int prog = bpf_program__fd(skel->progs.tl_xdp_rtp);
	int ncpu = libbpf_num_possible_cpus();
	unsigned nfwd = 0, npass = 0;
	struct tl_flow_counters c;
	struct mpkt p;

	rng = SEED;
	for (int it = 0; it < ITERATIONS; it++) {
		uint32_t k = below(NFLOWS + 2);
		struct mflow *m = k < NFLOWS ? &fl[k] : NULL;
		size_t len = make(in, m, m ? m->v6 : below(2));
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
			    .data_out = out, .data_size_out = PKT_MAX,
			    .repeat = 1);
		const char *bad;
		bool fwd;
		int err;

		if (below(2))
			len = mutate(in, len);
		o.data_size_in = (uint32_t)len;
		fwd = model(in, len, &p);
		memset(out, 0xee, sizeof(out));
		err = bpf_prog_test_run_opts(prog, &o);
		ck_assert_msg(!err, "it %d: test_run: %s", it, strerror(-err));
		ck_assert_msg(o.data_size_out == len,
			      "it %d (seed %#x): length %u, want %zu", it,
			      SEED, o.data_size_out, len);
		if (o.retval == XDP_PASS) {
			ck_assert_msg(!fwd,
				      "it %d (seed %#x): passed, the model "
				      "forwards (flow %d)",
				      it, SEED, p.m ? (int)(p.m - fl) : -1);
			ck_assert_msg(!memcmp(in, out, len),
				      "it %d (seed %#x): passed modified", it,
				      SEED);
			npass++;
			continue;
		}
		ck_assert_msg(o.retval == XDP_TX,
			      "it %d (seed %#x): verdict %u", it, SEED,
			      o.retval);
		ck_assert_msg(fwd, "it %d (seed %#x): forwarded, the model "
			      "passes", it, SEED);
		bad = check_fwd(in, out, len, &p);
		ck_assert_msg(!bad, "it %d (seed %#x): forwarded wrongly: %s",
			      it, SEED, bad);
		p.m->fwd++;
		p.m->bytes += p.plen;
		nfwd++;
	}
	/* both outcomes must have been exercised, or the test proves little */
	ck_assert_uint_gt(nfwd, ITERATIONS / 10);
	ck_assert_uint_gt(npass, ITERATIONS / 10);
	for (uint32_t i = 0; i < NFLOWS; i++) {
		ck_assert_int_eq(bpf_map__lookup_elem(skel->maps.tl_counters,
						      &i, sizeof(i), pc,
						      (size_t)ncpu *
							      sizeof(pc[0]),
						      0),
				 0);
		ofl_xdp_counters_sum(&c, pc, ncpu);
		ck_assert_uint_eq(c.packets, fl[i].fwd);
		ck_assert_uint_eq(c.bytes, fl[i].bytes);
	}
}
END_TEST

Suite *offload_xdp_fuzz_suite(void)
{
	Suite *s = suite_create("offload_xdp_fuzz");
	TCase *tc = tl_tcase(s, "test_run_random");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_random_frames);
	return s;
}
