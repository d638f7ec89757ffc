/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the SIP-leg suites (check_leg_sip*.c) share: one side of a
 * two-leg loopback call records the events its leg emits, and the test
 * waits for them while the loop runs.
 */
#ifndef TL_TESTS_LEG_RIG_H
#define TL_TESTS_LEG_RIG_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/call/leg.h"

#define LEG_RIG_MAXEV 16

struct leg_side {
	struct call_leg *leg;
	enum call_leg_ev_type ev[LEG_RIG_MAXEV];
	struct call_leg_ev evs[LEG_RIG_MAXEV]; /* .setup is not kept */
	size_t nev;
};

static inline void leg_side_record(struct leg_side *s,
				   const struct call_leg_ev *ev)
{
	ck_assert_uint_lt(s->nev, LEG_RIG_MAXEV);
	s->ev[s->nev] = ev->type;
	s->evs[s->nev] = *ev;
	s->evs[s->nev].setup = NULL;
	s->nev++;
}

static inline const struct call_leg_ev *
leg_side_find(const struct leg_side *s, enum call_leg_ev_type type)
{
	for (size_t i = 0; i < s->nev; i++)
		if (s->ev[i] == type)
			return &s->evs[i];
	return NULL;
}

/* Run @l until @s has seen @type (true) or @ms pass (false). */
static inline bool leg_side_wait(struct loop *l, const struct leg_side *s,
				 enum call_leg_ev_type type, unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end) {
		if (leg_side_find(s, type))
			return true;
		loop_poll(l, 10);
	}
	return leg_side_find(s, type) != NULL;
}

/* Run @l for @ms. */
static inline void leg_rig_spin(struct loop *l, unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(l, 10);
}

#endif
