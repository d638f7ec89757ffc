// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_PASS on every frame. A veth delivers frames that another XDP
 * program redirected into it only when its peer end runs an XDP program
 * too (the peer's NAPI does the work); the netns tests and the bench put
 * this one on the peers' veth ends.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int tl_xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
