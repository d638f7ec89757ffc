// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip/reg: the registration client on a real loop with real
 * sockets. The client side is a UDP transport on 127.0.0.1 with the
 * transaction layer on top (T1 = 20 ms, so Timer F is 1.28 s); the
 * registrar is a raw UDP socket of the test on the same loop that parses
 * every REGISTER, records it and answers as the test case says, with a
 * real digest server (sip_auth_srv) for the challenges.
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
#include "../../gateway/sip/auth.h"
#include "../../gateway/sip/reg.h"
#include "../../gateway/sip/tsx.h"
#include "tl_check.h"

#define T1 20
/* timers never fire early; on a loaded machine they may fire late */
#define SLACK 300

enum mode {
	M_OK,		/* 200, Contact;expires=grant */
	M_AUTH,		/* digest: 401 until the credentials verify */
	M_423,		/* 423 Min-Expires: min_exp below it, then 200 */
	M_SILENT,	/* never answer */
	M_503,		/* 503 Retry-After: retry_after */
	M_423BAD,	/* 423 Min-Expires: 2, always */
	M_423UP,	/* 423 Min-Expires: asked + 1, always */
};

struct rx {
	uint64_t t;		/* ms since the harness started */
	uint32_t cseq;
	uint32_t expires;
	bool has_expires;
	bool auth;		/* carried Authorization */
	char call_id[64];
	char from_tag[32];
	char contact[128];	/* the Contact value */
	char ruri[128];
};

struct reg_h {
	struct loop *loop;
	struct sip_transp *tp;
	struct sip_tsx_layer *tsx;
	struct sa cli;		/* the client transport's listener */
	int fd;			/* the registrar */
	struct sa srv;
	uint64_t t0;
	enum mode mode;
	uint32_t grant;		/* M_OK: granted (0: as asked) */
	uint32_t min_exp;	/* M_423 */
	int retry_after;	/* M_503 */
	struct sip_auth_srv *as;
	const char *srv_pass;	/* M_AUTH: alice's server password */
	struct rx rx[64];
	size_t nrx;
	size_t n401;
	/* state changes the client reported */
	enum sip_reg_state st[64];
	uint64_t st_t[64];
	int64_t st_next[64];	/* next_ms when it was reported */
	size_t nst;
	struct sip_reg *r;
};

static uint64_t now(const struct reg_h *h)
{
	return loop_now_ms() - h->t0;
}

static int h_send(void *arg, enum sip_tp tp, const struct sa *dst,
		  struct sip_conn *conn, const void *data, size_t len)
{
	struct reg_h *h = arg;

	return sip_transp_send(h->tp, tp, dst, conn, data, len);
}

static int h_send_resp(void *arg, const struct sip_msg *req,
		       const struct sip_src *src, const void *data,
		       size_t len)
{
	struct reg_h *h = arg;

	return sip_transp_send_resp(h->tp, req, src, data, len);
}

static void h_recv(struct sip_msg *msg, const struct sip_src *src, void *arg)
{
	struct reg_h *h = arg;

	sip_tsx_input(h->tsx, msg, src);
}

static int lookup(const char *user, const char *realm, enum sip_auth_alg alg,
		  struct sip_auth_secret *s, void *arg)
{
	struct reg_h *h = arg;

	(void)realm;
	(void)alg;
	if (strcmp(user, "alice"))
		return -ENOENT;
	snprintf(s->password, sizeof(s->password), "%s", h->srv_pass);
	return 0;
}

static void answer(struct reg_h *h, const struct sip_msg *m,
		   const struct sa *from, uint16_t scode, const char *hdrs)
{
	struct sip_resp_params p = { .scode = scode, .to_tag = STRV("rt1"),
				     .hdrs = strv_of(hdrs) };
	struct buf b = { 0 };

	ck_assert_int_eq(sip_resp_print(&b, m, &p), 0);
	ck_assert_int_eq(sendto(h->fd, b.data, b.len, 0, &from->u.sa,
				from->len), (ssize_t)b.len);
	buf_free(&b);
}

static void answer_200(struct reg_h *h, const struct sip_msg *m,
		       const struct sa *from, const struct rx *x)
{
	char hdrs[256];

	if (!x->expires)
		snprintf(hdrs, sizeof(hdrs), "%s", "");
	else
		snprintf(hdrs, sizeof(hdrs),
			 "Contact: %s;expires=%u\r\nExpires: 999\r\n",
			 x->contact, h->grant ? h->grant : x->expires);
	answer(h, m, from, 200, hdrs);
}

static void record(struct reg_h *h, const struct sip_msg *m, struct rx *x)
{
	const struct sip_hdr *c = sip_msg_hdr(m, SIP_HDR_CONTACT);

	memset(x, 0, sizeof(*x));
	x->t = now(h);
	x->cseq = m->cseq.num;
	x->has_expires = m->has_expires;
	x->expires = m->expires;
	x->auth = sip_msg_hdr(m, SIP_HDR_AUTHORIZATION) != NULL;
	strv_copy(m->call_id, x->call_id, sizeof(x->call_id));
	strv_copy(m->from.tag, x->from_tag, sizeof(x->from_tag));
	if (c)
		strv_copy(c->val, x->contact, sizeof(x->contact));
	strv_copy(m->ruri.raw, x->ruri, sizeof(x->ruri));
}

static void on_registrar(int fd, uint32_t ev, void *arg)
{
	struct reg_h *h = arg;
	char data[4096];
	struct sa from = { .len = sizeof(from.u) };
	struct sip_msg *m;
	struct rx *x;
	ssize_t n;

	(void)ev;
	n = recvfrom(fd, data, sizeof(data), 0, &from.u.sa, &from.len);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(sip_msg_parse(&m, data, (size_t)n, 0, NULL), 0);
	ck_assert(m->req);
	ck_assert_uint_lt(h->nrx, 64);
	x = &h->rx[h->nrx++];
	record(h, m, x);
	switch (h->mode) {
	case M_OK:
		answer_200(h, m, &from, x);
		break;
	case M_AUTH:
		if (sip_auth_srv_verify(h->as, m, false, NULL)) {
			struct buf b = { 0 };

			h->n401++;
			ck_assert_int_eq(sip_auth_srv_reply(h->as, &b, m,
							    false, false,
							    STRV("rt1")), 0);
			ck_assert_int_eq(sendto(fd, b.data, b.len, 0,
						&from.u.sa, from.len),
					 (ssize_t)b.len);
			buf_free(&b);
		} else {
			answer_200(h, m, &from, x);
		}
		break;
	case M_423:
		if (x->expires && x->expires < h->min_exp) {
			char hd[64];

			snprintf(hd, sizeof(hd), "Min-Expires: %u\r\n",
				 h->min_exp);
			answer(h, m, &from, 423, hd);
		} else {
			answer_200(h, m, &from, x);
		}
		break;
	case M_SILENT:
		break;
	case M_423BAD:
		answer(h, m, &from, 423, "Min-Expires: 2\r\n");
		break;
	case M_423UP: {
		char hd[64];

		snprintf(hd, sizeof(hd), "Min-Expires: %u\r\n",
			 x->expires + 1);
		answer(h, m, &from, 423, hd);
		break;
	}
	case M_503: {
		char hd[64];

		snprintf(hd, sizeof(hd), "Retry-After: %d (maintenance)\r\n",
			 h->retry_after);
		answer(h, m, &from, 503, hd);
		break;
	}
	}
	mem_deref(m);
}

static void on_state(struct sip_reg *r, enum sip_reg_state st, void *arg)
{
	struct reg_h *h = arg;
	struct sip_reg_info i;

	ck_assert_uint_lt(h->nst, 64);
	sip_reg_info(r, &i);
	ck_assert_int_eq(i.state, st);
	h->st[h->nst] = st;
	h->st_t[h->nst] = now(h);
	h->st_next[h->nst] = i.next_ms;
	h->nst++;
}

static void h_init(struct reg_h *h, enum mode mode)
{
	struct sip_tsx_params xp = { .t1 = T1, .t2 = 160, .t4 = 200,
				     .send = h_send, .send_resp = h_send_resp,
				     .arg = h };
	struct sip_transp_params tp = { 0 };
	struct sip_auth_srv_params ap = { .realm = "reg.test",
					  .lookup = lookup, .arg = h };
	socklen_t len;
	enum sip_tp t;

	memset(h, 0, sizeof(*h));
	h->mode = mode;
	h->srv_pass = "secret";
	h->loop = loop_new();
	ck_assert_ptr_nonnull(h->loop);
	ck_assert_int_eq(sip_tsx_layer_new(&h->tsx, h->loop, &xp), 0);
	ck_assert_int_eq(sip_transp_new(&h->tp, h->loop, &tp, h_recv, h), 0);
	ck_assert_int_eq(sa_set_ip(&h->cli, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(h->tp, SIP_TP_UDP, &h->cli), 0);
	ck_assert_int_eq(sip_transp_listener(h->tp, 0, &t, &h->cli), 0);
	ck_assert_int_eq(sip_auth_srv_alloc(&h->as, &ap), 0);

	h->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(h->fd, 0);
	ck_assert_int_eq(sa_set_ip(&h->srv, "127.0.0.1", 0), 0);
	ck_assert_int_eq(bind(h->fd, &h->srv.u.sa, h->srv.len), 0);
	len = sizeof(h->srv.u);
	ck_assert_int_eq(getsockname(h->fd, &h->srv.u.sa, &len), 0);
	h->srv.len = len;
	ck_assert_int_eq(loop_fd_add(h->loop, h->fd, EPOLLIN, on_registrar,
				     h), 0);
	h->t0 = loop_now_ms();
}

static void h_free_all(struct reg_h *h)
{
	h->r = mem_deref(h->r);
	loop_fd_del(h->loop, h->fd);
	close(h->fd);
	mem_deref(h->as);
	mem_deref(h->tsx);
	mem_deref(h->tp);
	mem_deref(h->loop);
}

static struct sip_reg_params params(const struct reg_h *h, uint32_t expires)
{
	struct sip_reg_params p = {
		.name = "trunk1",
		.tp = SIP_TP_UDP,
		.registrar = h->srv,
		.aor = "sip:alice@reg.test",
		.password = "secret",
		.expires = expires,
		.retry_min_ms = 200,
		.retry_max_ms = 1600,
		.user_agent = "unit",
	};

	return p;
}

static void mk(struct reg_h *h, const struct sip_reg_params *p)
{
	ck_assert_int_eq(sip_reg_new(&h->r, h->loop, h->tsx, h->tp, p), 0);
	sip_reg_set_handler(h->r, on_state, h);
}

static enum sip_reg_state state(const struct reg_h *h)
{
	struct sip_reg_info i;

	sip_reg_info(h->r, &i);
	return i.state;
}

/* Run the loop until the client is in @st or @max_ms pass. */
static bool wait_state(struct reg_h *h, enum sip_reg_state st, uint64_t max)
{
	uint64_t end = loop_now_ms() + max;

	while (state(h) != st && loop_now_ms() < end)
		loop_poll(h->loop, 10);
	return state(h) == st;
}

/* Run the loop until the registrar got @n requests or @max_ms pass. */
static bool wait_rx(struct reg_h *h, size_t n, uint64_t max)
{
	uint64_t end = loop_now_ms() + max;

	while (h->nrx < n && loop_now_ms() < end)
		loop_poll(h->loop, 10);
	return h->nrx >= n;
}

static void run_for(struct reg_h *h, uint64_t ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(h->loop, (int)(end - loop_now_ms()));
}

/* REGISTER, 200, refresh at half of a 4 s binding, same Call-ID and From
 * tag, CSeq + 1, then Expires: 0 on stop. */
START_TEST(register_refresh_unregister)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;
	char want[128];

	h_init(&h, M_OK);
	p = params(&h, 4);
	mk(&h, &p);
	ck_assert_int_eq(state(&h), SIP_REG_UNREGISTERED);
	ck_assert_int_eq(sip_reg_start(h.r), 0);
	ck_assert_int_eq(sip_reg_start(h.r), -EALREADY);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	ck_assert_uint_eq(h.nrx, 1);
	ck_assert_str_eq(h.rx[0].ruri, "sip:reg.test");
	snprintf(want, sizeof(want), "<sip:alice@127.0.0.1:%u>",
		 sa_port(&h.cli));
	ck_assert_str_eq(h.rx[0].contact, want);
	ck_assert(h.rx[0].has_expires);
	ck_assert_uint_eq(h.rx[0].expires, 4);
	ck_assert(!h.rx[0].auth);
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.granted, 4);
	ck_assert_uint_eq(i.last_scode, 200);
	ck_assert_int_le(i.next_ms, 2000);
	ck_assert_int_ge(i.next_ms, 1900);
	ck_assert_int_gt(i.expires_in_ms, 3800);

	ck_assert(wait_rx(&h, 2, 2000 + SLACK));
	ck_assert_uint_ge(h.rx[1].t - h.rx[0].t, 2000);
	ck_assert_uint_le(h.rx[1].t - h.rx[0].t, 2000 + SLACK);
	ck_assert_str_eq(h.rx[1].call_id, h.rx[0].call_id);
	ck_assert_str_eq(h.rx[1].from_tag, h.rx[0].from_tag);
	ck_assert_uint_eq(h.rx[1].cseq, h.rx[0].cseq + 1);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 500));

	ck_assert_int_eq(sip_reg_stop(h.r), 0);
	ck_assert_int_eq(state(&h), SIP_REG_UNREGISTERING);
	ck_assert(wait_state(&h, SIP_REG_UNREGISTERED, 1000));
	ck_assert_uint_eq(h.nrx, 3);
	ck_assert(h.rx[2].has_expires);
	ck_assert_uint_eq(h.rx[2].expires, 0);
	ck_assert_str_eq(h.rx[2].contact, want);
	ck_assert_uint_eq(h.rx[2].cseq, h.rx[1].cseq + 1);
	sip_reg_info(h.r, &i);
	ck_assert_int_eq(i.next_ms, -1);
	ck_assert_int_eq(i.expires_in_ms, -1);
	/* nothing bound any more: a second stop has nothing to do */
	ck_assert_int_eq(sip_reg_stop(h.r), -EALREADY);
	run_for(&h, 100);
	ck_assert_uint_eq(h.nrx, 3);
	h_free_all(&h);
}
END_TEST

/* The registrar grants less than asked: the refresh follows the grant. */
START_TEST(granted_shorter)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_OK);
	h.grant = 2;
	p = params(&h, 3600);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.granted, 2);
	ck_assert_uint_eq(i.requested, 3600);
	ck_assert(wait_rx(&h, 2, 1000 + SLACK));
	ck_assert_uint_ge(h.rx[1].t - h.rx[0].t, 1000);
	h_free_all(&h);
}
END_TEST

/* 401, answered with credentials, 200; the refresh carries credentials
 * up front and needs no second challenge. */
START_TEST(challenge_success)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_AUTH);
	p = params(&h, 2);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	ck_assert_uint_eq(h.nrx, 2);
	ck_assert_uint_eq(h.n401, 1);
	ck_assert(!h.rx[0].auth);
	ck_assert(h.rx[1].auth);
	ck_assert_uint_eq(h.rx[1].cseq, h.rx[0].cseq + 1);
	ck_assert(wait_rx(&h, 3, 1000 + SLACK));
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 500));
	ck_assert(h.rx[2].auth);
	ck_assert_uint_eq(h.n401, 1);
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.failures, 0);
	/* the removal is pre-authenticated too */
	ck_assert_int_eq(sip_reg_stop(h.r), 0);
	ck_assert(wait_state(&h, SIP_REG_UNREGISTERED, 1000));
	ck_assert(h.rx[h.nrx - 1].auth);
	ck_assert_uint_eq(h.rx[h.nrx - 1].expires, 0);
	ck_assert_uint_eq(h.n401, 1);
	h_free_all(&h);
}
END_TEST

/* A wrong password: the client gives up after a repeated rejection
 * (no endless 401 loop), fails with 401, and each retry comes later
 * than the one before (back-off 200 ms doubling, capped at 1.6 s). */
START_TEST(wrong_password_backoff)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;
	int64_t prev = 0;
	size_t nfail = 0, rx_first;
	uint64_t fail_t = 0;

	h_init(&h, M_AUTH);
	h.srv_pass = "other";
	p = params(&h, 60);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.last_scode, 401);
	ck_assert_str_eq(i.last_reason, "credentials rejected");
	ck_assert_uint_eq(i.failures, 1);
	/* REGISTER, 401, with credentials, 401, again, 401: give up */
	ck_assert_uint_eq(h.nrx, 3);
	ck_assert_uint_eq(h.n401, 3);
	rx_first = h.nrx;
	run_for(&h, 3500);
	for (size_t k = 0; k < h.nst; k++) {
		if (h.st[k] == SIP_REG_FAILED) {
			int64_t base = 200;

			for (size_t f = 0; f < nfail && base < 1600; f++)
				base *= 2;
			if (base > 1600)
				base = 1600;
			ck_assert_int_ge(h.st_next[k], base / 2 - 1);
			ck_assert_int_ge(h.st_next[k], 199);
			ck_assert_int_le(h.st_next[k], base);
			if (base < 1600)
				ck_assert_int_ge(h.st_next[k], prev);
			prev = h.st_next[k];
			fail_t = h.st_t[k];
			nfail++;
		} else if (h.st[k] == SIP_REG_REGISTERING && nfail) {
			/* the retry never comes before its time */
			ck_assert_uint_ge(h.st_t[k] - fail_t,
					  (uint64_t)prev - 1);
		}
		ck_assert_int_ne(h.st[k], SIP_REG_REGISTERED);
	}
	/* 200, 400, 800 ms: at least four attempts in 3.5 s, at most 8 */
	ck_assert_uint_ge(nfail, 4);
	ck_assert_uint_le(nfail, 8);
	/* each retry starts over without credentials: a fixed password at
	 * the registrar would be tried afresh */
	ck_assert(!h.rx[rx_first].auth);
	sip_reg_info(h.r, &i);
	ck_assert_uint_ge(i.failures, 4);
	h_free_all(&h);
}
END_TEST

/* 423 Interval Too Brief: asked again with Min-Expires, granted it. */
START_TEST(interval_too_brief)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_423);
	h.min_exp = 90;
	p = params(&h, 4);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	ck_assert_uint_eq(h.nrx, 2);
	ck_assert_uint_eq(h.rx[0].expires, 4);
	ck_assert_uint_eq(h.rx[1].expires, 90);
	ck_assert_uint_eq(h.rx[1].cseq, h.rx[0].cseq + 1);
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.granted, 90);
	ck_assert_uint_eq(i.requested, 90);
	ck_assert_int_ge(i.next_ms, 44000);
	ck_assert_int_le(i.next_ms, 45000);
	h_free_all(&h);
}
END_TEST

/* A 423 that does not ask for more is a failure, not a loop; one that
 * asks for a little more every time ends after a few rounds. */
START_TEST(interval_too_brief_bogus)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_423BAD);
	p = params(&h, 4);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.last_scode, 423);
	ck_assert_str_eq(i.last_reason, "423 without a larger Min-Expires");
	ck_assert_uint_eq(h.nrx, 1);
	h_free_all(&h);

	h_init(&h, M_423UP);
	p = params(&h, 4);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_str_eq(i.last_reason, "too many re-sends");
	ck_assert_uint_eq(h.nrx, 4);
	ck_assert_uint_eq(h.rx[3].expires, 7);
	h_free_all(&h);
}
END_TEST

/* Nobody answers: Timer F (64 * T1) ends the attempt with 408, the
 * retry comes after the back-off with a new CSeq. */
START_TEST(registrar_down)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;
	size_t first_cseq2 = 0;

	h_init(&h, M_SILENT);
	p = params(&h, 60);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 64 * T1 + SLACK));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.last_scode, 408);
	ck_assert_str_eq(i.last_reason, "timeout");
	ck_assert_int_ge(i.next_ms, 100);
	ck_assert_int_le(i.next_ms, 200);
	/* Timer E retransmitted the first REGISTER, same CSeq */
	ck_assert_uint_gt(h.nrx, 3);
	for (size_t k = 0; k < h.nrx; k++)
		ck_assert_uint_eq(h.rx[k].cseq, h.rx[0].cseq);
	ck_assert(wait_state(&h, SIP_REG_REGISTERING, 200 + SLACK));
	/* the registrar reads it on a later turn of the loop */
	run_for(&h, 50);
	for (size_t k = 0; k < h.nrx; k++)
		if (h.rx[k].cseq != h.rx[0].cseq && !first_cseq2)
			first_cseq2 = k;
	ck_assert_uint_gt(first_cseq2, 0);
	ck_assert_uint_eq(h.rx[first_cseq2].cseq, h.rx[0].cseq + 1);
	ck_assert_str_eq(h.rx[first_cseq2].call_id, h.rx[0].call_id);
	/* the registrar comes back: the next attempt succeeds */
	h.mode = M_OK;
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 64 * T1 + 1600 + SLACK));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.failures, 0);
	h_free_all(&h);
}
END_TEST

/* 503 with Retry-After: the retry waits for it, not the back-off. */
START_TEST(retry_after)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_503);
	h.retry_after = 3;
	p = params(&h, 60);
	mk(&h, &p);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.last_scode, 503);
	ck_assert_str_eq(i.last_reason, "Service Unavailable");
	ck_assert_int_ge(i.next_ms, 2900);
	ck_assert_int_le(i.next_ms, 3000);
	h_free_all(&h);
}
END_TEST

/* A 401 without credentials configured fails at once; stopping what
 * never registered sends nothing. */
START_TEST(no_credentials)
{
	struct sip_reg_params p;
	struct sip_reg_info i;
	struct reg_h h;

	h_init(&h, M_AUTH);
	p = params(&h, 60);
	p.password = NULL;
	mk(&h, &p);
	ck_assert_int_eq(sip_reg_stop(h.r), -EALREADY);
	sip_reg_start(h.r);
	ck_assert(wait_state(&h, SIP_REG_FAILED, 1000));
	sip_reg_info(h.r, &i);
	ck_assert_uint_eq(i.last_scode, 401);
	ck_assert_str_eq(i.last_reason, "challenged, no credentials");
	ck_assert_uint_eq(h.nrx, 1);
	ck_assert_int_eq(sip_reg_stop(h.r), -EALREADY);
	ck_assert_int_eq(state(&h), SIP_REG_UNREGISTERED);
	run_for(&h, 300);
	ck_assert_uint_eq(h.nrx, 1);
	h_free_all(&h);
}
END_TEST

/* Bad params are refused. */
START_TEST(bad_params)
{
	struct sip_reg_params p;
	struct reg_h h;
	struct sip_reg *r = NULL;

	h_init(&h, M_OK);
	p = params(&h, 60);
	p.aor = "tel:+4930123";
	ck_assert_int_eq(sip_reg_new(&r, h.loop, h.tsx, h.tp, &p), -EINVAL);
	p.aor = "sip:reg.test";
	ck_assert_int_eq(sip_reg_new(&r, h.loop, h.tsx, h.tp, &p), -EINVAL);
	p = params(&h, 60);
	p.retry_min_ms = 5000;
	p.retry_max_ms = 1000;
	ck_assert_int_eq(sip_reg_new(&r, h.loop, h.tsx, h.tp, &p), -EINVAL);
	p = params(&h, 60);
	p.name = "";
	ck_assert_int_eq(sip_reg_new(&r, h.loop, h.tsx, h.tp, &p), -EINVAL);
	ck_assert_ptr_null(r);
	h_free_all(&h);
}
END_TEST

static struct sip_msg *parse(const char *hdrs, uint16_t scode)
{
	char raw[1024];
	struct sip_msg *m = NULL;
	int n;

	n = snprintf(raw, sizeof(raw),
		     "SIP/2.0 %u X\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx\r\n"
		     "From: <sip:alice@reg.test>;tag=a\r\n"
		     "To: <sip:alice@reg.test>;tag=b\r\n"
		     "Call-ID: c1\r\nCSeq: 2 REGISTER\r\n%s"
		     "Content-Length: 0\r\n\r\n", scode, hdrs);
	ck_assert_int_eq(sip_msg_parse(&m, raw, (size_t)n, 0, NULL), 0);
	return m;
}

/* 10.2.4: our Contact's expires param, else Expires, else requested. */
START_TEST(granted_expiry)
{
	const struct strv me = STRV("sip:alice@127.0.0.1:5080");
	struct sip_msg *m;

	m = parse("Contact: <sip:bob@198.18.0.5>;expires=50, "
		  "<sip:alice@127.0.0.1:5080;transport=udp>;expires=30\r\n"
		  "Expires: 99\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, me, 3600), 30);
	mem_deref(m);
	/* someone else's binding only: the Expires header */
	m = parse("Contact: <sip:alice@127.0.0.1:5081>;expires=50\r\n"
		  "Expires: 99\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, me, 3600), 99);
	mem_deref(m);
	/* ours without a param, no Expires: what we asked for */
	m = parse("Contact: <sip:alice@127.0.0.1:5080>\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, me, 120), 120);
	mem_deref(m);
	/* the registrar removed it */
	m = parse("m: <sip:alice@127.0.0.1:5080>;expires=0\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, me, 120), 0);
	mem_deref(m);
	/* a broken param falls back to the header */
	m = parse("Contact: <sip:alice@127.0.0.1:5080>;expires=x\r\n"
		  "Expires: 7\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, me, 120), 7);
	mem_deref(m);
	/* default port 5060 equals an explicit one */
	m = parse("Contact: <sip:alice@127.0.0.1:5060>;expires=11\r\n", 200);
	ck_assert_uint_eq(sip_reg_granted(m, STRV("sip:alice@127.0.0.1"),
					  120), 11);
	mem_deref(m);
}
END_TEST

START_TEST(retry_after_and_min_expires)
{
	struct sip_msg *m;

	m = parse("Retry-After: 120 (I'm in a meeting);duration=60\r\n"
		  "Min-Expires: 600\r\n", 423);
	ck_assert_int_eq(sip_reg_retry_after(m), 120);
	ck_assert_uint_eq(sip_reg_min_expires(m), 600);
	mem_deref(m);
	m = parse("Retry-After: soon\r\nMin-Expires: -5\r\n", 503);
	ck_assert_int_eq(sip_reg_retry_after(m), -ENOENT);
	ck_assert_uint_eq(sip_reg_min_expires(m), 0);
	mem_deref(m);
	m = parse("", 503);
	ck_assert_int_eq(sip_reg_retry_after(m), -ENOENT);
	ck_assert_uint_eq(sip_reg_min_expires(m), 0);
	mem_deref(m);
}
END_TEST

START_TEST(schedules)
{
	uint64_t prev_hi = 0;

	ck_assert_uint_eq(sip_reg_refresh_ms(4), 2000);
	ck_assert_uint_eq(sip_reg_refresh_ms(120), 60000);
	ck_assert_uint_eq(sip_reg_refresh_ms(3600), 3540000);
	ck_assert_uint_eq(sip_reg_refresh_ms(1), 1000);
	ck_assert_uint_eq(sip_reg_refresh_ms(0), 1000);
	/* bounds of the jitter: rnd 0 gives base/2, rnd max gives base */
	ck_assert_uint_eq(sip_reg_backoff_ms(1, 1000, 60000, 0), 1000);
	ck_assert_uint_eq(sip_reg_backoff_ms(1, 1000, 60000, UINT32_MAX),
			  1000);
	ck_assert_uint_eq(sip_reg_backoff_ms(3, 1000, 60000, 0), 2000);
	ck_assert_uint_eq(sip_reg_backoff_ms(3, 1000, 60000, UINT32_MAX),
			  4000);
	ck_assert_uint_eq(sip_reg_backoff_ms(30, 1000, 60000, UINT32_MAX),
			  60000);
	ck_assert_uint_eq(sip_reg_backoff_ms(30, 1000, 60000, 0), 30000);
	ck_assert_uint_eq(sip_reg_backoff_ms(1000000, 1000, 60000, 7) >=
				  30000, 1);
	for (unsigned f = 1; f < 7; f++) {
		uint64_t lo = sip_reg_backoff_ms(f, 1000, 60000, 0);
		uint64_t hi = sip_reg_backoff_ms(f, 1000, 60000, UINT32_MAX);

		ck_assert_uint_ge(lo, prev_hi);
		ck_assert_uint_ge(hi, lo);
		prev_hi = hi;
	}
}
END_TEST

static const struct conf_sect_def *const defs[] = { &sip_reg_conf_sect,
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

START_TEST(config)
{
	const struct sip_reg_conf *rc;
	struct sip_reg_params p;
	struct conf *c = NULL;
	char err[256];

	ck_assert_int_eq(load("[registration t1]\n"
			      "registrar = 198.18.0.2\n"
			      "aor = sip:alice@carrier.test\n", &c, err,
			      sizeof(err)), 0);
	rc = conf_next(c, "registration", NULL);
	ck_assert_ptr_nonnull(rc);
	sip_reg_conf_params(rc, conf_label(rc), &p);
	ck_assert_str_eq(p.name, "t1");
	ck_assert_uint_eq(sa_port(&p.registrar), 5060);
	ck_assert_int_eq(p.tp, SIP_TP_UDP);
	ck_assert_uint_eq(p.expires, 3600);
	ck_assert_uint_eq(p.retry_min_ms, 5000);
	ck_assert_uint_eq(p.retry_max_ms, 300000);
	ck_assert_uint_eq(p.proxy.len, 0);
	ck_assert_str_eq(p.password, "");
	mem_deref(c);
	c = NULL;

	ck_assert_int_eq(load("[registration t1]\nregistrar = 198.18.0.2\n"
			      "aor = carrier.test\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "aor"));
	ck_assert_int_eq(load("[registration t1]\nregistrar = 198.18.0.2\n"
			      "aor = sip:a@b\nretry_min = 10s\n"
			      "retry_max = 2s\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "retry_max"));
	ck_assert_int_eq(load("[registration t1]\n"
			      "aor = sip:a@b\n", &c, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "registrar"));
	ck_assert_int_eq(load("[registration t1]\nregistrar = 198.18.0.2\n"
			      "aor = sip:a@b\ncontact_user = a b\n", &c, err,
			      sizeof(err)), -EINVAL);
	ck_assert_int_eq(load("[registration t1]\nregistrar = 198.18.0.2\n"
			      "aor = sip:a@b\nexpires = 0\n", &c, err,
			      sizeof(err)), -EINVAL);
	ck_assert_ptr_null(c);
}
END_TEST

static struct conf *set_conf(const struct reg_h *h, unsigned expires,
			     bool with)
{
	char text[512], err[256];
	struct conf *c = NULL;

	if (with)
		snprintf(text, sizeof(text),
			 "[registration carrier]\nregistrar = 127.0.0.1:%u\n"
			 "aor = sip:alice@reg.test\npassword = secret\n"
			 "expires = %u\nretry_min = 200ms\nretry_max = 1s\n",
			 sa_port(&h->srv), expires);
	else
		snprintf(text, sizeof(text), "; nothing\n");
	ck_assert_int_eq(load(text, &c, err, sizeof(err)), 0);
	return c;
}

static const char *show(struct ctl *ctl, bool json)
{
	static char out[4096];
	struct buf b = { 0 };

	ck_assert_int_eq(ctl_exec(ctl, json ? "-j show registrations" :
				  "show registrations", &b), 0);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The daemon's set: start from config, "show registrations", a reload
 * that changes the section replaces the registration (old one removed),
 * one that drops it unregisters it, stop removes what is left. */
START_TEST(set_reload_show_stop)
{
	struct sip_regs *s = NULL;
	struct conf *c1, *c2, *c3;
	struct ctl *ctl;
	struct reg_h h;
	const char *out;
	size_t n;

	h_init(&h, M_AUTH);
	c1 = set_conf(&h, 60, true);
	ck_assert_int_eq(sip_regs_new(&s, h.loop, h.tsx, h.tp, c1, "unit"),
			 0);
	ck_assert_uint_eq(sip_regs_count(s), 1);
	h.r = mem_ref(sip_regs_find(s, "carrier"));
	ck_assert_ptr_nonnull(h.r);
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	ctl = ctl_new(h.loop);
	ck_assert_int_eq(ctl_register(ctl, sip_regs_cmds, sip_regs_ncmds, s),
			 0);
	out = show(ctl, true);
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"carrier\""));
	ck_assert_ptr_nonnull(strstr(out, "\"state\":\"registered\""));
	ck_assert_ptr_nonnull(strstr(out, "\"aor\":\"sip:alice@reg.test\""));
	ck_assert_ptr_nonnull(strstr(out, "\"last_status\":200"));
	ck_assert_ptr_nonnull(strstr(out, "\"expires_in\":60"));
	ck_assert_ptr_nonnull(strstr(out, "\"next_attempt\":30"));
	out = show(ctl, false);
	ck_assert_ptr_nonnull(strstr(out, "carrier"));
	ck_assert_ptr_nonnull(strstr(out, "registered"));

	/* same config again: untouched */
	n = h.nrx;
	ck_assert_int_eq(sip_regs_update(s, c1, "unit"), 0);
	ck_assert_ptr_eq(sip_regs_find(s, "carrier"), h.r);
	run_for(&h, 100);
	ck_assert_uint_eq(h.nrx, n);

	/* expires changed: the old binding goes, a new one comes */
	c2 = set_conf(&h, 90, true);
	ck_assert_int_eq(sip_regs_update(s, c2, "unit"), 0);
	ck_assert_ptr_ne(sip_regs_find(s, "carrier"), h.r);
	ck_assert(wait_state(&h, SIP_REG_UNREGISTERED, 1000));
	h.r = mem_deref(h.r);
	h.r = mem_ref(sip_regs_find(s, "carrier"));
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	ck_assert_uint_eq(sip_regs_count(s), 1);
	ck_assert_uint_eq(h.rx[n].expires, 0);
	ck_assert_uint_eq(h.rx[h.nrx - 1].expires, 90);

	/* section removed: unregistered, gone from the set */
	c3 = set_conf(&h, 0, false);
	n = h.nrx;
	ck_assert_int_eq(sip_regs_update(s, c3, "unit"), 0);
	ck_assert_ptr_null(sip_regs_find(s, "carrier"));
	ck_assert(wait_state(&h, SIP_REG_UNREGISTERED, 1000));
	ck_assert_uint_eq(sip_regs_count(s), 0);
	ck_assert_uint_eq(h.rx[n].expires, 0);
	out = show(ctl, true);
	ck_assert_ptr_nonnull(strstr(out, "\"registrations\":[]"));

	/* back, then the daemon stops: unregistered before it returns */
	ck_assert_int_eq(sip_regs_update(s, c1, "unit"), 0);
	h.r = mem_deref(h.r);
	h.r = mem_ref(sip_regs_find(s, "carrier"));
	ck_assert(wait_state(&h, SIP_REG_REGISTERED, 1000));
	n = h.nrx;
	ck_assert_uint_eq(sip_regs_stop(s, 1000), 0);
	ck_assert_uint_eq(h.nrx, n + 1);
	ck_assert_uint_eq(h.rx[n].expires, 0);
	ck_assert_int_eq(state(&h), SIP_REG_UNREGISTERED);
	ck_assert_uint_eq(sip_regs_count(s), 0);

	ctl_unregister(ctl, sip_regs_cmds);
	mem_deref(ctl);
	mem_deref(s);
	mem_deref(c1);
	mem_deref(c2);
	mem_deref(c3);
	h_free_all(&h);
}
END_TEST

Suite *sip_reg_suite(void)
{
	Suite *s = suite_create("sip_reg");
	TCase *tc = tl_tcase(s, "reg");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, register_refresh_unregister);
	tcase_add_test(tc, granted_shorter);
	tcase_add_test(tc, challenge_success);
	tcase_add_test(tc, wrong_password_backoff);
	tcase_add_test(tc, interval_too_brief);
	tcase_add_test(tc, interval_too_brief_bogus);
	tcase_add_test(tc, registrar_down);
	tcase_add_test(tc, retry_after);
	tcase_add_test(tc, no_credentials);
	tcase_add_test(tc, bad_params);
	tcase_add_test(tc, granted_expiry);
	tcase_add_test(tc, retry_after_and_min_expires);
	tcase_add_test(tc, schedules);
	tcase_add_test(tc, config);
	tcase_add_test(tc, set_reload_show_stop);
	return s;
}
