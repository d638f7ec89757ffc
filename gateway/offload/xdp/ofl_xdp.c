// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP engine: loads ebpf/tl_xdp.bpf.c through its libbpf skeleton,
 * attaches it to the configured interfaces (native mode; generic SKB mode
 * only when configured) and keeps its maps in step with the offload core.
 *
 * Maps are pinned under the configured bpffs folder so that a daemon that
 * crashed leaves them where its successor finds them: an XDP program
 * stays attached after its loader dies and would go on forwarding stale
 * calls. The successor reuses the pinned maps, empties them before its
 * program replaces the old one, and a clean stop detaches and unpins.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "../../base/mem.h"
#include "../ofl.h"
#include "tl_xdp.skel.h"

#define LOG_TAG "offload"
#include "../../base/log.h"

#define XDP_IFACES_MAX 16

struct xdp_eng {
	struct tl_xdp *skel;
	int ifindex[XDP_IFACES_MAX];
	size_t nif;
	__u32 attach_flags;
	int ncpu;
	struct tl_flow_counters *pcpu; /* one per possible CPU */
	bool pinned;
};

/* Delete every entry of @m; returns how many there were. */
static int map_flush(struct bpf_map *m)
{
	unsigned char key[64], next[64];
	int n = 0, fd = bpf_map__fd(m);

	if (bpf_map__key_size(m) > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, NULL, next)) {
		memcpy(key, next, bpf_map__key_size(m));
		if (bpf_map_delete_elem(fd, key))
			break;
		n++;
	}
	return n;
}

static int pin_maps(struct xdp_eng *x, const char *dir)
{
	struct bpf_map *m;
	char path[256];

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	bpf_object__for_each_map(m, x->skel->obj)
	{
		/* .rodata and friends are the program's, not shared state */
		if (bpf_map__is_internal(m))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     bpf_map__name(m)) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		if (bpf_map__set_pin_path(m, path))
			return -EINVAL;
	}
	x->pinned = true;
	return 0;
}

/* Forwarding must be on for bpf_fib_lookup's forward lookup. */
static void check_forwarding(const char *ifname)
{
	static const char *const fmt[] = {
		"/proc/sys/net/ipv4/conf/%s/forwarding",
		"/proc/sys/net/ipv6/conf/%s/forwarding",
	};
	char path[128], v = '0';
	FILE *f;

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), fmt[i], ifname);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fread(&v, 1, 1, f) != 1)
			v = '0';
		fclose(f);
		if (v == '0')
			LOGW("%s: IPv%c forwarding is off: XDP finds no next "
			     "hop and passes that media up to the relay",
			     ifname, i ? '6' : '4');
	}
}

static void xdp_close(void *st)
{
	struct xdp_eng *x = st;
	struct bpf_map *m;

	if (!x)
		return;
	for (size_t i = 0; i < x->nif; i++)
		bpf_xdp_detach(x->ifindex[i], x->attach_flags, NULL);
	if (x->skel && x->pinned)
		bpf_object__for_each_map(m, x->skel->obj)
			if (!bpf_map__is_internal(m))
				bpf_map__unpin(m, NULL);
	tl_xdp__destroy(x->skel);
	free(x->pcpu);
	free(x);
}

static int attach(struct xdp_eng *x, const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname), err;
	__u32 key;

	if (!ifindex) {
		LOGE("XDP: no interface %s", ifname);
		return -ENODEV;
	}
	if (x->nif == XDP_IFACES_MAX)
		return -E2BIG;
	err = bpf_xdp_attach(ifindex, bpf_program__fd(x->skel->progs.tl_xdp_rtp),
			     x->attach_flags, NULL);
	if (err) {
		LOGE("XDP: cannot attach to %s in %s mode: %s", ifname,
		     x->attach_flags & XDP_FLAGS_SKB_MODE ? "generic"
							  : "native",
		     strerror(-err));
		return err;
	}
	x->ifindex[x->nif++] = ifindex;
	key = (__u32)ifindex;
	err = bpf_map__update_elem(x->skel->maps.tl_ports, &key, sizeof(key),
				   &key, sizeof(key), BPF_ANY);
	if (err)
		return err;
	check_forwarding(ifname);
	return 0;
}

static int xdp_init(void **statep, const struct ofl_params *p)
{
	struct xdp_eng *x;
	int err, n;

	if (!p->nifaces) {
		/* "auto" without interfaces is a plain relay setup, not an
		 * error; "xdp" without them is reported by the caller */
		if (p->mode == OFL_XDP)
			LOGE("XDP: no interfaces configured ([offload] "
			     "interfaces)");
		return -ENODEV;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->attach_flags = p->xdp_generic ? XDP_FLAGS_SKB_MODE
					 : XDP_FLAGS_DRV_MODE;
	x->ncpu = libbpf_num_possible_cpus();
	if (x->ncpu <= 0) {
		err = x->ncpu ? x->ncpu : -EINVAL;
		goto err;
	}
	x->pcpu = calloc((size_t)x->ncpu, sizeof(*x->pcpu));
	x->skel = tl_xdp__open();
	if (!x->pcpu || !x->skel) {
		err = x->pcpu ? -errno : -ENOMEM;
		goto err;
	}
	x->skel->rodata->tl_cfg_vlan = 1;
	if (p->pin_dir && *p->pin_dir) {
		err = pin_maps(x, p->pin_dir);
		if (err) {
			LOGE("XDP: cannot pin maps in %s: %s", p->pin_dir,
			     strerror(-err));
			goto err;
		}
	}
	err = tl_xdp__load(x->skel);
	if (err) {
		LOGE("XDP: cannot load the program: %s", strerror(-err));
		goto err;
	}
	/* whatever a crashed predecessor left is no call of ours */
	n = map_flush(x->skel->maps.tl_flows);
	map_flush(x->skel->maps.tl_stats);
	map_flush(x->skel->maps.tl_ports);
	if (n > 0)
		LOGW("XDP: flushed %d stale flows left in %s", n, p->pin_dir);
	for (size_t i = 0; i < p->nifaces; i++) {
		err = attach(x, p->ifaces[i]);
		if (err)
			goto err;
	}
	LOGN("XDP attached to %zu interfaces (%s mode)", x->nif,
	     p->xdp_generic ? "generic" : "native");
	*statep = x;
	return 0;
err:
	xdp_close(x);
	return err;
}

static int xdp_flow_add(void *st, const struct tl_flow *f)
{
	struct xdp_eng *x = st;
	int err;

	if (f->action.flags & (TL_FLOW_F_SRTP_IN | TL_FLOW_F_SRTP_OUT))
		return -EOPNOTSUPP;
	/* counters first, so the program counts from the first packet;
	 * an existing entry (a replaced flow) keeps its counts */
	memset(x->pcpu, 0, (size_t)x->ncpu * sizeof(*x->pcpu));
	err = bpf_map__update_elem(x->skel->maps.tl_stats, &f->key.local,
				   sizeof(f->key.local), x->pcpu,
				   (size_t)x->ncpu * sizeof(*x->pcpu),
				   BPF_NOEXIST);
	if (err && err != -EEXIST)
		return err;
	err = bpf_map__update_elem(x->skel->maps.tl_flows, &f->key.local,
				   sizeof(f->key.local), f, sizeof(*f),
				   BPF_ANY);
	if (err)
		bpf_map__delete_elem(x->skel->maps.tl_stats, &f->key.local,
				     sizeof(f->key.local), 0);
	return err;
}

static int xdp_flow_del(void *st, const struct tl_flow_ep *local)
{
	struct xdp_eng *x = st;
	int err;

	err = bpf_map__delete_elem(x->skel->maps.tl_flows, local,
				   sizeof(*local), 0);
	bpf_map__delete_elem(x->skel->maps.tl_stats, local, sizeof(*local),
			     0);
	return err;
}

static int xdp_counters(void *st, const struct tl_flow_ep *local,
			struct tl_flow_counters *c)
{
	struct xdp_eng *x = st;
	int err;

	err = bpf_map__lookup_elem(x->skel->maps.tl_stats, local,
				   sizeof(*local), x->pcpu,
				   (size_t)x->ncpu * sizeof(*x->pcpu), 0);
	if (err)
		return err;
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < x->ncpu; i++) {
		const struct tl_flow_counters *p = &x->pcpu[i];

		c->packets += p->packets;
		c->bytes += p->bytes;
		if (p->last_ns > c->last_ns)
			c->last_ns = p->last_ns;
		for (int r = 0; r < TL_FLOW_R_MAX; r++) {
			c->punt[r] += p->punt[r];
			c->drop[r] += p->drop[r];
		}
	}
	return 0;
}

const struct ofl_ops ofl_xdp_ops = {
	.name = "xdp",
	.init = xdp_init,
	.flow_add = xdp_flow_add,
	.flow_del = xdp_flow_del,
	.counters = xdp_counters,
	.close = xdp_close,
};
