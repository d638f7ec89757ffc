// SPDX-License-Identifier: GPL-2.0
/* The set of calls: new calls from the TDM listener and the SIP leg's,
 * the [calls] limits, lookup, and the call objects' lifetime. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "call"
#include "../base/log.h"
#include "../base/mem.h"
#include "../../tdm/tdm.h"
#include "call_priv.h"
#include "cause.h"
#include "leg_tdm.h"

#define OFF(f) offsetof(struct call_limits, f)

static const struct conf_kw calls_kws[] = {
	{ "no_answer", CONF_MS, OFF(no_answer_ms), "60s", 0,
	  24 * 3600 * 1000LL, NULL, NULL, CONF_RELOAD,
	  "time from routing to answer before cause 19 (0: no limit)" },
	{ "media_timeout", CONF_MS, OFF(media_timeout_ms), "60s", 0,
	  24 * 3600 * 1000LL, NULL, NULL, CONF_RELOAD,
	  "no RTP on an answered call for this long: cause 41 (0: off)" },
	{ "max_calls", CONF_INT, OFF(max_calls), "0", 0, 100000, NULL, NULL,
	  CONF_RELOAD, "calls at once; more get cause 34 (0: no limit)" },
};

const struct conf_sect_def call_calls_sect = {
	.name = "calls",
	.size = sizeof(struct call_limits),
	.kws = calls_kws,
	.nkws = sizeof(calls_kws) / sizeof(calls_kws[0]),
	.help = "call limits and timers",
};

static void call_destroy(void *arg)
{
	struct call *c = arg;

	tmr_cancel(&c->t_route);
	tmr_cancel(&c->t_noans);
	tmr_cancel(&c->t_media);
	call_bridge_stop(&c->br);
	mem_deref(c->out);
	mem_deref(c->in);
	mem_deref(c->rr);
}

/* A new call for incoming @leg; routing runs from the loop right after,
 * so the leg's own handler has returned before anything is dialled or
 * released. */
static void call_new(struct call_core *cc, struct call_leg *leg,
		     const struct call_leg_setup *s)
{
	struct call *c = mem_zalloc(sizeof(*c), call_destroy);

	if (!c) {
		LOGE_ID(leg->id, "no memory for a new call");
		leg->ops->release(leg, CALL_CAUSE_TEMPORARY_FAILURE);
		return;
	}
	c->cc = cc;
	c->id = ++cc->next_id;
	c->setup = *s;
	c->start_mono = loop_now_ms();
	c->start_ms = call_now_unix_ms();
	tmr_init(&c->t_route);
	tmr_init(&c->t_noans);
	tmr_init(&c->t_media);
	call_bridge_init(&c->br, cc->loop);
	/* a SIP leg's id is its Call-ID; a TDM channel's is not unique
	 * over time, so those calls get one made of time and number */
	if (leg->clock)
		snprintf(c->cid, sizeof(c->cid), "tl-%llx-%u",
			 (unsigned long long)c->start_ms, c->id);
	else
		snprintf(c->cid, sizeof(c->cid), "%s", leg->id);
	c->in = mem_ref(leg);
	call_leg_bind(leg, call_on_leg_ev, call_on_leg_audio, c);
	list_append(&cc->calls, &c->le, c);
	if (cc->lim.max_calls && (int64_t)cc->calls.n > cc->lim.max_calls)
		c->reject = CALL_CAUSE_NO_CIRCUIT;
	LOGI_ID(c->cid, "call %u: from %s (%s) to %s%s", c->id, leg->name,
		s->ingress, s->called.num.ton == CALL_TON_INTERNATIONAL ?
				    "+" : "",
		s->called.num.digits);
	tmr_start(cc->loop, &c->t_route, 0, call_on_route, c);
}

void call_core_leg_in_h(struct call_leg *leg, const struct call_leg_ev *ev,
			void *arg)
{
	struct call_core *cc = arg;

	if (ev->type != CALL_LEG_SETUP || !ev->setup || cc->closing)
		return;
	call_new(cc, leg, ev->setup);
}

/* tdm_listen(): a PSTN call comes in. */
static void tdm_setup_h(struct tdm_chan *ch, const struct tdm_ev *ev,
			void *arg)
{
	struct call_core *cc = arg;
	struct call_leg_setup s;
	struct call_leg *leg;

	if (ev->type != TDM_EV_SETUP || !ev->setup)
		return;
	if (call_leg_tdm_in(&leg, ch, ev->setup, &s)) {
		tdm_release(ch, CALL_CAUSE_TEMPORARY_FAILURE);
		return;
	}
	call_new(cc, leg, &s);
	mem_deref(leg);
}

static void core_destroy(void *arg)
{
	struct call_core *cc = arg;

	cc->closing = true;
	if (cc->tdm)
		tdm_listen(cc->tdm, NULL, NULL, NULL);
	while (cc->calls.head)
		call_finish(cc->calls.head->data,
			    CALL_CAUSE_TEMPORARY_FAILURE);
	mem_deref(cc->routes);
	mem_deref(cc->cdr);
}

int call_core_new(struct call_core **ccp, const struct call_core_params *p)
{
	struct call_core *cc;

	if (!ccp || !p || !p->loop)
		return -EINVAL;
	cc = mem_zalloc(sizeof(*cc), core_destroy);
	if (!cc)
		return -ENOMEM;
	cc->loop = p->loop;
	cc->tdm = p->tdm;
	cc->sip_new = p->sip_new;
	cc->sip_ctx = p->sip_ctx;
	cc->routes = mem_ref(p->routes);
	cc->cdr = mem_ref(p->cdr);
	cc->lim = p->limits;
	list_init(&cc->calls);
	if (cc->tdm)
		tdm_listen(cc->tdm, tdm_setup_h, NULL, cc);
	*ccp = cc;
	return 0;
}

void call_core_set_routes(struct call_core *cc, struct call_routes *rt)
{
	mem_ref(rt);
	mem_deref(cc->routes);
	cc->routes = rt;
}

void call_core_set_cdr(struct call_core *cc, struct call_cdr_writer *w)
{
	mem_ref(w);
	mem_deref(cc->cdr);
	cc->cdr = w;
}

void call_core_set_limits(struct call_core *cc, const struct call_limits *l)
{
	cc->lim = *l;
}

int call_core_reload_cdr(struct call_core *cc,
			 const struct call_cdr_conf *conf)
{
	if (cc->cdr)
		return call_cdr_writer_reload(cc->cdr, conf);
	return call_cdr_writer_open(conf, &cc->cdr);
}

struct call_routes **call_core_routes_slot(struct call_core *cc)
{
	return &cc->routes;
}

size_t call_core_count(const struct call_core *cc)
{
	return cc->calls.n;
}

struct call *call_core_find(struct call_core *cc, unsigned id)
{
	for (struct le *le = cc->calls.head; le; le = le->next) {
		struct call *c = le->data;

		if (c->id == id)
			return c;
	}
	return NULL;
}

int call_core_foreach(struct call_core *cc, call_visit_h *h, void *arg)
{
	struct le *le = cc->calls.head;

	while (le) {
		struct le *next = le->next;
		int r = h(le->data, arg);

		if (r)
			return r;
		le = next;
	}
	return 0;
}

int call_hangup(struct call *c, int cause)
{
	if (cause < 1 || cause > CALL_CAUSE_MAX)
		return -EINVAL;
	if (c->st >= CALL_ST_RELEASING)
		return -EALREADY;
	LOGI_ID(c->cid, "call %u: hung up by the operator: cause %d", c->id,
		cause);
	mem_ref(c);
	call_finish(c, cause);
	mem_deref(c);
	return 0;
}

void call_get_info(struct call *c, struct call_info *ci)
{
	struct call_relay_stats rs;
	struct call_leg_stats st;
	uint64_t now = loop_now_ms();

	memset(ci, 0, sizeof(*ci));
	ci->id = c->id;
	ci->state = c->st;
	ci->cid = c->cid;
	ci->in = c->in ? c->in->name : "";
	ci->out = c->out ? c->out->name : "";
	ci->caller = c->rr ? c->rr->calling : c->setup.calling.num.digits;
	ci->callee = c->rr ? c->rr->called : c->setup.called.num.digits;
	ci->route = c->rr ? c->rr->route : "";
	ci->target = c->target;
	ci->duration_ms = now - c->start_mono;
	ci->talk_ms = c->answer_mono ? now - c->answer_mono : 0;
	for (int i = 0; i < 2 && !ci->codec[0]; i++) {
		struct call_leg *leg = i ? c->out : c->in;

		if (!leg)
			continue;
		leg->ops->stats(leg, &st);
		snprintf(ci->codec, sizeof(ci->codec), "%s", st.codec);
	}
	ci->frames_in_out = c->br.frames_ab;
	ci->frames_out_in = c->br.frames_ba;
	call_bridge_relay_stats(&c->br, &rs);
	ci->media = rs.on && rs.engine ? rs.engine : "decoded";
	ci->relayed_pkts = rs.packets;
	ci->relayed_bytes = rs.bytes;
}
