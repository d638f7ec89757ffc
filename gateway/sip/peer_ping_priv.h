/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the OPTIONS keepalive: the set and its entries, shared by
 * peer_ping.c (state machine, set), peer_ping_send.c (the request) and
 * peer_ping_ctl.c ("show peers"). */
#ifndef TL_SIP_PEER_PING_PRIV_H
#define TL_SIP_PEER_PING_PRIV_H

#include "../base/list.h"
#include "../base/loop.h"
#include "../base/sa.h"
#include "peer_ping.h"
#include "transp.h"
#include "tsx.h"

/* One pinged peer. */
struct sip_ping {
	struct le le;			/* in sip_pings.ents */
	struct sip_pings *set;		/* borrowed: the set frees us first */
	char *name;			/* owned mem strings */
	char *fp;			/* the settings it was made of */
	enum sip_tp tpt;
	struct sa dst;
	uint64_t interval;		/* ms */
	unsigned max_fails;
	struct sip_ctrans *ct;		/* owned ref: the OPTIONS in flight */
	struct tmr tmr;			/* the next ping */
	bool due;			/* interval over, one still out */
	uint64_t sent_at;		/* loop_now_ms() of the one in flight */
	uint32_t cseq;
	enum sip_peer_state state;
	uint64_t changed_at;		/* loop_now_ms() of the last change */
	uint16_t last_scode;
	int64_t rtt;			/* ms; -1: no live answer yet */
	unsigned fails;
	uint64_t sent;
};

struct sip_pings {
	struct loop *loop;		/* borrowed */
	struct sip_tsx_layer *tsx;	/* borrowed */
	struct sip_transp *tp;		/* borrowed */
	const struct conf *conf;	/* borrowed: the live configuration */
	char *ua;			/* owned; NULL: no User-Agent */
	struct list ents;		/* struct sip_ping, owned */
};

/*
 * Send the next OPTIONS of @p (fresh Call-ID, tag and branch, CSeq + 1)
 * with our Via and Contact for its transport and address family; on
 * success p->ct holds a reference to the client transaction, whose
 * handler is @h with @p as its argument. 0 or a negative errno (no
 * listener for the transport, a send failure ...).
 */
int sip_ping_send(struct sip_ping *p, sip_ctrans_h *h);

/* The entry of peer @name, or NULL. */
struct sip_ping *sip_pings_find(const struct sip_pings *s, const char *name);

#endif
