/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF-side definitions of the XDP fast path shared by the programs in
 * ebpf/: map sizes and the header cursor. The ABI of the map values is
 * kmod/uapi/trunkline_flow.h; this file adds nothing userspace reads.
 */
#ifndef TL_EBPF_XDP_H
#define TL_EBPF_XDP_H

#include <linux/types.h>

/* Default map sizes; the loader may resize before load. */
#define TL_XDP_FLOWS_MAX 65536
#define TL_XDP_PORTS_MAX 64

/* RTP fixed header, and RTCP's minimum (header + SSRC). */
#define TL_RTP_HDR 12
#define TL_RTCP_HDR 8

/*
 * A parse position with its end. Every read goes through tl_cur_take(),
 * which checks the bounds first: the verifier sees the check, and a short
 * packet yields NULL, never a read past data_end.
 */
struct tl_cur {
	void *pos;
	void *end;
};

static __always_inline void *tl_cur_take(struct tl_cur *c, __u32 len)
{
	void *p = c->pos;

	if (p + len > c->end)
		return (void *)0;
	c->pos = p + len;
	return p;
}

#endif
