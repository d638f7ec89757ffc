// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip client transactions (RFC 3261 17.1, RFC 6026, 9.1) on a real
 * loop with real timers: T1 = 20 ms, T2 = 160 ms, T4 = 200 ms, Timer D =
 * 300 ms. A capturing send callback parses and timestamps every message
 * the layer sends; responses are built from the captured request with
 * sip_resp_print() and fed back through sip_tsx_input().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/tsx.h"
#include "tl_check.h"

#define T1 20
#define T2 160
#define T4 200
#define TD 300
/* how late a timer may fire on a loaded machine before a test fails;
 * LATE bounds single send times: a schedule that is wrong is caught by
 * the lower bound (timers never fire early) and the exact counts */
#define SLACK 50
#define LATE 100

struct sent {
	uint64_t t;		/* ms since the harness started */
	enum sip_tp tp;
	struct sip_msg *m;	/* parsed copy */
};

struct got {
	uint64_t t;
	uint16_t scode;
	bool null_resp;
};

struct h {
	struct loop *loop;
	struct sip_tsx_layer *l;
	uint64_t t0;
	struct sent sent[256];
	size_t nsent;
	int fail_send;		/* error returned by the next sends */
	bool count_only;	/* stress: count sends, keep nothing */
	size_t ncounted;
	struct got got[64];
	size_t ngot;
	struct sip_ctrans *ct;
	bool late;		/* run_to() started past its target: the
				 * process was not scheduled (host steal) */
};

static uint64_t now(const struct h *h)
{
	return loop_now_ms() - h->t0;
}

static int cap_send(void *arg, enum sip_tp tp, const struct sa *dst,
		    struct sip_conn *conn, const void *data, size_t len)
{
	struct h *h = arg;
	struct sent *s;

	(void)dst;
	(void)conn;
	if (h->fail_send)
		return h->fail_send;
	if (h->count_only) {
		h->ncounted++;
		return 0;
	}
	ck_assert_uint_lt(h->nsent, 256);
	s = &h->sent[h->nsent++];
	s->t = now(h);
	s->tp = tp;
	ck_assert_int_eq(sip_msg_parse(&s->m, data, len, 0, NULL), 0);
	return 0;
}

static int cap_resp(void *arg, const struct sip_msg *req,
		    const struct sip_src *src, const void *data, size_t len)
{
	(void)req;
	return cap_send(arg, src->tp, &src->src, src->conn, data, len);
}

static void on_resp(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg)
{
	struct h *h = arg;

	ck_assert_ptr_eq(ct, h->ct);
	ck_assert_uint_lt(h->ngot, 64);
	h->got[h->ngot].t = now(h);
	h->got[h->ngot].scode = scode;
	h->got[h->ngot].null_resp = resp == NULL;
	h->ngot++;
	if (resp)
		ck_assert_uint_eq(resp->scode, scode);
}

static void h_init(struct h *h)
{
	struct sip_tsx_params p = {
		.t1 = T1, .t2 = T2, .t4 = T4, .td = TD,
		.send = cap_send, .send_resp = cap_resp, .arg = h,
	};

	memset(h, 0, sizeof(*h));
	h->loop = loop_new();
	ck_assert_ptr_nonnull(h->loop);
	ck_assert_int_eq(sip_tsx_layer_new(&h->l, h->loop, &p), 0);
	h->t0 = loop_now_ms();
}

static void h_free(struct h *h)
{
	for (size_t i = 0; i < h->nsent; i++)
		mem_deref(h->sent[i].m);
	mem_deref(h->l);
	mem_deref(h->loop);
}

/* Run the loop until @t ms after the harness started. */
static void run_to(struct h *h, uint64_t t)
{
	if (now(h) > t + LATE)
		h->late = true;
	while (now(h) < t)
		loop_poll(h->loop, (int)(t - now(h)));
}

static void req_bytes(struct buf *b, const char *method, const char *branch,
		      const char *hdrs)
{
	struct sip_req_params p = {
		.method = strv_of(method),
		.ruri = STRV("sip:+4930123@198.18.0.2"),
		.transport = STRV("UDP"),
		.sent_by = STRV("198.18.0.1:5060"),
		.branch = strv_of(branch),
		.from = STRV("<sip:alice@198.18.0.1>"),
		.from_tag = STRV("ftag1"),
		.to = STRV("<sip:+4930123@198.18.0.2>"),
		.call_id = STRV("cid-1@198.18.0.1"),
		.cseq = 7,
		.max_fwd = 70,
		.hdrs = strv_of(hdrs),
	};

	ck_assert_int_eq(sip_req_print(b, &p), 0);
}

/* Start a client transaction for @method over @tp. */
static void start(struct h *h, const char *method, enum sip_tp tp)
{
	struct sip_ctrans_dest d = { .tp = tp };
	struct buf b = { 0 };

	sa_set_ip(&d.dst, "198.18.0.2", 5060);
	req_bytes(&b, method, "z9hG4bKct1",
		  "Route: <sip:198.18.0.9;lr>\r\n");
	ck_assert_int_eq(sip_ctrans_send(&h->ct, h->l, &d, b.data, b.len,
					 on_resp, h), 0);
	buf_free(&b);
}

/* Feed a response @scode to captured request @req; returns consumed. */
static bool feed(struct h *h, const struct sip_msg *req, uint16_t scode,
		 const char *to_tag)
{
	struct sip_resp_params p = { .scode = scode,
				     .to_tag = strv_of(to_tag) };
	struct sip_src src = { .tp = SIP_TP_UDP };
	struct sip_msg *m;
	struct buf b = { 0 };
	bool r;

	ck_assert_int_eq(sip_resp_print(&b, req, &p), 0);
	ck_assert_int_eq(sip_msg_parse(&m, b.data, b.len, 0, NULL), 0);
	r = sip_tsx_input(h->l, m, &src);
	mem_deref(m);
	buf_free(&b);
	return r;
}

static size_t count_method(const struct h *h, const char *method)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nsent; i++)
		if (h->sent[i].m->req &&
		    strv_eq(h->sent[i].m->method, strv_of(method)))
			n++;
	return n;
}

static const struct sip_msg *nth_method(const struct h *h, const char *method,
					size_t nth)
{
	for (size_t i = 0; i < h->nsent; i++)
		if (h->sent[i].m->req &&
		    strv_eq(h->sent[i].m->method, strv_of(method)) && !nth--)
			return h->sent[i].m;
	return NULL;
}

/* Sends [from, from + n) happened at @want[] ms (within SLACK) and carry
 * the same bytes as the first. */
static void check_sched(const struct h *h, size_t from, const uint64_t *want,
			size_t n)
{
	const struct sip_msg *m0 = h->sent[from].m;

	for (size_t i = 0; i < n; i++) {
		const struct sent *s = &h->sent[from + i];

		ck_assert_msg(s->t + 2 >= want[i] && s->t <= want[i] + LATE,
			      "send %zu at %llu ms, want %llu", i,
			      (unsigned long long)s->t,
			      (unsigned long long)want[i]);
		ck_assert(strv_eq(s->m->raw, m0->raw));
	}
}

START_TEST(invite_timer_a_b)
{
	/* A doubles without a cap: 20, 40, 80, 160, 320, 640 */
	static const uint64_t want[] = { 0, 20, 60, 140, 300, 620, 1260 };
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	run_to(&h, 64 * T1 + 100);
	ck_assert_uint_eq(h.nsent, 7);
	check_sched(&h, 0, want, 7);
	/* Timer B: 408 made up by the layer */
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 408);
	ck_assert(h.got[0].null_resp);
	ck_assert_uint_ge(h.got[0].t + 2, 64 * T1);
	ck_assert_uint_le(h.got[0].t, 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	h_free(&h);
}
END_TEST

START_TEST(noninvite_timer_e_f)
{
	/* E doubles up to T2 = 160, then stays */
	static const uint64_t want[] = { 0,   20,  60,  140,  300, 460,
					 620, 780, 940, 1100, 1260 };
	struct h h;

	h_init(&h);
	start(&h, "OPTIONS", SIP_TP_UDP);
	run_to(&h, 64 * T1 + 100);
	ck_assert_uint_eq(h.nsent, 11);
	check_sched(&h, 0, want, 11);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 408);
	ck_assert(h.got[0].null_resp);
	ck_assert_uint_ge(h.got[0].t + 2, 64 * T1);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	h_free(&h);
}
END_TEST

/*
 * One run of noninvite_proceeding_complete; false when the process was
 * descheduled past a deadline (and @last is false): the schedule cannot
 * be judged then, the run is repeated.
 */
static bool proceeding_complete(bool last)
{
	struct h h;

	h_init(&h);
	start(&h, "OPTIONS", SIP_TP_UDP);
	ck_assert(feed(&h, h.sent[0].m, 100, NULL));
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 100);
	/* E was due at T1; in Proceeding it is reset to T2 each time */
	run_to(&h, 400);
	if (h.late && !last) {
		h_free(&h);
		return false;
	}
	ck_assert_uint_eq(h.nsent, 4);
	{
		static const uint64_t want[] = { 0, 20, 180, 340 };

		check_sched(&h, 0, want, 4);
	}
	ck_assert(feed(&h, h.sent[0].m, 200, "tt"));
	ck_assert_uint_eq(h.ngot, 2);
	ck_assert_uint_eq(h.got[1].scode, 200);
	ck_assert(!h.got[1].null_resp);
	/* Completed: retransmitted 200 absorbed, no more requests */
	ck_assert(feed(&h, h.sent[0].m, 200, "tt"));
	ck_assert_uint_eq(h.ngot, 2);
	run_to(&h, 400 + T4 - 80);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	ck_assert_uint_eq(h.nsent, 4);
	/* Timer K = T4 */
	run_to(&h, 400 + T4 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert(!feed(&h, h.sent[0].m, 200, "tt"));
	ck_assert_uint_eq(h.ngot, 2);
	h_free(&h);
	return true;
}

START_TEST(noninvite_proceeding_complete)
{
	for (int i = 0; i < 3; i++)
		if (proceeding_complete(i == 2))
			return;
}
END_TEST

START_TEST(invite_non2xx_ack)
{
	const struct sip_msg *inv, *ack;
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	inv = h.sent[0].m;
	ck_assert(feed(&h, inv, 180, "callee"));
	run_to(&h, 100);
	/* Proceeding: no retransmissions, no Timer B */
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert(feed(&h, inv, 486, "callee"));
	ck_assert_uint_eq(h.ngot, 2);
	ck_assert_uint_eq(h.got[0].scode, 180);
	ck_assert_uint_eq(h.got[1].scode, 486);
	ck_assert_uint_eq(count_method(&h, "ACK"), 1);
	ack = nth_method(&h, "ACK", 0);
	/* 17.1.1.3 */
	ck_assert(strv_eq(ack->ruri.raw, inv->ruri.raw));
	ck_assert(strv_eq(ack->via.branch, STRV("z9hG4bKct1")));
	ck_assert_uint_eq(ack->nvia, 1);
	ck_assert(strv_eq(ack->to.tag, STRV("callee")));
	ck_assert(strv_eq(ack->from.raw, inv->from.raw));
	ck_assert(strv_eq(ack->call_id, inv->call_id));
	ck_assert_uint_eq(ack->cseq.num, 7);
	ck_assert_uint_eq(ack->cseq.meth, SIP_METHOD_ACK);
	ck_assert(strv_eq(sip_msg_hdr(ack, SIP_HDR_ROUTE)->val,
			  STRV("<sip:198.18.0.9;lr>")));
	ck_assert_uint_eq(ack->clen, 0);
	/* the 486 again: ACK again, the TU is not told twice */
	ck_assert(feed(&h, inv, 486, "callee"));
	ck_assert_uint_eq(count_method(&h, "ACK"), 2);
	ck_assert(strv_eq(nth_method(&h, "ACK", 1)->raw, ack->raw));
	ck_assert_uint_eq(h.ngot, 2);
	/* Timer D (TD over UDP) */
	run_to(&h, 100 + TD - 100);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	run_to(&h, 100 + TD + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(count_method(&h, "INVITE"), 1);
	h_free(&h);
}
END_TEST

START_TEST(invite_proceeding_waits)
{
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	run_to(&h, 30);
	ck_assert(feed(&h, h.sent[0].m, 183, "callee"));
	/* Proceeding: Timer A stops and Timer B no longer applies: a
	 * ringing call waits for the TU (or the callee) to end it */
	run_to(&h, 64 * T1 + 2 * SLACK);
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 183);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	ck_assert(feed(&h, h.sent[0].m, 200, "callee"));
	ck_assert_uint_eq(h.ngot, 2);
	h_free(&h);
}
END_TEST

START_TEST(invite_2xx_accepted)
{
	struct h h;
	size_t n;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	run_to(&h, 25);
	n = h.nsent;
	ck_assert_uint_ge(n, 2);
	ck_assert(feed(&h, h.sent[0].m, 200, "b1"));
	/* RFC 6026: a retransmitted 2xx and a forked one go up too */
	ck_assert(feed(&h, h.sent[0].m, 200, "b1"));
	ck_assert(feed(&h, h.sent[0].m, 200, "b2"));
	/* a late 1xx or a non-2xx is absorbed */
	ck_assert(feed(&h, h.sent[0].m, 180, "b3"));
	ck_assert(feed(&h, h.sent[0].m, 500, "b3"));
	ck_assert_uint_eq(h.ngot, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_uint_eq(h.got[i].scode, 200);
	run_to(&h, 200);
	/* no ACK from the transaction for 2xx, no retransmission */
	ck_assert_uint_eq(h.nsent, n);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	/* Timer M = 64*T1 after the first 2xx */
	run_to(&h, 25 + 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert(!feed(&h, h.sent[0].m, 200, "b1"));
	h_free(&h);
}
END_TEST

START_TEST(cancel_after_provisional)
{
	const struct sip_msg *inv, *can;
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	inv = h.sent[0].m;
	ck_assert(feed(&h, inv, 180, "callee"));
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), 0);
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), -EALREADY);
	ck_assert_uint_eq(count_method(&h, "CANCEL"), 1);
	can = nth_method(&h, "CANCEL", 0);
	/* 9.1 */
	ck_assert(strv_eq(can->ruri.raw, inv->ruri.raw));
	ck_assert(strv_eq(can->via.raw, inv->via.raw));
	ck_assert(strv_eq(can->call_id, inv->call_id));
	ck_assert(strv_eq(can->from.raw, inv->from.raw));
	ck_assert(strv_eq(can->to.raw, inv->to.raw));
	ck_assert(!can->to.tag.l);
	ck_assert_uint_eq(can->cseq.num, inv->cseq.num);
	ck_assert_uint_eq(can->cseq.meth, SIP_METHOD_CANCEL);
	ck_assert(strv_eq(sip_msg_hdr(can, SIP_HDR_ROUTE)->val,
			  STRV("<sip:198.18.0.9;lr>")));
	ck_assert_uint_eq(sip_tsx_count(h.l), 2);
	/* the CANCEL's own transaction retransmits (E) until answered */
	run_to(&h, 30);
	ck_assert_uint_ge(count_method(&h, "CANCEL"), 2);
	/* its 200 is consumed and not shown to the INVITE's TU */
	ck_assert(feed(&h, can, 200, "callee"));
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert(feed(&h, inv, 487, "callee"));
	ck_assert_uint_eq(h.ngot, 2);
	ck_assert_uint_eq(h.got[1].scode, 487);
	ck_assert_uint_eq(count_method(&h, "ACK"), 1);
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), -EALREADY);
	run_to(&h, 30 + TD + T4 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	run_to(&h, 64 * T1 + SLACK);
	ck_assert_uint_eq(h.ngot, 2);
	h_free(&h);
}
END_TEST

START_TEST(cancel_before_provisional)
{
	const struct sip_hdr *r;
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	/* the Reason is kept until the CANCEL can go (RFC 3326) */
	ck_assert_int_eq(sip_ctrans_cancel(h.ct,
					   "Reason: Q.850;cause=16\r\n"), 0);
	run_to(&h, 100);	/* INVITE at 0, 20, 60; no CANCEL yet */
	ck_assert_uint_eq(count_method(&h, "CANCEL"), 0);
	ck_assert_uint_eq(count_method(&h, "INVITE"), 3);
	ck_assert(feed(&h, h.sent[0].m, 100, NULL));
	/* sent as soon as the first provisional arrived */
	ck_assert_uint_eq(count_method(&h, "CANCEL"), 1);
	r = sip_msg_hdr(nth_method(&h, "CANCEL", 0), SIP_HDR_REASON);
	ck_assert(r && strv_eq(r->val, STRV("Q.850;cause=16")));
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), -EALREADY);
	/* no answer to the CANCEL, no final to the INVITE: 9.1 gives up
	 * 64*T1 after the CANCEL with 408 */
	run_to(&h, 100 + 64 * T1 + SLACK);
	ck_assert_uint_eq(h.ngot, 2);
	ck_assert_uint_eq(h.got[1].scode, 408);
	ck_assert(h.got[1].null_resp);
	ck_assert_uint_ge(h.got[1].t + 2, 100 + 64 * T1);
	ck_assert_uint_eq(count_method(&h, "INVITE"), 3);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	h_free(&h);
}
END_TEST

START_TEST(cancel_wanted_then_timer_b)
{
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), 0);
	run_to(&h, 64 * T1 + SLACK);
	/* never a provisional: never a CANCEL; Timer B ends it */
	ck_assert_uint_eq(count_method(&h, "CANCEL"), 0);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 408);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	h_free(&h);
}
END_TEST

START_TEST(reliable_no_retransmit)
{
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_TCP);
	run_to(&h, 64 * T1 + SLACK);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].tp, SIP_TP_TCP);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 408);
	h_free(&h);

	/* Completed lasts 0 ms over TCP: D and K are zero */
	h_init(&h);
	start(&h, "INVITE", SIP_TP_TCP);
	ck_assert(feed(&h, h.sent[0].m, 603, "x"));
	ck_assert_uint_eq(count_method(&h, "ACK"), 1);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	loop_poll(h.loop, 0);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	start(&h, "BYE", SIP_TP_TLS);
	ck_assert(feed(&h, nth_method(&h, "BYE", 0), 200, "x"));
	loop_poll(h.loop, 0);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(h.nsent, 3);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	h_free(&h);
}
END_TEST

START_TEST(transport_errors)
{
	struct sip_ctrans_dest d = { .tp = SIP_TP_UDP };
	struct buf b = { 0 };
	struct h h;

	h_init(&h);
	/* the first send fails: an error now, no transaction, no call */
	req_bytes(&b, "INVITE", "z9hG4bKx", "");
	h.fail_send = -ENETUNREACH;
	ck_assert_int_eq(sip_ctrans_send(NULL, h.l, &d, b.data, b.len,
					 on_resp, &h), -ENETUNREACH);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	/* a retransmission fails: 503 to the TU (8.1.3.1) */
	h.fail_send = 0;
	start(&h, "INVITE", SIP_TP_UDP);
	h.fail_send = -ECONNREFUSED;
	run_to(&h, T1 + SLACK);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 503);
	ck_assert(h.got[0].null_resp);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	buf_free(&b);
	h_free(&h);
}
END_TEST

/* A stream connection that never came up: the requests sent to that
 * place over that transport without a response yet fail at once (503),
 * the others stay. */
START_TEST(transport_failed)
{
	struct sa there, other;
	struct h h;

	h_init(&h);
	sa_set_ip(&there, "198.18.0.2", 5060); /* where start() sends */
	sa_set_ip(&other, "198.18.0.3", 5060);
	start(&h, "INVITE", SIP_TP_TCP);
	ck_assert_uint_eq(sip_tsx_transport_failed(h.l, SIP_TP_TCP, &other), 0);
	ck_assert_uint_eq(sip_tsx_transport_failed(h.l, SIP_TP_TLS, &there), 0);
	ck_assert_uint_eq(h.ngot, 0);
	ck_assert_uint_eq(sip_tsx_transport_failed(h.l, SIP_TP_TCP, &there), 1);
	ck_assert_uint_eq(h.ngot, 1);
	ck_assert_uint_eq(h.got[0].scode, 503);
	ck_assert(h.got[0].null_resp);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	/* one that had a response came through that connection: kept */
	start(&h, "OPTIONS", SIP_TP_TCP);
	ck_assert(feed(&h, nth_method(&h, "OPTIONS", 0), 100, NULL));
	ck_assert_uint_eq(sip_tsx_transport_failed(h.l, SIP_TP_TCP, &there), 0);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	ck_assert_uint_eq(h.ngot, 2);
	h_free(&h);
}
END_TEST

START_TEST(bad_requests)
{
	struct sip_ctrans_dest d = { .tp = SIP_TP_UDP };
	struct buf b = { 0 };
	struct h h;

	h_init(&h);
	req_bytes(&b, "ACK", "z9hG4bKa", "");
	ck_assert_int_eq(sip_ctrans_send(NULL, h.l, &d, b.data, b.len,
					 on_resp, &h), -EINVAL);
	buf_reset(&b);
	/* no magic cookie: we only send RFC 3261 branches */
	req_bytes(&b, "INVITE", "abc", "");
	ck_assert_int_eq(sip_ctrans_send(NULL, h.l, &d, b.data, b.len,
					 on_resp, &h), -EINVAL);
	ck_assert_int_eq(sip_ctrans_send(NULL, h.l, &d, "garbage", 7,
					 on_resp, &h), -EINVAL);
	start(&h, "OPTIONS", SIP_TP_UDP);
	ck_assert_int_eq(sip_ctrans_cancel(h.ct, NULL), -EINVAL);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	buf_free(&b);
	h_free(&h);
}
END_TEST

START_TEST(response_matching)
{
	struct sip_resp_params p = { .scode = 200, .to_tag = STRV("t") };
	struct sip_src src = { .tp = SIP_TP_UDP };
	struct sip_msg *req, *m;
	struct buf b = { 0 };
	struct h h;

	h_init(&h);
	start(&h, "INVITE", SIP_TP_UDP);
	/* same branch, CSeq method CANCEL: not the INVITE's answer */
	req_bytes(&b, "CANCEL", "z9hG4bKct1", "");
	ck_assert_int_eq(sip_msg_parse(&req, b.data, b.len, 0, NULL), 0);
	ck_assert(!feed(&h, req, 200, "t"));
	mem_deref(req);
	buf_reset(&b);
	/* another branch */
	req_bytes(&b, "INVITE", "z9hG4bKother", "");
	ck_assert_int_eq(sip_msg_parse(&req, b.data, b.len, 0, NULL), 0);
	ck_assert(!feed(&h, req, 200, "t"));
	buf_reset(&b);
	/* a request, and no request handler: not consumed */
	ck_assert(!sip_tsx_input(h.l, req, &src));
	mem_deref(req);
	ck_assert_uint_eq(h.ngot, 0);
	/* the right one */
	ck_assert_int_eq(sip_resp_print(&b, h.sent[0].m, &p), 0);
	ck_assert_int_eq(sip_msg_parse(&m, b.data, b.len, 0, NULL), 0);
	ck_assert(sip_tsx_input(h.l, m, &src));
	ck_assert_uint_eq(h.ngot, 1);
	mem_deref(m);
	buf_free(&b);
	h_free(&h);
}
END_TEST

static void abandon_on(struct sip_ctrans *ct, uint16_t scode,
		       const struct sip_msg *resp, void *arg)
{
	int *n = arg;

	(void)resp;
	(*n)++;
	if (scode < 200)
		sip_ctrans_abandon(ct);
}

START_TEST(abandon_and_layer_free)
{
	struct sip_ctrans_dest d = { .tp = SIP_TP_UDP };
	struct sip_ctrans *ct;
	struct buf b = { 0 };
	int n = 0;
	struct h h;

	h_init(&h);
	req_bytes(&b, "INVITE", "z9hG4bKab", "");
	ck_assert_int_eq(sip_ctrans_send(&ct, h.l, &d, b.data, b.len,
					 abandon_on, &n), 0);
	/* the TU keeps its own reference past the layer */
	mem_ref(ct);
	ck_assert(feed(&h, h.sent[0].m, 180, "a"));
	ck_assert(feed(&h, h.sent[0].m, 486, "a"));
	ck_assert_int_eq(n, 1);
	/* still ACKed after the TU left */
	ck_assert_uint_eq(count_method(&h, "ACK"), 1);
	start(&h, "OPTIONS", SIP_TP_UDP);
	run_to(&h, 30);
	/* freeing the layer ends everything without callbacks */
	mem_deref(h.l);
	h.l = NULL;
	ck_assert_uint_eq(h.ngot, 0);
	ck_assert_int_eq(sip_ctrans_cancel(ct, NULL), -ESRCH);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	mem_deref(ct);
	buf_free(&b);
	h_free(&h);
}
END_TEST

START_TEST(set_timers)
{
	static const uint64_t want[] = { 0, 50, 150 };
	struct h h;

	h_init(&h);
	ck_assert_int_eq(sip_tsx_set_timers(h.l, 100, 50, 0), -EINVAL);
	ck_assert_int_eq(sip_tsx_set_timers(h.l, 50, 0, 0), 0);
	start(&h, "INVITE", SIP_TP_UDP);
	run_to(&h, 200);
	ck_assert_uint_eq(h.nsent, 3);
	check_sched(&h, 0, want, 3);
	h_free(&h);
}
END_TEST

static void count_final(struct sip_ctrans *ct, uint16_t scode,
			const struct sip_msg *resp, void *arg)
{
	size_t *n = arg;

	(void)ct;
	(void)resp;
	if (scode >= 200)
		(*n)++;
}

/* Thousands of client transactions over UDP and TCP, every one answered
 * (INVITEs with 2xx and non-2xx, BYEs), all gone at the end. */
START_TEST(stress)
{
	enum { N = 3000 };
	struct sip_ctrans_dest d = { .tp = SIP_TP_UDP };
	struct sip_src src = { .tp = SIP_TP_UDP };
	struct buf b = { 0 };
	size_t finals = 0;
	struct h h;

	h_init(&h);
	h.count_only = true;
	sa_set_ip(&d.dst, "198.18.0.2", 5060);
	for (int i = 0; i < N; i++) {
		static const char *const meth[] = { "INVITE", "BYE" };
		struct sip_req_params p = {
			.method = strv_of(meth[i % 2]),
			.ruri = STRV("sip:x@198.18.0.2"),
			.transport = STRV("UDP"),
			.sent_by = STRV("198.18.0.1:5060"),
			.from = STRV("<sip:a@198.18.0.1>"),
			.from_tag = STRV("f"),
			.to = STRV("<sip:x@198.18.0.2>"),
			.cseq = 1,
			.max_fwd = 70,
		};
		struct sip_resp_params rp = { .to_tag = STRV("t") };
		struct sip_msg *req, *resp;
		char branch[32], cid[32];
		struct buf rb = { 0 };

		snprintf(branch, sizeof(branch), "z9hG4bKs%d", i);
		snprintf(cid, sizeof(cid), "stress-%d", i);
		p.branch = strv_of(branch);
		p.call_id = strv_of(cid);
		d.tp = i % 3 ? SIP_TP_UDP : SIP_TP_TCP;
		buf_reset(&b);
		ck_assert_int_eq(sip_req_print(&b, &p), 0);
		ck_assert_int_eq(sip_ctrans_send(NULL, h.l, &d, b.data, b.len,
						 count_final, &finals), 0);
		ck_assert_int_eq(sip_msg_parse(&req, b.data, b.len, 0, NULL),
				 0);
		rp.scode = i % 4 == 0 ? 200 : 486;
		ck_assert_int_eq(sip_resp_print(&rb, req, &rp), 0);
		ck_assert_int_eq(sip_msg_parse(&resp, rb.data, rb.len, 0,
					       NULL), 0);
		ck_assert(sip_tsx_input(h.l, resp, &src));
		mem_deref(resp);
		mem_deref(req);
		buf_free(&rb);
	}
	ck_assert_uint_eq(finals, N);
	/* every request, and an ACK for each INVITE's 486 */
	ck_assert_uint_eq(h.ncounted, N + N / 4);
	ck_assert_uint_eq(sip_tsx_count(h.l), N);
	run_to(&h, now(&h) + 64 * T1 + TD + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	buf_free(&b);
	h_free(&h);
}
END_TEST

Suite *sip_tsx_suite(void)
{
	Suite *s = suite_create("sip_tsx");
	TCase *tc = tl_tcase(s, "client");

	tcase_add_test(tc, invite_timer_a_b);
	tcase_add_test(tc, noninvite_timer_e_f);
	tcase_add_test(tc, noninvite_proceeding_complete);
	tcase_add_test(tc, invite_non2xx_ack);
	tcase_add_test(tc, invite_proceeding_waits);
	tcase_add_test(tc, invite_2xx_accepted);
	tcase_add_test(tc, cancel_after_provisional);
	tcase_add_test(tc, cancel_before_provisional);
	tcase_add_test(tc, cancel_wanted_then_timer_b);
	tcase_add_test(tc, reliable_no_retransmit);
	tcase_add_test(tc, transport_errors);
	tcase_add_test(tc, transport_failed);
	tcase_add_test(tc, bad_requests);
	tcase_add_test(tc, response_matching);
	tcase_add_test(tc, abandon_and_layer_free);
	tcase_add_test(tc, set_timers);
	tcase_add_test(tc, stress);
	return s;
}
