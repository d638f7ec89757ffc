// SPDX-License-Identifier: GPL-2.0
/*
 * OPTIONS keepalive: build one OPTIONS toward a peer (RFC 3261 11.1) and
 * hand it to the transaction layer. Each ping is a transaction of its
 * own with a fresh Call-ID: a peer (or SIPp as one) sees independent
 * queries, not a dialog it never agreed to.
 *
 * Our Via and Contact name the listener of the peer's transport and
 * address family; a listener on the wildcard address is nothing the peer
 * can send to, so the source address the kernel routes from stands in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "dialog.h"
#include "peer_ping_priv.h"

static bool any_addr(const struct sa *a)
{
	if (sa_af(a) == AF_INET)
		return a->u.in.sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&a->u.in6.sin6_addr);
}

/* The source address for @dst: connect() on a datagram socket only
 * picks the route, it sends nothing. */
static int src_for(const struct sa *dst, struct sa *out)
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

static int our_addr(const struct sip_ping *p, struct sa *out)
{
	struct sip_transp *tp = p->set->tp;

	for (size_t i = 0; i < sip_transp_nlisteners(tp); i++) {
		enum sip_tp t;
		struct sa la;
		int err;

		if (sip_transp_listener(tp, i, &t, &la))
			break;
		if (t != p->tpt || sa_af(&la) != sa_af(&p->dst))
			continue;
		if (!any_addr(&la)) {
			*out = la;
			return 0;
		}
		err = src_for(&p->dst, out);
		if (err)
			return err;
		sa_set_port(out, sa_port(&la));
		return 0;
	}
	return -ENOENT;
}

static const char *uri_tp(enum sip_tp tp)
{
	return tp == SIP_TP_TCP ? ";transport=tcp" :
	       tp == SIP_TP_TLS ? ";transport=tls" : "";
}

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

	err = our_addr(p, &local);
	if (err)
		goto out;
	sa_str(&local, me, sizeof(me));
	sa_str(&p->dst, peer, sizeof(peer));
	err = sip_dialog_callid_new(call_id, sizeof(call_id), NULL);
	if (err)
		goto out;
	snprintf(ruri, sizeof(ruri), "sip:%s%s", peer, uri_tp(p->tpt));
	/* 8.1.1.2: To is the peer's URI, without a tag outside a dialog */
	snprintf(to, sizeof(to), "<%s>", ruri);
	snprintf(from, sizeof(from), "<sip:keepalive@%s>", me);
	snprintf(contact, sizeof(contact), "<sip:keepalive@%s%s>", me,
		 uri_tp(p->tpt));
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
