/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls: two legs and a bridge (docs/architecture.md).
 *
 * An incoming leg (a TDM channel from tdm_listen(), a SIP dialog from the
 * SIP leg's listener) becomes a call; the route table picks the targets
 * and rewrites the numbers; the call dials the targets in order, failing
 * over on the route's causes, and relays what the egress leg reports
 * (progress, alerting, answer, release, digits) to the ingress leg:
 *
 *   setup -> proceeding -> early (alerting / progress) -> answered
 *         -> releasing -> done
 *
 * Early media: the egress leg's in-band progress or alerting cuts its
 * audio through to the caller before the answer. Timers: no answer
 * (cause 19), media inactivity on an answered call with a network leg
 * (cause 41). Every call ends with one CDR.
 *
 * The call core (struct call_core) holds the live calls, the route table,
 * the CDR writer and the limits; it runs on the loop's thread.
 */
#ifndef TL_CALL_CALL_H
#define TL_CALL_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "../ctl/ctl.h"
#include "cdr.h"
#include "leg.h"
#include "route.h"

struct loop;
struct tdm;
struct call;
struct call_core;

enum call_state {
	CALL_ST_SETUP = 0, /* routing, dialling the first target */
	CALL_ST_PROCEEDING, /* the egress leg is dialled */
	CALL_ST_EARLY,	    /* it alerts or sends progress */
	CALL_ST_ANSWERED,
	CALL_ST_RELEASING,
	CALL_ST_DONE,
};

const char *call_state_name(enum call_state st);

/* Make an outgoing SIP leg towards [peer @peer] (call_leg_sip_new()'s
 * signature: the daemon passes that, tests their own). */
typedef int(call_sip_new_h)(struct call_leg **legp, const char *peer,
			    void *ctx);

/* [calls] */
struct call_limits {
	uint64_t no_answer_ms;	   /* 0: no limit; else cause 19 */
	uint64_t media_timeout_ms; /* 0: off; else cause 41 */
	int64_t max_calls;	   /* 0: no limit; else cause 34 */
};

extern const struct conf_sect_def call_calls_sect;

struct call_core_params {
	struct loop *loop;	  /* borrowed */
	struct tdm *tdm;	  /* borrowed; NULL: no TDM */
	call_sip_new_h *sip_new;  /* NULL: peer targets fail with 3 */
	void *sip_ctx;		  /* passed to sip_new */
	struct call_routes *routes; /* referenced; NULL: every call gets 3 */
	struct call_cdr_writer *cdr; /* referenced; NULL: no CDR */
	struct call_limits limits;
};

/*
 * New call core (mem object). With a TDM layer it listens there for
 * incoming calls (tdm_listen) until it is freed; freeing it ends every
 * call with cause 41 (their CDRs are written). 0, -EINVAL, -ENOMEM.
 */
int call_core_new(struct call_core **ccp, const struct call_core_params *p);

/* Replace the route table, CDR writer (NULL: none) or limits; calls in
 * progress keep the route they were given. */
void call_core_set_routes(struct call_core *cc, struct call_routes *rt);
void call_core_set_cdr(struct call_core *cc, struct call_cdr_writer *w);
void call_core_set_limits(struct call_core *cc, const struct call_limits *l);

/* Reload: reopen the CDR writer's files with @conf (a writer is opened
 * if there was none). 0 or the writer's error (the old sinks stay). */
int call_core_reload_cdr(struct call_core *cc,
			 const struct call_cdr_conf *conf);

/* The live route table (borrowed), for "show routes"'s slot. */
struct call_routes **call_core_routes_slot(struct call_core *cc);

/*
 * A new incoming call on @leg with @s: the handler for the SIP leg's
 * listener (call_leg_sip_listen(call_core_leg_in_h, cc)); @arg is the
 * core. On CALL_LEG_SETUP it takes a reference to @leg and binds it;
 * routing starts from the loop right after the handler returns. Other
 * events are ignored.
 */
void call_core_leg_in_h(struct call_leg *leg, const struct call_leg_ev *ev,
			void *arg);

/* Live calls. */
size_t call_core_count(const struct call_core *cc);
/* The call with id @id, or NULL (borrowed). */
struct call *call_core_find(struct call_core *cc, unsigned id);
/* Visit every call in start order; stop at a nonzero return of @h. */
typedef int(call_visit_h)(struct call *c, void *arg);
int call_core_foreach(struct call_core *cc, call_visit_h *h, void *arg);

/* What "show calls" prints about one call. */
struct call_info {
	unsigned id;
	enum call_state state;
	const char *cid;       /* borrowed: the CDR id */
	const char *in, *out;  /* borrowed: leg names ("" for none) */
	const char *caller, *callee; /* after rewriting */
	const char *route, *target;
	uint64_t duration_ms;  /* since the start */
	uint64_t talk_ms;      /* since the answer, 0 if unanswered */
	char codec[16];
	uint64_t frames_in_out, frames_out_in; /* audio bridged */
	const char *media;     /* "relay", "xdp": forwarded undecoded now
				* by that engine; "decoded" */
	uint64_t relayed_pkts, relayed_bytes; /* undecoded, both ways */
};

void call_get_info(struct call *c, struct call_info *ci);

/* End call @c with Q.850 @cause (1..127) on both legs; its CDR is
 * written now. 0, -EINVAL (bad cause), -EALREADY (already ending). */
int call_hangup(struct call *c, int cause);

/*
 * "show calls" and "call hangup ID". Register with ctl_register(ctl,
 * call_cmds, call_ncmds, slot), @slot a struct call_core ** (NULL inside:
 * the call layer is not running).
 */
extern const struct ctl_cmd call_cmds[];
extern const size_t call_ncmds;

#endif
