// SPDX-License-Identifier: GPL-2.0
/*
 * fwd_drv - the gateway side of the forwarding case table: a media_relay
 * under the offload layer, programmed by line commands on stdin, one
 * answer line each on stdout ("ok ..." or "err ...").
 *
 *   fwd_drv ENGINE [--generic] [--pin=DIR] [IFACE...]
 *                            ENGINE: relay (offload = off) | xdp;
 *                            --generic: XDP in generic (SKB) mode;
 *                            --pin=DIR: pin the maps there (default none)
 *   environment FWD_RELAY_IO=uring: the relay on its io_uring I/O path
 *
 *   flow ID LOCAL SRC|any NEWSRC NEWDST [ssrc=N] [seq=N] [ts=N] [mux]
 *        [pt_user=N] [rtcp_user] [rtcp_port]   stage one direction
 *   install                  ofl_pair_install() of the last two staged
 *   remove LOCAL LOCAL       ofl_pair_remove()
 *   offload on|off LOCAL LOCAL
 *   stats LOCAL              engine, packets, bytes, fast/slow, punts
 *   slow                     packets the slow-path handler saw
 *
 * Endpoints are "198.18.1.1:30000" or "[fd00:0:0:1::1]:30000"; a socket
 * is bound and served on each LOCAL/NEWSRC the first time it is named.
 * Ends at EOF on stdin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/relay.h"
#include "../../gateway/offload/ofl.h"

static struct loop *lp;
static struct media_relay *relay;
static struct ofl *ofl;
static struct tl_flow staged[2];
static unsigned nstaged;
static unsigned long nslow;
static struct tl_flow_ep bound[64];
static unsigned nbound;

static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	(void)fd, (void)src, (void)pkt, (void)len, (void)flow, (void)why;
	(void)arg;
	nslow++;
}

static int ep_parse(struct tl_flow_ep *ep, const char *s)
{
	struct sa sa;

	if (!strcmp(s, "any")) {
		memset(ep, 0, sizeof(*ep));
		return 0;
	}
	if (sa_parse(&sa, s, 0))
		return -EINVAL;
	return media_flow_ep_from_sa(ep, &sa);
}

/* Bind and serve a socket on @ep unless done already. */
static int ep_serve(const struct tl_flow_ep *ep)
{
	struct sa sa;
	int fd, sz = 4 << 20;

	for (unsigned i = 0; i < nbound; i++)
		if (!memcmp(&bound[i], ep, sizeof(*ep)))
			return 0;
	if (nbound == 64 || media_flow_ep_to_sa(&sa, ep))
		return -EINVAL;
	fd = socket(sa.u.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, &sa.u.sa, sa.len))
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	bound[nbound++] = *ep;
	return media_relay_sock_add(relay, fd);
}

static int cmd_flow(char **w, int n)
{
	struct tl_flow *f = &staged[nstaged++ & 1];
	struct tl_flow_action *a = &f->action;

	if (n < 6)
		return -EINVAL;
	media_flow_init(f);
	f->id = (uint32_t)strtoul(w[1], NULL, 10);
	if (ep_parse(&f->key.local, w[2]) || ep_parse(&f->key.src, w[3]) ||
	    ep_parse(&a->new_src, w[4]) || ep_parse(&a->new_dst, w[5]))
		return -EINVAL;
	for (int i = 6; i < n; i++) {
		char *v = strchr(w[i], '=');
		unsigned long x = v ? strtoul(v + 1, NULL, 0) : 0;

		if (!strncmp(w[i], "ssrc=", 5)) {
			a->flags |= TL_FLOW_F_SSRC;
			a->ssrc = (uint32_t)x;
		} else if (!strncmp(w[i], "seq=", 4)) {
			a->flags |= TL_FLOW_F_SEQ;
			a->seq_off = (uint16_t)x;
		} else if (!strncmp(w[i], "ts=", 3)) {
			a->flags |= TL_FLOW_F_TS;
			a->ts_off = (uint32_t)x;
		} else if (!strcmp(w[i], "mux")) {
			a->flags |= TL_FLOW_F_RTCP_MUX;
		} else if (!strcmp(w[i], "rtcp_port")) {
			a->flags |= TL_FLOW_F_RTCP_PORT;
		} else if (!strcmp(w[i], "rtcp_user")) {
			a->rtcp = TL_FLOW_RTCP_USER;
		} else if (!strncmp(w[i], "pt_user=", 8)) {
			media_flow_pt_user_set(a, (uint8_t)x, true);
		} else {
			return -EINVAL;
		}
	}
	if (ep_serve(&f->key.local) || ep_serve(&a->new_src))
		return -EADDRNOTAVAIL;
	return 0;
}

static int cmd_stats(const char *s)
{
	struct tl_flow_ep ep;
	struct ofl_stats st;
	int err;

	if (ep_parse(&ep, s))
		return -EINVAL;
	err = ofl_flow_stats(ofl, &ep, &st);
	if (err)
		return err;
	printf("ok engine=%s packets=%llu bytes=%llu fast=%llu slow=%llu "
	       "punt_malformed=%llu punt_source=%llu punt_pt=%llu "
	       "punt_rtcp=%llu punt_tx=%llu last_ns=%llu\n",
	       st.engine, (unsigned long long)st.packets,
	       (unsigned long long)st.bytes,
	       (unsigned long long)st.fast.packets,
	       (unsigned long long)st.slow.packets,
	       (unsigned long long)st.slow.punt[TL_FLOW_R_MALFORMED],
	       (unsigned long long)st.slow.punt[TL_FLOW_R_SOURCE],
	       (unsigned long long)st.slow.punt[TL_FLOW_R_PT],
	       (unsigned long long)st.slow.punt[TL_FLOW_R_RTCP],
	       (unsigned long long)st.fast.punt[TL_FLOW_R_TX],
	       (unsigned long long)st.last_ns);
	return 1;
}

static int command(char *line)
{
	char *w[24];
	int n = 0;
	struct tl_flow_ep a, b;

	for (char *t = strtok(line, " \t\n"); t && n < 24;
	     t = strtok(NULL, " \t\n"))
		w[n++] = t;
	if (!n)
		return 0;
	if (!strcmp(w[0], "flow"))
		return cmd_flow(w, n);
	if (!strcmp(w[0], "install"))
		return nstaged < 2 ? -EINVAL
				   : ofl_pair_install(ofl, &staged[0],
						      &staged[1]);
	if (!strcmp(w[0], "stats") && n == 2)
		return cmd_stats(w[1]);
	if (!strcmp(w[0], "slow")) {
		printf("ok slow=%lu\n", nslow);
		return 1;
	}
	if (!strcmp(w[0], "remove") && n == 3 && !ep_parse(&a, w[1]) &&
	    !ep_parse(&b, w[2]))
		return ofl_pair_remove(ofl, &a, &b);
	if (!strcmp(w[0], "offload") && n == 4 && !ep_parse(&a, w[2]) &&
	    !ep_parse(&b, w[3]))
		return ofl_pair_offload(ofl, &a, &b, !strcmp(w[1], "on"));
	return -EINVAL;
}

static void stdin_h(int fd, uint32_t events, void *arg)
{
	static char buf[4096];
	static size_t have;
	ssize_t r;
	char *nl;
	int err;

	(void)events, (void)arg;
	r = read(fd, buf + have, sizeof(buf) - 1 - have);
	if (r <= 0) {
		loop_stop(lp);
		return;
	}
	have += (size_t)r;
	buf[have] = 0;
	while ((nl = strchr(buf, '\n'))) {
		*nl = 0;
		err = command(buf);
		if (err < 0)
			printf("err %s\n", strerror(-err));
		else if (!err)
			printf("ok\n");
		fflush(stdout);
		have -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, have + 1);
	}
}

int main(int argc, char **argv)
{
	struct ofl_params p = { .mode = OFL_OFF, .pin_dir = "" };
	const char *io;
	int i = 2;

	if (argc < 2)
		return 2;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--generic"))
			p.xdp_generic = true;
		else if (!strncmp(argv[i], "--pin=", 6))
			p.pin_dir = argv[i] + 6;
		else
			return 2;
	}
	if (!strcmp(argv[1], "xdp")) {
		p.mode = OFL_XDP;
		p.ifaces = (const char *const *)argv + i;
		p.nifaces = (size_t)(argc - i);
	}
	lp = loop_new();
	/* FWD_RELAY_IO=uring: the relay's io_uring I/O path (else epoll) */
	io = getenv("FWD_RELAY_IO");
	if (!lp || media_relay_new_io(&relay, lp,
				      io && !strcmp(io, "uring")
					      ? MEDIA_RELAY_IO_URING
					      : MEDIA_RELAY_IO_EPOLL,
				      slow_h, NULL))
		return 3;
	p.relay = relay;
	if (ofl_new(&ofl, &p, &ofl_xdp_ops))
		return 3;
	if (p.mode == OFL_XDP && strcmp(ofl_engine(ofl), "xdp"))
		return 3;
	printf("ok engine=%s\n", ofl_engine(ofl));
	fflush(stdout);
	loop_fd_add(lp, 0, EPOLLIN, stdin_h, NULL);
	loop_run(lp);
	mem_deref(ofl);
	mem_deref(relay);
	mem_deref(lp);
	return 0;
}
