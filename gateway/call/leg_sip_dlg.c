// SPDX-License-Identifier: GPL-2.0
/*
 * Requests inside a SIP leg's dialog: BYE (either way), re-INVITE and
 * UPDATE with SDP re-offers (RFC 3264 8, RFC 3311: hold, resume, address
 * or codec change, answered through the offer/answer engine and applied
 * to the media stream), PRACK (RFC 3262, leg_sip_rel.c) and the ACK that
 * completes a re-INVITE without SDP.
 */
#include <errno.h>
#include <string.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../sip/dialog.h"
#include "leg_sip_priv.h"

void leg_sip_bye(struct leg_sip *ls, int cause)
{
	struct buf h = { 0 };

	if (ls->state == LEG_SIP_DEAD)
		return;
	if (!leg_sip_reason_hdr(&h, cause))
		leg_sip_send_indialog(ls, "BYE", buf_cstr(&h), NULL, NULL);
	buf_free(&h);
	leg_sip_kill(ls);
}

/* A 2xx to a re-INVITE or UPDATE went out: it refreshed the session
 * (RFC 4028 9), once the call is up. */
static void refreshed(struct leg_sip *ls)
{
	if (ls->state == LEG_SIP_CONFIRMED || ls->state == LEG_SIP_ANSWERED)
		leg_sip_st_start(ls);
}

/* An offer in a re-INVITE or UPDATE: answer it in the 200 and move the
 * media; a bad or unacceptable one gets 488 and changes nothing. Every
 * one is a session refresh: its 2xx carries Session-Expires. */
static void reoffer(struct leg_sip *ls, struct sip_strans *st,
		    const struct sip_msg *req)
{
	struct buf ans = { 0 }, h = { 0 };
	uint16_t code;
	int err;

	code = leg_sip_st_uas_req(ls, req, &h);
	if (code) {
		leg_sip_reply(ls, st, code, buf_cstr(&h), NULL);
		goto out;
	}
	if (leg_sip_st_resp_hdrs(ls, &h)) {
		leg_sip_reply(ls, st, 500, NULL, NULL);
		goto out;
	}
	if (!req->body.l) {
		/* a re-INVITE without SDP asks for our offer (14.2) */
		if (req->meth == SIP_METHOD_INVITE &&
		    !sdp_oa_offer(ls->oa, &ans)) {
			ls->reoffer = true;
			leg_sip_reply(ls, st, 200, buf_cstr(&h), &ans);
		} else {
			/* an UPDATE without SDP: a session refresh */
			leg_sip_reply(ls, st, 200, buf_cstr(&h), NULL);
		}
		refreshed(ls);
		goto out;
	}
	err = sdp_oa_answer(ls->oa, req->body.p, req->body.l, &ans, NULL);
	if (err == -EBUSY) {
		leg_sip_reply(ls, st, 491, NULL, NULL);
		goto out;
	}
	if (err) {
		leg_sip_reply(ls, st, 488, NULL, NULL);
		goto out;
	}
	leg_sip_reply(ls, st, 200, buf_cstr(&h), &ans);
	refreshed(ls);
	leg_sip_media_apply(ls);
	leg_sip_emit(ls, CALL_LEG_MEDIA, false, 0, 0);
out:
	buf_free(&ans);
	buf_free(&h);
}

static void ack(struct leg_sip *ls, const struct sip_msg *req)
{
	if (!ls->reoffer)
		return;
	ls->reoffer = false;
	if (!req->body.l ||
	    sdp_oa_take_answer(ls->oa, req->body.p, req->body.l, NULL)) {
		sdp_oa_rollback(ls->oa);
		return;
	}
	leg_sip_media_apply(ls);
	leg_sip_emit(ls, CALL_LEG_MEDIA, false, 0, 0);
}

void leg_sip_dlg_req(struct sip_strans *st, const struct sip_msg *req,
		     const struct sip_src *src, void *arg)
{
	struct leg_sip *ls = arg;
	int err, cause;

	(void)src;
	mem_ref(ls);
	if (!st) {
		ack(ls, req);
		goto out;
	}
	err = sip_dialog_recv_req(ls->dlg, req);
	if (err) {
		/* 12.2.2: an old CSeq gets 500; a bad Contact 400 */
		leg_sip_reply(ls, st, err == -EBADMSG ? 400 : 500, NULL, NULL);
		goto out;
	}
	switch (req->meth) {
	case SIP_METHOD_BYE:
		leg_sip_reply(ls, st, 200, NULL, NULL);
		if (ls->state == LEG_SIP_DEAD)
			break;
		cause = leg_sip_cause_of(ls, req, 0);
		/* a BYE in an early dialog also ends the INVITE (15.1.2) */
		if (ls->inv_st && ls->state == LEG_SIP_CALLING)
			leg_sip_reply(ls, ls->inv_st, 487, NULL, NULL);
		leg_sip_kill(ls);
		leg_sip_emit(ls, CALL_LEG_RELEASE, false, cause, 0);
		break;
	case SIP_METHOD_INVITE:
		if (ls->state != LEG_SIP_CONFIRMED ||
		    leg_sip_reinv_pending(ls)) {
			/* 14.2: an INVITE while ours is open */
			leg_sip_reply(ls, st, 491, NULL, NULL);
			break;
		}
		reoffer(ls, st, req);
		break;
	case SIP_METHOD_UPDATE:
		if (ls->state == LEG_SIP_DEAD) {
			leg_sip_reply(ls, st, 481, NULL, NULL);
			break;
		}
		reoffer(ls, st, req);
		break;
	case SIP_METHOD_PRACK:
		if (ls->uac) {
			leg_sip_reply(ls, st, 481, NULL, NULL);
			break;
		}
		leg_sip_rel_prack(ls, st, req);
		break;
	case SIP_METHOD_OPTIONS:
		leg_sip_reply(ls, st, 200, NULL, NULL);
		break;
	default:
		leg_sip_reply(ls, st, 405, "Allow: " SIP_MOD_ALLOW "\r\n",
			      NULL);
		break;
	}
out:
	mem_deref(ls);
}
