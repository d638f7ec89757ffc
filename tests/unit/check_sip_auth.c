// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip digest authentication: the RFC 7616 3.9.1 example, header
 * parsing (good and malformed), and server <-> client round trips on real
 * SIP messages: both algorithms, wrong password, stale, forged nonce,
 * replayed nc, uri mismatch, RFC 2069 form, 407, pre-authentication.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/auth.h"
#include "tl_check.h"

#define REALM "gw.example.net"

static uint64_t fake_now = 1000000;

static uint64_t fake_clock(void)
{
	return fake_now;
}

/* alice has a password, bob only a stored HA1 */
static int lookup(const char *user, const char *realm, enum sip_auth_alg alg,
		  struct sip_auth_secret *s, void *arg)
{
	int *calls = arg;

	(*calls)++;
	if (!strcmp(user, "alice")) {
		snprintf(s->password, sizeof(s->password), "s3cret");
		return 0;
	}
	if (!strcmp(user, "bob"))
		return sip_auth_ha1(alg, STRV("bob"), strv_of(realm),
				    STRV("b0b\"pw"), s->ha1);
	return -ENOENT;
}

static struct sip_auth_srv *srv_new(int *calls, uint32_t slots)
{
	struct sip_auth_srv_params p = {
		.realm = REALM, .nonce_ttl_ms = 60000, .nc_slots = slots,
		.lookup = lookup, .arg = calls, .clock = fake_clock,
	};
	struct sip_auth_srv *s = NULL;

	ck_assert_int_eq(sip_auth_srv_alloc(&s, &p), 0);
	return s;
}

static struct sip_msg *parse(const char *txt)
{
	struct sip_msg *m = NULL;
	struct sip_perr pe = { 0 };

	ck_assert_msg(sip_msg_parse(&m, txt, strlen(txt), 0, &pe) == 0,
		      "parse: %s\n%s", pe.reason, txt);
	return m;
}

/* A request @method to @ruri with extra header lines @hdrs. */
static struct sip_msg *req_of(const char *method, const char *ruri,
			      const char *hdrs, uint32_t cseq)
{
	char txt[4096];

	snprintf(txt, sizeof(txt),
		 "%s %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 198.18.0.1:5060;branch=z9hG4bK-%u\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@" REALM ">;tag=ft1\r\n"
		 "To: <sip:bob@" REALM ">\r\n"
		 "Call-ID: auth-test-1@198.18.0.1\r\n"
		 "CSeq: %u %s\r\n%s"
		 "Content-Length: 0\r\n\r\n",
		 method, ruri, cseq, cseq, method, hdrs);
	return parse(txt);
}

/* The server's 401/407 for @req, as a parsed response. @keep: only the
 * challenge lines containing it (NULL: all); @drop: remove this text. */
static struct sip_msg *challenge(struct sip_auth_srv *s,
				 const struct sip_msg *req, bool proxy,
				 bool stale, const char *keep,
				 const char *drop)
{
	struct buf b = { 0 };
	char out[4096] = "", *line, *save = NULL;
	struct sip_msg *m;

	ck_assert_int_eq(sip_auth_srv_reply(s, &b, req, proxy, stale,
					    STRV("tt1")), 0);
	for (line = strtok_r((char *)buf_cstr(&b), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *d;

		if (keep && strstr(line, "Authenticate:") &&
		    !strstr(line, keep))
			continue;
		if (drop && (d = strstr(line, drop))) {
			size_t k = strlen(drop);

			memmove(d, d + k, strlen(d + k) + 1);
		}
		strcat(out, line);
		strcat(out, "\n");
	}
	buf_free(&b);
	m = parse(out);
	ck_assert_int_eq(m->scode, proxy ? 407 : 401);
	return m;
}

/* The client's credential lines for a request. */
static void answer(struct sip_auth_cli *c, const char *method,
		   const char *ruri, char *out, size_t n)
{
	struct buf b = { 0 };

	ck_assert_int_eq(sip_auth_cli_hdrs(c, &b, strv_of(method),
					   strv_of(ruri)), 0);
	ck_assert_int_eq(snprintf(out, n, "%s", buf_cstr(&b)) < (int)n, 1);
	buf_free(&b);
}

static int verify(struct sip_auth_srv *s, const char *method,
		  const char *ruri, const char *hdrs, bool proxy,
		  char *user, size_t ulen)
{
	struct sip_msg *m = req_of(method, ruri, hdrs, 2);
	struct strv u = STRV_NULL;
	int err = sip_auth_srv_verify(s, m, proxy, &u);

	if (user)
		strv_copy(u, user, ulen);
	mem_deref(m);
	return err;
}

/* RFC 7616 3.9.1 */
START_TEST(rfc7616_example)
{
	static const char *const want[] = {
		"8ca523f5e9506fed4657c9700eebdbec",
		"753927fa0e85d155564e2e272a28d180"
		"2ca10daf4496794697cf8db5856cb6c1",
	};
	struct sip_auth_dig d = {
		.user = STRV("Mufasa"),
		.realm = STRV("http-auth@example.org"),
		.password = STRV("Circle of Life"),
		.method = STRV("GET"),
		.uri = STRV("/dir/index.html"),
		.nonce = STRV("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
		.cnonce = STRV("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"),
		.nc = STRV("00000001"),
		.qop = true,
	};
	char out[SIP_AUTH_HEX_MAX], ha1[SIP_AUTH_HEX_MAX];

	d.alg = SIP_AUTH_MD5;
	ck_assert_int_eq(sip_auth_digest(&d, out), 0);
	ck_assert_str_eq(out, want[0]);
	d.alg = SIP_AUTH_SHA256;
	ck_assert_int_eq(sip_auth_digest(&d, out), 0);
	ck_assert_str_eq(out, want[1]);
	/* the same through a stored HA1 (uppercase is accepted) */
	ck_assert_int_eq(sip_auth_ha1(SIP_AUTH_SHA256, d.user, d.realm,
				      d.password, ha1), 0);
	for (char *p = ha1; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p -= 32;
	d.ha1 = strv_of(ha1);
	d.password = STRV("wrong, ignored");
	ck_assert_int_eq(sip_auth_digest(&d, out), 0);
	ck_assert_str_eq(out, want[1]);
	d.alg = SIP_AUTH_ALG_UNKNOWN;
	ck_assert_int_eq(sip_auth_digest(&d, out), -EINVAL);
}
END_TEST

/* RFC 7616 3.9.1: the Authorization header of the example, parsed. */
START_TEST(rfc7616_cred_parse)
{
	static const char v[] =
		"Digest username=\"Mufasa\",\r\n "
		"realm=\"http-auth@example.org\",\r\n "
		"uri=\"/dir/index.html\",\r\n algorithm=SHA-256,\r\n "
		"nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n "
		"nc=00000001,\r\n "
		"cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n"
		" qop=auth,\r\n response=\"753927fa0e85d155564e2e272a28d180"
		"2ca10daf4496794697cf8db5856cb6c1\",\r\n opaque=\"FQhe/qaU925k"
		"fnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
	struct sip_auth_cred c;

	ck_assert_int_eq(sip_auth_cred_parse(STRV(v), &c), 0);
	ck_assert_int_eq(c.alg, SIP_AUTH_SHA256);
	ck_assert(!c.sess && c.has_qop && c.has_opaque);
	ck_assert(strv_eq(c.username, STRV("Mufasa")));
	ck_assert(strv_eq(c.uri, STRV("/dir/index.html")));
	ck_assert(strv_eq(c.nc_s, STRV("00000001")));
	ck_assert_uint_eq(c.nc, 1);
	ck_assert_uint_eq(c.response.l, 64);
	ck_assert(strv_eq(c.opaque, STRV("FQhe/qaU925kfnzjCev0ciny7QMkP"
					 "qMAFRtzCUYo5tdS")));
}
END_TEST

/* Several challenges in one header and over several headers; escapes. */
START_TEST(chal_parse)
{
	static const char v[] =
		"Basic realm=\"x\", Bearer abc+/de==, "
		"Digest realm=\"a\\\"b\", NONCE=\"n1\" ,qop=\"auth-int, auth\","
		" algorithm=sha-256-sess, stale=TRUE, ext=tok,"
		"Digest nonce=\"n2\", realm=\"r2\", algorithm=\"MD5\"";
	struct strv rest = STRV(v);
	struct sip_auth_chal c;
	char buf[16];

	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert(!c.digest && strv_eq(c.scheme, STRV("Basic")));
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert(!c.digest && strv_eq(c.scheme, STRV("Bearer")));
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert(c.digest);
	ck_assert(strv_eq(c.realm, STRV("a\\\"b")));
	ck_assert_int_eq(sip_auth_unq(c.realm, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "a\"b");
	ck_assert(strv_eq(c.nonce, STRV("n1")));
	ck_assert(c.qop_auth && c.qop_auth_int && c.stale && c.sess);
	ck_assert_int_eq(c.alg, SIP_AUTH_SHA256);
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert(c.digest && !c.has_qop && !c.stale && !c.has_opaque);
	ck_assert_int_eq(c.alg, SIP_AUTH_MD5);
	ck_assert(strv_eq(c.realm, STRV("r2")));
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), -ENOENT);
	/* absent algorithm means MD5; unknown ones are flagged */
	rest = STRV("Digest realm=\"r\", nonce=\"n\"");
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert_int_eq(c.alg, SIP_AUTH_MD5);
	rest = STRV("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1");
	ck_assert_int_eq(sip_auth_chal_next(&rest, &c), 0);
	ck_assert_int_eq(c.alg, SIP_AUTH_ALG_UNKNOWN);
	ck_assert_int_eq(sip_auth_unq(STRV("abcd"), buf, 4), -ENOSPC);
}
END_TEST

static const char *const bad_chal[] = {
	"Digest realm=\"r\"",			/* no nonce */
	"Digest nonce=\"n\"",			/* no realm */
	"Digest realm=\"r\", nonce=\"n",		/* unterminated */
	"Digest realm=\"r\", nonce",		/* no = */
	"Digest realm=\"r\", nonce=",		/* no value */
	"Digest realm=\"r\", nonce=\"n\", realm=\"x\"", /* repeated */
	"Digest realm=\"r\"x, nonce=\"n\"",	/* junk after value */
	"Digest realm=\"r\" nonce=\"n\"",		/* no comma */
	"Digest realm=\"r\", nonce=\"n\", =x",	/* empty name */
	"Digest realm=\"r\", nonce=\"n\\",	/* escape at the end */
	"Digest realm=\"r\", nonce=@",		/* not a token */
	"Digest\"realm",			/* no LWS after scheme */
	"@Digest realm=\"r\", nonce=\"n\"",	/* no scheme */
	"Digest realm=\"r\", nonce=\"n\", Basic", /* trailing scheme: ok? */
};

START_TEST(chal_malformed)
{
	struct strv rest = strv_of(bad_chal[_i]);
	struct sip_auth_chal c;
	int err = 0;

	/* the last entry is a valid Digest then a bare Basic challenge */
	while (!err)
		err = sip_auth_chal_next(&rest, &c);
	if ((size_t)_i == sizeof(bad_chal) / sizeof(bad_chal[0]) - 1)
		ck_assert_int_eq(err, -ENOENT);
	else
		ck_assert_msg(err == -EBADMSG, "%s: %d", bad_chal[_i], err);
}
END_TEST

#define CRED_OK                                                             \
	"username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:a@b\", "        \
	"response=\"0123456789abcdef0123456789abcdef\""

static const struct {
	const char *v;
	int err;
} creds[] = {
	{ "Digest " CRED_OK, 0 },
	{ "Digest " CRED_OK ", cnonce=\"c\", qop=auth, nc=0000000A", 0 },
	{ "Basic dXNlcjpwYXNz", -ENOTSUP },
	{ "Digest " CRED_OK ",", -EBADMSG },
	{ "Digest " CRED_OK ", username=\"v\"", -EBADMSG },
	{ "Digest " CRED_OK ", qop=auth, nc=00000001", -EBADMSG },
	{ "Digest " CRED_OK ", cnonce=\"c\", nc=00000001", -EBADMSG },
	{ "Digest " CRED_OK ", cnonce=\"c\", qop=auth, nc=1", -EBADMSG },
	{ "Digest " CRED_OK ", cnonce=\"c\", qop=auth, nc=0000000g",
	  -EBADMSG },
	{ "Digest " CRED_OK ", cnonce=\"c\", qop=auth-int, nc=00000001",
	  -EBADMSG },
	{ "Digest " CRED_OK ", algorithm=SHA-256", -EBADMSG }, /* 32 hex */
	{ "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"x\"",
	  -EBADMSG },
	{ "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"x\", "
	  "response=\"zz\"", -EBADMSG },
	{ "Digest", -EBADMSG },
	{ "", -EBADMSG },
	{ "Digest username=\"u", -EBADMSG },
	{ "Digest username=\"u\" realm=\"r\"", -EBADMSG },
};

START_TEST(cred_table)
{
	struct sip_auth_cred c;

	ck_assert_msg(sip_auth_cred_parse(strv_of(creds[_i].v), &c) ==
			      creds[_i].err,
		      "%s", creds[_i].v);
	if (_i == 1)
		ck_assert_uint_eq(c.nc, 10);
}
END_TEST

/* 401 -> client answer -> server check, for each algorithm. */
static void round_trip(const char *keep, enum sip_auth_alg alg,
		       const char *user, const char *pass)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r401 = challenge(s, req, false, false, keep, NULL);
	struct sip_auth_cred cr;
	char hdrs[2048], who[32] = "";
	const char *v;

	ck_assert_int_eq(sip_auth_srv_verify(s, req, false, NULL), -ENOENT);
	ck_assert_int_eq(sip_auth_cli_alloc(&c, user, pass), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r401), 0);
	answer(c, "INVITE", "sip:bob@" REALM, hdrs, sizeof(hdrs));
	ck_assert_msg(!strncmp(hdrs, "Authorization: Digest ", 22), "%s",
		      hdrs);
	v = hdrs + 15;
	ck_assert_int_eq(sip_auth_cred_parse(
				 (struct strv){ v, strlen(v) - 2 }, &cr), 0);
	ck_assert_int_eq(cr.alg, alg);
	ck_assert_uint_eq(cr.nc, 1);
	ck_assert(cr.has_qop && cr.has_opaque);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, hdrs, false,
				who, sizeof(who)), 0);
	ck_assert_str_eq(who, user);
	ck_assert_int_eq(calls, 1);
	mem_deref(r401);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}

START_TEST(round_trip_sha256)
{
	/* both offered: the client must take SHA-256 */
	round_trip(NULL, SIP_AUTH_SHA256, "alice", "s3cret");
	round_trip(NULL, SIP_AUTH_SHA256, "bob", "b0b\"pw");
}
END_TEST

START_TEST(round_trip_md5)
{
	round_trip("algorithm=MD5", SIP_AUTH_MD5, "alice", "s3cret");
	round_trip("algorithm=MD5", SIP_AUTH_MD5, "bob", "b0b\"pw");
}
END_TEST

/* Wrong password: rejected; the client retries once on a fresh nonce and
 * then gives up instead of looping. */
START_TEST(wrong_password)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("REGISTER", "sip:" REALM, "", 1);
	struct sip_msg *r;
	char hdrs[2048];

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "guess"), 0);
	r = challenge(s, req, false, false, NULL, NULL);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "REGISTER", "sip:" REALM, hdrs, sizeof(hdrs));
	ck_assert_int_eq(verify(s, "REGISTER", "sip:" REALM, hdrs, false,
				NULL, 0), -EACCES);
	/* the same 401 again: same nonce, give up at once */
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), -EACCES);
	mem_deref(r);
	r = challenge(s, req, false, false, NULL, NULL);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "REGISTER", "sip:" REALM, hdrs, sizeof(hdrs));
	ck_assert_int_eq(verify(s, "REGISTER", "sip:" REALM, hdrs, false,
				NULL, 0), -EACCES);
	mem_deref(r);
	r = challenge(s, req, false, false, NULL, NULL);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), -EACCES);
	/* an unknown user is refused the same way */
	mem_deref(c);
	ck_assert_int_eq(sip_auth_cli_alloc(&c, "mallory", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "REGISTER", "sip:" REALM, hdrs, sizeof(hdrs));
	ck_assert_int_eq(verify(s, "REGISTER", "sip:" REALM, hdrs, false,
				NULL, 0), -EACCES);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

/* Expired nonce: stale only if the answer is right; the client takes
 * stale=true with a new nonce and succeeds. */
START_TEST(stale_nonce)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL, *bad = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r;
	char hdrs[2048], badh[2048];

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_alloc(&bad, "alice", "nope"), 0);
	r = challenge(s, req, false, false, NULL, NULL);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(bad, r), 0);
	mem_deref(r);
	answer(c, "INVITE", "sip:bob@" REALM, hdrs, sizeof(hdrs));
	answer(bad, "INVITE", "sip:bob@" REALM, badh, sizeof(badh));
	fake_now += 60001;
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, hdrs, false,
				NULL, 0), -ESTALE);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, badh, false,
				NULL, 0), -EACCES);
	r = challenge(s, req, false, true, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(sip_msg_hdr(r, SIP_HDR_WWW_AUTHENTICATE)
					     ->val.p, "stale=true"));
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:bob@" REALM, hdrs, sizeof(hdrs));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, hdrs, false,
				NULL, 0), 0);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(bad);
	mem_deref(s);
}
END_TEST

/* Replace the first occurrence of @from in @h by @to (same length). */
static void patch(char *h, const char *from, const char *to)
{
	char *p = strstr(h, from);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(strlen(from), strlen(to));
	memcpy(p, to, strlen(to));
}

/* Nonce text of a credential line (the 64 hex chars after nonce="). */
static char *nonce_in(char *h)
{
	char *p = strstr(h, "nonce=\"");

	ck_assert_ptr_nonnull(p);
	return p + 7;
}

START_TEST(forged_nonce)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r = challenge(s, req, false, false, NULL, NULL);
	char hdrs[2048], *n;
	int fixed;

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	/* a nonce the client made up, with a right response for it: the
	 * timestamp moved forward to live longer */
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	mem_deref(r);
	{
		struct buf b = { 0 };
		char forged[] = "WWW-Authenticate: Digest realm=\"" REALM
				"\", nonce=\"", *txt;

		answer(c, "INVITE", "sip:bob@" REALM, hdrs, sizeof(hdrs));
		n = nonce_in(hdrs);
		n[0] = n[0] == 'f' ? 'e' : 'f';
		buf_printf(&b,
			   "SIP/2.0 401 Unauthorized\r\n"
			   "Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-f\r\n"
			   "From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>;tag=2\r\n"
			   "Call-ID: f\r\nCSeq: 1 INVITE\r\n%s%.64s\", "
			   "qop=\"auth\", algorithm=SHA-256\r\n"
			   "Content-Length: 0\r\n\r\n",
			   forged, n);
		txt = (char *)buf_cstr(&b);
		r = parse(txt);
		buf_free(&b);
	}
	mem_deref(c);
	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:bob@" REALM, hdrs, sizeof(hdrs));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, hdrs, false,
				NULL, 0), -EACCES);
	/* and a MAC byte flipped: as bad */
	n = nonce_in(hdrs);
	fixed = n[0];
	n[0] = n[0] == 'f' ? 'e' : 'f';
	ck_assert_int_ne(fixed, n[0]);
	n[40] = n[40] == '0' ? '1' : '0';
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, hdrs, false,
				NULL, 0), -EACCES);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

/* nc must increase per nonce: replay and going back are refused;
 * pre-authentication of later requests (BYE in a dialog) works. */
START_TEST(replayed_nc)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r = challenge(s, req, false, false, NULL, NULL);
	char h1[2048], h2[2048], h3[2048];

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:bob@" REALM, h1, sizeof(h1));
	answer(c, "BYE", "sip:bob@198.18.0.2:5070", h2, sizeof(h2));
	answer(c, "INFO", "sip:bob@198.18.0.2:5070", h3, sizeof(h3));
	ck_assert_ptr_nonnull(strstr(h2, "nc=00000002"));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h1, false,
				NULL, 0), 0);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h1, false,
				NULL, 0), -EACCES);
	ck_assert_int_eq(verify(s, "INFO", "sip:bob@198.18.0.2:5070", h3,
				false, NULL, 0), 0);
	/* nc 2 after nc 3 */
	ck_assert_int_eq(verify(s, "BYE", "sip:bob@198.18.0.2:5070", h2,
				false, NULL, 0), -EACCES);
	sip_auth_cli_accepted(c);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

START_TEST(uri_mismatch)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r = challenge(s, req, false, false, NULL, NULL);
	char h[2048];

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:carol@" REALM, h, sizeof(h));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, false, NULL,
				0), -EBADMSG);
	ck_assert_int_eq(calls, 0);
	/* the same URI with the host in another case is the same URI */
	answer(c, "INVITE", "sip:bob@GW.example.NET", h, sizeof(h));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, false, NULL,
				0), 0);
	/* another method than the one answered: wrong response */
	answer(c, "INVITE", "sip:bob@" REALM, h, sizeof(h));
	ck_assert_int_eq(verify(s, "BYE", "sip:bob@" REALM, h, false, NULL,
				0), -EACCES);
	/* credentials for another realm are not ours */
	patch(h, "realm=\"" REALM, "realm=\"gw.example.org");
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, false, NULL,
				0), -ENOENT);
	/* and malformed ones are a 400 */
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM,
				"Authorization: Digest username=\"a\"\r\n",
				false, NULL, 0), -EBADMSG);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

/* A proxy-ish 407 without qop: RFC 2069 answers, good for one request. */
START_TEST(proxy_rfc2069)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 0);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r = challenge(s, req, true, false, "algorithm=MD5",
				      ", qop=\"auth\"");
	struct sip_auth_cred cr;
	char h[2048];

	ck_assert_ptr_null(sip_msg_hdr(r, SIP_HDR_WWW_AUTHENTICATE));
	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:bob@" REALM, h, sizeof(h));
	ck_assert_msg(!strncmp(h, "Proxy-Authorization: Digest ", 28), "%s",
		      h);
	ck_assert_ptr_null(strstr(h, "qop"));
	ck_assert_ptr_null(strstr(h, "cnonce"));
	ck_assert_int_eq(sip_auth_cred_parse(
				 (struct strv){ h + 21, strlen(h) - 23 }, &cr),
			 0);
	ck_assert(!cr.has_qop);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, false, NULL,
				0), -ENOENT);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, true, NULL,
				0), 0);
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, true, NULL,
				0), -EACCES);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

/* A bounded nc table: a nonce whose slot was reused is stale. */
START_TEST(nc_table_bounded)
{
	int calls = 0;
	struct sip_auth_srv *s = srv_new(&calls, 2);
	struct sip_auth_cli *c = NULL;
	struct sip_msg *req = req_of("INVITE", "sip:bob@" REALM, "", 1);
	struct sip_msg *r = challenge(s, req, false, false, NULL, NULL);
	struct buf junk = { 0 };
	char h[2048];

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	ck_assert_int_eq(sip_auth_srv_chal(s, &junk, false, false), 0);
	ck_assert_int_eq(sip_auth_srv_chal(s, &junk, false, false), 0);
	answer(c, "INVITE", "sip:bob@" REALM, h, sizeof(h));
	ck_assert_int_eq(verify(s, "INVITE", "sip:bob@" REALM, h, false, NULL,
				0), -ESTALE);
	buf_free(&junk);
	mem_deref(r);
	mem_deref(req);
	mem_deref(c);
	mem_deref(s);
}
END_TEST

/* The client picks the strongest per realm and answers every realm. */
START_TEST(cli_pick)
{
	static const char txt[] =
		"SIP/2.0 407 Proxy Authentication Required\r\n"
		"Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-p\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>;tag=2\r\n"
		"Call-ID: p\r\nCSeq: 1 INVITE\r\n"
		"Proxy-Authenticate: Digest realm=\"p1\", nonce=\"a\", "
		"algorithm=MD5, qop=\"auth\", Digest realm=\"p1\", "
		"nonce=\"b\", algorithm=SHA-512-256, qop=\"auth\"\r\n"
		"Proxy-Authenticate: Digest realm=\"p1\", nonce=\"c\", "
		"algorithm=SHA-256, qop=\"auth\"\r\n"
		"Proxy-Authenticate: Digest realm=\"p2\", nonce=\"d\", "
		"algorithm=SHA-256-sess, qop=\"auth\"\r\n"
		"Proxy-Authenticate: Digest realm=\"p2\", nonce=\"e\", "
		"qop=\"auth-int\"\r\n"
		"Proxy-Authenticate: Digest realm=\"p3\", nonce=\"f\", "
		"qop=\"auth-int,auth\", opaque=\"o\\\"q\"\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_msg *r = parse(txt);
	struct sip_auth_cli *c = NULL;
	struct sip_auth_cred cr;
	char h[4096], *line[4], *save = NULL;
	int n = 0;

	ck_assert_int_eq(sip_auth_cli_alloc(&c, "alice", "s3cret"), 0);
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), 0);
	answer(c, "INVITE", "sip:x@y", h, sizeof(h));
	for (char *l = strtok_r(h, "\r\n", &save); l && n < 4;
	     l = strtok_r(NULL, "\r\n", &save))
		line[n++] = l;
	/* p1: SHA-512-256 beats SHA-256 and MD5; p2: nothing usable
	 * (-sess, auth-int only); p3: MD5 by default, qop auth */
	ck_assert_int_eq(n, 2);
	ck_assert(!strncmp(line[0], "Proxy-Authorization: ", 21));
	ck_assert_int_eq(sip_auth_cred_parse(strv_of(line[0] + 21), &cr), 0);
	ck_assert_int_eq(cr.alg, SIP_AUTH_SHA512_256);
	ck_assert(strv_eq(cr.nonce, STRV("b")));
	ck_assert(strv_eq(cr.realm, STRV("p1")));
	ck_assert(!cr.has_opaque && cr.has_qop);
	ck_assert_int_eq(sip_auth_cred_parse(strv_of(line[1] + 21), &cr), 0);
	ck_assert_int_eq(cr.alg, SIP_AUTH_MD5);
	ck_assert(strv_eq(cr.realm, STRV("p3")));
	ck_assert(strv_eq(cr.opaque, STRV("o\\\"q")));
	ck_assert(cr.has_qop);
	mem_deref(r);
	/* a response with nothing usable */
	r = parse("SIP/2.0 401 Unauthorized\r\n"
		  "Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-p\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>;tag=2\r\n"
		  "Call-ID: p\r\nCSeq: 1 INVITE\r\n"
		  "WWW-Authenticate: Basic realm=\"x\"\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), -ENOTSUP);
	mem_deref(r);
	r = parse("SIP/2.0 401 Unauthorized\r\n"
		  "Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-p\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>;tag=2\r\n"
		  "Call-ID: p\r\nCSeq: 1 INVITE\r\n"
		  "WWW-Authenticate: Digest realm=\"x\"\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(sip_auth_cli_challenge(c, r), -EBADMSG);
	mem_deref(r);
	mem_deref(c);
}
END_TEST

Suite *sip_auth_suite(void)
{
	Suite *s = suite_create("sip_auth");
	TCase *tc;

	tc = tl_tcase(s, "digest");
	tcase_add_test(tc, rfc7616_example);
	tcase_add_test(tc, rfc7616_cred_parse);
	tc = tl_tcase(s, "parse");
	tcase_add_test(tc, chal_parse);
	tcase_add_loop_test(tc, chal_malformed, 0,
			    (int)(sizeof(bad_chal) / sizeof(bad_chal[0])));
	tcase_add_loop_test(tc, cred_table, 0,
			    (int)(sizeof(creds) / sizeof(creds[0])));
	tc = tl_tcase(s, "server_client");
	tcase_add_test(tc, round_trip_sha256);
	tcase_add_test(tc, round_trip_md5);
	tcase_add_test(tc, wrong_password);
	tcase_add_test(tc, stale_nonce);
	tcase_add_test(tc, forged_nonce);
	tcase_add_test(tc, replayed_nc);
	tcase_add_test(tc, uri_mismatch);
	tcase_add_test(tc, proxy_rfc2069);
	tcase_add_test(tc, nc_table_bounded);
	tcase_add_test(tc, cli_pick);
	return s;
}
