// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip server transactions (RFC 3261 17.2, RFC 6026, 9.2, 8.2.2.2)
 * on a real loop with real timers: T1 = 20 ms, T2 = 160 ms, T4 = 200 ms.
 * Requests are built with sip_req_print(), parsed and fed through
 * sip_tsx_input(); every response the layer sends is captured, parsed and
 * timestamped.
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
/* how late a timer may fire on a loaded machine before a test fails;
 * LATE bounds single send times: a schedule that is wrong is caught by
 * the lower bound (timers never fire early) and the exact counts */
#define SLACK 50
#define LATE 100

struct sent {
	uint64_t t;
	struct sip_msg *m;
};

struct ev {
	enum sip_strans_ev ev;
	uint64_t t;
	bool has_msg;
};

struct h {
	struct loop *loop;
	struct sip_tsx_layer *l;
	uint64_t t0;
	struct sent sent[256];
	size_t nsent;
	bool count_only;
	size_t ncounted;
	int fail_send;
	/* the TU */
	size_t nreq;
	struct sip_strans *st;	/* last new transaction, referenced */
	uint16_t answer;	/* answer at once in the request handler */
	bool handler;		/* set an event handler */
	struct ev ev[16];
	size_t nev;
	struct sip_src src;	/* where requests come from */
};

static uint64_t now(const struct h *h)
{
	return loop_now_ms() - h->t0;
}

static int cap_send(void *arg, enum sip_tp tp, const struct sa *dst,
		    struct sip_conn *conn, const void *data, size_t len)
{
	(void)arg;
	(void)tp;
	(void)dst;
	(void)conn;
	(void)data;
	(void)len;
	ck_abort_msg("a server test sent a request");
	return -EIO;
}

static int cap_resp(void *arg, const struct sip_msg *req,
		    const struct sip_src *src, const void *data, size_t len)
{
	struct h *h = arg;
	struct sent *s;

	ck_assert_ptr_nonnull(req);
	ck_assert_uint_eq(src->tp, h->src.tp);
	ck_assert_ptr_eq(src->conn, h->src.conn);
	if (h->fail_send)
		return h->fail_send;
	if (h->count_only) {
		h->ncounted++;
		return 0;
	}
	ck_assert_uint_lt(h->nsent, 256);
	s = &h->sent[h->nsent++];
	s->t = now(h);
	ck_assert_int_eq(sip_msg_parse(&s->m, data, len, 0, NULL), 0);
	ck_assert(!s->m->req);
	/* every response is to the request it answers */
	ck_assert(strv_eq(s->m->call_id, req->call_id));
	ck_assert(strv_eq(s->m->via.raw, req->via.raw));
	return 0;
}

static void on_event(struct sip_strans *st, enum sip_strans_ev ev,
		     const struct sip_msg *msg, void *arg)
{
	struct h *h = arg;

	ck_assert_ptr_eq(st, h->st);
	ck_assert_uint_lt(h->nev, 16);
	h->ev[h->nev].ev = ev;
	h->ev[h->nev].t = now(h);
	h->ev[h->nev].has_msg = msg != NULL;
	h->nev++;
}

static int reply(struct h *h, uint16_t scode)
{
	struct sip_resp_params p = { .scode = scode,
				     .to_tag = STRV("uas-tag") };

	return sip_strans_reply(h->st, &p);
}

static void on_req(struct sip_strans *st, const struct sip_msg *req,
		   const struct sip_src *src, void *arg)
{
	struct h *h = arg;

	ck_assert_ptr_eq(sip_strans_req(st), req);
	ck_assert_ptr_eq(sip_strans_src(st)->conn, src->conn);
	h->nreq++;
	if (h->count_only) {
		struct sip_resp_params p = { .scode = h->answer,
					     .to_tag = STRV("t") };

		ck_assert_int_eq(sip_strans_reply(st, &p), 0);
		return;
	}
	mem_deref(h->st);
	h->st = mem_ref(st);
	if (h->handler)
		sip_strans_set_handler(st, on_event, h);
	if (h->answer)
		ck_assert_int_eq(reply(h, h->answer), 0);
}

static void h_init(struct h *h, enum sip_tp tp)
{
	struct sip_tsx_params p = {
		.t1 = T1, .t2 = T2, .t4 = T4,
		.send = cap_send, .send_resp = cap_resp, .reqh = on_req,
		.arg = h,
	};

	memset(h, 0, sizeof(*h));
	h->loop = loop_new();
	ck_assert_ptr_nonnull(h->loop);
	ck_assert_int_eq(sip_tsx_layer_new(&h->l, h->loop, &p), 0);
	h->src.tp = tp;
	sa_set_ip(&h->src.src, "198.18.0.1", 5060);
	/* a stream connection is an opaque mem object to the layer */
	if (tp != SIP_TP_UDP)
		h->src.conn = mem_zalloc(8, NULL);
	h->t0 = loop_now_ms();
}

static void h_free(struct h *h)
{
	for (size_t i = 0; i < h->nsent; i++)
		mem_deref(h->sent[i].m);
	mem_deref(h->st);
	mem_deref(h->l);
	mem_deref(h->src.conn);
	mem_deref(h->loop);
}

static void run_to(struct h *h, uint64_t t)
{
	while (now(h) < t)
		loop_poll(h->loop, (int)(t - now(h)));
}

/* A request to feed; unset fields take defaults: an INVITE with branch
 * z9hG4bKi1, CSeq 7, Max-Forwards 70 (-1 means 0), no To tag. */
struct rq {
	int none;	/* lets RQ() be empty */
	const char *method, *branch, *to_tag, *sent_by, *from_tag, *call_id;
	uint32_t cseq;
	int max_fwd;
};

static bool feed(struct h *h, struct rq r)
{
	struct sip_req_params p = {
		.method = strv_of(r.method ? r.method : "INVITE"),
		.ruri = STRV("sip:+4930123@198.18.0.2"),
		.transport = STRV("UDP"),
		.sent_by = strv_of(r.sent_by ? r.sent_by : "198.18.0.1:5060"),
		.branch = strv_of(r.branch ? r.branch : "z9hG4bKi1"),
		.from = STRV("<sip:alice@198.18.0.1>"),
		.from_tag = strv_of(r.from_tag ? r.from_tag : "ftag1"),
		.to = STRV("<sip:+4930123@198.18.0.2>"),
		.to_tag = strv_of(r.to_tag),
		.call_id = strv_of(r.call_id ? r.call_id : "cid-1@198.18.0.1"),
		.cseq = r.cseq ? r.cseq : 7,
		.max_fwd = (uint8_t)(r.max_fwd < 0 ? 0 : r.max_fwd ? r.max_fwd
								    : 70),
	};
	struct buf b = { 0 };
	struct sip_msg *m;
	bool ret;

	ck_assert_int_eq(sip_req_print(&b, &p), 0);
	ck_assert_int_eq(sip_msg_parse(&m, b.data, b.len, 0, NULL), 0);
	ret = sip_tsx_input(h->l, m, &h->src);
	mem_deref(m);
	buf_free(&b);
	return ret;
}

#define RQ(...) ((struct rq){ .none = 0, __VA_ARGS__ })

static size_t count_code(const struct h *h, uint16_t scode)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nsent; i++)
		n += h->sent[i].m->scode == scode;
	return n;
}

static void check_times(const struct h *h, size_t from, const uint64_t *want,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t = h->sent[from + i].t;

		ck_assert_msg(t + 2 >= want[i] && t <= want[i] + LATE,
			      "response %zu at %llu ms, want %llu", from + i,
			      (unsigned long long)t,
			      (unsigned long long)want[i]);
		ck_assert(strv_eq(h->sent[from + i].m->raw,
				  h->sent[from].m->raw));
	}
}

START_TEST(trying_after_200ms)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, RQ()));
	ck_assert_uint_eq(h.nreq, 1);
	run_to(&h, 200 + SLACK);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].m->scode, 100);
	ck_assert_uint_ge(h.sent[0].t + 2, 200);
	/* 8.2.6.1: no To tag on the 100 */
	ck_assert(!h.sent[0].m->to.tag.l);
	/* a retransmission: the last provisional again, TU not called */
	ck_assert(feed(&h, RQ()));
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.sent[1].m->scode, 100);
	ck_assert_int_eq(reply(&h, 180), 0);
	ck_assert(feed(&h, RQ()));
	ck_assert_uint_eq(h.nsent, 4);
	ck_assert_uint_eq(h.sent[3].m->scode, 180);
	ck_assert(strv_eq(h.sent[3].m->raw, h.sent[2].m->raw));
	ck_assert(strv_eq(h.sent[3].m->to.tag, STRV("uas-tag")));
	ck_assert_uint_eq(h.nreq, 1);
	h_free(&h);

	/* a TU that answers at once never causes a 100; an early
	 * retransmission does */
	h_init(&h, SIP_TP_UDP);
	h.answer = 183;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 250);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].m->scode, 183);
	mem_deref(h.st);
	h.st = NULL;
	h.answer = 0;
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKi2", .call_id = "c2")));
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKi2", .call_id = "c2")));
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.sent[1].m->scode, 100);
	run_to(&h, 500);
	ck_assert_uint_eq(h.nsent, 2);
	h_free(&h);
}
END_TEST

START_TEST(timer_g_h)
{
	/* G: T1 doubling, capped at T2 */
	static const uint64_t want[] = { 0,   20,  60,  140,  300, 460,
					 620, 780, 940, 1100, 1260 };
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.answer = 486;
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 64 * T1 + 100);
	ck_assert_uint_eq(h.nsent, 11);
	check_times(&h, 0, want, 11);
	ck_assert_uint_eq(count_code(&h, 486), 11);
	/* Timer H: the TU hears that no ACK came */
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_NOACK);
	ck_assert_uint_ge(h.ev[0].t + 2, 64 * T1);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_int_eq(reply(&h, 500), -ESRCH);
	h_free(&h);
}
END_TEST

START_TEST(ack_confirmed)
{
	struct h h;
	size_t n;

	h_init(&h, SIP_TP_UDP);
	h.answer = 486;
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 30);
	n = h.nsent;
	ck_assert_uint_ge(n, 2);
	/* retransmitted INVITE in Completed: the 486 again */
	ck_assert(feed(&h, RQ()));
	ck_assert_uint_eq(h.nsent, ++n);
	ck_assert_int_eq(reply(&h, 200), -EALREADY);
	/* the ACK: same branch, our To tag */
	ck_assert(feed(&h, RQ(.method = "ACK", .to_tag = "uas-tag")));
	/* Confirmed: G stopped; ACKs and INVITEs absorbed silently */
	ck_assert(feed(&h, RQ(.method = "ACK", .to_tag = "uas-tag")));
	ck_assert(feed(&h, RQ()));
	run_to(&h, 30 + T4 - 80);
	ck_assert_uint_eq(h.nsent, n);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	/* Timer I = T4 */
	run_to(&h, 30 + T4 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(h.nev, 0);
	ck_assert_uint_eq(h.nreq, 1);
	/* an ACK for nothing is the dialog layer's */
	ck_assert(!feed(&h, RQ(.method = "ACK", .to_tag = "uas-tag")));
	h_free(&h);
}
END_TEST

START_TEST(accepted_2xx_until_ack)
{
	static const uint64_t want[] = { 0, 20, 60, 140 };
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.answer = 200;
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 200);
	ck_assert_uint_eq(h.nsent, 4);
	check_times(&h, 0, want, 4);
	/* INVITE retransmissions are absorbed in Accepted (RFC 6026) */
	ck_assert(feed(&h, RQ()));
	ck_assert_uint_eq(h.nsent, 4);
	/* the ACK of a 2xx: its own branch, matched on the dialog */
	ck_assert(!feed(&h, RQ(.method = "ACK", .branch = "z9hG4bKa",
				   .to_tag = "wrong")));
	ck_assert_uint_eq(h.nev, 0);
	ck_assert(feed(&h, RQ(.method = "ACK", .branch = "z9hG4bKa",
				  .to_tag = "uas-tag")));
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_ACK);
	ck_assert(h.ev[0].has_msg);
	/* a repeated ACK is absorbed, no second event */
	ck_assert(feed(&h, RQ(.method = "ACK", .branch = "z9hG4bKa",
				  .to_tag = "uas-tag")));
	ck_assert_uint_eq(h.nev, 1);
	run_to(&h, 400);
	ck_assert_uint_eq(h.nsent, 4);
	ck_assert_uint_eq(h.nreq, 1);
	/* Timer L: the transaction ends 64*T1 after the 2xx */
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	run_to(&h, 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(h.nev, 1);
	h_free(&h);
}
END_TEST

START_TEST(accepted_no_ack)
{
	static const uint64_t want[] = { 0,   20,  60,  140,  300, 460,
					 620, 780, 940, 1100, 1260 };
	struct h h;

	/* 13.3.1.4 retransmits the 2xx on every transport */
	h_init(&h, SIP_TP_TCP);
	h.answer = 200;
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 64 * T1 + 100);
	ck_assert_uint_eq(h.nsent, 11);
	check_times(&h, 0, want, 11);
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_NOACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	h_free(&h);
}
END_TEST

START_TEST(noninvite)
{
	struct rq opt = { .method = "OPTIONS", .branch = "z9hG4bKo1" };
	struct h h;

	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, opt));
	/* Trying: a retransmission gets nothing, no 100 for non-INVITE */
	ck_assert(feed(&h, opt));
	run_to(&h, 300);
	ck_assert_uint_eq(h.nsent, 0);
	/* Proceeding: a retransmission gets the provisional again */
	ck_assert_int_eq(reply(&h, 183), 0);
	ck_assert(feed(&h, opt));
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.sent[1].m->scode, 183);
	ck_assert_int_eq(reply(&h, 200), 0);
	ck_assert_uint_eq(h.nsent, 3);
	ck_assert(strv_eq(h.sent[2].m->to.tag, STRV("uas-tag")));
	ck_assert_uint_eq(h.sent[2].m->cseq.meth, SIP_METHOD_OPTIONS);
	/* Completed: each retransmission gets the 200 again */
	ck_assert(feed(&h, opt));
	ck_assert(feed(&h, opt));
	ck_assert_uint_eq(h.nsent, 5);
	ck_assert(strv_eq(h.sent[4].m->raw, h.sent[2].m->raw));
	ck_assert_uint_eq(h.nreq, 1);
	ck_assert_int_eq(reply(&h, 500), -EALREADY);
	/* no retransmission of its own (no Timer G for non-INVITE) */
	run_to(&h, 300 + 64 * T1 - 80);
	ck_assert_uint_eq(h.nsent, 5);
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	/* Timer J = 64*T1 over UDP */
	run_to(&h, 300 + 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	/* after J the same request is a new one */
	ck_assert(feed(&h, opt));
	ck_assert_uint_eq(h.nreq, 2);
	h_free(&h);
}
END_TEST

START_TEST(cancel_487)
{
	struct rq can = RQ(.method = "CANCEL");
	const struct sip_msg *r;
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	ck_assert_int_eq(reply(&h, 180), 0);
	ck_assert(feed(&h, can));
	/* 200 to the CANCEL, with the INVITE's To tag (9.2) */
	ck_assert_uint_eq(h.nsent, 2);
	r = h.sent[1].m;
	ck_assert_uint_eq(r->scode, 200);
	ck_assert_uint_eq(r->cseq.meth, SIP_METHOD_CANCEL);
	ck_assert(strv_eq(r->to.tag, STRV("uas-tag")));
	/* the TU heard it and answers the INVITE 487 */
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_CANCELLED);
	ck_assert(h.ev[0].has_msg);
	ck_assert_int_eq(reply(&h, 487), 0);
	ck_assert_uint_eq(h.sent[2].m->scode, 487);
	ck_assert_uint_eq(h.sent[2].m->cseq.meth, SIP_METHOD_INVITE);
	/* a retransmitted CANCEL: the 200 again, no second event */
	ck_assert(feed(&h, can));
	ck_assert_uint_eq(h.nsent, 4);
	ck_assert(strv_eq(h.sent[3].m->raw, r->raw));
	ck_assert_uint_eq(h.nev, 1);
	ck_assert(feed(&h, RQ(.method = "ACK", .to_tag = "uas-tag")));
	ck_assert_uint_eq(h.nreq, 1);
	run_to(&h, 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(h.nev, 1);
	h_free(&h);

	/* without an event handler the layer answers 487 itself, with the
	 * To tag the TU used */
	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, RQ()));
	ck_assert_int_eq(reply(&h, 183), 0);
	ck_assert(feed(&h, can));
	ck_assert_uint_eq(h.nsent, 3);
	ck_assert_uint_eq(h.sent[1].m->scode, 200);
	ck_assert_uint_eq(h.sent[2].m->scode, 487);
	ck_assert(strv_eq(h.sent[2].m->to.tag, STRV("uas-tag")));
	ck_assert_int_eq(reply(&h, 200), -EALREADY);
	h_free(&h);
}
END_TEST

START_TEST(cancel_before_answer_tags)
{
	struct sip_resp_params p = { .scode = 487 };
	struct strv tag;
	struct h h;

	/* the 200 to the CANCEL and the 487 carry one To tag (9.2), whether
	 * the layer or the TU (giving no tag) sends the 487 */
	for (int tu = 0; tu < 2; tu++) {
		h_init(&h, SIP_TP_UDP);
		h.handler = tu;
		ck_assert(feed(&h, RQ()));
		ck_assert(feed(&h, RQ(.method = "CANCEL")));
		if (tu) {
			ck_assert_uint_eq(h.nev, 1);
			ck_assert_int_eq(sip_strans_reply(h.st, &p), 0);
		}
		ck_assert_uint_eq(h.nsent, 2);
		ck_assert_uint_eq(h.sent[0].m->scode, 200);
		ck_assert_uint_eq(h.sent[1].m->scode, 487);
		tag = h.sent[0].m->to.tag;
		ck_assert_uint_eq(tag.l, 16);
		ck_assert(strv_eq(h.sent[1].m->to.tag, tag));
		h_free(&h);
	}
	/* two transactions get two tags */
	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, RQ(.method = "BYE", .branch = "z9hG4bK1")));
	ck_assert_int_eq(sip_strans_reply(h.st, &p), 0);
	ck_assert(feed(&h, RQ(.method = "BYE", .branch = "z9hG4bK2",
			      .cseq = 8)));
	ck_assert_int_eq(sip_strans_reply(h.st, &p), 0);
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.sent[0].m->to.tag.l, 16);
	ck_assert(!strv_eq(h.sent[0].m->to.tag, h.sent[1].m->to.tag));
	/* inside a dialog the request's own tag stays */
	ck_assert(feed(&h, RQ(.method = "BYE", .branch = "z9hG4bK3",
			      .cseq = 9, .to_tag = "dlg")));
	ck_assert_int_eq(reply(&h, 200), 0);
	ck_assert(strv_eq(h.sent[2].m->to.tag, STRV("dlg")));
	h_free(&h);
}
END_TEST

START_TEST(cancel_481_and_late)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.handler = true;
	/* nothing to cancel */
	ck_assert(feed(&h, RQ(.method = "CANCEL")));
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].m->scode, 481);
	ck_assert(h.sent[0].m->to.tag.l);
	ck_assert_uint_eq(h.nreq, 0);
	/* another sent-by does not match the INVITE either */
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKi9")));
	ck_assert(feed(&h, RQ(.method = "CANCEL", .branch = "z9hG4bKi9",
				  .sent_by = "198.18.0.7:5060")));
	ck_assert_uint_eq(h.sent[h.nsent - 1].m->scode, 481);
	ck_assert_uint_eq(h.nev, 0);
	/* after the final answer a CANCEL gets 200 and changes nothing */
	ck_assert_int_eq(reply(&h, 600), 0);
	ck_assert(feed(&h, RQ(.method = "CANCEL", .branch = "z9hG4bKi9")));
	ck_assert_uint_eq(h.sent[h.nsent - 1].m->scode, 200);
	ck_assert_uint_eq(h.nev, 0);
	ck_assert_uint_eq(count_code(&h, 487), 0);
	h_free(&h);
}
END_TEST

START_TEST(merged_482)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, RQ()));
	/* same From tag, Call-ID, CSeq; another branch: a fork came back */
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKfork",
				  .sent_by = "198.18.0.5:5060")));
	ck_assert_uint_eq(h.nreq, 1);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].m->scode, 482);
	ck_assert(h.sent[0].m->to.tag.l);
	ck_assert(strv_eq(h.sent[0].m->via.branch, STRV("z9hG4bKfork")));
	/* its retransmission is absorbed by its own transaction */
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKfork",
				  .sent_by = "198.18.0.5:5060")));
	ck_assert_uint_eq(h.nsent, 2);
	ck_assert_uint_eq(h.nreq, 1);
	/* other CSeq, other From tag, or a To tag (in a dialog): new ones */
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKn1", .cseq = 8)));
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKn2", .from_tag = "f2")));
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKn3", .to_tag = "x")));
	ck_assert_uint_eq(h.nreq, 4);
	ck_assert_uint_eq(count_code(&h, 482), 2);
	h_free(&h);
}
END_TEST

START_TEST(max_forwards_483)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	ck_assert(feed(&h, RQ(.max_fwd = -1)));
	ck_assert_uint_eq(h.nreq, 0);
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert_uint_eq(h.sent[0].m->scode, 483);
	ck_assert(feed(&h, RQ(.max_fwd = -1)));
	ck_assert_uint_eq(h.nsent, 2);
	/* Max-Forwards 1 is fine */
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKm1", .max_fwd = 1,
				  .call_id = "c1")));
	ck_assert_uint_eq(h.nreq, 1);
	/* OPTIONS with 0 is for us to answer (11) */
	ck_assert(feed(&h, ((struct rq){ .method = "OPTIONS",
					 .branch = "z9hG4bKm2",
					 .call_id = "c2", .max_fwd = -1 })));
	ck_assert_uint_eq(h.nreq, 2);
	ck_assert_uint_eq(h.nsent, 2);
	h_free(&h);
}
END_TEST

START_TEST(rfc2543_matching)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.answer = 404;
	h.handler = true;
	ck_assert(feed(&h, RQ(.branch = "old1")));
	ck_assert_uint_eq(h.nreq, 1);
	/* an identical request is a retransmission */
	ck_assert(feed(&h, RQ(.branch = "old1")));
	ck_assert_uint_eq(h.nreq, 1);
	ck_assert_uint_eq(count_code(&h, 404), 2);
	/* an RFC 2543 ACK: same top Via, the To tag of our 404 */
	ck_assert(!feed(&h, RQ(.method = "ACK", .branch = "old1",
				   .to_tag = "bad")));
	ck_assert(feed(&h, RQ(.method = "ACK", .branch = "old1",
				  .to_tag = "uas-tag")));
	run_to(&h, 100);
	/* Confirmed: G stopped */
	ck_assert_uint_eq(count_code(&h, 404), 2);
	/* an RFC 2543 CANCEL matches on the same fields */
	h.answer = 0;
	ck_assert(feed(&h, RQ(.branch = "old2", .cseq = 9)));
	ck_assert(feed(&h, RQ(.method = "CANCEL", .branch = "old2",
				  .cseq = 9)));
	ck_assert_uint_eq(count_code(&h, 200), 1);
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_CANCELLED);
	/* the "z9hG4bK" cookie is case-sensitive: this is RFC 2543 too, so
	 * a change of Via (sent-by) makes it a merged request */
	ck_assert(feed(&h, RQ(.branch = "Z9HG4BKx", .cseq = 10)));
	ck_assert(feed(&h, RQ(.branch = "Z9HG4BKx", .cseq = 10,
				  .sent_by = "198.18.0.8")));
	ck_assert_uint_eq(count_code(&h, 482), 1);
	ck_assert_uint_eq(h.nreq, 3);
	h_free(&h);
}
END_TEST

START_TEST(reliable_timers_zero)
{
	struct h h;

	h_init(&h, SIP_TP_TCP);
	h.answer = 486;
	ck_assert(feed(&h, RQ()));
	run_to(&h, 200);
	/* no Timer G over TCP */
	ck_assert_uint_eq(h.nsent, 1);
	ck_assert(feed(&h, RQ(.method = "ACK", .to_tag = "uas-tag")));
	/* Timer I = 0 */
	loop_poll(h.loop, 0);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	/* Timer J = 0 */
	ck_assert(feed(&h, ((struct rq){ .method = "BYE",
					 .branch = "z9hG4bKb" })));
	ck_assert_uint_eq(sip_tsx_count(h.l), 1);
	loop_poll(h.loop, 0);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	h_free(&h);
}
END_TEST

START_TEST(transport_error)
{
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.handler = true;
	ck_assert(feed(&h, RQ()));
	h.fail_send = -EHOSTUNREACH;
	/* the send error comes back and ends the transaction */
	ck_assert_int_eq(reply(&h, 486), -EHOSTUNREACH);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_int_eq(reply(&h, 486), -ESRCH);
	mem_deref(h.st);
	h.st = NULL;
	/* a retransmission failing: the TU is told (17.2.4) */
	h.fail_send = 0;
	ck_assert(feed(&h, RQ(.branch = "z9hG4bKt2", .call_id = "c2")));
	ck_assert_int_eq(reply(&h, 486), 0);
	h.fail_send = -EHOSTUNREACH;
	run_to(&h, T1 + SLACK);
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].ev, SIP_STRANS_TPERR);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	h_free(&h);
}
END_TEST

START_TEST(no_request_handler)
{
	struct sip_tsx_params p = { .send = cap_send, .send_resp = cap_resp };
	struct sip_tsx_layer *l;
	struct h h;

	h_init(&h, SIP_TP_UDP);
	mem_deref(h.l);
	p.arg = &h;
	ck_assert_int_eq(sip_tsx_layer_new(&l, h.loop, &p), 0);
	h.l = l;
	/* left to the caller, which may answer statelessly */
	ck_assert(!feed(&h, RQ()));
	ck_assert_uint_eq(sip_tsx_count(l), 0);
	/* but what the layer answers itself, it still does */
	ck_assert(feed(&h, RQ(.max_fwd = -1)));
	ck_assert_uint_eq(h.nsent, 1);
	p.t1 = 5000;
	ck_assert_int_eq(sip_tsx_layer_new(&l, h.loop, &p), -EINVAL);
	p.t1 = 0;
	p.send = NULL;
	ck_assert_int_eq(sip_tsx_layer_new(&l, h.loop, &p), -EINVAL);
	h_free(&h);
}
END_TEST

/* Thousands of server transactions of every kind, all answered and all
 * freed: OPTIONS over UDP (Timer J), INVITE with 486 and the ACK
 * (Timer I), INVITE with 200 and its ACK (Timer L). N is more than eight
 * times the table's first bucket count: it grows three times, and the
 * transactions made before each growth are still found after it. */
START_TEST(stress)
{
	enum { N = 9000 };
	char br[32], cid[32];
	struct h h;

	h_init(&h, SIP_TP_UDP);
	h.count_only = true;
	for (int i = 0; i < N; i++) {
		static const uint16_t code[] = { 200, 486, 200 };
		static const char *const meth[] = { "OPTIONS", "INVITE",
						    "INVITE" };
		struct rq r = { .method = meth[i % 3] };

		snprintf(br, sizeof(br), "z9hG4bKs%d", i);
		snprintf(cid, sizeof(cid), "stress-%d", i);
		r.branch = br;
		r.call_id = cid;
		h.answer = code[i % 3];
		ck_assert(feed(&h, r));
		ck_assert(feed(&h, r));		/* a retransmission */
		if (i % 3) {
			r.method = "ACK";
			r.to_tag = "t";
			if (i % 3 == 2)
				r.branch = "z9hG4bKack";
			ck_assert(feed(&h, r));
		}
	}
	ck_assert_uint_eq(h.nreq, N);
	ck_assert_uint_eq(sip_tsx_count(h.l), N);
	/* each answered once, OPTIONS and the 486s again on the
	 * retransmission; the 2xx are ACKed before any retransmission */
	ck_assert_uint_eq(h.ncounted, N + 2 * N / 3);
	/* every OPTIONS retransmitted once more, the oldest first: each is
	 * absorbed by its transaction and answered again */
	for (int i = 0; i < N; i += 3) {
		struct rq r = { .method = "OPTIONS" };

		snprintf(br, sizeof(br), "z9hG4bKs%d", i);
		snprintf(cid, sizeof(cid), "stress-%d", i);
		r.branch = br;
		r.call_id = cid;
		ck_assert(feed(&h, r));
	}
	ck_assert_uint_eq(h.nreq, N);
	ck_assert_uint_eq(h.ncounted, N + N / 3 + 2 * N / 3);
	run_to(&h, now(&h) + 64 * T1 + SLACK);
	ck_assert_uint_eq(sip_tsx_count(h.l), 0);
	ck_assert_uint_eq(loop_ntimers(h.loop), 0);
	h_free(&h);
}
END_TEST

Suite *sip_tsx_srv_suite(void)
{
	Suite *s = suite_create("sip_tsx_srv");
	TCase *tc = tl_tcase(s, "server");

	tcase_add_test(tc, trying_after_200ms);
	tcase_add_test(tc, timer_g_h);
	tcase_add_test(tc, ack_confirmed);
	tcase_add_test(tc, accepted_2xx_until_ack);
	tcase_add_test(tc, accepted_no_ack);
	tcase_add_test(tc, noninvite);
	tcase_add_test(tc, cancel_487);
	tcase_add_test(tc, cancel_before_answer_tags);
	tcase_add_test(tc, cancel_481_and_late);
	tcase_add_test(tc, merged_482);
	tcase_add_test(tc, max_forwards_483);
	tcase_add_test(tc, rfc2543_matching);
	tcase_add_test(tc, reliable_timers_zero);
	tcase_add_test(tc, transport_error);
	tcase_add_test(tc, no_request_handler);
	tcase_add_test(tc, stress);
	return s;
}
