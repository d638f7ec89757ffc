// SPDX-License-Identifier: GPL-2.0
/*
 * Where a received request goes: to the server transaction it belongs to
 * (a retransmission, or the ACK of a non-2xx), to the INVITE transaction
 * whose 2xx it acknowledges, or into a new server transaction that the
 * layer answers itself (CANCEL 9.2, merged request 8.2.2.2, Max-Forwards
 * 16.3 / 8.2) or hands to the TU.
 */
#include <errno.h>

#include "../base/mem.h"
#include "tsx_priv.h"

#define LOG_TAG "tsx"
#include "../base/log.h"

static struct sip_strans *find(struct list *b, const struct sip_msg *m,
			       bool as_invite)
{
	struct le *e, *nx;

	LIST_FOREACH(b, e, nx)
		if (sip_tsx_match_req(e->data, m, as_invite))
			return e->data;
	return NULL;
}

static struct sip_strans *find_2xx_ack(struct list *b,
				       const struct sip_msg *m)
{
	struct le *e, *nx;

	LIST_FOREACH(b, e, nx)
		if (sip_tsx_match_2xx_ack(e->data, m))
			return e->data;
	return NULL;
}

static bool merged(struct list *b, const struct sip_msg *m)
{
	struct le *e, *nx;

	LIST_FOREACH(b, e, nx)
		if (sip_tsx_match_merged(e->data, m))
			return true;
	return false;
}

/* A new transaction the layer answers itself with @scode. */
static bool answer(struct sip_tsx_layer *l, const struct sip_msg *m,
		   const struct sip_src *src, uint16_t scode,
		   struct strv to_tag)
{
	struct sip_strans *st;
	int err;

	err = sip_strans_new(&st, l, m, src);
	if (err)
		return false;
	err = sip_strans_auto_reply(st, scode, to_tag);
	if (err)
		LOGW("%.*s: %u not sent: %d", (int)m->call_id.l, m->call_id.p,
		     scode, err);
	return true;
}

/* 9.2: the CANCEL gets its own transaction and 200 (with the To tag the
 * INVITE's answers carry) if it matches an INVITE transaction, else 481;
 * then the INVITE's TU learns of it and answers 487. */
static bool cancel(struct sip_tsx_layer *l, struct list *b,
		   const struct sip_msg *m, const struct sip_src *src)
{
	struct sip_strans *inv = find(b, m, true);
	bool done;

	if (!inv)
		return answer(l, m, src, 481, STRV_NULL);
	mem_ref(inv);
	done = answer(l, m, src, 200, strv_of(sip_strans_totag(inv)));
	sip_strans_cancel(inv, m);
	mem_deref(inv);
	return done;
}

bool sip_tsx_input_req(struct sip_tsx_layer *l, const struct sip_msg *m,
		       const struct sip_src *src)
{
	struct list *b = sip_tsx_bucket(&l->stab, m->call_id);
	bool ack = m->meth == SIP_METHOD_ACK;
	struct sip_strans *st;

	st = find(b, m, ack);
	if (!st && ack)
		st = find_2xx_ack(b, m);
	if (st) {
		mem_ref(st);
		if (ack)
			sip_strans_ack(st, m);
		else
			sip_strans_retrans(st);
		mem_deref(st);
		return true;
	}
	if (ack)
		return false;	/* for the dialog layer, or stray */
	if (m->meth == SIP_METHOD_CANCEL)
		return cancel(l, b, m, src);
	if (merged(b, m))
		return answer(l, m, src, 482, STRV_NULL);
	/* A UAS is the request's last hop, but a request that arrives with
	 * no hops left is looping somewhere: 483 (16.3 step 2). OPTIONS with
	 * Max-Forwards 0 is the one a UA answers itself (11). */
	if (m->max_fwd == 0 && m->meth != SIP_METHOD_OPTIONS)
		return answer(l, m, src, 483, STRV_NULL);
	if (!l->p.reqh)
		return false;
	if (sip_strans_new(&st, l, m, src))
		return false;
	mem_ref(st);
	l->p.reqh(st, m, src, l->p.arg);
	mem_deref(st);
	return true;
}
