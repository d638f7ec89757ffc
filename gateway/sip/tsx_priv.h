/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the transaction layer: the structures shared by tsx.c (layer,
 * hashing, dispatch), tsx_match.c (17.1.3 / 17.2.3 rules), tsx_uas.c (what
 * happens to a request: retransmission, ACK, CANCEL, 482, 483, new
 * transaction), ctrans.c and strans.c (the state machines).
 */
#ifndef TL_SIP_TSX_PRIV_H
#define TL_SIP_TSX_PRIV_H

#include "../base/buf.h"
#include "../base/list.h"
#include "tsx.h"

/*
 * A transaction table, keyed by Call-ID: every rule that finds a
 * transaction (branch, RFC 2543, CANCEL, merged request, the ACK of a
 * 2xx) compares the Call-ID, so one bucket holds all candidates. The
 * buckets double when the table holds more than two transactions per
 * bucket: a UDP non-INVITE server transaction lives 64*T1 (Timer J,
 * 32 s), so 8000 OPTIONS a second keep 256,000 of them, and a fixed
 * table would make every lookup a long walk.
 */
#define SIP_TSX_BUCKETS_MIN 1024u

struct sip_tsx_tab {
	struct list *b; /* owned: nb buckets */
	uint32_t nb;	/* a power of two */
	size_t n;	/* transactions linked */
	/* the Call-ID of a linked object, for rehashing */
	struct strv (*key)(const void *data);
};

/* 100 Trying for an INVITE the TU has not answered yet (17.2.1). */
#define SIP_TSX_TRYING_MS 200

struct sip_tsx_layer {
	struct loop *loop;		/* borrowed */
	struct sip_tsx_params p;	/* timer defaults filled in */
	uint64_t rnd;			/* tag and branch generator state */
	struct sip_tsx_tab ctab, stab;	/* client, server transactions */
};

enum sip_ctrans_state {
	SIP_CT_CALLING,		/* INVITE; "Trying" for non-INVITE */
	SIP_CT_PROCEEDING,
	SIP_CT_COMPLETED,
	SIP_CT_ACCEPTED,	/* INVITE after a 2xx (RFC 6026) */
	SIP_CT_TERMINATED,
};

struct sip_ctrans {
	struct le le;			/* in layer->ctab */
	struct sip_tsx_layer *l;	/* borrowed; NULL once terminated */
	struct sip_msg *req;		/* owned: our request, parsed */
	struct sip_ctrans_dest d;	/* owns a reference on d.conn */
	enum sip_ctrans_state state;
	bool invite;
	bool reliable;
	bool cancel_wanted;		/* CANCEL asked before any 1xx */
	bool cancel_sent;
	struct tmr tr;			/* A or E: retransmit */
	struct tmr tt;			/* B, F, D, K, M, CANCEL wait */
	uint64_t rtx_due;		/* ideal time of the next retransmit */
	uint32_t rtx_ival;
	struct buf ack;			/* ACK for a non-2xx (Completed) */
	struct buf cancel_hdrs;		/* extra CANCEL header lines */
	sip_ctrans_h *h;
	void *arg;
};

enum sip_strans_state {
	SIP_ST_TRYING,		/* non-INVITE before any response */
	SIP_ST_PROCEEDING,
	SIP_ST_COMPLETED,
	SIP_ST_CONFIRMED,	/* INVITE: ACK for the non-2xx arrived */
	SIP_ST_ACCEPTED,	/* INVITE: 2xx sent (RFC 6026) */
	SIP_ST_TERMINATED,
};

struct sip_strans {
	struct le le;			/* in layer->stab */
	struct sip_tsx_layer *l;	/* borrowed; NULL once terminated */
	struct sip_msg *req;		/* owned */
	struct sip_src src;		/* owns a reference on src.conn */
	enum sip_strans_state state;
	bool invite;
	bool rfc2543;			/* no z9hG4bK branch: 17.2.3 fallback */
	bool reliable;
	bool acked;			/* ACK for our 2xx seen */
	bool cancelled;
	char *totag;			/* owned: To tag of our responses */
	struct buf resp;		/* last response sent */
	uint16_t scode;			/* its status code, 0 = none yet */
	struct tmr tr;			/* 100 Trying, G, 2xx retransmit */
	struct tmr tt;			/* H, I, J, L */
	uint64_t rtx_due;
	uint32_t rtx_ival;
	sip_strans_h *h;
	void *arg;
};

/* tsx.c */
/* The bucket of @call_id in @t. */
struct list *sip_tsx_bucket(const struct sip_tsx_tab *t, struct strv call_id);
/* Link @e of @data (Call-ID @call_id) into @t, growing it first when it
 * is full (if that fails, it stays as it is: longer walks, no loss). */
void sip_tsx_tab_add(struct sip_tsx_tab *t, struct le *e, void *data,
		     struct strv call_id);
/* Unlink @e from @t. */
void sip_tsx_tab_del(struct sip_tsx_tab *t, struct le *e);
/* Start @t to fire at absolute loop time @due (now if past). */
void sip_tsx_tmr_at(struct sip_tsx_layer *l, struct tmr *t, uint64_t due,
		    tmr_h *h, void *arg);
bool sip_tsx_is_reliable(enum sip_tp tp);

/* tsx_match.c */
bool sip_tsx_branch_3261(struct strv branch);
/* Does request @m belong to server transaction @st (17.2.3 with the RFC
 * 2543 fallback)? With @as_invite, @st must be an INVITE transaction and
 * the methods are not compared: for ACK, and for the INVITE a CANCEL
 * targets (9.2); else the methods must be equal. */
bool sip_tsx_match_req(const struct sip_strans *st, const struct sip_msg *m,
		       bool as_invite);
/* Does response @m belong to client transaction @ct (17.1.3)? */
bool sip_tsx_match_resp(const struct sip_ctrans *ct,
			const struct sip_msg *m);
/* Is @m the ACK of the 2xx that @st sent (13.3.1.4: same dialog and CSeq
 * number, To tag of our answer)? */
bool sip_tsx_match_2xx_ack(const struct sip_strans *st,
			   const struct sip_msg *m);
/* Merged request (8.2.2.2): @m (no To tag) has the From tag, Call-ID and
 * CSeq of @st but did not match it. */
bool sip_tsx_match_merged(const struct sip_strans *st,
			  const struct sip_msg *m);

/* ctrans.c */
bool sip_ctrans_input(struct sip_tsx_layer *l, const struct sip_msg *m);
void sip_ctrans_kill(struct sip_ctrans *ct);

/* strans.c */
int sip_strans_new(struct sip_strans **stp, struct sip_tsx_layer *l,
		   const struct sip_msg *m, const struct sip_src *src);
/* A retransmission of the request of @st arrived. */
void sip_strans_retrans(struct sip_strans *st);
/* An ACK matching @st arrived (non-2xx ACK, or the 2xx's). */
void sip_strans_ack(struct sip_strans *st, const struct sip_msg *ack);
/* A CANCEL for @st arrived and was answered 200. */
void sip_strans_cancel(struct sip_strans *st, const struct sip_msg *cancel);
/* Answer from the layer itself (100, 481, 482, 483, 487, 200 to CANCEL);
 * an empty @to_tag gets the transaction's (sip_strans_totag). */
int sip_strans_auto_reply(struct sip_strans *st, uint16_t scode,
			  struct strv to_tag);
/* The To tag @st answers with, chosen now if no answer carried one yet
 * (NULL only on ENOMEM). */
const char *sip_strans_totag(struct sip_strans *st);
void sip_strans_kill(struct sip_strans *st);

/* tsx_uas.c */
bool sip_tsx_input_req(struct sip_tsx_layer *l, const struct sip_msg *m,
		       const struct sip_src *src);

#endif
