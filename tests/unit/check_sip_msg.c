// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip message parser against the RFC 4475 and RFC 5118 torture
 * messages (../shared/conformance, or $TL_CONFORMANCE), table-driven: every
 * file there must be in the table, and its class must match INDEX.md.
 * Also replays the fuzzers' regression inputs (tests/fuzz/regress/).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"
#include "tl_check.h"

enum cls { VALID, INVALID, SEMANTIC };

/* Key fields of a message that parses; NULL / 0 / -1: not checked. */
struct expect {
	const char *method;	/* request method, or NULL for a response */
	uint16_t scode;
	const char *ruri_user;
	const char *ruri_host;
	uint16_t ruri_port;
	const char *call_id;
	uint32_t cseq;
	const char *branch;	/* top Via */
	const char *from_tag;
	int nvia, ncontact;
	long body;		/* body length, -1 unchecked */
	const char *check_err;	/* sip_msg_check() reason; NULL: ok */
};

struct tcase {
	const char *dir;	/* rfc4475, rfc5118 */
	const char *file;
	enum cls cls;
	const char *reason;	/* parse error (invalid, and mcl01) */
	bool answerable;	/* a 400 can be built for it */
	bool fix_clen;		/* RFC 5118 SDP: recompute the length */
	struct expect x;
};

#define X(...) { __VA_ARGS__ }
#define NONE .nvia = -1, .ncontact = -1, .body = -1

static const struct tcase cases[] = {
	/* RFC 4475 3.1.1: valid */
	{ "rfc4475", "wsinv.dat", VALID, NULL, false, false,
	  X(.method = "INVITE", .ruri_user = "vivekg",
	    .ruri_host = "chair-dnrc.example.com",
	    .call_id = "wsinv.ndaksdj@192.0.2.1", .cseq = 9,
	    .branch = "390skdjuw", .from_tag = "98asjd8", .nvia = 3,
	    .ncontact = 1, .body = 150) },
	{ "rfc4475", "intmeth.dat", VALID, NULL, false, false,
	  X(.method = "!interesting-Method0123456789_*+`.%indeed'~",
	    .ruri_user = "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
	    .ruri_host = "example.com",
	    .call_id = "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
	    .cseq = 139122385, .branch = "z9hG4bK-.!%66*_+`'~",
	    .from_tag = "_token~1'+`*%!-.", .nvia = 1, .ncontact = 0,
	    .body = 0) },
	{ "rfc4475", "esc01.dat", VALID, NULL, false, false,
	  X(.method = "INVITE", .ruri_user = "sips%3Auser%40example.com",
	    .ruri_host = "example.net",
	    .call_id = "esc01.239409asdfakjkn23onasd0-3234", .cseq = 234234,
	    .branch = "z9hG4bKkdjuw", .from_tag = "938", .nvia = 1,
	    .ncontact = 1, .body = 150) },
	{ "rfc4475", "escnull.dat", VALID, NULL, false, false,
	  X(.method = "REGISTER", .ruri_user = "", .ruri_host = "example.com",
	    .call_id = "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd",
	    .cseq = 14398234, .branch = "z9hG4bKkdjuw",
	    .from_tag = "839923423", .nvia = 1, .ncontact = 2, .body = 0) },
	{ "rfc4475", "esc02.dat", VALID, NULL, false, false,
	  X(.method = "RE%47IST%45R", .ruri_host = "registrar.example.com",
	    .call_id = "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf",
	    .cseq = 29344, .branch = "z9hG4bK209%fzsnel234",
	    .from_tag = "f232jadfj23", .nvia = 1, .ncontact = 2, .body = 0) },
	{ "rfc4475", "lwsdisp.dat", VALID, NULL, false, false,
	  X(.method = "OPTIONS", .ruri_host = "example.com",
	    .call_id = "lwsdisp.1234abcd@funky.example.com", .cseq = 60,
	    .branch = "z9hG4bKkdjuw", .from_tag = "323", .nvia = 1,
	    .ncontact = 0, .body = 0) },
	{ "rfc4475", "longreq.dat", VALID, NULL, false, false,
	  X(.method = "INVITE", .ruri_host = "example.com", .cseq = 3882340,
	    .nvia = 34, .ncontact = 1, .body = 150) },
	{ "rfc4475", "dblreq.dat", VALID, NULL, false, false,
	  X(.method = "REGISTER", .ruri_host = "example.com",
	    .call_id = "dblreq.0ha0isndaksdj99sdfafnl3lk233412",
	    .cseq = 8, .branch = "z9hG4bKkdjuw23492",
	    .from_tag = "43251j3j324", .nvia = 1, .ncontact = 1,
	    .body = 0) },
	{ "rfc4475", "semiuri.dat", VALID, NULL, false, false,
	  X(.method = "OPTIONS", .ruri_user = "user;par=u%40example.net",
	    .ruri_host = "example.com",
	    .call_id = "semiuri.0ha0isndaksdj", .cseq = 8,
	    .branch = "z9hG4bKkdjuw", .from_tag = "33242", .nvia = 1,
	    .ncontact = 0, .body = 0) },
	{ "rfc4475", "transports.dat", VALID, NULL, false, false,
	  X(.method = "OPTIONS", .ruri_host = "example.com",
	    .call_id = "transports.kijh4akdnaqjkwendsasfdj", .cseq = 60,
	    .branch = "z9hG4bKkdjuw", .from_tag = "323", .nvia = 5,
	    .ncontact = 0, .body = 0) },
	{ "rfc4475", "mpart01.dat", VALID, NULL, false, false,
	  X(.method = "MESSAGE", .ruri_user = "kumiko",
	    .ruri_host = "example.org", .cseq = 1,
	    .call_id = "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..",
	    .branch = "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-",
	    .from_tag = "2fb0dcc9", .nvia = 1, .ncontact = 1, .body = 553) },
	{ "rfc4475", "unreason.dat", VALID, NULL, false, false,
	  X(.scode = 200, .call_id = "unreason.1234ksdfak3j2erwedfsASdf",
	    .cseq = 35, .branch = "z9hG4bK1324923",
	    .from_tag = "11141343", .nvia = 1, .ncontact = 1, .body = 154) },
	{ "rfc4475", "noreason.dat", VALID, NULL, false, false,
	  X(.scode = 100, .call_id = "noreason.asndj203insdf99223ndf",
	    .cseq = 35, .branch = "z9hG4bK2398ndaoe",
	    .from_tag = "39ansfi3", .nvia = 1, .ncontact = 1, .body = 0) },
	/* RFC 4475 3.1.2: invalid */
	{ "rfc4475", "badinv01.dat", INVALID, "Malformed Via", true, false,
	  X(NONE) },
	{ "rfc4475", "clerr.dat", INVALID, "Content-Length mismatch", true,
	  false, X(NONE) },
	{ "rfc4475", "ncl.dat", INVALID, "Bad Content-Length", true, false,
	  X(NONE) },
	{ "rfc4475", "scalar02.dat", INVALID, "Bad CSeq", true, false,
	  X(NONE) },
	{ "rfc4475", "scalarlg.dat", INVALID, "Bad CSeq", false, false,
	  X(NONE) },
	{ "rfc4475", "quotbal.dat", INVALID, "Malformed To", true, false,
	  X(NONE) },
	{ "rfc4475", "ltgtruri.dat", INVALID, "Bad Request-URI", true, false,
	  X(NONE) },
	{ "rfc4475", "lwsruri.dat", INVALID, "Bad Request-Line", true, false,
	  X(NONE) },
	{ "rfc4475", "lwsstart.dat", INVALID, "Bad Request-Line", true,
	  false, X(NONE) },
	{ "rfc4475", "trws.dat", INVALID, "Bad Request-Line", true, false,
	  X(NONE) },
	{ "rfc4475", "escruri.dat", INVALID, "Bad Request-URI", true, false,
	  X(NONE) },
	{ "rfc4475", "baddate.dat", INVALID, "Bad Date", true, false,
	  X(NONE) },
	{ "rfc4475", "regbadct.dat", INVALID, "Malformed Contact", true,
	  false, X(NONE) },
	{ "rfc4475", "badaspec.dat", INVALID, "Malformed To", true, false,
	  X(NONE) },
	{ "rfc4475", "baddn.dat", INVALID, "Missing end of headers", true,
	  false, X(NONE) },
	{ "rfc4475/variants", "baddn.ersip-terminated.dat", INVALID,
	  "Malformed From", true, false, X(NONE) },
	{ "rfc4475", "badvers.dat", INVALID, "Version Not Supported", true,
	  false, X(NONE) },
	{ "rfc4475", "mismatch01.dat", INVALID, "CSeq method mismatch", true,
	  false, X(NONE) },
	{ "rfc4475", "mismatch02.dat", INVALID, "CSeq method mismatch", true,
	  false, X(NONE) },
	{ "rfc4475", "bigcode.dat", INVALID, "Bad Status-Line", false, false,
	  X(NONE) },
	/* RFC 4475 3.2-3.4: syntactically valid, semantics for upper layers */
	{ "rfc4475", "badbranch.dat", SEMANTIC, NULL, false, false,
	  X(.method = "OPTIONS", .branch = "z9hG4bK", .cseq = 8, .nvia = 1,
	    .ncontact = 0, .body = 0) },
	{ "rfc4475", "insuf.dat", SEMANTIC, NULL, false, false,
	  X(.method = "INVITE", .cseq = 193942, .nvia = 1, .ncontact = 0,
	    .body = 152, .check_err = "Missing From") },
	{ "rfc4475", "unkscm.dat", SEMANTIC, NULL, false, false,
	  X(.method = "OPTIONS", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc4475", "novelsc.dat", SEMANTIC, NULL, false, false,
	  X(.method = "OPTIONS", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc4475", "unksm2.dat", SEMANTIC, NULL, false, false,
	  X(.method = "REGISTER", .from_tag = "3234233", .nvia = 1,
	    .ncontact = 1, .body = 0) },
	{ "rfc4475", "bext01.dat", SEMANTIC, NULL, false, false,
	  X(.method = "OPTIONS", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc4475", "invut.dat", SEMANTIC, NULL, false, false,
	  X(.method = "INVITE", .nvia = 1, .ncontact = 1, .body = 40) },
	{ "rfc4475", "regaut01.dat", SEMANTIC, NULL, false, false,
	  X(.method = "REGISTER", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc4475", "multi01.dat", SEMANTIC, NULL, false, false,
	  X(.method = "INVITE", .cseq = 5,
	    .call_id = "multi01.98asdh@192.0.2.1", .nvia = 1, .ncontact = 2,
	    .body = 154, .check_err = "Duplicate From") },
	/* INDEX: a framing error, to be answered with an error: the parser
	 * cannot pick a body length, so it refuses the message */
	{ "rfc4475", "mcl01.dat", SEMANTIC, "Multiple Content-Length", true,
	  false, X(NONE) },
	{ "rfc4475", "bcast.dat", SEMANTIC, NULL, false, false,
	  X(.scode = 200, .nvia = 2, .ncontact = 1, .body = 154) },
	{ "rfc4475", "zeromf.dat", SEMANTIC, NULL, false, false,
	  X(.method = "OPTIONS", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc4475", "cparam01.dat", SEMANTIC, NULL, false, false,
	  X(.method = "REGISTER", .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc4475", "cparam02.dat", SEMANTIC, NULL, false, false,
	  X(.method = "REGISTER", .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc4475", "regescrt.dat", SEMANTIC, NULL, false, false,
	  X(.method = "REGISTER", .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc4475", "sdp01.dat", SEMANTIC, NULL, false, false,
	  X(.method = "INVITE", .nvia = 1, .ncontact = 1, .body = 150) },
	{ "rfc4475", "inv2543.dat", SEMANTIC, NULL, false, false,
	  X(.method = "INVITE", .ruri_user = "UserB",
	    .ruri_host = "example.com", .nvia = 1, .ncontact = 0,
	    .body = 105) },
	/* RFC 5118 */
	{ "rfc5118", "ipv6-good.dat", VALID, NULL, false, false,
	  X(.method = "REGISTER", .ruri_user = "", .ruri_host = "2001:db8::10",
	    .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc5118", "ipv6-bad.dat", INVALID, "Bad Request-URI", true, false,
	  X(NONE) },
	{ "rfc5118", "port-ambiguous.dat", VALID, NULL, false, false,
	  X(.method = "REGISTER", .ruri_host = "2001:db8::10:5070",
	    .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc5118", "port-unambiguous.dat", VALID, NULL, false, false,
	  X(.method = "REGISTER", .ruri_host = "2001:db8::10",
	    .ruri_port = 5070, .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc5118", "via-received-param-with-delim.dat", VALID, NULL, false,
	  false, X(.method = "BYE", .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc5118", "via-received-param-no-delim.dat", VALID, NULL, false,
	  false, X(.method = "OPTIONS", .nvia = 1, .ncontact = 1, .body = 0) },
	{ "rfc5118", "ipv6-in-sdp.dat", VALID, NULL, false, true,
	  X(.method = "INVITE", .nvia = 1, .ncontact = 1, .body = 251) },
	{ "rfc5118", "mult-ip-in-header.dat", VALID, NULL, false, false,
	  X(.method = "BYE", .call_id = "997077@lau_4100", .cseq = 89187,
	    .branch = "z9hG4bKas3-111", .from_tag = "81x2", .nvia = 3,
	    .ncontact = 0, .body = 0) },
	{ "rfc5118", "mult-ip-in-sdp.dat", VALID, NULL, false, true,
	  X(.method = "INVITE", .nvia = 1, .ncontact = 1, .body = 189) },
	{ "rfc5118", "ipv4-mapped-ipv6.dat", VALID, NULL, false, true,
	  X(.method = "INVITE", .nvia = 2, .ncontact = 1, .body = 245) },
	{ "rfc5118", "ipv6-bug-abnf-3-colons.dat", VALID, NULL, false, false,
	  X(.method = "OPTIONS", .ruri_host = "2001:db8:::192.0.2.1",
	    .nvia = 1, .ncontact = 0, .body = 0) },
	{ "rfc5118", "ipv6-correct-abnf-2-colons.dat", VALID, NULL, false,
	  false, X(.method = "OPTIONS", .ruri_host = "2001:db8::192.0.2.1",
		   .nvia = 1, .ncontact = 0, .body = 0) },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *corpus_dir(void)
{
	const char *d = getenv("TL_CONFORMANCE");

	return d && *d ? d : "../shared/conformance";
}

/* Whole file into a malloc'd buffer; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		d = malloc((size_t)n + 1);
		if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
			free(d);
			d = NULL;
		} else if (d) {
			*len = (size_t)n;
		}
	}
	fclose(f);
	return d;
}

static char *load(const struct tcase *c, size_t *len)
{
	char path[512];
	char *d;

	snprintf(path, sizeof(path), "%s/%s/%s", corpus_dir(), c->dir,
		 c->file);
	d = slurp(path, len);
	ck_assert_msg(d, "cannot read %s: the conformance corpus is required "
		      "(../shared/conformance or $TL_CONFORMANCE)", path);
	return d;
}

/* RFC 5118 README: three SDP messages carry a Content-Length computed on
 * LF line ends; rewrite it to the real CRLF body length. */
static char *fix_clen(char *d, size_t *len)
{
	const char *key = "\r\nContent-Length: ";
	char *cl = strstr(d, key), *eol, *hend, *out;
	size_t blen, n;
	char num[24];

	ck_assert_ptr_nonnull(cl);
	hend = strstr(d, "\r\n\r\n");
	ck_assert_ptr_nonnull(hend);
	blen = *len - (size_t)(hend + 4 - d);
	cl += strlen(key);
	eol = strstr(cl, "\r\n");
	snprintf(num, sizeof(num), "%zu", blen);
	n = (size_t)(cl - d) + strlen(num) + (*len - (size_t)(eol - d));
	out = malloc(n + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, d, (size_t)(cl - d));
	memcpy(out + (cl - d), num, strlen(num));
	memcpy(out + (cl - d) + strlen(num), eol, *len - (size_t)(eol - d));
	free(d);
	*len = n;
	return out;
}

static void eq_str(struct strv v, const char *s, const char *what,
		   const char *file)
{
	ck_assert_msg(strv_eq(v, strv_of(s)), "%s: %s is '%.*s', want '%s'",
		      file, what, (int)v.l, v.p ? v.p : "", s);
}

static void check_expect(const struct sip_msg *m, const struct tcase *c)
{
	const struct expect *x = &c->x;
	struct sip_perr perr = { 0 };
	int r;

	if (x->method) {
		ck_assert_msg(m->req, "%s: not a request", c->file);
		eq_str(m->method, x->method, "method", c->file);
	}
	if (x->scode) {
		ck_assert(!m->req);
		ck_assert_uint_eq(m->scode, x->scode);
	}
	if (x->ruri_user)
		eq_str(m->ruri.user, x->ruri_user, "R-URI user", c->file);
	if (x->ruri_host)
		eq_str(m->ruri.host, x->ruri_host, "R-URI host", c->file);
	if (x->ruri_host || x->ruri_port)
		ck_assert_uint_eq(m->ruri.port, x->ruri_port);
	if (x->call_id)
		eq_str(m->call_id, x->call_id, "Call-ID", c->file);
	if (x->cseq)
		ck_assert_uint_eq(m->cseq.num, x->cseq);
	if (x->branch)
		eq_str(m->via.branch, x->branch, "branch", c->file);
	if (x->from_tag)
		eq_str(m->from.tag, x->from_tag, "From tag", c->file);
	if (x->nvia >= 0)
		ck_assert_msg(m->nvia == (uint32_t)x->nvia, "%s: %u Vias",
			      c->file, m->nvia);
	if (x->ncontact >= 0)
		ck_assert_msg(m->ncontact == (uint32_t)x->ncontact,
			      "%s: %u Contacts", c->file, m->ncontact);
	if (x->body >= 0)
		ck_assert_msg(m->body.l == (size_t)x->body, "%s: body %zu",
			      c->file, m->body.l);
	r = sip_msg_check(m, &perr);
	if (x->check_err) {
		ck_assert_int_eq(r, -EBADMSG);
		ck_assert_str_eq(perr.reason, x->check_err);
	} else {
		ck_assert_msg(r == 0, "%s: check: %s", c->file, perr.reason);
	}
}

/* Print, re-parse, compare; answer it with 200 and parse the answer. */
static void roundtrip(const struct sip_msg *m, const char *file)
{
	struct sip_resp_params rp = { .scode = 200, .to_tag = STRV("gw1") };
	struct sip_msg *m2 = NULL, *r = NULL;
	struct buf b = { 0 };
	uint32_t i;

	ck_assert_int_eq(sip_msg_print(&b, m), 0);
	ck_assert_msg(sip_msg_parse(&m2, b.data, b.len, 0, NULL) == 0,
		      "%s: re-print does not parse", file);
	ck_assert_uint_eq(m2->hdrc, m->hdrc);
	for (i = 0; i < m->hdrc; i++) {
		ck_assert_uint_eq(m2->hdrv[i].id, m->hdrv[i].id);
		ck_assert(strv_eq(m2->hdrv[i].val, m->hdrv[i].val));
	}
	ck_assert(strv_eq(m2->body, m->body));
	ck_assert(strv_eq(m2->call_id, m->call_id));
	ck_assert_uint_eq(m2->cseq.num, m->cseq.num);
	ck_assert_uint_eq(m2->nvia, m->nvia);
	mem_deref(m2);

	if (m->req && sip_msg_check(m, NULL) == 0) {
		buf_reset(&b);
		ck_assert_int_eq(sip_resp_print(&b, m, &rp), 0);
		ck_assert_msg(sip_msg_parse(&r, b.data, b.len, 0, NULL) == 0,
			      "%s: 200 does not parse", file);
		ck_assert_uint_eq(r->scode, 200);
		ck_assert(strv_eq(r->call_id, m->call_id));
		ck_assert_uint_eq(r->nvia, m->nvia);
		ck_assert(strv_eq(r->via.branch, m->via.branch));
		if (m->to.tag.p)
			ck_assert(strv_eq(r->to.tag, m->to.tag));
		else
			eq_str(r->to.tag, "gw1", "To tag", file);
		mem_deref(r);
	}
	buf_free(&b);
}

static bool copied_fault(const char *reason)
{
	static const char *const r[] = { "Malformed Via", "Malformed From",
					 "Malformed To", "Bad Call-ID",
					 "Bad CSeq" };

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (!strcmp(reason, r[i]))
			return true;
	return false;
}

static void return_free(struct sip_msg *s, struct buf *b)
{
	mem_deref(s);
	buf_free(b);
}

/* A refused request that is answerable gets a 400 naming the fault. */
static void answer_400(const char *d, size_t len, const struct tcase *c,
		       const struct sip_perr *perr)
{
	struct sip_resp_params rp = { .scode = perr->scode,
				      .reason = perr->reason };
	struct sip_msg *s = NULL, *r = NULL;
	struct sip_perr p2 = { 0 };
	struct buf b = { 0 };
	int err = sip_msg_salvage(&s, d, len);

	ck_assert_msg((err == 0) == c->answerable, "%s: answerable %d",
		      c->file, err == 0);
	if (err)
		return;
	ck_assert(sip_msg_answerable(s));
	ck_assert_int_eq(sip_resp_print(&b, s, &rp), 0);
	/* the 400 carries the request's own headers: if one of them was the
	 * fault, the 400 fails on the same fault, else it parses */
	if (sip_msg_parse(&r, b.data, b.len, 0, &p2)) {
		ck_assert_msg(copied_fault(p2.reason),
			      "%s: our 400 fails with '%s'", c->file,
			      p2.reason);
		return_free(s, &b);
		return;
	}
	ck_assert_uint_eq(r->scode, perr->scode);
	eq_str(r->reason, perr->reason, "reason", c->file);
	ck_assert(strv_eq(r->call_id, sip_msg_hdr(s, SIP_HDR_CALL_ID)->val));
	mem_deref(r);
	return_free(s, &b);
}

static void run_case(const struct tcase *c)
{
	struct sip_perr perr = { 0 };
	struct sip_msg *m = NULL;
	size_t len = 0;
	char *d = load(c, &len);
	int r;

	if (c->fix_clen)
		d = fix_clen(d, &len);
	r = sip_msg_parse(&m, d, len, 0, &perr);
	if (c->reason) {
		ck_assert_msg(r == -EBADMSG, "%s: parsed, want '%s'", c->file,
			      c->reason);
		ck_assert_ptr_null(m);
		ck_assert_msg(!strcmp(perr.reason, c->reason),
			      "%s: reason '%s', want '%s'", c->file,
			      perr.reason, c->reason);
		ck_assert_uint_eq(perr.scode,
				  !strcmp(c->file, "badvers.dat") ? 505 : 400);
		answer_400(d, len, c, &perr);
	} else {
		ck_assert_msg(r == 0, "%s: %d (%s)", c->file, r, perr.reason);
		check_expect(m, c);
		roundtrip(m, c->file);
		mem_deref(m);
	}
	free(d);
}

START_TEST(conformance_case)
{
	run_case(&cases[_i]);
}
END_TEST

static const struct tcase *find_case(const char *dir, const char *file)
{
	for (size_t i = 0; i < NCASES; i++)
		if (!strcmp(cases[i].dir, dir) && !strcmp(cases[i].file, file))
			return &cases[i];
	return NULL;
}

/* Every .dat in the corpus folders is in the table. */
START_TEST(conformance_complete)
{
	static const char *const dirs[] = { "rfc4475", "rfc4475/variants",
					    "rfc5118" };
	size_t seen = 0;

	for (size_t i = 0; i < 3; i++) {
		char path[512];
		struct dirent *de;
		DIR *dp;

		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), dirs[i]);
		dp = opendir(path);
		ck_assert_msg(dp, "conformance corpus missing: %s (set "
			      "TL_CONFORMANCE)", path);
		while ((de = readdir(dp))) {
			size_t n = strlen(de->d_name);

			if (n < 5 || strcmp(de->d_name + n - 4, ".dat"))
				continue;
			ck_assert_msg(find_case(dirs[i], de->d_name),
				      "%s/%s is not in the table", dirs[i],
				      de->d_name);
			seen++;
		}
		closedir(dp);
	}
	ck_assert_uint_eq(seen, NCASES);
}
END_TEST

/* The class column of each INDEX.md agrees with the table. */
START_TEST(conformance_index)
{
	static const char *const dirs[] = { "rfc4475", "rfc5118" };
	size_t rows = 0;

	for (size_t i = 0; i < 2; i++) {
		char path[512], line[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s/INDEX.md", corpus_dir(),
			 dirs[i]);
		f = fopen(path, "r");
		ck_assert_msg(f, "cannot read %s", path);
		while (fgets(line, sizeof(line), f)) {
			char *col[5] = { 0 }, *p = line, *save = NULL;
			const struct tcase *c;
			enum cls want;
			int k;

			if (strncmp(line, "| ", 2) || !strstr(line, ".dat |"))
				continue;
			for (k = 0; k < 5; k++) {
				col[k] = strtok_r(p, "|", &save);
				p = NULL;
				ck_assert_ptr_nonnull(col[k]);
				while (*col[k] == ' ')
					col[k]++;
				col[k][strcspn(col[k], " ")] = '\0';
			}
			c = find_case(dirs[i], col[0]);
			ck_assert_msg(c, "%s not in the table", col[0]);
			want = !strcmp(col[3], "valid")	    ? VALID
			       : !strcmp(col[3], "invalid") ? INVALID
							    : SEMANTIC;
			ck_assert_msg(c->cls == want, "%s: class %s", col[0],
				      col[3]);
			rows++;
		}
		fclose(f);
	}
	/* the variant has no row of its own */
	ck_assert_uint_eq(rows, NCASES - 1);
}
END_TEST

/* The fuzzers' saved inputs (tests/fuzz/regress/sip_msg, sip_frame) must
 * go through parse, print, re-parse and framing without harm. */
static void replay(const char *d, size_t len)
{
	struct sip_resp_params rp = { .scode = 400, .reason = "Bad" };
	struct sip_msg *m = NULL, *m2 = NULL;
	struct sip_frame f;
	struct buf b = { 0 };

	if (sip_msg_parse(&m, d, len, 0, NULL) == 0) {
		ck_assert_int_eq(sip_msg_print(&b, m), 0);
		ck_assert_int_eq(sip_msg_parse(&m2, b.data, b.len, 0, NULL),
				 0);
		ck_assert_uint_eq(m2->hdrc, m->hdrc);
		mem_deref(m2);
		mem_deref(m);
	} else if (sip_msg_salvage(&m, d, len) == 0) {
		ck_assert_int_eq(sip_resp_print(&b, m, &rp), 0);
		mem_deref(m);
	}
	if (sip_frame_next(d, len, 65536, &f) == 0)
		ck_assert(f.skip + f.len <= len);
	buf_free(&b);
}

START_TEST(fuzz_regress)
{
	static const char *const dirs[] = { "tests/fuzz/regress/sip_msg",
					    "tests/fuzz/regress/sip_frame" };

	for (size_t i = 0; i < 2; i++) {
		struct dirent *de;
		DIR *dp = opendir(dirs[i]);

		if (!dp)
			continue;
		while ((de = readdir(dp))) {
			char path[512];
			size_t len = 0;
			char *d;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
				 de->d_name);
			d = slurp(path, &len);
			ck_assert_msg(d, "cannot read %s", path);
			replay(d, len);
			free(d);
		}
		closedir(dp);
	}
}
END_TEST

Suite *sip_msg_suite(void)
{
	Suite *s = suite_create("sip_msg");
	TCase *tc = tl_tcase(s, "conformance");

	tcase_add_loop_test(tc, conformance_case, 0, (int)NCASES);
	tcase_add_test(tc, conformance_complete);
	tcase_add_test(tc, conformance_index);
	tc = tl_tcase(s, "regress");
	tcase_add_test(tc, fuzz_regress);
	return s;
}
