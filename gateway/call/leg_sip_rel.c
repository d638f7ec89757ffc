// SPDX-License-Identifier: GPL-2.0
/*
 * Reliable provisional responses from the SIP leg as UAS (RFC 3262).
 *
 * When the INVITE supports or requires 100rel and the peer's policy allows
 * it, 180 and 183 go out with Require: 100rel and an RSeq, and are sent
 * again at T1, 2*T1, 4*T1 ... until a PRACK with the matching RAck comes
 * (3). Only one may be unacknowledged at a time: a later provisional waits
 * for the PRACK of the one before and the newest waiting one wins, since
 * it says best how the call stands. Our 200 waits for the PRACK as well:
 * a reliable 183 carries our SDP answer, and the 2xx may not overtake an
 * unacknowledged answer (3, last paragraph). No PRACK within 64*T1 fails
 * the INVITE with 5xx, as section 3 recommends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../sip/peer.h"
#include "leg_sip_priv.h"

static void rel_send(struct leg_sip *ls)
{
	char h[64];

	snprintf(h, sizeof(h), "Require: 100rel\r\nRSeq: %u\r\n",
		 ls->rel.rseq);
	leg_sip_reply(ls, ls->inv_st, ls->rel.code, h,
		      ls->rel.sdp ? &ls->sdp : NULL);
}

static void rel_tmr_h(void *arg)
{
	struct leg_sip *ls = arg;
	uint32_t t1 = sip_mod_t1(ls->sm);

	if (ls->state != LEG_SIP_CALLING || !ls->inv_st)
		return;
	if (ls->rel.waited >= 64 * t1) {
		LOGW_ID(ls->leg.id, "no PRACK for %u (RSeq %u)", ls->rel.code,
			ls->rel.rseq);
		mem_ref(ls);
		ls->rel.open = false;
		leg_sip_uas_fail(ls, CALL_CAUSE_TEMPORARY_FAILURE);
		mem_deref(ls);
		return;
	}
	rel_send(ls);
	ls->rel.waited += ls->rel.ivl;
	ls->rel.ivl *= 2;
	tmr_start(sip_mod_loop(ls->sm), &ls->rel.tmr, ls->rel.ivl, rel_tmr_h,
		  ls);
}

void leg_sip_rel_init(struct leg_sip *ls, const struct sip_msg *req)
{
	char tag[24];

	ls->rel.inv_cseq = req->cseq.num;
	ls->rel.use = ls->pol.rel100 != SIP_PEER_100REL_OFF &&
		      (sip_msg_has_token(req, SIP_HDR_SUPPORTED, "100rel") ||
		       sip_msg_has_token(req, SIP_HDR_REQUIRE, "100rel"));
	/* 3: the first RSeq is random in 1 .. 2^31 - 1; 28 bits leave room
	 * to count up for the rest of the call */
	sip_tsx_tag(sip_mod_tsx(ls->sm), tag, sizeof(tag));
	tag[7] = '\0';
	ls->rel.rseq = (uint32_t)strtoul(tag, NULL, 16) + 1;
}

int leg_sip_rel_progress(struct leg_sip *ls, uint16_t code, bool sdp)
{
	uint32_t t1 = sip_mod_t1(ls->sm);

	if (ls->rel.open) {
		ls->rel.next = code;
		ls->rel.next_sdp = sdp;
		return 0;
	}
	ls->rel.open = true;
	ls->rel.code = code;
	ls->rel.sdp = sdp;
	ls->rel.rseq++;
	ls->rel.ivl = t1;
	ls->rel.waited = t1;
	rel_send(ls);
	return tmr_start(sip_mod_loop(ls->sm), &ls->rel.tmr, t1, rel_tmr_h,
			 ls);
}

bool leg_sip_rel_pending(const struct leg_sip *ls)
{
	return ls->rel.open;
}

void leg_sip_rel_stop(struct leg_sip *ls)
{
	tmr_cancel(&ls->rel.tmr);
	ls->rel.open = false;
	ls->rel.next = 0;
	ls->rel.answer = false;
}

int leg_sip_rack_parse(struct strv v, uint32_t *rseq, uint32_t *cseq,
		       struct strv *meth)
{
	struct strv f[3];
	size_t i = 0, n = 0;
	uint64_t x;

	while (n < 3) {
		while (i < v.l && (v.p[i] == ' ' || v.p[i] == '\t'))
			i++;
		if (i >= v.l)
			break;
		f[n].p = v.p + i;
		while (i < v.l && v.p[i] != ' ' && v.p[i] != '\t')
			i++;
		f[n].l = (size_t)(v.p + i - f[n].p);
		n++;
	}
	/* nothing may follow the method */
	while (i < v.l && (v.p[i] == ' ' || v.p[i] == '\t'))
		i++;
	if (n != 3 || i != v.l || strv_u64(f[0], UINT32_MAX, &x))
		return -EBADMSG;
	*rseq = (uint32_t)x;
	if (strv_u64(f[1], UINT32_MAX, &x))
		return -EBADMSG;
	*cseq = (uint32_t)x;
	*meth = f[2];
	return 0;
}

void leg_sip_rel_prack(struct leg_sip *ls, struct sip_strans *st,
		       const struct sip_msg *req)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_RACK);
	uint32_t rseq, cseq;
	struct strv meth;

	if (!h || leg_sip_rack_parse(h->val, &rseq, &cseq, &meth)) {
		leg_sip_reply(ls, st, 400, NULL, NULL);
		return;
	}
	/* 3: a PRACK for nothing we are waiting on gets 481 */
	if (!ls->rel.open || rseq != ls->rel.rseq ||
	    cseq != ls->rel.inv_cseq || !strv_eq(meth, STRV("INVITE"))) {
		leg_sip_reply(ls, st, 481, NULL, NULL);
		return;
	}
	tmr_cancel(&ls->rel.tmr);
	ls->rel.open = false;
	leg_sip_reply(ls, st, 200, NULL, NULL);
	if (ls->state != LEG_SIP_CALLING)
		return;
	if (ls->rel.next) {
		uint16_t code = ls->rel.next;

		ls->rel.next = 0;
		leg_sip_rel_progress(ls, code, ls->rel.next_sdp);
		return;
	}
	if (ls->rel.answer) {
		ls->rel.answer = false;
		leg_sip_uas_answer(ls);
	}
}
