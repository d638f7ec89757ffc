// SPDX-License-Identifier: GPL-2.0
/* gateway/sip pieces: URIs, escapes, folding, compact forms, header
 * lookup, name-addr, Via, and the builders. */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"
#include "tl_check.h"

static bool eq(struct strv v, const char *s)
{
	return strv_eq(v, strv_of(s));
}

static struct sip_msg *parse_ok(const char *s)
{
	struct sip_perr e = { 0 };
	struct sip_msg *m = NULL;
	int r = sip_msg_parse(&m, s, strlen(s), 0, &e);

	ck_assert_msg(r == 0, "parse: %d %s", r, e.reason ? e.reason : "");
	return m;
}

static const char *parse_err(const char *s)
{
	struct sip_perr e = { 0 };
	struct sip_msg *m = NULL;

	ck_assert_int_eq(sip_msg_parse(&m, s, strlen(s), 0, &e), -EBADMSG);
	ck_assert_ptr_null(m);
	return e.reason;
}

START_TEST(uri_sip)
{
	struct sip_uri u;
	struct strv v;

	ck_assert_int_eq(sip_uri_decode(&u, STRV("sips:alice:pw@Example.COM:"
						 "5061;transport=tls;lr?"
						 "subject=hi&x=")),
			 0);
	ck_assert_int_eq(u.scheme, SIP_SCHEME_SIPS);
	ck_assert(eq(u.user, "alice"));
	ck_assert(eq(u.password, "pw"));
	ck_assert(eq(u.host, "Example.COM"));
	ck_assert_uint_eq(u.port, 5061);
	ck_assert(eq(u.params, "transport=tls;lr"));
	ck_assert(eq(u.headers, "subject=hi&x="));
	ck_assert(sip_param_get(u.params, "TRANSPORT", &v));
	ck_assert(eq(v, "tls"));
	ck_assert(sip_param_get(u.params, "lr", &v));
	ck_assert_uint_eq(v.l, 0);
	ck_assert(!sip_param_get(u.params, "maddr", NULL));

	ck_assert_int_eq(sip_uri_decode(&u, STRV("sip:[2001:db8::1]:5070")),
			 0);
	ck_assert(u.host_v6);
	ck_assert(eq(u.host, "2001:db8::1"));
	ck_assert_uint_eq(u.port, 5070);
	ck_assert_uint_eq(u.user.l, 0);

	ck_assert_int_eq(sip_uri_decode(&u, STRV("tel:+1-201-555-0123;"
						 "phone-context=x")),
			 0);
	ck_assert_int_eq(u.scheme, SIP_SCHEME_TEL);
	ck_assert(eq(u.opaque, "+1-201-555-0123;phone-context=x"));
	ck_assert(eq(u.params, "phone-context=x"));
	ck_assert_int_eq(sip_uri_decode(&u, STRV("urn:service:sos")), 0);
	ck_assert_int_eq(u.scheme, SIP_SCHEME_OTHER);
	ck_assert(eq(u.scheme_s, "urn"));
}
END_TEST

START_TEST(uri_bad)
{
	static const char *const bad[] = {
		"", "sip:", "sip:@host", "sip:a@", "sip:host:0",
		"sip:host:65536", "sip:host:", "sip:[::1", "sip:[]",
		"sip:[1.2.3.4]", "sip:a%4@h", "sip:a%zz@h", "sip:h;",
		"sip:h;a=", "sip:h;;a", "sip:h?", "sip:h?a", "sip:h x",
		"sip:h>", "<sip:h>", "1sip:h", "sip", "tel:", "x:a b",
		"sip:2001:db8::10",
	};
	struct sip_uri u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(sip_uri_decode(&u, strv_of(bad[i])) == -EBADMSG,
			      "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(escapes)
{
	char out[64];

	ck_assert_int_eq(sip_unescape(STRV("sips%3Auser%40example.com"), out,
				      sizeof(out)),
			 21);
	ck_assert_str_eq(out, "sips:user@example.com");
	/* not recursive: %25 gives '%', and "41" stays */
	ck_assert_int_eq(sip_unescape(STRV("v%61lue%25%34%31"), out,
				      sizeof(out)),
			 8);
	ck_assert_str_eq(out, "value%41");
	/* %00 does not truncate */
	ck_assert_int_eq(sip_unescape(STRV("null-%00-null"), out, sizeof(out)),
			 11);
	ck_assert_int_eq(memcmp(out, "null-\0-null", 11), 0);
	ck_assert_int_eq(sip_unescape(STRV("%4"), out, sizeof(out)),
			 -EBADMSG);
	ck_assert_int_eq(sip_unescape(STRV("%G1"), out, sizeof(out)),
			 -EBADMSG);
	ck_assert_int_eq(sip_unescape(STRV("abcdef"), out, 4), -ENOSPC);
	ck_assert_str_eq(out, "abc");
}
END_TEST

static const char folded[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n"
	"  branch  =   z9hG4bK9ikj8  ,\r\n"
	" SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n"
	" z9hG4bK30239;received=[2001:db8::9];rport=5062;ttl=16\r\n"
	"f: \"J \\\"R\\\"\" <sip:j@example.com>\r\n  ;\r\n  tag = 98a\r\n"
	"t: sip:bob@example.com\r\n"
	"i: abc@host\r\n"
	"cseq: 0009\r\n  INVITE\r\n"
	"m: <sip:j@[::1]:5060>;q=0.5, sip:k@example.com;expires=10\r\n"
	"k: 100rel, timer\r\n"
	"NewFangled:   newfangled value\r\n continued value\r\n"
	"c: application/sdp\r\n"
	"l: 4\r\n"
	"\r\n"
	"body";

START_TEST(folding_compact)
{
	struct sip_msg *m = parse_ok(folded);
	const struct sip_hdr *h;
	struct sip_via via;
	struct sip_addr a;
	uint64_t pos = 0;
	char out[128];

	ck_assert_uint_eq(m->nvia, 2);
	ck_assert(eq(m->via.transport, "TCP"));
	ck_assert(eq(m->via.host, "spindle.example.com"));
	ck_assert(eq(m->via.branch, "z9hG4bK9ikj8"));
	ck_assert(sip_msg_via_next(m, &pos, &via));
	ck_assert(eq(via.branch, "z9hG4bK9ikj8"));
	ck_assert(sip_msg_via_next(m, &pos, &via));
	ck_assert(eq(via.transport, "UDP"));
	ck_assert(eq(via.branch, "z9hG4bK30239"));
	ck_assert(eq(via.received, "[2001:db8::9]"));
	ck_assert_int_eq(via.rport, 5062);
	ck_assert_int_eq(via.ttl, 16);
	ck_assert(!sip_msg_via_next(m, &pos, &via));

	ck_assert(m->from.dname_quoted);
	ck_assert(eq(m->from.dname, "J \\\"R\\\""));
	ck_assert(eq(m->from.tag, "98a"));
	ck_assert(eq(m->from.uri.user, "j"));
	ck_assert(eq(m->to.uri.user, "bob"));
	ck_assert(eq(m->call_id, "abc@host"));
	ck_assert_uint_eq(m->cseq.num, 9);
	ck_assert_int_eq(m->cseq.meth, SIP_METHOD_INVITE);
	ck_assert_uint_eq(m->ncontact, 2);
	pos = 0;
	ck_assert(sip_msg_addr_next(m, SIP_HDR_CONTACT, &pos, &a));
	ck_assert(a.uri.host_v6);
	ck_assert_uint_eq(a.uri.port, 5060);
	ck_assert(eq(a.params, "q=0.5"));
	ck_assert(sip_msg_addr_next(m, SIP_HDR_CONTACT, &pos, &a));
	ck_assert(!a.bracketed);
	ck_assert(eq(a.params, "expires=10"));
	ck_assert(!sip_msg_addr_next(m, SIP_HDR_CONTACT, &pos, &a));
	ck_assert(sip_msg_has_token(m, SIP_HDR_SUPPORTED, "TIMER"));
	ck_assert(!sip_msg_has_token(m, SIP_HDR_SUPPORTED, "path"));
	ck_assert(eq(m->ctype, "application/sdp"));
	ck_assert(eq(m->body, "body"));

	h = sip_msg_hdr_name(m, STRV("newfangled"));
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->id, SIP_HDR_OTHER);
	ck_assert(h->flags & SIP_HDRF_FOLDED);
	ck_assert_int_eq(sip_unfold(h->val, out, sizeof(out)), 32);
	ck_assert_str_eq(out, "newfangled value continued value");
	h = sip_msg_hdr(m, SIP_HDR_CSEQ);
	ck_assert(h->flags & SIP_HDRF_FOLDED);
	ck_assert_int_eq(sip_unfold(h->val, out, sizeof(out)), 11);
	ck_assert_str_eq(out, "0009 INVITE");
	ck_assert(!(sip_msg_hdr(m, SIP_HDR_CALL_ID)->flags & SIP_HDRF_FOLDED));
	ck_assert_int_eq(sip_unfold(h->val, out, 5), -ENOSPC);
	mem_deref(m);
}
END_TEST

START_TEST(hdr_lookup)
{
	static const struct {
		char c;
		enum sip_hdr_id id;
	} compact[] = {
		{ 'a', SIP_HDR_ACCEPT_CONTACT }, { 'b', SIP_HDR_REFERRED_BY },
		{ 'c', SIP_HDR_CONTENT_TYPE },
		{ 'd', SIP_HDR_REQUEST_DISPOSITION },
		{ 'e', SIP_HDR_CONTENT_ENCODING }, { 'f', SIP_HDR_FROM },
		{ 'i', SIP_HDR_CALL_ID }, { 'j', SIP_HDR_REJECT_CONTACT },
		{ 'k', SIP_HDR_SUPPORTED }, { 'l', SIP_HDR_CONTENT_LENGTH },
		{ 'm', SIP_HDR_CONTACT }, { 'n', SIP_HDR_IDENTITY_INFO },
		{ 'o', SIP_HDR_EVENT }, { 'r', SIP_HDR_REFER_TO },
		{ 's', SIP_HDR_SUBJECT }, { 't', SIP_HDR_TO },
		{ 'u', SIP_HDR_ALLOW_EVENTS }, { 'v', SIP_HDR_VIA },
		{ 'x', SIP_HDR_SESSION_EXPIRES }, { 'y', SIP_HDR_IDENTITY },
	};
	char up[64];

	/* every known name, as printed and in upper case */
	for (int id = 1; id < SIP_HDR_NUM; id++) {
		const char *n = sip_hdr_name(id);
		size_t i, l = strlen(n);

		ck_assert_msg(sip_hdr_lookup(n, l) == (enum sip_hdr_id)id,
			      "%s", n);
		for (i = 0; i < l; i++)
			up[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32
								  : n[i]);
		ck_assert_int_eq(sip_hdr_lookup(up, l), id);
		if (l > 2) /* "T" of "To" is the compact form */
			ck_assert_int_eq(sip_hdr_lookup(n, l - 1),
					 SIP_HDR_OTHER);
	}
	for (size_t i = 0; i < sizeof(compact) / sizeof(compact[0]); i++) {
		char u = (char)(compact[i].c - 32);

		ck_assert_int_eq(sip_hdr_lookup(&compact[i].c, 1),
				 compact[i].id);
		ck_assert_int_eq(sip_hdr_lookup(&u, 1), compact[i].id);
	}
	ck_assert_int_eq(sip_hdr_lookup("g", 1), SIP_HDR_OTHER);
	ck_assert_int_eq(sip_hdr_lookup("X-Foo", 5), SIP_HDR_OTHER);
	ck_assert_int_eq(sip_method_lookup(STRV("INVITE")), SIP_METHOD_INVITE);
	ck_assert_int_eq(sip_method_lookup(STRV("invite")), SIP_METHOD_OTHER);
	for (int k = 1; k <= SIP_METHOD_UPDATE; k++)
		ck_assert_int_eq(sip_method_lookup(strv_of(sip_method_str(k))),
				 k);
}
END_TEST

#define REQ(hdrs)                                                           \
	"OPTIONS sip:a@b SIP/2.0\r\n"                                       \
	"Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"                            \
	"From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n"                        \
	"Call-ID: c1\r\nCSeq: 1 OPTIONS\r\n" hdrs "\r\n"

START_TEST(grammar_faults)
{
	struct sip_msg *m;

	ck_assert_str_eq(parse_err(REQ("Content-Length: 5\r\n")),
			 "Content-Length mismatch");
	ck_assert_str_eq(parse_err(REQ("Content-Length: -1\r\n")),
			 "Bad Content-Length");
	ck_assert_str_eq(parse_err(REQ("Max-Forwards: 256\r\n")),
			 "Bad Max-Forwards");
	ck_assert_str_eq(parse_err(REQ("Contact: *, <sip:a@b>\r\n")),
			 "Malformed Contact");
	ck_assert_str_eq(parse_err(REQ("Route: sip:a@b\r\n")),
			 "Malformed Route");
	ck_assert_str_eq(parse_err(REQ("Require: a b\r\n")),
			 "Malformed Require");
	ck_assert_str_eq(parse_err(REQ("c: text\r\n")), "Bad Content-Type");
	ck_assert_str_eq(parse_err(REQ("Via: SIP/2.0/UDP h;rport=0\r\n")),
			 "Malformed Via");
	ck_assert_str_eq(parse_err(REQ("Via: SIP/2.0/UDP h;ttl=256\r\n")),
			 "Malformed Via");
	ck_assert_str_eq(parse_err(REQ("Via: SIP/2.0/UDP\r\n")),
			 "Malformed Via");
	ck_assert_str_eq(parse_err(REQ("Bad Name: x\r\n")),
			 "Malformed header");
	ck_assert_str_eq(parse_err(REQ("X: a\rb\r\n")), "Malformed header");
	ck_assert_str_eq(parse_err(REQ("X: a\nb\r\n")), "Malformed header");
	ck_assert_str_eq(parse_err("OPTIONS sip:a@b SIP/2.0\r\nX: y\r\n"),
			 "Missing end of headers");
	ck_assert_str_eq(parse_err("SIP/2.0 99 Low\r\n\r\n"),
			 "Bad Status-Line");
	ck_assert_str_eq(parse_err("SIP/2.0 200\r\n\r\n"), "Bad Status-Line");
	ck_assert_str_eq(parse_err("OPTIONS sip:a@b SIP/2.0"),
			 "Bad Start-Line");
	ck_assert_str_eq(parse_err(""), "Empty message");
	ck_assert_str_eq(parse_err("OPTIONS sip:a@b SIP/2.0\n\r\n"),
			 "Bad Start-Line");

	/* Expires: overlarge and malformed are the default, not an error */
	m = parse_ok(REQ("Expires: 99999999999\r\n"));
	ck_assert(m->has_expires);
	ck_assert_uint_eq(m->expires, 3600);
	mem_deref(m);
	m = parse_ok(REQ("Expires: 120\r\nMax-Forwards: 0\r\n"));
	ck_assert_uint_eq(m->expires, 120);
	ck_assert_int_eq(m->max_fwd, 0);
	mem_deref(m);
	m = parse_ok(REQ("Contact: *\r\nExpires: 0\r\n"));
	ck_assert(m->contact_star);
	ck_assert_uint_eq(m->ncontact, 0);
	ck_assert_uint_eq(m->expires, 0);
	mem_deref(m);
	/* salvage needs a request with all five headers a 400 copies */
	{
		static const char nocseq[] =
			"BYE sip:a@b SIP/2.0\r\nVia: x\r\nFrom: x\r\n"
			"To: x\r\nCall-ID: x\r\n\r\n";
		static const char resp[] = "SIP/2.0 200 OK\r\nVia: x\r\n"
					   "From: x\r\nTo: x\r\nCall-ID: x"
					   "\r\nCSeq: 1 BYE\r\n\r\n";

		ck_assert_int_eq(sip_msg_salvage(&m, nocseq,
						 sizeof(nocseq) - 1),
				 -EBADMSG);
		ck_assert_int_eq(sip_msg_salvage(&m, resp, sizeof(resp) - 1),
				 -EBADMSG);
		ck_assert_ptr_null(m);
	}
	/* the same Content-Length twice is no conflict */
	m = parse_ok(REQ("l: 0\r\nContent-Length: 0\r\n"));
	ck_assert(m->has_clen);
	mem_deref(m);
	/* stream: Content-Length is mandatory */
	{
		const char *s = REQ("");
		struct sip_perr e;

		ck_assert_int_eq(sip_msg_parse(&m, s, strlen(s),
					       SIP_PARSE_STREAM, &e),
				 -EBADMSG);
		ck_assert_str_eq(e.reason, "Missing Content-Length");
	}
}
END_TEST

START_TEST(build_response)
{
	struct sip_msg *req = parse_ok(folded), *r = NULL;
	struct sip_resp_params p = {
		.scode = 486, .to_tag = STRV("gwtag"),
		.hdrs = STRV("Reason: Q.850;cause=17\r\n"),
	};
	struct buf b = { 0 };

	ck_assert_int_eq(sip_resp_print(&b, req, &p), 0);
	ck_assert_int_eq(sip_msg_parse(&r, b.data, b.len, 0, NULL), 0);
	ck_assert(!r->req);
	ck_assert_uint_eq(r->scode, 486);
	ck_assert(eq(r->reason, "Busy Here"));
	ck_assert_uint_eq(r->nvia, 2);
	ck_assert(eq(r->via.branch, "z9hG4bK9ikj8"));
	ck_assert(eq(r->to.tag, "gwtag"));
	ck_assert(eq(r->from.tag, "98a"));
	ck_assert(eq(r->call_id, "abc@host"));
	ck_assert_uint_eq(r->cseq.num, 9);
	ck_assert(eq(r->cseq.method, "INVITE"));
	ck_assert(eq(sip_msg_hdr_name(r, STRV("Reason"))->val,
		     "Q.850;cause=17"));
	ck_assert_uint_eq(r->clen, 0);
	ck_assert_ptr_null(sip_msg_hdr(r, SIP_HDR_CONTACT));
	r = mem_deref(r);

	/* a response is not answered; codes outside 100-699 are refused */
	p.scode = 700;
	ck_assert_int_eq(sip_resp_print(&b, req, &p), -EINVAL);
	mem_deref(req);
	buf_free(&b);
}
END_TEST

START_TEST(build_request)
{
	struct sip_req_params p = {
		.method = STRV("INVITE"), .ruri = STRV("sip:+15551234@pbx"),
		.transport = STRV("UDP"), .sent_by = STRV("[fd00::1]:5060"),
		.branch = STRV("z9hG4bKabc"), .rport = true,
		.from = STRV("\"GW\" <sip:gw@[fd00::1]>"),
		.from_tag = STRV("f1"), .to = STRV("<sip:+15551234@pbx>"),
		.call_id = STRV("cid-1"), .cseq = 4294967295u, .max_fwd = 70,
		.contact = STRV("<sip:gw@[fd00::1]:5060>"),
		.ctype = STRV("application/sdp"), .body = STRV("v=0\r\n"),
	};
	struct sip_msg *m = NULL, *r = NULL;
	struct buf b = { 0 }, b2 = { 0 };

	ck_assert_int_eq(sip_req_print(&b, &p), 0);
	ck_assert_int_eq(sip_msg_parse(&m, b.data, b.len, SIP_PARSE_STREAM,
				       NULL),
			 0);
	ck_assert_int_eq(m->meth, SIP_METHOD_INVITE);
	ck_assert(eq(m->ruri.user, "+15551234"));
	ck_assert(eq(m->via.host, "fd00::1"));
	ck_assert_int_eq(m->via.rport, 0);
	ck_assert_uint_eq(m->via.port, 5060);
	ck_assert(eq(m->from.dname, "GW"));
	ck_assert(eq(m->from.tag, "f1"));
	ck_assert_ptr_null(m->to.tag.p);
	ck_assert_uint_eq(m->cseq.num, 4294967295u);
	ck_assert_int_eq(m->max_fwd, 70);
	ck_assert_uint_eq(m->ncontact, 1);
	ck_assert(eq(m->body, "v=0\r\n"));
	ck_assert_int_eq(sip_msg_check(m, NULL), 0);
	/* print is lossless: the same bytes back */
	ck_assert_int_eq(sip_msg_print(&b2, m), 0);
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert_int_eq(memcmp(b2.data, b.data, b.len), 0);
	ck_assert_int_eq(sip_msg_parse(&r, b2.data, b2.len, 0, NULL), 0);
	mem_deref(r);
	mem_deref(m);

	p.call_id = STRV_NULL;
	ck_assert_int_eq(sip_req_print(&b, &p), -EINVAL);
	buf_free(&b);
	buf_free(&b2);
}
END_TEST

/* A buf that cannot grow: a builder fails cleanly and leaves it as it
 * was. */
START_TEST(build_nospace)
{
	struct sip_msg *req = parse_ok(folded);
	struct sip_resp_params p = { .scode = 200 };
	struct buf b = { .max = 64 };

	ck_assert_int_eq(buf_puts(&b, "keep"), 0);
	ck_assert_int_eq(sip_resp_print(&b, req, &p), -EMSGSIZE);
	ck_assert_uint_eq(b.len, 4);
	mem_deref(req);
	buf_free(&b);
}
END_TEST

Suite *sip_parts_suite(void)
{
	Suite *s = suite_create("sip_parts");
	TCase *tc = tl_tcase(s, "parts");

	tcase_add_test(tc, uri_sip);
	tcase_add_test(tc, uri_bad);
	tcase_add_test(tc, escapes);
	tcase_add_test(tc, folding_compact);
	tcase_add_test(tc, hdr_lookup);
	tcase_add_test(tc, grammar_faults);
	tcase_add_test(tc, build_response);
	tcase_add_test(tc, build_request);
	tcase_add_test(tc, build_nospace);
	return s;
}
