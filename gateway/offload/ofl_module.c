// SPDX-License-Identifier: GPL-2.0
/*
 * [offload] and `show flows`: the daemon's side of gateway/offload. The
 * module makes the offload layer at start (loading and attaching XDP when
 * configured) and the userspace relay its engines fall back to, and hands
 * both to the call layer through ofl_module_get() and ofl_module_sock_add().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/list.h"
#include "../base/loop.h"
#include "../base/mem.h"
#include "../base/sa.h"
#include "../core/app.h"
#include "../ctl/ctl.h"
#include "../media/mediaconf.h"
#include "ofl.h"

#define LOG_TAG "offload"
#include "../base/log.h"

struct ofl_conf {
	int mode;		 /* enum ofl_mode */
	struct conf_strlist ifaces;
	int xdp_mode;		 /* 0 native, 1 generic */
	char *pin_dir;
};

static const char *const mode_names[] = { "auto", "xdp", "off", NULL };
static const char *const xdp_mode_names[] = { "native", "generic", NULL };

static const struct conf_kw ofl_kws[] = {
	{ "offload", CONF_ENUM, offsetof(struct ofl_conf, mode), "auto", 0, 0,
	  mode_names, NULL, 0,
	  "media fast path: auto (XDP if it loads), xdp, off (userspace)" },
	{ "interfaces", CONF_STRLIST, offsetof(struct ofl_conf, ifaces), "",
	  0, 0, NULL, NULL, 0, "interfaces the XDP program attaches to" },
	{ "xdp_mode", CONF_ENUM, offsetof(struct ofl_conf, xdp_mode),
	  "native", 0, 0, xdp_mode_names, NULL, 0,
	  "native (driver) XDP, or generic (SKB) where drivers lack it" },
	{ "pin_dir", CONF_STR, offsetof(struct ofl_conf, pin_dir),
	  "/sys/fs/bpf/trunkline", 0, 0, NULL, NULL, 0,
	  "bpffs folder for the XDP maps (\"\": do not pin)" },
};

static const struct conf_sect_def ofl_sect = {
	.name = "offload",
	.size = sizeof(struct ofl_conf),
	.kws = ofl_kws,
	.nkws = sizeof(ofl_kws) / sizeof(ofl_kws[0]),
	.help = "the RTP fast path (XDP) and its fallback",
};

static const struct conf_sect_def *const ofl_sects[] = { &ofl_sect, NULL };

static struct ofl *ofl_cur;	      /* owned while the module runs */
static struct media_relay *relay_cur; /* owned while the module runs */
static struct list slow_socks;	      /* of struct slow_sock */

/* Who takes what the relay does not forward from one socket. */
struct slow_sock {
	struct le le;
	int fd;
	media_relay_slow_h *h;
	void *arg; /* borrowed */
};

struct ofl *ofl_module_get(void)
{
	return ofl_cur;
}

static struct slow_sock *slow_find(int fd)
{
	struct le *e, *nx;

	LIST_FOREACH(&slow_socks, e, nx)
	{
		struct slow_sock *ss = e->data;

		if (ss->fd == fd)
			return ss;
	}
	return NULL;
}

/* The relay has one slow-path handler; each socket's owner has its own. */
static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	struct slow_sock *ss = slow_find(fd);

	(void)arg;
	if (ss)
		ss->h(fd, src, pkt, len, flow, why, ss->arg);
}

int ofl_module_sock_add(int fd, media_relay_slow_h *h, void *arg)
{
	struct slow_sock *ss;
	int err;

	if (!relay_cur)
		return -ENODEV;
	if (slow_find(fd))
		return -EEXIST;
	ss = mem_zalloc(sizeof(*ss), NULL);
	if (!ss)
		return -ENOMEM;
	ss->fd = fd;
	ss->h = h;
	ss->arg = arg;
	err = media_relay_sock_add(relay_cur, fd);
	if (err) {
		mem_deref(ss);
		return err;
	}
	list_append(&slow_socks, &ss->le, ss);
	return 0;
}

void ofl_module_sock_del(int fd)
{
	struct slow_sock *ss = slow_find(fd);

	if (relay_cur)
		media_relay_sock_del(relay_cur, fd);
	if (!ss)
		return;
	list_unlink(&ss->le);
	mem_deref(ss);
}

int ofl_module_flow_srtp(const struct tl_flow_ep *local, struct rtp_srtp *in,
			 struct rtp_srtp *out)
{
	if (!relay_cur)
		return -ENODEV;
	return media_relay_flow_srtp(relay_cur, local, in, out);
}

static void slow_flush(void)
{
	while (slow_socks.head) {
		struct slow_sock *ss = slow_socks.head->data;

		list_unlink(&ss->le);
		mem_deref(ss);
	}
}

static void ep_str(char *buf, size_t n, const struct tl_flow_ep *ep)
{
	struct sa sa;

	if (media_flow_ep_to_sa(&sa, ep))
		snprintf(buf, n, "any");
	else
		sa_str(&sa, buf, n);
}

static int flow_row(const struct tl_flow *f, const struct ofl_stats *s,
		    void *arg)
{
	struct ctl_reply *r = arg;
	char b[64];
	uint64_t punts = 0;

	for (int i = 0; i < TL_FLOW_R_MAX; i++)
		punts += s->slow.punt[i];
	ctl_obj_begin(r, NULL);
	ctl_put_int(r, "id", f->id);
	ep_str(b, sizeof(b), &f->key.local);
	ctl_put_str(r, "local", "%s", b);
	ep_str(b, sizeof(b), &f->key.src);
	ctl_put_str(r, "source", "%s", b);
	ep_str(b, sizeof(b), &f->action.new_dst);
	ctl_put_str(r, "to", "%s", b);
	ctl_put_str(r, "engine", "%s", s->engine);
	ctl_put_int(r, "packets", (int64_t)s->packets);
	ctl_put_int(r, "bytes", (int64_t)s->bytes);
	ctl_put_int(r, "fast", (int64_t)s->fast.packets);
	ctl_put_int(r, "punts", (int64_t)punts);
	/* last_ns is CLOCK_MONOTONIC, like the loop's clock */
	ctl_put_int(r, "idle_ms",
		    s->last_ns ? (int64_t)loop_now_ms() -
					 (int64_t)(s->last_ns / 1000000)
			       : -1);
	ctl_obj_end(r);
	return 0;
}

static int cmd_flows(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc, (void)argv, (void)arg;
	if (!ofl_cur)
		return ctl_fail(r, "offload is not running");
	ctl_put_str(r, "engine", "%s", ofl_engine(ofl_cur));
	if (relay_cur) {
		ctl_put_str(r, "relay_io", "%s", media_relay_io_name(relay_cur));
		ctl_put_int(r, "relay_coalesce_us",
			    (int64_t)media_relay_coalesce(relay_cur));
	}
	ctl_list_begin(r, "flows");
	ofl_flow_foreach(ofl_cur, flow_row, r);
	ctl_list_end(r);
	return 0;
}

static const struct ctl_cmd ofl_cmds[] = {
	{ "show flows", NULL, "media flows: engine, counters, idle time",
	  cmd_flows, 0, 0 },
};

/* [media] relay_coalesce_us onto the running relay (at start and on
 * reload); on the epoll path a non-zero period does not apply, which is
 * noted (not warned of: the default is not 0) */
static int relay_coalesce(const struct media_conf *mc)
{
	unsigned us = mc ? media_conf_relay_coalesce(mc) : 0;
	int err = media_relay_set_coalesce(relay_cur, us);

	if (err == -ENOTSUP) {
		LOGN("relay_coalesce_us = %u: not applied, the epoll relay "
		     "does not coalesce (relay_io = uring does)", us);
		return 0;
	}
	if (err)
		LOGE("relay_coalesce_us = %u: %s", us, strerror(-err));
	return err;
}

static int ofl_reload(struct app *app, const struct conf *old)
{
	(void)old;
	return relay_cur ? relay_coalesce(conf_get(app->conf, "media")) : 0;
}

static int ofl_start(struct app *app)
{
	const struct ofl_conf *c = conf_get(app->conf, "offload");
	const struct media_conf *mc;
	struct ofl_params p = {
		.mode = (enum ofl_mode)c->mode,
		.ifaces = (const char *const *)c->ifaces.v,
		.nifaces = c->ifaces.n,
		.xdp_generic = c->xdp_mode == 1,
		.pin_dir = c->pin_dir,
	};
	int err;

	list_init(&slow_socks);
	/* the relay serves the call legs' RTP sockets on the main loop, the
	 * thread that owns the legs: it is made before any call exists */
	mc = conf_get(app->conf, "media");
	err = media_relay_new_io(&relay_cur, app->loop,
				 mc ? media_conf_relay_io(mc) :
				      MEDIA_RELAY_IO_EPOLL,
				 slow_h, NULL);
	if (err)
		return err;
	err = relay_coalesce(mc);
	if (err)
		goto err;
	LOGI("media relay: %s I/O", media_relay_io_name(relay_cur));
	p.relay = relay_cur;
	err = ofl_new(&ofl_cur, &p, &ofl_xdp_ops);
	if (err)
		goto err;
	err = ctl_register(app->ctl, ofl_cmds,
			   sizeof(ofl_cmds) / sizeof(ofl_cmds[0]), NULL);
	if (err)
		goto err;
	return 0;
err:
	ofl_cur = mem_deref(ofl_cur);
	relay_cur = mem_deref(relay_cur);
	return err;
}

static void ofl_stop(struct app *app)
{
	ctl_unregister(app->ctl, ofl_cmds);
	/* flows first (the layer removes nothing from the relay on free:
	 * the relay's own destructor lets go of the sockets) */
	ofl_cur = mem_deref(ofl_cur);
	slow_flush();
	relay_cur = mem_deref(relay_cur);
}

const struct tl_module offload_module = {
	.name = "offload",
	.sects = ofl_sects,
	.start = ofl_start,
	.reload = ofl_reload,
	.stop = ofl_stop,
};
