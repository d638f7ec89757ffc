// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/media/relay: two UDP peers on 127.0.0.1 exchange RTP and RTCP
 * through the relay, driven by struct tl_flow entries; rewrites, counters,
 * the slow path and RTP<->SRTP interworking checked packet by packet.
 * Every relay case runs twice (a Check loop test): _i = 0 on the epoll
 * I/O path, _i = 1 on the io_uring path, with the same expectations.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/flow.h"
#include "../../gateway/media/relay.h"
#include "../../gateway/media/rtp.h"
#include "../../gateway/media/rtp_srtp.h"
#include "tl_check.h"

struct slow_log {
	unsigned n;
	int fd[8];
	enum tl_flow_reason why[8];
	size_t len[8];
	uint8_t first[8];
	bool had_flow[8];
	uint16_t src_port[8];
};

static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	struct slow_log *l = arg;

	if (l->n >= 8)
		return;
	l->fd[l->n] = fd;
	l->why[l->n] = why;
	l->len[l->n] = len;
	l->first[l->n] = len > 1 ? pkt[1] : 0;
	l->had_flow[l->n] = flow != NULL;
	l->src_port[l->n] = ntohs(((const struct sockaddr_in *)src)->sin_port);
	l->n++;
}

static int udp_sock(struct sa *bound)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&in, sizeof(in)), 0);
	memset(bound, 0, sizeof(*bound));
	bound->len = sizeof(bound->u.ss);
	ck_assert_int_eq(getsockname(fd, &bound->u.sa, &bound->len), 0);
	return fd;
}

static void send_to(int fd, const struct sa *to, const void *p, size_t n)
{
	ck_assert_int_eq(sendto(fd, p, n, 0, &to->u.sa, to->len), (ssize_t)n);
}

static ssize_t recv_from(int fd, uint8_t *p, size_t n, struct sa *from)
{
	memset(from, 0, sizeof(*from));
	from->len = sizeof(from->u.ss);
	return recvfrom(fd, p, n, MSG_DONTWAIT, &from->u.sa, &from->len);
}

static size_t mk_rtp(uint8_t *p, uint8_t pt, uint16_t seq, uint32_t ts,
		     uint32_t ssrc, uint8_t fill)
{
	struct rtp_hdr h = { .pt = pt, .seq = seq, .ts = ts, .ssrc = ssrc };

	ck_assert_int_eq(rtp_hdr_encode(&h, p, 12), 12);
	memset(p + 12, fill, 160);
	return 172;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* the I/O path of loop iteration @i */
static const enum media_relay_io io_of[] = { MEDIA_RELAY_IO_EPOLL,
					     MEDIA_RELAY_IO_URING };
static const char *const io_name[] = { "epoll", "uring" };

/* A <-> [RA relay RB] <-> B */
struct rig {
	struct loop *loop;
	struct media_relay *r;
	struct slow_log slow;
	int a, b, ra, rb;
	struct sa sa_a, sa_b, sa_ra, sa_rb;
	struct tl_flow f_ab, f_ba;
};

static void rig_up(struct rig *g, int io)
{
	memset(g, 0, sizeof(*g));
	g->loop = loop_new();
	ck_assert_ptr_nonnull(g->loop);
	ck_assert_int_eq(media_relay_new_io(&g->r, g->loop, io_of[io], slow_h,
					    &g->slow), 0);
	ck_assert_str_eq(media_relay_io_name(g->r), io_name[io]);
	g->a = udp_sock(&g->sa_a);
	g->b = udp_sock(&g->sa_b);
	g->ra = udp_sock(&g->sa_ra);
	g->rb = udp_sock(&g->sa_rb);
	ck_assert_int_eq(media_relay_sock_add(g->r, g->ra), 0);
	ck_assert_int_eq(media_relay_sock_add(g->r, g->rb), 0);
	ck_assert_int_eq(media_relay_sock_add(g->r, g->rb), -EEXIST);

	/* A -> B: only from A, PCMU/PCMA forwarded, rewrite SSRC/seq/ts */
	media_flow_init(&g->f_ab);
	media_flow_ep_from_sa(&g->f_ab.key.local, &g->sa_ra);
	media_flow_ep_from_sa(&g->f_ab.key.src, &g->sa_a);
	media_flow_ep_from_sa(&g->f_ab.action.new_src, &g->sa_rb);
	media_flow_ep_from_sa(&g->f_ab.action.new_dst, &g->sa_b);
	g->f_ab.action.flags = TL_FLOW_F_SSRC | TL_FLOW_F_SEQ | TL_FLOW_F_TS |
			       TL_FLOW_F_RTCP_MUX;
	g->f_ab.action.ssrc = 0x0badcafe;
	g->f_ab.action.seq_off = 1000;
	g->f_ab.action.ts_off = 0xfffffff0u;
	media_flow_pt_forward_only(&g->f_ab.action, (const uint8_t[]){ 0, 8 },
				   2);
	/* B -> A: any source, everything forwarded, RTCP to userspace */
	media_flow_init(&g->f_ba);
	media_flow_ep_from_sa(&g->f_ba.key.local, &g->sa_rb);
	media_flow_ep_from_sa(&g->f_ba.action.new_src, &g->sa_ra);
	media_flow_ep_from_sa(&g->f_ba.action.new_dst, &g->sa_a);
	g->f_ba.action.flags = TL_FLOW_F_RTCP_MUX;
	g->f_ba.action.rtcp = TL_FLOW_RTCP_USER;
	ck_assert_int_eq(media_relay_flow_set(g->r, &g->f_ab), 0);
	ck_assert_int_eq(media_relay_flow_set(g->r, &g->f_ba), 0);
}

static void rig_down(struct rig *g)
{
	g->r = mem_deref(g->r);
	g->loop = mem_deref(g->loop);
	close(g->a);
	close(g->b);
	close(g->ra);
	close(g->rb);
}

START_TEST(relay_rewrite_and_counters)
{
	struct tl_flow_counters c;
	uint8_t p[256], q[256];
	struct rig g;
	struct sa from;
	uint64_t t0;

	rig_up(&g, _i);
	t0 = mono_ns();
	for (uint16_t i = 0; i < 10; i++) {
		size_t n = mk_rtp(p, i & 1 ? 8 : 0, (uint16_t)(65530 + i),
				  1000 + i * 160u, 0x11111111, (uint8_t)i);

		send_to(g.a, &g.sa_ra, p, n);
	}
	ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), 10);
	for (uint16_t i = 0; i < 10; i++) {
		struct rtp_hdr h;

		ck_assert_int_eq(recv_from(g.b, q, sizeof(q), &from), 172);
		/* sent from the relay's B-side socket */
		ck_assert(sa_eq(&from, &g.sa_rb));
		ck_assert_int_eq(rtp_hdr_decode(&h, q, 172), 0);
		ck_assert_uint_eq(h.pt, i & 1 ? 8 : 0);
		ck_assert_uint_eq(h.ssrc, 0x0badcafe);
		ck_assert_uint_eq(h.seq, (uint16_t)(65530 + i + 1000));
		ck_assert_uint_eq(h.ts, 1000 + i * 160u - 16);
		ck_assert_uint_eq(q[12], i);
		ck_assert_uint_eq(q[171], i);
	}
	ck_assert_int_lt(recv_from(g.b, q, sizeof(q), &from), 0);
	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ab.key.local,
						   &c), 0);
	ck_assert_uint_eq(c.packets, 10);
	ck_assert_uint_eq(c.bytes, 1720);
	ck_assert_uint_ge(c.last_ns, t0);
	ck_assert_uint_le(c.last_ns, mono_ns());
	ck_assert_uint_eq(g.slow.n, 0);

	/* the other way: no rewrite, source seen as RA */
	mk_rtp(p, 96, 7, 8, 9, 0x42);
	send_to(g.b, &g.sa_rb, p, 172);
	/* through the loop this time */
	ck_assert_int_ge(loop_poll(g.loop, 100), 1);
	ck_assert_int_eq(recv_from(g.a, q, sizeof(q), &from), 172);
	ck_assert(sa_eq(&from, &g.sa_ra));
	ck_assert_mem_eq(q, p, 172);
	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ba.key.local,
						   &c), 0);
	ck_assert_uint_eq(c.packets, 1);
	rig_down(&g);
}
END_TEST

START_TEST(relay_rtcp_and_slow_path)
{
	/* SR with no report blocks: 28 octets */
	static const uint8_t sr[28] = { 0x80, 200, 0, 6, 0, 0, 0, 1 };
	struct tl_flow_counters c;
	uint8_t p[256], q[256];
	struct sa from, sa_c;
	struct rig g;
	int fd_c;

	rig_up(&g, _i);
	fd_c = udp_sock(&sa_c);
	/* RTCP on the mux port is forwarded untouched A -> B */
	send_to(g.a, &g.sa_ra, sr, sizeof(sr));
	/* unknown payload type 101 (telephone-event): slow path */
	mk_rtp(p, 101, 1, 2, 3, 0);
	send_to(g.a, &g.sa_ra, p, 172);
	/* a new source for A's flow: slow path */
	mk_rtp(p, 0, 1, 2, 3, 0);
	send_to(fd_c, &g.sa_ra, p, 172);
	/* malformed: too short for RTP */
	send_to(g.a, &g.sa_ra, "\x80\x00\x01", 3);
	/* then a good one, which must still be forwarded */
	mk_rtp(p, 0, 5, 6, 7, 0x77);
	send_to(g.a, &g.sa_ra, p, 172);
	ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), 5);

	ck_assert_int_eq(recv_from(g.b, q, sizeof(q), &from), 28);
	ck_assert_mem_eq(q, sr, 28);
	ck_assert_int_eq(recv_from(g.b, q, sizeof(q), &from), 172);
	ck_assert_uint_eq(q[12], 0x77);
	ck_assert_int_lt(recv_from(g.b, q, sizeof(q), &from), 0);

	ck_assert_uint_eq(g.slow.n, 3);
	ck_assert_int_eq(g.slow.why[0], TL_FLOW_R_PT);
	ck_assert_uint_eq(g.slow.first[0], 101);
	ck_assert_uint_eq(g.slow.len[0], 172);
	ck_assert_int_eq(g.slow.fd[0], g.ra);
	ck_assert_int_eq(g.slow.why[1], TL_FLOW_R_SOURCE);
	ck_assert_uint_eq(g.slow.src_port[1], sa_port(&sa_c));
	ck_assert_int_eq(g.slow.why[2], TL_FLOW_R_MALFORMED);
	ck_assert_uint_eq(g.slow.len[2], 3);
	ck_assert(g.slow.had_flow[2]);

	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ab.key.local,
						   &c), 0);
	ck_assert_uint_eq(c.packets, 2);
	ck_assert_uint_eq(c.bytes, 28 + 172);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_PT], 1);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_SOURCE], 1);
	ck_assert_uint_eq(c.punt[TL_FLOW_R_MALFORMED], 1);

	/* RTCP on B's flow goes to userspace (rtcp = USER) */
	send_to(g.b, &g.sa_rb, sr, sizeof(sr));
	ck_assert_int_eq(media_relay_input(g.r, g.rb, 0), 1);
	ck_assert_uint_eq(g.slow.n, 4);
	ck_assert_int_eq(g.slow.why[3], TL_FLOW_R_RTCP);
	ck_assert_int_lt(recv_from(g.a, q, sizeof(q), &from), 0);

	/* no flow at all: passed up without one */
	ck_assert_int_eq(media_relay_flow_del(g.r, &g.f_ba.key.local), 0);
	ck_assert_int_eq(media_relay_flow_del(g.r, &g.f_ba.key.local),
			 -ENOENT);
	send_to(g.b, &g.sa_rb, p, 172);
	ck_assert_int_eq(media_relay_input(g.r, g.rb, 0), 1);
	ck_assert_uint_eq(g.slow.n, 5);
	ck_assert_int_eq(g.slow.why[4], TL_FLOW_R_OTHER);
	ck_assert(!g.slow.had_flow[4]);

	/* a bad flow is refused: version, padding */
	g.f_ba.version = 2;
	ck_assert_int_eq(media_relay_flow_set(g.r, &g.f_ba), -EINVAL);
	g.f_ba.version = TL_FLOW_VERSION;
	g.f_ba.action.pad0 = 1;
	ck_assert_int_eq(media_relay_flow_set(g.r, &g.f_ba), -EINVAL);
	close(fd_c);
	rig_down(&g);
}
END_TEST

START_TEST(relay_srtp_interworking)
{
	uint8_t key[RTP_SRTP_KEY_MAX];
	struct rtp_srtp *a_tx, *a_rx, *r_rx, *r_tx;
	struct tl_flow_counters c;
	uint8_t p[256], q[256];
	struct sa from;
	struct rig g;

	rig_up(&g, _i);
	/* leg A speaks SRTP with one SDES key per direction (same here) */
	ck_assert_int_eq(rtp_srtp_key_gen(RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
					  key), 0);
	ck_assert_int_eq(rtp_srtp_new(&a_tx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      key, RTP_SRTP_OUT), 0);
	ck_assert_int_eq(rtp_srtp_new(&a_rx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      key, RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_new(&r_rx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      key, RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_new(&r_tx, RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
				      key, RTP_SRTP_OUT), 0);
	g.f_ab.action.flags |= TL_FLOW_F_SRTP_IN;
	g.f_ab.action.srtp_in = 1;
	g.f_ba.action.flags |= TL_FLOW_F_SRTP_OUT;
	g.f_ba.action.srtp_out = 2;
	ck_assert_int_eq(media_relay_flow_set(g.r, &g.f_ab), 0);
	ck_assert_int_eq(media_relay_flow_set(g.r, &g.f_ba), 0);
	ck_assert_int_eq(media_relay_flow_srtp(g.r, &g.f_ab.key.local, r_rx,
					       NULL), 0);
	ck_assert_int_eq(media_relay_flow_srtp(g.r, &g.f_ba.key.local, NULL,
					       r_tx), 0);
	/* the relay holds its own references */
	r_rx = mem_deref(r_rx);
	r_tx = mem_deref(r_tx);

	for (int i = 0; i < 5; i++) {
		size_t n = mk_rtp(p, 0, (uint16_t)i, (uint32_t)i * 160, 0xa,
				  (uint8_t)(0x10 + i));
		struct rtp_hdr h;

		/* A -> relay: SRTP; relay -> B: RTP with the same payload */
		ck_assert_int_eq(rtp_srtp_protect(a_tx, p, &n, sizeof(p)), 0);
		ck_assert_uint_eq(n, 182);
		send_to(g.a, &g.sa_ra, p, n);
		ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), 1);
		ck_assert_int_eq(recv_from(g.b, q, sizeof(q), &from), 172);
		ck_assert_int_eq(rtp_hdr_decode(&h, q, 172), 0);
		ck_assert_uint_eq(h.ssrc, 0x0badcafe);
		for (int k = 12; k < 172; k++)
			ck_assert_uint_eq(q[k], 0x10 + i);

		/* B -> relay: RTP; relay -> A: SRTP that A can open */
		n = mk_rtp(p, 8, (uint16_t)(100 + i), (uint32_t)i * 160, 0xb,
			   (uint8_t)(0x20 + i));
		send_to(g.b, &g.sa_rb, p, n);
		ck_assert_int_eq(media_relay_input(g.r, g.rb, 0), 1);
		ck_assert_int_eq(recv_from(g.a, q, sizeof(q), &from), 182);
		n = 182;
		ck_assert_int_eq(rtp_srtp_unprotect(a_rx, q, &n), 0);
		ck_assert_uint_eq(n, 172);
		ck_assert_mem_eq(q, p, 172);
	}
	/* a tampered SRTP packet is dropped and counted, not forwarded */
	{
		size_t n = mk_rtp(p, 0, 50, 0, 0xa, 0);

		ck_assert_int_eq(rtp_srtp_protect(a_tx, p, &n, sizeof(p)), 0);
		p[20] ^= 0x80;
		send_to(g.a, &g.sa_ra, p, n);
		ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), 1);
		ck_assert_int_lt(recv_from(g.b, q, sizeof(q), &from), 0);
	}
	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ab.key.local,
						   &c), 0);
	ck_assert_uint_eq(c.packets, 5);
	ck_assert_uint_eq(c.drop[TL_FLOW_R_SRTP], 1);
	ck_assert_uint_eq(g.slow.n, 0);
	mem_deref(a_tx);
	mem_deref(a_rx);
	rig_down(&g);
}
END_TEST

START_TEST(flow_abi)
{
	struct tl_flow f;
	struct sa s6, back;

	/* the sizes the kernel and BPF sides are built against */
	ck_assert_uint_eq(sizeof(struct tl_flow), 148);
	ck_assert_uint_eq(sizeof(struct tl_flow_counters), 152);
	media_flow_init(&f);
	ck_assert_uint_eq(f.version, TL_FLOW_VERSION);
	ck_assert_int_eq(sa_set_ip(&s6, "fd00::1", 4000), 0);
	ck_assert_int_eq(media_flow_ep_from_sa(&f.key.local, &s6), 0);
	ck_assert_uint_eq(f.key.local.family, TL_FLOW_FAM_IPV6);
	ck_assert_uint_eq(f.key.local.port, htons(4000));
	ck_assert_int_eq(media_flow_ep_to_sa(&back, &f.key.local), 0);
	ck_assert(sa_eq(&back, &s6));
	media_flow_pt_forward_only(&f.action, (const uint8_t[]){ 0, 101 }, 2);
	ck_assert(!media_flow_pt_user(&f.action, 0));
	ck_assert(!media_flow_pt_user(&f.action, 101));
	ck_assert(media_flow_pt_user(&f.action, 8));
	ck_assert(media_flow_pt_user(&f.action, 127));
	/* no destination yet */
	ck_assert_int_eq(media_flow_check(&f), -EINVAL);
	f.action.new_src = f.key.local;
	f.action.new_dst = f.key.local;
	ck_assert_int_eq(media_flow_check(&f), 0);
	f.action.flags = TL_FLOW_F_SRTP_IN; /* without a context id */
	ck_assert_int_eq(media_flow_check(&f), -EINVAL);
}
END_TEST

/*
 * NS streams at once, NS * NPS packets queued before the relay runs, far
 * more than the io_uring path's receive buffers: every stream still gets
 * every packet, in order (a receive that ran out of buffers is re-armed,
 * nothing is starved).
 */
#define NS 40
#define NPS 200

START_TEST(relay_many_streams)
{
	struct loop *l = loop_new();
	struct media_relay *r;
	struct slow_log slow = { 0 };
	int in[NS], out[NS], rcv[NS], snd;
	struct sa sa_in[NS], sa_out[NS], sa_rcv[NS], sa_snd;
	unsigned got[NS] = { 0 }, total = 0;
	struct media_relay_stats st;
	uint8_t p[256], q[256];
	struct sa from;
	ssize_t n;
	int sz = 1 << 20;

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(media_relay_new_io(&r, l, io_of[_i], slow_h, &slow),
			 0);
	snd = udp_sock(&sa_snd);
	for (int i = 0; i < NS; i++) {
		struct tl_flow f;

		in[i] = udp_sock(&sa_in[i]);
		out[i] = udp_sock(&sa_out[i]);
		/* one sink per stream: a burst fits in its buffer */
		rcv[i] = udp_sock(&sa_rcv[i]);
		setsockopt(in[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(rcv[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		ck_assert_int_eq(media_relay_sock_add(r, in[i]), 0);
		ck_assert_int_eq(media_relay_sock_add(r, out[i]), 0);
		media_flow_init(&f);
		media_flow_ep_from_sa(&f.key.local, &sa_in[i]);
		media_flow_ep_from_sa(&f.key.src, &sa_snd);
		media_flow_ep_from_sa(&f.action.new_src, &sa_out[i]);
		media_flow_ep_from_sa(&f.action.new_dst, &sa_rcv[i]);
		f.action.flags = TL_FLOW_F_SSRC;
		f.action.ssrc = (uint32_t)i;
		ck_assert_int_eq(media_relay_flow_set(r, &f), 0);
	}
	/* round-robin over the streams, as they arrive at a gateway */
	for (int k = 0; k < NPS; k++)
		for (int i = 0; i < NS; i++) {
			mk_rtp(p, 0, (uint16_t)k, 0, 0, (uint8_t)k);
			send_to(snd, &sa_in[i], p, 172);
		}
	/* the loop only, in bounded wake-ups, draining the sink as it goes */
	for (int w = 0; w < 2000 && total < NS * NPS; w++) {
		loop_poll(l, 10);
		for (int i = 0; i < NS; i++)
			while ((n = recv_from(rcv[i], q, sizeof(q), &from)) >
			       0) {
				struct rtp_hdr h;

				ck_assert_int_eq(n, 172);
				ck_assert_int_eq(rtp_hdr_decode(&h, q, 172),
						 0);
				ck_assert_uint_eq(h.ssrc, i);
				/* in order within a stream */
				ck_assert_uint_eq(h.seq, got[i]);
				ck_assert_uint_eq(q[12], got[i]);
				got[i]++;
				total++;
			}
	}
	for (int i = 0; i < NS; i++) {
		struct tl_flow_counters c;
		struct tl_flow_ep ep;

		ck_assert_uint_eq(got[i], NPS);
		media_flow_ep_from_sa(&ep, &sa_in[i]);
		ck_assert_int_eq(media_relay_flow_counters(r, &ep, &c), 0);
		ck_assert_uint_eq(c.packets, NPS);
		ck_assert_uint_eq(c.bytes, NPS * 172);
	}
	ck_assert_uint_eq(slow.n, 0);
	media_relay_stats(r, &st);
	ck_assert_uint_gt(st.wakeups, 0);
	ck_assert_uint_gt(st.syscalls, 0);
	/* the burst is more than the ring's buffers: some receives ran out
	 * and were re-armed (the path this case is about) */
	if (io_of[_i] == MEDIA_RELAY_IO_URING)
		ck_assert_uint_gt(st.nobufs, 0);
	else
		ck_assert_uint_eq(st.nobufs, 0);
	mem_deref(r);
	mem_deref(l);
	for (int i = 0; i < NS; i++) {
		close(in[i]);
		close(out[i]);
		close(rcv[i]);
	}
	close(snd);
}
END_TEST

/*
 * A socket taken back from the relay is really let go: its owner closes
 * it and binds its port again at once, and the new socket is served.
 */
START_TEST(relay_sock_del_rebind)
{
	struct tl_flow_counters c;
	struct sockaddr_in in;
	uint8_t p[256], q[256];
	struct sa from;
	struct rig g;

	rig_up(&g, _i);
	media_relay_sock_del(g.r, g.ra);
	/* flows keyed on it or sending from it are gone */
	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ab.key.local,
						   &c), -ENOENT);
	ck_assert_int_eq(media_relay_flow_counters(g.r, &g.f_ba.key.local,
						   &c), -ENOENT);
	close(g.ra);
	memcpy(&in, &g.sa_ra.u.sa, sizeof(in));
	g.ra = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(g.ra, 0);
	ck_assert_int_eq(bind(g.ra, (struct sockaddr *)&in, sizeof(in)), 0);
	ck_assert_int_eq(media_relay_sock_add(g.r, g.ra), 0);
	ck_assert_int_eq(media_relay_flow_set(g.r, &g.f_ab), 0);
	mk_rtp(p, 0, 1, 2, 3, 0x55);
	send_to(g.a, &g.sa_ra, p, 172);
	ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), 1);
	ck_assert_int_eq(recv_from(g.b, q, sizeof(q), &from), 172);
	ck_assert_uint_eq(q[12], 0x55);
	/* not served any more: -ENOENT */
	media_relay_sock_del(g.r, g.ra);
	ck_assert_int_eq(media_relay_input(g.r, g.ra, 0), -ENOENT);
	rig_down(&g);
}
END_TEST

/* drive the loop until @want packets reached @fd or 200 polls; the
 * packets received, whose RTP sequence numbers must follow @seq0 */
static unsigned poll_recv(struct rig *g, int fd, unsigned want,
			  uint16_t seq0)
{
	unsigned got = 0;
	uint8_t q[256];
	struct sa from;

	for (int w = 0; w < 200 && got < want; w++) {
		struct rtp_hdr h;

		loop_poll(g->loop, 10);
		while (recv_from(fd, q, sizeof(q), &from) == 172) {
			ck_assert_int_eq(rtp_hdr_decode(&h, q, 172), 0);
			ck_assert_uint_eq(h.seq, (uint16_t)(seq0 + got));
			got++;
		}
	}
	return got;
}

/*
 * Coalesced wake-ups (io_uring path): packets further apart than the
 * period each wake the relay at once and never start the ticks; a burst
 * (wake-ups closer together than the period) is taken by ticks, not a
 * wake-up per packet; after two empty ticks the relay waits per arrival
 * again (no ticks while idle). The epoll path refuses it.
 */
START_TEST(relay_coalesce)
{
	struct media_relay_stats s0, s1;
	struct rig g;
	uint8_t p[256], q[256];
	struct sa from;

	rig_up(&g, 0);
	ck_assert_int_eq(media_relay_set_coalesce(g.r, 100), -ENOTSUP);
	ck_assert_int_eq(media_relay_set_coalesce(g.r, 0), 0);
	rig_down(&g);

	rig_up(&g, 1);
	ck_assert_int_eq(media_relay_set_coalesce(g.r, 10001), -EINVAL);
	ck_assert_int_eq(media_relay_set_coalesce(g.r, 5000), 0);
	/* B -> A forwards unchanged: seq as sent */
	mk_rtp(p, 0, 100, 0, 1, 0);
	send_to(g.b, &g.sa_rb, p, 172);
	/* at once, by the wake-up that the packet caused (the ticks only
	 * start with it) */
	ck_assert_int_eq(loop_poll(g.loop, 1000), 1);
	ck_assert_int_eq(recv_from(g.a, q, sizeof(q), &from), 172);
	ck_assert_mem_eq(q, p, 172);
	media_relay_stats(g.r, &s0);
	ck_assert_uint_eq(s0.wakeups, 1);
	/* a quiet call: packets 30 ms apart, six times the period, each
	 * relayed by its own wake-up; the ticks never start */
	for (uint16_t i = 0; i < 5; i++) {
		usleep(30000);
		mk_rtp(p, 0, (uint16_t)(201 + i), 0, 1, 0);
		send_to(g.b, &g.sa_rb, p, 172);
		ck_assert_uint_eq(poll_recv(&g, g.a, 1, (uint16_t)(201 + i)),
				  1);
	}
	media_relay_stats(g.r, &s1);
	ck_assert_uint_eq(s1.polls, 0);
	ck_assert_uint_eq(s1.wakeups, 6);
	s0 = s1;
	/* packets one by one, the loop looking in after each: without
	 * coalescing each would be a wake-up of its own */
	for (uint16_t i = 0; i < 20; i++) {
		mk_rtp(p, 0, (uint16_t)(101 + i), 0, 1, 0);
		send_to(g.b, &g.sa_rb, p, 172);
		loop_poll(g.loop, 0);
	}
	ck_assert_uint_eq(poll_recv(&g, g.a, 20, 101), 20);
	media_relay_stats(g.r, &s1);
	ck_assert_uint_ge(s1.polls, 1);
	/* the eventfd is off while ticking: after the two wake-ups that
	 * started it the packets took a tick (a few if the host stalled
	 * us), not twenty wake-ups */
	ck_assert_uint_le(s1.wakeups - s0.wakeups, 5);
	/* quiet: two empty ticks, then no more ticks */
	for (int w = 0; w < 10; w++)
		loop_poll(g.loop, 10);
	media_relay_stats(g.r, &s0);
	for (int w = 0; w < 3; w++)
		loop_poll(g.loop, 10);
	media_relay_stats(g.r, &s1);
	ck_assert_uint_eq(s1.wakeups, s0.wakeups);
	/* and the next packet wakes it at once again; a burst after it
	 * starts the ticks again */
	mk_rtp(p, 0, 121, 0, 1, 0);
	send_to(g.b, &g.sa_rb, p, 172);
	ck_assert_uint_eq(poll_recv(&g, g.a, 1, 121), 1);
	media_relay_stats(g.r, &s0);
	for (uint16_t i = 0; i < 3; i++) {
		mk_rtp(p, 0, (uint16_t)(122 + i), 0, 1, 0);
		send_to(g.b, &g.sa_rb, p, 172);
		loop_poll(g.loop, 0);
	}
	ck_assert_uint_eq(poll_recv(&g, g.a, 3, 122), 3);
	media_relay_stats(g.r, &s1);
	ck_assert_uint_ge(s1.polls, s0.polls + 1);
	/* turned off while ticking: back to a wake-up per arrival */
	for (uint16_t i = 0; i < 3; i++) {
		mk_rtp(p, 0, (uint16_t)(125 + i), 0, 1, 0);
		send_to(g.b, &g.sa_rb, p, 172);
	}
	ck_assert_int_eq(media_relay_set_coalesce(g.r, 0), 0);
	ck_assert_uint_eq(poll_recv(&g, g.a, 3, 125), 3);
	media_relay_stats(g.r, &s0);
	for (int w = 0; w < 3; w++)
		loop_poll(g.loop, 10);
	media_relay_stats(g.r, &s1);
	ck_assert_uint_eq(s1.wakeups, s0.wakeups);
	ck_assert_uint_eq(g.slow.n, 0);
	rig_down(&g);
}
END_TEST

/* auto takes io_uring exactly when "uring" can be had, else epoll */
START_TEST(relay_io_choice)
{
	struct loop *l = loop_new();
	struct media_relay *r;
	int uring;

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(media_relay_new(&r, l, slow_h, NULL), 0);
	ck_assert_str_eq(media_relay_io_name(r), "epoll");
	ck_assert_uint_eq(loop_nfds(l), 0);
	r = mem_deref(r);
	uring = media_relay_new_io(&r, l, MEDIA_RELAY_IO_URING, slow_h, NULL);
	if (!uring) {
		ck_assert_str_eq(media_relay_io_name(r), "uring");
		/* its wake-up eventfd is the relay's only fd on the loop */
		ck_assert_uint_eq(loop_nfds(l), 1);
		r = mem_deref(r);
	} else {
		ck_assert_int_lt(uring, 0);
	}
	ck_assert_uint_eq(loop_nfds(l), 0);
	ck_assert_int_eq(media_relay_new_io(&r, l, MEDIA_RELAY_IO_AUTO,
					    slow_h, NULL), 0);
	ck_assert_str_eq(media_relay_io_name(r), uring ? "epoll" : "uring");
	r = mem_deref(r);
	ck_assert_uint_eq(loop_nfds(l), 0);
	mem_deref(l);
}
END_TEST

Suite *relay_suite(void)
{
	Suite *s = suite_create("relay");
	TCase *tc = tl_tcase(s, "relay");

	tcase_add_test(tc, flow_abi);
	tcase_add_loop_test(tc, relay_rewrite_and_counters, 0, 2);
	tcase_add_loop_test(tc, relay_rtcp_and_slow_path, 0, 2);
	tcase_add_loop_test(tc, relay_srtp_interworking, 0, 2);
	tcase_add_loop_test(tc, relay_many_streams, 0, 2);
	tcase_add_loop_test(tc, relay_sock_del_rebind, 0, 2);
	tcase_add_test(tc, relay_io_choice);
	tcase_add_test(tc, relay_coalesce);
	return s;
}
