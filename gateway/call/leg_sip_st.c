// SPDX-License-Identifier: GPL-2.0
/*
 * Session timers for the SIP leg (RFC 4028), both ways.
 *
 * As UAS (9) we read Session-Expires, Min-SE and Supported: timer from an
 * INVITE (and from every re-INVITE or UPDATE, each of which is a session
 * refresh), answer 422 with our Min-SE to an interval below it, and put
 * the interval with its refresher (and Require: timer when the peer
 * supports the extension) in our 2xx. As UAC (7) our INVITE asks for the
 * peer policy's interval; a 422 is retried once with the Min-SE it names,
 * the 2xx says who refreshes.
 *
 * The refresher sends a refresh at half the interval (an UPDATE without
 * SDP when the peer allows UPDATE, else a re-INVITE with our SDP, through
 * leg_sip_reinv.c); 408, 481 or no answer to it ends the call, other
 * failures leave the session running until it expires. The other side
 * ends the call when no refresh came by the interval minus
 * min(32 s, interval / 3) (10). Either way the end is a BYE with Reason
 * Q.850 cause 102 (recovery on timer expiry) and a RELEASE with 102.
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

/* delta-seconds (RFC 3261 25.1) as a 32-bit count, then @rest */
static int delta(struct strv v, uint32_t *out, struct strv *rest)
{
	struct strv d = { v.p, 0 };
	uint64_t x;

	while (d.l < v.l && v.p[d.l] >= '0' && v.p[d.l] <= '9')
		d.l++;
	if (!d.l || d.l > 10 || strv_u64(d, UINT32_MAX, &x) || !x)
		return -EBADMSG;
	*out = (uint32_t)x;
	*rest = strv_trim((struct strv){ v.p + d.l, v.l - d.l });
	if (rest->l && rest->p[0] != ';')
		return -EBADMSG;
	if (rest->l) {
		rest->p++;
		rest->l--;
	}
	return 0;
}

int leg_sip_st_parse_se(struct strv v, uint32_t *se,
			enum leg_sip_st_who *refresher)
{
	struct strv params, r;
	int err;

	err = delta(strv_trim(v), se, &params);
	if (err)
		return err;
	*refresher = LEG_SIP_ST_NONE;
	if (!sip_param_get(params, "refresher", &r))
		return 0;
	r = strv_trim(r);
	if (strv_caseeq_str(r, "uac"))
		*refresher = LEG_SIP_ST_UAC;
	else if (strv_caseeq_str(r, "uas"))
		*refresher = LEG_SIP_ST_UAS;
	else
		return -EBADMSG;
	return 0;
}

int leg_sip_st_parse_min_se(struct strv v, uint32_t *min_se)
{
	struct strv params;

	return delta(strv_trim(v), min_se, &params);
}

int leg_sip_st_read(const struct sip_msg *m, struct leg_sip_st_hdrs *h)
{
	const struct sip_hdr *se = sip_msg_hdr(m, SIP_HDR_SESSION_EXPIRES);
	const struct sip_hdr *min = sip_msg_hdr(m, SIP_HDR_MIN_SE);

	memset(h, 0, sizeof(*h));
	if (se && leg_sip_st_parse_se(se->val, &h->se, &h->refresher))
		return -EBADMSG;
	if (min && leg_sip_st_parse_min_se(min->val, &h->min_se))
		return -EBADMSG;
	h->timer = sip_msg_has_token(m, SIP_HDR_SUPPORTED, "timer") ||
		   sip_msg_has_token(m, SIP_HDR_REQUIRE, "timer");
	return 0;
}

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

void leg_sip_st_uas_decide(const struct leg_sip_st_hdrs *rq, uint32_t want,
			   uint32_t min_se, struct leg_sip_st_ans *a)
{
	/* never below what either side says is its minimum (5, 9) */
	uint32_t floor = max32(min_se, rq->min_se);

	memset(a, 0, sizeof(*a));
	if (rq->se && rq->se < min_se) {
		a->reject = 422;
		a->min_se = floor;
		return;
	}
	if (rq->se) {
		/* we may shorten what was asked, never below Min-SE (9) */
		a->se = want && want < rq->se ? max32(want, floor) : rq->se;
	} else if (want) {
		/* nobody asked: we may still run one, of at least Min-SE */
		a->se = max32(want, floor);
	} else {
		return;
	}
	/* a UAC without the extension cannot refresh: we do (9); else its
	 * choice, and when it left that to us, the asking side refreshes */
	if (!rq->timer)
		a->refresher = LEG_SIP_ST_UAS;
	else if (rq->refresher != LEG_SIP_ST_NONE)
		a->refresher = rq->refresher;
	else
		a->refresher = LEG_SIP_ST_UAC;
	a->require = rq->timer;
}

void leg_sip_st_uac_decide(const struct leg_sip_st_hdrs *rs, uint32_t *se,
			   bool *we_refresh)
{
	/* 7.2: a 2xx without Session-Expires means no session expiration;
	 * one without a refresher parameter leaves the choice to us, and
	 * refreshing ourselves is the choice that cannot lose the call */
	*se = rs->se;
	*we_refresh = rs->se && rs->refresher != LEG_SIP_ST_UAS;
}

uint64_t leg_sip_st_refresh_ms(uint32_t se)
{
	return (uint64_t)se * 500;
}

uint64_t leg_sip_st_expiry_ms(uint32_t se)
{
	uint64_t ms = (uint64_t)se * 1000, third = ms / 3;

	return ms - (third < 32000 ? third : 32000);
}

/* --- on the leg -------------------------------------------------------- */

void leg_sip_st_init(struct leg_sip *ls)
{
	ls->st.min_se = sip_mod_min_se(ls->sm);
	if (!ls->st.min_se)
		ls->st.min_se = SIP_PEER_MIN_SE;
	ls->st.req_min = ls->st.min_se;
	if (ls->pol.session_timer)
		ls->st.req_se = max32(ls->pol.session_timer, ls->st.min_se);
}

uint16_t leg_sip_st_uas_req(struct leg_sip *ls, const struct sip_msg *req,
			    struct buf *h)
{
	struct leg_sip_st_hdrs rq;
	struct leg_sip_st_ans a;

	if (leg_sip_st_read(req, &rq)) {
		buf_puts(h, "Warning: 399 trunkline \"bad Session-Expires "
			    "or Min-SE\"\r\n");
		return 400;
	}
	leg_sip_st_uas_decide(&rq, ls->pol.session_timer, ls->st.min_se, &a);
	if (a.reject) {
		LOGI_ID(ls->leg.id, "session interval %u s below Min-SE %u",
			rq.se, ls->st.min_se);
		buf_printf(h, "Min-SE: %u\r\n", a.min_se);
		return a.reject;
	}
	ls->st.se = a.se;
	ls->st.refresher = a.refresher == LEG_SIP_ST_UAS;
	ls->st.peer_timer = rq.timer;
	ls->st.req_min = max32(ls->st.min_se, rq.min_se);
	/* no Allow says nothing: UPDATE only when it is listed */
	if (sip_msg_hdr(req, SIP_HDR_ALLOW))
		ls->st.peer_update =
			sip_msg_has_token(req, SIP_HDR_ALLOW, "UPDATE");
	return 0;
}

int leg_sip_st_resp_hdrs(const struct leg_sip *ls, struct buf *h)
{
	int err;

	if (!ls->st.se)
		return 0;
	err = buf_printf(h, "Session-Expires: %u;refresher=%s\r\n",
			 ls->st.se, ls->st.refresher ? "uas" : "uac");
	/* 9: Require only towards a peer that supports the extension */
	if (!err && ls->st.peer_timer)
		err = buf_puts(h, "Require: timer\r\n");
	return err;
}

int leg_sip_st_req_hdrs(const struct leg_sip *ls, bool initial,
			struct buf *h)
{
	if (initial || !ls->st.se) {
		/* the INVITE asks, the UAS picks the refresher (7.1); a
		 * re-INVITE after the peer turned the timer off asks again */
		if (!ls->st.req_se)
			return 0;
		return buf_printf(h, "Session-Expires: %u\r\nMin-SE: %u\r\n",
				  ls->st.req_se, ls->st.req_min);
	}
	/* 7.4: a refresh keeps the interval and names the refresher as
	 * seen from this transaction, where we are the UAC */
	return buf_printf(h, "Session-Expires: %u;refresher=%s\r\n"
			     "Min-SE: %u\r\n",
			  ls->st.se, ls->st.refresher ? "uac" : "uas",
			  ls->st.req_min);
}

bool leg_sip_st_422(struct leg_sip *ls, const struct sip_msg *resp)
{
	const struct sip_hdr *h = sip_msg_hdr(resp, SIP_HDR_MIN_SE);
	uint32_t min;

	/* 7.4 (and 6): once, with the larger Min-SE, if we asked at all */
	if (ls->st.retried || !ls->st.req_se || !h ||
	    leg_sip_st_parse_min_se(h->val, &min) || min <= ls->st.req_se ||
	    min > 86400)
		return false;
	LOGI_ID(ls->leg.id, "422: session interval %u s -> %u s",
		ls->st.req_se, min);
	ls->st.retried = true;
	ls->st.req_se = min;
	ls->st.req_min = min;
	return true;
}

void leg_sip_st_uac_resp(struct leg_sip *ls, const struct sip_msg *resp)
{
	struct leg_sip_st_hdrs rs;

	if (leg_sip_st_read(resp, &rs)) {
		LOGW_ID(ls->leg.id, "2xx with a bad Session-Expires: no timer");
		memset(&rs, 0, sizeof(rs));
	}
	leg_sip_st_uac_decide(&rs, &ls->st.se, &ls->st.refresher);
	ls->st.peer_timer = rs.timer;
	if (rs.min_se > ls->st.req_min)
		ls->st.req_min = rs.min_se;
	if (sip_msg_hdr(resp, SIP_HDR_ALLOW))
		ls->st.peer_update =
			sip_msg_has_token(resp, SIP_HDR_ALLOW, "UPDATE");
	leg_sip_st_start(ls);
}

static void expire(struct leg_sip *ls, const char *why)
{
	LOGI_ID(ls->leg.id, "session timer (%u s): %s: BYE, cause 102",
		ls->st.se, why);
	mem_ref(ls);
	leg_sip_bye(ls, CALL_CAUSE_RECOVERY_ON_TIMER);
	leg_sip_emit(ls, CALL_LEG_RELEASE, false, CALL_CAUSE_RECOVERY_ON_TIMER,
		     0);
	mem_deref(ls);
}

static void refresh_h(struct leg_sip *ls, uint16_t scode,
		      const struct sip_msg *resp)
{
	/* a 2xx restarted the timer already (leg_sip_reinv.c) */
	if (scode < 300 || ls->state != LEG_SIP_CONFIRMED)
		return;
	/* 10: the refresh timed out, could not be sent (503 made up by
	 * the transaction layer) or the dialog is gone */
	if (scode == 408 || scode == 481 || (scode == 503 && !resp)) {
		tmr_cancel(&ls->st.tmr);
		expire(ls, scode == 481 ? "refresh got 481" :
					  "refresh unanswered");
		return;
	}
	/* other failures: the session lasts until it expires (the timer
	 * set when the refresh went out) */
	LOGI_ID(ls->leg.id, "session refresh failed (%u)", scode);
}

static void st_tmr_h(void *arg)
{
	struct leg_sip *ls = arg;
	struct loop *l = sip_mod_loop(ls->sm);
	int err;

	if (ls->state == LEG_SIP_ANSWERED) {
		/* our 200 waits for its ACK: a refresh cannot go yet */
		tmr_start(l, &ls->st.tmr, 1000, st_tmr_h, ls);
		return;
	}
	if (ls->state != LEG_SIP_CONFIRMED || !ls->st.se)
		return;
	if (!ls->st.refresher || ls->st.sent) {
		expire(ls, ls->st.refresher ? "expired" : "no refresh came");
		return;
	}
	/* the session ends at the full interval unless this refresh works */
	ls->st.sent = true;
	tmr_start(l, &ls->st.tmr,
		  (uint64_t)ls->st.se * 1000 - leg_sip_st_refresh_ms(ls->st.se),
		  st_tmr_h, ls);
	err = leg_sip_reinvite(ls, ls->st.peer_update, !ls->st.peer_update,
			       refresh_h);
	/* -EBUSY: a re-INVITE or offer in progress refreshes when it ends */
	if (err && err != -EBUSY)
		LOGW_ID(ls->leg.id, "session refresh not sent: %s",
			strerror(-err));
}

void leg_sip_st_start(struct leg_sip *ls)
{
	uint64_t ms;

	tmr_cancel(&ls->st.tmr);
	ls->st.sent = false;
	if (!ls->st.se || ls->state == LEG_SIP_DEAD)
		return;
	ms = ls->st.refresher ? leg_sip_st_refresh_ms(ls->st.se) :
				leg_sip_st_expiry_ms(ls->st.se);
	LOGD_ID(ls->leg.id, "session timer %u s, %s in %llu ms", ls->st.se,
		ls->st.refresher ? "refresh" : "expiry",
		(unsigned long long)ms);
	tmr_start(sip_mod_loop(ls->sm), &ls->st.tmr, ms, st_tmr_h, ls);
}

void leg_sip_st_stop(struct leg_sip *ls)
{
	tmr_cancel(&ls->st.tmr);
	ls->st.sent = false;
}
