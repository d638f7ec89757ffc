// SPDX-License-Identifier: GPL-2.0
/* The transaction layer object: timers defaults, the two transaction
 * tables, tag and branch generation, and the entry point for messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../base/hash.h"
#include "../base/mem.h"
#include "tsx_priv.h"

#define LOG_TAG "tsx"
#include "../base/log.h"

static void layer_destroy(void *arg)
{
	struct sip_tsx_layer *l = arg;
	struct le *e, *nx;

	/* killing unlinks, so walk with a saved next */
	for (uint32_t i = 0; i < l->ctab.nb; i++)
		LIST_FOREACH(&l->ctab.b[i], e, nx)
			sip_ctrans_kill(e->data);
	for (uint32_t i = 0; i < l->stab.nb; i++)
		LIST_FOREACH(&l->stab.b[i], e, nx)
			sip_strans_kill(e->data);
	free(l->ctab.b);
	free(l->stab.b);
}

static struct strv ct_key(const void *data)
{
	return ((const struct sip_ctrans *)data)->req->call_id;
}

static struct strv st_key(const void *data)
{
	return ((const struct sip_strans *)data)->req->call_id;
}

static int tab_init(struct sip_tsx_tab *t, struct strv (*key)(const void *))
{
	t->b = malloc(SIP_TSX_BUCKETS_MIN * sizeof(*t->b));
	if (!t->b)
		return -ENOMEM;
	t->nb = SIP_TSX_BUCKETS_MIN;
	t->n = 0;
	t->key = key;
	for (uint32_t i = 0; i < t->nb; i++)
		list_init(&t->b[i]);
	return 0;
}

struct list *sip_tsx_bucket(const struct sip_tsx_tab *t, struct strv call_id)
{
	/* Call-IDs compare byte for byte (20.8), so hash bytes */
	return &t->b[hash_fnv1a(call_id.p, call_id.l) & (t->nb - 1)];
}

/* Twice the buckets; every transaction moves to its new bucket. */
static void tab_grow(struct sip_tsx_tab *t)
{
	struct sip_tsx_tab nt = *t;

	if (t->nb > UINT32_MAX / 4)
		return;
	nt.nb = t->nb * 2;
	nt.b = malloc(nt.nb * sizeof(*nt.b));
	if (!nt.b) {
		LOGW("transaction table: no memory to grow past %u buckets",
		     t->nb);
		return;
	}
	for (uint32_t i = 0; i < nt.nb; i++)
		list_init(&nt.b[i]);
	for (uint32_t i = 0; i < t->nb; i++)
		while (t->b[i].head) {
			struct le *e = t->b[i].head;

			list_unlink(e);
			list_append(sip_tsx_bucket(&nt, t->key(e->data)), e,
				    e->data);
		}
	free(t->b);
	*t = nt;
}

void sip_tsx_tab_add(struct sip_tsx_tab *t, struct le *e, void *data,
		     struct strv call_id)
{
	if (t->n >= 2 * (size_t)t->nb)
		tab_grow(t);
	list_append(sip_tsx_bucket(t, call_id), e, data);
	t->n++;
}

void sip_tsx_tab_del(struct sip_tsx_tab *t, struct le *e)
{
	list_unlink(e);
	t->n--;
}

static uint64_t rnd_seed(void)
{
	uint64_t s = 0;

	/* getrandom() of 8 bytes does not block once the pool is ready; if
	 * it fails, the clock still makes tags differ between runs */
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
		s = loop_now_ms() ^ 0x9e3779b97f4a7c15ull;
	return s;
}

int sip_tsx_set_timers(struct sip_tsx_layer *l, uint32_t t1, uint32_t t2,
		       uint32_t t4)
{
	t1 = t1 ? t1 : 500;
	t2 = t2 ? t2 : 4000;
	t4 = t4 ? t4 : 5000;
	if (t1 > t2)
		return -EINVAL;
	l->p.t1 = t1;
	l->p.t2 = t2;
	l->p.t4 = t4;
	return 0;
}

int sip_tsx_layer_new(struct sip_tsx_layer **lp, struct loop *loop,
		      const struct sip_tsx_params *p)
{
	struct sip_tsx_layer *l;

	if (!lp || !loop || !p || !p->send || !p->send_resp)
		return -EINVAL;
	l = mem_zalloc(sizeof(*l), layer_destroy);
	if (!l)
		return -ENOMEM;
	l->loop = loop;
	l->p = *p;
	if (!l->p.td)
		l->p.td = 32000;
	if (sip_tsx_set_timers(l, p->t1, p->t2, p->t4)) {
		mem_deref(l);
		return -EINVAL;
	}
	l->rnd = rnd_seed();
	if (tab_init(&l->ctab, ct_key) || tab_init(&l->stab, st_key)) {
		mem_deref(l);
		return -ENOMEM;
	}
	*lp = l;
	return 0;
}

size_t sip_tsx_count(const struct sip_tsx_layer *l)
{
	return l->ctab.n + l->stab.n;
}

/* splitmix64: tags and branches need uniqueness, not secrecy (the nonces
 * of digest auth use their own source) */
static uint64_t rnd_next(struct sip_tsx_layer *l)
{
	uint64_t z = (l->rnd += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

char *sip_tsx_branch(struct sip_tsx_layer *l, char *buf, size_t n)
{
	snprintf(buf, n, "z9hG4bK%016llx", (unsigned long long)rnd_next(l));
	return buf;
}

char *sip_tsx_tag(struct sip_tsx_layer *l, char *buf, size_t n)
{
	snprintf(buf, n, "%016llx", (unsigned long long)rnd_next(l));
	return buf;
}

void sip_tsx_tmr_at(struct sip_tsx_layer *l, struct tmr *t, uint64_t due,
		    tmr_h *h, void *arg)
{
	uint64_t now = loop_now_ms();

	/* tmr_start only fails on ENOMEM growing the heap; a transaction
	 * that lost its timer would live forever, so log it loudly */
	if (tmr_start(l->loop, t, due > now ? due - now : 0, h, arg))
		LOGE("timer start failed: out of memory");
}

bool sip_tsx_is_reliable(enum sip_tp tp)
{
	return tp != SIP_TP_UDP;
}

bool sip_tsx_input(struct sip_tsx_layer *l, const struct sip_msg *msg,
		   const struct sip_src *src)
{
	/* a message from sip_msg_parse() has these; refuse anything else
	 * rather than match on empty keys */
	if (!msg || !msg->nvia || !msg->call_id.l || !msg->cseq.method.l)
		return false;
	if (!msg->req)
		return sip_ctrans_input(l, msg);
	if (!src)
		return false;
	return sip_tsx_input_req(l, msg, src);
}
