// SPDX-License-Identifier: GPL-2.0
/*
 * Dialog state (RFC 3261 12.1, 12.2.1.2, 12.2.2, 12.3): creation as UAS
 * and UAC, matching of received messages, CSeq rules, target refresh and
 * the early -> confirmed -> terminated life.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../base/mem.h"
#include "dialog.h"

static void route_free(struct sip_dialog *d)
{
	for (size_t i = 0; i < d->nroute; i++)
		mem_deref(d->route[i]);
	d->route = mem_deref(d->route);
	d->nroute = 0;
}

static void dialog_destroy(void *arg)
{
	struct sip_dialog *d = arg;

	route_free(d);
	mem_deref(d->call_id);
	mem_deref(d->ltag);
	mem_deref(d->rtag);
	mem_deref(d->luri);
	mem_deref(d->ruri);
	mem_deref(d->target);
}

static char *sv_dup(struct strv v)
{
	return mem_strndup(v.p ? v.p : "", v.l);
}

/* The name-addr of a From/To without its header parameters (the tag is
 * kept apart; 12.2.1.1 builds From/To from "URI" and tag). */
static char *naddr_dup(const struct sip_addr *a)
{
	struct buf b = { 0 };
	char *s = NULL;
	int err = 0;

	if (a->dname.l)
		err = buf_printf(&b, a->dname_quoted ? "\"%.*s\" " : "%.*s ",
				 (int)a->dname.l, a->dname.p);
	if (!err)
		err = buf_printf(&b, "<%.*s>", (int)a->uri.raw.l,
				 a->uri.raw.p);
	if (!err)
		s = mem_strndup((const char *)b.data, b.len);
	buf_free(&b);
	return s;
}

/* The single Contact of a dialog-forming message, as a URI string. */
static int contact_uri(const struct sip_msg *m, char **out)
{
	struct sip_addr a;
	uint64_t pos = 0;
	struct strv v;
	char *s;

	if (m->contact_star || !sip_msg_values(m, SIP_HDR_CONTACT, &pos, &v) ||
	    sip_addr_decode(&a, v) || !a.uri.raw.l)
		return -EBADMSG;
	s = sv_dup(a.uri.raw);
	if (!s)
		return -ENOMEM;
	mem_deref(*out);
	*out = s;
	return 0;
}

/* Route set from the Record-Route values of @m, reversed for a UAC. */
static int route_set(struct sip_dialog *d, const struct sip_msg *m,
		     bool reverse)
{
	struct sip_addr a;
	uint64_t pos = 0;
	struct strv v;
	size_t n = 0, i = 0;
	char **rv;

	while (sip_msg_values(m, SIP_HDR_RECORD_ROUTE, &pos, &v)) {
		if (sip_addr_decode(&a, v) || !a.bracketed)
			return -EBADMSG;
		n++;
	}
	route_free(d);
	if (!n)
		return 0;
	rv = mem_zalloc(n * sizeof(*rv), NULL);
	if (!rv)
		return -ENOMEM;
	d->route = rv;
	/* every slot counted from the start: unfilled ones are NULL, which
	 * route_free() takes */
	d->nroute = n;
	pos = 0;
	while (i < n && sip_msg_values(m, SIP_HDR_RECORD_ROUTE, &pos, &v)) {
		char *s = sv_dup(v);

		if (!s)
			return -ENOMEM;
		rv[reverse ? n - 1 - i : i] = s;
		i++;
	}
	return 0;
}

static struct sip_dialog *dialog_new(const struct sip_msg *req, bool uac)
{
	struct sip_dialog *d = mem_zalloc(sizeof(*d), dialog_destroy);

	if (!d)
		return NULL;
	d->uac = uac;
	d->secure = req->ruri.scheme == SIP_SCHEME_SIPS;
	d->call_id = sv_dup(req->call_id);
	if (!d->call_id)
		return mem_deref(d);
	return d;
}

int sip_dialog_uas_create(struct sip_dialog **dp, const struct sip_msg *req,
			  struct strv ltag, bool early)
{
	struct sip_dialog *d;
	int err = -ENOMEM;

	/* 12.1.1: a From without a tag (RFC 2543) is a null remote tag,
	 * not an error; in-dialog requests then match on an empty one */
	if (!req->req || !ltag.l || !req->call_id.l)
		return -EINVAL;
	d = dialog_new(req, false);
	if (!d)
		return -ENOMEM;
	d->state = early ? SIP_DIALOG_EARLY : SIP_DIALOG_CONFIRMED;
	d->ltag = sv_dup(ltag);
	d->rtag = sv_dup(req->from.tag);
	d->luri = naddr_dup(&req->to);
	d->ruri = naddr_dup(&req->from);
	if (!d->ltag || !d->rtag || !d->luri || !d->ruri)
		goto out;
	d->rseq = req->cseq.num;
	d->rseq_set = true;
	err = contact_uri(req, &d->target);
	if (!err)
		err = route_set(d, req, false);
out:
	if (err)
		mem_deref(d);
	else
		*dp = d;
	return err;
}

int sip_dialog_uac_create(struct sip_dialog **dp, const struct sip_msg *req,
			  const struct sip_msg *resp)
{
	struct sip_dialog *d;
	int err = -ENOMEM;

	if (!req->req || resp->req || resp->scode < 101 ||
	    resp->scode > 299 || !resp->to.tag.l || !req->from.tag.l ||
	    !strv_eq(req->call_id, resp->call_id) ||
	    !strv_eq(req->from.tag, resp->from.tag) ||
	    req->cseq.num != resp->cseq.num)
		return -EINVAL;
	d = dialog_new(req, true);
	if (!d)
		return -ENOMEM;
	d->state = resp->scode < 200 ? SIP_DIALOG_EARLY
				     : SIP_DIALOG_CONFIRMED;
	d->ltag = sv_dup(req->from.tag);
	d->rtag = sv_dup(resp->to.tag);
	d->luri = naddr_dup(&req->from);
	d->ruri = naddr_dup(&req->to);
	if (!d->ltag || !d->rtag || !d->luri || !d->ruri)
		goto out;
	d->lseq = req->cseq.num;
	d->lseq_set = true;
	d->invite_cseq = req->cseq.num;
	d->invite_set = true;
	err = contact_uri(resp, &d->target);
	if (err == -EBADMSG && resp->scode < 200 && !resp->ncontact) {
		/* a 1xx may omit Contact; until one comes, the peer is
		 * reached where the INVITE went */
		d->target = sv_dup(req->ruri.raw);
		err = d->target ? 0 : -ENOMEM;
	}
	if (!err)
		err = route_set(d, resp, true);
out:
	if (err)
		mem_deref(d);
	else
		*dp = d;
	return err;
}

bool sip_dialog_match_req(const struct sip_dialog *d,
			  const struct sip_msg *req)
{
	return req->req && strv_eq(req->call_id, strv_of(d->call_id)) &&
	       strv_eq(req->to.tag, strv_of(d->ltag)) &&
	       strv_eq(req->from.tag, strv_of(d->rtag));
}

bool sip_dialog_match_resp(const struct sip_dialog *d,
			   const struct sip_msg *resp)
{
	return !resp->req && strv_eq(resp->call_id, strv_of(d->call_id)) &&
	       strv_eq(resp->from.tag, strv_of(d->ltag)) &&
	       strv_eq(resp->to.tag, strv_of(d->rtag));
}

static bool target_refresh(enum sip_method m)
{
	return m == SIP_METHOD_INVITE || m == SIP_METHOD_UPDATE;
}

int sip_dialog_recv_req(struct sip_dialog *d, const struct sip_msg *req)
{
	int err = 0;

	if (req->meth == SIP_METHOD_ACK || req->meth == SIP_METHOD_CANCEL)
		return 0;
	if (d->rseq_set && req->cseq.num < d->rseq)
		return -EPROTO;
	/* Contact is optional in an UPDATE that changes nothing else
	 * (RFC 3311 5.2 asks for it; tolerate its absence) */
	if (target_refresh(req->meth) && (req->ncontact || req->contact_star))
		err = contact_uri(req, &d->target);
	if (err)
		return err;
	d->rseq = req->cseq.num;
	d->rseq_set = true;
	if (req->meth == SIP_METHOD_BYE)
		d->state = SIP_DIALOG_TERMINATED;
	return 0;
}

int sip_dialog_recv_resp(struct sip_dialog *d, const struct sip_msg *resp)
{
	enum sip_method m = resp->cseq.meth;
	int err = 0;

	if (resp->req)
		return -EINVAL;
	if (resp->scode == 481 || resp->scode == 408) {
		d->state = SIP_DIALOG_TERMINATED;
		return 0;
	}
	if (m == SIP_METHOD_INVITE && resp->scode >= 300) {
		if (d->state == SIP_DIALOG_EARLY)
			d->state = SIP_DIALOG_TERMINATED;
		return 0;
	}
	if (m == SIP_METHOD_INVITE && resp->scode >= 200 &&
	    d->state == SIP_DIALOG_EARLY && d->uac) {
		/* 13.2.2.4: the 2xx's Record-Route is what counts */
		err = route_set(d, resp, true);
		if (err)
			return err;
		d->state = SIP_DIALOG_CONFIRMED;
	}
	if (target_refresh(m) && resp->scode >= 101 && resp->scode < 300 &&
	    (resp->ncontact || resp->contact_star))
		err = contact_uri(resp, &d->target);
	return err;
}

void sip_dialog_confirm(struct sip_dialog *d)
{
	if (d->state == SIP_DIALOG_EARLY)
		d->state = SIP_DIALOG_CONFIRMED;
}

void sip_dialog_terminate(struct sip_dialog *d)
{
	d->state = SIP_DIALOG_TERMINATED;
}
