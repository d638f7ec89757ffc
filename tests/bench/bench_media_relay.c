// SPDX-License-Identifier: GPL-2.0
/*
 * Media fast-path costs, in CPU ns per packet (thread CPU time, so the
 * kernel's share of recvmmsg/sendmmsg is included):
 *   - the userspace relay on 127.0.0.1: K flows, 172-octet G.711 packets,
 *     sent in bursts of 32 per flow, relayed with recvmmsg/sendmmsg;
 *   - SRTP protect and unprotect through rtp_srtp_*, next to libsrtp2
 *     called directly on the same packets (the reference).
 * "streams/core" = 1e9 / ns / 50 packets per second (20 ms G.711).
 * Bounded: a fixed packet count per case and a 10 s cap per case.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/flow.h"
#include "../../gateway/media/relay.h"
#include "../../gateway/media/rtp.h"
#include "../../gateway/media/rtp_srtp.h"

#define BURST 32
#define PKT 172
#define CAP_NS (10ull * 1000000000ull)

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int udp(struct sa *sa)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), sz = 4 << 20;

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&in, sizeof(in)))
		exit(1);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	memset(sa, 0, sizeof(*sa));
	sa->len = sizeof(sa->u.ss);
	getsockname(fd, &sa->u.sa, &sa->len);
	return fd;
}

static void row(const char *name, double ns)
{
	printf("%-40s %9.0f ns/pkt %9.0f streams/core\n", name, ns,
	       1e9 / ns / 50);
}

static void bench_relay(unsigned k, unsigned total)
{
	struct loop *l = loop_new();
	struct media_relay *r;
	int snd, sink, *in = calloc(k, sizeof(int)), out;
	struct sa s_snd, s_sink, *s_in = calloc(k, sizeof(struct sa)), s_out;
	uint8_t pkt[BURST][PKT], rbuf[BURST][PKT + 64];
	struct mmsghdr m[BURST], rm[BURST];
	struct iovec iov[BURST], riov[BURST];
	uint64_t relay_cpu = 0, got = 0, sent = 0, t_end;
	uint16_t seq = 0;

	if (!l || !in || !s_in || media_relay_new(&r, l, NULL, NULL))
		exit(1);
	snd = udp(&s_snd);
	sink = udp(&s_sink);
	out = udp(&s_out);
	media_relay_sock_add(r, out);
	for (unsigned i = 0; i < k; i++) {
		struct tl_flow f;

		in[i] = udp(&s_in[i]);
		media_relay_sock_add(r, in[i]);
		media_flow_init(&f);
		media_flow_ep_from_sa(&f.key.local, &s_in[i]);
		media_flow_ep_from_sa(&f.key.src, &s_snd);
		media_flow_ep_from_sa(&f.action.new_src, &s_out);
		media_flow_ep_from_sa(&f.action.new_dst, &s_sink);
		f.action.flags = TL_FLOW_F_SSRC | TL_FLOW_F_SEQ;
		f.action.ssrc = 0x1000 + i;
		f.action.seq_off = 7;
		media_flow_pt_forward_only(&f.action, (const uint8_t[]){ 0 }, 1);
		if (media_relay_flow_set(r, &f))
			exit(1);
	}
	memset(m, 0, sizeof(m));
	memset(rm, 0, sizeof(rm));
	for (int i = 0; i < BURST; i++) {
		iov[i].iov_base = pkt[i];
		iov[i].iov_len = PKT;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = sizeof(rbuf[i]);
		rm[i].msg_hdr.msg_iov = &riov[i];
		rm[i].msg_hdr.msg_iovlen = 1;
		memset(pkt[i], 0xd5, PKT);
		pkt[i][0] = 0x80;
		pkt[i][1] = 0; /* PT 0, PCMU */
	}
	t_end = wall_ns() + CAP_NS;
	while (sent < total && wall_ns() < t_end) {
		for (unsigned i = 0; i < k && sent < total; i++) {
			uint64_t c0;
			int n;

			for (int b = 0; b < BURST; b++) {
				rtp_put16(pkt[b] + 2, seq++);
				m[b].msg_hdr.msg_name = &s_in[i].u.ss;
				m[b].msg_hdr.msg_namelen = s_in[i].len;
			}
			n = sendmmsg(snd, m, BURST, 0);
			if (n > 0)
				sent += (unsigned)n;
			c0 = cpu_ns();
			media_relay_input(r, in[i], 0);
			relay_cpu += cpu_ns() - c0;
			while ((n = recvmmsg(sink, rm, BURST, MSG_DONTWAIT,
					     NULL)) > 0)
				got += (unsigned)n;
		}
	}
	{
		char name[64];

		snprintf(name, sizeof(name), "relay K=%u (%llu/%llu delivered)",
			 k, (unsigned long long)got,
			 (unsigned long long)sent);
		row(name, got ? (double)relay_cpu / (double)got : 0);
	}
	mem_deref(r);
	mem_deref(l);
	for (unsigned i = 0; i < k; i++)
		close(in[i]);
	close(snd);
	close(sink);
	close(out);
	free(in);
	free(s_in);
}

static srtp_t raw_ctx(enum rtp_srtp_suite s, const uint8_t *key, bool out)
{
	srtp_policy_t p;
	uint8_t k[RTP_SRTP_KEY_MAX];
	srtp_t ctx;

	memset(&p, 0, sizeof(p));
	memcpy(k, key, sizeof(k));
	switch (s) {
	case RTP_SRTP_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
		break;
	case RTP_SRTP_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
		break;
	case RTP_SRTP_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtp);
		break;
	default:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		break;
	}
	p.rtcp = p.rtp;
	p.key = k;
	p.ssrc.type = out ? ssrc_any_outbound : ssrc_any_inbound;
	p.window_size = 128;
	if (srtp_create(&ctx, &p))
		exit(1);
	return ctx;
}

#define NSRTP 100000

static void bench_srtp(enum rtp_srtp_suite s)
{
	static uint8_t plain[NSRTP][PKT], prot[NSRTP][PKT + 32];
	static size_t plen[NSRTP];
	uint8_t key[RTP_SRTP_KEY_MAX] = { 0 }, buf[PKT + 64];
	struct rtp_srtp *tx, *rx;
	uint64_t c0, ours_p, ours_u, raw_p, raw_u;
	srtp_t rtx, rrx;
	char name[80];

	rtp_srtp_key_gen(s, key);
	if (rtp_srtp_new(&tx, s, key, RTP_SRTP_OUT) ||
	    rtp_srtp_new(&rx, s, key, RTP_SRTP_IN))
		exit(1);
	rtx = raw_ctx(s, key, true);
	rrx = raw_ctx(s, key, false);
	for (unsigned i = 0; i < NSRTP; i++) {
		memset(plain[i], 0xd5, PKT);
		plain[i][0] = 0x80;
		rtp_put16(plain[i] + 2, (uint16_t)i);
		rtp_put32(plain[i] + 4, i * 160);
		rtp_put32(plain[i] + 8, 0x1234);
	}
	c0 = cpu_ns();
	for (unsigned i = 0; i < NSRTP; i++) {
		plen[i] = PKT;
		memcpy(prot[i], plain[i], PKT);
		rtp_srtp_protect(tx, prot[i], &plen[i], sizeof(prot[i]));
	}
	ours_p = cpu_ns() - c0;
	c0 = cpu_ns();
	for (unsigned i = 0; i < NSRTP; i++) {
		size_t n = plen[i];

		memcpy(buf, prot[i], n);
		if (rtp_srtp_unprotect(rx, buf, &n))
			exit(2);
	}
	ours_u = cpu_ns() - c0;
	/* libsrtp alone: a fresh pair of contexts, same packets */
	c0 = cpu_ns();
	for (unsigned i = 0; i < NSRTP; i++) {
		int n = PKT;

		memcpy(prot[i], plain[i], PKT);
		srtp_protect(rtx, prot[i], &n);
		plen[i] = (size_t)n;
	}
	raw_p = cpu_ns() - c0;
	c0 = cpu_ns();
	for (unsigned i = 0; i < NSRTP; i++) {
		int n = (int)plen[i];

		memcpy(buf, prot[i], plen[i]);
		if (srtp_unprotect(rrx, buf, &n))
			exit(2);
	}
	raw_u = cpu_ns() - c0;
	snprintf(name, sizeof(name), "%s protect", rtp_srtp_suite_name(s));
	row(name, (double)ours_p / NSRTP);
	snprintf(name, sizeof(name), "  libsrtp2 srtp_protect");
	row(name, (double)raw_p / NSRTP);
	snprintf(name, sizeof(name), "%s unprotect", rtp_srtp_suite_name(s));
	row(name, (double)ours_u / NSRTP);
	snprintf(name, sizeof(name), "  libsrtp2 srtp_unprotect");
	row(name, (double)raw_u / NSRTP);
	srtp_dealloc(rtx);
	srtp_dealloc(rrx);
	mem_deref(tx);
	mem_deref(rx);
}

int main(void)
{
	printf("bench_media_relay: 172-octet RTP, CPU ns per packet\n");
	bench_relay(1, 200000);
	bench_relay(100, 200000);
	bench_relay(1000, 200000);
	for (unsigned s = 0; s < RTP_SRTP_NSUITES; s++)
		bench_srtp(s);
	return 0;
}
