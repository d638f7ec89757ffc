// SPDX-License-Identifier: GPL-2.0
/*
 * OPTIONS keepalive: build one OPTIONS toward a peer (RFC 3261 11.1) and
 * hand it to the transaction layer. Each ping is a transaction of its
 * own with a fresh Call-ID: a peer (or SIPp as one) sees independent
 * queries, not a dialog it never agreed to.
 * Our Via and Contact: sip_transp_local_for().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "dialog.h"
#include "peer_ping_priv.h"


int sip_ping_send(struct sip_ping *p, sip_ctrans_h *h)
{
	struct sip_ctrans_dest d = { .tp = p->tpt, .dst = p->dst };
	char me[SA_STRLEN], peer[SA_STRLEN], branch[32], tag[24],
		call_id[64], ruri[SA_STRLEN + 24], to[SA_STRLEN + 32],
		from[SA_STRLEN + 32], contact[SA_STRLEN + 40];
	struct sip_req_params rp;
	struct buf b = { 0 }, hb = { 0 };
	struct sa local;
	int err;

	err = sip_transp_local_for(p->set->tp, p->tpt, &p->dst, &local);
	if (err)
		goto out;
	sa_str(&local, me, sizeof(me));
	sa_str(&p->dst, peer, sizeof(peer));
	err = sip_dialog_callid_new(call_id, sizeof(call_id), NULL);
	if (err)
		goto out;
	snprintf(ruri, sizeof(ruri), "sip:%s%s", peer,
		 sip_tp_uri_param(p->tpt));
	/* 8.1.1.2: To is the peer's URI, without a tag outside a dialog */
	snprintf(to, sizeof(to), "<%s>", ruri);
	snprintf(from, sizeof(from), "<sip:keepalive@%s>", me);
	snprintf(contact, sizeof(contact), "<sip:keepalive@%s%s>", me,
		 sip_tp_uri_param(p->tpt));
	/* 11.1: say what we would take, as an OPTIONS should */
	err = buf_printf(&hb, "Accept: application/sdp\r\n");
	if (!err && p->set->ua)
		err = buf_printf(&hb, "User-Agent: %s\r\n", p->set->ua);
	if (err)
		goto out;
	rp = (struct sip_req_params){
		.method = STRV("OPTIONS"),
		.ruri = strv_of(ruri),
		.transport = strv_of(sip_tp_name(p->tpt)),
		.sent_by = strv_of(me),
		.branch = strv_of(sip_tsx_branch(p->set->tsx, branch,
						 sizeof(branch))),
		.rport = true,
		.from = strv_of(from),
		.from_tag = strv_of(sip_tsx_tag(p->set->tsx, tag,
						sizeof(tag))),
		.to = strv_of(to),
		.call_id = strv_of(call_id),
		.cseq = ++p->cseq,
		.max_fwd = 70,
		.contact = strv_of(contact),
		.hdrs = { (const char *)hb.data, hb.len },
	};
	err = sip_req_print(&b, &rp);
	if (err)
		goto out;
	err = sip_ctrans_send(&p->ct, p->set->tsx, &d, b.data, b.len, h, p);
	if (err)
		p->ct = NULL;
	else
		mem_ref(p->ct);
out:
	buf_free(&b);
	buf_free(&hb);
	return err;
}
