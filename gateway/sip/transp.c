// SPDX-License-Identifier: GPL-2.0
/* The transport object: listeners, sending, and turning received bytes
 * into messages (or into 400s, or into counted drops). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_TAG "sip-transp"
#include "../base/log.h"
#include "../base/mem.h"
#include "transp_priv.h"

static const char *const tp_names[SIP_TP_NUM] = { "UDP", "TCP", "TLS" };

const char *sip_tp_name(enum sip_tp tp)
{
	return (unsigned)tp < SIP_TP_NUM ? tp_names[tp] : "?";
}

int sip_tp_parse(struct strv s)
{
	for (int i = 0; i < SIP_TP_NUM; i++)
		if (strv_caseeq_str(s, tp_names[i]))
			return i;
	return -EINVAL;
}

uint16_t sip_tp_port(enum sip_tp tp)
{
	return tp == SIP_TP_TLS ? 5061 : 5060;
}

int sip_transp_fd_setup(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

static void transp_destroy(void *arg)
{
	struct sip_transp *t = arg;
	struct le *e, *nx;

	sip_stream_close_all(t);
	LIST_FOREACH(&t->lsnrs, e, nx)
	{
		struct sip_lsnr *l = e->data;

		list_unlink(&l->le);
		loop_fd_del(t->loop, l->fd);
		close(l->fd);
		free(l);
	}
	mem_deref(t->tls);
	mem_deref(t->cert);
	mem_deref(t->key);
	mem_deref(t->ca);
	mem_deref(t->server);
	free(t->udp_buf);
}

static int dup_str(char **dst, const char *s)
{
	if (!s || !*s)
		return 0;
	*dst = mem_strdup(s);
	return *dst ? 0 : -ENOMEM;
}

/* The TLS context: made when the first TLS listener or connection needs
 * it, or up front when a certificate is configured (so a bad file fails
 * at start, not at the first call). */
static int tls_get(struct sip_transp *t)
{
	struct sip_tls_params tp = {
		.cert = t->cert,
		.key = t->key,
		.ca = t->ca,
		.verify = t->p.tls_verify,
	};

	if (t->tls)
		return 0;
	return sip_tls_new(&t->tls, &tp);
}

int sip_transp_new(struct sip_transp **tpp, struct loop *loop,
		   const struct sip_transp_params *p, sip_transp_recv_h *rh,
		   void *arg)
{
	struct sip_transp *t;
	int err;

	if (!loop || !rh)
		return -EINVAL;
	t = mem_zalloc(sizeof(*t), transp_destroy);
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->rh = rh;
	t->arg = arg;
	t->p = *p;
	if (!t->p.max_msg)
		t->p.max_msg = SIP_TRANSP_MAX_MSG_DEFAULT;
	if (!t->p.idle_ms)
		t->p.idle_ms = SIP_TRANSP_IDLE_MS_DEFAULT;
	if (!t->p.max_conns)
		t->p.max_conns = SIP_TRANSP_MAX_CONNS_DEFAULT;
	err = dup_str(&t->cert, p->tls_cert);
	err = err ? err : dup_str(&t->key, p->tls_key);
	err = err ? err : dup_str(&t->ca, p->tls_ca);
	err = err ? err : dup_str(&t->server, p->server);
	if (err)
		goto out;
	t->p.tls_cert = t->cert;
	t->p.tls_key = t->key;
	t->p.tls_ca = t->ca;
	t->p.server = t->server;
	if (t->cert) {
		err = tls_get(t);
		if (err)
			goto out;
	}
	*tpp = t;
	return 0;
out:
	mem_deref(t);
	return err;
}

int sip_transp_set_server(struct sip_transp *t, const char *server)
{
	char *s = NULL;
	int err = dup_str(&s, server);

	if (err)
		return err;
	mem_deref(t->server);
	t->server = s;
	t->p.server = s;
	return 0;
}

void sip_transp_set_bad_h(struct sip_transp *t, sip_transp_bad_h *bh)
{
	t->bh = bh;
}

void sip_transp_set_fail_h(struct sip_transp *t, sip_transp_fail_h *fh)
{
	t->fh = fh;
}

int sip_transp_listen(struct sip_transp *t, enum sip_tp tp,
		      const struct sa *addr)
{
	struct sip_lsnr *l;
	char as[SA_STRLEN];
	int err;

	if ((unsigned)tp >= SIP_TP_NUM || !addr->len)
		return -EINVAL;
	if (tp == SIP_TP_TLS) {
		err = tls_get(t);
		if (err)
			return err;
		if (!sip_tls_can_serve(t->tls)) {
			LOGE("TLS listener %s needs tls_cert and tls_key",
			     sa_str(addr, as, sizeof(as)));
			return -EINVAL;
		}
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->t = t;
	l->tp = tp;
	l->addr = *addr;
	l->fd = -1;
	err = tp == SIP_TP_UDP ? sip_udp_listen(t, l) : sip_stream_listen(t, l);
	if (err) {
		LOGE("listen %s %s: %s", sip_tp_name(tp),
		     sa_str(addr, as, sizeof(as)), strerror(-err));
		free(l);
		return err;
	}
	list_append(&t->lsnrs, &l->le, l);
	LOGI("listening on %s %s", sip_tp_name(tp),
	     sa_str(&l->addr, as, sizeof(as)));
	return 0;
}

size_t sip_transp_nlisteners(const struct sip_transp *t)
{
	return t->lsnrs.n;
}

int sip_transp_listener(const struct sip_transp *t, size_t i,
			enum sip_tp *tp, struct sa *addr)
{
	const struct le *e = t->lsnrs.head;

	while (e && i--)
		e = e->next;
	if (!e)
		return -ENOENT;
	*tp = ((const struct sip_lsnr *)e->data)->tp;
	*addr = ((const struct sip_lsnr *)e->data)->addr;
	return 0;
}

int sip_transp_sent_by(const struct sip_transp *t, enum sip_tp tp, int af,
		       char *out, size_t n)
{
	for (const struct le *e = t->lsnrs.head; e; e = e->next) {
		const struct sip_lsnr *l = e->data;

		if (l->tp != tp || (af != AF_UNSPEC && sa_af(&l->addr) != af))
			continue;
		sa_str(&l->addr, out, n);
		return 0;
	}
	return -ENOENT;
}

int sip_transp_send(struct sip_transp *t, enum sip_tp tp,
		    const struct sa *dst, struct sip_conn *conn,
		    const void *data, size_t len)
{
	int err;

	if (tp == SIP_TP_UDP)
		err = dst ? sip_udp_send(t, NULL, dst, data, len) : -EINVAL;
	else if ((unsigned)tp < SIP_TP_NUM)
		err = sip_stream_send(t, tp, dst, conn, data, len);
	else
		err = -EINVAL;
	if (err) {
		t->st.tx_err++;
		return err;
	}
	t->st.tx_msgs++;
	t->st.tx_bytes += len;
	return 0;
}

void sip_transp_stats(const struct sip_transp *t, struct sip_transp_stats *st)
{
	*st = t->st;
}

/* A message that did not parse: a request we can still answer gets the
 * parser's status (400, or 505) with its reason naming the fault. */
static void bad_answer(struct sip_transp *t, const void *data, size_t len,
		       const struct sip_perr *pe, const struct sip_src *src)
{
	struct sip_msg *m = NULL;
	struct buf b = { 0 };
	char tag[24], hdrs[160] = "";
	struct sip_resp_params rp = {
		.scode = pe->scode ? pe->scode : 400,
		.reason = pe->reason,
	};

	if (sip_msg_salvage(&m, data, len)) {
		t->st.dropped++;
		return;
	}
	/* ACK is never answered (RFC 3261 17.2.1) */
	if (strv_eq(m->method, STRV("ACK")))
		goto drop;
	if (!sip_stateless_tag(m, tag, sizeof(tag)))
		rp.to_tag = strv_of(tag);
	if (t->server)
		snprintf(hdrs, sizeof(hdrs), "Server: %s\r\n", t->server);
	rp.hdrs = strv_of(hdrs);
	if (sip_transp_resp_print(&b, m, src, &rp) ||
	    sip_transp_send_resp(t, m, src, b.data, b.len))
		goto drop;
	t->st.bad_answered++;
	goto out;
drop:
	t->st.dropped++;
out:
	buf_free(&b);
	mem_deref(m);
}

void sip_transp_input(struct sip_transp *t, const void *data, size_t len,
		      unsigned flags, const struct sip_src *src)
{
	struct sip_perr pe = { 0 };
	struct sip_msg *m;
	char as[SA_STRLEN];
	int err;

	err = sip_msg_parse(&m, data, len, flags, &pe);
	if (!err) {
		t->st.rx_msgs++;
		t->rh(m, src, t->arg);
		mem_deref(m);
		return;
	}
	t->st.parse_err++;
	if (err != -EBADMSG) {
		t->st.dropped++;
		return;
	}
	LOGD("%s from %s: %s", sip_tp_name(src->tp),
	     sa_str(&src->src, as, sizeof(as)),
	     pe.reason ? pe.reason : "unparseable");
	if (!pe.reason)
		pe.reason = "Bad Request";
	if (t->bh)
		t->bh(data, len, &pe, src, t->arg);
	bad_answer(t, data, len, &pe, src);
}
