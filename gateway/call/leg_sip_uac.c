// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP leg as UAC: dial() sends an INVITE with our SDP offer to the
 * peer; 18x make an early dialog (PROGRESS/ALERTING, early media when
 * they carry the answer, PRACK for reliable ones, RFC 3262), 2xx is ACKed
 * and becomes ANSWER, 401/407 are answered once with the peer's
 * credentials, other failures become RELEASE with the cause of the Reason
 * header or of RFC 3398. release() before the answer sends CANCEL; a 200
 * that crosses it is ACKed and ended with BYE (RFC 3261 9.1).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../sip/auth.h"
#include "../sip/dialog.h"
#include "../sip/peer.h"
#include "leg_sip_priv.h"

/* How often one INVITE may be re-sent with credentials. */
#define LEG_SIP_AUTH_TRIES 2

static void unself(struct leg_sip *ls)
{
	if (!ls->self_ref)
		return;
	ls->self_ref = false;
	mem_deref(ls);
}

static int build_invite(struct leg_sip *ls, struct buf *b)
{
	const struct call_party *cg = &ls->setup.calling;
	const struct call_party *cd = &ls->setup.called;
	char ruri[128], from[256], to[140], br[32], peer[SA_STRLEN];
	char host[80];
	struct buf h = { 0 };
	struct sip_req_params p = { 0 };
	int err;

	snprintf(host, sizeof(host), "%s", ls->sent_by);
	sa_str(&ls->remote, peer, sizeof(peer));
	/* no called number (an analog line without DID): the peer itself,
	 * "sip:@host" is no URI (RFC 3261 25.1: userinfo is never empty) */
	if (cd->num.digits[0])
		snprintf(ruri, sizeof(ruri), "sip:%s%s@%s",
			 cd->num.ton == CALL_TON_INTERNATIONAL ? "+" : "",
			 cd->num.digits, peer);
	else
		snprintf(ruri, sizeof(ruri), "sip:%s", peer);
	snprintf(to, sizeof(to), "<%s>", ruri);
	/* RFC 3323 4.1.1.3: an anonymous From when the number is hidden */
	if (cg->pres != CALL_PRES_ALLOWED || !cg->num.digits[0])
		snprintf(from, sizeof(from),
			 "\"Anonymous\" <sip:anonymous@anonymous.invalid>");
	else
		snprintf(from, sizeof(from), "\"%s\" <sip:%s%s@%s>", cg->name,
			 cg->num.ton == CALL_TON_INTERNATIONAL ? "+" : "",
			 cg->num.digits, host);
	err = buf_printf(&h,
			 "User-Agent: %s\r\nAllow: " SIP_MOD_ALLOW "\r\n"
			 "Supported: %s\r\n",
			 sip_mod_ua(ls->sm),
			 ls->pol.rel100 == SIP_PEER_100REL_OFF ? "timer" :
								 "100rel, timer");
	if (!err && ls->pol.rel100 == SIP_PEER_100REL_REQUIRED)
		err = buf_puts(&h, "Require: 100rel\r\n");
	if (!err)
		err = leg_sip_st_req_hdrs(ls, true, &h);
	if (!err)
		err = leg_sip_id_hdrs(&h, &ls->setup, host);
	if (!err && ls->auth)
		err = sip_auth_cli_hdrs(ls->auth, &h, STRV("INVITE"),
					strv_of(ruri));
	if (err)
		goto out;
	p.method = STRV("INVITE");
	p.ruri = strv_of(ruri);
	p.transport = strv_of(sip_tp_name(ls->pol.tp));
	p.sent_by = strv_of(ls->sent_by);
	p.branch = strv_of(sip_tsx_branch(sip_mod_tsx(ls->sm), br,
					  sizeof(br)));
	p.rport = true;
	p.from = strv_of(from);
	p.from_tag = strv_of(ls->ltag);
	p.to = strv_of(to);
	p.call_id = strv_of(ls->leg.id);
	p.cseq = ls->cseq;
	p.max_fwd = 70;
	p.contact = strv_of(ls->contact);
	p.hdrs = (struct strv){ (const char *)h.data, h.len };
	p.ctype = STRV("application/sdp");
	p.body = (struct strv){ (const char *)ls->sdp.data, ls->sdp.len };
	err = sip_req_print(b, &p);
out:
	buf_free(&h);
	return err;
}

static void uac_h(struct sip_ctrans *ct, uint16_t scode,
		  const struct sip_msg *resp, void *arg);

static int send_invite(struct leg_sip *ls)
{
	struct sip_ctrans_dest d = { .tp = ls->pol.tp, .dst = ls->remote };
	struct sip_ctrans *ct;
	struct buf b = { 0 };
	int err;

	err = build_invite(ls, &b);
	if (err)
		goto out;
	ls->inv_req = mem_deref(ls->inv_req);
	err = sip_msg_parse(&ls->inv_req, b.data, b.len, 0, NULL);
	if (err)
		goto out;
	err = sip_ctrans_send(&ct, sip_mod_tsx(ls->sm), &d, b.data, b.len,
			      uac_h, ls);
	if (err)
		goto out;
	if (ls->inv_ct) {
		sip_ctrans_abandon(ls->inv_ct);
		mem_deref(ls->inv_ct);
	}
	ls->inv_ct = mem_ref(ct);
	if (!ls->self_ref) {
		ls->self_ref = true;
		mem_ref(ls);
	}
out:
	buf_free(&b);
	return err;
}

int leg_sip_uac_dial(struct leg_sip *ls, const struct call_leg_setup *s)
{
	char host[80];
	int err;

	if (ls->state != LEG_SIP_IDLE)
		return -EALREADY;
	ls->setup = *s;
	ls->remote = ls->pol.addr;
	err = sip_mod_local(ls->sm, ls->pol.tp, &ls->remote, &ls->local,
			    ls->sent_by, sizeof(ls->sent_by));
	if (err)
		return err;
	snprintf(host, sizeof(host), "%s", ls->sent_by);
	host[strcspn(host, "]")] = '\0';
	if (host[0] != '[')
		host[strcspn(host, ":")] = '\0';
	err = sip_dialog_callid_new(ls->leg.id, sizeof(ls->leg.id),
				    host[0] == '[' ? host + 1 : host);
	if (err)
		return err;
	sip_tsx_tag(sip_mod_tsx(ls->sm), ls->ltag, sizeof(ls->ltag));
	snprintf(ls->contact, sizeof(ls->contact), "<sip:gw@%s%s>",
		 ls->sent_by, sip_tp_uri_param(ls->pol.tp));
	err = leg_sip_media_init(ls);
	if (!err)
		err = sdp_oa_offer(ls->oa, &ls->sdp);
	if (err)
		return err;
	ls->cseq = 1;
	ls->state = LEG_SIP_CALLING;
	err = send_invite(ls);
	if (err)
		ls->state = LEG_SIP_DEAD;
	LOGI_ID(ls->leg.id, "calling %s at %s", s->called.num.digits,
		ls->pol.name);
	return err;
}

/* The dialog of a 1xx/2xx with a To tag: made by the first, updated by
 * the later ones. Forks other than the first are not followed. */
static int dialog_of(struct leg_sip *ls, const struct sip_msg *resp)
{
	int err;

	if (!resp->to.tag.l)
		return -ENOENT;
	if (ls->dlg && sip_dialog_match_resp(ls->dlg, resp))
		return sip_dialog_recv_resp(ls->dlg, resp);
	if (ls->dlg && ls->dlg->state != SIP_DIALOG_EARLY)
		return -EEXIST;
	/* an early dialog of another fork is replaced by this one */
	ls->dlg = mem_deref(ls->dlg);
	err = sip_dialog_uac_create(&ls->dlg, ls->inv_req, resp);
	if (err)
		return err;
	sip_mod_dlg_add(ls->sm, &ls->md, ls->dlg, leg_sip_dlg_req, ls);
	return 0;
}

static bool take_sdp(struct leg_sip *ls, const struct sip_msg *resp)
{
	/* the answer counts once; later copies of it change nothing */
	if (!resp->body.l || sdp_oa_neg(ls->oa))
		return sdp_oa_neg(ls->oa) != NULL;
	if (sdp_oa_take_answer(ls->oa, resp->body.p, resp->body.l, NULL))
		return false;
	leg_sip_media_apply(ls);
	return true;
}

/* RFC 3262 7.2: PRACK a reliable provisional response. */
static void prack(struct leg_sip *ls, const struct sip_msg *resp)
{
	const struct sip_hdr *rs = sip_msg_hdr(resp, SIP_HDR_RSEQ);
	char h[96];

	if (!rs || !sip_msg_has_token(resp, SIP_HDR_REQUIRE, "100rel") ||
	    ls->pol.rel100 == SIP_PEER_100REL_OFF)
		return;
	snprintf(h, sizeof(h), "RAck: %.*s %u INVITE\r\n", (int)rs->val.l,
		 rs->val.p, resp->cseq.num);
	leg_sip_send_indialog(ls, "PRACK", h, NULL, NULL);
}

static void provisional(struct leg_sip *ls, uint16_t scode,
			const struct sip_msg *resp)
{
	bool media;

	if (ls->state != LEG_SIP_CALLING || scode == 100 || !resp)
		return;
	if (dialog_of(ls, resp) && !ls->dlg)
		return;
	prack(ls, resp);
	media = take_sdp(ls, resp);
	if (scode == 180)
		leg_sip_emit(ls, CALL_LEG_ALERTING, media, 0, scode);
	else
		leg_sip_emit(ls, CALL_LEG_PROGRESS, media, 0, scode);
}

static void success(struct leg_sip *ls, uint16_t scode,
		    const struct sip_msg *resp)
{
	bool first = ls->state == LEG_SIP_CALLING;
	struct buf h = { 0 };

	if (dialog_of(ls, resp))
		return;
	leg_sip_send_indialog(ls, "ACK", NULL, NULL, NULL);
	if (ls->auth)
		sip_auth_cli_accepted(ls->auth);
	unself(ls);
	if (ls->state == LEG_SIP_DEAD && ls->cancelled) {
		/* our CANCEL lost the race: end the call we got (9.1) */
		ls->cancelled = false;
		if (!leg_sip_reason_hdr(&h, CALL_CAUSE_NORMAL_CLEARING))
			leg_sip_send_indialog(ls, "BYE", buf_cstr(&h), NULL,
					      NULL);
		buf_free(&h);
		return;
	}
	if (!first)
		return;
	if (!take_sdp(ls, resp)) {
		LOGW_ID(ls->leg.id, "200 without a usable answer");
		leg_sip_bye(ls, CALL_CAUSE_BEARER_NOT_IMPLEMENTED);
		leg_sip_emit(ls, CALL_LEG_RELEASE, false,
			     CALL_CAUSE_BEARER_NOT_IMPLEMENTED, scode);
		return;
	}
	ls->state = LEG_SIP_CONFIRMED;
	leg_sip_st_uac_resp(ls, resp);
	leg_sip_emit(ls, CALL_LEG_ANSWER, false, 0, scode);
}

static void failure(struct leg_sip *ls, uint16_t scode,
		    const struct sip_msg *resp)
{
	int cause;

	if ((scode == 401 || scode == 407) && resp && ls->auth &&
	    ls->state == LEG_SIP_CALLING &&
	    ls->auth_tries < LEG_SIP_AUTH_TRIES &&
	    !sip_auth_cli_challenge(ls->auth, resp)) {
		ls->auth_tries++;
		ls->cseq++;
		if (!send_invite(ls))
			return;
	}
	/* RFC 4028 7.4: once more with the Min-SE asked for, a new CSeq in
	 * the same Call-ID */
	if (scode == 422 && resp && ls->state == LEG_SIP_CALLING &&
	    leg_sip_st_422(ls, resp)) {
		ls->cseq++;
		if (!send_invite(ls))
			return;
	}
	unself(ls);
	if (ls->state != LEG_SIP_CALLING)
		return;
	cause = leg_sip_cause_of(ls, resp, scode);
	/* 487 we did not ask for: the far end gave up */
	if (cause <= 0)
		cause = CALL_CAUSE_NORMAL_UNSPECIFIED;
	LOGI_ID(ls->leg.id, "failed: %u, cause %d", scode, cause);
	leg_sip_kill(ls);
	leg_sip_emit(ls, CALL_LEG_RELEASE, false, cause, scode);
}

static void uac_h(struct sip_ctrans *ct, uint16_t scode,
		  const struct sip_msg *resp, void *arg)
{
	struct leg_sip *ls = arg;

	if (ct != ls->inv_ct)
		return; /* an INVITE we re-sent with credentials since */
	mem_ref(ls);
	if (scode < 200)
		provisional(ls, scode, resp);
	else if (scode < 300 && resp)
		success(ls, scode, resp);
	else
		failure(ls, scode, resp);
	mem_deref(ls);
}

void leg_sip_uac_release(struct leg_sip *ls, int cause)
{
	struct buf h = { 0 };

	/* RFC 3326: the CANCEL says why, as the BYE would */
	if (ls->state == LEG_SIP_CALLING && ls->inv_ct &&
	    !leg_sip_reason_hdr(&h, cause) &&
	    !sip_ctrans_cancel(ls->inv_ct, buf_cstr(&h)))
		ls->cancelled = true;
	buf_free(&h);
	leg_sip_kill(ls);
	if (!ls->cancelled)
		unself(ls);
}
