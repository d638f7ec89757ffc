// SPDX-License-Identifier: GPL-2.0
/* The end of a call: legs let go, the CDR built and written, the call
 * leaves its core. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LOG_TAG "call"
#include "../base/log.h"
#include "../base/mem.h"
#include "../media/stream.h"
#include "call_priv.h"
#include "cause.h"

uint64_t call_now_unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void call_take_stats(struct call *c, struct call_leg *leg)
{
	struct media_stream *ms = leg->ops->stream(leg);
	struct call_leg_stats *st = leg == c->in ? &c->st_in : &c->st_out;

	leg->ops->stats(leg, st);
	if (leg == c->in)
		c->have_in = true;
	else
		c->have_out = true;
	if (leg == c->out)
		snprintf(c->egress, sizeof(c->egress), "%s", leg->name);
	/* packet counts give the loss as a share; the leg's stats carry
	 * only the counts lost */
	if (ms) {
		struct media_stream_stats ss;

		media_stream_stats(ms, &ss);
		c->rx_pkts = ss.rtp.pkts_in;
		c->tx_pkts = ss.rtp.pkts_out;
	}
}

/* The final response a SIP leg sent to its INVITE (486 for a busy line,
 * 404, 503 ... on release just now, or the 200) is the call's SIP status
 * unless a SIP peer gave one already (the egress leg's final response,
 * the caller's CANCEL). */
static void sent_status(struct call *c, struct call_leg *leg)
{
	struct call_leg_stats st;

	if (c->sip_status)
		return;
	leg->ops->stats(leg, &st);
	c->sip_status = st.sip_status;
}

void call_leg_drop(struct call *c, struct call_leg **lp, int cause)
{
	struct call_leg *leg = *lp;

	if (!leg)
		return;
	call_take_stats(c, leg);
	if (c->br.a == leg || c->br.b == leg)
		call_bridge_stop(&c->br);
	/* whatever the leg says after this (an answer racing our release)
	 * goes nowhere */
	call_leg_bind(leg, NULL, NULL, NULL);
	if (cause)
		leg->ops->release(leg, cause);
	sent_status(c, leg);
	*lp = NULL;
	mem_deref(leg);
}

static double pct(uint32_t lost, uint64_t got)
{
	return lost ? 100.0 * lost / ((double)lost + (double)got) : 0.0;
}

static void cdr_fill(const struct call *c, int cause, struct call_cdr *r)
{
	struct call_relay_stats rs;
	const struct call_leg_stats *net = NULL;
	char num[CALL_ROUTE_NUM_MAX];

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%.*s", (int)sizeof(r->id) - 1, c->cid);
	r->start_ms = c->start_ms;
	r->answer_ms = c->answer_ms;
	r->end_ms = call_now_unix_ms();
	if (c->rr) {
		snprintf(r->caller, sizeof(r->caller), "%s", c->rr->calling);
		snprintf(r->callee, sizeof(r->callee), "%s", c->rr->called);
		snprintf(r->route, sizeof(r->route), "%s", c->rr->route);
	} else {
		snprintf(num, sizeof(num), "%s%s",
			 c->setup.calling.num.ton == CALL_TON_INTERNATIONAL ?
				 "+" :
				 "",
			 c->setup.calling.num.digits);
		snprintf(r->caller, sizeof(r->caller), "%s", num);
		snprintf(num, sizeof(num), "%s%s",
			 c->setup.called.num.ton == CALL_TON_INTERNATIONAL ?
				 "+" :
				 "",
			 c->setup.called.num.digits);
		snprintf(r->callee, sizeof(r->callee), "%s", num);
	}
	snprintf(r->caller_name, sizeof(r->caller_name), "%s",
		 c->setup.calling.name);
	snprintf(r->target, sizeof(r->target), "%s", c->target);
	snprintf(r->ingress, sizeof(r->ingress), "%s", c->setup.ingress);
	snprintf(r->egress, sizeof(r->egress), "%s", c->egress);
	r->cause = (unsigned)cause;
	r->sip_status = c->sip_status;
	call_bridge_relay_stats(&c->br, &rs);
	if (rs.engine)
		snprintf(r->media, sizeof(r->media), "%s", rs.engine);
	r->relayed_pkts = rs.packets;
	/* the media figures are the network leg's: the one with a codec */
	if (c->have_in && c->st_in.codec[0])
		net = &c->st_in;
	else if (c->have_out && c->st_out.codec[0])
		net = &c->st_out;
	if (!net)
		return;
	snprintf(r->codec, sizeof(r->codec), "%s", net->codec);
	r->srtp = net->srtp;
	r->rx.loss_pct = pct(net->rx_lost, c->rx_pkts);
	r->rx.jitter_ms = net->rx_jitter_us / 1000.0;
	r->tx.loss_pct = pct(net->tx_lost, c->tx_pkts);
	r->tx.jitter_ms = net->tx_jitter_us / 1000.0;
	/* one-way delay: half the round trip plus a packet and a nominal
	 * 40 ms jitter buffer; no media at all gives no estimate */
	if (c->rx_pkts || c->tx_pkts)
		r->mos = call_cdr_mos(net->codec,
				      net->rtt_us / 2000.0 + 20.0 + 40.0,
				      r->rx.loss_pct > r->tx.loss_pct ?
					      r->rx.loss_pct :
					      r->tx.loss_pct);
}

void call_finish(struct call *c, int cause)
{
	struct call_core *cc = c->cc;
	struct call_cdr r;
	int err;

	if (c->st == CALL_ST_DONE)
		return;
	if (cause < 1 || cause > CALL_CAUSE_MAX)
		cause = CALL_CAUSE_NORMAL_CLEARING;
	c->st = CALL_ST_RELEASING;
	tmr_cancel(&c->t_route);
	tmr_cancel(&c->t_noans);
	tmr_cancel(&c->t_media);
	call_bridge_stop(&c->br);
	call_leg_drop(c, &c->out, cause);
	call_leg_drop(c, &c->in, cause);
	c->st = CALL_ST_DONE;
	if (cc->cdr) {
		cdr_fill(c, cause, &r);
		err = call_cdr_writer_put(cc->cdr, &r);
		if (err)
			LOGW_ID(c->cid, "call %u: CDR not written: %s", c->id,
				strerror(-err));
	}
	LOGI_ID(c->cid, "call %u: ended, cause %d (%s)", c->id, cause,
		call_cause_name((unsigned)cause));
	if (list_linked(&c->le)) {
		list_unlink(&c->le);
		mem_deref(c);
	}
}
