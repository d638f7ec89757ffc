/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP engine's helpers around its map ABI (ebpf/tl_xdp.h): what the
 * loader computes once per flow so that the program does not per packet,
 * and the sum of per-CPU counters. Used by ofl_xdp.c and by the tests and
 * benchmark that drive the program directly.
 */
#ifndef TL_OFFLOAD_XDP_H
#define TL_OFFLOAD_XDP_H

#include <stdint.h>

#include "../../../ebpf/tl_xdp.h"

/*
 * Fill @v, the tl_flows value of @f: a copy of @f, @slot, and the
 * checksum deltas of its address and port rewrite (including the
 * expected source when @f has one); no cached next hop. 0, or
 * -EOPNOTSUPP for what XDP does not forward (SRTP, endpoints of
 * different families), -EINVAL for a slot out of range.
 */
int ofl_xdp_flow_value(struct tl_xdp_flow *v, const struct tl_flow *f,
		       uint32_t slot);

/* Sum @ncpu per-CPU counters @pcpu into @c (overwritten). */
void ofl_xdp_counters_sum(struct tl_flow_counters *c,
			  const struct tl_xdp_counters *pcpu, int ncpu);

#endif
