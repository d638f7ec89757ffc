/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDM call leg: struct call_leg_ops over one channel of the TDM layer
 * (tdm/tdm.h). It is a clocked leg: every 20 ms frame the channel receives
 * goes out through the leg's audio handler, and that is the clock the
 * bridge runs on.
 *
 * Incoming: the call core gets TDM_EV_SETUP from tdm_listen() and wraps
 * the channel with call_leg_tdm_in(). Outgoing: call_leg_tdm_out() names
 * a group and a hunting order; dial() seizes a channel then and dials.
 *
 * The leg's setup.ingress for an incoming call reads "span:S,group:G"
 * (G: the channel's first group), so a route can match either.
 */
#ifndef TL_CALL_LEG_TDM_H
#define TL_CALL_LEG_TDM_H

#include "leg.h"
#include "route.h"

struct tdm;
struct tdm_chan;
struct tdm_setup;

/*
 * Wrap the incoming call on @ch (just announced by TDM_EV_SETUP with
 * @ts) in a new leg (mem object, the caller's reference) and bind the
 * channel to it; @s gets the call's setup (numbers classified by length
 * and a leading '+' only: TDM carries no TON here). 0 or -ENOMEM (the
 * channel is left as it was).
 */
int call_leg_tdm_in(struct call_leg **legp, struct tdm_chan *ch,
		    const struct tdm_setup *ts, struct call_leg_setup *s);

/*
 * A new outgoing leg on TDM group @group of @t (borrowed; must outlive
 * the leg) with hunting @hunt. Nothing is seized before dial(), which
 * returns -EBUSY when every channel of the group is taken and -ENOENT
 * when there is no such group. 0, -EINVAL (no @t) or -ENOMEM.
 */
int call_leg_tdm_out(struct call_leg **legp, struct tdm *t, unsigned group,
		     enum call_hunt hunt);

/* True when @leg is a TDM leg (for tests and "show calls"). */
bool call_leg_is_tdm(const struct call_leg *leg);

/* The channel a TDM leg holds, or NULL (not seized yet, or released). */
struct tdm_chan *call_leg_tdm_chan(const struct call_leg *leg);

#endif
