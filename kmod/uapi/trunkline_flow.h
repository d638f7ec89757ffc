/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The flow contract: one description of an RTP/RTCP forwarding rule shared
 * by the three engines that implement it, the userspace relay
 * (gateway/media/relay.c), the XDP program (ebpf/) and the kernel module
 * (kmod/). The same struct goes into a BPF map, over generic netlink to the
 * module and into the relay's table, so the same test cases run against all
 * three.
 *
 * Rule: an engine forwards a packet only when it fully understands it.
 * Anything else (no flow, a source other than the expected one, a payload
 * type in pt_user, RTCP when rtcp = TL_FLOW_RTCP_USER, a malformed header,
 * an SRTP packet that fails authentication on a flow without replay state
 * in the engine) passes up unchanged to the userspace socket, which
 * handles it exactly as the relay's slow path would.
 *
 * Only fixed-width types from <linux/types.h>, so this compiles in the
 * kernel, in BPF programs and in userspace. Multi-byte fields are in host
 * order unless their type says __be. Every struct has explicit padding and
 * a size assertion: a change to the layout must bump TL_FLOW_VERSION.
 */
#ifndef _UAPI_TRUNKLINE_FLOW_H
#define _UAPI_TRUNKLINE_FLOW_H

#include <linux/types.h>

#define TL_FLOW_VERSION 1

/* tl_flow_ep.family: not the AF_ constants, which differ in BPF land */
#define TL_FLOW_FAM_NONE 0 /* unset: "any" where a field is optional */
#define TL_FLOW_FAM_IPV4 4
#define TL_FLOW_FAM_IPV6 6

/*
 * One UDP endpoint. An IPv4 address sits in addr[0..3], the rest zero, so
 * that a key compares equal byte for byte (the struct is hashed whole).
 */
struct tl_flow_ep {
	__u8 addr[16];
	__be16 port;
	__u8 family; /* TL_FLOW_FAM_* */
	__u8 pad;    /* zero */
};

/*
 * What a packet is matched on. Engines index their table by @local only
 * (one local port belongs to one flow) and then compare @src: a flow with
 * src.family != TL_FLOW_FAM_NONE forwards only packets from exactly that
 * address and port; others go to userspace as TL_FLOW_PUNT_SOURCE (the
 * latching logic lives there).
 */
struct tl_flow_key {
	struct tl_flow_ep local; /* our address and UDP port */
	struct tl_flow_ep src;	 /* expected source; family 0 = any */
};

/* tl_flow_action.flags */
#define TL_FLOW_F_SSRC (1u << 0)     /* write ssrc into forwarded RTP */
#define TL_FLOW_F_SEQ (1u << 1)	     /* add seq_off to the sequence */
#define TL_FLOW_F_TS (1u << 2)	     /* add ts_off to the timestamp */
#define TL_FLOW_F_RTCP_MUX (1u << 3) /* RTCP arrives on the RTP port */
#define TL_FLOW_F_RTCP_PORT (1u << 4) /* this flow is a leg's RTCP port */
#define TL_FLOW_F_SRTP_IN (1u << 5)  /* unprotect with context srtp_in */
#define TL_FLOW_F_SRTP_OUT (1u << 6) /* protect with context srtp_out */
#define TL_FLOW_F_ALL 0x7fu

/* tl_flow_action.rtcp: what to do with RTCP (PT 192..223) on this flow */
#define TL_FLOW_RTCP_FORWARD 0 /* forward like RTP, no rewrite inside */
#define TL_FLOW_RTCP_USER 1    /* pass every RTCP packet up */

/*
 * What to do with a matched packet: send it from @new_src to @new_dst.
 * pt_user is a bitmap of RTP payload types (bit pt % 32 of word pt / 32)
 * that go to userspace unchanged, e.g. telephone-event when DTMF is
 * converted, and every type not negotiated on the call.
 */
struct tl_flow_action {
	struct tl_flow_ep new_src; /* egress: our address and port */
	struct tl_flow_ep new_dst; /* the peer we forward to */
	__u32 flags;		   /* TL_FLOW_F_* */
	__u32 ssrc;		   /* TL_FLOW_F_SSRC: the SSRC we send */
	__u32 ts_off;		   /* TL_FLOW_F_TS: added modulo 2^32 */
	__u16 seq_off;		   /* TL_FLOW_F_SEQ: added modulo 2^16 */
	__u8 rtcp;		   /* TL_FLOW_RTCP_* */
	__u8 pad0;		   /* zero */
	__u32 pt_user[4];	   /* payload types 0..127 for userspace */
	__u32 srtp_in;		   /* engine-side crypto context id, 0 none */
	__u32 srtp_out;		   /* engine-side crypto context id, 0 none */
	__u32 egress_ifindex;	   /* XDP: redirect target, 0 = route */
	__u8 src_mac[6];	   /* XDP: our MAC on egress_ifindex */
	__u8 dst_mac[6];	   /* XDP: next hop's MAC */
	__u32 pad1;		   /* zero */
};

/* Why a packet was not forwarded: index into tl_flow_counters.punt/drop */
enum tl_flow_reason {
	TL_FLOW_R_MALFORMED = 0, /* not RTP v2 / RTCP, bad lengths */
	TL_FLOW_R_SOURCE,	 /* source is not key.src */
	TL_FLOW_R_PT,		 /* payload type in pt_user */
	TL_FLOW_R_RTCP,		 /* RTCP on a TL_FLOW_RTCP_USER flow */
	TL_FLOW_R_SRTP,		 /* SRTP/SRTCP auth or replay failure */
	TL_FLOW_R_TX,		 /* the egress send failed */
	TL_FLOW_R_NOROOM,	 /* no room to grow the packet (SRTP tag) */
	TL_FLOW_R_OTHER,
	TL_FLOW_R_MAX = 8,
};

/*
 * Per-flow counters. Engines with per-CPU state sum them when read.
 * punt[r]: handed to userspace unchanged; drop[r]: discarded.
 */
struct tl_flow_counters {
	__u64 packets;	   /* forwarded */
	__u64 bytes;	   /* forwarded, UDP payload as received */
	__u64 last_ns;	   /* CLOCK_MONOTONIC of the last packet seen */
	__u64 punt[TL_FLOW_R_MAX];
	__u64 drop[TL_FLOW_R_MAX];
};

/* A whole flow as handed to an engine. */
struct tl_flow {
	__u16 version; /* TL_FLOW_VERSION */
	__u16 size;    /* sizeof(struct tl_flow) */
	__u32 id;      /* the owner's handle, echoed in listings */
	struct tl_flow_key key;
	struct tl_flow_action action;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct tl_flow_ep) == 20, "tl_flow_ep ABI");
_Static_assert(sizeof(struct tl_flow_key) == 40, "tl_flow_key ABI");
_Static_assert(sizeof(struct tl_flow_action) == 100, "tl_flow_action ABI");
_Static_assert(sizeof(struct tl_flow_counters) == 152,
	       "tl_flow_counters ABI");
_Static_assert(sizeof(struct tl_flow) == 148, "tl_flow ABI");
#endif

#endif
