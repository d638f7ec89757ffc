// SPDX-License-Identifier: GPL-2.0
/*
 * tl_drv - Trunkline's forwarding engines under the relay benchmark: a
 * media_relay under the offload layer (gateway/offload), exactly as the
 * daemon drives them, with K call pairs installed at start.
 *
 *   tl_drv relay|relay-uring|xdp K A_IP A_PORT0 B_IP B_PORT0 SND_IP
 *          SND_PORT0 RCV_IP RCV_PORT0 [IFACE...]
 *
 * Call i: leg A is SND_IP:SND_PORT0+i <-> A_IP:A_PORT0+i, leg B is
 * B_IP:B_PORT0+i <-> RCV_IP:RCV_PORT0+i; both directions are installed
 * with ofl_pair_install() with the peers' sources confirmed (key.src
 * set), as after latching; every flow's counters are read twice a
 * second, as the daemon's calls read them. "xdp" attaches the XDP
 * engine to the IFACEs (native mode) and fails unless it is the engine
 * in use; "relay" is offload = off with the relay's epoll I/O path,
 * "relay-uring" the same with its io_uring path ([media] relay_io);
 * TL_COALESCE_US in the environment sets its [media] relay_coalesce_us.
 * Prints "ok engine=E io=IO flows=N" when installed, runs until SIGTERM
 * or SIGINT, prints what the relay's I/O path did ("slow=N wakeups=N
 * syscalls=N nobufs=N sq_full=N polls=N"), then detaches and frees
 * everything.
 * Exit 0, 2 usage, 3 setup failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../../../gateway/base/loop.h"
#include "../../../gateway/base/mem.h"
#include "../../../gateway/base/sa.h"
#include "../../../gateway/media/relay.h"
#include "../../../gateway/offload/ofl.h"

#define KMAX 4096

static struct loop *lp;
static int socks[2 * KMAX];
static unsigned nsocks;

/* Packets the engines pass up: a benchmark installs only forwardable
 * flows, so these are counted and dropped. */
static unsigned long nslow;

static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	(void)fd, (void)src, (void)pkt, (void)len, (void)flow, (void)why;
	(void)arg;
	nslow++;
}

static void sig_h(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events, (void)arg;
	if (read(fd, &si, sizeof(si)) > 0)
		loop_stop(lp);
}

/*
 * Read every flow's counters twice a second, as the daemon's calls do
 * (gateway/call/call.c media_h(): media inactivity, statistics). The
 * reads are also when the XDP engine caches a flow's next hop
 * (gateway/offload/xdp hop_refresh()); a driver that never read them
 * would leave the program asking the FIB for every packet.
 */
#define STATS_MS 500

static struct ofl *ofl;
static struct tmr stats_t;

static int stats_row(const struct tl_flow *f, const struct ofl_stats *s,
		     void *arg)
{
	(void)f, (void)s, (void)arg;
	return 0;
}

static void stats_h(void *arg)
{
	(void)arg;
	ofl_flow_foreach(ofl, stats_row, NULL);
	tmr_start(lp, &stats_t, STATS_MS, stats_h, NULL);
}

static int ep_set(struct tl_flow_ep *ep, const char *ip, unsigned long port)
{
	struct sa sa;

	if (port == 0 || port > 65535 || sa_set_ip(&sa, ip, (uint16_t)port))
		return -EINVAL;
	return media_flow_ep_from_sa(ep, &sa);
}

/* Bind a UDP socket on @ip:@port and hand it to the relay. */
static int sock_serve(struct media_relay *r, const char *ip,
		      unsigned long port)
{
	struct sa sa;
	int fd, sz = 1 << 20, err;

	if (sa_set_ip(&sa, ip, (uint16_t)port))
		return -EINVAL;
	fd = socket(sa.u.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, &sa.u.sa, sa.len)) {
		err = -errno;
		close(fd);
		return err;
	}
	socks[nsocks++] = fd;
	return media_relay_sock_add(r, fd);
}

/* Install call @i: both directions through the offload layer. */
static int call_install(struct ofl *o, struct media_relay *r, char **a,
			unsigned i)
{
	unsigned long pa = strtoul(a[4], NULL, 10) + i;
	unsigned long pb = strtoul(a[6], NULL, 10) + i;
	unsigned long ps = strtoul(a[8], NULL, 10) + i;
	unsigned long pr = strtoul(a[10], NULL, 10) + i;
	struct tl_flow ab, ba;
	int err;

	media_flow_init(&ab);
	media_flow_init(&ba);
	ab.id = 2 * i + 1;
	ba.id = 2 * i + 2;
	if (ep_set(&ab.key.local, a[3], pa) || ep_set(&ab.key.src, a[7], ps) ||
	    ep_set(&ab.action.new_src, a[5], pb) ||
	    ep_set(&ab.action.new_dst, a[9], pr) ||
	    ep_set(&ba.key.local, a[5], pb) || ep_set(&ba.key.src, a[9], pr) ||
	    ep_set(&ba.action.new_src, a[3], pa) ||
	    ep_set(&ba.action.new_dst, a[7], ps))
		return -EINVAL;
	err = sock_serve(r, a[3], pa);
	if (!err)
		err = sock_serve(r, a[5], pb);
	if (!err)
		err = ofl_pair_install(o, &ab, &ba);
	return err;
}

int main(int argc, char **argv)
{
	struct ofl_params p = { .mode = OFL_OFF, .pin_dir = "" };
	enum media_relay_io io = MEDIA_RELAY_IO_EPOLL;
	struct media_relay *relay = NULL;
	struct media_relay_stats st;
	unsigned long k;
	sigset_t mask;
	int sfd, err, rc = 3;

	if (argc < 11 || (strcmp(argv[1], "relay") && strcmp(argv[1], "xdp") &&
			  strcmp(argv[1], "relay-uring")))
		goto usage;
	if (!strcmp(argv[1], "relay-uring"))
		io = MEDIA_RELAY_IO_URING;
	k = strtoul(argv[2], NULL, 10);
	if (!k || k > KMAX)
		goto usage;
	if (!strcmp(argv[1], "xdp")) {
		if (argc < 12)
			goto usage;
		p.mode = OFL_XDP;
		p.ifaces = (const char *const *)argv + 11;
		p.nifaces = (size_t)argc - 11;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	lp = loop_new();
	if (sfd < 0 || !lp)
		goto out;
	err = media_relay_new_io(&relay, lp, io, slow_h, NULL);
	if (err) {
		fprintf(stderr, "tl_drv: relay: %s\n", strerror(-err));
		goto out;
	}
	/* [media] relay_coalesce_us, from the environment */
	if (getenv("TL_COALESCE_US")) {
		err = media_relay_set_coalesce(
		    relay, (unsigned)strtoul(getenv("TL_COALESCE_US"), NULL, 10));
		if (err) {
			fprintf(stderr, "tl_drv: coalesce: %s\n",
				strerror(-err));
			goto out;
		}
	}
	p.relay = relay;
	if (ofl_new(&ofl, &p, &ofl_xdp_ops))
		goto out;
	if (strcmp(ofl_engine(ofl), p.mode == OFL_XDP ? "xdp" : "relay")) {
		fprintf(stderr, "tl_drv: engine %s\n", ofl_engine(ofl));
		goto out;
	}
	for (unsigned i = 0; i < k; i++) {
		err = call_install(ofl, relay, argv, i);
		if (err) {
			fprintf(stderr, "tl_drv: call %u: %s\n", i,
				strerror(-err));
			goto out;
		}
	}
	if (loop_fd_add(lp, sfd, EPOLLIN, sig_h, NULL))
		goto out;
	tmr_init(&stats_t);
	stats_h(NULL);
	printf("ok engine=%s io=%s flows=%lu\n", ofl_engine(ofl),
	       media_relay_io_name(relay), 2 * k);
	fflush(stdout);
	loop_run(lp);
	loop_fd_del(lp, sfd);
	tmr_cancel(&stats_t);
	media_relay_stats(relay, &st);
	printf("slow=%lu wakeups=%llu syscalls=%llu nobufs=%llu sq_full=%llu "
	       "polls=%llu\n",
	       nslow, (unsigned long long)st.wakeups,
	       (unsigned long long)st.syscalls, (unsigned long long)st.nobufs,
	       (unsigned long long)st.sq_full, (unsigned long long)st.polls);
	rc = 0;
out:
	/* flows and XDP first, then the sockets they name */
	mem_deref(ofl);
	for (unsigned i = 0; i < nsocks; i++) {
		if (relay)
			media_relay_sock_del(relay, socks[i]);
		close(socks[i]);
	}
	mem_deref(relay);
	mem_deref(lp);
	return rc;
usage:
	fprintf(stderr, "usage: tl_drv relay|relay-uring|xdp K A_IP A_PORT0 "
			"B_IP B_PORT0 SND_IP SND_PORT0 RCV_IP RCV_PORT0 "
			"[IFACE...]\n");
	return 2;
}
