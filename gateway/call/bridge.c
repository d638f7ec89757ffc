// SPDX-License-Identifier: GPL-2.0
/* The audio bridge between a call's two legs (see bridge.h). */
#include <errno.h>
#include <string.h>

#include "bridge.h"

void call_bridge_init(struct call_bridge *br, struct loop *loop)
{
	memset(br, 0, sizeof(*br));
	br->loop = loop;
	tmr_init(&br->tick);
}

/* Move one frame from @from (unclocked: pulled) to @to. */
static void pull_put(struct call_leg *from, struct call_leg *to,
		     uint64_t *count)
{
	int16_t f[CALL_BRIDGE_FRAME];

	if (from->ops->audio_get(from, f) < 0)
		return;
	if (!to->ops->audio_put(to, f))
		(*count)++;
}

static void tick(void *arg)
{
	struct call_bridge *br = arg;
	uint64_t now = loop_now_ms();

	/* absolute deadlines keep 50 frames a second; after a stall skip
	 * ahead instead of bursting, the jitter buffers cope with a gap
	 * better than with a burst */
	br->next_due += CALL_BRIDGE_TICK_MS;
	if (br->next_due + 5 * CALL_BRIDGE_TICK_MS < now)
		br->next_due = now + CALL_BRIDGE_TICK_MS;
	tmr_start(br->loop, &br->tick,
		  br->next_due > now ? br->next_due - now : 0, tick, br);
	/* the peers confirmed since the last tick: the relay takes over
	 * and the streams go idle */
	if (call_relay_check(br)) {
		tmr_cancel(&br->tick);
		return;
	}
	if (br->ab)
		pull_put(br->a, br->b, &br->frames_ab);
	if (br->ba)
		pull_put(br->b, br->a, &br->frames_ba);
}

int call_bridge_set(struct call_bridge *br, struct call_leg *a,
		    struct call_leg *b, bool ab, bool ba)
{
	if (!a || !b)
		return -EINVAL;
	if (br->relay && (br->a != a || br->b != b))
		call_relay_stop(br);
	br->a = a;
	br->b = b;
	br->ab = ab;
	br->ba = ba;
	if (!a->clock && !b->clock && (ab || ba)) {
		/* relayed: the streams go idle, no decoding tick */
		if (call_relay_check(br)) {
			tmr_cancel(&br->tick);
		} else if (!tmr_running(&br->tick)) {
			br->next_due = loop_now_ms();
			tmr_start(br->loop, &br->tick, CALL_BRIDGE_TICK_MS,
				  tick, br);
			br->next_due += CALL_BRIDGE_TICK_MS;
		}
	} else {
		call_relay_stop(br);
		tmr_cancel(&br->tick);
	}
	return 0;
}

void call_bridge_stop(struct call_bridge *br)
{
	call_relay_stop(br);
	tmr_cancel(&br->tick);
	br->a = br->b = NULL;
	br->ab = br->ba = false;
}

void call_bridge_audio(struct call_bridge *br, struct call_leg *from,
		       const int16_t *frame)
{
	struct call_leg *to;
	bool out, back;

	if (from == br->a && br->a) {
		to = br->b;
		out = br->ab;
		back = br->ba;
	} else if (from == br->b && br->b) {
		to = br->a;
		out = br->ba;
		back = br->ab;
	} else {
		return;
	}
	if (out && !to->ops->audio_put(to, frame)) {
		if (from == br->a)
			br->frames_ab++;
		else
			br->frames_ba++;
	}
	/* an unclocked leg's audio rides on this leg's clock; a clocked
	 * one sends its own frames when they come */
	if (back && !to->clock)
		pull_put(to, from, from == br->a ? &br->frames_ba :
						   &br->frames_ab);
}

void call_bridge_relay_stats(const struct call_bridge *br,
			     struct call_relay_stats *st)
{
	call_relay_stats(br, st);
}
