// SPDX-License-Identifier: GPL-2.0
/*
 * Request dispatch of the SIP module. The transaction layer has already
 * absorbed retransmissions, answered CANCEL, merged requests (482) and
 * Max-Forwards 0 (483); what reaches sip_mod_request() is a new request in
 * its own server transaction. It is answered here (OPTIONS, 405, 501,
 * 416, 420, 481, 415), or handed to the dialog it belongs to, or, for a
 * new INVITE, to the INVITE handler; without one, INVITE gets 480.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LOG_TAG "sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "dialog.h"
#include "module_priv.h"
#include "peer.h"

/* one handler for every instance: the call layer registers it once */
static sip_invite_h *invite_h;
static void *invite_arg;

int sip_mod_set_invite_h(sip_invite_h *h, void *arg)
{
	invite_h = h;
	invite_arg = arg;
	return 0;
}

void sip_mod_dlg_add(struct sip_mod *sm, struct sip_mod_dlg *md,
		     struct sip_dialog *d, sip_mod_dlg_h *h, void *arg)
{
	md->d = d;
	md->h = h;
	md->arg = arg;
	if (!list_linked(&md->le))
		list_append(&sm->dlgs, &md->le, md);
}

void sip_mod_dlg_del(struct sip_mod_dlg *md)
{
	list_unlink(&md->le);
}

static struct sip_mod_dlg *dlg_find(struct sip_mod *sm,
				    const struct sip_msg *req)
{
	struct le *e, *nx;

	LIST_FOREACH(&sm->dlgs, e, nx) {
		struct sip_mod_dlg *md = e->data;

		if (md->d && sip_dialog_match_req(md->d, req))
			return md;
	}
	return NULL;
}

/* Answer @st with @code and extra header lines @hdrs (may be NULL). */
static void reply(struct sip_mod *sm, struct sip_strans *st, uint16_t code,
		  const char *reason, const char *hdrs)
{
	const struct sip_msg *req = sip_strans_req(st);
	struct sip_resp_params rp = { .scode = code, .reason = reason };
	struct buf h = { 0 };
	int err;

	err = buf_printf(&h, "Server: %s\r\n%s", sm->ua, hdrs ? hdrs : "");
	if (!err) {
		rp.hdrs = (struct strv){ (const char *)h.data, h.len };
		err = sip_strans_reply(st, &rp);
	}
	if (err) {
		sm->st.send_err++;
		LOGD("%u to %.*s not sent: %s", code, (int)req->method.l,
		     req->method.p, strerror(-err));
	} else {
		sm->st.answered[code / 100]++;
	}
	buf_free(&h);
}

/* The Require tokens we do not support, as an Unsupported value. */
static bool unsupported(const struct sip_msg *req, char *out, size_t n)
{
	uint64_t pos = 0;
	struct strv v;
	size_t len = 0;

	out[0] = '\0';
	while (sip_msg_values(req, SIP_HDR_REQUIRE, &pos, &v)) {
		char tok[64];
		const char *p = SIP_MOD_SUPPORTED;
		bool ok = false;

		if (strv_copy(v, tok, sizeof(tok)))
			tok[0] = '\0';
		/* SIP_MOD_SUPPORTED is a short ", "-separated list */
		while (*tok && *p) {
			size_t tl = strcspn(p, ",");

			if (tl == strlen(tok) && !strncasecmp(p, tok, tl))
				ok = true;
			p += tl;
			p += strspn(p, ", ");
		}
		if (ok || len + v.l + 3 > n)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s%.*s",
					len ? ", " : "", (int)v.l, v.p);
	}
	return len > 0;
}

static bool sdp_or_empty(const struct sip_msg *req)
{
	struct strv ct = req->ctype;
	size_t l = 0;

	if (!req->body.l)
		return true;
	while (l < ct.l && ct.p[l] != ';' && ct.p[l] != ' ' && ct.p[l] != '\t')
		l++;
	ct.l = l;
	return strv_caseeq_str(ct, "application/sdp");
}

/* A new INVITE outside a dialog: who it is from, then whoever takes
 * calls. */
static void invite(struct sip_mod *sm, struct sip_strans *st,
		   const struct sip_msg *req, const struct sip_src *src)
{
	const struct sip_conf *sc = conf_get(sm->conf, "sip");
	const struct sip_peer_conf *peer;

	if (!sdp_or_empty(req)) {
		reply(sm, st, 415, NULL, "Accept: " SIP_MOD_ACCEPT "\r\n");
		return;
	}
	peer = sip_peer_by_src(sm->conf, src->tp, &src->src);
	if (!peer && sc->unknown_peers == SIP_CONF_UNKNOWN_REJECT) {
		char as[SA_STRLEN];

		LOGN("%.*s: INVITE from unknown source %s refused",
		     (int)req->call_id.l, req->call_id.p,
		     sa_str(&src->src, as, sizeof(as)));
		reply(sm, st, 403, NULL, NULL);
		return;
	}
	if (!invite_h) {
		reply(sm, st, 480, NULL,
		      "Warning: 399 trunkline \"no call handling is "
		      "configured\"\r\n");
		return;
	}
	sm->st.invites++;
	invite_h(sm, st, req, src, peer ? conf_label(peer) : "unknown", peer,
		 invite_arg);
}

void sip_mod_request(struct sip_strans *st, const struct sip_msg *req,
		     const struct sip_src *src, void *arg)
{
	struct sip_mod *sm = arg;
	struct sip_mod_dlg *md;
	char buf[256];

	sm->st.requests++;
	/* 8.2.1: method inspection */
	switch (req->meth) {
	case SIP_METHOD_OPTIONS:
	case SIP_METHOD_INVITE:
	case SIP_METHOD_BYE:
	case SIP_METHOD_CANCEL:
	case SIP_METHOD_PRACK:
	case SIP_METHOD_UPDATE:
		break;
	case SIP_METHOD_OTHER:
		reply(sm, st, 501, NULL, "Allow: " SIP_MOD_ALLOW "\r\n");
		return;
	default:
		reply(sm, st, 405, NULL, "Allow: " SIP_MOD_ALLOW "\r\n");
		return;
	}
	/* 8.2.2.1: a Request-URI scheme we cannot handle */
	if (req->ruri.scheme != SIP_SCHEME_SIP &&
	    req->ruri.scheme != SIP_SCHEME_SIPS &&
	    req->ruri.scheme != SIP_SCHEME_TEL) {
		reply(sm, st, 416, NULL, NULL);
		return;
	}
	/* 12.2.2: in-dialog requests go to their dialog, or get 481 */
	if (req->to.tag.p) {
		md = dlg_find(sm, req);
		if (!md) {
			reply(sm, st, 481, NULL, NULL);
			return;
		}
		md->h(st, req, src, md->arg);
		return;
	}
	/* these only exist inside a dialog (a CANCEL that matched no
	 * transaction got its 481 from the layer) */
	if (req->meth == SIP_METHOD_BYE || req->meth == SIP_METHOD_CANCEL ||
	    req->meth == SIP_METHOD_PRACK || req->meth == SIP_METHOD_UPDATE) {
		reply(sm, st, 481, NULL, NULL);
		return;
	}
	/* 8.2.2.3 */
	if (unsupported(req, buf + 13, sizeof(buf) - 16)) {
		memcpy(buf, "Unsupported: ", 13);
		strcat(buf, "\r\n");
		reply(sm, st, 420, NULL, buf);
		return;
	}
	if (req->meth == SIP_METHOD_OPTIONS) {
		reply(sm, st, 200, NULL,
		      "Allow: " SIP_MOD_ALLOW "\r\n"
		      "Accept: " SIP_MOD_ACCEPT "\r\n"
		      "Supported: " SIP_MOD_SUPPORTED "\r\n");
		return;
	}
	invite(sm, st, req, src);
}

void sip_mod_ack(struct sip_mod *sm, const struct sip_msg *req,
		 const struct sip_src *src)
{
	struct sip_mod_dlg *md = req->to.tag.p ? dlg_find(sm, req) : NULL;

	/* 17.2.1: never answered; a stray one is just counted */
	if (!md) {
		sm->st.stray_ack++;
		return;
	}
	md->h(NULL, req, src, md->arg);
}
