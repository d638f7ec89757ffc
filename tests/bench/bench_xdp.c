// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program's own cost: BPF_PROG_TEST_RUN of ebpf/tl_xdp.bpf.c
 * (build/ebpf/tl_xdp.bpf.o, made by scripts/build-bpf.sh) with a large
 * repeat count, ns per packet as the kernel measures it, for the paths a
 * packet takes: forwarded (rewrite + XDP_TX on a static next hop),
 * passed for a wrong source, passed for no flow. No NIC, no veth: this is
 * the program alone. Needs root; prints a skip line otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../gateway/media/flow.h"

#define OBJ "build/ebpf/tl_xdp.bpf.o"
#define REPEAT 2000000u
#define RTP_LEN 172

static size_t frame(uint8_t *b, uint16_t dport)
{
	uint8_t *ip = b + 14, *u = ip + 20;

	memset(b, 0, 14 + 20 + 8 + RTP_LEN);
	b[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = 0;
	ip[3] = 20 + 8 + RTP_LEN;
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, "198.18.1.2", ip + 12);
	inet_pton(AF_INET, "198.18.1.1", ip + 16);
	u[0] = 40000 >> 8;
	u[1] = 40000 & 0xff;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[5] = 8 + RTP_LEN;
	u[6] = 0x12; /* any checksum: only the incremental update is timed */
	u[8] = 0x80;
	return 14 + 20 + 8 + RTP_LEN;
}

static void ep(struct tl_flow_ep *e, const char *a, uint16_t port)
{
	struct sa sa;

	sa_set_ip(&sa, a, port);
	media_flow_ep_from_sa(e, &sa);
}

static void row(int prog, const char *name, uint16_t dport)
{
	uint8_t in[256], out[256];
	size_t len = frame(in, dport);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = REPEAT);
	int err = bpf_prog_test_run_opts(prog, &o);

	if (err) {
		printf("%-34s test_run: %s\n", name, strerror(-err));
		return;
	}
	printf("%-34s %6u ns/pkt  (verdict %u, %u runs)\n", name, o.duration,
	       o.retval, REPEAT);
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_map *flows;
	struct tl_flow f;
	int prog;

	if (geteuid()) {
		puts("bench_xdp: skipped (BPF_PROG_TEST_RUN needs root)");
		return 0;
	}
	obj = bpf_object__open_file(OBJ, NULL);
	if (!obj || bpf_object__load(obj)) {
		printf("bench_xdp: skipped (cannot load %s: run "
		       "scripts/build-bpf.sh)\n", OBJ);
		return 0;
	}
	prog = bpf_program__fd(
		bpf_object__find_program_by_name(obj, "tl_xdp_rtp"));
	flows = bpf_object__find_map_by_name(obj, "tl_flows");
	media_flow_init(&f);
	ep(&f.key.local, "198.18.1.1", 30000);
	/* test_run rewrites one buffer REPEAT times: the flow maps the
	 * frame onto itself, so every run takes the full forward path */
	ep(&f.action.new_src, "198.18.1.2", 40000);
	ep(&f.action.new_dst, "198.18.1.1", 30000);
	f.action.flags = TL_FLOW_F_SSRC | TL_FLOW_F_SEQ | TL_FLOW_F_TS;
	f.action.egress_ifindex = 1; /* test_run's ingress: XDP_TX */
	bpf_map__update_elem(flows, &f.key.local, sizeof(f.key.local), &f,
			     sizeof(f), BPF_ANY);
	ep(&f.key.local, "198.18.1.1", 30010);
	ep(&f.key.src, "198.18.1.9", 40000);
	bpf_map__update_elem(flows, &f.key.local, sizeof(f.key.local), &f,
			     sizeof(f), BPF_ANY);
	puts("tl_xdp program cost (bpf_prog_test_run, IPv4, 214-octet frame)");
	row(prog, "forward: rewrite + XDP_TX", 30000);
	row(prog, "pass: wrong source", 30010);
	row(prog, "pass: no flow", 30020);
	bpf_object__close(obj);
	return 0;
}
