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
#include "tl_xdp.h"

#define TL_AF_INET 2	/* AF_INET, for bpf_fib_lookup */
#define TL_AF_INET6 10	/* AF_INET6 */
#define TL_ETH_P_8021Q 0x8100
#define TL_IP_MF 0x2000
#define TL_IP_OFFSET 0x1fff

/*
 * Load-time constants (.rodata, set by the loader before load):
 * tl_cfg_vlan: parse one 802.1Q tag (frames with a tag are forwarded only
 * back out of the interface they came in on, tag kept); tl_cfg_fib_flags:
 * flags for bpf_fib_lookup (0: a forward lookup from the ingress
 * interface, which needs forwarding enabled on it).
 */
const volatile __u8 tl_cfg_vlan = 1;
const volatile __u32 tl_cfg_fib_flags = 0;

/* The flows, keyed by their local endpoint (key.local). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TL_XDP_FLOWS_MAX);
	__type(key, struct tl_flow_ep);
	__type(value, struct tl_flow);
} tl_flows SEC(".maps");

/* Per-CPU counters of each flow, same key; userspace sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, TL_XDP_FLOWS_MAX);
	__type(key, struct tl_flow_ep);
	__type(value, struct tl_flow_counters);
} tl_stats SEC(".maps");

/* Interfaces frames may be redirected to: ifindex -> itself. */
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

/* Where the frame goes: egress ifindex and the two MACs. */
struct tl_hop {
	__u32 ifindex;
	__u8 smac[ETH_ALEN];
	__u8 dmac[ETH_ALEN];
};

/*
 * A static next hop from the flow, or bpf_fib_lookup() towards new_dst.
 * 0, or -1 when the frame cannot leave from here (no route, no neighbour
 * yet, forwarding disabled, ...): the packet then goes up untouched and
 * the relay's socket send resolves the neighbour for the next one.
 */
static __always_inline int tl_next_hop(struct xdp_md *ctx,
				       const struct tl_flow_action *a,
				       const struct tl_pkt *pk,
				       struct tl_hop *h)
{
	struct bpf_fib_lookup fib = {};
	long rc;

	if (a->egress_ifindex) {
		h->ifindex = a->egress_ifindex;
		__builtin_memcpy(h->smac, a->src_mac, ETH_ALEN);
		__builtin_memcpy(h->dmac, a->dst_mac, ETH_ALEN);
		return 0;
	}
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
	__builtin_memcpy(h->smac, fib.smac, ETH_ALEN);
	__builtin_memcpy(h->dmac, fib.dmac, ETH_ALEN);
	return 0;
}

/*
 * RFC 1624 incremental checksum: an accumulator of ~old + new over every
 * changed 16-bit word, applied once per checksum as HC' = ~(~HC + acc).
 * Words are summed as they lie in memory, which one's complement
 * arithmetic allows whatever the byte order.
 */
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
static __always_inline int tl_rewrite(const struct tl_flow_action *a,
				       struct tl_pkt *pk, void *end,
				       __u8 rtcp, const struct tl_hop *h)
{
	__u32 acc = 0, old32, new32, i;
	__u16 old16, new16;
	struct ipv6hdr *ip6 = pk->l3;
	struct iphdr *ip4 = pk->l3;
	__u8 *p = pk->pl;

	/*
	 * tl_parse() checked these bounds; the verifier wants them again,
	 * each in the branch that uses it, and before any write.
	 */
	if ((void *)(pk->udp + 1) > end)
		return -1;
	if (!pk->v6) {
		if ((void *)(ip4 + 1) > end)
			return -1;
		__builtin_memcpy(&new32, a->new_src.addr, 4);
		acc = tl_acc32(acc, ip4->saddr, new32);
		ip4->saddr = new32;
		__builtin_memcpy(&new32, a->new_dst.addr, 4);
		acc = tl_acc32(acc, ip4->daddr, new32);
		ip4->daddr = new32;
		ip4->check = tl_csum_apply(ip4->check, acc);
	} else {
		__u32 *s = (__u32 *)&ip6->saddr;
		__u32 *d = (__u32 *)&ip6->daddr;

		if ((void *)(ip6 + 1) > end)
			return -1;
#pragma unroll
		for (i = 0; i < 4; i++) {
			__builtin_memcpy(&new32, a->new_src.addr + i * 4, 4);
			acc = tl_acc32(acc, s[i], new32);
			s[i] = new32;
			__builtin_memcpy(&new32, a->new_dst.addr + i * 4, 4);
			acc = tl_acc32(acc, d[i], new32);
			d[i] = new32;
		}
	}
	__builtin_memcpy(pk->eth->h_source, h->smac, ETH_ALEN);
	__builtin_memcpy(pk->eth->h_dest, h->dmac, ETH_ALEN);
	acc = tl_acc16(acc, pk->udp->source, a->new_src.port);
	pk->udp->source = a->new_src.port;
	acc = tl_acc16(acc, pk->udp->dest, a->new_dst.port);
	pk->udp->dest = a->new_dst.port;
	/* tl_classify() checked 12 octets of RTP; the verifier wants it here */
	if (!rtcp && p + TL_RTP_HDR <= (__u8 *)end) {
		if (a->flags & TL_FLOW_F_SEQ) {
			__builtin_memcpy(&old16, p + 2, 2);
			new16 = bpf_htons(bpf_ntohs(old16) + a->seq_off);
			acc = tl_acc16(acc, old16, new16);
			__builtin_memcpy(p + 2, &new16, 2);
		}
		if (a->flags & TL_FLOW_F_TS) {
			__builtin_memcpy(&old32, p + 4, 4);
			new32 = bpf_htonl(bpf_ntohl(old32) + a->ts_off);
			acc = tl_acc32(acc, old32, new32);
			__builtin_memcpy(p + 4, &new32, 4);
		}
		if (a->flags & TL_FLOW_F_SSRC) {
			__builtin_memcpy(&old32, p + 8, 4);
			new32 = bpf_htonl(a->ssrc);
			acc = tl_acc32(acc, old32, new32);
			__builtin_memcpy(p + 8, &new32, 4);
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
	struct tl_flow_counters *st;
	struct tl_pkt pk = {};
	struct tl_flow *f;
	struct tl_hop h;
	void *end;
	__u8 rtcp = 0;
	int why;

	if (tl_parse(ctx, &pk))
		return XDP_PASS;
	f = bpf_map_lookup_elem(&tl_flows, &pk.local);
	if (!f)
		return XDP_PASS;
	st = bpf_map_lookup_elem(&tl_stats, &pk.local);
	if (st)
		st->last_ns = bpf_ktime_get_ns();
	end = (void *)(long)ctx->data_end;
	why = tl_classify(f, &pk, end, &rtcp);
	if (why == TL_FLOW_R_MAX) {
		why = TL_FLOW_R_TX;
		if (!tl_next_hop(ctx, &f->action, &pk, &h) &&
		    (h.ifindex == ctx->ingress_ifindex ||
		     (!pk.vlan && bpf_map_lookup_elem(&tl_ports, &h.ifindex))))
			why = TL_FLOW_R_MAX;
	}
	if (why != TL_FLOW_R_MAX) {
		if (st && why >= 0 && why < TL_FLOW_R_MAX)
			st->punt[why]++;
		return XDP_PASS;
	}
	if (tl_rewrite(&f->action, &pk, end, rtcp, &h))
		return XDP_PASS;
	if (st) {
		st->packets++;
		st->bytes += pk.plen;
	}
	if (h.ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	return bpf_redirect_map(&tl_ports, h.ifindex, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
