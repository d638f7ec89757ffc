// SPDX-License-Identifier: GPL-2.0
/*
 * The offload layer's core: engine choice, the table of installed flows,
 * atomic pair install and removal, handoff between engines, counters.
 *
 * Every flow lives in the relay for as long as it is installed; the fast
 * engine holds a copy when the pair is offloaded. Packets the fast engine
 * passes up reach the relay's socket and are handled there, so moving a
 * pair between engines never loses or duplicates a packet: each packet is
 * seen by exactly one of them.
 */
#include <errno.h>
#include <string.h>

#include "../base/list.h"
#include "../base/mem.h"
#include "../media/flow.h"
#include "ofl.h"

#define LOG_TAG "offload"
#include "../base/log.h"

/* buckets of the flow table by local endpoint (a power of two) */
#define OFL_HASH 1024

struct oflow {
	struct le le;  /* in ofl.flows, install order */
	struct le hle; /* in ofl.by_local */
	struct tl_flow f;
	bool fast;			  /* also in the fast engine */
	struct tl_flow_counters fast_old; /* fast counters of past stints */
};

struct ofl {
	struct ofl_params p;
	const struct ofl_ops *fast; /* NULL: relay only */
	void *fast_st;
	void *relay_st;
	struct list flows; /* of struct oflow */
	struct list by_local[OFL_HASH];
};

static struct list *bucket(struct ofl *o, const struct tl_flow_ep *local)
{
	return &o->by_local[media_flow_ep_hash(local) & (OFL_HASH - 1)];
}

static void flow_unlink(struct oflow *fl)
{
	list_unlink(&fl->le);
	list_unlink(&fl->hle);
}

static void ofl_destroy(void *arg)
{
	struct ofl *o = arg;

	while (o->flows.head) {
		struct oflow *fl = o->flows.head->data;

		flow_unlink(fl);
		mem_deref(fl);
	}
	if (o->fast)
		o->fast->close(o->fast_st);
	ofl_relay_ops.close(o->relay_st);
}

int ofl_new(struct ofl **op, const struct ofl_params *p,
	    const struct ofl_ops *fast)
{
	struct ofl *o;
	int err;

	o = mem_zalloc(sizeof(*o), ofl_destroy);
	if (!o)
		return -ENOMEM;
	o->p = *p;
	list_init(&o->flows);
	err = ofl_relay_ops.init(&o->relay_st, p);
	if (err) {
		mem_deref(o);
		return err;
	}
	if (p->mode != OFL_OFF && fast) {
		err = fast->init(&o->fast_st, p);
		if (!err)
			o->fast = fast;
		else if (p->mode == OFL_XDP)
			LOGE("offload = xdp configured but %s cannot be used "
			     "(%s): media is relayed in userspace",
			     fast->name, strerror(-err));
		else
			LOGN("%s unavailable (%s)", fast->name,
			     strerror(-err));
	}
	LOGN("media engine: %s%s", ofl_engine(o),
	     o->fast ? " (userspace relay for what it passes up)" : "");
	*op = o;
	return 0;
}

const char *ofl_engine(const struct ofl *o)
{
	return o->fast ? o->fast->name : ofl_relay_ops.name;
}

void ofl_set_relay(struct ofl *o, struct media_relay *relay)
{
	o->p.relay = relay;
	ofl_relay_ops.close(o->relay_st);
	o->relay_st = NULL;
	ofl_relay_ops.init(&o->relay_st, &o->p);
}

static struct oflow *flow_find(struct ofl *o, const struct tl_flow_ep *local)
{
	struct le *e, *nx;

	LIST_FOREACH(bucket(o, local), e, nx)
	{
		struct oflow *fl = e->data;

		if (!memcmp(&fl->f.key.local, local, sizeof(*local)))
			return fl;
	}
	return NULL;
}

static void add_counters(struct tl_flow_counters *to,
			 const struct tl_flow_counters *c)
{
	to->packets += c->packets;
	to->bytes += c->bytes;
	if (c->last_ns > to->last_ns)
		to->last_ns = c->last_ns;
	for (int r = 0; r < TL_FLOW_R_MAX; r++) {
		to->punt[r] += c->punt[r];
		to->drop[r] += c->drop[r];
	}
}

/* Take @fl out of the fast engine, keeping what it counted. */
static void fast_del(struct ofl *o, struct oflow *fl)
{
	struct tl_flow_counters c;

	if (!fl->fast)
		return;
	/* counters read after the removal: none forwarded in between lost */
	if (!o->fast->flow_del(o->fast_st, &fl->f.key.local, &c))
		add_counters(&fl->fast_old, &c);
	fl->fast = false;
}

/* Put both flows into the fast engine, or neither. */
static int fast_add(struct ofl *o, struct oflow *a, struct oflow *b)
{
	int err;

	if (!o->fast)
		return -EOPNOTSUPP;
	err = o->fast->flow_add(o->fast_st, &a->f);
	if (err)
		return err;
	err = o->fast->flow_add(o->fast_st, &b->f);
	if (err) {
		o->fast->flow_del(o->fast_st, &a->f.key.local, NULL);
		return err;
	}
	a->fast = b->fast = true;
	/*
	 * Packets that reached the relay's sockets before the fast path
	 * took over are still queued there; the loop would read them only
	 * after this returns, by when the fast path may have forwarded
	 * later ones (a reordering the handoff test caught in generic XDP
	 * mode). Forward them now.
	 */
	ofl_relay_ops.flush(o->relay_st, &a->f.key.local);
	ofl_relay_ops.flush(o->relay_st, &b->f.key.local);
	return 0;
}

int ofl_pair_install(struct ofl *o, const struct tl_flow *ab,
		     const struct tl_flow *ba)
{
	struct oflow *a = NULL, *b = NULL;
	int err;

	if (media_flow_check(ab) || media_flow_check(ba) ||
	    !memcmp(&ab->key.local, &ba->key.local, sizeof(ab->key.local)))
		return -EINVAL;
	if (flow_find(o, &ab->key.local) || flow_find(o, &ba->key.local))
		return -EEXIST;
	a = mem_zalloc(sizeof(*a), NULL);
	b = mem_zalloc(sizeof(*b), NULL);
	if (!a || !b) {
		err = -ENOMEM;
		goto err;
	}
	a->f = *ab;
	b->f = *ba;
	err = ofl_relay_ops.flow_add(o->relay_st, ab);
	if (err)
		goto err;
	err = ofl_relay_ops.flow_add(o->relay_st, ba);
	if (err) {
		ofl_relay_ops.flow_del(o->relay_st, &ab->key.local, NULL);
		goto err;
	}
	list_append(&o->flows, &a->le, a);
	list_append(&o->flows, &b->le, b);
	list_append(bucket(o, &ab->key.local), &a->hle, a);
	list_append(bucket(o, &ba->key.local), &b->hle, b);
	if (o->fast) {
		err = fast_add(o, a, b);
		if (err)
			LOGW("flows %u/%u stay in userspace: %s refused them "
			     "(%s)",
			     ab->id, ba->id, o->fast->name, strerror(-err));
	}
	return 0;
err:
	mem_deref(a);
	mem_deref(b);
	return err;
}

static int flow_remove(struct ofl *o, const struct tl_flow_ep *local)
{
	struct oflow *fl = flow_find(o, local);

	if (!fl)
		return -ENOENT;
	/* the fast engine first: what it stops taking, the relay still has
	 * until the next line, and after that nobody forwards it */
	fast_del(o, fl);
	ofl_relay_ops.flow_del(o->relay_st, local, NULL);
	flow_unlink(fl);
	mem_deref(fl);
	return 0;
}

int ofl_pair_remove(struct ofl *o, const struct tl_flow_ep *a,
		    const struct tl_flow_ep *b)
{
	int ea = flow_remove(o, a), eb = flow_remove(o, b);

	return ea ? ea : eb;
}

int ofl_pair_offload(struct ofl *o, const struct tl_flow_ep *a,
		     const struct tl_flow_ep *b, bool fast)
{
	struct oflow *fa = flow_find(o, a), *fb = flow_find(o, b);

	if (!fa || !fb)
		return -ENOENT;
	if (!fast) {
		fast_del(o, fa);
		fast_del(o, fb);
		return 0;
	}
	if (fa->fast && fb->fast)
		return 0;
	fast_del(o, fa);
	fast_del(o, fb);
	return fast_add(o, fa, fb) ? -EOPNOTSUPP : 0;
}

static void stats_of(struct ofl *o, struct oflow *fl, struct ofl_stats *s)
{
	struct tl_flow_counters c;

	memset(s, 0, sizeof(*s));
	s->engine = fl->fast ? o->fast->name : ofl_relay_ops.name;
	s->fast = fl->fast_old;
	if (fl->fast &&
	    !o->fast->counters(o->fast_st, &fl->f.key.local, &c))
		add_counters(&s->fast, &c);
	ofl_relay_ops.counters(o->relay_st, &fl->f.key.local, &s->slow);
	s->packets = s->fast.packets + s->slow.packets;
	s->bytes = s->fast.bytes + s->slow.bytes;
	s->last_ns = s->fast.last_ns > s->slow.last_ns ? s->fast.last_ns
						       : s->slow.last_ns;
}

int ofl_flow_stats(struct ofl *o, const struct tl_flow_ep *local,
		   struct ofl_stats *s)
{
	struct oflow *fl = flow_find(o, local);

	if (!fl)
		return -ENOENT;
	stats_of(o, fl, s);
	return 0;
}

int ofl_flow_foreach(struct ofl *o, ofl_flow_h *h, void *arg)
{
	struct le *e, *nx;
	struct ofl_stats s;
	int rc;

	LIST_FOREACH(&o->flows, e, nx)
	{
		struct oflow *fl = e->data;

		stats_of(o, fl, &s);
		rc = h(&fl->f, &s, arg);
		if (rc)
			return rc;
	}
	return 0;
}
