// SPDX-License-Identifier: GPL-2.0
/*
 * Registration: build one REGISTER (RFC 3261 10.2) and hand it to the
 * transaction layer. Our Contact and Via: sip_transp_local_for().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../base/mem.h"
#include "reg_priv.h"

static int hdrs(struct sip_reg *r, struct buf *h, uint32_t expires)
{
	char ps[SA_STRLEN];
	int err = 0;

	if (r->proxy.len)
		err = buf_printf(h, "Route: <sip:%s;lr%s>\r\n",
				 sa_str(&r->proxy, ps, sizeof(ps)),
				 sip_tp_uri_param(r->tpt));
	if (!err)
		err = buf_printf(h, "Expires: %u\r\n", expires);
	if (!err && r->ua)
		err = buf_printf(h, "User-Agent: %s\r\n", r->ua);
	if (!err && r->auth)
		err = sip_auth_cli_hdrs(r->auth, h, STRV("REGISTER"),
					strv_of(r->ruri));
	return err;
}

int sip_reg_send(struct sip_reg *r, uint32_t expires, sip_ctrans_h *h)
{
	struct sip_ctrans_dest d = { .tp = r->tpt };
	char sent_by[SA_STRLEN], branch[32], from[REG_URI_MAX + 2],
		contact[REG_URI_MAX + 2];
	struct sip_req_params rp;
	struct buf b = { 0 }, hb = { 0 };
	struct sa local;
	int err;

	d.dst = r->proxy.len ? r->proxy : r->registrar;
	err = sip_transp_local_for(r->tp, r->tpt, &d.dst, &local);
	if (err)
		goto out;
	sa_str(&local, sent_by, sizeof(sent_by));
	snprintf(r->contact, sizeof(r->contact), "sip:%s@%s%s", r->cuser,
		 sent_by,
		 sip_tp_uri_param(r->tpt));
	snprintf(contact, sizeof(contact), "<%s>", r->contact);
	snprintf(from, sizeof(from), "<%s>", r->aor);
	err = hdrs(r, &hb, expires);
	if (err)
		goto out;
	rp = (struct sip_req_params){
		.method = STRV("REGISTER"),
		.ruri = strv_of(r->ruri),
		.transport = strv_of(sip_tp_name(r->tpt)),
		.sent_by = strv_of(sent_by),
		.branch = strv_of(sip_tsx_branch(r->tsx, branch,
						 sizeof(branch))),
		.rport = true,
		.from = strv_of(from),
		.from_tag = strv_of(r->from_tag),
		.to = strv_of(from),
		.call_id = strv_of(r->call_id),
		.cseq = ++r->cseq,
		.max_fwd = 70,
		.contact = strv_of(contact),
		.hdrs = { (const char *)hb.data, hb.len },
	};
	err = sip_req_print(&b, &rp);
	if (err)
		goto out;
	r->sent++;
	err = sip_ctrans_send(&r->ct, r->tsx, &d, b.data, b.len, h, r);
	if (err)
		r->ct = NULL;
	else
		mem_ref(r->ct);
out:
	buf_free(&b);
	buf_free(&hb);
	return err;
}
