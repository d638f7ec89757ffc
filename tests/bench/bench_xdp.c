// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program's own cost: BPF_PROG_TEST_RUN of ebpf/tl_xdp.bpf.c
 * (loaded from its skeleton) with a large repeat count, ns per packet as
 * the kernel measures it, for the paths a packet takes. Flows are
 * installed as the engine installs them (gateway/offload/xdp: counter
 * slot, precomputed checksum deltas, cached next hop). No NIC, no veth:
 * this is the program alone. The machine is shared, so each row is
 * TRIALS runs: the minimum is the program's cost, the median shows the
 * noise. The harness's own cost per run (the test_run loop, the XDP
 * dispatcher) is measured in the same run on a two-instruction program
 * that returns XDP_PASS, and subtracted in the "net" column. Needs
 * root; prints a skip line otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../gateway/media/flow.h"
#include "../../gateway/offload/xdp/ofl_xdp.h"
#include "tl_xdp.skel.h"

#define REPEAT 200000u
#define TRIALS 25
#define RTP_LEN 172
#define LO 1 /* test_run's ingress: the loopback device */
#define CPUS_MAX 256

static struct tl_xdp *skel;
static int floor_fd = -1;     /* r0 = XDP_PASS; exit */
static uint32_t floor_ns;     /* its median */

/* An RTP frame from 198.18.1.2:40000 (or [fd00::1:2]) to @dport. */
static size_t frame(uint8_t *b, uint16_t dport, int v6)
{
	size_t l3 = v6 ? 40 : 20, len = 14 + l3 + 8 + RTP_LEN;
	uint8_t *ip = b + 14, *u = ip + l3;

	memset(b, 0, len);
	b[12] = v6 ? 0x86 : 0x08;
	b[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		ip[0] = 0x60;
		ip[5] = 8 + RTP_LEN;
		ip[6] = 17;
		ip[7] = 64;
		inet_pton(AF_INET6, "fd00:0:0:1::2", ip + 8);
		inet_pton(AF_INET6, "fd00:0:0:1::1", ip + 24);
	} else {
		ip[0] = 0x45;
		ip[3] = 20 + 8 + RTP_LEN;
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, "198.18.1.2", ip + 12);
		inet_pton(AF_INET, "198.18.1.1", ip + 16);
	}
	u[0] = 40000 >> 8;
	u[1] = 40000 & 0xff;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[5] = 8 + RTP_LEN;
	u[6] = 0x12; /* any checksum: only the incremental update is timed */
	u[8] = 0x80;
	return len;
}

static void ep(struct tl_flow_ep *e, const char *a, uint16_t port)
{
	struct sa sa;

	sa_set_ip(&sa, a, port);
	media_flow_ep_from_sa(e, &sa);
}

enum hop { HOP_STATIC, HOP_CACHED };

/*
 * A flow on @port mapping the frame onto itself (test_run rewrites one
 * buffer REPEAT times, so every run takes the full forward path), with
 * SSRC, seq and ts rewrite; @src: whether it has an expected source.
 */
static int flow(uint16_t port, int v6, int src, enum hop hop,
		const char *srcaddr)
{
	static struct tl_xdp_counters zero[CPUS_MAX];
	const char *lo = v6 ? "fd00:0:0:1::1" : "198.18.1.1";
	const char *peer = v6 ? "fd00:0:0:1::2" : "198.18.1.2";
	int ncpu = libbpf_num_possible_cpus();
	struct tl_xdp_flow v;
	struct tl_flow f;
	int err;

	if (ncpu <= 0 || ncpu > CPUS_MAX)
		return -E2BIG;
	media_flow_init(&f);
	ep(&f.key.local, lo, port);
	if (src)
		ep(&f.key.src, srcaddr ? srcaddr : peer, 40000);
	ep(&f.action.new_src, peer, 40000);
	ep(&f.action.new_dst, lo, port);
	f.action.flags = TL_FLOW_F_SSRC | TL_FLOW_F_SEQ | TL_FLOW_F_TS;
	if (hop == HOP_STATIC)
		f.action.egress_ifindex = LO;
	err = ofl_xdp_flow_value(&v, &f, port);
	if (err)
		return err;
	if (hop == HOP_CACHED) {
		/* as hop_resolve() leaves it, fresh for the whole run */
		v.xflags |= TL_XDP_F_HOP;
		v.hop_iif = v.hop_ifindex = LO;
		v.hop_until_ns = ~0ull;
	}
	err = bpf_map__update_elem(skel->maps.tl_counters, &v.slot,
				   sizeof(v.slot), zero,
				   (size_t)ncpu * sizeof(zero[0]), BPF_ANY);
	return err ? err
		   : bpf_map__update_elem(skel->maps.tl_flows, &f.key.local,
					  sizeof(f.key.local), &v, sizeof(v),
					  BPF_ANY);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Median ns per run of @fd on @in over TRIALS trials; prints the row. */
static uint32_t row_fd(const char *name, int fd, const uint8_t *in,
		       size_t len)
{
	uint8_t out[512];
	uint32_t ns[TRIALS], verdict = 0, med, net;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = REPEAT);

	for (int t = 0; t < TRIALS; t++) {
		int err = bpf_prog_test_run_opts(fd, &o);

		if (err) {
			printf("%-40s test_run: %s\n", name, strerror(-err));
			return 0;
		}
		ns[t] = o.duration;
		verdict = o.retval;
	}
	qsort(ns, TRIALS, sizeof(ns[0]), cmp_u32);
	med = ns[TRIALS / 2];
	net = med > floor_ns ? med - floor_ns : 0;
	printf("%-40s %4u ns/pkt min %4u median %4u max %4u net  (verdict %u)\n",
	       name, ns[0], med, ns[TRIALS - 1], net, verdict);
	return med;
}

static void row(const char *name, uint16_t dport, int v6)
{
	uint8_t in[512];
	size_t len = frame(in, dport, v6);

	row_fd(name, bpf_program__fd(skel->progs.tl_xdp_rtp), in, len);
}

/* The harness floor: an XDP program of two instructions. */
static int floor_load(void)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	floor_fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "tl_bench_floor", "GPL",
				 insns, 2, NULL);
	return floor_fd < 0 ? floor_fd : 0;
}

int main(void)
{
	if (geteuid()) {
		puts("bench_xdp: skipped (BPF_PROG_TEST_RUN needs root)");
		return 0;
	}
	skel = tl_xdp__open_and_load();
	if (!skel) {
		printf("bench_xdp: skipped (cannot load tl_xdp: %s)\n",
		       strerror(errno));
		return 0;
	}
	if (flow(30000, 0, 1, HOP_CACHED, NULL) ||
	    flow(30001, 0, 1, HOP_STATIC, NULL) ||
	    flow(30002, 0, 0, HOP_CACHED, NULL) ||
	    flow(30003, 1, 1, HOP_CACHED, NULL) ||
	    flow(30010, 0, 1, HOP_CACHED, "198.18.1.9")) {
		puts("bench_xdp: cannot install the flows");
		tl_xdp__destroy(skel);
		return 1;
	}
	printf("tl_xdp program cost (bpf_prog_test_run, %u x %u runs, "
	       "RTP 172 octets)\n", TRIALS, REPEAT);
	if (!floor_load()) {
		uint8_t in[512];
		size_t len = frame(in, 30000, 0);

		floor_ns = row_fd("harness floor (XDP_PASS, 2 insns)",
				  floor_fd, in, len);
	}
	row("forward v4: cached hop (the daemon's)", 30000, 0);
	row("forward v4: static hop", 30001, 0);
	row("forward v4: cached hop, any source", 30002, 0);
	row("forward v6: cached hop", 30003, 1);
	row("pass: wrong source", 30010, 0);
	row("pass: no flow", 30020, 0);
	if (floor_fd >= 0)
		close(floor_fd);
	tl_xdp__destroy(skel);
	return 0;
}
