// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip dialogs on SIPp-like INVITE / 1xx / 2xx exchanges: UAC and
 * UAS creation, route sets through loose and strict routers, CSeq rules,
 * target refresh, forking, the bytes of in-dialog requests (parsed back
 * header by header) and the ACK of a 2xx.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/dialog.h"
#include "tl_check.h"

#define VIA_A "Via: SIP/2.0/UDP 198.18.0.1:5060;branch=z9hG4bK-inv1\r\n"
#define FROM_A "From: \"Alice\" <sip:alice@198.18.0.1>;tag=a1\r\n"
#define TO_B "To: <sip:bob@example.net>"
#define CID "Call-ID: call-1@198.18.0.1\r\n"

static const char invite[] =
	"INVITE sip:bob@example.net SIP/2.0\r\n" VIA_A
	"Max-Forwards: 70\r\n" FROM_A TO_B "\r\n" CID
	"CSeq: 101 INVITE\r\n"
	"Contact: <sip:alice@198.18.0.1:5060>\r\n"
	"Content-Length: 0\r\n\r\n";

static struct sip_msg *parse(const char *txt)
{
	struct sip_msg *m = NULL;
	struct sip_perr pe = { 0 };

	ck_assert_msg(sip_msg_parse(&m, txt, strlen(txt), 0, &pe) == 0,
		      "parse: %s\n%s", pe.reason, txt);
	return m;
}

/* A response to the INVITE (or @cseq_m) with To tag @tag and extra lines
 * @hdrs (Record-Route, Contact ...). */
static struct sip_msg *resp(int code, const char *tag, const char *cseq_m,
			    const char *hdrs)
{
	char txt[2048];

	snprintf(txt, sizeof(txt),
		 "SIP/2.0 %d X\r\n" VIA_A FROM_A TO_B "%s%s\r\n" CID
		 "CSeq: %s\r\n%sContent-Length: 0\r\n\r\n",
		 code, tag ? ";tag=" : "", tag ? tag : "", cseq_m, hdrs);
	return parse(txt);
}

static struct sip_dialog *uac(const char *resp_hdrs, int code,
			      const char *tag)
{
	struct sip_msg *req = parse(invite);
	struct sip_msg *r = resp(code, tag, "101 INVITE", resp_hdrs);
	struct sip_dialog *d = NULL;

	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), 0);
	mem_deref(req);
	mem_deref(r);
	return d;
}

static const struct sip_dialog_req_params bye_params = {
	.method = STRV("BYE"),
	.transport = STRV("UDP"),
	.sent_by = STRV("198.18.0.1:5060"),
	.branch = STRV("z9hG4bK-bye1"),
};

/* Build @p in @d and parse the result back. */
static struct sip_msg *build(struct sip_dialog *d,
			     const struct sip_dialog_req_params *p,
			     struct strv *hop)
{
	struct buf b = { 0 };
	struct sip_msg *m;

	ck_assert_int_eq(sip_dialog_req(d, &b, p, hop), 0);
	m = parse(buf_cstr(&b));
	buf_free(&b);
	return m;
}

/* The @i-th Route value of @m, or "" */
static void route_at(const struct sip_msg *m, int i, char *out, size_t n)
{
	uint64_t pos = 0;
	struct strv v = STRV("");

	for (int k = 0; k <= i; k++)
		if (!sip_msg_values(m, SIP_HDR_ROUTE, &pos, &v))
			v = STRV("");
	strv_copy(v, out, n);
}

static bool eqs(struct strv v, const char *s)
{
	return strv_eq(v, strv_of(s));
}

START_TEST(uac_early_then_confirmed)
{
	struct sip_dialog *d = uac(
		"Record-Route: <sip:p2.example.net;lr>, "
		"<sip:p1.example.net;lr>\r\n"
		"Contact: <sip:bob@198.18.0.20:5070>\r\n", 180, "b1");
	struct sip_msg *r, *bye;
	struct strv hop;
	char rt[128];

	ck_assert_int_eq(d->state, SIP_DIALOG_EARLY);
	ck_assert(d->uac && !d->secure);
	ck_assert_str_eq(d->call_id, "call-1@198.18.0.1");
	ck_assert_str_eq(d->ltag, "a1");
	ck_assert_str_eq(d->rtag, "b1");
	ck_assert_str_eq(d->luri, "\"Alice\" <sip:alice@198.18.0.1>");
	ck_assert_str_eq(d->ruri, "<sip:bob@example.net>");
	ck_assert_str_eq(d->target, "sip:bob@198.18.0.20:5070");
	ck_assert_uint_eq(d->nroute, 2);
	/* reversed for the UAC */
	ck_assert_str_eq(d->route[0], "<sip:p1.example.net;lr>");
	ck_assert_str_eq(d->route[1], "<sip:p2.example.net;lr>");
	ck_assert(d->lseq_set && d->lseq == 101 && !d->rseq_set);
	/* the 2xx: its Record-Route replaces the early one (13.2.2.4) and
	 * its Contact is the target */
	r = resp(200, "b1", "101 INVITE",
		 "Record-Route: <sip:p3.example.net;lr>\r\n"
		 "Record-Route: <sip:p1.example.net;lr>\r\n"
		 "Contact: <sip:bob@198.18.0.21>\r\n");
	ck_assert(sip_dialog_match_resp(d, r));
	ck_assert_int_eq(sip_dialog_recv_resp(d, r), 0);
	mem_deref(r);
	ck_assert_int_eq(d->state, SIP_DIALOG_CONFIRMED);
	ck_assert_str_eq(d->target, "sip:bob@198.18.0.21");
	ck_assert_uint_eq(d->nroute, 2);
	ck_assert_str_eq(d->route[0], "<sip:p1.example.net;lr>");
	ck_assert_str_eq(d->route[1], "<sip:p3.example.net;lr>");
	/* a loose-routed BYE */
	bye = build(d, &bye_params, &hop);
	ck_assert(eqs(bye->ruri.raw, "sip:bob@198.18.0.21"));
	ck_assert(eqs(hop, "sip:p1.example.net;lr"));
	route_at(bye, 0, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sip:p1.example.net;lr>");
	route_at(bye, 1, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sip:p3.example.net;lr>");
	route_at(bye, 2, rt, sizeof(rt));
	ck_assert_str_eq(rt, "");
	ck_assert_uint_eq(bye->cseq.num, 102);
	ck_assert_int_eq(bye->cseq.meth, SIP_METHOD_BYE);
	mem_deref(bye);
	mem_deref(d);
}
END_TEST

/* A strict router first: it is the Request-URI, the target goes last. */
START_TEST(uac_strict_route)
{
	struct sip_dialog *d = uac(
		"Record-Route: <sip:p2.example.net;lr>\r\n"
		"Record-Route: <sip:p1.example.net;transport=tcp?X=1>\r\n"
		"Contact: <sip:bob@198.18.0.20:5070;transport=udp>\r\n",
		200, "b1");
	struct sip_msg *bye;
	struct strv hop;
	char rt[128];

	ck_assert_int_eq(d->state, SIP_DIALOG_CONFIRMED);
	bye = build(d, &bye_params, &hop);
	ck_assert(eqs(bye->ruri.raw, "sip:p1.example.net;transport=tcp"));
	ck_assert(eqs(hop, "sip:p1.example.net;transport=tcp?X=1"));
	route_at(bye, 0, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sip:p2.example.net;lr>");
	route_at(bye, 1, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sip:bob@198.18.0.20:5070;transport=udp>");
	route_at(bye, 2, rt, sizeof(rt));
	ck_assert_str_eq(rt, "");
	mem_deref(bye);
	mem_deref(d);
}
END_TEST

/* No route set: straight to the Contact. */
START_TEST(uac_no_route)
{
	struct sip_dialog *d =
		uac("Contact: <sips:bob@198.18.0.20:5071>\r\n", 200, "b1");
	struct sip_msg *bye;
	struct strv hop;

	bye = build(d, &bye_params, &hop);
	ck_assert(eqs(bye->ruri.raw, "sips:bob@198.18.0.20:5071"));
	ck_assert(eqs(hop, "sips:bob@198.18.0.20:5071"));
	ck_assert_ptr_null(sip_msg_hdr(bye, SIP_HDR_ROUTE));
	mem_deref(bye);
	mem_deref(d);
}
END_TEST

/* One INVITE forked to two phones: two early dialogs by To tag. */
START_TEST(uac_forked)
{
	struct sip_dialog *d1 = uac("Contact: <sip:bob@198.18.0.31>\r\n",
				    180, "fork1");
	struct sip_dialog *d2 = uac("Contact: <sip:bob@198.18.0.32>\r\n",
				    183, "fork2");
	struct sip_msg *ok = resp(200, "fork2", "101 INVITE",
				  "Contact: <sip:bob@198.18.0.32:5062>\r\n");
	struct sip_msg *ring1 = resp(180, "fork1", "101 INVITE", "");

	ck_assert_int_eq(d1->state, SIP_DIALOG_EARLY);
	ck_assert_int_eq(d2->state, SIP_DIALOG_EARLY);
	ck_assert(sip_dialog_match_resp(d1, ring1));
	ck_assert(!sip_dialog_match_resp(d2, ring1));
	ck_assert(!sip_dialog_match_resp(d1, ok));
	ck_assert(sip_dialog_match_resp(d2, ok));
	ck_assert_int_eq(sip_dialog_recv_resp(d2, ok), 0);
	ck_assert_int_eq(d2->state, SIP_DIALOG_CONFIRMED);
	ck_assert_str_eq(d2->target, "sip:bob@198.18.0.32:5062");
	/* a 1xx without Contact keeps the early target */
	ck_assert_int_eq(sip_dialog_recv_resp(d1, ring1), 0);
	ck_assert_str_eq(d1->target, "sip:bob@198.18.0.31");
	sip_dialog_terminate(d1);
	ck_assert_int_eq(d1->state, SIP_DIALOG_TERMINATED);
	ck_assert_int_eq(sip_dialog_req(d1, &(struct buf){ 0 }, &bye_params,
					NULL), -EINVAL);
	mem_deref(ok);
	mem_deref(ring1);
	mem_deref(d1);
	mem_deref(d2);
}
END_TEST

/* A 1xx without Contact: the peer is reached at the Request-URI. A 4xx
 * to the INVITE ends the early dialog. */
START_TEST(uac_early_failure)
{
	struct sip_dialog *d = uac("", 180, "b9");
	struct sip_msg *busy = resp(486, "b9", "101 INVITE", "");

	ck_assert_str_eq(d->target, "sip:bob@example.net");
	ck_assert_int_eq(sip_dialog_recv_resp(d, busy), 0);
	ck_assert_int_eq(d->state, SIP_DIALOG_TERMINATED);
	mem_deref(busy);
	mem_deref(d);
}
END_TEST

START_TEST(uac_errors)
{
	struct sip_msg *req = parse(invite);
	struct sip_msg *r;
	struct sip_dialog *d = NULL;

	r = resp(180, NULL, "101 INVITE", "");
	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), -EINVAL);
	mem_deref(r);
	r = resp(200, "b1", "101 INVITE", "");
	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), -EBADMSG);
	mem_deref(r);
	r = resp(200, "b1", "102 INVITE", "Contact: <sip:b@c>\r\n");
	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), -EINVAL);
	mem_deref(r);
	r = resp(100, "b1", "101 INVITE", "Contact: <sip:b@c>\r\n");
	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), -EINVAL);
	mem_deref(r);
	r = resp(200, "b1", "101 INVITE",
		 "Contact: *\r\n");
	ck_assert_int_eq(sip_dialog_uac_create(&d, req, r), -EBADMSG);
	mem_deref(r);
	ck_assert_ptr_null(d);
	mem_deref(req);
}
END_TEST

static const char uas_invite[] =
	"INVITE sips:gw@198.18.0.2 SIP/2.0\r\n"
	"Via: SIP/2.0/TLS 198.18.0.5:5061;branch=z9hG4bK-p1\r\n"
	"Via: SIP/2.0/TLS 198.18.0.9:5061;branch=z9hG4bK-uac\r\n"
	"Max-Forwards: 69\r\n"
	"Record-Route: <sips:p1.example.net;lr>\r\n"
	"Record-Route: <sips:p2.example.net;lr>\r\n"
	"From: <sips:carol@example.org>;tag=c77\r\n"
	"To: \"Gateway\" <sips:gw@198.18.0.2>\r\n"
	"Call-ID: uas-call-9\r\n"
	"CSeq: 4711 INVITE\r\n"
	"Contact: <sips:carol@198.18.0.9:5061>\r\n"
	"Content-Length: 0\r\n\r\n";

static struct sip_dialog *uas(bool early)
{
	struct sip_msg *req = parse(uas_invite);
	struct sip_dialog *d = NULL;

	ck_assert_int_eq(sip_dialog_uas_create(&d, req, STRV("gw1"), early),
			 0);
	mem_deref(req);
	return d;
}

/* An in-dialog request from Carol: @method, CSeq @n, extra lines. */
static struct sip_msg *carol_req(const char *method, uint32_t n,
				 const char *hdrs)
{
	char txt[2048];

	snprintf(txt, sizeof(txt),
		 "%s sips:gw@198.18.0.2 SIP/2.0\r\n"
		 "Via: SIP/2.0/TLS 198.18.0.5:5061;branch=z9hG4bK-x%u\r\n"
		 "Max-Forwards: 69\r\n"
		 "From: <sips:carol@example.org>;tag=c77\r\n"
		 "To: \"Gateway\" <sips:gw@198.18.0.2>;tag=gw1\r\n"
		 "Call-ID: uas-call-9\r\nCSeq: %u %s\r\n%s"
		 "Content-Length: 0\r\n\r\n",
		 method, n, n, method, hdrs);
	return parse(txt);
}

START_TEST(uas_create)
{
	struct sip_dialog *d = uas(true);
	struct sip_dialog_req_params p = bye_params;
	struct sip_msg *bye, *in;
	struct strv hop;
	char rt[128];

	ck_assert_int_eq(d->state, SIP_DIALOG_EARLY);
	ck_assert(!d->uac && d->secure);
	ck_assert_str_eq(d->ltag, "gw1");
	ck_assert_str_eq(d->rtag, "c77");
	ck_assert_str_eq(d->luri, "\"Gateway\" <sips:gw@198.18.0.2>");
	ck_assert_str_eq(d->ruri, "<sips:carol@example.org>");
	ck_assert_str_eq(d->target, "sips:carol@198.18.0.9:5061");
	ck_assert(d->rseq_set && d->rseq == 4711 && !d->lseq_set);
	/* in order for the UAS */
	ck_assert_uint_eq(d->nroute, 2);
	ck_assert_str_eq(d->route[0], "<sips:p1.example.net;lr>");
	ck_assert_str_eq(d->route[1], "<sips:p2.example.net;lr>");
	sip_dialog_confirm(d);
	ck_assert_int_eq(d->state, SIP_DIALOG_CONFIRMED);
	/* incoming in-dialog requests match; others do not */
	in = carol_req("INFO", 4712, "");
	ck_assert(sip_dialog_match_req(d, in));
	mem_deref(in);
	in = parse(uas_invite);
	ck_assert(!sip_dialog_match_req(d, in)); /* no To tag */
	mem_deref(in);
	/* our BYE: empty local CSeq starts below 2^31 */
	p.transport = STRV("TLS");
	p.sent_by = STRV("198.18.0.2:5061");
	bye = build(d, &p, &hop);
	ck_assert(bye->cseq.num < 0x80000000u);
	ck_assert(d->lseq_set && d->lseq == bye->cseq.num);
	ck_assert(eqs(bye->ruri.raw, "sips:carol@198.18.0.9:5061"));
	ck_assert(eqs(hop, "sips:p1.example.net;lr"));
	route_at(bye, 0, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sips:p1.example.net;lr>");
	route_at(bye, 1, rt, sizeof(rt));
	ck_assert_str_eq(rt, "<sips:p2.example.net;lr>");
	ck_assert(eqs(bye->from.uri.raw, "sips:gw@198.18.0.2"));
	ck_assert(eqs(bye->from.tag, "gw1"));
	ck_assert(eqs(bye->to.uri.raw, "sips:carol@example.org"));
	ck_assert(eqs(bye->to.tag, "c77"));
	mem_deref(bye);
	mem_deref(d);
}
END_TEST

/* 12.2.2: a lower remote CSeq is refused (500); ACK/CANCEL do not count;
 * local CSeq goes up by one per request, ACK reuses the INVITE's. */
START_TEST(cseq_rules)
{
	struct sip_dialog *d = uas(false);
	struct sip_dialog_req_params p = bye_params;
	struct sip_msg *m;
	uint32_t first;

	m = carol_req("INFO", 4712, "");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_uint_eq(d->rseq, 4712);
	mem_deref(m);
	m = carol_req("INFO", 4700, "");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), -EPROTO);
	ck_assert_uint_eq(d->rseq, 4712);
	mem_deref(m);
	m = carol_req("ACK", 4711, "");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_uint_eq(d->rseq, 4712);
	mem_deref(m);
	m = carol_req("UPDATE", 4713, "");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_uint_eq(d->rseq, 4713);
	mem_deref(m);

	p.method = STRV("INFO");
	m = build(d, &p, NULL);
	first = m->cseq.num;
	mem_deref(m);
	p.method = STRV("INVITE");
	p.contact = STRV("<sips:gw@198.18.0.2:5061>");
	m = build(d, &p, NULL);
	ck_assert_uint_eq(m->cseq.num, first + 1);
	ck_assert_uint_eq(d->invite_cseq, first + 1);
	ck_assert_uint_eq(m->ncontact, 1);
	mem_deref(m);
	p.method = STRV("ACK");
	p.branch = STRV_NULL;
	m = build(d, &p, NULL);
	ck_assert_uint_eq(m->cseq.num, first + 1);
	ck_assert_int_eq(m->cseq.meth, SIP_METHOD_ACK);
	ck_assert_uint_eq(m->via.branch.l, 31);
	ck_assert(!strncmp(m->via.branch.p, "z9hG4bK", 7));
	mem_deref(m);
	p.method = STRV("PRACK");
	m = build(d, &p, NULL);
	ck_assert_uint_eq(m->cseq.num, first + 2);
	mem_deref(m);
	/* a target refresh without our Contact is refused */
	p.method = STRV("UPDATE");
	p.contact = STRV_NULL;
	ck_assert_int_eq(sip_dialog_req(d, &(struct buf){ 0 }, &p, NULL),
			 -EINVAL);
	/* BYE from the peer ends it */
	m = carol_req("BYE", 4714, "");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_int_eq(d->state, SIP_DIALOG_TERMINATED);
	mem_deref(m);
	mem_deref(d);
}
END_TEST

/* Target refresh by re-INVITE and UPDATE (requests and 2xx); not by
 * INFO; 481 ends the dialog. */
START_TEST(target_refresh)
{
	struct sip_dialog *d = uas(false);
	struct sip_msg *m;

	m = carol_req("INFO", 4712, "Contact: <sips:carol@198.18.0.99>\r\n");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_str_eq(d->target, "sips:carol@198.18.0.9:5061");
	mem_deref(m);
	m = carol_req("INVITE", 4713, "Contact: <sips:carol@198.18.0.10>\r\n");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), 0);
	ck_assert_str_eq(d->target, "sips:carol@198.18.0.10");
	mem_deref(m);
	m = carol_req("UPDATE", 4714, "Contact: *\r\n");
	ck_assert_int_eq(sip_dialog_recv_req(d, m), -EBADMSG);
	ck_assert_uint_eq(d->rseq, 4713);
	mem_deref(m);
	/* a 2xx to our UPDATE */
	m = parse("SIP/2.0 200 OK\r\n"
		  "Via: SIP/2.0/TLS 198.18.0.2:5061;branch=z9hG4bK-u\r\n"
		  "From: \"Gateway\" <sips:gw@198.18.0.2>;tag=gw1\r\n"
		  "To: <sips:carol@example.org>;tag=c77\r\n"
		  "Call-ID: uas-call-9\r\nCSeq: 9 UPDATE\r\n"
		  "Contact: <sips:carol@198.18.0.11>\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert(sip_dialog_match_resp(d, m));
	ck_assert_int_eq(sip_dialog_recv_resp(d, m), 0);
	ck_assert_str_eq(d->target, "sips:carol@198.18.0.11");
	ck_assert_int_eq(d->state, SIP_DIALOG_CONFIRMED);
	mem_deref(m);
	m = parse("SIP/2.0 481 Gone\r\n"
		  "Via: SIP/2.0/TLS 198.18.0.2:5061;branch=z9hG4bK-v\r\n"
		  "From: \"Gateway\" <sips:gw@198.18.0.2>;tag=gw1\r\n"
		  "To: <sips:carol@example.org>;tag=c77\r\n"
		  "Call-ID: uas-call-9\r\nCSeq: 10 INFO\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(sip_dialog_recv_resp(d, m), 0);
	ck_assert_int_eq(d->state, SIP_DIALOG_TERMINATED);
	mem_deref(m);
	mem_deref(d);
}
END_TEST

/* The exact bytes of a BYE and of the ACK of the 2xx. */
START_TEST(req_bytes)
{
	static const char want_bye[] =
		"BYE sip:bob@198.18.0.20:5070 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 198.18.0.1:5060;branch=z9hG4bK-bye1;rport\r\n"
		"Max-Forwards: 70\r\n"
		"From: \"Alice\" <sip:alice@198.18.0.1>;tag=a1\r\n"
		"To: <sip:bob@example.net>;tag=b1\r\n"
		"Call-ID: call-1@198.18.0.1\r\n"
		"CSeq: 102 BYE\r\n"
		"Route: <sip:p1.example.net;lr>\r\n"
		"Route: <sip:p2.example.net;lr>\r\n"
		"Authorization: Digest x=y\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char want_ack[] =
		"ACK sip:bob@198.18.0.20:5070 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 198.18.0.1:5060;branch=z9hG4bK-ack1\r\n"
		"Max-Forwards: 70\r\n"
		"From: \"Alice\" <sip:alice@198.18.0.1>;tag=a1\r\n"
		"To: <sip:bob@example.net>;tag=b1\r\n"
		"Call-ID: call-1@198.18.0.1\r\n"
		"CSeq: 101 ACK\r\n"
		"Route: <sip:p1.example.net;lr>\r\n"
		"Route: <sip:p2.example.net;lr>\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length: 4\r\n\r\nv=0\n";
	struct sip_dialog *d = uac(
		"Record-Route: <sip:p2.example.net;lr>, "
		"<sip:p1.example.net;lr>\r\n"
		"Contact: <sip:bob@198.18.0.20:5070>\r\n", 200, "b1");
	struct sip_dialog_req_params p = bye_params;
	struct buf b = { 0 };
	struct sip_msg *m;

	p.method = STRV("ACK");
	p.branch = STRV("z9hG4bK-ack1");
	p.ctype = STRV("application/sdp");
	p.body = STRV("v=0\n");
	ck_assert_int_eq(sip_dialog_req(d, &b, &p, NULL), 0);
	ck_assert_str_eq(buf_cstr(&b), want_ack);
	m = parse(buf_cstr(&b));
	ck_assert_int_eq(m->meth, SIP_METHOD_ACK);
	ck_assert(eqs(m->body, "v=0\n"));
	ck_assert(eqs(m->ctype, "application/sdp"));
	mem_deref(m);
	buf_reset(&b);
	p = bye_params;
	p.rport = true;
	p.hdrs = STRV("Authorization: Digest x=y\r\n");
	ck_assert_int_eq(sip_dialog_req(d, &b, &p, NULL), 0);
	ck_assert_str_eq(buf_cstr(&b), want_bye);
	m = parse(buf_cstr(&b));
	ck_assert_int_eq(m->meth, SIP_METHOD_BYE);
	ck_assert(eqs(m->via.branch, "z9hG4bK-bye1"));
	ck_assert_int_eq(m->via.rport, 0);
	ck_assert_int_eq(m->max_fwd, 70);
	ck_assert(eqs(m->from.tag, "a1") && eqs(m->to.tag, "b1"));
	ck_assert(eqs(m->from.dname, "Alice"));
	ck_assert(eqs(m->call_id, "call-1@198.18.0.1"));
	ck_assert_uint_eq(m->cseq.num, 102);
	ck_assert(eqs(sip_msg_hdr(m, SIP_HDR_AUTHORIZATION)->val,
		      "Digest x=y"));
	ck_assert_uint_eq(m->clen, 0);
	mem_deref(m);
	buf_free(&b);
	mem_deref(d);
}
END_TEST

START_TEST(ids)
{
	char t1[17], t2[17], c[80], br[32];

	ck_assert_int_eq(sip_dialog_tag_new(t1, sizeof(t1)), 0);
	ck_assert_int_eq(sip_dialog_tag_new(t2, sizeof(t2)), 0);
	ck_assert_uint_eq(strlen(t1), 16);
	ck_assert_uint_eq(strspn(t1, "0123456789abcdef"), 16);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(sip_dialog_tag_new(t1, 8), -ENOSPC);
	ck_assert_int_eq(sip_dialog_callid_new(c, sizeof(c), "198.18.0.1"),
			 0);
	ck_assert_uint_eq(strlen(c), 32 + 11);
	ck_assert_str_eq(c + 32, "@198.18.0.1");
	ck_assert_int_eq(sip_dialog_callid_new(c, 20, "198.18.0.1"),
			 -ENOSPC);
	ck_assert_int_eq(sip_dialog_branch_new(br, sizeof(br)), 0);
	ck_assert_uint_eq(strlen(br), 31);
	ck_assert(!strncmp(br, "z9hG4bK", 7));
}
END_TEST

Suite *sip_dialog_suite(void)
{
	Suite *s = suite_create("sip_dialog");
	TCase *tc;

	tc = tl_tcase(s, "uac");
	tcase_add_test(tc, uac_early_then_confirmed);
	tcase_add_test(tc, uac_strict_route);
	tcase_add_test(tc, uac_no_route);
	tcase_add_test(tc, uac_forked);
	tcase_add_test(tc, uac_early_failure);
	tcase_add_test(tc, uac_errors);
	tc = tl_tcase(s, "uas");
	tcase_add_test(tc, uas_create);
	tcase_add_test(tc, cseq_rules);
	tcase_add_test(tc, target_refresh);
	tc = tl_tcase(s, "build");
	tcase_add_test(tc, req_bytes);
	tcase_add_test(tc, ids);
	return s;
}
