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
 * (SIP to SIP) are forwarded without decoding by the offload layer (the
 * userspace relay or XDP, call_relay.c) when their media allow it and
 * both peers are confirmed; until then, and whenever they do not, a 20 ms
 * loop timer pulls decoded audio from each and puts it into the other,
 * and asks the relay again on every tick.
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

/* A relayed bridge's figures, over every stint of the call's flows. */
struct call_relay_stats {
	const char *engine;	 /* "xdp", "relay"; NULL: never relayed */
	bool on;		 /* relayed now */
	uint64_t packets, bytes; /* forwarded undecoded, both ways */
	uint64_t last_ms;	 /* loop_now_ms() of the newest packet */
};

struct call_bridge {
	struct loop *loop;     /* borrowed */
	struct call_leg *a, *b; /* borrowed from the call; NULL: stopped */
	bool ab, ba;	       /* directions cut through */
	struct tmr tick;       /* SIP to SIP only */
	uint64_t next_due;
	uint64_t frames_ab, frames_ba; /* frames moved, for "show calls" */
	struct call_relay *relay; /* owned: SIP to SIP undecoded, or NULL */
	struct call_relay_stats done; /* the relay's stints that ended */
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

/* Whether the legs' media go through the offload layer now (the legs'
 * streams idle: digits travel as RFC 4733 packets, not as commands). */
bool call_bridge_relayed(const struct call_bridge *br);

/* The relay's figures (zero, engine NULL, when it never ran). */
void call_bridge_relay_stats(const struct call_bridge *br,
			     struct call_relay_stats *st);

/* call_relay.c, for bridge.c only: forward @br's SIP legs undecoded if
 * they qualify (true), else take the flows down (false); stop for good
 * (flows removed, sockets back with the legs, the figures added to
 * br->done); the figures so far. */
bool call_relay_check(struct call_bridge *br);
void call_relay_stop(struct call_bridge *br);
void call_relay_stats(const struct call_bridge *br,
		      struct call_relay_stats *st);

/* A clocked leg @from delivered @frame (CALL_BRIDGE_FRAME samples): the
 * call's audio handler passes it here. Frames from a leg that is not in
 * the bridge are dropped. */
void call_bridge_audio(struct call_bridge *br, struct call_leg *from,
		       const int16_t *frame);

#endif
