// SPDX-License-Identifier: GPL-2.0
/*
 * rgen - the RTP load generator of the relay benchmark
 * (tests/bench/bench_relay_netns.sh, method in docs/bench.md).
 *
 *   rgen SRC_IP SPORT0 DST_IP DPORTS K RATE SECS
 *
 * K streams, stream i from SRC_IP:SPORT0+i to DST_IP:DPORT(i), where
 * DPORTS is a base port ("40000": port 40000+i) or a file of K ports, one
 * a line (rtpengine chooses its own). Each packet: IPv4 + UDP + 172
 * octets of RTP v2 (PT 0, SSRC 0x5eed0000+i, seq +1 and ts +160 per
 * packet of the stream), round-robin over the streams. The first 8
 * payload octets carry the send time (CLOCK_REALTIME ns, big-endian,
 * taken before each batch) for rsink's latency figures.
 *
 * One raw socket (IP_HDRINCL) sends every stream, so that one sendmmsg
 * batch spans many streams and source ports, as on a real trunk; the UDP
 * checksum is computed in full, as a NIC would deliver it. Paced on
 * CLOCK_MONOTONIC: at time t, RATE * t packets are due; batches of about
 * RATE / 10000 (1..64), i.e. one system call per 100 us. Runs SECS
 * seconds. When it wakes more than LAG_MAX packets late (a stolen vCPU)
 * it skips the excess instead of bursting it out, so the offered load is
 * RATE less what it reports skipped; prints
 *   sent=N per_stream=M secs=S skipped=X eagain=E
 * Exit 0, 2 usage, 3 system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 172
#define HDRS (sizeof(struct iphdr) + sizeof(struct udphdr))
#define PKT (HDRS + PAYLOAD)
#define BATCH_MAX 64
#define KMAX 4096
#define LAG_MAX 128 /* packets the sender may fall behind */

struct stream {
	uint8_t pkt[PKT];
	uint16_t seq;
	uint32_t ts;
};

static struct stream streams[KMAX];

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Write the stream's next seq/ts and the send time @sent_ns into its
 * packet and redo the UDP sum (pseudo-header + UDP header + payload), 0
 * sent as 0xffff. */
static void stream_next(struct stream *s, uint64_t sent_ns)
{
	struct iphdr *ip = (struct iphdr *)s->pkt;
	struct udphdr *uh = (struct udphdr *)(s->pkt + sizeof(*ip));
	uint8_t *rtp = s->pkt + HDRS;
	uint32_t sum = 0;
	uint16_t c;

	rtp[2] = (uint8_t)(s->seq >> 8);
	rtp[3] = (uint8_t)s->seq;
	rtp[4] = (uint8_t)(s->ts >> 24);
	rtp[5] = (uint8_t)(s->ts >> 16);
	rtp[6] = (uint8_t)(s->ts >> 8);
	rtp[7] = (uint8_t)s->ts;
	for (int j = 0; j < 8; j++)
		rtp[12 + j] = (uint8_t)(sent_ns >> (56 - 8 * j));
	s->seq++;
	s->ts += 160;
	uh->check = 0;
	sum = csum_add(sum, (const uint8_t *)&ip->saddr, 8);
	sum += IPPROTO_UDP + (uint32_t)(sizeof(*uh) + PAYLOAD);
	sum = csum_add(sum, (const uint8_t *)uh, sizeof(*uh) + PAYLOAD);
	c = csum_fold(sum);
	uh->check = htons(c ? c : 0xffff);
}

static void stream_init(struct stream *s, unsigned i, in_addr_t src,
			uint16_t sport, in_addr_t dst, uint16_t dport)
{
	struct iphdr *ip = (struct iphdr *)s->pkt;
	struct udphdr *uh = (struct udphdr *)(s->pkt + sizeof(*ip));
	uint8_t *rtp = s->pkt + HDRS;
	uint32_t ssrc = 0x5eed0000u + i;

	memset(s, 0, sizeof(*s));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(PKT);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = src;
	ip->daddr = dst;
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh) + PAYLOAD);
	rtp[0] = 0x80;
	rtp[1] = 0;
	rtp[8] = (uint8_t)(ssrc >> 24);
	rtp[9] = (uint8_t)(ssrc >> 16);
	rtp[10] = (uint8_t)(ssrc >> 8);
	rtp[11] = (uint8_t)ssrc;
	for (unsigned j = 12; j < PAYLOAD; j++)
		rtp[j] = 0xd5; /* PCMU silence-ish */
	s->seq = (uint16_t)(i * 7);
	s->ts = i * 1000;
}

static int ports_read(uint16_t *ports, unsigned k, const char *spec)
{
	char *end;
	unsigned long base = strtoul(spec, &end, 10);
	FILE *f;
	unsigned n = 0, p;

	if (!*end) {
		if (!base || base + k > 65536)
			return -EINVAL;
		for (unsigned i = 0; i < k; i++)
			ports[i] = (uint16_t)(base + i);
		return 0;
	}
	f = fopen(spec, "r");
	if (!f)
		return -errno;
	while (n < k && fscanf(f, "%u", &p) == 1 && p && p < 65536)
		ports[n++] = (uint16_t)p;
	fclose(f);
	return n == k ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	static uint16_t dports[KMAX];
	struct mmsghdr msg[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src;
	unsigned long k, rate, secs, sport0, batch;
	uint64_t sent = 0, skipped = 0, t0, eagain = 0, wall;
	unsigned next = 0;
	int fd, one = 1, sz = 8 << 20;

	if (argc != 8)
		goto usage;
	k = strtoul(argv[5], NULL, 10);
	rate = strtoul(argv[6], NULL, 10);
	secs = strtoul(argv[7], NULL, 10);
	sport0 = strtoul(argv[2], NULL, 10);
	if (!inet_pton(AF_INET, argv[1], &src) ||
	    !inet_pton(AF_INET, argv[3], &dst.sin_addr) || !k || k > KMAX ||
	    !rate || !secs || secs > 60 || !sport0 || sport0 + k > 65536 ||
	    ports_read(dports, (unsigned)k, argv[4]))
		goto usage;
	for (unsigned i = 0; i < k; i++)
		stream_init(&streams[i], i, src.s_addr,
			    (uint16_t)(sport0 + i), dst.sin_addr.s_addr,
			    dports[i]);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one,
				 sizeof(one))) {
		perror("rgen: raw socket");
		return 3;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	batch = rate / 10000;
	batch = batch < 1 ? 1 : batch > BATCH_MAX ? BATCH_MAX : batch;
	for (unsigned i = 0; i < BATCH_MAX; i++) {
		msg[i].msg_hdr = (struct msghdr){
			.msg_name = &dst,
			.msg_namelen = sizeof(dst),
			.msg_iov = &iov[i],
			.msg_iovlen = 1,
		};
		iov[i].iov_len = PKT;
	}
	t0 = now_ns();
	for (;;) {
		uint64_t el = now_ns() - t0;
		uint64_t due = (uint64_t)((double)el * (double)rate / 1e9);
		unsigned n;
		int r;

		if (el >= (uint64_t)secs * 1000000000ull)
			break;
		due = due > skipped ? due - skipped : 0;
		if (due > sent + LAG_MAX) {
			/* woken late (the vCPU was stolen): skip rather than
			 * burst past what any queue on the path holds */
			skipped += due - sent - LAG_MAX;
			due = sent + LAG_MAX;
		}
		if (due < sent + batch) {
			/* sleep until the next batch is due */
			uint64_t at = t0 + (uint64_t)((double)(sent + skipped +
							       batch) *
						      1e9 / (double)rate);
			struct timespec ts = {
				.tv_sec = (time_t)(at / 1000000000ull),
				.tv_nsec = (long)(at % 1000000000ull),
			};

			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
			continue;
		}
		n = (unsigned)(due - sent < BATCH_MAX ? due - sent : BATCH_MAX);
		wall = clock_ns(CLOCK_REALTIME);
		for (unsigned i = 0; i < n; i++) {
			struct stream *s = &streams[(next + i) % k];

			stream_next(s, wall);
			iov[i].iov_base = s->pkt;
		}
		/* the destination differs per packet only in the port, which
		 * a raw socket takes from the header: one sockaddr serves */
		r = sendmmsg(fd, msg, n, 0);
		if (r < 0) {
			if (errno != EAGAIN && errno != ENOBUFS &&
			    errno != EINTR) {
				perror("rgen: sendmmsg");
				return 3;
			}
			eagain++;
			continue;
		}
		sent += (unsigned)r;
		next = (unsigned)((next + (unsigned)r) % k);
	}
	printf("sent=%llu per_stream=%llu secs=%.3f skipped=%llu "
	       "eagain=%llu\n",
	       (unsigned long long)sent, (unsigned long long)(sent / k),
	       (double)(now_ns() - t0) / 1e9, (unsigned long long)skipped,
	       (unsigned long long)eagain);
	return 0;
usage:
	fprintf(stderr, "usage: rgen SRC_IP SPORT0 DST_IP DPORT0|FILE K "
			"RATE SECS\n");
	return 2;
}
