// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/media/portpool + rtpsess: real UDP sockets on 127.0.0.1 and
 * ::1, a real loop. Two sessions talk; headers, continuity, latching,
 * RTCP (RTT, loss), SRTP and the port pool are checked packet by packet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/portpool.h"
#include "../../gateway/media/rtp_srtp.h"
#include "../../gateway/media/rtpsess.h"
#include "tl_check.h"

/* A port range of @npairs pairs that binds on both loopbacks right now:
 * the tests share the machine with others. */
static uint16_t free_range(unsigned npairs)
{
	for (unsigned tries = 0; tries < 200; tries++) {
		uint16_t base = (uint16_t)(30000 +
			((getpid() * 7919u + tries * 613u) % 15000) * 2);
		bool ok = true;

		for (unsigned i = 0; ok && i < 2 * npairs; i++) {
			const char *ips[2] = { "127.0.0.1", "::1" };

			for (int k = 0; ok && k < 2; k++) {
				struct sa a;
				int fd;

				sa_set_ip(&a, ips[k], (uint16_t)(base + i));
				fd = socket(sa_af(&a), SOCK_DGRAM, 0);
				ok = fd >= 0 && !bind(fd, &a.u.sa, a.len);
				if (fd >= 0)
					close(fd);
			}
		}
		if (ok)
			return base;
	}
	ck_abort_msg("no free port range");
	return 0;
}

static struct media_ports *pool(unsigned npairs)
{
	struct media_ports *p;
	uint16_t base = free_range(npairs);

	ck_assert_int_eq(media_ports_new(&p, base,
					 (uint16_t)(base + 2 * npairs - 1)),
			 0);
	return p;
}

#define MAXPK 64

struct rx_log {
	unsigned n;
	struct rtp_hdr h[MAXPK];
	uint8_t pay[MAXPK][32];
	size_t len[MAXPK];
	unsigned ev[8]; /* per enum rtp_sess_event */
};

static void recv_h(const struct rtp_hdr *h, const uint8_t *payload,
		   size_t len, void *arg)
{
	struct rx_log *l = arg;

	if (l->n >= MAXPK)
		return;
	l->h[l->n] = *h;
	l->h[l->n].ext_data = NULL;
	memcpy(l->pay[l->n], payload, len < 32 ? len : 32);
	l->len[l->n] = len;
	l->n++;
}

static void event_h(enum rtp_sess_event ev, void *arg)
{
	struct rx_log *l = arg;

	l->ev[ev]++;
}

static void params(struct rtp_sess_params *p, struct media_ports *ports,
		   const char *ip, struct rx_log *log)
{
	memset(p, 0, sizeof(*p));
	p->ports = ports;
	sa_set_ip(&p->local, ip, 0);
	p->recvh = recv_h;
	p->eventh = event_h;
	p->arg = log;
	p->pt[0] = 0;
	p->pt[1] = 101;
	p->npt = 2;
}

/* Run the loops for @ms of wall time (bounded: one poll per ms at most) */
static void pump2(struct loop *a, struct loop *b, unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	for (unsigned i = 0; i < ms + 10 && loop_now_ms() < end; i++) {
		loop_poll(a, 1);
		if (b)
			loop_poll(b, 0);
	}
}

static void pump(struct loop *l, unsigned ms)
{
	pump2(l, NULL, ms);
}

static int send_n(struct rtp_sess *s, unsigned n, uint32_t ts0, uint8_t tag)
{
	uint8_t pay[20];
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++) {
		memset(pay, tag + i, sizeof(pay));
		err = rtp_sess_send(s, 0, false, ts0 + i * 160, pay,
				    sizeof(pay));
	}
	return err;
}

static int plain_sock(const char *ip, struct sa *bound)
{
	struct sa a;
	int fd;

	sa_set_ip(&a, ip, 0);
	fd = socket(sa_af(&a), SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, &a.u.sa, a.len), 0);
	memset(bound, 0, sizeof(*bound));
	bound->len = sizeof(bound->u.ss);
	ck_assert_int_eq(getsockname(fd, &bound->u.sa, &bound->len), 0);
	return fd;
}

static void raw_rtp(int fd, const struct sa *to, uint8_t pt, uint16_t seq,
		    uint32_t ssrc)
{
	uint8_t p[32] = { 0 };
	struct rtp_hdr h = { .pt = pt, .seq = seq, .ts = seq * 160u,
			     .ssrc = ssrc };

	ck_assert_int_eq(rtp_hdr_encode(&h, p, sizeof(p)), 12);
	ck_assert_int_eq(sendto(fd, p, 32, 0, &to->u.sa, to->len), 32);
}

static uint16_t sock_port(int fd)
{
	struct sa a = { .len = sizeof(a.u.ss) };

	ck_assert_int_eq(getsockname(fd, &a.u.sa, &a.len), 0);
	return sa_port(&a);
}

/* ---- port pool --------------------------------------------------------- */

START_TEST(ports_alloc_exhaust_reuse)
{
	struct media_ports *p = pool(4);
	struct media_ports_lease l[4], x;
	struct sa v4, v6, blk;
	uint16_t base;
	int blocker;

	sa_set_ip(&v4, "127.0.0.1", 0);
	sa_set_ip(&v6, "::1", 0);
	ck_assert_uint_eq(media_ports_capacity(p), 4);
	/* someone else holds the third pair's RTCP port */
	ck_assert_int_eq(media_ports_alloc(p, &v4, false, &l[0]), 0);
	base = l[0].port;
	ck_assert_uint_eq(base % 2, 0);
	ck_assert_uint_eq(sock_port(l[0].rtcp_fd), base + 1);
	sa_set_ip(&blk, "127.0.0.1", (uint16_t)(base + 5));
	blocker = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(bind(blocker, &blk.u.sa, blk.len), 0);

	ck_assert_int_eq(media_ports_alloc(p, &v4, false, &l[1]), 0);
	ck_assert_uint_eq(l[1].port, base + 2);
	ck_assert_int_eq(media_ports_alloc(p, &v4, false, &l[2]), 0);
	ck_assert_uint_eq(l[2].port, base + 6); /* base+4 skipped */
	ck_assert_uint_eq(media_ports_busy_skips(p), 1);
	ck_assert_uint_eq(media_ports_in_use(p), 3);
	ck_assert_int_eq(media_ports_alloc(p, &v4, false, &x), -EADDRNOTAVAIL);
	ck_assert_int_eq(x.rtp_fd, -1);
	ck_assert_uint_eq(media_ports_busy_skips(p), 2);

	/* the blocker goes: its pair is free again, on IPv6 with mux */
	close(blocker);
	ck_assert_int_eq(media_ports_alloc(p, &v6, true, &l[3]), 0);
	ck_assert_uint_eq(l[3].port, base + 4);
	ck_assert_int_eq(l[3].rtcp_fd, -1);
	ck_assert_int_eq(sa_af(&l[3].local), AF_INET6);
	ck_assert_uint_eq(sock_port(l[3].rtp_fd), base + 4);
	ck_assert_uint_eq(media_ports_in_use(p), 4);

	/* release and reuse */
	media_ports_release(p, &l[1]);
	ck_assert_int_eq(l[1].rtp_fd, -1);
	ck_assert_uint_eq(media_ports_in_use(p), 3);
	ck_assert_int_eq(media_ports_alloc(p, &v4, false, &x), 0);
	ck_assert_uint_eq(x.port, base + 2);
	media_ports_release(p, &x);
	media_ports_release(p, &x); /* an empty lease: no-op */
	for (int i = 0; i < 4; i++)
		if (i != 1)
			media_ports_release(p, &l[i]);
	ck_assert_uint_eq(media_ports_in_use(p), 0);
	mem_deref(p);
}
END_TEST

START_TEST(ports_bad_range)
{
	struct media_ports *p = NULL;

	ck_assert_int_eq(media_ports_new(&p, 2001, 2002), -EINVAL);
	ck_assert_int_eq(media_ports_new(&p, 0, 100), -EINVAL);
	ck_assert_int_eq(media_ports_new(&p, 2001, 2003), 0);
	ck_assert_uint_eq(media_ports_capacity(p), 1);
	mem_deref(p);
}
END_TEST

/* ---- two sessions ------------------------------------------------------ */

struct pair {
	struct loop *la, *lb;
	struct media_ports *ports;
	struct rx_log ra, rb;
	struct rtp_sess *a, *b;
};

static void pair_up(struct pair *g, const char *ip, bool mux, bool two)
{
	struct rtp_sess_params pa, pb;

	memset(g, 0, sizeof(*g));
	g->la = loop_new();
	g->lb = two ? loop_new() : mem_ref(g->la);
	g->ports = pool(8);
	params(&pa, g->ports, ip, &g->ra);
	params(&pb, g->ports, ip, &g->rb);
	pa.rtcp_mux = pb.rtcp_mux = mux;
	ck_assert_int_eq(rtp_sess_new(&g->b, g->lb, &pb), 0);
	pa.remote = *rtp_sess_local(g->b);
	ck_assert_int_eq(rtp_sess_new(&g->a, g->la, &pa), 0);
	rtp_sess_set_remote(g->b, rtp_sess_local(g->a), NULL);
}

static void pair_down(struct pair *g)
{
	mem_deref(g->a);
	mem_deref(g->b);
	mem_deref(g->ports);
	mem_deref(g->la);
	mem_deref(g->lb);
}

static void check_stream(const struct rx_log *l, unsigned from, unsigned n,
			 uint32_t ssrc)
{
	for (unsigned i = from + 1; i < from + n; i++) {
		ck_assert_uint_eq(l->h[i].ssrc, ssrc);
		ck_assert_uint_eq(l->h[i].seq, (uint16_t)(l->h[i - 1].seq + 1));
		ck_assert_uint_eq(l->h[i].ts, l->h[i - 1].ts + 160);
		ck_assert_uint_eq(l->h[i].pt, 0);
	}
}

static void both_ways(const char *ip, bool mux)
{
	struct rtp_sess_stats sa, sb;
	struct pair g;

	pair_up(&g, ip, mux, false);
	ck_assert_int_eq(send_n(g.a, 10, 1000, 1), 0);
	ck_assert_int_eq(send_n(g.b, 10, 5000, 100), 0);
	pump(g.la, 50);
	ck_assert_uint_eq(g.rb.n, 10);
	ck_assert_uint_eq(g.ra.n, 10);
	rtp_sess_stats(g.a, &sa);
	rtp_sess_stats(g.b, &sb);
	check_stream(&g.rb, 0, 10, sa.ssrc_out);
	check_stream(&g.ra, 0, 10, sb.ssrc_out);
	ck_assert(g.rb.h[0].marker);	/* a new stream starts with M */
	ck_assert(!g.rb.h[1].marker);
	ck_assert_uint_eq(g.rb.len[3], 20);
	ck_assert_uint_eq(g.rb.pay[3][0], 4);
	ck_assert_uint_eq(g.ra.pay[9][19], 109);
	ck_assert_uint_eq(sa.pkts_out, 10);
	ck_assert_uint_eq(sa.bytes_out, 200);
	ck_assert_uint_eq(sb.pkts_in, 10);
	ck_assert_uint_eq(sb.bytes_in, 200);
	ck_assert_uint_eq(sb.ssrc_in, sa.ssrc_out);
	ck_assert(sb.last_in_ms > 0 && sa.last_out_ms > 0);
	ck_assert(sb.latched);
	ck_assert(sa_eq(&sb.latched_addr, rtp_sess_local(g.a)));
	ck_assert_int_eq(sa_af(&sb.local), strchr(ip, ':') ? AF_INET6
							    : AF_INET);
	ck_assert_uint_eq(sb.malformed + sb.bad_pt + sb.foreign, 0);
	pair_down(&g);
}

START_TEST(rtp_both_ways_v4)
{
	both_ways("127.0.0.1", false);
}
END_TEST

START_TEST(rtp_both_ways_v6_mux)
{
	both_ways("::1", true);
}
END_TEST

/* Malformed packets and unexpected payload types are dropped, counted. */
START_TEST(rtp_validation)
{
	struct rtp_sess_stats st;
	uint8_t junk[16] = { 0x80 }; /* v2 but nothing else valid: len 3 */
	struct pair g;
	struct sa me;
	int fd;

	pair_up(&g, "127.0.0.1", false, false);
	fd = plain_sock("127.0.0.1", &me);
	ck_assert_int_eq(sendto(fd, junk, 3, 0, &rtp_sess_local(g.b)->u.sa,
				rtp_sess_local(g.b)->len), 3);
	junk[0] = 0x40; /* version 1 */
	ck_assert_int_eq(sendto(fd, junk, 16, 0, &rtp_sess_local(g.b)->u.sa,
				rtp_sess_local(g.b)->len), 16);
	raw_rtp(fd, rtp_sess_local(g.b), 18, 1, 42); /* G.729: not ours */
	pump(g.la, 30);
	rtp_sess_stats(g.b, &st);
	ck_assert_uint_eq(st.malformed, 2);
	ck_assert_uint_eq(st.bad_pt, 1);
	ck_assert_uint_eq(st.pkts_in, 0);
	ck_assert_uint_eq(g.rb.n, 0);
	/* none of that latched: A is still where B sends */
	ck_assert(!st.latched);
	close(fd);
	pair_down(&g);
}
END_TEST

/* A re-INVITE moves the peer: SSRC kept, sequence and timestamp go on;
 * rebase continues the timestamps, restart starts a new stream. */
START_TEST(rtp_continuity)
{
	struct rtp_sess_params pc;
	struct rtp_sess_stats sa;
	struct rx_log rc = { 0 };
	struct rtp_sess *c;
	struct pair g;

	pair_up(&g, "127.0.0.1", false, false);
	params(&pc, g.ports, "127.0.0.1", &rc);
	ck_assert_int_eq(rtp_sess_new(&c, g.la, &pc), 0);
	ck_assert_int_eq(send_n(g.a, 5, 0, 0), 0);
	pump(g.la, 30);
	rtp_sess_set_remote(g.a, rtp_sess_local(c), NULL);
	ck_assert_int_eq(send_n(g.a, 5, 800, 0), 0);
	pump(g.la, 30);
	rtp_sess_stats(g.a, &sa);
	ck_assert_uint_eq(g.rb.n, 5);
	ck_assert_uint_eq(rc.n, 5);
	ck_assert_uint_eq(rc.h[0].ssrc, sa.ssrc_out);
	ck_assert_uint_eq(rc.h[0].ssrc, g.rb.h[4].ssrc);
	ck_assert_uint_eq(rc.h[0].seq, (uint16_t)(g.rb.h[4].seq + 1));
	ck_assert_uint_eq(rc.h[0].ts, g.rb.h[4].ts + 160);
	ck_assert(!rc.h[0].marker);

	/* a new source feeds A from timestamp 0: the wire goes on */
	usleep(40000);
	rtp_sess_rebase(g.a);
	ck_assert_int_eq(send_n(g.a, 2, 0, 0), 0);
	pump(g.la, 30);
	ck_assert_uint_eq(rc.n, 7);
	ck_assert(rc.h[5].marker);
	ck_assert_uint_eq(rc.h[5].ssrc, sa.ssrc_out);
	ck_assert_uint_eq(rc.h[5].seq, (uint16_t)(rc.h[4].seq + 1));
	/* 40 ms later: about 320 units on, never backwards */
	ck_assert_int_ge((int32_t)(rc.h[5].ts - rc.h[4].ts), 320);
	ck_assert_int_lt((int32_t)(rc.h[5].ts - rc.h[4].ts), 8000);
	ck_assert_uint_eq(rc.h[6].ts, rc.h[5].ts + 160);

	/* told to start a new stream: new SSRC */
	rtp_sess_restart(g.a);
	ck_assert_int_eq(send_n(g.a, 3, 0, 0), 0);
	pump(g.la, 30);
	ck_assert_uint_eq(rc.n, 10);
	ck_assert_uint_ne(rc.h[7].ssrc, sa.ssrc_out);
	ck_assert(rc.h[7].marker);
	ck_assert_uint_eq(rc.ev[RTP_SESS_EV_SSRC], 1);
	mem_deref(c);
	pair_down(&g);
}
END_TEST

/* The peer is behind a NAT: its packets come from another port than its
 * SDP said. Symmetric RTP answers there; strict mode ignores it. */
static void nat_case(bool strict)
{
	struct media_ports *ports = pool(4);
	struct loop *l = loop_new();
	struct rtp_sess_params pb;
	struct rtp_sess_stats st;
	struct rx_log rb = { 0 };
	struct rtp_sess *b;
	struct sa sdp, nat, from;
	uint8_t buf[64];
	int fsdp, fnat;

	fsdp = plain_sock("127.0.0.1", &sdp);
	fnat = plain_sock("127.0.0.1", &nat);
	params(&pb, ports, "127.0.0.1", &rb);
	pb.remote = sdp;
	pb.strict = strict;
	ck_assert_int_eq(rtp_sess_new(&b, l, &pb), 0);
	for (uint16_t i = 0; i < 3; i++)
		raw_rtp(fnat, rtp_sess_local(b), 0, i, 7);
	pump(l, 30);
	ck_assert_int_eq(send_n(b, 1, 0, 9), 0);
	rtp_sess_stats(b, &st);
	if (strict) {
		ck_assert_uint_eq(rb.n, 0);
		ck_assert_uint_eq(st.foreign, 3);
		ck_assert(!st.latched);
		ck_assert(sa_eq(&st.latched_addr, &sdp));
		ck_assert_int_lt(recv(fnat, buf, sizeof(buf), MSG_DONTWAIT), 0);
		ck_assert_int_eq(recv(fsdp, buf, sizeof(buf), MSG_DONTWAIT), 32);
		/* what comes from the SDP address passes */
		raw_rtp(fsdp, rtp_sess_local(b), 0, 1, 8);
		pump(l, 20);
		ck_assert_uint_eq(rb.n, 1);
	} else {
		ck_assert_uint_eq(rb.n, 3);
		ck_assert_uint_eq(rb.ev[RTP_SESS_EV_LATCH], 1);
		ck_assert(st.latched);
		ck_assert(sa_eq(&st.latched_addr, &nat));
		from.len = sizeof(from.u.ss);
		ck_assert_int_eq(recvfrom(fnat, buf, sizeof(buf), MSG_DONTWAIT,
					  &from.u.sa, &from.len), 32);
		ck_assert(sa_eq(&from, rtp_sess_local(b)));
		ck_assert_int_lt(recv(fsdp, buf, sizeof(buf), MSG_DONTWAIT), 0);
	}
	mem_deref(b);
	close(fsdp);
	close(fnat);
	mem_deref(ports);
	mem_deref(l);
}

START_TEST(rtp_latch_nat)
{
	nat_case(false);
}
END_TEST

START_TEST(rtp_strict_ignores_nat)
{
	nat_case(true);
}
END_TEST

/* Re-latching: a new source wins only after relatch_pkts packets in a
 * row while the latched one has been silent relatch_silence_ms. */
START_TEST(rtp_relatch)
{
	struct media_ports *ports = pool(4);
	struct loop *l = loop_new();
	struct rtp_sess_params pb;
	struct rtp_sess_stats st;
	struct rx_log rb = { 0 };
	struct rtp_sess *b;
	struct sa s1, s2;
	int f1, f2;

	f1 = plain_sock("127.0.0.1", &s1);
	f2 = plain_sock("127.0.0.1", &s2);
	params(&pb, ports, "127.0.0.1", &rb);
	pb.remote = s1;
	pb.relatch_pkts = 4;
	pb.relatch_silence_ms = 100;
	ck_assert_int_eq(rtp_sess_new(&b, l, &pb), 0);
	raw_rtp(f1, rtp_sess_local(b), 0, 1, 1);
	pump(l, 10);
	/* the old source still talks: the new one is ignored */
	for (uint16_t i = 0; i < 6; i++) {
		raw_rtp(f2, rtp_sess_local(b), 0, 100 + i, 2);
		raw_rtp(f1, rtp_sess_local(b), 0, 2 + i, 1);
		pump(l, 5);
	}
	rtp_sess_stats(b, &st);
	ck_assert(sa_eq(&st.latched_addr, &s1));
	ck_assert_uint_eq(st.foreign, 6);
	ck_assert_uint_eq(st.relatches, 0);
	/* the old one falls silent: 3 packets are not enough... */
	pump(l, 120);
	for (uint16_t i = 0; i < 3; i++)
		raw_rtp(f2, rtp_sess_local(b), 0, 200 + i, 2);
	pump(l, 10);
	rtp_sess_stats(b, &st);
	ck_assert(sa_eq(&st.latched_addr, &s1));
	/* ...the fourth moves the latch */
	raw_rtp(f2, rtp_sess_local(b), 0, 203, 2);
	pump(l, 10);
	rtp_sess_stats(b, &st);
	ck_assert(sa_eq(&st.latched_addr, &s2));
	ck_assert_uint_eq(st.relatches, 1);
	ck_assert_uint_eq(st.foreign, 9);
	ck_assert_uint_eq(rb.n, 8);
	ck_assert_uint_eq(rb.h[7].seq, 203);
	ck_assert_uint_eq(st.ssrc_in, 2);
	mem_deref(b);
	close(f1);
	close(f2);
	mem_deref(ports);
	mem_deref(l);
}
END_TEST

/* RTCP between two sessions on two loops (so each report waits a little
 * in the socket and the RTT is measurable): SR/RR both ways, RTT, the
 * loss the test caused, then BYE. */
START_TEST(rtcp_sr_rr_rtt_loss)
{
	struct rtp_sess_stats sa, sb;
	struct pair g;
	struct sa dead;
	uint8_t pay[160] = { 0 };
	uint32_t ts = 0;
	int fdead;

	memset(&g, 0, sizeof(g));
	g.la = loop_new();
	g.lb = loop_new();
	g.ports = pool(8);
	{
		struct rtp_sess_params pa, pb;

		params(&pa, g.ports, "127.0.0.1", &g.ra);
		params(&pb, g.ports, "127.0.0.1", &g.rb);
		pa.rtcp_min_ms = pb.rtcp_min_ms = 300;
		pa.strict = true; /* the test moves A's target below */
		ck_assert_int_eq(rtp_sess_new(&g.b, g.lb, &pb), 0);
		pa.remote = *rtp_sess_local(g.b);
		ck_assert_int_eq(rtp_sess_new(&g.a, g.la, &pa), 0);
		rtp_sess_set_remote(g.b, rtp_sess_local(g.a), NULL);
	}
	fdead = plain_sock("127.0.0.1", &dead);
	for (unsigned i = 0; i < 80; i++) {
		/* packets 30..36 go to a dead end: 7 lost for B */
		if (i == 30)
			rtp_sess_set_remote(g.a, &dead, NULL);
		if (i == 37)
			rtp_sess_set_remote(g.a, rtp_sess_local(g.b), NULL);
		ck_assert_int_eq(rtp_sess_send(g.a, 0, false, ts, pay, 160),
				 0);
		ck_assert_int_eq(rtp_sess_send(g.b, 0, false, ts, pay, 160),
				 0);
		ts += 160;
		loop_poll(g.la, 0);
		usleep(4000);
		loop_poll(g.lb, 0);
		usleep(4000);
		loop_poll(g.la, 0);
		usleep(4000);
		loop_poll(g.lb, 0);
		usleep(4000);
	}
	/* the last reports after the stream (its final loss figures) */
	for (unsigned i = 0; i < 120; i++) {
		loop_poll(g.la, 0);
		usleep(2500);
		loop_poll(g.lb, 0);
		usleep(2500);
	}
	rtp_sess_stats(g.a, &sa);
	rtp_sess_stats(g.b, &sb);
	ck_assert_uint_ge(sa.rtcp_out, 2);
	ck_assert_uint_ge(sb.rtcp_in, 2);
	ck_assert_uint_ge(sa.rtcp_in, 2);
	ck_assert_uint_eq(sa.rtcp_bad + sb.rtcp_bad, 0);
	ck_assert_uint_eq(sb.pkts_in, 73);
	ck_assert_int_eq(sb.lost, 7);
	/* strict A took nothing but from the dead end meanwhile: B's
	 * packets 30..36 are lost for A too */
	ck_assert_uint_eq(sa.pkts_in, 73);
	ck_assert_uint_ge(sa.foreign, 7); /* + B's RTCP in that window */
	ck_assert_int_eq(sa.lost, 7);
	/* each report tells the other side about its own stream */
	ck_assert(sa.have_peer_report);
	ck_assert_int_eq(sa.peer_lost, 7);
	ck_assert(sb.have_peer_report);
	ck_assert_int_eq(sb.peer_lost, 7);
	ck_assert_uint_gt(sa.rtt_us, 0);
	ck_assert_uint_lt(sa.rtt_us, 500000);
	ck_assert_uint_gt(sb.rtt_us, 0);
	ck_assert_uint_ge(g.ra.ev[RTP_SESS_EV_RTCP], 2);

	ck_assert_int_eq(rtp_sess_bye(g.a, "bye"), 0);
	pump2(g.lb, g.la, 30);
	rtp_sess_stats(g.b, &sb);
	ck_assert(sb.bye);
	ck_assert_uint_eq(g.rb.ev[RTP_SESS_EV_BYE], 1);
	close(fdead);
	pair_down(&g);
}
END_TEST

/* SRTP sessions interoperate (RTP and SRTCP); a plain RTP session and an
 * SRTP one cannot talk. */
START_TEST(srtp_interop_and_mismatch)
{
	uint8_t k1[RTP_SRTP_KEY_MAX], k2[RTP_SRTP_KEY_MAX];
	struct rtp_srtp *a_out, *a_in, *b_out, *b_in, *c_in, *c_out;
	struct rtp_sess_params pa, pb, pp;
	struct rtp_sess_stats sa, sb, sp;
	struct rx_log ra = { 0 }, rb = { 0 }, rp = { 0 };
	struct media_ports *ports = pool(8);
	struct loop *l = loop_new();
	struct rtp_sess *a, *b, *plain;
	enum rtp_srtp_suite su = RTP_SRTP_AEAD_AES_128_GCM;

	ck_assert_int_eq(rtp_srtp_key_gen(su, k1), 0);
	ck_assert_int_eq(rtp_srtp_key_gen(su, k2), 0);
	ck_assert_int_eq(rtp_srtp_new(&a_out, su, k1, RTP_SRTP_OUT), 0);
	ck_assert_int_eq(rtp_srtp_new(&b_in, su, k1, RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_new(&b_out, su, k2, RTP_SRTP_OUT), 0);
	ck_assert_int_eq(rtp_srtp_new(&a_in, su, k2, RTP_SRTP_IN), 0);
	params(&pa, ports, "127.0.0.1", &ra);
	params(&pb, ports, "127.0.0.1", &rb);
	params(&pp, ports, "127.0.0.1", &rp);
	pa.srtp_in = a_in;
	pa.srtp_out = a_out;
	pb.srtp_in = b_in;
	pb.srtp_out = b_out;
	pa.rtcp_min_ms = pb.rtcp_min_ms = 200;
	ck_assert_int_eq(rtp_sess_new(&b, l, &pb), 0);
	pa.remote = *rtp_sess_local(b);
	ck_assert_int_eq(rtp_sess_new(&a, l, &pa), 0);
	rtp_sess_set_remote(b, rtp_sess_local(a), NULL);
	/* the sessions hold their own references */
	mem_deref(a_in);
	mem_deref(b_out);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(send_n(a, 1, (uint32_t)i * 160, (uint8_t)i), 0);
		ck_assert_int_eq(send_n(b, 1, (uint32_t)i * 160, 50), 0);
		pump(l, 30);
	}
	pump(l, 250);
	rtp_sess_stats(a, &sa);
	rtp_sess_stats(b, &sb);
	ck_assert_uint_eq(rb.n, 10);
	ck_assert_uint_eq(ra.n, 10);
	ck_assert_uint_eq(rb.len[5], 20);
	ck_assert_uint_eq(rb.pay[5][7], 5);
	ck_assert_uint_eq(ra.pay[2][0], 50);
	check_stream(&rb, 0, 10, sa.ssrc_out);
	ck_assert_uint_eq(sa.srtp_fail + sb.srtp_fail, 0);
	ck_assert_uint_ge(sb.rtcp_in, 1);
	ck_assert_uint_ge(sa.rtcp_in, 1);
	ck_assert_uint_eq(sa.rtcp_bad + sb.rtcp_bad, 0);

	/* plain RTP toward SRTP B: every packet fails authentication */
	pp.remote = *rtp_sess_local(b);
	ck_assert_int_eq(rtp_sess_new(&plain, l, &pp), 0);
	ck_assert_int_eq(send_n(plain, 5, 0, 77), 0);
	/* SRTP A toward plain: what arrives is not what A sent */
	rtp_sess_set_remote(a, rtp_sess_local(plain), NULL);
	ck_assert_int_eq(send_n(a, 3, 4000, 0), 0);
	pump(l, 40);
	rtp_sess_stats(b, &sb);
	rtp_sess_stats(plain, &sp);
	ck_assert_uint_eq(sb.srtp_fail, 5);
	ck_assert_uint_eq(rb.n, 10);
	ck_assert_uint_eq(rp.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		uint8_t want[20];

		memset(want, (int)i, sizeof(want));
		ck_assert_uint_ne(rp.len[i], 20); /* + the GCM tag */
		ck_assert(memcmp(rp.pay[i], want, 20) != 0);
	}
	(void)sp;
	/* keys of another session do not open SRTP either */
	ck_assert_int_eq(rtp_srtp_new(&c_in, su, k2, RTP_SRTP_IN), 0);
	ck_assert_int_eq(rtp_srtp_new(&c_out, su, k2, RTP_SRTP_OUT), 0);
	rtp_sess_set_srtp(plain, c_in, c_out);
	mem_deref(c_in);
	mem_deref(c_out);
	rtp_sess_set_remote(a, rtp_sess_local(plain), NULL);
	ck_assert_int_eq(send_n(a, 2, 9000, 0), 0);
	pump(l, 30);
	rtp_sess_stats(plain, &sp);
	/* the 2 RTP packets, and A's SRTCP if a report fell in between */
	ck_assert_uint_ge(sp.srtp_fail, 2);
	ck_assert_uint_eq(sp.pkts_in, 3);
	ck_assert_uint_eq(rp.n, 3);

	mem_deref(plain);
	mem_deref(a);
	mem_deref(b);
	mem_deref(a_out);
	mem_deref(b_in);
	mem_deref(ports);
	mem_deref(l);
}
END_TEST

Suite *rtpsess_suite(void)
{
	Suite *s = suite_create("rtpsess");
	TCase *tc = tl_tcase(s, "ports");

	tcase_add_test(tc, ports_alloc_exhaust_reuse);
	tcase_add_test(tc, ports_bad_range);
	tc = tl_tcase(s, "rtp");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, rtp_both_ways_v4);
	tcase_add_test(tc, rtp_both_ways_v6_mux);
	tcase_add_test(tc, rtp_validation);
	tcase_add_test(tc, rtp_continuity);
	tcase_add_test(tc, rtp_latch_nat);
	tcase_add_test(tc, rtp_strict_ignores_nat);
	tcase_add_test(tc, rtp_relatch);
	tc = tl_tcase(s, "rtcp");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, rtcp_sr_rr_rtt_loss);
	tc = tl_tcase(s, "srtp");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, srtp_interop_and_mismatch);
	return s;
}
