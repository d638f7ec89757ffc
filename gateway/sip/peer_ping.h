/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OPTIONS keepalive toward [peer] sections (RFC 3261 11: OPTIONS as a
 * capability query that any UA must answer, which makes it the common
 * "is it alive" probe between SIP servers).
 *
 * Every peer with keepalive = INTERVAL (not 0) gets an OPTIONS every
 * INTERVAL through the transaction layer, so it is retransmitted over UDP
 * and times out with Timer F like any non-INVITE request. At most one is
 * in flight per peer: when the interval ends before Timer F does, the
 * next one goes out as soon as the current one ends.
 *
 * Any final response but 408 and 503 proves the peer alive; 408 (Timer F
 * in the layer, or the peer's own), 503 (a transport error in the layer,
 * or the peer saying it cannot serve) and a failure to send count as
 * failures. keepalive_fails failures in a row take the peer down; the
 * first live answer brings it up. The state starts unknown and every
 * change is logged.
 *
 * A set (struct sip_pings) runs the pings of a configuration across
 * start, reload (peers whose keepalive settings changed restart from
 * unknown, removed ones stop, unchanged ones keep their state) and stop,
 * and serves "show peers" for every [peer], pinged or not.
 */
#ifndef TL_SIP_PEER_PING_H
#define TL_SIP_PEER_PING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "../ctl/ctl.h"

struct loop;
struct sip_pings;
struct sip_transp;
struct sip_tsx_layer;

enum sip_peer_state {
	SIP_PEER_OFF,		/* keepalive off: never pinged */
	SIP_PEER_UNKNOWN,	/* pinging, nothing settled yet */
	SIP_PEER_UP,
	SIP_PEER_DOWN,
};

/* The keepalive state of one peer, for status and tests. */
struct sip_peer_ping_info {
	enum sip_peer_state state;
	uint16_t last_scode;	/* last final status (408/503 included);
				 * 0: none yet */
	int64_t rtt_ms;		/* send to answer of the last live answer;
				 * -1: none yet */
	int64_t since_ms;	/* in the current state for; -1: off */
	unsigned fails;		/* failures in a row */
	uint64_t sent;		/* OPTIONS sent */
};

/*
 * A set pinging every [peer] of @conf with keepalive on, on @loop through
 * @tsx and @tp (all borrowed: release the set first; @conf must stay
 * until the next sip_pings_update()). The first OPTIONS of each goes out
 * at once; @user_agent (copied; NULL: none) is its User-Agent.
 * 0 or -ENOMEM.
 */
int sip_pings_new(struct sip_pings **sp, struct loop *loop,
		  struct sip_tsx_layer *tsx, struct sip_transp *tp,
		  const struct conf *conf, const char *user_agent);

/*
 * Apply a reloaded @conf (borrowed from now on): peers whose address,
 * transport, keepalive, keepalive_fails or the User-Agent changed are
 * restarted (state unknown, a ping at once), new ones start, removed ones
 * and ones with keepalive now off stop; the rest keep running untouched.
 * 0 or -ENOMEM (the set is then partly updated; nothing leaks).
 */
int sip_pings_update(struct sip_pings *s, const struct conf *conf,
		     const char *user_agent);

/*
 * The keepalive state of peer @name into @info: 0, or -ENOENT when no
 * [peer @name] has keepalive on (@info then says SIP_PEER_OFF).
 */
int sip_pings_info(const struct sip_pings *s, const char *name,
		   struct sip_peer_ping_info *info);

/* False only when @name is pinged and down (see sip_peer_up()). */
bool sip_pings_up(const struct sip_pings *s, const char *name);

/* Peers being pinged. */
size_t sip_pings_count(const struct sip_pings *s);

/* "off", "unknown", "up", "down". */
const char *sip_peer_state_name(enum sip_peer_state st);

/* "show peers": register with ctl_register(ctl, sip_pings_cmds,
 * sip_pings_ncmds, set). */
extern const struct ctl_cmd sip_pings_cmds[];
extern const size_t sip_pings_ncmds;

#endif
