// SPDX-License-Identifier: GPL-2.0
/*
 * Server transactions (RFC 3261 17.2): INVITE (Proceeding, Completed,
 * Confirmed, and RFC 6026 Accepted) and non-INVITE (Trying, Proceeding,
 * Completed).
 *
 * 100 Trying: sent SIP_TSX_TRYING_MS (200 ms) after an INVITE arrived if the
 * TU has not answered by then, as 17.2.1 suggests, not at once. A gateway
 * TU often answers quickly on its own (a 183 with early media, a 486 from
 * a busy route, a 401 challenge) and the timer saves a datagram each time;
 * a retransmitted INVITE before the 200 ms sends it at once, since the peer
 * is evidently waiting.
 *
 * The 2xx to an INVITE is retransmitted here, not by the TU: in Accepted the
 * transaction re-sends it with T1 doubling to T2 (13.3.1.4) on every
 * transport (the ACK is end to end, and a reliable first hop says nothing
 * of the hops behind it) until the layer matches the ACK to it, and
 * reports SIP_STRANS_NOACK if 64*T1 pass without one.
 */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "tsx_priv.h"

#define LOG_TAG "strans"
#include "../base/log.h"

static void st_destroy(void *arg)
{
	struct sip_strans *st = arg;

	tmr_cancel(&st->tr);
	tmr_cancel(&st->tt);
	buf_free(&st->resp);
	mem_deref(st->totag);
	mem_deref(st->req);
	mem_deref(st->src.conn);
}

void sip_strans_kill(struct sip_strans *st)
{
	struct sip_tsx_layer *l = st->l;

	if (!l)
		return;
	sip_tsx_tab_del(&l->stab, &st->le);
	st->l = NULL;
	st->state = SIP_ST_TERMINATED;
	st->h = NULL;
	tmr_cancel(&st->tr);
	tmr_cancel(&st->tt);
	mem_deref(st); /* the layer's reference */
}

static void st_event(struct sip_strans *st, enum sip_strans_ev ev,
		     const struct sip_msg *msg)
{
	if (!st->h)
		return;
	mem_ref(st);
	st->h(st, ev, msg, st->arg);
	mem_deref(st);
}

static int st_send(struct sip_strans *st)
{
	const struct sip_tsx_params *p = &st->l->p;

	return p->send_resp(p->arg, st->req, &st->src, st->resp.data,
			    st->resp.len);
}

static void st_log_err(const struct sip_strans *st, const char *what,
		       int err)
{
	LOGW("%.*s: %s: %s", (int)st->req->call_id.l, st->req->call_id.p,
	     what, strerror(-err));
}

static void st_rtx(void *arg);
static void st_timeout(void *arg);

static void st_timeout_in(struct sip_strans *st, uint64_t ms)
{
	sip_tsx_tmr_at(st->l, &st->tt, loop_now_ms() + ms, st_timeout, st);
}

static void st_rtx_start(struct sip_strans *st)
{
	st->rtx_ival = st->l->p.t1;
	st->rtx_due = loop_now_ms() + st->rtx_ival;
	sip_tsx_tmr_at(st->l, &st->tr, st->rtx_due, st_rtx, st);
}

/* 100 Trying (Proceeding), Timer G (Completed), 2xx (Accepted) */
static void st_rtx(void *arg)
{
	struct sip_strans *st = arg;
	const struct sip_tsx_params *p = &st->l->p;
	int err;

	if (st->state == SIP_ST_PROCEEDING) {
		err = sip_strans_auto_reply(st, 100, STRV_NULL);
		if (err)
			st_log_err(st, "100 Trying not sent", err);
		return;
	}
	err = st_send(st);
	if (err) {
		/* 17.2.4: inform the TU, terminate */
		st_log_err(st, "response retransmission failed", err);
		mem_ref(st);
		st_event(st, SIP_STRANS_TPERR, NULL);
		sip_strans_kill(st);
		mem_deref(st);
		return;
	}
	st->rtx_ival = st->rtx_ival * 2 < p->t2 ? st->rtx_ival * 2 : p->t2;
	st->rtx_due += st->rtx_ival;
	sip_tsx_tmr_at(st->l, &st->tr, st->rtx_due, st_rtx, st);
}

/* H and L (no ACK: tell the TU), I and J (just end) */
static void st_timeout(void *arg)
{
	struct sip_strans *st = arg;

	mem_ref(st);
	if (st->invite && ((st->state == SIP_ST_COMPLETED) ||
			   (st->state == SIP_ST_ACCEPTED && !st->acked))) {
		LOGI("%.*s: no ACK for %u", (int)st->req->call_id.l,
		     st->req->call_id.p, st->scode);
		st_event(st, SIP_STRANS_NOACK, NULL);
	}
	sip_strans_kill(st);
	mem_deref(st);
}

int sip_strans_new(struct sip_strans **stp, struct sip_tsx_layer *l,
		   const struct sip_msg *m, const struct sip_src *src)
{
	struct sip_strans *st = mem_zalloc(sizeof(*st), st_destroy);

	if (!st)
		return -ENOMEM;
	/* the message is a mem object from sip_msg_parse(): keep it, every
	 * view in it (and in responses built from it) stays valid */
	st->req = mem_ref((void *)m);
	st->src = *src;
	mem_ref(st->src.conn);
	st->invite = m->meth == SIP_METHOD_INVITE;
	st->rfc2543 = !sip_tsx_branch_3261(m->via.branch);
	st->reliable = sip_tsx_is_reliable(src->tp);
	st->state = st->invite ? SIP_ST_PROCEEDING : SIP_ST_TRYING;
	tmr_init(&st->tr);
	tmr_init(&st->tt);
	st->l = l;
	sip_tsx_tab_add(&l->stab, &st->le, st, m->call_id);
	if (st->invite)
		sip_tsx_tmr_at(l, &st->tr, loop_now_ms() + SIP_TSX_TRYING_MS,
			       st_rtx, st);
	*stp = st;
	return 0;
}

/* Remember the To tag our responses carry: the request's own inside a
 * dialog, else the TU's latest. The ACK of a 2xx and an RFC 2543 ACK are
 * matched on it. */
static int keep_totag(struct sip_strans *st, struct strv tag)
{
	char *t;

	if (st->req->to.tag.l)
		tag = st->req->to.tag;
	if (!tag.l || (st->totag && strv_eq(tag, strv_of(st->totag))))
		return 0;
	t = mem_strndup(tag.p, tag.l);
	if (!t)
		return -ENOMEM;
	mem_deref(st->totag);
	st->totag = t;
	return 0;
}

int sip_strans_reply(struct sip_strans *st, const struct sip_resp_params *p)
{
	struct sip_resp_params q;
	struct buf b = { 0 };
	int err;

	if (!st || !p || p->scode < 100 || p->scode > 699)
		return -EINVAL;
	if (!st->l)
		return -ESRCH;
	if (st->state != SIP_ST_TRYING && st->state != SIP_ST_PROCEEDING)
		return -EALREADY;
	/* 8.2.6.2: a To tag on everything but 100; without one from the
	 * TU, the one already used (an earlier answer's, or the 200 to a
	 * CANCEL's: 9.2), else a fresh one */
	q = *p;
	if (!q.to_tag.l && q.scode > 100)
		q.to_tag = strv_of(sip_strans_totag(st));
	err = st->l->p.print ? st->l->p.print(&b, st->req, &st->src, &q)
			     : sip_resp_print(&b, st->req, &q);
	if (!err && q.scode > 100)
		err = keep_totag(st, q.to_tag);
	if (err) {
		buf_free(&b);
		return err;
	}
	buf_free(&st->resp);
	st->resp = b;
	st->scode = p->scode;
	tmr_cancel(&st->tr);	/* a pending 100 Trying is not needed now */
	err = st_send(st);
	if (err) {
		st_log_err(st, "response not sent", err);
		sip_strans_kill(st);
		return err;
	}
	if (p->scode < 200) {
		st->state = SIP_ST_PROCEEDING;
	} else if (st->invite && p->scode < 300) {
		st->state = SIP_ST_ACCEPTED;
		st_rtx_start(st);
		st_timeout_in(st, 64ull * st->l->p.t1);		/* L */
	} else if (st->invite) {
		st->state = SIP_ST_COMPLETED;
		if (!st->reliable)
			st_rtx_start(st);			/* G */
		st_timeout_in(st, 64ull * st->l->p.t1);		/* H */
	} else {
		st->state = SIP_ST_COMPLETED;
		st_timeout_in(st, st->reliable ? 0 : 64ull * st->l->p.t1);
	}
	return 0;
}

int sip_strans_auto_reply(struct sip_strans *st, uint16_t scode,
			  struct strv to_tag)
{
	struct sip_resp_params p = { .scode = scode, .to_tag = to_tag };

	return sip_strans_reply(st, &p);
}

void sip_strans_retrans(struct sip_strans *st)
{
	int err = 0;

	switch (st->state) {
	case SIP_ST_PROCEEDING:
		/* the 100 we were holding back is due now */
		if (!st->scode)
			err = sip_strans_auto_reply(st, 100, STRV_NULL);
		else
			err = st_send(st);
		break;
	case SIP_ST_COMPLETED:
		err = st_send(st);
		break;
	default:
		/* Trying: no answer yet; Confirmed, Accepted: absorbed */
		break;
	}
	if (err)
		st_log_err(st, "response to a retransmission not sent", err);
}

void sip_strans_ack(struct sip_strans *st, const struct sip_msg *ack)
{
	if (st->state == SIP_ST_COMPLETED && st->invite) {
		st->state = SIP_ST_CONFIRMED;
		tmr_cancel(&st->tr);
		st_timeout_in(st, st->reliable ? 0 : st->l->p.t4);	/* I */
	} else if (st->state == SIP_ST_ACCEPTED && !st->acked) {
		/* Timer L keeps running: it absorbs INVITE retransmissions */
		st->acked = true;
		tmr_cancel(&st->tr);
		st_event(st, SIP_STRANS_ACK, ack);
	}
}

const char *sip_strans_totag(struct sip_strans *st)
{
	char tag[24];

	/* keep_totag() prefers the request's own To tag */
	if (!st->totag)
		keep_totag(st, strv_of(sip_tsx_tag(st->l, tag, sizeof(tag))));
	return st->totag;
}

void sip_strans_cancel(struct sip_strans *st, const struct sip_msg *cancel)
{
	int err;

	if (!st->invite || st->state != SIP_ST_PROCEEDING || st->cancelled)
		return;
	st->cancelled = true;
	if (st->h) {
		st_event(st, SIP_STRANS_CANCELLED, cancel);
		return;
	}
	err = sip_strans_auto_reply(st, 487, STRV_NULL);
	if (err)
		st_log_err(st, "487 not sent", err);
}

void sip_strans_set_handler(struct sip_strans *st, sip_strans_h *h,
			    void *arg)
{
	st->h = h;
	st->arg = arg;
}

const struct sip_msg *sip_strans_req(const struct sip_strans *st)
{
	return st->req;
}

const struct sip_src *sip_strans_src(const struct sip_strans *st)
{
	return &st->src;
}
