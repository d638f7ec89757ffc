// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip/peer_ping: OPTIONS keepalive on a real loop with real
 * sockets. The gateway side is a UDP (and TCP) transport on 127.0.0.1
 * with the transaction layer on top (T1 = 20 ms, so Timer F is 1.28 s);
 * each "peer" is a raw UDP socket of the test on the same loop that parses
 * every request, records it, and answers 200, 405, 503 or nothing, as the
 * test case says.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/ctl.h"
#include "../../gateway/sip/peer.h"
#include "../../gateway/sip/peer_ping.h"
#include "../../gateway/sip/tsx.h"
#include "tl_check.h"

#define T1 20
#define TIMER_F (64 * T1)
/* timers never fire early; on a loaded machine they may fire late */
#define SLACK 500

struct rx {
	uint64_t t;		/* ms since the harness started */
	bool options;
	int max_fwd;
	uint32_t cseq;
	char call_id[64];
	char ruri[128];
	char sent_by[64];	/* top Via host:port */
	char contact[128];
	char to[128];
};

struct peer {
	int fd;
	struct sa addr;
	uint16_t scode;		/* answer; 0: never answer */
	struct rx rx[128];
	size_t nrx;
	struct ping_h *h;
};

struct ping_h {
	struct loop *loop;
	struct sip_transp *tp;
	struct sip_tsx_layer *tsx;
	struct sa cli;		/* the gateway's UDP listener */
	struct peer peer[2];
	struct sip_pings *s;
	uint64_t t0;
};

static int h_send(void *arg, enum sip_tp tp, const struct sa *dst,
		  struct sip_conn *conn, const void *data, size_t len)
{
	struct ping_h *h = arg;

	return sip_transp_send(h->tp, tp, dst, conn, data, len);
}

static int h_send_resp(void *arg, const struct sip_msg *req,
		       const struct sip_src *src, const void *data,
		       size_t len)
{
	struct ping_h *h = arg;

	return sip_transp_send_resp(h->tp, req, src, data, len);
}

static void h_recv(struct sip_msg *msg, const struct sip_src *src, void *arg)
{
	struct ping_h *h = arg;

	sip_tsx_input(h->tsx, msg, src);
}

static void record(const struct ping_h *h, const struct sip_msg *m,
		   struct rx *x)
{
	const struct sip_hdr *c = sip_msg_hdr(m, SIP_HDR_CONTACT);
	const struct sip_hdr *to = sip_msg_hdr(m, SIP_HDR_TO);

	memset(x, 0, sizeof(*x));
	x->t = loop_now_ms() - h->t0;
	x->options = m->meth == SIP_METHOD_OPTIONS &&
		     m->cseq.meth == SIP_METHOD_OPTIONS;
	x->max_fwd = m->max_fwd;
	x->cseq = m->cseq.num;
	strv_copy(m->call_id, x->call_id, sizeof(x->call_id));
	strv_copy(m->ruri.raw, x->ruri, sizeof(x->ruri));
	snprintf(x->sent_by, sizeof(x->sent_by), "%.*s:%u",
		 (int)m->via.host.l, m->via.host.p, m->via.port);
	if (c)
		strv_copy(c->val, x->contact, sizeof(x->contact));
	if (to)
		strv_copy(to->val, x->to, sizeof(x->to));
}

static void on_peer(int fd, uint32_t ev, void *arg)
{
	struct peer *p = arg;
	struct sip_resp_params rp = { .to_tag = STRV("pt1") };
	char data[4096];
	struct sa from = { .len = sizeof(from.u) };
	struct sip_msg *m;
	struct buf b = { 0 };
	ssize_t n;

	(void)ev;
	n = recvfrom(fd, data, sizeof(data), 0, &from.u.sa, &from.len);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(sip_msg_parse(&m, data, (size_t)n, 0, NULL), 0);
	ck_assert(m->req);
	ck_assert_uint_lt(p->nrx, 128);
	record(p->h, m, &p->rx[p->nrx++]);
	if (p->scode) {
		rp.scode = p->scode;
		ck_assert_int_eq(sip_resp_print(&b, m, &rp), 0);
		ck_assert_int_eq(sendto(fd, b.data, b.len, 0, &from.u.sa,
					from.len), (ssize_t)b.len);
		buf_free(&b);
	}
	mem_deref(m);
}

static void peer_init(struct ping_h *h, struct peer *p)
{
	socklen_t len;

	p->h = h;
	p->scode = 200;
	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(p->fd, 0);
	ck_assert_int_eq(sa_set_ip(&p->addr, "127.0.0.1", 0), 0);
	ck_assert_int_eq(bind(p->fd, &p->addr.u.sa, p->addr.len), 0);
	len = sizeof(p->addr.u);
	ck_assert_int_eq(getsockname(p->fd, &p->addr.u.sa, &len), 0);
	p->addr.len = len;
	ck_assert_int_eq(loop_fd_add(h->loop, p->fd, EPOLLIN, on_peer, p), 0);
}

static void h_init(struct ping_h *h)
{
	struct sip_tsx_params xp = { .t1 = T1, .t2 = 160, .t4 = 200,
				     .send = h_send, .send_resp = h_send_resp,
				     .arg = h };
	struct sip_transp_params tp = { 0 };
	struct sa tcp;
	enum sip_tp t;

	memset(h, 0, sizeof(*h));
	h->loop = loop_new();
	ck_assert_ptr_nonnull(h->loop);
	ck_assert_int_eq(sip_tsx_layer_new(&h->tsx, h->loop, &xp), 0);
	ck_assert_int_eq(sip_transp_new(&h->tp, h->loop, &tp, h_recv, h), 0);
	ck_assert_int_eq(sa_set_ip(&h->cli, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(h->tp, SIP_TP_UDP, &h->cli), 0);
	ck_assert_int_eq(sip_transp_listener(h->tp, 0, &t, &h->cli), 0);
	ck_assert_int_eq(sa_set_ip(&tcp, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(h->tp, SIP_TP_TCP, &tcp), 0);
	peer_init(h, &h->peer[0]);
	peer_init(h, &h->peer[1]);
	h->t0 = loop_now_ms();
}

static void h_free_all(struct ping_h *h)
{
	h->s = mem_deref(h->s);
	for (int i = 0; i < 2; i++) {
		loop_fd_del(h->loop, h->peer[i].fd);
		close(h->peer[i].fd);
	}
	mem_deref(h->tsx);
	mem_deref(h->tp);
	mem_deref(h->loop);
}

static const struct conf_sect_def *const defs[] = { &sip_peer_conf_sect,
						    NULL };

static int load(const char *text, struct conf **c, char *err, size_t n)
{
	struct conf_errs errs;
	int rc;

	conf_errs_init(&errs);
	rc = conf_load_str("t.conf", text, defs, c, &errs);
	err[0] = '\0';
	if (errs.l.head)
		snprintf(err, n, "%s",
			 ((struct conf_err *)errs.l.head->data)->msg);
	conf_errs_clear(&errs);
	return rc;
}

static struct conf *mkconf(const char *text)
{
	struct conf *c = NULL;
	char err[256];

	ck_assert_msg(load(text, &c, err, sizeof(err)) == 0, "%s", err);
	return c;
}

/* [peer a] at @p every @ms, down after @fails. */
static struct conf *one_peer(const struct peer *p, unsigned ms,
			     unsigned fails)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 127.0.0.1:%u\nkeepalive = %ums\n"
		 "keepalive_fails = %u\n",
		 sa_port(&p->addr), ms, fails);
	return mkconf(text);
}

static struct sip_peer_ping_info info(const struct ping_h *h,
				      const char *name)
{
	struct sip_peer_ping_info i;

	sip_pings_info(h->s, name, &i);
	return i;
}

/* Run the loop until peer @name is in @st or @max ms pass. */
static bool wait_state(struct ping_h *h, const char *name,
		       enum sip_peer_state st, uint64_t max)
{
	uint64_t end = loop_now_ms() + max;

	while (info(h, name).state != st && loop_now_ms() < end)
		loop_poll(h->loop, 10);
	return info(h, name).state == st;
}

static bool wait_rx(struct ping_h *h, const struct peer *p, size_t n,
		    uint64_t max)
{
	uint64_t end = loop_now_ms() + max;

	while (p->nrx < n && loop_now_ms() < end)
		loop_poll(h->loop, 10);
	return p->nrx >= n;
}

static void run_for(struct ping_h *h, uint64_t ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(h->loop, (int)(end - loop_now_ms()));
}

/* A peer answering 200 is up after the first OPTIONS, which is a proper
 * out-of-dialog request from our listener; the next ones follow every
 * interval, each with a Call-ID of its own. */
START_TEST(up_and_interval)
{
	struct sip_peer_ping_info i;
	struct peer *p;
	struct ping_h h;
	struct conf *c;
	char want[128];

	h_init(&h);
	p = &h.peer[0];
	c = one_peer(p, 200, 2);
	ck_assert_int_eq(sip_pings_new(&h.s, h.loop, h.tsx, h.tp, c, "unit"),
			 0);
	ck_assert_uint_eq(sip_pings_count(h.s), 1);
	i = info(&h, "a");
	ck_assert_int_eq(i.state, SIP_PEER_UNKNOWN);
	ck_assert_int_eq(i.rtt_ms, -1);
	/* not settled yet: calls may go */
	ck_assert(sip_pings_up(h.s, "a"));
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 500));
	i = info(&h, "a");
	ck_assert_uint_eq(i.last_scode, 200);
	ck_assert_int_ge(i.rtt_ms, 0);
	ck_assert_int_lt(i.rtt_ms, SLACK);
	ck_assert_uint_eq(i.fails, 0);
	ck_assert(sip_pings_up(h.s, "a"));

	ck_assert_uint_eq(p->nrx, 1);
	ck_assert(p->rx[0].options);
	ck_assert_int_eq(p->rx[0].max_fwd, 70);
	snprintf(want, sizeof(want), "sip:127.0.0.1:%u", sa_port(&p->addr));
	ck_assert_str_eq(p->rx[0].ruri, want);
	snprintf(want, sizeof(want), "<sip:127.0.0.1:%u>", sa_port(&p->addr));
	ck_assert_str_eq(p->rx[0].to, want);
	snprintf(want, sizeof(want), "127.0.0.1:%u", sa_port(&h.cli));
	ck_assert_str_eq(p->rx[0].sent_by, want);
	snprintf(want, sizeof(want), "<sip:keepalive@127.0.0.1:%u>",
		 sa_port(&h.cli));
	ck_assert_str_eq(p->rx[0].contact, want);

	ck_assert(wait_rx(&h, p, 4, 3 * 200 + SLACK));
	/* over three intervals: the test's socket reads each one a loop
	 * turn after it was sent, which jitters a single interval */
	ck_assert_uint_ge(p->rx[3].t - p->rx[0].t, 3 * 200 - 20);
	ck_assert_uint_le(p->rx[3].t - p->rx[0].t, 3 * 200 + SLACK);
	for (size_t k = 1; k < 4; k++) {
		ck_assert_uint_ge(p->rx[k].t - p->rx[k - 1].t, 200 - 50);
		ck_assert_uint_le(p->rx[k].t - p->rx[k - 1].t, 200 + SLACK);
		ck_assert_str_ne(p->rx[k].call_id, p->rx[k - 1].call_id);
		ck_assert_uint_gt(p->rx[k].cseq, p->rx[k - 1].cseq);
	}
	ck_assert_uint_eq(info(&h, "a").sent, p->nrx);
	h_free_all(&h);
	mem_deref(c);
}
END_TEST

/* Silence: the first Timer F is one failure (still up), the second
 * takes the peer down; the first answer after that brings it back. */
START_TEST(down_after_fails_and_back)
{
	struct sip_peer_ping_info i;
	struct peer *p;
	struct ping_h h;
	struct conf *c;
	uint64_t t_silent, t_down;
	size_t n;

	h_init(&h);
	p = &h.peer[0];
	c = one_peer(p, 200, 2);
	ck_assert_int_eq(sip_pings_new(&h.s, h.loop, h.tsx, h.tp, c, NULL),
			 0);
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 500));
	/* let the ping in flight (if any) end before going silent */
	run_for(&h, 250);
	p->scode = 0;
	n = p->nrx;
	t_silent = loop_now_ms();
	/* first failure: one Timer F after the first unanswered ping */
	while (info(&h, "a").fails < 1 &&
	       loop_now_ms() < t_silent + 200 + TIMER_F + SLACK)
		loop_poll(h.loop, 10);
	i = info(&h, "a");
	ck_assert_uint_eq(i.fails, 1);
	ck_assert_int_eq(i.state, SIP_PEER_UP);
	ck_assert_uint_eq(i.last_scode, 408);
	ck_assert(sip_pings_up(h.s, "a"));
	/* the transaction retransmitted it over UDP (T1 doubling) */
	ck_assert_uint_ge(p->nrx - n, 5);
	ck_assert_str_eq(p->rx[n].call_id, p->rx[p->nrx - 1].call_id);

	ck_assert(wait_state(&h, "a", SIP_PEER_DOWN, TIMER_F + SLACK));
	t_down = loop_now_ms();
	ck_assert_uint_ge(t_down - t_silent, 2 * TIMER_F);
	i = info(&h, "a");
	ck_assert_uint_eq(i.fails, 2);
	ck_assert_uint_eq(i.last_scode, 408);
	ck_assert_int_lt(i.since_ms, SLACK);
	ck_assert(!sip_pings_up(h.s, "a"));
	/* the earlier live answer's RTT stays on show */
	ck_assert_int_ge(i.rtt_ms, 0);

	p->scode = 200;
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, TIMER_F + SLACK));
	i = info(&h, "a");
	ck_assert_uint_eq(i.fails, 0);
	ck_assert_uint_eq(i.last_scode, 200);
	ck_assert(sip_pings_up(h.s, "a"));
	h_free_all(&h);
	mem_deref(c);
}
END_TEST

/* A peer that refuses OPTIONS still answered: 405 is up. Its 503 is
 * not: keepalive_fails = 1 takes it down on the first one. */
START_TEST(reject_is_up_503_is_not)
{
	struct sip_peer_ping_info i;
	struct peer *p;
	struct ping_h h;
	struct conf *c;

	h_init(&h);
	p = &h.peer[0];
	p->scode = 405;
	c = one_peer(p, 200, 1);
	ck_assert_int_eq(sip_pings_new(&h.s, h.loop, h.tsx, h.tp, c, NULL),
			 0);
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 500));
	i = info(&h, "a");
	ck_assert_uint_eq(i.last_scode, 405);
	ck_assert_int_ge(i.rtt_ms, 0);

	p->scode = 503;
	ck_assert(wait_state(&h, "a", SIP_PEER_DOWN, 200 + SLACK));
	i = info(&h, "a");
	ck_assert_uint_eq(i.last_scode, 503);
	ck_assert_uint_eq(i.fails, 1);
	ck_assert(!sip_pings_up(h.s, "a"));

	p->scode = 404;
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 200 + SLACK));
	ck_assert_uint_eq(info(&h, "a").last_scode, 404);
	h_free_all(&h);
	mem_deref(c);
}
END_TEST

/* No listener for the peer's transport: nothing can be sent, a failure
 * (503) at once. Over TCP to a port nobody listens on, the connection is
 * refused; the layer learns nothing of it and Timer F ends the ping
 * (408): a failure too. */
START_TEST(send_failures)
{
	struct sip_peer_ping_info i;
	struct ping_h h;
	struct conf *c;
	struct sa closed;
	socklen_t len = sizeof(closed.u);
	char text[512];
	int fd;

	h_init(&h);
	/* a port that was free a moment ago and has no listener now */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sa_set_ip(&closed, "127.0.0.1", 0), 0);
	ck_assert_int_eq(bind(fd, &closed.u.sa, closed.len), 0);
	ck_assert_int_eq(getsockname(fd, &closed.u.sa, &len), 0);
	close(fd);
	snprintf(text, sizeof(text),
		 "[peer s]\naddress = 127.0.0.1:%u\ntransport = tls\n"
		 "keepalive = 200ms\nkeepalive_fails = 1\n"
		 "[peer t]\naddress = 127.0.0.1:%u\ntransport = tcp\n"
		 "keepalive = 200ms\nkeepalive_fails = 1\n",
		 sa_port(&closed), sa_port(&closed));
	c = mkconf(text);
	ck_assert_int_eq(sip_pings_new(&h.s, h.loop, h.tsx, h.tp, c, NULL),
			 0);
	i = info(&h, "s");
	ck_assert_int_eq(i.state, SIP_PEER_DOWN);
	ck_assert_uint_eq(i.last_scode, 503);
	ck_assert_int_eq(i.rtt_ms, -1);
	ck_assert(!sip_pings_up(h.s, "s"));
	ck_assert(wait_state(&h, "t", SIP_PEER_DOWN, TIMER_F + SLACK));
	i = info(&h, "t");
	ck_assert(i.last_scode == 408 || i.last_scode == 503);
	ck_assert_int_eq(i.rtt_ms, -1);
	ck_assert(!sip_pings_up(h.s, "t"));
	h_free_all(&h);
	mem_deref(c);
}
END_TEST

static const char *show(struct ctl *ctl, bool json)
{
	static char out[4096];
	struct buf b = { 0 };

	ck_assert_int_eq(ctl_exec(ctl, json ? "-j show peers" : "show peers",
				  &b), 0);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static struct conf *two_peers(const struct ping_h *h, int a_at,
			      unsigned a_ms, bool with_a, unsigned b_ms)
{
	char text[512];
	int n = 0;

	if (with_a)
		n = snprintf(text, sizeof(text),
			     "[peer a]\naddress = 127.0.0.1:%u\n"
			     "keepalive = %ums\n",
			     sa_port(&h->peer[a_at].addr), a_ms);
	snprintf(text + n, sizeof(text) - (size_t)n,
		 "[peer b]\naddress = 127.0.0.1:%u\nidentify = no\n"
		 "keepalive = %ums\n",
		 sa_port(&h->peer[1].addr), b_ms);
	return mkconf(text);
}

/* Reloads: unchanged peers keep state and rhythm, a changed address
 * restarts the pings toward the new one, keepalive turned on starts, a
 * removed peer stops. "show peers" lists every peer, pinged or not. */
START_TEST(reload_and_show)
{
	struct conf *c1, *c2, *c3;
	struct ctl *ctl;
	struct ping_h h;
	const char *out;
	char want[64];
	size_t n0, n1;

	h_init(&h);
	c1 = two_peers(&h, 0, 200, true, 0);
	ck_assert_int_eq(sip_pings_new(&h.s, h.loop, h.tsx, h.tp, c1, "unit"),
			 0);
	ck_assert_uint_eq(sip_pings_count(h.s), 1);
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 500));
	ck_assert_int_eq(info(&h, "b").state, SIP_PEER_OFF);
	ck_assert(sip_pings_up(h.s, "b"));
	ck_assert(sip_pings_up(h.s, "nobody"));

	ctl = ctl_new(h.loop);
	ck_assert_int_eq(ctl_register(ctl, sip_pings_cmds, sip_pings_ncmds,
				      h.s), 0);
	out = show(ctl, true);
	snprintf(want, sizeof(want), "\"address\":\"127.0.0.1:%u\"",
		 sa_port(&h.peer[0].addr));
	ck_assert_ptr_nonnull(strstr(out, want));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"a\""));
	ck_assert_ptr_nonnull(strstr(out, "\"transport\":\"UDP\""));
	ck_assert_ptr_nonnull(strstr(out, "\"identify\":true"));
	ck_assert_ptr_nonnull(strstr(out, "\"keepalive\":200"));
	ck_assert_ptr_nonnull(strstr(out, "\"state\":\"up\""));
	ck_assert_ptr_nonnull(strstr(out, "\"last_status\":200"));
	ck_assert_ptr_nonnull(strstr(out, "\"since_s\":0"));
	ck_assert_ptr_nonnull(strstr(out, "\"rtt_ms\":"));
	/* b: not pinged */
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"b\""));
	ck_assert_ptr_nonnull(strstr(out, "\"identify\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"state\":\"off\""));
	ck_assert_ptr_nonnull(strstr(out, "\"rtt_ms\":-1,\"since_s\":-1"));
	out = show(ctl, false);
	ck_assert_ptr_nonnull(strstr(out, "up"));
	ck_assert_ptr_nonnull(strstr(out, "off"));

	/* the same config again: untouched, state kept */
	ck_assert_int_eq(sip_pings_update(h.s, c1, "unit"), 0);
	ck_assert_int_eq(info(&h, "a").state, SIP_PEER_UP);

	/* a moves to peer 1's socket, b turns keepalive on */
	c2 = two_peers(&h, 1, 200, true, 300);
	run_for(&h, 50);
	ck_assert_int_eq(sip_pings_update(h.s, c2, "unit"), 0);
	ck_assert_uint_eq(sip_pings_count(h.s), 2);
	ck_assert_int_eq(info(&h, "a").state, SIP_PEER_UNKNOWN);
	ck_assert_int_eq(info(&h, "b").state, SIP_PEER_UNKNOWN);
	n0 = h.peer[0].nrx;
	ck_assert(wait_state(&h, "a", SIP_PEER_UP, 500));
	ck_assert(wait_state(&h, "b", SIP_PEER_UP, 500));
	run_for(&h, 500);
	/* no new ping to a's old address (a ping in flight at the reload
	 * may still be retransmitted until answered); a and b both ping
	 * peer 1 */
	for (size_t k = n0; k < h.peer[0].nrx; k++)
		ck_assert_str_eq(h.peer[0].rx[k].call_id,
				 h.peer[0].rx[n0 - 1].call_id);
	ck_assert_uint_ge(h.peer[1].nrx, 4);

	/* a removed: its pings stop, b keeps its state */
	c3 = two_peers(&h, 0, 0, false, 300);
	ck_assert_int_eq(sip_pings_update(h.s, c3, "unit"), 0);
	ck_assert_uint_eq(sip_pings_count(h.s), 1);
	ck_assert_int_eq(info(&h, "a").state, SIP_PEER_OFF);
	ck_assert_int_eq(info(&h, "b").state, SIP_PEER_UP);
	out = show(ctl, true);
	ck_assert_ptr_null(strstr(out, "\"name\":\"a\""));
	n1 = h.peer[1].nrx;
	run_for(&h, 1000);
	/* b alone: one every 300 ms (3 or 4 in a second; timers may run
	 * late on a loaded machine, never early) */
	ck_assert_uint_ge(h.peer[1].nrx - n1, 2);
	ck_assert_uint_le(h.peer[1].nrx - n1, 4);
	for (size_t k = n0; k < h.peer[0].nrx; k++)
		ck_assert_str_eq(h.peer[0].rx[k].call_id,
				 h.peer[0].rx[n0 - 1].call_id);

	ctl_unregister(ctl, sip_pings_cmds);
	mem_deref(ctl);
	h_free_all(&h);
	mem_deref(c1);
	mem_deref(c2);
	mem_deref(c3);
}
END_TEST

START_TEST(config)
{
	const struct sip_peer_conf *pc;
	struct conf *c = NULL;
	char err[256];

	ck_assert_msg(load("[peer p]\naddress = 198.18.0.2\n", &c, err,
			   sizeof(err)) == 0, "%s", err);
	pc = sip_peer_find(c, "p");
	ck_assert_ptr_nonnull(pc);
	ck_assert_uint_eq(pc->keepalive, 0);
	ck_assert_int_eq(pc->keepalive_fails, 2);
	mem_deref(c);
	c = NULL;
	ck_assert_int_eq(load("[peer p]\naddress = 198.18.0.2\n"
			      "keepalive = 30s\nkeepalive_fails = 5\n", &c,
			      err, sizeof(err)), 0);
	pc = sip_peer_find(c, "p");
	ck_assert_uint_eq(pc->keepalive, 30000);
	ck_assert_int_eq(pc->keepalive_fails, 5);
	mem_deref(c);
	c = NULL;
	ck_assert_int_eq(load("[peer p]\naddress = 198.18.0.2\n"
			      "keepalive = 50ms\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "keepalive"));
	ck_assert_int_eq(load("[peer p]\naddress = 198.18.0.2\n"
			      "keepalive_fails = 0\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "keepalive_fails"));
	ck_assert_int_eq(load("[peer p]\naddress = 198.18.0.2\n"
			      "keepalive = soon\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_null(c);
	/* no SIP module in this process: nobody is busied out */
	ck_assert(sip_peer_up("p"));
}
END_TEST

Suite *sip_peer_ping_suite(void)
{
	Suite *s = suite_create("sip_peer_ping");
	TCase *tc = tl_tcase(s, "peer_ping");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, up_and_interval);
	tcase_add_test(tc, down_after_fails_and_back);
	tcase_add_test(tc, reject_is_up_503_is_not);
	tcase_add_test(tc, send_failures);
	tcase_add_test(tc, reload_and_show);
	tcase_add_test(tc, config);
	return s;
}
