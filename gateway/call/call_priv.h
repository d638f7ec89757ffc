/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the call layer: the call and the core, shared by call.c (state
 * machine), call_core.c (the set of calls), call_end.c (teardown, CDR)
 * and call_ctl.c (commands). */
#ifndef TL_CALL_CALL_PRIV_H
#define TL_CALL_CALL_PRIV_H

#include "../base/list.h"
#include "../base/loop.h"
#include "bridge.h"
#include "call.h"

struct call_core {
	struct loop *loop; /* borrowed */
	struct tdm *tdm;   /* borrowed */
	call_sip_new_h *sip_new;
	void *sip_ctx;
	struct call_routes *routes;  /* owned reference */
	struct call_cdr_writer *cdr; /* owned reference */
	struct call_limits lim;
	struct list calls; /* each holds one reference to its call */
	unsigned next_id;
	bool closing;
};

struct call {
	struct le le;
	struct call_core *cc; /* borrowed: it outlives its calls */
	unsigned id;
	char cid[CALL_LEG_ID_MAX]; /* log and CDR id */
	enum call_state st;
	struct call_leg *in, *out;   /* owned references; NULL once gone */
	struct call_leg_setup setup; /* as the ingress leg gave it */
	struct call_leg_setup eg;    /* rewritten, for the egress leg */
	struct call_route_res *rr;   /* owned */
	char target[64];	     /* "group:1", "peer:pbx" */
	struct call_bridge br;
	bool early_cut; /* early media from the egress leg is cut through */
	bool dialing;	/* inside the egress leg's dial() */
	int dial_cause; /* a release it reported from inside dial() */
	int reject;	/* nonzero: end with this cause instead of routing */
	char egress[64]; /* the last egress leg's name */
	struct tmr t_route, t_noans, t_media;
	uint64_t start_mono, answer_mono;
	uint64_t start_ms, answer_ms; /* Unix ms, for the CDR */
	struct call_leg_stats st_in, st_out; /* the last taken */
	bool have_in, have_out;
	uint64_t rx_pkts, tx_pkts; /* of the network leg, for loss % */
	int sip_status;
};

/* Unix time in ms (CDR times). */
uint64_t call_now_unix_ms(void);

/* call.c: start routing @c (from its route timer). */
void call_on_route(void *arg);
/* call.c: the handlers every leg of a call is bound to. */
void call_on_leg_ev(struct call_leg *leg, const struct call_leg_ev *ev,
		    void *arg);
void call_on_leg_audio(struct call_leg *leg, const int16_t *frame,
		       void *arg);

/* call_end.c: snapshot @leg's figures into @c (before it goes). */
void call_take_stats(struct call *c, struct call_leg *leg);
/* call_end.c: let go of *@lp (c->in or c->out): figures taken, bridge
 * stopped, unbound, released with @cause unless @cause is 0 (the leg
 * reported its own release), reference dropped, *@lp cleared. */
void call_leg_drop(struct call *c, struct call_leg **lp, int cause);
/* call_end.c: release the legs still up with @cause, write the CDR,
 * leave the core. @c may be freed on return. */
void call_finish(struct call *c, int cause);

#endif
