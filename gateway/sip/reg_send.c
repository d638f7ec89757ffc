// SPDX-License-Identifier: GPL-2.0
/*
 * Registration: build one REGISTER (RFC 3261 10.2) and hand it to the
 * transaction layer. Our Contact and Via carry the address of the
 * transport's listener for the registration's transport and the
 * registrar's address family; a listener bound to the wildcard address
 * is no address a registrar can reach, so the source address the kernel
 * would route from takes its place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/mem.h"
#include "reg_priv.h"

static bool sa_wildcard(const struct sa *a)
{
	if (sa_af(a) == AF_INET)
		return a->u.in.sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&a->u.in6.sin6_addr);
}

/* The address the kernel picks to reach @dst: connect() on a UDP socket
 * only looks up the route, nothing is sent. */
static int route_src(const struct sa *dst, struct sa *out)
{
	socklen_t len = sizeof(out->u);
	int fd, err = 0;

	fd = socket(sa_af(dst), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, &dst->u.sa, dst->len) ||
	    getsockname(fd, &out->u.sa, &len))
		err = -errno;
	else
		out->len = len;
	close(fd);
	return err;
}

static int local_addr(const struct sip_reg *r, const struct sa *dst,
		      struct sa *out)
{
	for (size_t i = 0; i < sip_transp_nlisteners(r->tp); i++) {
		enum sip_tp tp;
		struct sa la;
		int err;

		if (sip_transp_listener(r->tp, i, &tp, &la))
			break;
		if (tp != r->tpt || sa_af(&la) != sa_af(dst))
			continue;
		if (sa_wildcard(&la)) {
			err = route_src(dst, out);
			if (err)
				return err;
			sa_set_port(out, sa_port(&la));
		} else {
			*out = la;
		}
		return 0;
	}
	return -ENOENT;
}

static int hdrs(struct sip_reg *r, struct buf *h, uint32_t expires)
{
	char ps[SA_STRLEN];
	int err = 0;

	if (r->proxy.len)
		err = buf_printf(h, "Route: <sip:%s;lr%s>\r\n",
				 sa_str(&r->proxy, ps, sizeof(ps)),
				 r->tpt == SIP_TP_TCP ? ";transport=tcp" :
				 r->tpt == SIP_TP_TLS ? ";transport=tls" : "");
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
	err = local_addr(r, &d.dst, &local);
	if (err)
		goto out;
	sa_str(&local, sent_by, sizeof(sent_by));
	snprintf(r->contact, sizeof(r->contact), "sip:%s@%s%s", r->cuser,
		 sent_by,
		 r->tpt == SIP_TP_TCP ? ";transport=tcp" :
		 r->tpt == SIP_TP_TLS ? ";transport=tls" : "");
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
