// SPDX-License-Identifier: GPL-2.0
/*
 * The call state machine: routing and failover, what the egress leg
 * reports relayed to the ingress leg, early media, the no-answer and
 * media inactivity timers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "call"
#include "../base/log.h"
#include "../base/mem.h"
#include "../media/stream.h"
#include "call_priv.h"
#include "cause.h"
#include "leg_tdm.h"
#include "../sip/peer.h"

static const char *const st_names[] = {
	[CALL_ST_SETUP] = "setup",	 [CALL_ST_PROCEEDING] = "proceeding",
	[CALL_ST_EARLY] = "early",	 [CALL_ST_ANSWERED] = "answered",
	[CALL_ST_RELEASING] = "releasing", [CALL_ST_DONE] = "done",
};

const char *call_state_name(enum call_state st)
{
	return (unsigned)st <= CALL_ST_DONE ? st_names[st] : "unknown";
}

/* A party's number as routes see it: '+' in front when international. */
static void party_str(char *out, size_t n, const struct call_party *p)
{
	snprintf(out, n, "%s%s",
		 p->num.ton == CALL_TON_INTERNATIONAL ? "+" : "",
		 p->num.digits);
}

/* A routed number back into @p (name and presentation stay): one the
 * route left as it was keeps its type of number and plan; a rewritten
 * one is international with a '+', else unknown. */
static int party_set(struct call_party *p, const char *num)
{
	char was[CALL_ROUTE_NUM_MAX];

	party_str(was, sizeof(was), p);
	if (!strcmp(was, num))
		return 0;
	p->num.ton = CALL_TON_UNKNOWN;
	p->num.npi = CALL_NPI_UNKNOWN;
	if (num[0] == '+') {
		p->num.ton = CALL_TON_INTERNATIONAL;
		p->num.npi = CALL_NPI_E164;
		num++;
	}
	if (strlen(num) >= sizeof(p->num.digits))
		return -ENOSPC;
	strcpy(p->num.digits, num);
	return 0;
}

/* "span:1,group:1" or "peer:pbx" into @in; the names point into @buf. */
static void ingress_parse(const char *s, char *buf, size_t n,
			  struct call_ingress *in)
{
	char *save = NULL, *tok;

	in->peer = NULL;
	in->group = NULL;
	in->span = -1;
	snprintf(buf, n, "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "peer:", 5))
			in->peer = tok + 5;
		else if (!strncmp(tok, "group:", 6))
			in->group = tok + 6;
		else if (!strncmp(tok, "span:", 5))
			in->span = atoi(tok + 5);
	}
}

/* A leg's synchronous failure as the Q.850 cause it stands for. */
static int err_cause(int err)
{
	switch (err) {
	case -EBUSY:
		return CALL_CAUSE_NO_CIRCUIT;
	case -ENOENT:
		return CALL_CAUSE_NO_ROUTE_DEST;
	case -EINVAL:
		return CALL_CAUSE_INVALID_NUMBER_FORMAT;
	default:
		return CALL_CAUSE_TEMPORARY_FAILURE;
	}
}

/* A cause from a leg that is not a Q.850 value (a SIP leg's 487 maps to
 * none) ends the call as "normal, unspecified". */
static int sane_cause(int cause)
{
	return cause >= 1 && cause <= CALL_CAUSE_MAX ?
		       cause :
		       CALL_CAUSE_NORMAL_UNSPECIFIED;
}

/* Audio to match the state: both ways once answered, the callee's early
 * media to the caller when cut through, else none. */
static void rebridge(struct call *c)
{
	if (!c->in || !c->out) {
		call_bridge_stop(&c->br);
		return;
	}
	if (c->st == CALL_ST_ANSWERED)
		call_bridge_set(&c->br, c->in, c->out, true, true);
	else if (c->early_cut)
		call_bridge_set(&c->br, c->in, c->out, false, true);
	else
		call_bridge_stop(&c->br);
}

static int dial_cand(struct call *c, const struct call_cand *cand)
{
	struct call_core *cc = c->cc;
	struct call_leg *leg = NULL;
	char *end;
	unsigned long g;
	int err;

	snprintf(c->target, sizeof(c->target), "%s:%s",
		 cand->kind == CALL_TGT_GROUP ? "group" : "peer", cand->name);
	if (cand->kind == CALL_TGT_GROUP) {
		g = strtoul(cand->name, &end, 10);
		if (*end || end == cand->name)
			return -ENOENT;
		err = call_leg_tdm_out(&leg, cc->tdm, (unsigned)g, cand->hunt);
		if (err == -EINVAL)
			err = -ENOENT;
	} else if (!sip_peer_up(cand->name)) {
		/* OPTIONS keepalive says the peer is down: busy it out, so
		 * the route fails over (cause 34) without waiting Timer B */
		LOGN_ID(c->cid, "call %u: peer %s is down: not tried", c->id,
			cand->name);
		return -EBUSY;
	} else {
		err = cc->sip_new ? cc->sip_new(&leg, cand->name, cc->sip_ctx) :
				    -ENOENT;
	}
	if (err)
		return err;
	c->out = leg;
	c->dial_cause = 0;
	c->dialing = true;
	call_leg_bind(leg, call_on_leg_ev, call_on_leg_audio, c);
	err = leg->ops->dial(leg, &c->eg);
	c->dialing = false;
	if (!err && c->dial_cause)
		err = -ECANCELED; /* it failed inside dial(): see below */
	if (err) {
		call_leg_bind(leg, NULL, NULL, NULL);
		c->out = mem_deref(leg);
	}
	return err;
}

/* Dial the current candidate and, while they fail at once, the next
 * ones; with none left, end the call. */
static void try_targets(struct call *c)
{
	const struct call_cand *cand = call_route_cur(c->rr);
	int cause = CALL_CAUSE_NO_ROUTE_DEST, err;

	while (cand) {
		err = dial_cand(c, cand);
		if (!err) {
			c->st = CALL_ST_PROCEEDING;
			LOGI_ID(c->cid, "call %u: %s -> %s via %s", c->id,
				c->rr->calling, c->rr->called, c->target);
			return;
		}
		cause = err == -ECANCELED ? c->dial_cause : err_cause(err);
		LOGN_ID(c->cid, "call %u: %s failed: cause %d (%s)", c->id,
			c->target, cause, call_cause_name((unsigned)cause));
		cand = call_route_next(c->rr, (unsigned)cause);
	}
	call_finish(c, cause);
}

static void noans_h(void *arg)
{
	struct call *c = arg;

	LOGN_ID(c->cid, "call %u: no answer in %llu ms", c->id,
		(unsigned long long)c->cc->lim.no_answer_ms);
	mem_ref(c);
	call_finish(c, CALL_CAUSE_NO_ANSWER);
	mem_deref(c);
}

void call_on_route(void *arg)
{
	struct call *c = arg;
	struct call_core *cc = c->cc;
	struct call_ingress in;
	char inbuf[sizeof(c->setup.ingress)];
	char called[CALL_ROUTE_NUM_MAX], calling[CALL_ROUTE_NUM_MAX];
	int err = -ENOENT;

	mem_ref(c);
	if (c->reject) {
		LOGN_ID(c->cid, "call %u: rejected: %s", c->id,
			call_cause_name((unsigned)c->reject));
		call_finish(c, c->reject);
		goto out;
	}
	ingress_parse(c->setup.ingress, inbuf, sizeof(inbuf), &in);
	party_str(called, sizeof(called), &c->setup.called);
	party_str(calling, sizeof(calling), &c->setup.calling);
	if (cc->routes)
		err = call_route_lookup(cc->routes, &in, called, calling,
					&c->rr);
	if (!err) {
		c->eg = c->setup;
		err = party_set(&c->eg.called, c->rr->called);
		if (!err)
			err = party_set(&c->eg.calling, c->rr->calling);
	}
	if (err) {
		int cause = err == -ENOENT ? CALL_CAUSE_NO_ROUTE_DEST :
			    err == -ENOSPC ? CALL_CAUSE_INVALID_NUMBER_FORMAT :
					     CALL_CAUSE_TEMPORARY_FAILURE;

		LOGN_ID(c->cid, "call %u: %s -> %s from %s: no route (%s)",
			c->id, c->setup.ingress, called, calling,
			strerror(-err));
		call_finish(c, cause);
		goto out;
	}
	if (cc->lim.no_answer_ms)
		tmr_start(cc->loop, &c->t_noans, cc->lim.no_answer_ms,
			  noans_h, c);
	try_targets(c);
out:
	mem_deref(c);
}

/* Media inactivity: the newest packet any network leg received. */
static void media_h(void *arg)
{
	struct call *c = arg;
	struct call_leg *legs[2] = { c->in, c->out };
	uint64_t now = loop_now_ms(), last = c->answer_mono, tmo;
	struct call_relay_stats rs;
	bool watched = false;

	for (int i = 0; i < 2; i++) {
		struct media_stream *ms =
			legs[i] ? legs[i]->ops->stream(legs[i]) : NULL;
		struct media_stream_stats st;

		if (!ms)
			continue;
		watched = true;
		media_stream_stats(ms, &st);
		if (st.rtp.last_in_ms > last)
			last = st.rtp.last_in_ms;
	}
	/* relayed undecoded, the sessions see only what the relay passes
	 * up: the flows' counters say when the last packet came */
	call_bridge_relay_stats(&c->br, &rs);
	if (rs.last_ms > last)
		last = rs.last_ms;
	/* TDM only: lines carry audio as long as they are up */
	if (!watched)
		return;
	tmo = c->cc->lim.media_timeout_ms;
	if (!tmo)
		return;
	if (now - last >= tmo) {
		LOGW_ID(c->cid,
			"call %u: no media for %llu ms: releasing (cause 41)",
			c->id, (unsigned long long)(now - last));
		mem_ref(c);
		call_finish(c, CALL_CAUSE_TEMPORARY_FAILURE);
		mem_deref(c);
		return;
	}
	/* check again when it would expire, at least twice a second */
	tmr_start(c->cc->loop, &c->t_media,
		  tmo - (now - last) < 500 ? tmo - (now - last) : 500,
		  media_h, c);
}

static void answered(struct call *c)
{
	struct call_core *cc = c->cc;
	int err;

	c->st = CALL_ST_ANSWERED;
	c->answer_mono = loop_now_ms();
	c->answer_ms = call_now_unix_ms();
	tmr_cancel(&c->t_noans);
	err = c->in->ops->answer(c->in);
	if (err) {
		LOGW_ID(c->cid, "call %u: caller side cannot answer: %s",
			c->id, strerror(-err));
		call_finish(c, CALL_CAUSE_TEMPORARY_FAILURE);
		return;
	}
	LOGI_ID(c->cid, "call %u: answered by %s", c->id, c->target);
	rebridge(c);
	if (cc->lim.media_timeout_ms)
		tmr_start(cc->loop, &c->t_media, 0, media_h, c);
}

static void out_released(struct call *c, int cause, uint16_t sip_status)
{
	const struct call_cand *next;

	if (sip_status)
		c->sip_status = sip_status;
	call_leg_drop(c, &c->out, 0);
	if (c->st >= CALL_ST_ANSWERED) {
		LOGI_ID(c->cid, "call %u: callee released: cause %d", c->id,
			cause);
		call_finish(c, cause);
		return;
	}
	next = call_route_next(c->rr, (unsigned)cause);
	if (!next) {
		LOGN_ID(c->cid, "call %u: %s: cause %d (%s)", c->id,
			c->target, cause, call_cause_name((unsigned)cause));
		call_finish(c, cause);
		return;
	}
	LOGN_ID(c->cid, "call %u: %s: cause %d: failover to the next target",
		c->id, c->target, cause);
	c->early_cut = false;
	c->st = CALL_ST_SETUP;
	try_targets(c);
}

static void out_ev(struct call *c, const struct call_leg_ev *ev)
{
	struct call_leg *in = c->in;

	switch (ev->type) {
	case CALL_LEG_PROGRESS:
		if (c->st >= CALL_ST_ANSWERED)
			return;
		c->st = CALL_ST_EARLY;
		if (ev->inband)
			c->early_cut = true;
		in->ops->progress(in, c->early_cut);
		rebridge(c);
		return;
	case CALL_LEG_ALERTING:
		if (c->st >= CALL_ST_ANSWERED)
			return;
		c->st = CALL_ST_EARLY;
		/* 180 after 183: the early media cut through stays */
		if (ev->inband)
			c->early_cut = true;
		in->ops->alerting(in, c->early_cut);
		rebridge(c);
		return;
	case CALL_LEG_ANSWER:
		/* a SIP egress: its 200 is the call's SIP status */
		if (ev->sip_status)
			c->sip_status = ev->sip_status;
		if (c->st < CALL_ST_ANSWERED)
			answered(c);
		return;
	case CALL_LEG_RELEASE:
		out_released(c, sane_cause(ev->cause), ev->sip_status);
		return;
	case CALL_LEG_DIGIT:
		/* between two TDM legs the tones are in the audio already;
		 * relayed SIP legs forward the RFC 4733 packets themselves */
		if (!(in->clock && c->out->clock) &&
		    !call_bridge_relayed(&c->br))
			in->ops->digit(in, ev->digit);
		return;
	case CALL_LEG_MEDIA:
		rebridge(c);
		return;
	default:
		return;
	}
}

static void in_ev(struct call *c, const struct call_leg_ev *ev)
{
	switch (ev->type) {
	case CALL_LEG_RELEASE:
		if (ev->sip_status)
			c->sip_status = ev->sip_status;
		call_leg_drop(c, &c->in, 0);
		LOGI_ID(c->cid, "call %u: caller released: cause %d", c->id,
			sane_cause(ev->cause));
		call_finish(c, sane_cause(ev->cause));
		return;
	case CALL_LEG_DIGIT:
		if (c->out && c->st >= CALL_ST_EARLY &&
		    !(c->in->clock && c->out->clock) &&
		    !call_bridge_relayed(&c->br))
			c->out->ops->digit(c->out, ev->digit);
		return;
	case CALL_LEG_MEDIA:
		rebridge(c);
		return;
	default:
		return;
	}
}

void call_on_leg_ev(struct call_leg *leg, const struct call_leg_ev *ev,
		   void *arg)
{
	struct call *c = arg;

	if (c->st == CALL_ST_DONE)
		return;
	/* a release from inside dial() is the dial's failure: try_targets
	 * handles it once dial() has returned */
	if (c->dialing && leg == c->out) {
		if (ev->type == CALL_LEG_RELEASE) {
			c->dial_cause = sane_cause(ev->cause);
			if (ev->sip_status)
				c->sip_status = ev->sip_status;
		}
		return;
	}
	mem_ref(c);
	if (leg == c->in)
		in_ev(c, ev);
	else if (leg == c->out && c->in)
		out_ev(c, ev);
	mem_deref(c);
}

void call_on_leg_audio(struct call_leg *leg, const int16_t *frame,
		       void *arg)
{
	struct call *c = arg;

	call_bridge_audio(&c->br, leg, frame);
}
