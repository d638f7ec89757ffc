// SPDX-License-Identifier: GPL-2.0
/* Which transaction a message belongs to: RFC 3261 17.1.3 (responses),
 * 17.2.3 (requests, with the RFC 2543 fallback), 9.2 (CANCEL), 8.2.2.2
 * (merged requests) and 13.3.1.4 (the ACK of a 2xx). */
#include <string.h>

#include "tsx_priv.h"

bool sip_tsx_branch_3261(struct strv branch)
{
	static const char cookie[] = "z9hG4bK";

	/* the cookie is case-sensitive (8.1.1.7): "Z9HG4BK" is an RFC 2543
	 * branch, and a bare cookie is no unique branch at all */
	return branch.l > sizeof(cookie) - 1 &&
	       !memcmp(branch.p, cookie, sizeof(cookie) - 1);
}

static bool sent_by_eq(const struct sip_via *a, const struct sip_via *b)
{
	/* hosts compare case-insensitively; an absent port only equals an
	 * absent port (18.2.2 would route both to 5060, but a client that
	 * changes how it writes its own Via is not retransmitting) */
	return a->port == b->port && strv_caseeq(a->host, b->host);
}

static bool to_tag_eq(struct strv tag, const char *mine)
{
	return mine && strv_eq(tag, strv_of(mine));
}

static bool rfc2543_common(const struct sip_msg *o, const struct sip_msg *m)
{
	return strv_eq(o->ruri.raw, m->ruri.raw) &&
	       strv_eq(o->from.tag, m->from.tag) &&
	       strv_eq(o->call_id, m->call_id) &&
	       o->cseq.num == m->cseq.num && strv_eq(o->via.raw, m->via.raw);
}

bool sip_tsx_match_req(const struct sip_strans *st, const struct sip_msg *m,
		       bool as_invite)
{
	const struct sip_msg *o = st->req;

	if (as_invite ? !st->invite : !strv_eq(o->method, m->method))
		return false;
	if (sip_tsx_branch_3261(m->via.branch))
		return !st->rfc2543 && strv_eq(o->via.branch, m->via.branch) &&
		       sent_by_eq(&o->via, &m->via);
	/* RFC 2543: the request matches on its dialog and CSeq identifiers
	 * and the whole top Via; an ACK carries the To tag of our answer */
	if (!st->rfc2543 || !rfc2543_common(o, m))
		return false;
	if (m->meth == SIP_METHOD_ACK)
		return to_tag_eq(m->to.tag, st->totag);
	return strv_eq(o->to.tag, m->to.tag);
}

bool sip_tsx_match_resp(const struct sip_ctrans *ct, const struct sip_msg *m)
{
	const struct sip_msg *o = ct->req;

	/* the CSeq method tells a CANCEL's answers (same branch) from the
	 * INVITE's */
	return strv_eq(o->via.branch, m->via.branch) &&
	       strv_eq(o->cseq.method, m->cseq.method) &&
	       strv_eq(o->call_id, m->call_id);
}

bool sip_tsx_match_2xx_ack(const struct sip_strans *st,
			   const struct sip_msg *m)
{
	const struct sip_msg *o = st->req;

	return st->invite && st->state == SIP_ST_ACCEPTED &&
	       m->meth == SIP_METHOD_ACK && o->cseq.num == m->cseq.num &&
	       strv_eq(o->call_id, m->call_id) &&
	       strv_eq(o->from.tag, m->from.tag) &&
	       to_tag_eq(m->to.tag, st->totag);
}

bool sip_tsx_match_merged(const struct sip_strans *st,
			  const struct sip_msg *m)
{
	const struct sip_msg *o = st->req;

	/* 8.2.2.2 applies to requests outside a dialog only */
	return !m->to.tag.l && o->cseq.num == m->cseq.num &&
	       strv_eq(o->cseq.method, m->cseq.method) &&
	       strv_eq(o->call_id, m->call_id) &&
	       strv_eq(o->from.tag, m->from.tag);
}
