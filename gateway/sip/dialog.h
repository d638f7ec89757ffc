/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP dialogs (RFC 3261 12): the peer-to-peer state that in-dialog
 * requests are built from and matched against. A dialog is a mem object
 * holding private copies of everything it needs, so the messages that
 * created it can be released at once.
 *
 * Data and pure functions only: the call layer feeds it the messages it
 * sends and receives (parsed) and sends what it builds; transactions are
 * not its business.
 */
#ifndef TL_SIP_DIALOG_H
#define TL_SIP_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/strv.h"
#include "msg.h"

enum sip_dialog_state {
	SIP_DIALOG_EARLY,	/* from a 1xx with a To tag */
	SIP_DIALOG_CONFIRMED,	/* from a 2xx */
	SIP_DIALOG_TERMINATED,
};

/* Every char * is owned (a mem string), NUL-terminated. */
struct sip_dialog {
	enum sip_dialog_state state;
	bool uac;		/* we sent the dialog-creating INVITE */
	bool secure;		/* sips Request-URI (12.1.1, 12.1.2) */
	char *call_id;
	char *ltag;		/* local tag */
	char *rtag;		/* remote tag */
	char *luri;		/* local name-addr "<sip:...>" (our From) */
	char *ruri;		/* remote name-addr (To of ours) */
	char *target;		/* remote target: the peer's Contact URI */
	char **route;		/* route set: name-addr values, in order */
	size_t nroute;
	uint32_t lseq;		/* local CSeq; valid if lseq_set */
	bool lseq_set;
	uint32_t rseq;		/* remote CSeq; valid if rseq_set */
	bool rseq_set;
	uint32_t invite_cseq;	/* CSeq of our last INVITE (for its ACK) */
	bool invite_set;	/* we sent an INVITE in this dialog */
};

/*
 * UAS side (12.1.1): a dialog from INVITE @req and our response to it,
 * which carries To tag @ltag: early for a 1xx (@early), confirmed for a
 * 2xx. Route set = Record-Route in order; remote target = Contact;
 * remote CSeq = the INVITE's; a From without a tag (RFC 2543) gives an
 * empty remote tag. 0, -EINVAL (no @ltag, not a request, no Call-ID),
 * -EBADMSG (no single usable Contact), -ENOMEM.
 */
int sip_dialog_uas_create(struct sip_dialog **dp, const struct sip_msg *req,
			  struct strv ltag, bool early);

/*
 * UAC side (12.1.2): a dialog from the INVITE @req we sent (parsed) and a
 * 1xx (early) or 2xx (confirmed) response @resp with a To tag. Each To
 * tag of a forked INVITE makes its own dialog. Route set = Record-Route
 * reversed; remote target = Contact (a 1xx without one: the Request-URI);
 * local CSeq = the INVITE's. 0, -EINVAL (no To tag, not a 101-299
 * response, responses and request do not belong together), -EBADMSG (a
 * 2xx without a single usable Contact, bad Record-Route), -ENOMEM.
 */
int sip_dialog_uac_create(struct sip_dialog **dp, const struct sip_msg *req,
			  const struct sip_msg *resp);

/* @req (a request received) belongs to @d: same Call-ID, its To tag is
 * our local tag and its From tag our remote tag (12.2.2). */
bool sip_dialog_match_req(const struct sip_dialog *d,
			  const struct sip_msg *req);
/* @resp (a response received) belongs to @d: same Call-ID, From tag is
 * our local tag and To tag our remote tag. */
bool sip_dialog_match_resp(const struct sip_dialog *d,
			   const struct sip_msg *resp);

/*
 * A request received in @d (it matched). Checks and updates the remote
 * CSeq (12.2.2): -EPROTO if it is lower than the last one (answer 500);
 * -EBADMSG if a target refresh (INVITE, UPDATE) carries a bad Contact.
 * Then refreshes the remote target from INVITE/UPDATE Contact; a BYE
 * terminates the dialog. ACK and CANCEL do not touch the CSeq. 0 or an
 * error (-ENOMEM).
 */
int sip_dialog_recv_req(struct sip_dialog *d, const struct sip_msg *req);

/*
 * A response received to a request we sent in @d (it matched). A 2xx to
 * INVITE confirms an early dialog (and, 13.2.2.4, its route set is
 * recomputed from the 2xx); a 1xx/2xx to INVITE or a 2xx to UPDATE with a
 * Contact refreshes the remote target; a 3xx-6xx to the INVITE ends an
 * early dialog; 481 and 408 end any dialog (12.2.1.2). 0, -EBADMSG (bad
 * Contact or Record-Route), -ENOMEM.
 */
int sip_dialog_recv_resp(struct sip_dialog *d, const struct sip_msg *resp);

/* UAS: our 2xx to the INVITE went out: an early dialog is confirmed. */
void sip_dialog_confirm(struct sip_dialog *d);

/* Mark @d terminated (a BYE sent or answered, a failure seen). */
void sip_dialog_terminate(struct sip_dialog *d);

/* What an in-dialog request needs from the sender. */
struct sip_dialog_req_params {
	struct strv method;	/* "BYE", "INVITE", "UPDATE", "ACK" ... */
	struct strv transport;	/* Via transport: "UDP", "TCP", "TLS" */
	struct strv sent_by;	/* our "host:port" */
	struct strv branch;	/* empty: a fresh z9hG4bK one is drawn */
	bool rport;
	struct strv contact;	/* our Contact (name-addr): needed for
				 * INVITE and UPDATE (target refresh) */
	uint8_t max_fwd;	/* 0: 70 */
	struct strv hdrs;	/* extra "Name: value\r\n" lines (auth ...) */
	struct strv ctype;
	struct strv body;
};

/*
 * Append an in-dialog request (12.2.1.1) to @b with sip_req_print: From
 * our URI and tag, To the remote URI and tag, Call-ID, the next local CSeq
 * (ACK: the CSeq of our last INVITE; an empty local CSeq starts at a
 * random value below 2^31), Request-URI and Route headers from the
 * remote target and route set (loose routing, or strict routing with the
 * remote target as the last Route). @hop (may be NULL) gets the URI to
 * send to: the first route, else the remote target (a view into @d, valid
 * until @d changes). 0, -EINVAL (missing parts, terminated dialog, INVITE
 * or UPDATE without a Contact), -ENOMEM, a buf error.
 */
int sip_dialog_req(struct sip_dialog *d, struct buf *b,
		   const struct sip_dialog_req_params *p, struct strv *hop);

/* A new random local tag (16 hex chars, 64 bits: 19.3) into @out (at
 * least 17 bytes). 0, -ENOSPC, -EIO. */
int sip_dialog_tag_new(char *out, size_t n);

/* A new random Call-ID ("<32 hex>@host", or just the hex if @host is
 * NULL or empty) into @out. 0, -ENOSPC, -EIO. */
int sip_dialog_callid_new(char *out, size_t n, const char *host);

/* A new random branch ("z9hG4bK" + 24 hex) into @out (32 bytes). */
int sip_dialog_branch_new(char *out, size_t n);

#endif
