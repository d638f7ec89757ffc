// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP leg's own re-INVITE and UPDATE (RFC 3261 14.1, RFC 3311): one
 * at a time, with our current offer when asked (the o= version stays
 * when nothing changed, RFC 3264 8), the session timer lines of
 * leg_sip_st.c, and the ACK of a 2xx to a re-INVITE (also of its
 * retransmissions). Glare: while ours is outstanding a re-INVITE of the
 * peer gets 491 (leg_sip_dlg.c, 14.2); a 491 to ours is retried after a
 * random 2.1-4 s if we own the Call-ID (we sent the dialog's INVITE),
 * else 0-2 s (14.1), a few times before the caller hears of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../sip/dialog.h"
#include "leg_sip_priv.h"

/* 491s in a row before the caller gets one */
#define LEG_SIP_GLARE_TRIES 3

uint32_t leg_sip_glare_ms(bool owner, uint32_t rnd)
{
	/* 14.1: in units of 10 ms */
	if (owner)
		return 2100 + (rnd % 191) * 10;
	return (rnd % 201) * 10;
}

static uint32_t rnd32(struct leg_sip *ls)
{
	char tag[24];

	/* the transaction layer's tags are random enough for a back-off */
	sip_tsx_tag(sip_mod_tsx(ls->sm), tag, sizeof(tag));
	tag[8] = '\0';
	return (uint32_t)strtoul(tag, NULL, 16);
}

static void drop_ct(struct sip_ctrans **ct)
{
	if (!*ct)
		return;
	sip_ctrans_abandon(*ct);
	*ct = mem_deref(*ct);
}

static void finish(struct leg_sip *ls, uint16_t scode,
		   const struct sip_msg *resp)
{
	leg_sip_reinv_h *h = ls->reinv.h;

	ls->reinv.busy = false;
	ls->reinv.h = NULL;
	ls->reinv.glare = 0;
	if (h)
		h(ls, scode, resp);
}

static void reinv_h(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg);

static int send_it(struct leg_sip *ls)
{
	struct buf h = { 0 }, sdp = { 0 };
	struct sip_ctrans *ct;
	int err;

	err = buf_puts(&h, "Allow: " SIP_MOD_ALLOW "\r\n"
			   "Supported: " SIP_MOD_SUPPORTED "\r\n");
	if (!err)
		err = leg_sip_st_req_hdrs(ls, false, &h);
	if (!err && ls->reinv.sdp)
		err = sdp_oa_offer(ls->oa, &sdp);
	if (err)
		goto out;
	err = leg_sip_send_req(ls, ls->reinv.update ? "UPDATE" : "INVITE",
			       buf_cstr(&h), &sdp, reinv_h, &ct);
	if (err) {
		if (ls->reinv.sdp)
			sdp_oa_rollback(ls->oa);
		goto out;
	}
	ls->reinv.ct = mem_ref(ct);
out:
	buf_free(&h);
	buf_free(&sdp);
	return err;
}

static void retry_h(void *arg)
{
	struct leg_sip *ls = arg;
	int err;

	if (ls->state != LEG_SIP_CONFIRMED || !ls->reinv.busy)
		return;
	mem_ref(ls);
	err = ls->reoffer ? -EBUSY : send_it(ls);
	if (err) {
		LOGW_ID(ls->leg.id, "%s retry not sent: %s",
			ls->reinv.update ? "UPDATE" : "re-INVITE",
			strerror(-err));
		finish(ls, 491, NULL);
	}
	mem_deref(ls);
}

static void answered(struct leg_sip *ls, const struct sip_msg *resp)
{
	if (ls->reinv.sdp) {
		if (resp->body.l &&
		    !sdp_oa_take_answer(ls->oa, resp->body.p, resp->body.l,
					NULL)) {
			leg_sip_media_apply(ls);
			leg_sip_emit(ls, CALL_LEG_MEDIA, false, 0, 0);
		} else {
			LOGW_ID(ls->leg.id, "2xx without a usable answer: "
					    "media unchanged");
			sdp_oa_rollback(ls->oa);
		}
	}
	if (ls->state == LEG_SIP_CONFIRMED)
		leg_sip_st_uac_resp(ls, resp);
}

static void reinv_h(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg)
{
	struct leg_sip *ls = arg;
	bool inv = !ls->reinv.update;

	mem_ref(ls);
	if (ct != ls->reinv.ct) {
		/* 13.2.2.4: each 2xx retransmission of an answered
		 * re-INVITE is ACKed again */
		if (ct == ls->reinv.old_ct && scode >= 200 && scode < 300)
			leg_sip_send_indialog(ls, "ACK", NULL, NULL, NULL);
		goto out;
	}
	if (scode < 200)
		goto out;
	if (inv) {
		/* kept (and its handler) for the 2xx retransmissions */
		drop_ct(&ls->reinv.old_ct);
		ls->reinv.old_ct = ls->reinv.ct;
	} else {
		drop_ct(&ls->reinv.ct);
	}
	ls->reinv.ct = NULL;
	if (ls->state == LEG_SIP_DEAD)
		goto out;
	if (scode < 300 && resp) {
		if (inv)
			leg_sip_send_indialog(ls, "ACK", NULL, NULL, NULL);
		/* 12.2.1.2: a target refresh request's 2xx */
		if (ls->dlg)
			sip_dialog_recv_resp(ls->dlg, resp);
		answered(ls, resp);
		finish(ls, scode, resp);
		goto out;
	}
	if (ls->reinv.sdp)
		sdp_oa_rollback(ls->oa);
	if (scode == 491 && ls->reinv.glare < LEG_SIP_GLARE_TRIES) {
		uint32_t ms = leg_sip_glare_ms(ls->uac, rnd32(ls));

		ls->reinv.glare++;
		LOGI_ID(ls->leg.id, "%s: 491, again in %u ms",
			inv ? "re-INVITE" : "UPDATE", ms);
		tmr_start(sip_mod_loop(ls->sm), &ls->reinv.tmr, ms, retry_h,
			  ls);
		goto out;
	}
	finish(ls, scode, resp);
out:
	mem_deref(ls);
}

int leg_sip_reinvite(struct leg_sip *ls, bool update, bool sdp,
		     leg_sip_reinv_h *h)
{
	int err;

	if (ls->state != LEG_SIP_CONFIRMED || !ls->dlg)
		return -ENOTCONN;
	/* one offer/answer and one INVITE at a time (RFC 3261 14.1, 3264) */
	if (ls->reinv.busy || ls->reoffer)
		return -EBUSY;
	ls->reinv.busy = true;
	ls->reinv.update = update;
	ls->reinv.sdp = sdp;
	ls->reinv.glare = 0;
	ls->reinv.h = h;
	err = send_it(ls);
	if (err) {
		ls->reinv.busy = false;
		ls->reinv.h = NULL;
	}
	return err;
}

bool leg_sip_reinv_pending(const struct leg_sip *ls)
{
	return ls->reinv.ct != NULL;
}

void leg_sip_reinv_stop(struct leg_sip *ls)
{
	tmr_cancel(&ls->reinv.tmr);
	drop_ct(&ls->reinv.ct);
	drop_ct(&ls->reinv.old_ct);
	ls->reinv.busy = false;
	ls->reinv.h = NULL;
}
