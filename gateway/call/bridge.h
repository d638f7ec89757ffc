/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bridge: moves a call's audio between its two legs, in the
 * directions the call has cut through.
 *
 * Clocked legs (TDM) drive it: each frame a clocked leg delivers is put
 * into the other leg, and, when the other leg has no clock of its own
 * (SIP), that leg's next frame is pulled from it and written back to the
 * clocked one in the same tick, so a TDM leg and a SIP leg never drift.
 * Two clocked legs each carry their own direction. Two unclocked legs
 * (SIP to SIP) are paced by a 20 ms loop timer that pulls from each and
 * puts into the other (decoded audio; the relay/offload path for matching
 * codecs is not used yet).
 *
 * The bridge borrows both legs: the call owns them and stops the bridge
 * before it lets a leg go.
 */
#ifndef TL_CALL_BRIDGE_H
#define TL_CALL_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/loop.h"
#include "leg.h"

#define CALL_BRIDGE_FRAME 160 /* samples: 20 ms at 8 kHz */
#define CALL_BRIDGE_TICK_MS 20

struct call_bridge {
	struct loop *loop;     /* borrowed */
	struct call_leg *a, *b; /* borrowed from the call; NULL: stopped */
	bool ab, ba;	       /* directions cut through */
	struct tmr tick;       /* SIP to SIP only */
	uint64_t next_due;
	uint64_t frames_ab, frames_ba; /* frames moved, for "show calls" */
};

/* Make @br an empty bridge on @loop (borrowed). */
void call_bridge_init(struct call_bridge *br, struct loop *loop);

/*
 * Connect @a and @b with audio from @a to @b when @ab, and from @b to @a
 * when @ba; calling it again changes the directions (early media cut
 * through one way, then both on answer). Both false stops the audio but
 * keeps the legs. 0, or -EINVAL for a missing leg.
 */
int call_bridge_set(struct call_bridge *br, struct call_leg *a,
		    struct call_leg *b, bool ab, bool ba);

/* Stop moving audio and forget the legs (before the call drops them). */
void call_bridge_stop(struct call_bridge *br);

/* A clocked leg @from delivered @frame (CALL_BRIDGE_FRAME samples): the
 * call's audio handler passes it here. Frames from a leg that is not in
 * the bridge are dropped. */
void call_bridge_audio(struct call_bridge *br, struct call_leg *from,
		       const int16_t *frame);

#endif
