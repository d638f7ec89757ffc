/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The XDP engine's map ABI, shared by ebpf/tl_xdp.bpf.c and its loader
 * (gateway/offload/xdp/). The flow contract itself is
 * kmod/uapi/trunkline_flow.h; what is here is the XDP engine's own
 * working state around it, computed once by the loader at install time
 * so that the program does less per packet:
 *   - the checksum deltas of the address and port rewrite (RFC 1624);
 *   - the flow's slot in a per-CPU counter array (no second hash lookup);
 *   - a cached next hop, so that bpf_fib_lookup() runs once per
 *     TL_XDP_HOP_TTL_NS per flow instead of once per packet.
 * Only fixed-width types; a layout change bumps TL_XDP_ABI.
 */
#ifndef TL_EBPF_XDP_H
#define TL_EBPF_XDP_H

#include <linux/bpf.h>
#include <linux/types.h>

#include "../kmod/uapi/trunkline_flow.h"

#define TL_XDP_ABI 2

/* Default map sizes; the loader may resize before load. */
#define TL_XDP_FLOWS_MAX 65536
#define TL_XDP_PORTS_MAX 64

/* RTP fixed header, and RTCP's minimum (header + SSRC). */
#define TL_RTP_HDR 12
#define TL_RTCP_HDR 8

/*
 * How long a cached next hop is trusted before the program checks it
 * against bpf_fib_lookup() again (the default of the load-time constant
 * tl_cfg_hop_ttl_ns): a neighbour that changes its MAC, or a route that
 * moves, is followed within this time.
 */
#define TL_XDP_HOP_TTL_NS 1000000000ull

/* tl_xdp_flow.xflags */
#define TL_XDP_F_SRC_SUMMED (1u << 0) /* csum_* include ~key.src */
#define TL_XDP_F_HOP (1u << 1)	      /* hop_* hold a resolved next hop */

/*
 * Value of the tl_flows map (key: f.key.local).
 * csum_ip: one's complement sum, folded to 16 bits, of ~old + new over
 * every 16-bit word of the IPv4 source and destination addresses the
 * rewrite changes (old destination: key.local; old source: key.src when
 * TL_XDP_F_SRC_SUMMED, else the program adds ~source per packet); 0 for
 * IPv6, which has no header checksum. csum_udp: the same over the
 * addresses (pseudo-header) and the two ports. Words are summed as they
 * lie in memory (host loads of network-order octets), as the program
 * does.
 * hop_*: valid when TL_XDP_F_HOP and, for a packet, only when it came in
 * on hop_iif and before hop_until_ns (CLOCK_MONOTONIC); past that the
 * program asks the FIB and, when the answer is the same hop, pushes
 * hop_until_ns forward itself. The program never writes the MACs.
 * hop_ifindex is always an interface the program is attached to (in
 * tl_ports), so a cached hop needs no tl_ports lookup.
 */
struct tl_xdp_flow {
	struct tl_flow f;
	__u32 slot;	     /* index into tl_counters */
	__u16 csum_ip;
	__u16 csum_udp;
	__u32 xflags;	     /* TL_XDP_F_* */
	__u32 hop_iif;	     /* ingress the hop was resolved for */
	__u32 hop_ifindex;   /* egress */
	__u8 hop_mac[12];    /* destination then source, as in the frame */
	__u32 pad;	     /* zero */
	__u64 hop_until_ns;
};

/*
 * Per-CPU counters of one flow slot (tl_counters, a per-CPU array). The
 * loader zeroes a slot before giving it to a flow and sums the CPUs into
 * a struct tl_flow_counters; XDP never drops, so there is no drop[].
 */
struct tl_xdp_counters {
	__u64 packets;	/* forwarded */
	__u64 bytes;	/* UDP payload as received */
	__u64 last_ns;	/* CLOCK_MONOTONIC (coarse) of the last packet */
	__u64 punt[TL_FLOW_R_MAX];
};

/*
 * The one-shot route query of tl_xdp_resolve (run by BPF_PROG_TEST_RUN
 * from the loader): the loader fills fib and flags in the program's .bss,
 * runs it, and reads rc (a BPF_FIB_LKUP_RET_* or negative errno) and the
 * answer in fib.
 */
struct tl_xdp_resolve {
	struct bpf_fib_lookup fib;
	__u32 flags;	/* BPF_FIB_LOOKUP_* */
	__s32 rc;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct tl_xdp_flow) == 192, "tl_xdp_flow ABI");
_Static_assert(sizeof(struct tl_xdp_counters) == 88, "tl_xdp_counters ABI");
_Static_assert(sizeof(struct tl_xdp_resolve) == 72, "tl_xdp_resolve ABI");
#endif

#endif
