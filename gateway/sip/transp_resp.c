// SPDX-License-Identifier: GPL-2.0
/* Responses: where they go (RFC 3261 18.2.2, RFC 3581 4), the Via
 * completion a server transport owes them (18.2.1), stateless To tags. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "../base/mem.h"
#include "transp_priv.h"

/* The top Via value of @m (parsed or salvaged), decoded; @val gets its
 * bytes (a view into the first Via header's value). */
static int top_via(const struct sip_msg *m, struct sip_via *v,
		   struct strv *val)
{
	uint64_t pos = 0;

	if (!sip_msg_values(m, SIP_HDR_VIA, &pos, val))
		return -EBADMSG;
	return sip_via_decode(v, *val);
}

/* A numeric host (IPv6 possibly in brackets) with a port. */
static int host_sa(struct sa *sa, struct strv host, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN + 2];

	if (host.l >= 2 && host.p[0] == '[' && host.p[host.l - 1] == ']') {
		host.p++;
		host.l -= 2;
	}
	if (strv_copy(host, ip, sizeof(ip)))
		return -EHOSTUNREACH;
	return sa_set_ip(sa, ip, port) ? -EHOSTUNREACH : 0;
}

int sip_transp_resp_dst(const struct sip_msg *req, const struct sip_src *src,
			struct sa *dst)
{
	struct sip_via v;
	struct strv val;
	uint16_t port;

	/* a Via we cannot decode (a 400 for it, RFC 4475 3.1.2.1): the
	 * answer goes back where the bytes came from */
	if (top_via(req, &v, &val)) {
		*dst = src->src;
		return 0;
	}
	port = v.port ? v.port : sip_tp_port(src->tp);
	if (src->tp != SIP_TP_UDP) {
		/* the connection is tried first by the sender; this is the
		 * fallback when it has gone away */
		*dst = src->src;
		sa_set_port(dst, port);
		return 0;
	}
	if (v.maddr.l)
		return host_sa(dst, v.maddr, port);
	*dst = src->src;
	if (v.rport < 0)
		sa_set_port(dst, port);
	return 0;
}

int sip_transp_send_resp(struct sip_transp *t, const struct sip_msg *req,
			 const struct sip_src *src, const void *data,
			 size_t len)
{
	struct sa dst;
	int err;

	err = sip_transp_resp_dst(req, src, &dst);
	if (err) {
		t->st.tx_err++;
		return err;
	}
	if (src->tp == SIP_TP_UDP) {
		/* from the socket the request came in on: its peer sees the
		 * address it sent to */
		err = sip_udp_send(t, &src->local, &dst, data, len);
		if (err) {
			t->st.tx_err++;
			return err;
		}
		t->st.tx_msgs++;
		t->st.tx_bytes += len;
		return 0;
	}
	return sip_transp_send(t, src->tp, &dst, src->conn, data, len);
}

/* The top Via value as it goes into the response: received= and rport=
 * replaced by what the transport saw. */
static int via_fixed(struct buf *out, const struct sip_via *v,
		     struct strv val, const struct sip_src *src)
{
	char ip[INET6_ADDRSTRLEN + 8], *p;
	struct strv rest = v->params, name, pv;
	struct sa host;
	bool recv;
	int err;

	sa_str(&src->src, ip, sizeof(ip));
	/* "[v6]:port" or "v4:port": the address without the port; RFC 5118
	 * 4.5: the received value of an IPv6 source goes without brackets */
	p = strrchr(ip, ':');
	if (p)
		*p = '\0';
	if (ip[0] == '[') {
		memmove(ip, ip + 1, strlen(ip));
		ip[strlen(ip) - 1] = '\0';
	}
	/* a name, or an address other than the source: received= */
	recv = v->rport >= 0 ||
	       host_sa(&host, v->host, sa_port(&src->src)) ||
	       !sa_eq(&host, &src->src);
	/* everything up to the parameters, as received */
	err = buf_append(out, val.p,
			 v->params.p ? (size_t)(v->params.p - 1 - val.p) :
				       val.l);
	while (!err && sip_param_next(&rest, &name, &pv)) {
		if (strv_caseeq_str(name, "received") ||
		    strv_caseeq_str(name, "rport"))
			continue;
		err = buf_putc(out, ';');
		err = err ? err : buf_append(out, name.p, name.l);
		if (!err && pv.l)
			err = buf_printf(out, "=%.*s", (int)pv.l, pv.p);
	}
	if (!err && recv)
		err = buf_printf(out, ";received=%s", ip);
	if (!err && v->rport >= 0)
		err = buf_printf(out, ";rport=%u", sa_port(&src->src));
	return err;
}

int sip_transp_resp_print(struct buf *b, const struct sip_msg *req,
			  const struct sip_src *src,
			  const struct sip_resp_params *p)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_VIA);
	struct buf tmp = { 0 }, nv = { 0 };
	struct sip_via v;
	struct strv val;
	const char *sl;
	size_t len0 = b->len, at;
	int err;

	err = sip_resp_print(b, req, p);
	if (err)
		return err;
	/* no usable Via: nothing to complete (and nowhere to send to) */
	if (!h || top_via(req, &v, &val) || val.p < h->val.p ||
	    val.p + val.l > h->val.p + h->val.l)
		return 0;
	err = via_fixed(&nv, &v, val, src);
	if (err)
		goto out;
	/* the response starts with the status line and then the Via lines
	 * exactly as received: the top value sits at a known offset */
	sl = memmem(b->data + len0, b->len - len0, "\r\n", 2);
	if (!sl) {
		err = -EINVAL;
		goto out;
	}
	at = (size_t)(sl - (char *)b->data) + 2 + strlen("Via: ") +
	     (size_t)(val.p - h->val.p);
	err = buf_append(&tmp, b->data + at + val.l, b->len - at - val.l);
	if (err)
		goto out;
	b->len = at;
	err = buf_append(b, nv.data, nv.len);
	err = err ? err : buf_append(b, tmp.data, tmp.len);
out:
	if (err)
		b->len = len0;
	buf_free(&tmp);
	buf_free(&nv);
	return err;
}

static uint64_t fnv(uint64_t h, struct strv v)
{
	for (size_t i = 0; i < v.l; i++) {
		h ^= (uint8_t)v.p[i];
		h *= 0x100000001b3ull;
	}
	return h ^ 0xff; /* a separator between the parts */
}

int sip_stateless_tag(const struct sip_msg *req, char *out, size_t n)
{
	/* keyed, so that tags cannot be predicted from outside */
	static uint64_t key;
	static const enum sip_hdr_id ids[] = { SIP_HDR_CALL_ID, SIP_HDR_FROM,
					       SIP_HDR_CSEQ, SIP_HDR_VIA };
	uint64_t h;

	if (n < 17)
		return -ENOSPC;
	if (!key && getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = (uint64_t)(uintptr_t)&key ^ 0x9e3779b97f4a7c15ull;
	h = 0xcbf29ce484222325ull ^ key;
	h = fnv(h, req->method);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct sip_hdr *hd = sip_msg_hdr(req, ids[i]);

		h = fnv(h, hd ? hd->val : STRV_NULL);
	}
	snprintf(out, n, "%016llx", (unsigned long long)h);
	return 0;
}
