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

	/* media */
	struct sdp_oa *oa;		/* owned */
	struct media_stream *ms;	/* owned */
	struct media_stream_params *mp;	/* owned: what the stream runs */
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

/* leg_sip_dlg.c */
void leg_sip_dlg_req(struct sip_strans *st, const struct sip_msg *req,
		     const struct sip_src *src, void *arg);
void leg_sip_bye(struct leg_sip *ls, int cause);

#endif
