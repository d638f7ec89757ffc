// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/media/rtpsess: handing the sockets to another reader (the call
 * relay, gateway/call/call_relay.c) and taking them back. A real session
 * on 127.0.0.1 and a plain UDP socket as the peer: what the session
 * reports as the peer (rtp_sess_media), that it stops and resumes reading,
 * and that a packet read elsewhere and passed to rtp_sess_input() is
 * handled as if the session had read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/portpool.h"
#include "../../gateway/media/rtpsess.h"
#include "tl_check.h"

struct rx {
	unsigned n;
	uint16_t last_seq;
};

static void recv_h(const struct rtp_hdr *h, const uint8_t *payload, size_t len,
		   void *arg)
{
	struct rx *rx = arg;

	(void)payload, (void)len;
	rx->n++;
	rx->last_seq = h->seq;
}

struct fix {
	struct loop *l;
	struct media_ports *ports;
	struct rtp_sess *s;
	struct rx rx;
	int peer;	   /* the far end's socket */
	struct sa peer_sa; /* its address */
	struct sa local;   /* the session's RTP address */
};

/* A pool of a few pairs somewhere free on 127.0.0.1 (the machine is
 * shared: try ranges until one binds). */
static struct media_ports *pool(void)
{
	for (unsigned t = 0; t < 200; t++) {
		uint16_t base =
		    (uint16_t)(31000 +
			       ((getpid() * 7919u + t * 613u) % 14000) * 2);
		struct media_ports *p;
		struct sa a;
		int fd;
		bool ok;

		sa_set_ip(&a, "127.0.0.1", base);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		ok = fd >= 0 && !bind(fd, &a.u.sa, a.len);
		if (fd >= 0)
			close(fd);
		if (ok && !media_ports_new(&p, base, (uint16_t)(base + 7)))
			return p;
	}
	ck_abort_msg("no free port range");
	return NULL;
}

static void fix_init(struct fix *f, bool strict, const struct sa *sdp)
{
	struct rtp_sess_params p = {0};

	memset(f, 0, sizeof(*f));
	f->l = loop_new();
	ck_assert_ptr_nonnull(f->l);
	f->ports = pool();
	f->peer = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(f->peer, 0);
	sa_set_ip(&f->peer_sa, "127.0.0.1", 0);
	ck_assert_int_eq(bind(f->peer, &f->peer_sa.u.sa, f->peer_sa.len), 0);
	f->peer_sa.len = sizeof(f->peer_sa.u.ss);
	ck_assert_int_eq(
	    getsockname(f->peer, &f->peer_sa.u.sa, &f->peer_sa.len), 0);
	p.ports = f->ports;
	sa_set_ip(&p.local, "127.0.0.1", 0);
	p.recvh = recv_h;
	p.arg = &f->rx;
	p.strict = strict;
	if (sdp)
		p.remote = *sdp;
	ck_assert_int_eq(rtp_sess_new(&f->s, f->l, &p), 0);
	f->local = *rtp_sess_local(f->s);
}

static void fix_free(struct fix *f)
{
	mem_deref(f->s);
	mem_deref(f->ports);
	close(f->peer);
	mem_deref(f->l);
}

/* The peer sends one RTP packet (PT 0, sequence @seq) to the session. */
static void peer_send(struct fix *f, uint16_t seq)
{
	uint8_t p[12 + 160] = {0x80,
			       0,
			       (uint8_t)(seq >> 8),
			       (uint8_t)seq,
			       0,
			       0,
			       0,
			       0,
			       0x11,
			       0x22,
			       0x33,
			       0x44};

	ck_assert_int_eq(
	    sendto(f->peer, p, sizeof(p), 0, &f->local.u.sa, f->local.len),
	    (ssize_t)sizeof(p));
}

/* Run the loop for about @ms (bounded in polls) */
static void pump(struct fix *f, unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	for (unsigned i = 0; i < ms + 10 && loop_now_ms() < end; i++)
		loop_poll(f->l, 1);
}

START_TEST(media_confirmed_on_first_packet)
{
	struct rtp_sess_media m;
	struct fix f;

	fix_init(&f, false, NULL);
	rtp_sess_media(f.s, &m);
	ck_assert(!m.confirmed);
	ck_assert_int_ge(m.rtp_fd, 0);
	ck_assert_int_ge(m.rtcp_fd, 0);
	ck_assert(!m.mux && !m.srtp);
	peer_send(&f, 7);
	pump(&f, 50);
	ck_assert_uint_eq(f.rx.n, 1);
	rtp_sess_media(f.s, &m);
	ck_assert(m.confirmed);
	ck_assert(sa_eq(&m.rtp_peer, &f.peer_sa));
	/* RTCP goes to the port above until the peer's RTCP says otherwise */
	ck_assert_uint_eq(sa_port(&m.rtcp_peer), sa_port(&f.peer_sa) + 1);
	/* a re-INVITE's new address: not confirmed until it is heard */
	rtp_sess_set_remote(f.s, &f.local, NULL);
	rtp_sess_media(f.s, &m);
	ck_assert(!m.confirmed);
	fix_free(&f);
}
END_TEST

START_TEST(strict_confirms_sdp_address_only)
{
	struct rtp_sess_media m;
	struct sa sdp;
	struct fix f;

	/* the SDP names a port nobody sends from */
	sa_set_ip(&sdp, "127.0.0.1", 9);
	fix_init(&f, true, &sdp);
	peer_send(&f, 1);
	pump(&f, 50);
	rtp_sess_media(f.s, &m);
	ck_assert_uint_eq(f.rx.n, 0);
	ck_assert(!m.confirmed);
	ck_assert(sa_eq(&m.rtp_peer, &sdp));
	fix_free(&f);
}
END_TEST

START_TEST(handover_and_input)
{
	struct rtp_sess_stats st;
	struct rtp_sess_media m;
	uint8_t buf[RTP_SESS_PKT_MAX + 100];
	struct sa src;
	struct fix f;
	ssize_t n;

	fix_init(&f, false, NULL);
	peer_send(&f, 1);
	pump(&f, 50);
	ck_assert_uint_eq(f.rx.n, 1);

	/* away: the session leaves the packet in the socket */
	ck_assert_int_eq(rtp_sess_handover(f.s, true), 0);
	ck_assert_int_eq(rtp_sess_handover(f.s, true), 0);
	peer_send(&f, 2);
	pump(&f, 50);
	ck_assert_uint_eq(f.rx.n, 1);

	/* another reader takes it and passes it on */
	rtp_sess_media(f.s, &m);
	src.len = sizeof(src.u.ss);
	n = recvfrom(m.rtp_fd, buf, sizeof(buf), MSG_DONTWAIT, &src.u.sa,
		     &src.len);
	ck_assert_int_eq(n, 12 + 160);
	rtp_sess_input(f.s, m.rtp_fd, buf, (size_t)n, &src);
	ck_assert_uint_eq(f.rx.n, 2);
	ck_assert_uint_eq(f.rx.last_seq, 2);
	rtp_sess_stats(f.s, &st);
	ck_assert_uint_eq(st.pkts_in, 2);

	/* garbage and oversized input are counted, not taken */
	rtp_sess_input(f.s, m.rtp_fd, buf, 3, &src);
	rtp_sess_input(f.s, m.rtp_fd, buf, RTP_SESS_PKT_MAX + 1, &src);
	rtp_sess_stats(f.s, &st);
	ck_assert_uint_eq(st.malformed, 2);
	ck_assert_uint_eq(f.rx.n, 2);

	/* an RTCP packet read from the RTCP socket goes to RTCP */
	memset(buf, 0, 8);
	buf[0] = 0x80;
	buf[1] = 201; /* RR, no report blocks */
	buf[3] = 1;
	rtp_sess_input(f.s, m.rtcp_fd, buf, 8, &src);
	rtp_sess_stats(f.s, &st);
	ck_assert_uint_eq(st.rtcp_in + st.rtcp_bad, 1);

	/* back: the session reads again */
	ck_assert_int_eq(rtp_sess_handover(f.s, false), 0);
	peer_send(&f, 3);
	pump(&f, 50);
	ck_assert_uint_eq(f.rx.n, 3);
	ck_assert_uint_eq(f.rx.last_seq, 3);
	fix_free(&f);
}
END_TEST

START_TEST(freed_while_away)
{
	struct fix f;

	/* the fds belong to someone else while away: freeing the session
	 * then must leave the loop's table alone */
	fix_init(&f, false, NULL);
	ck_assert_int_eq(rtp_sess_handover(f.s, true), 0);
	ck_assert_uint_eq(loop_nfds(f.l), 0);
	fix_free(&f);
}
END_TEST

Suite *rtpsess_handover_suite(void)
{
	Suite *s = suite_create("rtpsess_handover");
	TCase *tc = tl_tcase(s, "handover");

	tcase_add_test(tc, media_confirmed_on_first_packet);
	tcase_add_test(tc, strict_confirms_sdp_address_only);
	tcase_add_test(tc, handover_and_input);
	tcase_add_test(tc, freed_while_away);
	return s;
}
