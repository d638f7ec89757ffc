// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP module of the daemon: reads [sip], runs the transports and
 * answers requests. Until the transaction and call layers are wired in,
 * every answer is stateless (sip_mod_request() is the one dispatch point
 * they will take over): OPTIONS 200, INVITE 480 (no call handling yet),
 * methods we will not serve 405, unknown methods 501, in-dialog requests
 * with no dialog 481. ACK is never answered; responses with no
 * transaction are dropped and counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../ctl/ctl.h"
#include "module.h"
#include "sipconf.h"
#include "transp.h"

struct sip_mod_stats {
	uint64_t requests;
	uint64_t acks;		/* never answered */
	uint64_t stray_resp;	/* responses without a transaction */
	uint64_t answered[7];	/* by class: [1] 1xx ... [6] 6xx */
	uint64_t send_err;
};

struct sip_mod {
	struct app *app;	/* borrowed */
	struct sip_transp *tp;	/* owned */
	char *ua;		/* owned: Server header value */
	struct sip_mod_stats st;
};

/* one daemon, one SIP stack: the control commands reach it through here */
static struct sip_mod *sip_mod_cur;

/* Send a stateless response @code to @req with extra header lines
 * @hdrs (may be NULL). */
static void answer(struct sip_mod *sm, const struct sip_msg *req,
		   const struct sip_src *src, uint16_t code,
		   const char *reason, const char *hdrs)
{
	struct buf b = { 0 }, h = { 0 };
	char tag[24];
	struct sip_resp_params rp = { .scode = code, .reason = reason };
	int err;

	if (!sip_stateless_tag(req, tag, sizeof(tag)))
		rp.to_tag = strv_of(tag);
	err = buf_printf(&h, "Server: %s\r\n%s", sm->ua, hdrs ? hdrs : "");
	if (!err) {
		rp.hdrs = (struct strv){ (const char *)h.data, h.len };
		err = sip_transp_resp_print(&b, req, src, &rp);
	}
	if (!err)
		err = sip_transp_send_resp(sm->tp, req, src, b.data, b.len);
	if (err) {
		sm->st.send_err++;
		LOGD("%u to %.*s not sent: %s", code, (int)req->method.l,
		     req->method.p, strerror(-err));
	} else {
		sm->st.answered[code / 100]++;
	}
	buf_free(&b);
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

/*
 * ===== request dispatch =====================================================
 * Every request the transport parsed comes here. The transaction layer
 * (server transactions, absorbing retransmissions) and the call layer
 * (INVITE) plug in at this function; everything else in this file stays.
 */
static void sip_mod_request(struct sip_mod *sm, struct sip_msg *req,
			    const struct sip_src *src)
{
	char buf[256];
	struct sip_perr pe;

	sm->st.requests++;
	/* RFC 3261 17.2.1: ACK is never answered */
	if (req->meth == SIP_METHOD_ACK) {
		sm->st.acks++;
		return;
	}
	/* 8.2.2: mandatory headers present, single ones not repeated */
	if (sip_msg_check(req, &pe)) {
		answer(sm, req, src, 400, pe.reason, NULL);
		return;
	}
	/* 16.3 step 3 would forward; we do not, but refuse loops early */
	if (req->max_fwd == 0 && req->meth != SIP_METHOD_OPTIONS) {
		answer(sm, req, src, 483, NULL, NULL);
		return;
	}
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
		answer(sm, req, src, 501, NULL, "Allow: " SIP_MOD_ALLOW "\r\n");
		return;
	default:
		answer(sm, req, src, 405, NULL, "Allow: " SIP_MOD_ALLOW "\r\n");
		return;
	}
	/* 8.2.2.1: a Request-URI scheme we cannot handle */
	if (req->ruri.scheme != SIP_SCHEME_SIP &&
	    req->ruri.scheme != SIP_SCHEME_SIPS &&
	    req->ruri.scheme != SIP_SCHEME_TEL) {
		answer(sm, req, src, 416, NULL, NULL);
		return;
	}
	/* 12.2.2: there are no dialogs yet, and CANCEL matches no
	 * transaction (9.2) */
	if (req->to.tag.p || req->meth == SIP_METHOD_BYE ||
	    req->meth == SIP_METHOD_CANCEL || req->meth == SIP_METHOD_PRACK ||
	    req->meth == SIP_METHOD_UPDATE) {
		answer(sm, req, src, 481, NULL, NULL);
		return;
	}
	/* 8.2.2.3 */
	if (unsupported(req, buf + 13, sizeof(buf) - 16)) {
		memcpy(buf, "Unsupported: ", 13);
		strcat(buf, "\r\n");
		answer(sm, req, src, 420, NULL, buf);
		return;
	}
	if (req->meth == SIP_METHOD_OPTIONS) {
		answer(sm, req, src, 200, NULL,
		       "Allow: " SIP_MOD_ALLOW "\r\n"
		       "Accept: " SIP_MOD_ACCEPT "\r\n"
		       "Supported: " SIP_MOD_SUPPORTED "\r\n");
		return;
	}
	/* INVITE: 8.2.3 content, then no call handling exists yet */
	if (!sdp_or_empty(req)) {
		answer(sm, req, src, 415, NULL,
		       "Accept: " SIP_MOD_ACCEPT "\r\n");
		return;
	}
	snprintf(buf, sizeof(buf),
		 "Warning: 399 trunkline \"no call handling is configured\""
		 "\r\n");
	answer(sm, req, src, 480, NULL, buf);
}

static void sip_mod_recv(struct sip_msg *msg, const struct sip_src *src,
			 void *arg)
{
	struct sip_mod *sm = arg;

	if (msg->req) {
		sip_mod_request(sm, msg, src);
		return;
	}
	/* 18.1.2: a response matching no client transaction is dropped */
	sm->st.stray_resp++;
}

static int listen_all(struct sip_mod *sm, const struct sip_conf *sc)
{
	for (size_t i = 0; i < sc->listen.n; i++) {
		enum sip_tp tp;
		struct sa sa;
		int err;

		/* the config check parsed these already */
		if (sip_conf_listen_parse(sc->listen.v[i], &tp, &sa))
			return -EINVAL;
		err = sip_transp_listen(sm->tp, tp, &sa);
		if (err)
			return err;
	}
	if (!sc->listen.n)
		LOGN("no [sip] listen addresses: SIP is off");
	return 0;
}

static int cmd_show_sip(struct ctl_reply *r, int argc, char **argv,
			void *arg)
{
	struct sip_mod *sm = arg;
	const struct sip_conf *sc = conf_get(sm->app->conf, "sip");
	struct sip_transp_stats st;
	char as[SA_STRLEN];

	(void)argc;
	(void)argv;
	sip_transp_stats(sm->tp, &st);
	ctl_list_begin(r, "listeners");
	for (size_t i = 0; i < sip_transp_nlisteners(sm->tp); i++) {
		enum sip_tp tp;
		struct sa sa;

		if (sip_transp_listener(sm->tp, i, &tp, &sa))
			break;
		ctl_obj_begin(r, NULL);
		ctl_put_str(r, "transport", "%s", sip_tp_name(tp));
		ctl_put_str(r, "address", "%s", sa_str(&sa, as, sizeof(as)));
		ctl_obj_end(r);
	}
	ctl_list_end(r);
	ctl_obj_begin(r, "transport");
	ctl_put_int(r, "rx_msgs", (int64_t)st.rx_msgs);
	ctl_put_int(r, "rx_bytes", (int64_t)st.rx_bytes);
	ctl_put_int(r, "tx_msgs", (int64_t)st.tx_msgs);
	ctl_put_int(r, "tx_bytes", (int64_t)st.tx_bytes);
	ctl_put_int(r, "tx_errors", (int64_t)st.tx_err);
	ctl_put_int(r, "parse_errors", (int64_t)st.parse_err);
	ctl_put_int(r, "bad_answered", (int64_t)st.bad_answered);
	ctl_put_int(r, "dropped", (int64_t)st.dropped);
	ctl_put_int(r, "framing_errors", (int64_t)st.frame_err);
	ctl_put_int(r, "connections", (int64_t)st.conns);
	ctl_put_int(r, "connections_total", (int64_t)st.conns_total);
	ctl_put_int(r, "connections_refused", (int64_t)st.conns_refused);
	ctl_put_int(r, "connections_idle_closed", (int64_t)st.conns_idle);
	ctl_put_int(r, "tls_failures", (int64_t)st.tls_fail);
	ctl_put_int(r, "keepalive_pings", (int64_t)st.pings);
	ctl_obj_end(r);
	ctl_obj_begin(r, "requests");
	ctl_put_int(r, "received", (int64_t)sm->st.requests);
	ctl_put_int(r, "ack", (int64_t)sm->st.acks);
	for (int c = 1; c <= 6; c++) {
		char k[16];

		snprintf(k, sizeof(k), "%dxx", c);
		ctl_put_int(r, k, (int64_t)sm->st.answered[c]);
	}
	ctl_put_int(r, "send_errors", (int64_t)sm->st.send_err);
	ctl_put_int(r, "stray_responses", (int64_t)sm->st.stray_resp);
	ctl_obj_end(r);
	ctl_obj_begin(r, "timers_ms");
	ctl_put_int(r, "t1", (int64_t)sc->t1);
	ctl_put_int(r, "t2", (int64_t)sc->t2);
	ctl_put_int(r, "t4", (int64_t)sc->t4);
	ctl_obj_end(r);
	return 0;
}

static const struct ctl_cmd sip_cmds[] = {
	{ "show sip", NULL, "SIP listeners and counters", cmd_show_sip, 0, 0 },
};

static void sip_mod_destroy(void *arg)
{
	struct sip_mod *sm = arg;

	mem_deref(sm->tp);
	mem_deref(sm->ua);
}

static int sip_start(struct app *app)
{
	const struct sip_conf *sc = conf_get(app->conf, "sip");
	struct sip_transp_params tp = {
		.max_msg = (size_t)sc->max_message,
		.idle_ms = sc->tcp_idle,
		.max_conns = (unsigned)sc->max_connections,
		.tls_cert = sc->tls_cert,
		.tls_key = sc->tls_key,
		.tls_ca = sc->tls_ca,
		.tls_verify = sc->tls_verify,
		.server = sc->user_agent,
	};
	struct sip_mod *sm;
	int err;

	sm = mem_zalloc(sizeof(*sm), sip_mod_destroy);
	if (!sm)
		return -ENOMEM;
	sm->app = app;
	sm->ua = mem_strdup(sc->user_agent);
	if (!sm->ua) {
		err = -ENOMEM;
		goto out;
	}
	err = sip_transp_new(&sm->tp, app->loop, &tp, sip_mod_recv, sm);
	if (err)
		goto out;
	err = listen_all(sm, sc);
	if (err)
		goto out;
	err = ctl_register(app->ctl, sip_cmds,
			   sizeof(sip_cmds) / sizeof(sip_cmds[0]), sm);
	if (err)
		goto out;
	sip_mod_cur = sm;
	return 0;
out:
	mem_deref(sm);
	return err;
}

static int sip_reload(struct app *app, const struct conf *old)
{
	const struct sip_conf *sc = conf_get(app->conf, "sip");
	struct sip_mod *sm = sip_mod_cur;
	char *ua;

	(void)old;
	if (!sm)
		return 0;
	ua = mem_strdup(sc->user_agent);
	if (!ua)
		return -ENOMEM;
	mem_deref(sm->ua);
	sm->ua = ua;
	return sip_transp_set_server(sm->tp, ua);
}

static void sip_stop(struct app *app)
{
	struct sip_mod *sm = sip_mod_cur;

	if (!sm)
		return;
	ctl_unregister(app->ctl, sip_cmds);
	sip_mod_cur = NULL;
	mem_deref(sm);
}

static const struct conf_sect_def *const sip_sects[] = { &sip_conf_sect,
							 NULL };

const struct tl_module sip_module = {
	.name = "sip",
	.sects = sip_sects,
	.start = sip_start,
	.reload = sip_reload,
	.stop = sip_stop,
};
