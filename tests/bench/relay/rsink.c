// SPDX-License-Identifier: GPL-2.0
/*
 * rsink - the receiving end of the relay benchmark: counts, per stream,
 * the UDP packets that reach interface IFNAME for ports DPORT0..+K-1.
 *
 *   rsink IFNAME DPORT0 K EXPECT TIMEOUT_MS IDLE_MS
 *
 * An AF_PACKET socket (recvmmsg, 32 MiB buffer) sees the frames as they
 * arrive from the relay, before the sink's own IP stack: one socket for
 * any number of streams, and what is counted is what the relay delivered,
 * not what a sink socket had room for. Prints "ready" once bound, then
 * stops at EXPECT packets, IDLE_MS after the last one, or TIMEOUT_MS,
 * and prints
 *   got=N min=A max=B zero=Z lat50=L lat99=M latmax=X
 * (A and B the fewest and most packets of one stream, Z streams with
 * none; L, M, X the median, 99th percentile and largest delay in us
 * from rgen's send time in the payload to the kernel's receive time
 * stamp here, both CLOCK_REALTIME on one host: the path through the
 * relay, plus the sender's and this sink's veth, the same for every
 * engine). Exit 0, 2 usage, 3 system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SNAP 64 /* IPv4 + UDP + RTP headers and the send time */
#define KMAX 4096
/* the delay histogram: 1 us bins, the last one for LAT_MAX us and more */
#define LAT_MAX 100000

static unsigned long lat[LAT_MAX + 1];
static unsigned long nlat;

/* Count the delay of the packet @p (@len, IPv4 from its header) received
 * at @rx: rgen's send time is in the 8 octets after the RTP header. */
static void lat_add(const uint8_t *p, size_t len, const struct timespec *rx)
{
	const struct iphdr *ip = (const void *)p;
	size_t off = (size_t)ip->ihl * 4 + sizeof(struct udphdr) + 12;
	uint64_t sent = 0, at;

	if (!rx || len < off + 8)
		return;
	for (int j = 0; j < 8; j++)
		sent = sent << 8 | p[off + (size_t)j];
	at = (uint64_t)rx->tv_sec * 1000000000ull + (uint64_t)rx->tv_nsec;
	if (at < sent)
		return; /* the clock stepped back: no figure */
	at = (at - sent) / 1000;
	lat[at < LAT_MAX ? at : LAT_MAX]++;
	nlat++;
}

/* The delay below which a share @q (0..1) of the packets fell, in us;
 * 1: the largest; 0 if none was timed */
static unsigned long lat_q(double q)
{
	unsigned long want = (unsigned long)((double)nlat * q), sum = 0;

	if (!nlat)
		return 0;
	if (want >= nlat)
		want = nlat - 1;
	for (unsigned long i = 0; i <= LAT_MAX; i++) {
		sum += lat[i];
		if (sum > want)
			return i;
	}
	return 0;
}

/* The receive time stamp of @m, NULL if the kernel gave none */
static const struct timespec *rx_time(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS)
			return (const struct timespec *)CMSG_DATA(c);
	return NULL;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The stream index of an IPv4/UDP packet, or -1 if it is not one of ours.
 * Length checked before each read: the frame is whatever arrived. */
static int classify(const uint8_t *p, size_t len, unsigned dport0,
		    unsigned k)
{
	const struct iphdr *ip = (const void *)p;
	const struct udphdr *uh;
	size_t ihl;
	unsigned d;

	if (len < sizeof(*ip) || ip->version != 4 ||
	    ip->protocol != IPPROTO_UDP)
		return -1;
	ihl = (size_t)ip->ihl * 4;
	if (ihl < sizeof(*ip) || len < ihl + sizeof(*uh))
		return -1;
	uh = (const void *)(p + ihl);
	d = ntohs(uh->dest);
	if (d < dport0 || d >= dport0 + k)
		return -1;
	return (int)(d - dport0);
}

int main(int argc, char **argv)
{
	static unsigned long count[KMAX];
	static uint8_t buf[BATCH][SNAP];
	static uint8_t cbuf[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	unsigned long dport0, k, expect, timeout, idle, got = 0, mn, mx;
	unsigned long zero = 0;
	uint64_t t0, last = 0;
	int fd, sz = 32 << 20, on = 1;

	if (argc != 7)
		goto usage;
	dport0 = strtoul(argv[2], NULL, 10);
	k = strtoul(argv[3], NULL, 10);
	expect = strtoul(argv[4], NULL, 10);
	timeout = strtoul(argv[5], NULL, 10);
	idle = strtoul(argv[6], NULL, 10);
	ll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!ll.sll_ifindex || !dport0 || !k || k > KMAX ||
	    dport0 + k > 65536 || !timeout || !idle)
		goto usage;
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (fd < 0 || bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		perror("rsink: packet socket");
		return 3;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on))) {
		perror("rsink: SO_TIMESTAMPNS");
		return 3;
	}
	for (unsigned i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = SNAP };
		msg[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i],
						  .msg_iovlen = 1 };
	}
	printf("ready\n");
	fflush(stdout);
	t0 = now_ms();
	while (got < expect) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		int n;

		if (now - t0 >= timeout || (last && now - last >= idle))
			break;
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		for (unsigned i = 0; i < BATCH; i++) {
			msg[i].msg_hdr.msg_control = cbuf[i];
			msg[i].msg_hdr.msg_controllen = sizeof(cbuf[i]);
		}
		n = recvmmsg(fd, msg, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("rsink: recvmmsg");
			return 3;
		}
		for (int i = 0; i < n; i++) {
			int s = classify(buf[i], msg[i].msg_len, (unsigned)dport0,
					 (unsigned)k);

			if (s < 0)
				continue;
			lat_add(buf[i], msg[i].msg_len, rx_time(&msg[i].msg_hdr));
			count[s]++;
			got++;
		}
		if (n > 0)
			last = now_ms();
	}
	mn = mx = count[0];
	for (unsigned i = 0; i < k; i++) {
		mn = count[i] < mn ? count[i] : mn;
		mx = count[i] > mx ? count[i] : mx;
		zero += !count[i];
	}
	printf("got=%lu min=%lu max=%lu zero=%lu lat50=%lu lat99=%lu "
	       "latmax=%lu\n",
	       got, mn, mx, zero, lat_q(0.5), lat_q(0.99), lat_q(1));
	return 0;
usage:
	fprintf(stderr, "usage: rsink IFNAME DPORT0 K EXPECT TIMEOUT_MS "
			"IDLE_MS\n");
	return 2;
}
