/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the SIP leg: the leg object and what its files share. */
#ifndef TL_CALL_LEG_SIP_PRIV_H
#define TL_CALL_LEG_SIP_PRIV_H

#include "../base/buf.h"
#include "../base/loop.h"
#include "../sdp/oa.h"
#include "../sip/module.h"
#include "../sip/msg.h"
#include "../sip/transp.h"
#include "../sip/tsx.h"
#include "cause.h"
#include "leg_sip.h"

struct media_stream;
struct sip_auth_cli;
struct sip_ctrans;
struct sip_dialog;
struct sip_strans;

enum leg_sip_state {
	LEG_SIP_IDLE,	   /* UAC before dial() */
	LEG_SIP_CALLING,   /* INVITE out / in, no final answer yet */
	LEG_SIP_ANSWERED,  /* UAS: 200 sent, waiting for the ACK */
	LEG_SIP_CONFIRMED, /* the call is up */
	LEG_SIP_DEAD,	   /* released either way */
};

/* The peer's call policy, copied so a reload cannot pull it away. */
struct leg_sip_policy {
	char name[64];
	struct sa addr;		/* len 0: unknown peer (UAS only) */
	enum sip_tp tp;
	int rel100;		/* enum sip_peer_100rel */
	enum sdp_srtp srtp;
	enum sdp_codec codecs[SDP_NCODECS];
	unsigned ncodecs;
	bool dtmf_inband;
	uint32_t session_timer;	/* s, 0 = off */
	struct call_cause_ovr ovr;
};

/* UAS: reliable provisional responses (RFC 3262), leg_sip_rel.c */
struct leg_sip_rel {
	bool use;		/* the INVITE lets us send 18x reliably */
	bool open;		/* the last one is not PRACKed yet */
	bool sdp, next_sdp;
	bool answer;		/* our 200 waits for the PRACK */
	uint16_t code;		/* the unacknowledged one */
	uint16_t next;		/* one waiting for its turn, 0: none */
	uint32_t rseq;		/* RSeq of the last one sent */
	uint32_t inv_cseq;
	uint32_t ivl, waited;	/* retransmission interval, total, ms */
	struct tmr tmr;
};

/* Who refreshes the session (RFC 4028 refresher parameter), as seen
 * from the transaction that carries it. */
enum leg_sip_st_who {
	LEG_SIP_ST_NONE,	/* no refresher parameter */
	LEG_SIP_ST_UAC,
	LEG_SIP_ST_UAS,
};

/* The session timer headers of one message (leg_sip_st.c). */
struct leg_sip_st_hdrs {
	uint32_t se;			/* Session-Expires, s; 0: absent */
	enum leg_sip_st_who refresher;
	uint32_t min_se;		/* Min-SE, s; 0: absent */
	bool timer;			/* Supported or Require: timer */
};

/* What a UAS answers to a request's session timer headers. */
struct leg_sip_st_ans {
	uint16_t reject;		/* 422, or 0 to go on */
	uint32_t min_se;		/* the Min-SE of a 422 */
	uint32_t se;			/* the interval, 0: no timer */
	enum leg_sip_st_who refresher;	/* of the 2xx: UAC (the peer) or UAS */
	bool require;			/* Require: timer in the 2xx */
};

/* Session timer of the leg (RFC 4028), leg_sip_st.c */
struct leg_sip_st {
	uint32_t se;			/* negotiated interval, s; 0: off */
	bool refresher;			/* we send the refreshes */
	bool peer_timer;		/* the peer supports "timer" */
	bool peer_update;		/* the peer's Allow lists UPDATE */
	uint32_t min_se;		/* ours: [sip] session_min_se */
	uint32_t req_se, req_min;	/* UAC: what our INVITE asks for */
	bool retried;			/* UAC: INVITE re-sent after a 422 */
	bool sent;			/* refresher: the refresh went out */
	struct tmr tmr;			/* refresh, or the end of the session */
};

struct leg_sip;

/* The final answer to our re-INVITE or UPDATE (@resp NULL when the
 * transaction layer made it up: 408, 503); after 491 retries. */
typedef void(leg_sip_reinv_h)(struct leg_sip *ls, uint16_t scode,
			      const struct sip_msg *resp);

/* Our own re-INVITE or UPDATE: one at a time (leg_sip_reinv.c). */
struct leg_sip_reinv {
	struct sip_ctrans *ct;		/* outstanding: referenced */
	struct sip_ctrans *old_ct;	/* the last INVITE answered, kept
					 * to ACK 2xx retransmissions */
	bool busy;			/* outstanding or waiting to retry */
	bool update;			/* UPDATE, else INVITE */
	bool sdp;			/* with our offer */
	unsigned glare;			/* 491s seen for this one */
	leg_sip_reinv_h *h;
	struct tmr tmr;			/* retry after 491 */
};

struct leg_sip {
	struct call_leg leg;		/* first: the call sees this */
	struct sip_mod *sm;		/* referenced */
	bool uac;
	enum leg_sip_state state;
	struct leg_sip_policy pol;
	struct sip_auth_cli *auth;	/* owned, NULL without credentials */

	/* signalling */
	struct sa remote;		/* where requests go */
	struct sa local;		/* our address towards it */
	char sent_by[64];
	char contact[128];		/* "<sip:user@host:port>" */
	char ltag[24];
	struct sip_dialog *dlg;		/* owned */
	struct sip_mod_dlg md;		/* in-dialog request dispatch */
	struct sip_strans *inv_st;	/* UAS: referenced until final */
	struct sip_ctrans *inv_ct;	/* UAC: referenced until final */
	struct sip_msg *inv_req;	/* UAC: our INVITE, parsed, owned */
	struct sip_strans *reinv_st;	/* unused: kept NULL */
	bool reoffer;			/* a re-INVITE without SDP: we
					 * offered in its 200, the answer
					 * comes in the ACK */
	bool self_ref;			/* holds a reference to itself */
	bool cancelled;			/* we sent CANCEL */
	bool delayed;			/* UAS: the INVITE had no SDP */
	unsigned auth_tries;
	uint32_t cseq;			/* UAC: CSeq of the INVITE */
	struct call_leg_setup setup;	/* UAC: what dial() got */
	struct buf sdp;			/* UAS: our answer to the offer */
	struct leg_sip_rel rel;		/* UAS: reliable 18x */
	struct leg_sip_st st;		/* session timer */
	struct leg_sip_reinv reinv;	/* our re-INVITE / UPDATE */

	/* media */
	struct sdp_oa *oa;		/* owned */
	struct media_stream *ms;	/* owned */
	struct media_stream_params *mp;	/* owned: what the stream runs;
					 * mp->rtp.srtp_in/out referenced */
	struct sdp_key srtp_tx, srtp_rx; /* the keys of mp's contexts */
	uint16_t final_status;		/* UAS: the final response we sent
					 * to the INVITE, for the CDR */
};

/* leg_sip.c */
int leg_sip_alloc(struct leg_sip **lp, struct sip_mod *sm, bool uac,
		  const char *peer_name, const struct sip_peer_conf *peer);
int leg_sip_media_init(struct leg_sip *ls);
int leg_sip_media_apply(struct leg_sip *ls);
void leg_sip_emit(struct leg_sip *ls, enum call_leg_ev_type type,
		  bool inband, int cause, uint16_t status);
void leg_sip_kill(struct leg_sip *ls);
int leg_sip_hop(struct leg_sip *ls, struct strv hop, struct sa *dst);
int leg_sip_send_indialog(struct leg_sip *ls, const char *method,
			  const char *hdrs, const struct buf *sdp,
			  sip_ctrans_h *h);
/* As leg_sip_send_indialog(); *@ctp (may be NULL) gets the client
 * transaction, borrowed as sip_ctrans_send() says. */
int leg_sip_send_req(struct leg_sip *ls, const char *method,
		     const char *hdrs, const struct buf *sdp, sip_ctrans_h *h,
		     struct sip_ctrans **ctp);
extern const struct call_leg_ops leg_sip_ops;

/* leg_sip_id.c */
void leg_sip_setup_from_req(struct call_leg_setup *s, const char *peer,
			    const struct sip_msg *req);
int leg_sip_id_hdrs(struct buf *b, const struct call_leg_setup *s,
		    const char *host);
int leg_sip_cause_of(const struct leg_sip *ls, const struct sip_msg *m,
		     int status);
int leg_sip_reason_hdr(struct buf *b, int cause);

/* leg_sip_uas.c */
/* Answer @st for @ls with @code, extra lines @hdrs and body @sdp. */
int leg_sip_reply(struct leg_sip *ls, struct sip_strans *st, uint16_t code,
		  const char *hdrs, const struct buf *sdp);
void leg_sip_uas_listen(call_leg_ev_h *h, void *arg);
int leg_sip_uas_progress(struct leg_sip *ls, uint16_t code, bool sdp);
int leg_sip_uas_answer(struct leg_sip *ls);
void leg_sip_uas_release(struct leg_sip *ls, int cause);
/* Fail the open INVITE with @cause and tell the call (RELEASE). */
void leg_sip_uas_fail(struct leg_sip *ls, int cause);

/* leg_sip_rel.c */
/* Whether 18x to @req go reliably; the first RSeq. */
void leg_sip_rel_init(struct leg_sip *ls, const struct sip_msg *req);
/* Send @code reliably (with our SDP answer if @sdp), or queue it behind
 * the unacknowledged one. */
int leg_sip_rel_progress(struct leg_sip *ls, uint16_t code, bool sdp);
/* A reliable provisional waits for its PRACK. */
bool leg_sip_rel_pending(const struct leg_sip *ls);
/* Stop retransmitting and forget what waits (final response, death). */
void leg_sip_rel_stop(struct leg_sip *ls);
/* Parse a RAck value "RSEQ CSEQ METHOD" (RFC 3262 7.2): 0 or -EBADMSG;
 * @meth borrows from @v. */
int leg_sip_rack_parse(struct strv v, uint32_t *rseq, uint32_t *cseq,
		       struct strv *meth);
/* A PRACK in the INVITE's dialog: 200 or 481, then what waited. */
void leg_sip_rel_prack(struct leg_sip *ls, struct sip_strans *st,
		       const struct sip_msg *req);

/* leg_sip_uac.c */
int leg_sip_uac_dial(struct leg_sip *ls, const struct call_leg_setup *s);
void leg_sip_uac_release(struct leg_sip *ls, int cause);

/* leg_sip_st.c: session timers (RFC 4028) */
/* Parse a Session-Expires value "delta-seconds[;refresher=uac|uas]"
 * (other parameters ignored): 0 or -EBADMSG. */
int leg_sip_st_parse_se(struct strv v, uint32_t *se,
			enum leg_sip_st_who *refresher);
/* Parse a Min-SE value "delta-seconds[;params]": 0 or -EBADMSG. */
int leg_sip_st_parse_min_se(struct strv v, uint32_t *min_se);
/* The session timer headers of @m (Session-Expires or x, Min-SE,
 * Supported or k, Require): 0 or -EBADMSG (a malformed one). */
int leg_sip_st_read(const struct sip_msg *m, struct leg_sip_st_hdrs *h);
/* As UAS (9): the answer to request headers @rq when our policy wants
 * interval @want (0: none) and our minimum is @min_se. */
void leg_sip_st_uas_decide(const struct leg_sip_st_hdrs *rq, uint32_t want,
			   uint32_t min_se, struct leg_sip_st_ans *a);
/* As UAC (7.2): from the 2xx headers @rs, the interval (0: none) and
 * whether we refresh. */
void leg_sip_st_uac_decide(const struct leg_sip_st_hdrs *rs, uint32_t *se,
			   bool *we_refresh);
/* When the refresher refreshes (half the interval) and when the other
 * side gives up (interval minus min(32 s, interval / 3)), ms (10). */
uint64_t leg_sip_st_refresh_ms(uint32_t se);
uint64_t leg_sip_st_expiry_ms(uint32_t se);

/* The leg's minimum and the peer policy's wish; before anything else. */
void leg_sip_st_init(struct leg_sip *ls);
/* UAS: the session timer part of an INVITE, re-INVITE or UPDATE @req.
 * 0 to go on, else the status to reject it with and its lines in @h
 * (422 with Min-SE, 400). */
uint16_t leg_sip_st_uas_req(struct leg_sip *ls, const struct sip_msg *req,
			    struct buf *h);
/* The Session-Expires (and Require: timer) lines of our 2xx to what
 * leg_sip_st_uas_req() accepted last; nothing without a timer. */
int leg_sip_st_resp_hdrs(const struct leg_sip *ls, struct buf *h);
/* The lines of a request of ours: the initial INVITE (@initial: no
 * refresher, ours to ask) or a re-INVITE/UPDATE. */
int leg_sip_st_req_hdrs(const struct leg_sip *ls, bool initial,
			struct buf *h);
/* UAC: a 422 to our INVITE: true if it may go again (once) with the
 * larger Min-SE it asks for. */
bool leg_sip_st_422(struct leg_sip *ls, const struct sip_msg *resp);
/* A 2xx to our INVITE, re-INVITE or UPDATE: take its Session-Expires
 * and (re)start the timer. */
void leg_sip_st_uac_resp(struct leg_sip *ls, const struct sip_msg *resp);
/* The session is (re)established or refreshed: (re)start the timer. */
void leg_sip_st_start(struct leg_sip *ls);
/* Stop the timer (leg death). */
void leg_sip_st_stop(struct leg_sip *ls);

/* leg_sip_reinv.c: our own re-INVITE / UPDATE, glare (RFC 3261 14) */
/* Send a re-INVITE (with our current offer if @sdp) or an UPDATE (@update;
 * @sdp adds an offer) in the confirmed dialog; @h gets the final answer.
 * A 2xx to a re-INVITE is ACKed, its answer applied; 491 is retried
 * after 2.1-4 s if we own the Call-ID, else 0-2 s (14.1). 0, -EBUSY (one
 * is outstanding or an offer of the peer waits for its ACK), -ENOTCONN,
 * or a send error. */
int leg_sip_reinvite(struct leg_sip *ls, bool update, bool sdp,
		     leg_sip_reinv_h *h);
/* Ours is outstanding: an incoming re-INVITE gets 491 (14.2). */
bool leg_sip_reinv_pending(const struct leg_sip *ls);
/* Forget ours and its retry (leg death). */
void leg_sip_reinv_stop(struct leg_sip *ls);
/* The wait before retrying after 491, ms, from random @rnd (14.1). */
uint32_t leg_sip_glare_ms(bool owner, uint32_t rnd);

/* leg_sip_dlg.c */
void leg_sip_dlg_req(struct sip_strans *st, const struct sip_msg *req,
		     const struct sip_src *src, void *arg);
void leg_sip_bye(struct leg_sip *ls, int cause);

#endif
