// SPDX-License-Identifier: GPL-2.0
/*
 * tl_rtpx - RTP streams with a fixed source, and a receiver that reports
 * every header field and checks checksums on the wire, for the forwarding
 * case table (tests/netns/t_fwd_cases.sh).
 *
 *   tl_rtpx send SRC SPORT DST DPORT COUNT PT SEQ0 INTERVAL_US
 *   tl_rtpx recv ADDR PORT COUNT TIMEOUT_MS
 *   tl_rtpx nocsum IFNAME
 *
 * nocsum turns off transmit checksum offload on IFNAME (what "ethtool -K
 * IFNAME tx off" does): a veth otherwise hands its peer frames whose UDP
 * checksum holds only the pseudo-header sum, which an XDP program on the
 * peer cannot update incrementally. A NIC never delivers such frames.
 *
 * send: COUNT packets of 172 octets (RTP v2 header, PT, seq SEQ0+i,
 * ts 160*i, SSRC 0x5eed0001) from SRC:SPORT; PT >= 192 sends RTCP-like
 * packets with that second octet, PT 1000 RTP version 1 ones. recv: prints "got=N" then, for the
 * first and last packet, "from=A:P pt= seq= ts= ssrc= len=", then the
 * wire check "csum_ok=N csum_bad=N" from an AF_PACKET socket that sees
 * the same frames (IPv4 header checksum and UDP checksum recomputed;
 * frames whose checksum the kernel has not filled in yet are skipped).
 * Bounded by COUNT and TIMEOUT_MS. Exit 0, 2 usage, 3 system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <net/ethernet.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKT 172

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int addr(const char *h, const char *p, struct sockaddr_storage *ss,
		socklen_t *len)
{
	struct addrinfo hi = { .ai_family = AF_UNSPEC,
			       .ai_socktype = SOCK_DGRAM,
			       .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV },
			*ai;

	if (getaddrinfo(h, p, &hi, &ai))
		return -EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int do_send(char **a)
{
	struct sockaddr_storage s, d;
	socklen_t sl, dl;
	unsigned long n = strtoul(a[4], NULL, 10), pt = strtoul(a[5], NULL, 10);
	unsigned long seq0 = strtoul(a[6], NULL, 10);
	unsigned long iv = strtoul(a[7], NULL, 10);
	uint8_t p[PKT];
	int fd, one = 1;

	if (addr(a[0], a[1], &s, &sl) || addr(a[2], a[3], &d, &dl))
		return 2;
	fd = socket(s.ss_family, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&s, sl)) {
		perror("tl_rtpx send: bind");
		return 3;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint16_t seq = (uint16_t)(seq0 + i);
		uint32_t ts = (uint32_t)(160 * i), ssrc = 0x5eed0001;

		memset(p, (int)(i & 0xff), sizeof(p));
		p[0] = pt == 1000 ? 0x40 : 0x80;
		p[1] = (uint8_t)(pt == 1000 ? 0 : pt);
		p[2] = (uint8_t)(seq >> 8);
		p[3] = (uint8_t)seq;
		for (int k = 0; k < 4; k++) {
			p[4 + k] = (uint8_t)(ts >> (24 - 8 * k));
			p[8 + k] = (uint8_t)(ssrc >> (24 - 8 * k));
		}
		if (sendto(fd, p, sizeof(p), 0, (struct sockaddr *)&d, dl) !=
		    PKT) {
			perror("tl_rtpx send");
			return 3;
		}
		if (iv)
			usleep((useconds_t)iv);
	}
	printf("sent=%lu\n", n);
	return 0;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static int csum_ok(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

/* One frame from the packet socket: 1 good, 0 bad, -1 not ours. */
static int wire_check(const uint8_t *f, size_t n, uint16_t port)
{
	const uint8_t *ip = f + 14, *u;
	uint16_t et = (uint16_t)(f[12] << 8 | f[13]), ul;
	uint32_t ps;

	if (n < 14 + 40 + 8)
		return -1;
	if (et == 0x0800) {
		if ((ip[0] & 0x0f) != 5 || ip[9] != 17)
			return -1;
		u = ip + 20;
		ps = sum16(ip + 12, 8, 17);
	} else if (et == 0x86dd) {
		if (ip[6] != 17)
			return -1;
		u = ip + 40;
		ps = sum16(ip + 8, 32, 17);
	} else {
		return -1;
	}
	if ((uint16_t)(u[2] << 8 | u[3]) != port)
		return -1;
	ul = (uint16_t)(u[4] << 8 | u[5]);
	if (u + ul > f + n)
		return 0;
	if (et == 0x0800 && !csum_ok(sum16(ip, 20, 0)))
		return 0;
	if (et == 0x0800 && !u[6] && !u[7])
		return 1;
	return csum_ok(sum16(u, ul, ps + ul));
}

static void show(const char *tag, const struct sockaddr_storage *ss,
		 const uint8_t *p, ssize_t n)
{
	char h[64], s[16];

	getnameinfo((const struct sockaddr *)ss, sizeof(*ss), h, sizeof(h), s,
		    sizeof(s), NI_NUMERICHOST | NI_NUMERICSERV);
	printf("%s from=%s:%s pt=%u seq=%u ts=%u ssrc=%08x len=%zd\n", tag, h,
	       s, p[1] & 0x7f, p[2] << 8 | p[3],
	       (unsigned)(p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]),
	       (unsigned)(p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11]), n);
}

static int do_recv(char **a)
{
	struct sockaddr_storage b, from;
	socklen_t bl, fl;
	unsigned long n = strtoul(a[2], NULL, 10), got = 0, ok = 0, bad = 0;
	uint64_t end = now_ms() + strtoul(a[3], NULL, 10);
	uint16_t port = (uint16_t)strtoul(a[1], NULL, 10);
	uint8_t p[2048], last[PKT];
	struct sockaddr_storage lfrom;
	ssize_t llen = 0;
	int fd, pk;

	if (addr(a[0], a[1], &b, &bl))
		return 2;
	fd = socket(b.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	pk = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0 || pk < 0 || bind(fd, (struct sockaddr *)&b, bl) ||
	    setsockopt(pk, SOL_PACKET, PACKET_AUXDATA, &(int){ 1 },
		       sizeof(int))) {
		perror("tl_rtpx recv");
		return 3;
	}
	while (got < n && now_ms() < end) {
		struct pollfd pf[2] = { { fd, POLLIN, 0 }, { pk, POLLIN, 0 } };
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		ssize_t r;

		poll(pf, 2, 50);
		for (;;) {
			struct iovec iov = { p, sizeof(p) };
			union {
				struct cmsghdr h;
				char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
			} cb;
			struct msghdr m = { .msg_name = &sll, .msg_namelen = sl,
					    .msg_iov = &iov, .msg_iovlen = 1,
					    .msg_control = &cb,
					    .msg_controllen = sizeof(cb) };
			struct cmsghdr *c;
			int v, partial = 0;

			r = recvmsg(pk, &m, 0);
			if (r <= 0)
				break;
			for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
				struct tpacket_auxdata ad;

				if (c->cmsg_level != SOL_PACKET ||
				    c->cmsg_type != PACKET_AUXDATA)
					continue;
				memcpy(&ad, CMSG_DATA(c), sizeof(ad));
				partial = !!(ad.tp_status &
					     TP_STATUS_CSUMNOTREADY);
			}
			if (sll.sll_pkttype == PACKET_OUTGOING || partial)
				continue;
			v = wire_check(p, (size_t)r, port);
			ok += v == 1;
			bad += v == 0;
		}
		fl = sizeof(from);
		while ((r = recvfrom(fd, p, sizeof(p), 0,
				     (struct sockaddr *)&from, &fl)) > 0) {
			if (!got)
				show("first", &from, p, r);
			got++;
			memcpy(last, p, r < PKT ? (size_t)r : PKT);
			lfrom = from;
			llen = r;
			fl = sizeof(from);
		}
	}
	if (got)
		show("last", &lfrom, last, llen);
	printf("got=%lu csum_ok=%lu csum_bad=%lu\n", got, ok, bad);
	return 0;
}

static int do_nocsum(const char *ifname)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_STXCSUM, .data = 0 };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&ev;
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr)) {
		perror("tl_rtpx nocsum");
		return 3;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "nocsum"))
		return do_nocsum(argv[2]);
	if (argc == 10 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if (argc == 6 && !strcmp(argv[1], "recv"))
		return do_recv(argv + 2);
	fputs("usage: tl_rtpx send SRC SPORT DST DPORT COUNT PT SEQ0 IV_US\n"
	      "       tl_rtpx recv ADDR PORT COUNT TIMEOUT_MS\n",
	      stderr);
	return 2;
}
