// SPDX-License-Identifier: GPL-2.0
/*
 * What a SIP leg says about parties and causes: calling party from
 * P-Asserted-Identity or From with Privacy (RFC 3325, RFC 3323), called
 * party from the Request-URI, redirecting party from Diversion (RFC 5806)
 * or History-Info (RFC 7044); and the cause of a final response or a
 * BYE/CANCEL: the Q.850 Reason (RFC 3326) if there is one, else RFC 3398.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../sip/msg.h"
#include "leg_sip_priv.h"
#include "reason.h"

/* The number in a URI's user part (or a tel: URI) into @n, %HEX escapes
 * decoded: digits, '*' and '#', after an optional '+' that makes it
 * international (E.164). RFC 3966 visual separators ("-.()") go; anything
 * else (a name such as "alice", a letter, a pause, an escaped NUL) makes
 * it no number at all, and routing answers as for an empty one.
 * Parameters after ';' (isub, phone-context) are not part of it. */
static void number_of(const struct sip_uri *u, struct call_number *n)
{
	struct strv v = u->scheme == SIP_SCHEME_TEL ? u->opaque : u->user;
	const char *semi = v.l ? memchr(v.p, ';', v.l) : NULL;
	char raw[CALL_NUMBER_MAX * 2 + 2];
	size_t i = 0, k = 0;
	int len;

	memset(n, 0, sizeof(*n));
	if (semi)
		v.l = (size_t)(semi - v.p);
	len = sip_unescape(v, raw, sizeof(raw));
	if (len <= 0)
		return;
	if (raw[0] == '+') {
		n->ton = CALL_TON_INTERNATIONAL;
		n->npi = CALL_NPI_E164;
		i = 1;
	}
	for (; i < (size_t)len; i++) {
		char c = raw[i];

		if (c == '-' || c == '.' || c == '(' || c == ')')
			continue;
		if (!((c >= '0' && c <= '9') || c == '*' || c == '#') ||
		    k >= CALL_NUMBER_MAX) {
			memset(n, 0, sizeof(*n));
			return;
		}
		n->digits[k++] = c;
	}
	n->digits[k] = '\0';
	if (!k)
		memset(n, 0, sizeof(*n));
}

static void party_of(const struct sip_addr *a, struct call_party *p)
{
	size_t l = a->dname.l < sizeof(p->name) - 1 ? a->dname.l :
						      sizeof(p->name) - 1;

	number_of(&a->uri, &p->num);
	memcpy(p->name, a->dname.p ? a->dname.p : "", a->dname.p ? l : 0);
	p->name[a->dname.p ? l : 0] = '\0';
}

/* The first value of header @id decoded as a name-addr. */
static bool first_addr(const struct sip_msg *m, enum sip_hdr_id id,
		       struct sip_addr *a)
{
	uint64_t pos = 0;

	return sip_msg_addr_next(m, id, &pos, a);
}

void leg_sip_setup_from_req(struct call_leg_setup *s, const char *peer,
			    const struct sip_msg *req)
{
	const struct sip_hdr *h;
	struct sip_addr a;

	memset(s, 0, sizeof(*s));
	snprintf(s->ingress, sizeof(s->ingress), "peer:%s", peer);
	number_of(&req->ruri, &s->called.num);
	/* RFC 3325 9.1: the asserted identity is the one that counts */
	if (first_addr(req, SIP_HDR_P_ASSERTED_IDENTITY, &a)) {
		party_of(&a, &s->calling);
		s->calling.screen = CALL_SCREEN_NETWORK;
	} else {
		party_of(&req->from, &s->calling);
		s->calling.screen = CALL_SCREEN_USER_NOT_SCREENED;
	}
	/* RFC 3323 4.2: "id" or "user" hides who calls */
	if (sip_msg_has_token(req, SIP_HDR_PRIVACY, "id") ||
	    sip_msg_has_token(req, SIP_HDR_PRIVACY, "user"))
		s->calling.pres = CALL_PRES_RESTRICTED;
	if (!s->calling.num.digits[0] && s->calling.pres == CALL_PRES_ALLOWED)
		s->calling.pres = CALL_PRES_UNAVAILABLE;
	/* the first diverting party is the redirecting number */
	h = sip_msg_hdr_name(req, STRV("Diversion"));
	if (!h)
		h = sip_msg_hdr_name(req, STRV("History-Info"));
	if (h && !sip_addr_decode(&a, h->val))
		party_of(&a, &s->redirecting);
}

int leg_sip_id_hdrs(struct buf *b, const struct call_leg_setup *s,
		    const char *host)
{
	const struct call_party *c = &s->calling;
	const char *plus = c->num.ton == CALL_TON_INTERNATIONAL ? "+" : "";
	int err = 0;

	if (c->num.digits[0])
		err = buf_printf(b, "P-Asserted-Identity: <sip:%s%s@%s>\r\n",
				 plus, c->num.digits, host);
	if (!err && c->pres != CALL_PRES_ALLOWED)
		err = buf_puts(b, "Privacy: id\r\n");
	if (!err && s->redirecting.num.digits[0])
		err = buf_printf(b, "Diversion: <sip:%s@%s>;reason=unknown\r\n",
				 s->redirecting.num.digits, host);
	return err;
}

int leg_sip_cause_of(const struct leg_sip *ls, const struct sip_msg *m,
		     int status)
{
	const struct sip_hdr *h = m ? sip_msg_hdr(m, SIP_HDR_REASON) : NULL;
	bool warn_bearer = false;

	for (; h; h = sip_msg_hdr_next(m, h)) {
		struct call_reason_list rl;
		const struct call_reason *r;

		if (call_reason_parse(&rl, h->val))
			continue;
		r = call_reason_find(&rl, CALL_REASON_Q850);
		if (r && r->cause >= 1 && r->cause <= CALL_CAUSE_MAX)
			return (int)r->cause;
	}
	if (status < 400)
		return CALL_CAUSE_NORMAL_CLEARING;
	/* RFC 3398 8.2.6.1: 488/606 with Warning 304/305 is a bearer issue */
	if (m && (status == 488 || status == 606)) {
		const struct sip_hdr *w = sip_msg_hdr(m, SIP_HDR_WARNING);

		warn_bearer = w && w->val.l >= 3 &&
			      (!memcmp(w->val.p, "304", 3) ||
			       !memcmp(w->val.p, "305", 3));
	}
	return call_cause_from_sip(&ls->pol.ovr, status, warn_bearer);
}

int leg_sip_reason_hdr(struct buf *b, int cause)
{
	int err;

	if (cause < 1 || cause > CALL_CAUSE_MAX)
		return 0;
	err = buf_puts(b, "Reason: ");
	if (!err)
		err = call_reason_print(b, "Q.850", (unsigned)cause,
					call_cause_name((unsigned)cause));
	if (!err)
		err = buf_puts(b, "\r\n");
	return err;
}
