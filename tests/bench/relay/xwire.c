// SPDX-License-Identifier: GPL-2.0
/*
 * xwire - attach ebpf/tl_xdp_wire.bpf.c to IN (native XDP) so that every
 * frame arriving there leaves through OUT as an XDP frame:
 *
 *   xwire IN OUT
 *
 * The attachment outlives this process (it goes with IN's namespace).
 * The relay benchmark's frame delivery (RB_WIRE=1) puts it between the
 * sender and the relay. Exit 0, 2 usage, 3 system error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "tl_xdp_wire.skel.h"

int main(int argc, char **argv)
{
	struct tl_xdp_wire *skel;
	unsigned in, out;
	__u32 key = 0;
	int err;

	if (argc != 3)
		goto usage;
	in = if_nametoindex(argv[1]);
	out = if_nametoindex(argv[2]);
	if (!in || !out) {
		fprintf(stderr, "xwire: no interface %s\n",
			in ? argv[2] : argv[1]);
		return 3;
	}
	skel = tl_xdp_wire__open_and_load();
	if (!skel) {
		fprintf(stderr, "xwire: cannot load: %s\n", strerror(errno));
		return 3;
	}
	err = bpf_map_update_elem(bpf_map__fd(skel->maps.tl_wire_out), &key,
				  &out, BPF_ANY);
	if (!err)
		err = bpf_xdp_attach((int)in,
				     bpf_program__fd(skel->progs.tl_xdp_wire),
				     XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		fprintf(stderr, "xwire: %s -> %s: %s\n", argv[1], argv[2],
			strerror(err < 0 ? -err : errno));
	tl_xdp_wire__destroy(skel);
	return err ? 3 : 0;
usage:
	fprintf(stderr, "usage: xwire IN OUT\n");
	return 2;
}
