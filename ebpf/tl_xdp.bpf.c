// SPDX-License-Identifier: GPL-2.0
/*
 * tl_xdp: the XDP engine of the flow contract (kmod/uapi/trunkline_flow.h).
 *
 * For a UDP packet addressed to a local endpoint that has a flow, and
 * only when the packet is fully understood (RTP v2 or RTCP, lengths
 * consistent, the expected source, a payload type the flow forwards), the
 * program rewrites the headers as the flow says and sends the frame out
 * itself: XDP_TX back out of the ingress interface, or XDP_REDIRECT
 * through the tl_ports devmap. Everything else is XDP_PASS with the
 * packet unchanged, and the userspace relay, still bound to the same
 * port, handles it exactly as it would without this program.
 *
 * Order matters: every check and the next-hop lookup happen before the
 * first write, so a packet that ends up passed up is bit-for-bit the one
 * that arrived.
 *
 * Cost: the loader precomputes what does not change per packet (see
 * ebpf/tl_xdp.h): checksum deltas, the counter slot, the next hop. The
 * forward path is one hash lookup, one inlined per-CPU array lookup, one
 * coarse clock read and the rewrite; bpf_fib_lookup() runs only for a
 * flow without a usable cached hop, or once per hop TTL to revalidate it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "trunkline_flow.h"
#include "tl_cur.h"
#include "tl_xdp.h"

#define TL_AF_INET 2	/* AF_INET, for bpf_fib_lookup */
#define TL_AF_INET6 10	/* AF_INET6 */
#define TL_ETH_P_8021Q 0x8100
#define TL_IP_MF 0x2000
#define TL_IP_OFFSET 0x1fff

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Load-time constants (.rodata, set by the loader before load):
 * tl_cfg_vlan: parse one 802.1Q tag (frames with a tag are forwarded only
 * back out of the interface they came in on, tag kept); tl_cfg_fib_flags:
 * flags for bpf_fib_lookup (0: a forward lookup from the ingress
 * interface, which needs forwarding enabled on it); tl_cfg_hop_ttl_ns:
 * how long a cached next hop is trusted before it is checked again.
 */
const volatile __u8 tl_cfg_vlan = 1;
const volatile __u32 tl_cfg_fib_flags = 0;
const volatile __u64 tl_cfg_hop_ttl_ns = TL_XDP_HOP_TTL_NS;

/* The loader's route query for tl_xdp_resolve (one thread at a time). */
struct tl_xdp_resolve tl_rq;

/* The flows, keyed by their local endpoint (key.local). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TL_XDP_FLOWS_MAX);
	__type(key, struct tl_flow_ep);
	__type(value, struct tl_xdp_flow);
} tl_flows SEC(".maps");

/*
 * Per-CPU counters, indexed by tl_xdp_flow.slot: an array lookup the
 * verifier inlines, where a per-CPU hash would hash the key again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TL_XDP_FLOWS_MAX);
	__type(key, __u32);
	__type(value, struct tl_xdp_counters);
} tl_counters SEC(".maps");

/*
 * Interfaces frames may be redirected to: ifindex -> itself. Never
 * pinned: the loader fills it from its own configuration.
 */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, TL_XDP_PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} tl_ports SEC(".maps");

struct tl_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* What the parser found; pointers are into the packet, bounds checked. */
struct tl_pkt {
	struct ethhdr *eth;
	void *l3;		/* struct iphdr or struct ipv6hdr, per v6 */
	struct udphdr *udp;
	__u8 *pl;		/* UDP payload */
	__u32 plen;		/* UDP payload length from udp->len */
	__u16 l3len;		/* IP total length, for the fib lookup */
	__u8 vlan;
	__u8 v6;
	__u8 tos;
	/* aligned: the stack is read 4 octets at a time (tl_ep_eq) */
	struct tl_flow_ep local __attribute__((aligned(8)));
	struct tl_flow_ep src __attribute__((aligned(8)));
};

/* 0 when @pk is a well-formed UDP packet we may look up, else -1. */
static __always_inline int tl_parse(struct xdp_md *ctx, struct tl_pkt *pk)
{
	struct tl_cur c = { (void *)(long)ctx->data,
			    (void *)(long)ctx->data_end };
	struct tl_vlan_hdr *vh;
	__u16 proto, ulen;

	pk->eth = tl_cur_take(&c, sizeof(*pk->eth));
	if (!pk->eth)
		return -1;
	proto = bpf_ntohs(pk->eth->h_proto);
	if (proto == TL_ETH_P_8021Q && tl_cfg_vlan) {
		vh = tl_cur_take(&c, sizeof(*vh));
		if (!vh)
			return -1;
		proto = bpf_ntohs(vh->proto);
		pk->vlan = 1;
	}
	if (proto == ETH_P_IP) {
		struct iphdr *ip = tl_cur_take(&c, sizeof(*ip));

		/* options and fragments are the slow path's business */
		if (!ip || ip->version != 4 || ip->ihl != 5 ||
		    ip->protocol != IPPROTO_UDP ||
		    ip->frag_off & bpf_htons(TL_IP_MF | TL_IP_OFFSET))
			return -1;
		pk->l3len = bpf_ntohs(ip->tot_len);
		if (pk->l3len < sizeof(*ip) + sizeof(struct udphdr) ||
		    (void *)ip + pk->l3len > c.end)
			return -1;
		ulen = pk->l3len - sizeof(*ip);
		pk->l3 = ip;
		pk->tos = ip->tos;
		__builtin_memcpy(pk->local.addr, &ip->daddr, 4);
		__builtin_memcpy(pk->src.addr, &ip->saddr, 4);
		pk->local.family = pk->src.family = TL_FLOW_FAM_IPV4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr *ip = tl_cur_take(&c, sizeof(*ip));

		/* any extension header: not ours */
		if (!ip || ip->version != 6 || ip->nexthdr != IPPROTO_UDP)
			return -1;
		ulen = bpf_ntohs(ip->payload_len);
		if (ulen < sizeof(struct udphdr) ||
		    (void *)(ip + 1) + ulen > c.end)
			return -1;
		pk->l3len = ulen + sizeof(*ip);
		pk->l3 = ip;
		pk->v6 = 1;
		__builtin_memcpy(pk->local.addr, &ip->daddr, 16);
		__builtin_memcpy(pk->src.addr, &ip->saddr, 16);
		pk->local.family = pk->src.family = TL_FLOW_FAM_IPV6;
	} else {
		return -1;
	}
	pk->udp = tl_cur_take(&c, sizeof(*pk->udp));
	/* the UDP length must agree with the IP one: no trailing bytes */
	if (!pk->udp || bpf_ntohs(pk->udp->len) != ulen)
		return -1;
	pk->local.port = pk->udp->dest;
	pk->src.port = pk->udp->source;
	pk->pl = c.pos;
	pk->plen = ulen - sizeof(struct udphdr);
	return 0;
}

static __always_inline int tl_ep_eq(const struct tl_flow_ep *a,
				    const struct tl_flow_ep *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	/* 20 octets, both 4-aligned (map value and stack) */
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] &&
	       x[4] == y[4];
}

/*
 * Classify the payload as the relay does (gateway/media/relay.c
 * classify()): TL_FLOW_R_MAX to forward, else the reason to pass it up.
 */
static __always_inline int tl_classify(const struct tl_flow *f,
				       struct tl_pkt *pk, void *end,
				       __u8 *rtcp)
{
	const struct tl_flow_action *a = &f->action;
	__u8 *p = pk->pl, *x;
	__u32 off;
	__u8 pt;

	if (f->key.src.family && !tl_ep_eq(&f->key.src, &pk->src))
		return TL_FLOW_R_SOURCE;
	if (p + 2 > (__u8 *)end || pk->plen < 2)
		return TL_FLOW_R_MALFORMED;
	*rtcp = (a->flags & TL_FLOW_F_RTCP_PORT) ||
		((a->flags & TL_FLOW_F_RTCP_MUX) && p[1] >= 192 &&
		 p[1] <= 223);
	if (*rtcp) {
		if (pk->plen < TL_RTCP_HDR || p[0] >> 6 != 2)
			return TL_FLOW_R_MALFORMED;
		if (a->rtcp == TL_FLOW_RTCP_USER)
			return TL_FLOW_R_RTCP;
	} else {
		if (pk->plen < TL_RTP_HDR || p + TL_RTP_HDR > (__u8 *)end ||
		    p[0] >> 6 != 2)
			return TL_FLOW_R_MALFORMED;
		off = TL_RTP_HDR + (p[0] & 0x0f) * 4;
		if (off > pk->plen)
			return TL_FLOW_R_MALFORMED;
		if (p[0] & 0x10) {
			if (pk->plen - off < 4)
				return TL_FLOW_R_MALFORMED;
			x = p + off;
			if (x + 4 > (__u8 *)end)
				return TL_FLOW_R_MALFORMED;
			off += 4 + ((__u32)x[2] << 8 | x[3]) * 4;
			if (off > pk->plen)
				return TL_FLOW_R_MALFORMED;
		}
		pt = p[1] & 0x7f;
		if (a->pt_user[pt >> 5] >> (pt & 31) & 1)
			return TL_FLOW_R_PT;
	}
	/* SRTP is the relay's and the kernel module's, never ours */
	if (a->flags & (TL_FLOW_F_SRTP_IN | TL_FLOW_F_SRTP_OUT))
		return TL_FLOW_R_SRTP;
	return TL_FLOW_R_MAX;
}

/*
 * Where the frame goes: egress ifindex and the two MACs as the frame
 * holds them (destination, source), in three words so that the rewrite
 * is three stores, not twelve.
 */
struct tl_hop {
	__u32 ifindex;
	__u32 mac[3];
};

/* The RTP fixed header, for word loads and stores (RFC 3550 5.1). */
struct tl_rtp {
	__u8 vpxcc;
	__u8 mpt;
	__be16 seq;
	__be32 ts;
	__be32 ssrc;
};

/*
 * bpf_fib_lookup() towards new_dst, as if routing the rewritten packet;
 * out of line, so that its 64-octet query stays off the cached path.
 * 0, or -1 when the frame cannot leave from here (no route, no neighbour
 * yet, forwarding disabled, ...): the packet then goes up untouched and
 * the relay's socket send resolves the neighbour for the next one.
 */
static __noinline int tl_fib(struct xdp_md *ctx,
			     const struct tl_flow_action *a,
			     const struct tl_pkt *pk, struct tl_hop *h)
{
	struct bpf_fib_lookup fib = {};
	long rc;

	fib.l4_protocol = IPPROTO_UDP;
	fib.sport = a->new_src.port;
	fib.dport = a->new_dst.port;
	fib.tot_len = pk->l3len;
	fib.ifindex = ctx->ingress_ifindex;
	if (!pk->v6) {
		fib.family = TL_AF_INET;
		fib.tos = pk->tos;
		__builtin_memcpy(&fib.ipv4_src, a->new_src.addr, 4);
		__builtin_memcpy(&fib.ipv4_dst, a->new_dst.addr, 4);
	} else {
		fib.family = TL_AF_INET6;
		__builtin_memcpy(fib.ipv6_src, a->new_src.addr, 16);
		__builtin_memcpy(fib.ipv6_dst, a->new_dst.addr, 16);
	}
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), tl_cfg_fib_flags);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return -1;
	h->ifindex = fib.ifindex;
	__builtin_memcpy(h->mac, fib.dmac, ETH_ALEN);
	__builtin_memcpy((__u8 *)h->mac + ETH_ALEN, fib.smac, ETH_ALEN);
	return 0;
}

/*
 * The next hop: the cached one while it is fresh and the packet came in
 * where it was resolved (the common case, tested first), else the flow's
 * static one (egress_ifindex + MACs from the contract; the loader caches
 * no hop for such a flow), else the FIB. A FIB answer equal to the cache
 * renews it for another TTL (one 8-octet store; the MACs are the
 * loader's to write, so a reader never sees half of a new one). A
 * different answer is used for this packet and leaves the cache stale,
 * so every packet asks the FIB until the loader resolves the flow again.
 * 1: the cached hop, whose egress the loader checked is in tl_ports; 0:
 * another hop, for the caller to check; -1: none.
 */
static __always_inline int tl_next_hop(struct xdp_md *ctx,
				       struct tl_xdp_flow *v,
				       const struct tl_pkt *pk, __u64 now,
				       struct tl_hop *h)
{
	const struct tl_flow_action *a = &v->f.action;
	const __u32 *cm = (const __u32 *)v->hop_mac;
	int cached;

	cached = (v->xflags & TL_XDP_F_HOP) &&
		 v->hop_iif == ctx->ingress_ifindex;
	if (likely(cached && now < v->hop_until_ns)) {
		h->ifindex = v->hop_ifindex;
		h->mac[0] = cm[0];
		h->mac[1] = cm[1];
		h->mac[2] = cm[2];
		return 1;
	}
	if (a->egress_ifindex) {
		h->ifindex = a->egress_ifindex;
		__builtin_memcpy(h->mac, a->dst_mac, ETH_ALEN);
		__builtin_memcpy((__u8 *)h->mac + ETH_ALEN, a->src_mac,
				 ETH_ALEN);
		return 0;
	}
	if (tl_fib(ctx, a, pk, h))
		return -1;
	if (cached && h->ifindex == v->hop_ifindex && h->mac[0] == cm[0] &&
	    h->mac[1] == cm[1] && h->mac[2] == cm[2])
		v->hop_until_ns = now + tl_cfg_hop_ttl_ns;
	return 0;
}

/*
 * RFC 1624 incremental checksum: an accumulator of ~old + new over every
 * changed 16-bit word, applied once per checksum as HC' = ~(~HC + acc).
 * Words are summed as they lie in memory, which one's complement
 * arithmetic allows whatever the byte order; the loader's precomputed
 * sums (tl_xdp_flow.csum_*) are made the same way.
 */
static __always_inline __u32 tl_nacc32(__u32 acc, __u32 old)
{
	return acc + (__u16)~old + (__u16)~(old >> 16);
}

static __always_inline __u32 tl_acc16(__u32 acc, __u16 old, __u16 new)
{
	return acc + (__u16)~old + new;
}

static __always_inline __u32 tl_acc32(__u32 acc, __u32 old, __u32 new)
{
	acc = tl_acc16(acc, (__u16)old, (__u16)new);
	return tl_acc16(acc, (__u16)(old >> 16), (__u16)(new >> 16));
}

static __always_inline __u16 tl_csum_apply(__u16 csum, __u32 acc)
{
	__u32 s = (__u16)~csum + acc;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/*
 * Rewrite addresses, ports and RTP fields; fix both checksums. 0, or -1
 * (nothing written) if the bounds the parser checked do not hold.
 */
static __always_inline int tl_rewrite(const struct tl_xdp_flow *v,
				       struct tl_pkt *pk, void *end,
				       __u8 rtcp, const struct tl_hop *h)
{
	const struct tl_flow_action *a = &v->f.action;
	__u32 acc_ip = v->csum_ip, acc = v->csum_udp, old32, new32;
	struct ipv6hdr *ip6 = pk->l3;
	struct iphdr *ip4 = pk->l3;
	struct tl_rtp *rtp = (struct tl_rtp *)pk->pl;
	__u16 old16, new16;
	__u32 *mac;

	/*
	 * tl_parse() checked these bounds; the verifier wants them again,
	 * each in the branch that uses it, and before any write.
	 */
	if ((void *)(pk->udp + 1) > end)
		return -1;
	if (!pk->v6) {
		if ((void *)(ip4 + 1) > end)
			return -1;
		/* a flow without an expected source: its ~source per packet */
		if (!(v->xflags & TL_XDP_F_SRC_SUMMED)) {
			acc_ip = tl_nacc32(acc_ip, ip4->saddr);
			acc = tl_nacc32(acc, ip4->saddr) +
			      (__u16)~pk->udp->source;
		}
		__builtin_memcpy(&ip4->saddr, a->new_src.addr, 4);
		__builtin_memcpy(&ip4->daddr, a->new_dst.addr, 4);
		ip4->check = tl_csum_apply(ip4->check, acc_ip);
	} else {
		__u32 *s = (__u32 *)&ip6->saddr;

		if ((void *)(ip6 + 1) > end)
			return -1;
		if (!(v->xflags & TL_XDP_F_SRC_SUMMED)) {
			acc = tl_nacc32(acc, s[0]);
			acc = tl_nacc32(acc, s[1]);
			acc = tl_nacc32(acc, s[2]);
			acc = tl_nacc32(acc, s[3]);
			acc += (__u16)~pk->udp->source;
		}
		__builtin_memcpy(&ip6->saddr, a->new_src.addr, 16);
		__builtin_memcpy(&ip6->daddr, a->new_dst.addr, 16);
	}
	mac = (__u32 *)pk->eth;
	mac[0] = h->mac[0];
	mac[1] = h->mac[1];
	mac[2] = h->mac[2];
	pk->udp->source = a->new_src.port;
	pk->udp->dest = a->new_dst.port;
	/*
	 * tl_classify() checked 12 octets of RTP; the verifier wants it
	 * here. Word accesses may be unaligned (RTP sits 42 octets into an
	 * untagged frame): BPF allows that on packet data, and the JITs of
	 * the architectures XDP runs on emit plain loads and stores.
	 */
	if (!rtcp && (a->flags & (TL_FLOW_F_SEQ | TL_FLOW_F_TS |
				  TL_FLOW_F_SSRC)) &&
	    (void *)(rtp + 1) <= end) {
		if (a->flags & TL_FLOW_F_SEQ) {
			old16 = rtp->seq;
			new16 = bpf_htons(bpf_ntohs(old16) + a->seq_off);
			acc = tl_acc16(acc, old16, new16);
			rtp->seq = new16;
		}
		if (a->flags & TL_FLOW_F_TS) {
			old32 = rtp->ts;
			new32 = bpf_htonl(bpf_ntohl(old32) + a->ts_off);
			acc = tl_acc32(acc, old32, new32);
			rtp->ts = new32;
		}
		if (a->flags & TL_FLOW_F_SSRC) {
			old32 = rtp->ssrc;
			new32 = bpf_htonl(a->ssrc);
			acc = tl_acc32(acc, old32, new32);
			rtp->ssrc = new32;
		}
	}
	/* a zero UDP checksum over IPv4 means "none": it stays none */
	if (!pk->v6 && !pk->udp->check)
		return 0;
	pk->udp->check = tl_csum_apply(pk->udp->check, acc);
	/* a computed zero is sent as all ones (RFC 768, RFC 8200) */
	if (!pk->udp->check)
		pk->udp->check = 0xffff;
	return 0;
}

SEC("xdp")
int tl_xdp_rtp(struct xdp_md *ctx)
{
	struct tl_xdp_counters *st;
	struct tl_pkt pk = {};
	struct tl_xdp_flow *v;
	struct tl_hop h;
	void *end;
	__u8 rtcp = 0;
	__u64 now;
	__u32 slot;
	int why, hop;

	if (tl_parse(ctx, &pk))
		return XDP_PASS;
	v = bpf_map_lookup_elem(&tl_flows, &pk.local);
	if (!v)
		return XDP_PASS;
	slot = v->slot;
	st = bpf_map_lookup_elem(&tl_counters, &slot);
	/*
	 * The coarse clock (tick resolution) is enough for an inactivity
	 * timeout and a hop TTL, and costs a load where the precise one
	 * reads the clock source.
	 */
	now = bpf_ktime_get_coarse_ns();
	if (likely(st))
		st->last_ns = now;
	end = (void *)(long)ctx->data_end;
	why = tl_classify(&v->f, &pk, end, &rtcp);
	if (likely(why == TL_FLOW_R_MAX)) {
		/* out where it came in, or (untagged) to a port we may
		 * redirect to; a cached hop's egress is one already */
		why = TL_FLOW_R_TX;
		hop = tl_next_hop(ctx, v, &pk, now, &h);
		if (hop >= 0 &&
		    (h.ifindex == ctx->ingress_ifindex ||
		     (!pk.vlan &&
		      (hop || bpf_map_lookup_elem(&tl_ports, &h.ifindex)))))
			why = TL_FLOW_R_MAX;
	}
	if (unlikely(why != TL_FLOW_R_MAX)) {
		if (st && why >= 0 && why < TL_FLOW_R_MAX)
			st->punt[why]++;
		return XDP_PASS;
	}
	if (tl_rewrite(v, &pk, end, rtcp, &h))
		return XDP_PASS;
	if (likely(st)) {
		st->packets++;
		st->bytes += pk.plen;
	}
	if (h.ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	return bpf_redirect_map(&tl_ports, h.ifindex, XDP_PASS);
}

/*
 * The loader's route query (see struct tl_xdp_resolve): run by
 * BPF_PROG_TEST_RUN on any frame, in the loader's network namespace, so
 * that the next hop it caches is the one bpf_fib_lookup() would find.
 * Never attached.
 */
SEC("xdp")
int tl_xdp_resolve(struct xdp_md *ctx)
{
	tl_rq.rc = (__s32)bpf_fib_lookup(ctx, &tl_rq.fib, sizeof(tl_rq.fib),
					 tl_rq.flags);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
