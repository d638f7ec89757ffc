// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP leg as UAS: a new INVITE becomes a leg and a CALL_LEG_SETUP for
 * the call core; progress, alerting and answer become 183, 180 and 200;
 * release before the answer becomes the RFC 3398 final response with a
 * Q.850 Reason (RFC 3326, RFC 6432). The INVITE's server transaction
 * tells us of CANCEL (we answer 487) and of the ACK of our 200.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../sip/dialog.h"
#include "../sip/peer.h"
#include "leg_sip_priv.h"

/* Retry-After on a 503 for a resource shortage (RFC 3398 7.2.4.1) */
#define LEG_SIP_RETRY_AFTER 30

static call_leg_ev_h *listen_h;
static void *listen_arg;

int leg_sip_reply(struct leg_sip *ls, struct sip_strans *st, uint16_t code,
		  const char *hdrs, const struct buf *sdp)
{
	struct sip_resp_params rp = { .scode = code,
				      .to_tag = strv_of(ls->ltag) };
	struct buf h = { 0 };
	int err;

	err = buf_printf(&h, "Server: %s\r\n", sip_mod_ua(ls->sm));
	/* 12.1.1: a dialog-creating answer carries our Contact */
	if (!err && code > 100 && code < 300)
		err = buf_printf(&h,
				 "Contact: %s\r\nAllow: " SIP_MOD_ALLOW
				 "\r\nSupported: " SIP_MOD_SUPPORTED "\r\n",
				 ls->contact);
	if (!err && hdrs)
		err = buf_puts(&h, hdrs);
	if (err)
		goto out;
	rp.hdrs = (struct strv){ (const char *)h.data, h.len };
	if (sdp && sdp->len) {
		rp.ctype = STRV("application/sdp");
		rp.body = (struct strv){ (const char *)sdp->data, sdp->len };
	}
	err = sip_strans_reply(st, &rp);
	/* what the CDR's sip_status shows when no peer gave a status */
	if (!err && code >= 200 && st == ls->inv_st)
		ls->final_status = code;
out:
	if (err)
		LOGW_ID(ls->leg.id, "%u not sent: %s", code, strerror(-err));
	buf_free(&h);
	return err;
}

static void drop_inv_st(struct leg_sip *ls)
{
	leg_sip_rel_stop(ls);
	if (!ls->inv_st)
		return;
	sip_strans_set_handler(ls->inv_st, NULL, NULL);
	ls->inv_st = mem_deref(ls->inv_st);
}

/* A final failure answer for @cause with its Reason and Retry-After. */
static void reply_cause(struct leg_sip *ls, int cause)
{
	struct buf h = { 0 };
	int status = call_cause_to_sip(&ls->pol.ovr, (unsigned)cause, NULL);
	unsigned ra;

	/* RFC 3398 maps 16 and 44 to nothing: 16 before an answer means
	 * the callee side gave up (480), 44 a lost circuit (503) */
	if (status <= 0)
		status = cause == CALL_CAUSE_CHANNEL_UNAVAILABLE ? 503 : 480;
	ra = call_cause_retry_after((unsigned)cause, status,
				    LEG_SIP_RETRY_AFTER);
	if (!leg_sip_reason_hdr(&h, cause) && ra)
		buf_printf(&h, "Retry-After: %u\r\n", ra);
	if (ls->inv_st)
		leg_sip_reply(ls, ls->inv_st, (uint16_t)status, buf_cstr(&h), NULL);
	buf_free(&h);
}

static void st_h(struct sip_strans *st, enum sip_strans_ev ev,
		 const struct sip_msg *msg, void *arg)
{
	struct leg_sip *ls = arg;
	int cause;

	(void)st;
	mem_ref(ls);
	switch (ev) {
	case SIP_STRANS_CANCELLED:
		if (ls->state != LEG_SIP_CALLING)
			break;
		/* RFC 3398 doesn't map CANCEL: the caller hung up (16),
		 * unless its Reason says otherwise */
		cause = leg_sip_cause_of(ls, msg, 0);
		leg_sip_reply(ls, ls->inv_st, 487, NULL, NULL);
		drop_inv_st(ls);
		leg_sip_kill(ls);
		leg_sip_emit(ls, CALL_LEG_RELEASE, false, cause, 487);
		break;
	case SIP_STRANS_ACK:
		if (ls->state != LEG_SIP_ANSWERED)
			break;
		drop_inv_st(ls);
		ls->state = LEG_SIP_CONFIRMED;
		/* delayed offer: the answer to the offer in our 200 */
		if (ls->delayed && msg &&
		    (!msg->body.l ||
		     sdp_oa_take_answer(ls->oa, msg->body.p, msg->body.l,
					NULL))) {
			leg_sip_bye(ls, CALL_CAUSE_BEARER_NOT_IMPLEMENTED);
			leg_sip_emit(ls, CALL_LEG_RELEASE, false,
				     CALL_CAUSE_BEARER_NOT_IMPLEMENTED, 0);
			break;
		}
		if (ls->delayed)
			leg_sip_media_apply(ls);
		break;
	case SIP_STRANS_NOACK:
	case SIP_STRANS_TPERR:
		if (ls->state == LEG_SIP_DEAD)
			break;
		drop_inv_st(ls);
		/* 13.3.1.4: no ACK for our 2xx ends the session with BYE */
		if (ls->state == LEG_SIP_ANSWERED)
			leg_sip_bye(ls, CALL_CAUSE_RECOVERY_ON_TIMER);
		leg_sip_kill(ls);
		leg_sip_emit(ls, CALL_LEG_RELEASE, false,
			     ev == SIP_STRANS_NOACK ?
				     CALL_CAUSE_RECOVERY_ON_TIMER :
				     CALL_CAUSE_TEMPORARY_FAILURE,
			     0);
		break;
	}
	mem_deref(ls);
}

/* RFC 3262 checks before a call is offered; a status to answer with, 0
 * to go on. */
static uint16_t precheck(const struct leg_sip *ls, const struct sip_msg *req,
			 const char **hdrs)
{
	/* RFC 3262 4: a Require we will not honour */
	if (ls->pol.rel100 == SIP_PEER_100REL_OFF &&
	    sip_msg_has_token(req, SIP_HDR_REQUIRE, "100rel")) {
		*hdrs = "Unsupported: 100rel\r\n";
		return 420;
	}
	if (ls->pol.rel100 == SIP_PEER_100REL_REQUIRED &&
	    !sip_msg_has_token(req, SIP_HDR_SUPPORTED, "100rel") &&
	    !sip_msg_has_token(req, SIP_HDR_REQUIRE, "100rel")) {
		*hdrs = "Require: 100rel\r\n";
		return 421;
	}
	return 0;
}

/* Whether one Accept media-range @v ("type/sub;q=0.5") takes SDP. */
static bool range_takes_sdp(struct strv v)
{
	struct strv range = v, params = STRV_NULL, q;
	const char *semi = memchr(v.p, ';', v.l);

	if (semi) {
		range.l = (size_t)(semi - v.p);
		params = (struct strv){ semi + 1, v.l - range.l - 1 };
	}
	range = strv_trim(range);
	if (!strv_caseeq_str(range, "application/sdp") &&
	    !strv_caseeq_str(range, "application/*") &&
	    !strv_caseeq_str(range, "*/*"))
		return false;
	/* q=0 (RFC 3261 20.1 via RFC 2616 14.1): "not acceptable" */
	if (params.l && sip_param_get(params, "q", &q)) {
		q = strv_trim(q);
		for (size_t i = 0; i < q.l; i++)
			if (q.p[i] >= '1' && q.p[i] <= '9')
				return true;
		return false;
	}
	return true;
}

/* RFC 3261 20.1: no Accept means application/sdp; an Accept header,
 * even an empty one, lists everything the UAC takes in a response. */
static bool accepts_sdp(const struct sip_msg *req)
{
	uint64_t pos = 0;
	struct strv v;

	if (!sip_msg_hdr(req, SIP_HDR_ACCEPT))
		return true;
	while (sip_msg_values(req, SIP_HDR_ACCEPT, &pos, &v))
		if (range_takes_sdp(v))
			return true;
	return false;
}

/* Whether an audio m-line of the offer @body carries a=crypto with a
 * suite we know: without one a mandatory-SRTP peer's 488 says so. */
static bool offer_has_crypto(const char *body, size_t len)
{
	struct sdp_session *r;
	bool found = false;

	if (sdp_parse(&r, body, len, NULL))
		return false;
	for (unsigned i = 0; i < r->nmedia && !found; i++)
		for (unsigned k = 0; k < r->media[i].ncrypto && !found; k++)
			found = strv_eq(r->media[i].type, STRV("audio")) &&
				sdp_suite_of(r->media[i].crypto[k].suite) !=
					SDP_SUITE_NONE;
	mem_deref(r);
	return found;
}

/* The reply to an offer we cannot answer (sdp_oa_answer's @err): 400
 * naming the SDP fault, 488 saying what is missing. */
static void reply_bad_offer(struct leg_sip *ls, struct sip_strans *st,
			    const struct sip_msg *req, int err,
			    const struct sdp_perr *pe)
{
	struct buf h = { 0 };

	if (err == -EBADMSG) {
		char line[24] = "";

		/* the parser's reasons are constants without quotes */
		if (pe->line)
			snprintf(line, sizeof(line), "line %u: ", pe->line);
		buf_printf(&h, "Warning: 399 trunkline \"bad SDP: %s%s\"\r\n",
			   line, pe->reason ? pe->reason : "malformed");
		leg_sip_reply(ls, st, 400, buf_cstr(&h), NULL);
	} else if (ls->pol.srtp == SDP_SRTP_MANDATORY &&
		   !offer_has_crypto(req->body.p, req->body.l)) {
		leg_sip_reply(ls, st, 488,
			      "Warning: 399 trunkline \"SRTP required: "
			      "RTP/SAVP with a=crypto\"\r\n", NULL);
	} else {
		leg_sip_reply(ls, st, 488,
			      "Warning: 304 trunkline \"no common media\"\r\n",
			      NULL);
	}
	buf_free(&h);
}

static int uas_start(struct leg_sip *ls, struct sip_strans *st,
		     const struct sip_msg *req, const struct sip_src *src,
		     const char *peer_name)
{
	const char *hdrs = NULL;
	struct buf sth = { 0 };
	uint16_t code;
	int err;

	/* the leg id is a label for logs and "show calls": a longer Call-ID
	 * (RFC 4475 longreq) is cut there; the dialog keeps the whole one */
	(void)strv_copy(req->call_id, ls->leg.id, sizeof(ls->leg.id));
	ls->remote = src->src;
	ls->pol.tp = src->tp;
	ls->inv_st = mem_ref(st);
	sip_strans_set_handler(st, st_h, ls);
	sip_tsx_tag(sip_mod_tsx(ls->sm), ls->ltag, sizeof(ls->ltag));
	/* our address towards the caller (Contact, SDP): the listener's,
	 * or for a wildcard listener the route's source address */
	err = sip_mod_local(ls->sm, src->tp, &src->src, &ls->local,
			    ls->sent_by, sizeof(ls->sent_by));
	if (err)
		return err;
	snprintf(ls->contact, sizeof(ls->contact), "<sip:gw@%s%s>",
		 ls->sent_by, sip_tp_uri_param(src->tp));
	leg_sip_rel_init(ls, req);
	/* RFC 3261 21.4.7: we answer an INVITE with SDP or not at all */
	if (!accepts_sdp(req)) {
		leg_sip_reply(ls, st, 406, "Accept: application/sdp\r\n",
			      NULL);
		return -EPROTO;
	}
	code = precheck(ls, req, &hdrs);
	if (code) {
		leg_sip_reply(ls, st, code, hdrs, NULL);
		return -EPROTO;
	}
	/* RFC 4028 9: 422 to a session interval below our Min-SE */
	code = leg_sip_st_uas_req(ls, req, &sth);
	if (code) {
		leg_sip_reply(ls, st, code, buf_cstr(&sth), NULL);
		buf_free(&sth);
		return -EPROTO;
	}
	err = sip_dialog_uas_create(&ls->dlg, req, strv_of(ls->ltag), true);
	if (err) {
		leg_sip_reply(ls, st, 400, NULL, NULL);
		return err;
	}
	sip_mod_dlg_add(ls->sm, &ls->md, ls->dlg, leg_sip_dlg_req, ls);
	err = leg_sip_media_init(ls);
	if (err) {
		leg_sip_reply(ls, st, 503, "Retry-After: 5\r\n", NULL);
		return err;
	}
	if (!req->body.l) {
		ls->delayed = true;
	} else {
		struct sdp_perr pe = { 0 };

		err = sdp_oa_answer(ls->oa, req->body.p, req->body.l, &ls->sdp,
				    &pe);
		if (err) {
			reply_bad_offer(ls, st, req, err, &pe);
			return err;
		}
		err = leg_sip_media_apply(ls);
		if (err) {
			/* keys we cannot run (an MKI) or no SRTP context */
			leg_sip_reply(ls, st, err == -ENOTSUP ? 488 : 500,
				      "Warning: 399 trunkline \"SRTP keys "
				      "not usable\"\r\n", NULL);
			return err;
		}
	}
	leg_sip_setup_from_req(&ls->setup, peer_name, req);
	ls->state = LEG_SIP_CALLING;
	return 0;
}

static void on_invite(struct sip_mod *sm, struct sip_strans *st,
		      const struct sip_msg *req, const struct sip_src *src,
		      const char *peer_name, const struct sip_peer_conf *peer,
		      void *arg)
{
	struct call_leg_ev ev = { .type = CALL_LEG_SETUP };
	struct leg_sip *ls;

	(void)arg;
	if (leg_sip_alloc(&ls, sm, false, peer_name, peer)) {
		struct sip_resp_params rp = { .scode = 500 };

		sip_strans_reply(st, &rp);
		return;
	}
	if (uas_start(ls, st, req, src, peer_name)) {
		leg_sip_kill(ls);
		mem_deref(ls);
		return;
	}
	LOGI_ID(ls->leg.id, "call from %s to %s", ls->setup.calling.num.digits,
		ls->setup.called.num.digits);
	ev.setup = &ls->setup;
	if (listen_h)
		listen_h(&ls->leg, &ev, listen_arg);
	/* nobody took the call */
	if (!ls->leg.evh && ls->state == LEG_SIP_CALLING) {
		reply_cause(ls, CALL_CAUSE_CALL_REJECTED);
		drop_inv_st(ls);
		leg_sip_kill(ls);
	}
	mem_deref(ls);
}

void leg_sip_uas_listen(call_leg_ev_h *h, void *arg)
{
	listen_h = h;
	listen_arg = arg;
	sip_mod_set_invite_h(h ? on_invite : NULL, NULL);
}

int leg_sip_uas_progress(struct leg_sip *ls, uint16_t code, bool inband)
{
	/* early media only with an answer to give (not delayed offer) */
	bool sdp = inband && !ls->delayed;

	if (ls->state != LEG_SIP_CALLING || !ls->inv_st)
		return -EALREADY;
	if (ls->rel.use)
		return leg_sip_rel_progress(ls, code, sdp);
	return leg_sip_reply(ls, ls->inv_st, code, NULL,
			     sdp ? &ls->sdp : NULL);
}

int leg_sip_uas_answer(struct leg_sip *ls)
{
	struct buf offer = { 0 }, h = { 0 };
	int err;

	if (ls->state != LEG_SIP_CALLING || !ls->inv_st)
		return -EALREADY;
	/* RFC 3262 3: not before the PRACK of a reliable 18x */
	if (leg_sip_rel_pending(ls)) {
		ls->rel.answer = true;
		ls->rel.next = 0;
		return 0;
	}
	if (ls->delayed) {
		err = sdp_oa_offer(ls->oa, &offer);
		if (err)
			goto out;
	}
	err = leg_sip_st_resp_hdrs(ls, &h);
	if (err)
		goto out;
	err = leg_sip_reply(ls, ls->inv_st, 200, buf_cstr(&h),
			    ls->delayed ? &offer : &ls->sdp);
	if (err)
		goto out;
	sip_dialog_confirm(ls->dlg);
	ls->state = LEG_SIP_ANSWERED;
	/* RFC 4028 9: the session timer runs from our 2xx */
	leg_sip_st_start(ls);
out:
	buf_free(&offer);
	buf_free(&h);
	return err;
}

void leg_sip_uas_release(struct leg_sip *ls, int cause)
{
	if (ls->state == LEG_SIP_CALLING)
		reply_cause(ls, cause);
	drop_inv_st(ls);
	leg_sip_kill(ls);
}

void leg_sip_uas_fail(struct leg_sip *ls, int cause)
{
	if (ls->state != LEG_SIP_CALLING)
		return;
	reply_cause(ls, cause);
	drop_inv_st(ls);
	leg_sip_kill(ls);
	leg_sip_emit(ls, CALL_LEG_RELEASE, false, cause, 0);
}
