// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP engine: loads ebpf/tl_xdp.bpf.c through its libbpf skeleton,
 * attaches it to the configured interfaces (native mode; generic SKB mode
 * only when configured) and keeps its maps in step with the offload core.
 *
 * Per flow, the engine computes once what the program would otherwise do
 * per packet (ebpf/tl_xdp.h): checksum deltas, a counter slot, and the
 * next hop, resolved with the kernel's own bpf_fib_lookup() run through
 * BPF_PROG_TEST_RUN of tl_xdp_resolve in this network namespace, at the
 * first counters() read after install (not in flow_add(): see there).
 * The program trusts a cached hop for its TTL, then checks it against
 * the FIB and renews it if unchanged; a changed or vanished neighbour
 * makes it ask the FIB per packet (and pass up what has no neighbour)
 * until counters() finds the hop stale and resolves it again.
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
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "../../base/mem.h"
#include "../ofl.h"
#include "ofl_xdp.h"
#include "tl_xdp.skel.h"

#define LOG_TAG "offload"
#include "../../base/log.h"

#define XDP_IFACES_MAX 16
#define SLOT_WORDS (TL_XDP_FLOWS_MAX / 64)

struct xdp_eng {
	struct tl_xdp *skel;
	int ifindex[XDP_IFACES_MAX];
	size_t nif;
	__u32 attach_flags;
	int ncpu;
	struct tl_xdp_counters *pcpu; /* one per possible CPU */
	uint64_t slot_used[SLOT_WORDS];
	uint32_t slot_next;	      /* where the next search starts */
	bool pinned;
};

/*
 * Pins an older daemon may have left that this one does not reuse:
 * tl_stats is gone; tl_ports is never pinned now, because the kernel
 * adds BPF_F_RDONLY_PROG to a devmap's flags and libbpf 1.1 then refuses
 * to reuse it ("parameter mismatch"), which failed the whole load.
 */
static const char *const legacy_pins[] = { "tl_stats", "tl_ports", NULL };

/* Delete every entry of map @fd (keys of @ksize); how many there were. */
static int fd_flush(int fd, __u32 ksize)
{
	unsigned char key[64];
	int n = 0;

	if (ksize > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, NULL, key)) {
		if (bpf_map_delete_elem(fd, key))
			break;
		n++;
	}
	return n;
}

static int map_flush(struct bpf_map *m)
{
	return fd_flush(bpf_map__fd(m), bpf_map__key_size(m));
}

static uint64_t now_coarse_ns(void)
{
	struct timespec ts;

	/* the program's bpf_ktime_get_coarse_ns() clock */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A free counter slot, zeroed. Next fit: a freed slot is reused only
 * after every other one, so a packet still in flight on a removed flow
 * (the program may hold its old value for an RCU grace period) cannot
 * count into the flow that gets the slot next. -ENOSPC when full.
 */
static int slot_alloc(struct xdp_eng *x, uint32_t *slot)
{
	uint32_t s;
	int err;

	for (uint32_t i = 0; i < TL_XDP_FLOWS_MAX; i++) {
		s = (x->slot_next + i) % TL_XDP_FLOWS_MAX;
		if (x->slot_used[s / 64] >> (s % 64) & 1)
			continue;
		memset(x->pcpu, 0, (size_t)x->ncpu * sizeof(*x->pcpu));
		err = bpf_map__update_elem(x->skel->maps.tl_counters, &s,
					   sizeof(s), x->pcpu,
					   (size_t)x->ncpu * sizeof(*x->pcpu),
					   BPF_ANY);
		if (err)
			return err;
		x->slot_used[s / 64] |= 1ull << (s % 64);
		x->slot_next = s + 1;
		*slot = s;
		return 0;
	}
	return -ENOSPC;
}

static void slot_free(struct xdp_eng *x, uint32_t s)
{
	if (s < TL_XDP_FLOWS_MAX)
		x->slot_used[s / 64] &= ~(1ull << (s % 64));
}

/*
 * One route query through tl_xdp_resolve: @q in, the answer in @q.
 * A BPF_FIB_LKUP_RET_* value, or a negative errno.
 */
static int fib_query(struct xdp_eng *x, struct bpf_fib_lookup *q,
		     __u32 flags)
{
	struct tl_xdp_resolve *rq = &x->skel->bss->tl_rq;
	unsigned char frame[64] = { 0 }; /* test_run wants a frame */
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = sizeof(frame), .repeat = 1);
	int err;

	rq->fib = *q;
	rq->flags = flags;
	rq->rc = -EIO;
	err = bpf_prog_test_run_opts(
		bpf_program__fd(x->skel->progs.tl_xdp_resolve), &o);
	if (err)
		return err;
	*q = rq->fib;
	return rq->rc;
}

/* A query from @from to @to arriving on @iif, as the program makes it. */
static void fib_q(struct bpf_fib_lookup *q, const struct tl_flow_ep *from,
		  const struct tl_flow_ep *to, int iif)
{
	memset(q, 0, sizeof(*q));
	q->l4_protocol = 17; /* UDP */
	q->sport = from->port;
	q->dport = to->port;
	q->ifindex = (__u32)iif;
	if (to->family == TL_FLOW_FAM_IPV6) {
		q->family = AF_INET6;
		q->tot_len = 40 + 8 + TL_RTP_HDR;
		memcpy(q->ipv6_src, from->addr, 16);
		memcpy(q->ipv6_dst, to->addr, 16);
	} else {
		q->family = AF_INET;
		q->tot_len = 20 + 8 + TL_RTP_HDR;
		memcpy(&q->ipv4_src, from->addr, 4);
		memcpy(&q->ipv4_dst, to->addr, 4);
	}
}

/* Whether the program is attached to @ifindex (so it is in tl_ports). */
static bool attached(const struct xdp_eng *x, int ifindex)
{
	for (size_t i = 0; i < x->nif; i++)
		if (x->ifindex[i] == ifindex)
			return true;
	return false;
}

/* The attached interface packets from key.src arrive on, or 0. */
static int ingress_of(struct xdp_eng *x, const struct tl_flow *f)
{
	struct bpf_fib_lookup q;

	if (f->key.src.family == TL_FLOW_FAM_NONE)
		return 0;
	for (size_t i = 0; i < x->nif; i++) {
		fib_q(&q, &f->key.local, &f->key.src, x->ifindex[i]);
		/* a route back to the source out of the same interface */
		if (fib_query(x, &q, BPF_FIB_LOOKUP_SKIP_NEIGH) ==
			    BPF_FIB_LKUP_RET_SUCCESS &&
		    (int)q.ifindex == x->ifindex[i])
			return x->ifindex[i];
	}
	return 0;
}

/*
 * Resolve @v's next hop as the program would for a packet arriving on
 * the interface that faces the flow's source (any attached interface
 * for a flow without one) and cache it in @v. No answer (no route or no
 * neighbour yet), or an egress the program is not attached to, leaves @v
 * without a hop: the program then asks the FIB per packet, as it would
 * without the cache.
 */
static void hop_resolve(struct xdp_eng *x, struct tl_xdp_flow *v)
{
	const struct tl_flow_action *a = &v->f.action;
	struct bpf_fib_lookup q;
	int iif = ingress_of(x, &v->f);

	v->xflags &= ~TL_XDP_F_HOP;
	if (a->egress_ifindex)
		return; /* a static hop from the caller */
	for (size_t i = 0; i < x->nif; i++) {
		if (iif && x->ifindex[i] != iif)
			continue;
		fib_q(&q, &a->new_src, &a->new_dst, x->ifindex[i]);
		if (fib_query(x, &q, x->skel->rodata->tl_cfg_fib_flags) !=
		    BPF_FIB_LKUP_RET_SUCCESS ||
		    !attached(x, (int)q.ifindex))
			continue;
		v->hop_iif = (__u32)x->ifindex[i];
		v->hop_ifindex = q.ifindex;
		memcpy(v->hop_mac, q.dmac, 6);
		memcpy(v->hop_mac + 6, q.smac, 6);
		v->hop_until_ns = now_coarse_ns() +
				  x->skel->rodata->tl_cfg_hop_ttl_ns;
		v->xflags |= TL_XDP_F_HOP;
		return;
	}
}

static int pin_maps(struct xdp_eng *x, const char *dir)
{
	struct bpf_map *m;
	char path[256];

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	bpf_object__for_each_map(m, x->skel->obj)
	{
		/* .rodata and friends are the program's, not shared state;
		 * tl_ports is refilled from the configuration */
		if (bpf_map__is_internal(m) || m == x->skel->maps.tl_ports)
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

/*
 * Unpin whatever an older daemon pinned under @dir that this program
 * cannot reuse: maps it no longer has, and (@all) its own map names,
 * whose layout changed when libbpf refuses to reuse them.
 */
static void unpin_stale(struct xdp_eng *x, const char *dir, bool all)
{
	struct bpf_map *m;
	char path[256];

	struct bpf_map_info info;
	__u32 ilen = sizeof(info);
	int fd;

	for (size_t i = 0; legacy_pins[i]; i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     legacy_pins[i]) < (int)sizeof(path))
			unlink(path);
	if (!all)
		return;
	/* empty the old flows first: its program forwards them until ours
	 * replaces it on every interface */
	m = x->skel->maps.tl_flows;
	fd = bpf_map__pin_path(m) ? bpf_obj_get(bpf_map__pin_path(m)) : -1;
	if (fd >= 0) {
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &ilen))
			LOGW("XDP: flushed %d stale flows left in %s",
			     fd_flush(fd, info.key_size), dir);
		close(fd);
	}
	bpf_object__for_each_map(m, x->skel->obj)
		if (!bpf_map__is_internal(m) && bpf_map__pin_path(m))
			unlink(bpf_map__pin_path(m));
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
			if (bpf_map__pin_path(m))
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
	err = bpf_xdp_attach(ifindex,
			     bpf_program__fd(x->skel->progs.tl_xdp_rtp),
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

/* Open and load the program, reusing the maps pinned under @pin_dir. */
static int load(struct xdp_eng *x, const char *pin_dir)
{
	int err;

	x->skel = tl_xdp__open();
	if (!x->skel)
		return -errno;
	x->skel->rodata->tl_cfg_vlan = 1;
	if (!pin_dir || !*pin_dir)
		return tl_xdp__load(x->skel);
	err = pin_maps(x, pin_dir);
	if (err) {
		LOGE("XDP: cannot pin maps in %s: %s", pin_dir,
		     strerror(-err));
		return err;
	}
	unpin_stale(x, pin_dir, false);
	err = tl_xdp__load(x->skel);
	if (!err)
		return 0;
	/* pinned by a daemon whose maps had another layout: those maps die
	 * with its program, which ours replaces below */
	LOGW("XDP: maps pinned in %s do not fit this program (%s): "
	     "replacing them", pin_dir, strerror(-err));
	unpin_stale(x, pin_dir, true);
	tl_xdp__destroy(x->skel);
	x->skel = tl_xdp__open();
	if (!x->skel)
		return -errno;
	x->skel->rodata->tl_cfg_vlan = 1;
	err = pin_maps(x, pin_dir);
	return err ? err : tl_xdp__load(x->skel);
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
	if (!x->pcpu) {
		err = -ENOMEM;
		goto err;
	}
	err = load(x, p->pin_dir);
	if (err) {
		LOGE("XDP: cannot load the program: %s", strerror(-err));
		goto err;
	}
	/*
	 * Whatever a crashed predecessor left is no call of ours. Emptying
	 * tl_flows stops its still-attached program at once; counter slots
	 * are zeroed when handed out, so tl_counters needs no flush.
	 */
	n = map_flush(x->skel->maps.tl_flows);
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
	struct tl_xdp_flow v, old;
	bool fresh = false;
	uint32_t slot;
	int err;

	/* a replaced flow keeps its slot, hence its counts */
	if (!bpf_map__lookup_elem(x->skel->maps.tl_flows, &f->key.local,
				  sizeof(f->key.local), &old, sizeof(old), 0)) {
		slot = old.slot;
	} else {
		err = slot_alloc(x, &slot);
		if (err)
			return err;
		fresh = true;
	}
	/*
	 * No hop resolution here: the loop thread also runs the relay, and
	 * while it resolves, packets queue in the relay's socket that the
	 * program, already forwarding, would overtake (a reordering the
	 * handoff test sees). The flow starts on the FIB and gets its cached
	 * hop at the next counters() read.
	 */
	err = ofl_xdp_flow_value(&v, f, slot);
	if (err)
		goto out;
	err = bpf_map__update_elem(x->skel->maps.tl_flows, &f->key.local,
				   sizeof(f->key.local), &v, sizeof(v),
				   BPF_ANY);
out:
	if (err && fresh)
		slot_free(x, slot);
	return err;
}

/*
 * Delete first, then read the slot: a packet the program forwarded up to
 * the delete is in the counters read here, which closes the window in
 * which read-then-delete lost the packets of a busy flow (a program that
 * found the flow just before the delete may still count one packet into
 * the slot; that slot is not reused before every other free one).
 */
static int xdp_flow_del(void *st, const struct tl_flow_ep *local,
			struct tl_flow_counters *final)
{
	struct xdp_eng *x = st;
	struct tl_xdp_flow v;
	int err;

	err = bpf_map__lookup_elem(x->skel->maps.tl_flows, local,
				   sizeof(*local), &v, sizeof(v), 0);
	if (err)
		return err;
	err = bpf_map__delete_elem(x->skel->maps.tl_flows, local,
				   sizeof(*local), 0);
	if (err)
		return err;
	if (final) {
		if (bpf_map__lookup_elem(x->skel->maps.tl_counters, &v.slot,
					 sizeof(v.slot), x->pcpu,
					 (size_t)x->ncpu * sizeof(*x->pcpu), 0))
			memset(final, 0, sizeof(*final));
		else
			ofl_xdp_counters_sum(final, x->pcpu, x->ncpu);
	}
	slot_free(x, v.slot);
	return 0;
}

/*
 * Give @v a cached hop if it has none yet (a new flow), or resolve it
 * again if it is past its TTL and the program did not renew it (the FIB
 * answers otherwise now, or not at all), so that the flow leaves the
 * per-packet FIB path. The map update is atomic for the program, which
 * sees either value whole.
 */
static void hop_refresh(struct xdp_eng *x, const struct tl_xdp_flow *v)
{
	struct tl_xdp_flow nv = *v;

	if (v->f.action.egress_ifindex ||
	    ((v->xflags & TL_XDP_F_HOP) && v->hop_until_ns > now_coarse_ns()))
		return;
	hop_resolve(x, &nv);
	if (memcmp(&nv, v, sizeof(nv)))
		bpf_map__update_elem(x->skel->maps.tl_flows, &v->f.key.local,
				     sizeof(v->f.key.local), &nv, sizeof(nv),
				     BPF_EXIST);
}

static int xdp_counters(void *st, const struct tl_flow_ep *local,
			struct tl_flow_counters *c)
{
	struct xdp_eng *x = st;
	struct tl_xdp_flow v;
	int err;

	err = bpf_map__lookup_elem(x->skel->maps.tl_flows, local,
				   sizeof(*local), &v, sizeof(v), 0);
	if (err)
		return err;
	err = bpf_map__lookup_elem(x->skel->maps.tl_counters, &v.slot,
				   sizeof(v.slot), x->pcpu,
				   (size_t)x->ncpu * sizeof(*x->pcpu), 0);
	if (err)
		return err;
	ofl_xdp_counters_sum(c, x->pcpu, x->ncpu);
	hop_refresh(x, &v);
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
