/* SPDX-License-Identifier: GPL-2.0 */
/*
 * [peer NAME] sections: the SIP peers and trunks the gateway talks to.
 * A peer has an address (where outgoing calls go, and, with identify on,
 * the source address that makes incoming requests "peer:NAME"), a
 * transport, and the per-peer call policy the SIP leg applies: reliable
 * provisionals, SRTP, codecs, DTMF, session timer, cause overrides and
 * digest credentials.
 */
#ifndef TL_SIP_PEER_H
#define TL_SIP_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "transp.h"

enum sip_peer_100rel {
	SIP_PEER_100REL_OFF,	   /* never reliable; ignore "Supported" */
	SIP_PEER_100REL_SUPPORTED, /* reliable 18x when the peer asks */
	SIP_PEER_100REL_REQUIRED,  /* demand it: 420 / Require: 100rel */
};

enum sip_peer_srtp {
	SIP_PEER_SRTP_OFF,
	SIP_PEER_SRTP_OPTIONAL,
	SIP_PEER_SRTP_MANDATORY,
};

enum sip_peer_dtmf {
	SIP_PEER_DTMF_RFC4733,
	SIP_PEER_DTMF_INBAND,
};

struct sip_peer_conf {
	struct sa address;		/* ip:port (port default 5060) */
	int transport;			/* enum sip_tp */
	bool identify;			/* match incoming by source address */
	int rel100;			/* enum sip_peer_100rel */
	int srtp;			/* enum sip_peer_srtp */
	struct conf_strlist codecs;	/* "PCMU", "PCMA", "G722", in order */
	int dtmf;			/* enum sip_peer_dtmf */
	int64_t session_timer;		/* seconds, 0 = off */
	char *cause_map;		/* call_cause_ovr_parse() syntax */
	char *username;			/* outbound digest auth, "" = none */
	char *password;
	uint64_t keepalive;		/* OPTIONS interval, ms; 0 = off */
	int64_t keepalive_fails;	/* failures in a row before down */
};

/* The [peer NAME] section definition (for the module's sects[]). */
extern const struct conf_sect_def sip_peer_conf_sect;

/* [peer @name] of @c, or NULL. */
const struct sip_peer_conf *sip_peer_find(const struct conf *c,
					  const char *name);

/*
 * The peer an incoming message from @src over @tp comes from: the first
 * identify=yes peer whose address and port equal @src, else the first
 * whose address alone does (carriers send from other ports). NULL: none.
 */
const struct sip_peer_conf *sip_peer_by_src(const struct conf *c,
					    enum sip_tp tp,
					    const struct sa *src);

/*
 * Whether calls may go to peer @name: false only while its OPTIONS
 * keepalive (gateway/sip/peer_ping.h) has it down. True when keepalive is
 * off for it, before its first answer or timeout settles the state, for a
 * name that is no [peer], and when the SIP module is not running: the
 * call layer's busy-out must never block a peer nobody watches.
 */
bool sip_peer_up(const char *name);

/* Lowest session timer interval we accept or ask for (RFC 4028 4). */
#define SIP_PEER_MIN_SE 90

/* Shortest OPTIONS keepalive interval, ms (tests use sub-second ones). */
#define SIP_PEER_KEEPALIVE_MIN 100

#endif
