// SPDX-License-Identifier: GPL-2.0
/*
 * Building requests inside a dialog (RFC 3261 12.2.1.1, 13.2.2.4 for the
 * ACK of a 2xx, 16.12.1 for loose and strict routes) and the random
 * identifiers a dialog starts from (8.1.1.4, 19.3).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "dialog.h"

static int rand_hex(char *out, size_t bytes)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16];

	if (bytes > sizeof(r) || RAND_bytes(r, (int)bytes) != 1)
		return -EIO;
	for (size_t i = 0; i < bytes; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[2 * bytes] = '\0';
	return 0;
}

int sip_dialog_tag_new(char *out, size_t n)
{
	if (n < 17)
		return -ENOSPC;
	return rand_hex(out, 8);
}

int sip_dialog_callid_new(char *out, size_t n, const char *host)
{
	char r[33];
	int err = rand_hex(r, 16);
	int len;

	if (err)
		return err;
	if (host && host[0])
		len = snprintf(out, n, "%s@%s", r, host);
	else
		len = snprintf(out, n, "%s", r);
	return len < 0 || (size_t)len >= n ? -ENOSPC : 0;
}

int sip_dialog_branch_new(char *out, size_t n)
{
	if (n < 32)
		return -ENOSPC;
	memcpy(out, "z9hG4bK", 7);
	return rand_hex(out + 7, 12);
}

/* The Request-URI form of a route's URI: URI headers are not allowed in
 * a Request-URI (19.1.1, table 1), so they are cut. */
static struct strv ruri_form(const struct sip_uri *u)
{
	struct strv v = u->raw;

	if (u->headers.p && u->headers.p > v.p)
		v.l = (size_t)(u->headers.p - v.p) - 1;
	return v;
}

/* Route lines and the Request-URI for the next request (12.2.1.1). */
static int routing(const struct sip_dialog *d, struct buf *h,
		   struct strv *ruri, struct strv *hop)
{
	struct sip_addr a0;
	size_t first = 0;
	int err = 0;

	*ruri = strv_of(d->target);
	*hop = *ruri;
	if (!d->nroute)
		return 0;
	if (!d->route[0] || sip_addr_decode(&a0, strv_of(d->route[0])))
		return -EINVAL;
	*hop = a0.uri.raw;
	if (!sip_param_get(a0.uri.params, "lr", NULL)) {
		/* strict router: it becomes the Request-URI, the remote
		 * target goes last in Route */
		*ruri = ruri_form(&a0.uri);
		first = 1;
	}
	for (size_t i = first; i < d->nroute && !err; i++)
		err = buf_printf(h, "Route: %s\r\n", d->route[i]);
	if (!err && first)
		err = buf_printf(h, "Route: <%s>\r\n", d->target);
	return err;
}

int sip_dialog_req(struct sip_dialog *d, struct buf *b,
		   const struct sip_dialog_req_params *p, struct strv *hop)
{
	enum sip_method m = sip_method_lookup(p->method);
	struct sip_req_params rp = { 0 };
	struct buf h = { 0 };
	char branch[32];
	struct strv nh;
	uint32_t cseq;
	int err;

	if (!p->method.l || !p->transport.l || !p->sent_by.l || !d->target)
		return -EINVAL;
	if (d->state == SIP_DIALOG_TERMINATED && m != SIP_METHOD_ACK)
		return -EINVAL;
	if ((m == SIP_METHOD_INVITE || m == SIP_METHOD_UPDATE) &&
	    !p->contact.l)
		return -EINVAL;
	if (m == SIP_METHOD_ACK) {
		/* the ACK of a 2xx has the INVITE's CSeq number (13.2.2.4) */
		if (!d->invite_set)
			return -EINVAL;
		cseq = d->invite_cseq;
	} else if (d->lseq_set) {
		cseq = d->lseq + 1;
	} else {
		/* 8.1.1.5: below 2^31, here random */
		if (RAND_bytes((unsigned char *)&cseq, sizeof(cseq)) != 1)
			return -EIO;
		cseq &= 0x7fffffff;
		if (!cseq)
			cseq = 1;
	}
	if (!p->branch.l) {
		err = sip_dialog_branch_new(branch, sizeof(branch));
		if (err)
			return err;
	}
	err = routing(d, &h, &rp.ruri, &nh);
	if (!err)
		err = buf_append(&h, p->hdrs.p, p->hdrs.l);
	if (err)
		goto out;
	rp.method = p->method;
	rp.transport = p->transport;
	rp.sent_by = p->sent_by;
	rp.branch = p->branch.l ? p->branch : strv_of(branch);
	rp.rport = p->rport;
	rp.from = strv_of(d->luri);
	rp.from_tag = strv_of(d->ltag);
	rp.to = strv_of(d->ruri);
	rp.to_tag = strv_of(d->rtag);
	rp.call_id = strv_of(d->call_id);
	rp.cseq = cseq;
	rp.max_fwd = p->max_fwd ? p->max_fwd : 70;
	rp.contact = p->contact;
	rp.hdrs = (struct strv){ (const char *)h.data, h.len };
	rp.ctype = p->ctype;
	rp.body = p->body;
	err = sip_req_print(b, &rp);
	if (err)
		goto out;
	/* committed only once the request exists */
	if (m != SIP_METHOD_ACK) {
		d->lseq = cseq;
		d->lseq_set = true;
	}
	if (m == SIP_METHOD_INVITE) {
		d->invite_cseq = cseq;
		d->invite_set = true;
	}
	if (hop)
		*hop = nh;
out:
	buf_free(&h);
	return err;
}
