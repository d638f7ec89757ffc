// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP module of the daemon: reads [sip], [peer] and [media], runs the
 * transports with the transaction layer on top, the RTP port pool, and
 * "show sip". Request dispatch is in module_req.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../ctl/ctl.h"
#include "../media/mediaconf.h"
#include "../media/portpool.h"
#include "module_priv.h"
#include "peer.h"
#include "peer_ping.h"
#include "reg.h"
#include "reg_set.h"

/* one daemon, one SIP stack: the control commands reach it through here */
static struct sip_mod *sip_mod_cur;

static int tsx_send(void *arg, enum sip_tp tp, const struct sa *dst,
		    struct sip_conn *conn, const void *data, size_t len)
{
	struct sip_mod *sm = arg;

	return sip_transp_send(sm->tp, tp, dst, conn, data, len);
}

static int tsx_send_resp(void *arg, const struct sip_msg *req,
			 const struct sip_src *src, const void *data,
			 size_t len)
{
	struct sip_mod *sm = arg;

	return sip_transp_send_resp(sm->tp, req, src, data, len);
}

/* A stateless 400 for a request that parsed but lacks what a
 * transaction needs (8.2.2); the layer cannot match it to anything. */
static void answer_400(struct sip_mod *sm, const struct sip_msg *req,
		       const struct sip_src *src, const char *reason)
{
	struct buf b = { 0 }, h = { 0 };
	char tag[24];
	struct sip_resp_params rp = { .scode = 400, .reason = reason };
	int err;

	if (!sip_stateless_tag(req, tag, sizeof(tag)))
		rp.to_tag = strv_of(tag);
	err = buf_printf(&h, "Server: %s\r\n", sm->ua);
	if (!err) {
		rp.hdrs = (struct strv){ (const char *)h.data, h.len };
		err = sip_transp_resp_print(&b, req, src, &rp);
	}
	if (!err)
		err = sip_transp_send_resp(sm->tp, req, src, b.data, b.len);
	if (err)
		sm->st.send_err++;
	else
		sm->st.answered[4]++;
	buf_free(&b);
	buf_free(&h);
}

/* A connection we opened never came up: its requests fail now (503). */
static void tp_failed(enum sip_tp tp, const struct sa *peer, int err,
		      void *arg)
{
	struct sip_mod *sm = arg;
	char ps[SA_STRLEN];
	unsigned n = sip_tsx_transport_failed(sm->tsx, tp, peer);

	if (n)
		LOGN("%s %s: %s: %u request(s) failed (503)", sip_tp_name(tp),
		     sa_str(peer, ps, sizeof(ps)), strerror(-err), n);
}

/*
 * Every parsed message: requests that break 8.2.2 get a stateless 400
 * (no transaction can be keyed on them), everything else goes through
 * the transaction layer, which calls sip_mod_request() for new requests.
 * What it does not take is an ACK for a dialog or a stray response.
 */
static void sip_mod_recv(struct sip_msg *msg, const struct sip_src *src,
			 void *arg)
{
	struct sip_mod *sm = arg;
	struct sip_perr pe;

	if (msg->req && msg->meth != SIP_METHOD_ACK &&
	    sip_msg_check(msg, &pe)) {
		sm->st.requests++;
		answer_400(sm, msg, src, pe.reason);
		return;
	}
	if (sip_tsx_input(sm->tsx, msg, src))
		return;
	if (!msg->req) {
		/* 18.1.2: a response matching no client transaction */
		sm->st.stray_resp++;
		return;
	}
	sm->st.requests++;
	if (msg->meth == SIP_METHOD_ACK) {
		sm->st.acks++;
		sip_mod_ack(sm, msg, src);
	}
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
	const struct sip_conf *sc = conf_get(sm->conf, "sip");
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
	ctl_put_int(r, "invites_taken", (int64_t)sm->st.invites);
	ctl_put_int(r, "stray_acks", (int64_t)sm->st.stray_ack);
	ctl_put_int(r, "send_errors", (int64_t)sm->st.send_err);
	ctl_put_int(r, "stray_responses", (int64_t)sm->st.stray_resp);
	ctl_put_int(r, "transactions", (int64_t)sip_tsx_count(sm->tsx));
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

	/* the layer first: its transactions send through the transport */
	mem_deref(sm->tsx);
	mem_deref(sm->tp);
	mem_deref(sm->ports);
	mem_deref(sm->ua);
}

int sip_mod_alloc(struct sip_mod **smp, struct loop *loop,
		  const struct conf *conf)
{
	const struct sip_conf *sc = conf_get(conf, "sip");
	const struct media_conf *mc = conf_get(conf, "media");
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
	struct sip_tsx_params xp = {
		.t1 = (uint32_t)sc->t1,
		.t2 = (uint32_t)sc->t2,
		.t4 = (uint32_t)sc->t4,
		.send = tsx_send,
		.send_resp = tsx_send_resp,
		.reqh = sip_mod_request,
		.print = sip_transp_resp_print,
	};
	struct sip_mod *sm;
	int err;

	sm = mem_zalloc(sizeof(*sm), sip_mod_destroy);
	if (!sm)
		return -ENOMEM;
	sm->loop = loop;
	sm->conf = conf;
	list_init(&sm->dlgs);
	xp.arg = sm;
	sm->ua = mem_strdup(sc->user_agent);
	if (!sm->ua) {
		err = -ENOMEM;
		goto out;
	}
	err = media_ports_new(&sm->ports, (uint16_t)mc->rtp_port_min,
			      (uint16_t)mc->rtp_port_max);
	if (err)
		goto out;
	err = sip_tsx_layer_new(&sm->tsx, loop, &xp);
	if (err)
		goto out;
	err = sip_transp_new(&sm->tp, loop, &tp, sip_mod_recv, sm);
	if (err)
		goto out;
	sip_transp_set_fail_h(sm->tp, tp_failed);
	err = listen_all(sm, sc);
	if (err)
		goto out;
	*smp = sm;
	return 0;
out:
	mem_deref(sm);
	return err;
}

int sip_mod_set_conf(struct sip_mod *sm, const struct conf *conf)
{
	const struct sip_conf *sc = conf_get(conf, "sip");
	char *ua;
	int err;

	err = sip_tsx_set_timers(sm->tsx, (uint32_t)sc->t1, (uint32_t)sc->t2,
				 (uint32_t)sc->t4);
	if (err)
		return err;
	ua = mem_strdup(sc->user_agent);
	if (!ua)
		return -ENOMEM;
	mem_deref(sm->ua);
	sm->ua = ua;
	sm->conf = conf;
	return sip_transp_set_server(sm->tp, ua);
}

struct sip_mod *sip_mod_running(void)
{
	return sip_mod_cur;
}

struct loop *sip_mod_loop(const struct sip_mod *sm)
{
	return sm->loop;
}

struct sip_tsx_layer *sip_mod_tsx(const struct sip_mod *sm)
{
	return sm->tsx;
}

struct sip_transp *sip_mod_transp(const struct sip_mod *sm)
{
	return sm->tp;
}

struct media_ports *sip_mod_ports(const struct sip_mod *sm)
{
	return sm->ports;
}

const struct media_conf *sip_mod_media_conf(const struct sip_mod *sm)
{
	return conf_get(sm->conf, "media");
}

const char *sip_mod_ua(const struct sip_mod *sm)
{
	return sm->ua;
}

uint32_t sip_mod_t1(const struct sip_mod *sm)
{
	const struct sip_conf *sc = conf_get(sm->conf, "sip");

	return (uint32_t)sc->t1;
}

int sip_mod_unknown_srtp(const struct sip_mod *sm)
{
	const struct sip_conf *sc = conf_get(sm->conf, "sip");

	return sc->unknown_srtp;
}

uint32_t sip_mod_min_se(const struct sip_mod *sm)
{
	const struct sip_conf *sc = conf_get(sm->conf, "sip");

	return (uint32_t)sc->session_min_se;
}

const struct sip_peer_conf *sip_mod_peer(const struct sip_mod *sm,
					 const char *name)
{
	return sip_peer_find(sm->conf, name);
}

int sip_mod_local(const struct sip_mod *sm, enum sip_tp tp,
		  const struct sa *dst, struct sa *local, char *sent_by,
		  size_t n)
{
	/* a wildcard listener's own address is nothing a peer can reach:
	 * the route's source address stands in for Via, Contact and SDP */
	int err = sip_transp_local_for(sm->tp, tp, dst, local);

	if (err)
		return err;
	return sa_str(local, sent_by, n) ? 0 : -ENOSPC;
}

bool sip_peer_up(const char *name)
{
	return !sip_mod_cur || !sip_mod_cur->pings ||
	       sip_pings_up(sip_mod_cur->pings, name);
}

static int sip_start(struct app *app)
{
	struct sip_mod *sm;
	int err;

	err = sip_mod_alloc(&sm, app->loop, app->conf);
	if (err)
		return err;
	err = ctl_register(app->ctl, sip_cmds,
			   sizeof(sip_cmds) / sizeof(sip_cmds[0]), sm);
	if (err)
		goto err_mod;
	err = sip_regs_new(&sm->regs, app->loop, sm->tsx, sm->tp, app->conf,
			   sm->ua);
	if (err)
		goto err_cmds;
	err = ctl_register(app->ctl, sip_regs_cmds, sip_regs_ncmds, sm->regs);
	if (err)
		goto err_regs;
	err = sip_pings_new(&sm->pings, app->loop, sm->tsx, sm->tp, app->conf,
			    sm->ua);
	if (err)
		goto err_regs_cmds;
	err = ctl_register(app->ctl, sip_pings_cmds, sip_pings_ncmds,
			   sm->pings);
	if (err)
		goto err_pings;
	sip_mod_cur = sm;
	return 0;
err_pings:
	sm->pings = mem_deref(sm->pings);
err_regs_cmds:
	ctl_unregister(app->ctl, sip_regs_cmds);
err_regs:
	sm->regs = mem_deref(sm->regs);
err_cmds:
	ctl_unregister(app->ctl, sip_cmds);
err_mod:
	mem_deref(sm);
	return err;
}

static int sip_reload(struct app *app, const struct conf *old)
{
	struct sip_mod *sm = sip_mod_cur;
	int err, err2;

	(void)old;
	if (!sm)
		return 0;
	err = sip_mod_set_conf(sm, app->conf);
	if (!err)
		err = sip_regs_update(sm->regs, app->conf, sip_mod_ua(sm));
	/* whatever failed above, the pings must follow: "show peers" reads
	 * the config they hold, and the old one goes away after this */
	err2 = sip_pings_update(sm->pings, app->conf, sip_mod_ua(sm));
	return err ? err : err2;
}

static void sip_stop(struct app *app)
{
	struct sip_mod *sm = sip_mod_cur;

	if (!sm)
		return;
	ctl_unregister(app->ctl, sip_cmds);
	ctl_unregister(app->ctl, sip_regs_cmds);
	ctl_unregister(app->ctl, sip_pings_cmds);
	/* no new pings while the registrations drain below */
	sm->pings = mem_deref(sm->pings);
	/* unregister bindings (Expires: 0) before the layers go away; the
	 * loop has stopped, so this polls it for the answers, bounded */
	sip_regs_stop(sm->regs, 2000);
	sm->regs = mem_deref(sm->regs);
	sip_mod_cur = NULL;
	mem_deref(sm);
}

static const struct conf_sect_def *const sip_sects[] = {
	&sip_conf_sect, &sip_peer_conf_sect, &sip_reg_conf_sect,
	&media_conf_sect, NULL
};

const struct tl_module sip_module = {
	.name = "sip",
	.sects = sip_sects,
	.start = sip_start,
	.reload = sip_reload,
	.stop = sip_stop,
};
