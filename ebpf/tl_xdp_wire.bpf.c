// SPDX-License-Identifier: GPL-2.0
/*
 * tl_xdp_wire: a cable made of XDP, for the relay benchmark's frame
 * delivery (tests/bench/relay/xwire.c loads it). Every frame arriving on
 * the interface it is attached to leaves through the one interface in
 * tl_wire_out, by XDP_REDIRECT, so that the next veth receives it as an
 * XDP frame, the way a NIC driver hands XDP a page of its receive ring,
 * instead of as the sender's socket buffer, which veth would copy into
 * a fresh page before running XDP on it. Never attached by the daemon.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tl_wire_out SEC(".maps");

SEC("xdp")
int tl_xdp_wire(struct xdp_md *ctx)
{
	(void)ctx;
	return bpf_redirect_map(&tl_wire_out, 0, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
