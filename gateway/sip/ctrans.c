// SPDX-License-Identifier: GPL-2.0
/*
 * Client transactions (RFC 3261 17.1): INVITE (Calling, Proceeding,
 * Completed, and RFC 6026 Accepted) and non-INVITE (Trying, Proceeding,
 * Completed), the ACK for a non-2xx (17.1.1.3) and CANCEL (9.1).
 *
 * Retransmissions run on an ideal schedule (the time of the first send plus
 * the sum of the intervals), not "interval after the last fire": a loop
 * that runs late then delays one retransmission instead of shifting every
 * later one, so the last retransmit still comes before Timer B or F.
 */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "tsx_priv.h"

#define LOG_TAG "ctrans"
#include "../base/log.h"

static void ct_destroy(void *arg)
{
	struct sip_ctrans *ct = arg;

	tmr_cancel(&ct->tr);
	tmr_cancel(&ct->tt);
	buf_free(&ct->ack);
	buf_free(&ct->cancel_hdrs);
	mem_deref(ct->req);
	mem_deref(ct->d.conn);
}

void sip_ctrans_kill(struct sip_ctrans *ct)
{
	struct sip_tsx_layer *l = ct->l;

	if (!l)
		return;
	sip_tsx_tab_del(&l->ctab, &ct->le);
	ct->l = NULL;
	ct->state = SIP_CT_TERMINATED;
	ct->h = NULL;
	tmr_cancel(&ct->tr);
	tmr_cancel(&ct->tt);
	mem_deref(ct); /* the layer's reference */
}

static int ct_send(struct sip_ctrans *ct, const void *data, size_t len)
{
	const struct sip_tsx_params *p = &ct->l->p;

	return p->send(p->arg, ct->d.tp, &ct->d.dst, ct->d.conn, data, len);
}

/* Tell the TU; it may cancel, abandon or drop its own reference, so hold
 * one across the call. */
static void ct_deliver(struct sip_ctrans *ct, uint16_t scode,
		       const struct sip_msg *resp)
{
	if (!ct->h)
		return;
	mem_ref(ct);
	ct->h(ct, scode, resp, ct->arg);
	mem_deref(ct);
}

/* The TU learns of a failure, then the transaction ends (17.1.4). */
static void ct_fail(struct sip_ctrans *ct, uint16_t scode)
{
	mem_ref(ct);
	ct_deliver(ct, scode, NULL);
	sip_ctrans_kill(ct);
	mem_deref(ct);
}

static void ct_rtx(void *arg)
{
	struct sip_ctrans *ct = arg;
	const struct sip_tsx_params *p = &ct->l->p;

	if (ct_send(ct, ct->req->raw.p, ct->req->raw.l)) {
		LOGW("%.*s: retransmission failed: transport error",
		     (int)ct->req->call_id.l, ct->req->call_id.p);
		ct_fail(ct, 503);
		return;
	}
	if (ct->invite)			/* Timer A: doubles, no cap */
		ct->rtx_ival *= 2;
	else if (ct->state == SIP_CT_PROCEEDING) /* Timer E after a 1xx */
		ct->rtx_ival = p->t2;
	else				/* Timer E: doubles up to T2 */
		ct->rtx_ival = ct->rtx_ival * 2 < p->t2 ? ct->rtx_ival * 2
							 : p->t2;
	ct->rtx_due += ct->rtx_ival;
	sip_tsx_tmr_at(ct->l, &ct->tr, ct->rtx_due, ct_rtx, ct);
}

unsigned sip_tsx_transport_failed(struct sip_tsx_layer *l, enum sip_tp tp,
				  const struct sa *dst)
{
	struct list hit = LIST_INIT;
	struct le *e, *nx;
	unsigned n = 0;

	/*
	 * Collect first: a TU told of the failure may start a new
	 * transaction to the same place (the next target), on a new
	 * connection that is not the one that failed.
	 */
	for (uint32_t i = 0; i < l->ctab.nb; i++) {
		LIST_FOREACH(&l->ctab.b[i], e, nx)
		{
			struct sip_ctrans *ct = e->data;

			if (ct->state != SIP_CT_CALLING || ct->d.tp != tp ||
			    !sa_eq(&ct->d.dst, dst))
				continue;
			list_unlink(&ct->le);
			list_append(&hit, &ct->le, ct);
		}
	}
	while (hit.head) {
		struct sip_ctrans *ct = hit.head->data;

		list_unlink(&ct->le);
		list_append(sip_tsx_bucket(&l->ctab, ct->req->call_id),
			    &ct->le, ct);
		LOGI("%.*s: %.*s: transport failure, 503",
		     (int)ct->req->call_id.l, ct->req->call_id.p,
		     (int)ct->req->method.l, ct->req->method.p);
		ct_fail(ct, 503);
		n++;
	}
	return n;
}

/* Timer B, F (408), the CANCEL wait of 9.1 (408), D, K, M (the end) */
static void ct_timeout(void *arg)
{
	struct sip_ctrans *ct = arg;

	if (ct->state == SIP_CT_CALLING || ct->state == SIP_CT_PROCEEDING) {
		LOGI("%.*s: %.*s timed out", (int)ct->req->call_id.l,
		     ct->req->call_id.p, (int)ct->req->method.l,
		     ct->req->method.p);
		ct_fail(ct, 408);
		return;
	}
	sip_ctrans_kill(ct);
}

static void ct_timeout_in(struct sip_ctrans *ct, uint64_t ms)
{
	sip_tsx_tmr_at(ct->l, &ct->tt, loop_now_ms() + ms, ct_timeout, ct);
}

static int ct_start(struct sip_ctrans **ctp, struct sip_tsx_layer *l,
		    const struct sip_ctrans_dest *d, const void *data,
		    size_t len, sip_ctrans_h *h, void *arg)
{
	struct sip_ctrans *ct;
	struct sip_msg *req = NULL;
	int err;

	err = sip_msg_parse(&req, data, len, 0, NULL);
	if (err)
		return err == -ENOMEM ? err : -EINVAL;
	if (!req->req || req->meth == SIP_METHOD_ACK || !req->call_id.l ||
	    !sip_tsx_branch_3261(req->via.branch)) {
		mem_deref(req);
		return -EINVAL;
	}
	ct = mem_zalloc(sizeof(*ct), ct_destroy);
	if (!ct) {
		mem_deref(req);
		return -ENOMEM;
	}
	ct->req = req;
	ct->d = *d;
	mem_ref(ct->d.conn);
	ct->invite = req->meth == SIP_METHOD_INVITE;
	ct->reliable = sip_tsx_is_reliable(d->tp);
	ct->h = h;
	ct->arg = arg;
	tmr_init(&ct->tr);
	tmr_init(&ct->tt);
	ct->l = l;
	err = ct_send(ct, req->raw.p, req->raw.l);
	if (err) {
		ct->l = NULL;
		mem_deref(ct);
		return err;
	}
	sip_tsx_tab_add(&l->ctab, &ct->le, ct, req->call_id);
	/* Timer A / E only where the transport may lose the request */
	if (!ct->reliable) {
		ct->rtx_ival = l->p.t1;
		ct->rtx_due = loop_now_ms() + l->p.t1;
		sip_tsx_tmr_at(l, &ct->tr, ct->rtx_due, ct_rtx, ct);
	}
	ct_timeout_in(ct, 64ull * l->p.t1);	/* Timer B / F */
	if (ctp)
		*ctp = ct;
	return 0;
}

int sip_ctrans_send(struct sip_ctrans **ctp, struct sip_tsx_layer *l,
		    const struct sip_ctrans_dest *d, const void *data,
		    size_t len, sip_ctrans_h *h, void *arg)
{
	if (!l || !d || !data)
		return -EINVAL;
	return ct_start(ctp, l, d, data, len, h, arg);
}

/* ACK (17.1.1.3) and CANCEL (9.1) share their shape: the Request-URI, the
 * top Via only, the Route headers, From, Call-ID and the CSeq number of
 * the INVITE; To comes from the response (ACK) or the INVITE (CANCEL). */
static int build_req(struct buf *b, const struct sip_msg *inv,
		     const char *method, struct strv to, const struct buf *hdrs)
{
	const struct sip_hdr *h, *from = sip_msg_hdr(inv, SIP_HDR_FROM);
	int err;

	if (!from)
		return -EINVAL;
	err = buf_printf(b, "%s %.*s SIP/2.0\r\nVia: %.*s\r\n", method,
			 (int)inv->ruri.raw.l, inv->ruri.raw.p,
			 (int)inv->via.raw.l, inv->via.raw.p);
	for (h = sip_msg_hdr(inv, SIP_HDR_ROUTE); h && !err;
	     h = sip_msg_hdr_next(inv, h))
		err = buf_printf(b, "Route: %.*s\r\n", (int)h->val.l, h->val.p);
	if (err)
		return err;
	return buf_printf(b,
			  "Max-Forwards: 70\r\nFrom: %.*s\r\nTo: %.*s\r\n"
			  "Call-ID: %.*s\r\nCSeq: %u %s\r\n%.*s"
			  "Content-Length: 0\r\n\r\n",
			  (int)from->val.l, from->val.p, (int)to.l, to.p,
			  (int)inv->call_id.l, inv->call_id.p, inv->cseq.num,
			  method, hdrs ? (int)hdrs->len : 0,
			  hdrs && hdrs->data ? (const char *)hdrs->data : "");
}

static void send_ack(struct sip_ctrans *ct, const struct sip_msg *resp)
{
	const struct sip_hdr *to = sip_msg_hdr(resp, SIP_HDR_TO);

	if (!ct->ack.len &&
	    (!to || build_req(&ct->ack, ct->req, "ACK", to->val, NULL))) {
		LOGW("%.*s: cannot build ACK", (int)ct->req->call_id.l,
		     ct->req->call_id.p);
		buf_reset(&ct->ack);
		return;
	}
	/* a lost ACK is recovered by the next retransmitted response */
	if (ct_send(ct, ct->ack.data, ct->ack.len))
		LOGD("%.*s: ACK not sent", (int)ct->req->call_id.l,
		     ct->req->call_id.p);
}

static void send_cancel(struct sip_ctrans *ct)
{
	const struct sip_hdr *to = sip_msg_hdr(ct->req, SIP_HDR_TO);
	struct buf b = { 0 };
	int err;

	ct->cancel_sent = true;
	err = to ? build_req(&b, ct->req, "CANCEL", to->val,
				    &ct->cancel_hdrs) :
		   -EINVAL;
	if (!err)
		err = ct_start(NULL, ct->l, &ct->d, b.data, b.len, NULL, NULL);
	buf_free(&b);
	if (err)
		LOGW("%.*s: CANCEL not sent: %s", (int)ct->req->call_id.l,
		     ct->req->call_id.p, strerror(-err));
	/* 9.1: without a final answer within 64*T1 the INVITE is given up,
	 * whether or not the CANCEL made it out */
	ct_timeout_in(ct, 64ull * ct->l->p.t1);
}

int sip_ctrans_cancel(struct sip_ctrans *ct, const char *hdrs)
{
	int err;

	if (!ct)
		return -EINVAL;
	if (!ct->l)
		return -ESRCH;
	if (!ct->invite)
		return -EINVAL;
	if (ct->state != SIP_CT_CALLING && ct->state != SIP_CT_PROCEEDING)
		return -EALREADY;
	if (ct->cancel_wanted || ct->cancel_sent)
		return -EALREADY;
	/* kept: the CANCEL may go out only with the first 1xx */
	if (hdrs && *hdrs) {
		err = buf_puts(&ct->cancel_hdrs, hdrs);
		if (err)
			return err;
	}
	/* 9.1: a CANCEL must not be sent before a provisional response;
	 * Timer B still bounds the wait for one */
	if (ct->state == SIP_CT_CALLING)
		ct->cancel_wanted = true;
	else
		send_cancel(ct);
	return 0;
}

static void invite_resp(struct sip_ctrans *ct, const struct sip_msg *m)
{
	uint16_t sc = m->scode;

	switch (ct->state) {
	case SIP_CT_CALLING:
	case SIP_CT_PROCEEDING:
		tmr_cancel(&ct->tr);
		if (sc < 200) {
			/* Timer B guards Calling only; the CANCEL wait, once
			 * running, stays */
			if (ct->state == SIP_CT_CALLING)
				tmr_cancel(&ct->tt);
			ct->state = SIP_CT_PROCEEDING;
			if (ct->cancel_wanted && !ct->cancel_sent)
				send_cancel(ct);
		} else if (sc < 300) {
			ct->state = SIP_CT_ACCEPTED;
			ct_timeout_in(ct, 64ull * ct->l->p.t1); /* Timer M */
		} else {
			ct->state = SIP_CT_COMPLETED;
			send_ack(ct, m);
			ct_timeout_in(ct, ct->reliable ? 0 : ct->l->p.td);
		}
		ct_deliver(ct, sc, m);
		break;
	case SIP_CT_COMPLETED:
		/* a retransmitted final answer: our ACK was lost */
		if (sc >= 300)
			send_ack(ct, m);
		break;
	case SIP_CT_ACCEPTED:
		/* RFC 6026 7.2: every 2xx goes up, the TU ACKs each */
		if (sc >= 200 && sc < 300)
			ct_deliver(ct, sc, m);
		break;
	case SIP_CT_TERMINATED:
		break;
	}
}

static void noninvite_resp(struct sip_ctrans *ct, const struct sip_msg *m)
{
	uint16_t sc = m->scode;

	if (ct->state != SIP_CT_CALLING && ct->state != SIP_CT_PROCEEDING)
		return;		/* Completed absorbs retransmissions */
	if (sc < 200) {
		ct->state = SIP_CT_PROCEEDING;
	} else {
		ct->state = SIP_CT_COMPLETED;
		tmr_cancel(&ct->tr);
		ct_timeout_in(ct, ct->reliable ? 0 : ct->l->p.t4); /* K */
	}
	ct_deliver(ct, sc, m);
}

bool sip_ctrans_input(struct sip_tsx_layer *l, const struct sip_msg *m)
{
	struct list *b = sip_tsx_bucket(&l->ctab, m->call_id);
	struct sip_ctrans *ct = NULL;
	struct le *e, *nx;

	if (m->scode < 100 || m->scode > 699)
		return false;
	LIST_FOREACH(b, e, nx) {
		if (sip_tsx_match_resp(e->data, m)) {
			ct = e->data;
			break;
		}
	}
	if (!ct)
		return false;
	mem_ref(ct);
	if (ct->invite)
		invite_resp(ct, m);
	else
		noninvite_resp(ct, m);
	mem_deref(ct);
	return true;
}

void sip_ctrans_abandon(struct sip_ctrans *ct)
{
	if (ct)
		ct->h = NULL;
}

const struct sip_msg *sip_ctrans_req(const struct sip_ctrans *ct)
{
	return ct->req;
}
