// SPDX-License-Identifier: GPL-2.0
/* gateway/sdp: parser, printer, typed attributes, malformed input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sdp/oa.h"
#include "../../gateway/sdp/sdp.h"
#include "tl_check.h"

#define L(x) x "\r\n"

static struct sdp_session *parse_ok(const char *txt)
{
	struct sdp_session *s = NULL;
	struct sdp_perr e = { 0 };
	int err = sdp_parse(&s, txt, strlen(txt), &e);

	ck_assert_msg(err == 0, "parse failed: %s (line %u)",
		      e.reason ? e.reason : "?", e.line);
	return s;
}

static bool sv_is(struct strv v, const char *s)
{
	return strv_eq(v, strv_of(s));
}

/* A full description touching every line type the model keeps. */
static const char full[] =
	L("v=0")
	L("o=alice 2890844526 2890842807 IN IP4 192.0.2.10")
	L("s=Call to bob")
	L("i=A test session")
	L("c=IN IP4 192.0.2.10")
	L("b=CT:128")
	L("t=0 0")
	L("a=tool:trunkline-test")
	L("m=audio 49170 RTP/AVP 0 8 97 101")
	L("i=voice")
	L("c=IN IP4 192.0.2.11")
	L("b=AS:80")
	L("a=rtpmap:97 iLBC/8000")
	L("a=rtpmap:101 telephone-event/8000")
	L("a=fmtp:97 mode=30")
	L("a=fmtp:101 0-16")
	L("a=ptime:30")
	L("a=maxptime:60")
	L("a=rtcp:53020 IN IP4 192.0.2.12")
	L("a=rtcp-mux")
	L("a=sendonly")
	L("a=x-unknown:kept as is: yes")
	L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
	  "inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e|2^20|1:4")
	L("a=crypto:2 AES_CM_128_HMAC_SHA1_32 "
	  "inline:ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ent8fX5/gIGC KDR=1")
	L("m=image 0 udptl t38")
	L("a=T38FaxVersion:0")
	L("a=T38FaxUdpEC:t38UDPRedundancy")
	L("m=video 51372 RTP/AVP 31")
	L("c=IN IP6 2001:db8::7");

START_TEST(parse_full)
{
	struct sdp_session *s = parse_ok(full);
	const struct sdp_media *a, *im, *v;

	ck_assert(sv_is(s->origin.user, "alice"));
	ck_assert(sv_is(s->origin.sess_id, "2890844526"));
	ck_assert_uint_eq(s->origin.version, 2890842807ull);
	ck_assert(sv_is(s->name, "Call to bob"));
	ck_assert(sv_is(s->info, "A test session"));
	ck_assert(sv_is(s->times, "0 0"));
	ck_assert_uint_eq(s->nbw, 1);
	ck_assert(sv_is(s->bw[0].type, "CT"));
	ck_assert_uint_eq(s->bw[0].kbps, 128);
	ck_assert_uint_eq(s->nattr, 1);
	ck_assert(sv_is(s->attr[0].value, "trunkline-test"));
	ck_assert_uint_eq(s->nmedia, 3);

	a = &s->media[0];
	ck_assert(sv_is(a->type, "audio"));
	ck_assert_uint_eq(a->port, 49170);
	ck_assert(sv_is(a->proto, "RTP/AVP"));
	ck_assert_uint_eq(a->nfmt, 4);
	ck_assert(sv_is(a->fmt[3], "101"));
	ck_assert(sv_is(a->info, "voice"));
	ck_assert(sv_is(sdp_media_conn(s, a)->addr, "192.0.2.11"));
	ck_assert_int_eq(sdp_media_conn(s, a)->af, AF_INET);
	ck_assert_uint_eq(a->nrtpmap, 2);
	ck_assert(sv_is(sdp_media_rtpmap(a, 97)->enc, "iLBC"));
	ck_assert_uint_eq(sdp_media_rtpmap(a, 101)->rate, 8000);
	ck_assert_ptr_null(sdp_media_rtpmap(a, 0));
	ck_assert(sv_is(sdp_media_fmtp(a, STRV("97")), "mode=30"));
	ck_assert(sv_is(sdp_media_fmtp(a, STRV("101")), "0-16"));
	ck_assert(!strv_isset(sdp_media_fmtp(a, STRV("0"))));
	ck_assert_uint_eq(a->ptime, 30);
	ck_assert_uint_eq(a->maxptime, 60);
	ck_assert_uint_eq(a->rtcp_port, 53020);
	ck_assert(sv_is(a->rtcp_conn.addr, "192.0.2.12"));
	ck_assert(a->rtcp_mux);
	ck_assert_int_eq(sdp_media_dir(s, a), SDP_SENDONLY);
	ck_assert(sv_is(sdp_attr_find(s, a, "x-unknown")->value,
			"kept as is: yes"));
	ck_assert_uint_eq(a->ncrypto, 2);
	ck_assert_uint_eq(a->crypto[0].tag, 1);
	ck_assert(sv_is(a->crypto[0].suite, "AES_CM_128_HMAC_SHA1_80"));
	ck_assert(sv_is(a->crypto[0].key,
			"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e"));
	ck_assert(sv_is(a->crypto[0].lifetime, "2^20"));
	ck_assert_uint_eq(a->crypto[0].mki, 1);
	ck_assert_uint_eq(a->crypto[0].mki_len, 4);
	ck_assert(!strv_isset(a->crypto[0].sess_params));
	ck_assert(!strv_isset(a->crypto[1].lifetime));
	ck_assert_uint_eq(a->crypto[1].mki_len, 0);
	ck_assert(sv_is(a->crypto[1].sess_params, "KDR=1"));

	im = &s->media[1];
	ck_assert(sv_is(im->type, "image"));
	ck_assert_uint_eq(im->port, 0);
	ck_assert(sv_is(im->fmt[0], "t38"));
	ck_assert_uint_eq(im->nattr, 2);
	ck_assert(sv_is(im->attr[1].name, "T38FaxUdpEC"));
	ck_assert_int_eq(sdp_media_dir(s, im), SDP_SENDRECV);

	v = &s->media[2];
	ck_assert_int_eq(v->conn.af, AF_INET6);
	ck_assert(sv_is(v->conn.addr, "2001:db8::7"));
	ck_assert_int_eq(sa_af(&v->conn.sa), AF_INET6);
	mem_deref(s);
}
END_TEST

static void print_eq(const struct sdp_session *s, const char *want)
{
	struct buf b = { 0 };

	ck_assert_int_eq(sdp_print(&b, s), 0);
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_free(&b);
}

/* Canonical CRLF input prints back byte for byte, and again after a
 * second parse. */
START_TEST(roundtrip_exact)
{
	struct sdp_session *s = parse_ok(full), *s2;
	struct buf b = { 0 };

	print_eq(s, full);
	ck_assert_int_eq(sdp_print(&b, s), 0);
	s2 = parse_ok(buf_cstr(&b));
	print_eq(s2, full);
	buf_free(&b);
	mem_deref(s2);
	mem_deref(s);
}
END_TEST

/* LF line ends, trailing blank lines, a port count and a multicast
 * suffix: printed in canonical form. */
START_TEST(roundtrip_normalised)
{
	static const char in[] = "v=0\n"
				 "o=- 1 2 IN IP4 host.example.com\n"
				 "s=\n"
				 "t=0 0\n"
				 "m=audio 49170/2 RTP/AVP 0\n"
				 "c=IN IP4 233.252.0.1/127\n"
				 "a=recvonly\n"
				 "\n\r\n";
	static const char want[] = L("v=0")
		L("o=- 1 2 IN IP4 host.example.com")
		L("s=")
		L("t=0 0")
		L("m=audio 49170/2 RTP/AVP 0")
		L("c=IN IP4 233.252.0.1")
		L("a=recvonly");
	struct sdp_session *s = parse_ok(in);

	ck_assert_uint_eq(s->media[0].nports, 2);
	ck_assert_int_eq(sdp_media_dir(s, &s->media[0]), SDP_RECVONLY);
	ck_assert_uint_eq(s->origin.addr.sa.len, 0); /* an FQDN */
	print_eq(s, want);
	mem_deref(s);
}
END_TEST

START_TEST(session_level_dir_and_hold)
{
	struct sdp_session *s = parse_ok(L("v=0") L("o=- 1 1 IN IP4 0.0.0.0")
		L("s=-") L("c=IN IP4 0.0.0.0") L("t=0 0") L("a=inactive")
		L("m=audio 4000 RTP/AVP 0") L("m=audio 4002 RTP/AVP 8")
		L("a=sendrecv"));

	ck_assert_int_eq(sdp_media_dir(s, &s->media[0]), SDP_INACTIVE);
	ck_assert_int_eq(sdp_media_dir(s, &s->media[1]), SDP_SENDRECV);
	ck_assert(sdp_conn_is_hold(sdp_media_conn(s, &s->media[0])));
	mem_deref(s);
}
END_TEST

START_TEST(build_and_print)
{
	struct sdp_session *s = NULL;
	struct sdp_media *m;

	ck_assert_int_eq(sdp_session_alloc(&s), 0);
	ck_assert_int_eq(sdp_strf(s, &s->origin.user, "gw"), 0);
	ck_assert_int_eq(sdp_strf(s, &s->origin.sess_id, "%d", 7), 0);
	s->origin.version = 9;
	ck_assert_int_eq(sdp_conn_set(s, NULL, "::1"), 0);
	s->origin.addr = s->conn;
	ck_assert_int_eq(sdp_strf(s, &s->name, "x"), 0);
	ck_assert_int_eq(sdp_strf(s, &s->times, "0 0"), 0);
	ck_assert_int_eq(sdp_media_add(s, &m, "audio", 5004, "RTP/AVP",
				       "0 101"), 0);
	ck_assert_int_eq(sdp_attr_add(s, m, "rtpmap", "%d %s/8000", 101,
				      "telephone-event"), 0);
	ck_assert_int_eq(sdp_attr_add(s, m, "sendrecv", NULL), 0);
	ck_assert_int_eq(sdp_attr_add(s, NULL, "group", "BUNDLE a"), 0);
	ck_assert_int_eq(sdp_conn_set(s, m, "bogus"), -EINVAL);
	print_eq(s, L("v=0") L("o=gw 7 9 IN IP6 ::1") L("s=x")
		 L("c=IN IP6 ::1") L("t=0 0") L("a=group:BUNDLE a")
		 L("m=audio 5004 RTP/AVP 0 101")
		 L("a=rtpmap:101 telephone-event/8000") L("a=sendrecv"));
	mem_deref(s);
}
END_TEST

START_TEST(limits_build)
{
	struct sdp_session *s = NULL;
	struct sdp_media *m;
	struct strv v;
	int err = 0;

	ck_assert_int_eq(sdp_session_alloc(&s), 0);
	for (int i = 0; i < SDP_MAX_MEDIA; i++)
		ck_assert_int_eq(sdp_media_add(s, &m, "audio", 1, "RTP/AVP",
					       "0"), 0);
	ck_assert_int_eq(sdp_media_add(s, &m, "audio", 1, "RTP/AVP", "0"),
			 -E2BIG);
	for (int i = 0; i < SDP_MAX_ATTR; i++)
		ck_assert_int_eq(sdp_attr_add(s, m, "x", NULL), 0);
	ck_assert_int_eq(sdp_attr_add(s, m, "x", NULL), -E2BIG);
	/* fill the arena: it refuses, never overflows */
	for (int i = 0; i < 10000 && !err; i++)
		err = sdp_strf(s, &v, "%0500d", i);
	ck_assert_int_eq(err, -ENOSPC);
	ck_assert_uint_le(s->used, sizeof(s->arena));
	mem_deref(s);
}
END_TEST

/* A minimal valid head for the malformed cases below. */
#define HEAD L("v=0") L("o=- 1 1 IN IP4 192.0.2.1") L("s=-") \
	L("c=IN IP4 192.0.2.1") L("t=0 0")

static const struct bad {
	const char *sdp;
	const char *reason;
	unsigned line;
} bad[] = {
	{ "", "empty body", 0 },
	{ L("o=- 1 1 IN IP4 192.0.2.1"), "first line is not v=", 1 },
	{ L("v=1"), "version is not 0", 1 },
	{ L("v=0") L("s=-"), "second line is not o=", 2 },
	{ L("v=0") L("o=- 1 1 IN IP4"), "connection needs three fields", 2 },
	{ L("v=0") L("o=- 1"), "o= needs six fields", 2 },
	{ L("v=0") L("o=- x 1 IN IP4 1.2.3.4"), "bad o= session id", 2 },
	{ L("v=0") L("o=- 1 99999999999999999999 IN IP4 1.2.3.4"),
	  "bad o= version", 2 },
	{ L("v=0") L("o=- 1 1 IN IP4 1.2.3.4") L("t=0 0"),
	  "third line is not s=", 3 },
	{ L("v=0") L("o=- 1 1 IN IP4 1.2.3.4"), "truncated before s=", 0 },
	{ L("v=0") L("o=- 1 1 IN IP4 1.2.3.4") L("s=-"), "no t= line", 0 },
	{ L("v=0") L("o=- 1 1 IN IP4 1.2.3.4") L("s=-")
	  L("m=audio 1 RTP/AVP 0"), "no t= before m=", 4 },
	{ HEAD L("m=audio 4000 RTP/AVP"), "m= without formats", 6 },
	{ HEAD L("m=audio 70000 RTP/AVP 0"), "bad m= port", 6 },
	{ HEAD L("m=audio 4000/0 RTP/AVP 0"), "bad m= port count", 6 },
	{ HEAD L("m=audio 4000 RTP/AVP 128"), "bad m= format", 6 },
	{ HEAD L("m=audio 4000 RTP/AVP PCMU"), "bad m= format", 6 },
	{ HEAD L("m=audio"), "m= needs type, port, proto and formats", 6 },
	{ HEAD L("m=au\"dio 1 RTP/AVP 0"), "bad m= type or proto", 6 },
	{ L("v=0") L("o=- 1 1 IN IP4 192.0.2.1") L("s=-") L("t=0 0")
	  L("m=audio 4000 RTP/AVP 0"), "media without a connection address",
	  0 },
	{ HEAD L("c=IN IP4 192.0.2.2"), "two session c= lines", 6 },
	{ L("v=0") L("o=- 1 1 IN IP5 192.0.2.1"),
	  "connection address type is not IP4 or IP6", 2 },
	{ L("v=0") L("o=- 1 1 ATM IP4 192.0.2.1"),
	  "connection network type is not IN", 2 },
	{ L("v=0") L("o=- 1 1 IN IP4 2001:db8::1"),
	  "address does not match its type", 2 },
	{ L("v=0") L("o=- 1 1 IN IP6 fd00::zz"),
	  "bad connection address", 2 },
	{ L("v=0") L("o=- 1 1 IN IP4 a_b.example"),
	  "bad connection address", 2 },
	{ L("v=0") L("o=- 1 1 IN IP4 233.252.0.1/x"), "bad multicast suffix",
	  2 },
	{ HEAD L("b=AS"), "bad b= line", 6 },
	{ HEAD L("x=what"), "unexpected line type", 6 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("t=0 0"),
	  "unexpected line type in media", 7 },
	{ HEAD L("junk"), "line is not x=value", 6 },
	{ HEAD L("A=foo"), "line is not x=value", 6 },
	{ HEAD L("a =foo"), "line is not x=value", 6 },
	{ HEAD L("") L("a=foo"), "empty line", 6 },
	{ HEAD L("a=fo\001o"), "control character in line", 6 },
	{ HEAD L("a="), "bad attribute name", 6 },
	{ HEAD L("a=:x"), "bad attribute name", 6 },
	{ HEAD L("a=sendonly") L("a=recvonly"), "two direction attributes",
	  7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtpmap:0 PCMU/0"),
	  "bad rtpmap clock rate", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtpmap:200 PCMU/8000"),
	  "bad rtpmap payload type", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000/0"),
	  "bad rtpmap channels", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000 x"),
	  "bad rtpmap", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000")
	  L("a=rtpmap:0 PCMA/8000"), "duplicate rtpmap", 8 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=fmtp:"), "bad fmtp", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=ptime:0"), "bad ptime", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=ptime:2x"), "bad ptime", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=ptime:20") L("a=ptime:30"),
	  "two ptime", 8 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=maxptime:"), "bad ptime", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtcp:0"), "bad rtcp port", 7 },
	{ HEAD L("m=audio 1 RTP/AVP 0") L("a=rtcp:9 IN IP4"),
	  "connection needs three fields", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80"),
	  "crypto needs tag, suite and key", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:QUJD"),
	  "bad crypto tag", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 uri:QUJD"),
	  "crypto key method is not inline", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QU*D"),
	  "crypto key is not base64", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|1:0"),
	  "bad crypto MKI length", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|1:4|2^20"),
	  "bad crypto lifetime", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|2^20|1:4|x"),
	  "bad crypto key parameters", 7 },
	{ HEAD L("m=audio 1 RTP/SAVP 0")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD")
	  L("a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:QUJD"),
	  "duplicate crypto tag", 8 },
};

START_TEST(malformed)
{
	const struct bad *b = &bad[_i];
	struct sdp_session *s = NULL;
	struct sdp_perr e = { 0 };

	ck_assert_int_eq(sdp_parse(&s, b->sdp, strlen(b->sdp), &e), -EBADMSG);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(e.reason);
	ck_assert_str_eq(e.reason, b->reason);
	ck_assert_uint_eq(e.line, b->line);
}
END_TEST

static char *repeat_media(unsigned n, unsigned nfmt, unsigned nattr)
{
	struct buf b = { 0 };
	char *txt;

	buf_puts(&b, HEAD);
	for (unsigned i = 0; i < n; i++) {
		buf_printf(&b, "m=audio %u RTP/AVP", 4000 + 2 * i);
		for (unsigned f = 0; f < nfmt; f++)
			buf_printf(&b, " %u", f);
		buf_puts(&b, "\r\n");
		for (unsigned a = 0; a < nattr; a++)
			buf_printf(&b, "a=x%u\r\n", a);
	}
	txt = strdup(buf_cstr(&b));
	buf_free(&b);
	return txt;
}

static void limit_case(unsigned n, unsigned nfmt, unsigned nattr,
		       const char *reason)
{
	char *txt = repeat_media(n, nfmt, nattr);
	struct sdp_session *s = NULL;
	struct sdp_perr e = { 0 };
	int err = sdp_parse(&s, txt, strlen(txt), &e);

	if (reason) {
		ck_assert_int_eq(err, -EBADMSG);
		ck_assert_str_eq(e.reason, reason);
	} else {
		ck_assert_int_eq(err, 0);
		ck_assert_uint_eq(s->nmedia, n);
		ck_assert_uint_eq(s->media[n - 1].nfmt, nfmt);
		ck_assert_uint_eq(s->media[n - 1].nattr, nattr);
	}
	mem_deref(s);
	free(txt);
}

START_TEST(limits_parse)
{
	char *big;
	struct sdp_session *s = NULL;
	struct sdp_perr e;

	limit_case(SDP_MAX_MEDIA, SDP_MAX_FMT, SDP_MAX_ATTR, NULL);
	limit_case(SDP_MAX_MEDIA + 1, 1, 0, "too many m= lines");
	limit_case(1, SDP_MAX_FMT + 1, 0, "too many formats");
	limit_case(1, 1, SDP_MAX_ATTR + 1, "too many attributes");

	big = calloc(1, SDP_MAX_SIZE + 2);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', SDP_MAX_SIZE + 1);
	ck_assert_int_eq(sdp_parse(&s, big, SDP_MAX_SIZE + 1, &e), -EBADMSG);
	ck_assert_str_eq(e.reason, "body too large");
	free(big);
}
END_TEST

/* No NUL terminator needed: the parser must stay inside @len. */
START_TEST(exact_length)
{
	static const char txt[] = HEAD L("m=audio 4000 RTP/AVP 0");
	size_t n = sizeof(txt) - 1;
	char *p = malloc(n);
	struct sdp_session *s = NULL;
	struct sdp_perr e;

	ck_assert_ptr_nonnull(p);
	memcpy(p, txt, n);
	ck_assert_int_eq(sdp_parse(&s, p, n, NULL), 0);
	mem_deref(s);
	/* no line end on the last line: still well-formed */
	ck_assert_int_eq(sdp_parse(&s, p, n - 2, NULL), 0);
	ck_assert_uint_eq(s->media[0].port, 4000);
	ck_assert(sv_is(s->media[0].fmt[0], "0"));
	mem_deref(s);
	/* cut before the format: the view must not see past @len */
	ck_assert_int_eq(sdp_parse(&s, p, n - 3, &e), -EBADMSG);
	ck_assert_str_eq(e.reason, "m= without formats");
	free(p);
}
END_TEST

START_TEST(base64)
{
	static const uint8_t k[5] = { 0xfb, 0xff, 0x00, 0x41, 0x42 };
	uint8_t out[8];
	char enc[16];
	size_t n;

	ck_assert_int_eq(sdp_b64_enc(k, 5, enc, sizeof(enc)), 0);
	ck_assert_str_eq(enc, "+/8AQUI=");
	ck_assert_int_eq(sdp_b64_dec(strv_of(enc), out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(out, k, 5);
	ck_assert_int_eq(sdp_b64_dec(STRV("+/8AQUI"), out, sizeof(out), &n),
			 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(sdp_b64_dec(STRV("+/8AQ"), out, sizeof(out), &n),
			 -EBADMSG);
	ck_assert_int_eq(sdp_b64_dec(STRV("QU*D"), out, sizeof(out), &n),
			 -EBADMSG);
	ck_assert_int_eq(sdp_b64_dec(STRV("QUJDREVGR0hJ"), out, 8, &n),
			 -ENOSPC);
	ck_assert_int_eq(sdp_b64_enc(k, 5, enc, 8), -ENOSPC);
	ck_assert_str_eq(sdp_suite_name(SDP_AEAD_AES_128_GCM),
			 "AEAD_AES_128_GCM");
	ck_assert_int_eq(sdp_suite_of(STRV("AES_256_CM_HMAC_SHA1_80")),
			 SDP_AES_256_CM_HMAC_SHA1_80);
	ck_assert_int_eq(sdp_suite_of(STRV("F8_128_HMAC_SHA1_80")),
			 SDP_SUITE_NONE);
	ck_assert_uint_eq(sdp_suite_keylen(SDP_AES_256_CM_HMAC_SHA1_80), 46);
}
END_TEST

Suite *sdp_suite(void)
{
	Suite *s = suite_create("sdp");
	TCase *tc = tl_tcase(s, "sdp");

	tcase_add_test(tc, parse_full);
	tcase_add_test(tc, roundtrip_exact);
	tcase_add_test(tc, roundtrip_normalised);
	tcase_add_test(tc, session_level_dir_and_hold);
	tcase_add_test(tc, build_and_print);
	tcase_add_test(tc, limits_build);
	tcase_add_loop_test(tc, malformed, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, limits_parse);
	tcase_add_test(tc, exact_length);
	tcase_add_test(tc, base64);
	return s;
}
