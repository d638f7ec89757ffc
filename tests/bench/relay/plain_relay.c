// SPDX-License-Identifier: GPL-2.0
/*
 * plain_relay - the anchor of the relay benchmark: the simplest relay a C
 * programmer would write, no parsing, no flow table. K stream pairs:
 *
 *   plain_relay IN_IP IN_PORT0 OUT_IP OUT_PORT0 DST_IP DST_PORT0 K
 *
 * Stream i arrives on IN_IP:IN_PORT0+i and leaves from OUT_IP:OUT_PORT0+i
 * to DST_IP:DST_PORT0+i. One thread, level-triggered epoll over the K
 * inbound sockets; per ready socket one recvmmsg of up to 32 packets and
 * one sendmmsg of them. Prints "ready" once bound; runs until SIGTERM or
 * SIGINT, then prints "relayed=N". Exit 0, 2 usage, 3 system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 32
#define PKT_MAX 2048
#define KMAX 4096

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int udp_bind(const char *ip, unsigned port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };
	int fd, sz = 1 << 20;

	if (!inet_pton(AF_INET, ip, &sin.sin_addr))
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(fd);
		return -errno;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static int in[KMAX], out[KMAX];
	static struct sockaddr_in dst[KMAX];
	static uint8_t buf[BATCH][PKT_MAX];
	struct mmsghdr rx[BATCH], tx[BATCH];
	struct iovec iov[BATCH];
	struct epoll_event ev[256];
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long in0, out0, dst0, k;
	unsigned long long relayed = 0;
	struct in_addr daddr;
	int ep;

	if (argc != 8)
		goto usage;
	in0 = strtoul(argv[2], NULL, 10);
	out0 = strtoul(argv[4], NULL, 10);
	dst0 = strtoul(argv[6], NULL, 10);
	k = strtoul(argv[7], NULL, 10);
	if (!k || k > KMAX || !in0 || !out0 || !dst0 || in0 + k > 65536 ||
	    out0 + k > 65536 || dst0 + k > 65536 ||
	    !inet_pton(AF_INET, argv[5], &daddr))
		goto usage;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ep = epoll_create1(0);
	if (ep < 0)
		goto syserr;
	for (unsigned i = 0; i < k; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };

		in[i] = udp_bind(argv[1], (unsigned)(in0 + i));
		out[i] = udp_bind(argv[3], (unsigned)(out0 + i));
		if (in[i] < 0 || out[i] < 0 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, in[i], &e))
			goto syserr;
		dst[i] = (struct sockaddr_in){
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)(dst0 + i)),
			.sin_addr = daddr,
		};
	}
	for (unsigned i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i],
					 .iov_len = PKT_MAX };
		rx[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i],
						 .msg_iovlen = 1 };
		tx[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i],
						 .msg_iovlen = 1,
						 .msg_namelen = sizeof(dst[0]) };
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		int n = epoll_wait(ep, ev, 256, 200);

		for (int j = 0; j < n; j++) {
			unsigned s = ev[j].data.u32;
			int got = recvmmsg(in[s], rx, BATCH, MSG_DONTWAIT,
					   NULL);

			if (got <= 0)
				continue;
			for (int i = 0; i < got; i++) {
				/* send exactly what arrived */
				iov[i].iov_len = rx[i].msg_len;
				tx[i].msg_hdr.msg_name = &dst[s];
			}
			got = sendmmsg(out[s], tx, (unsigned)got, 0);
			for (int i = 0; i < BATCH; i++)
				iov[i].iov_len = PKT_MAX;
			if (got > 0)
				relayed += (unsigned)got;
		}
	}
	printf("relayed=%llu\n", relayed);
	return 0;
syserr:
	perror("plain_relay");
	return 3;
usage:
	fprintf(stderr, "usage: plain_relay IN_IP IN_PORT0 OUT_IP OUT_PORT0 "
			"DST_IP DST_PORT0 K\n");
	return 2;
}
