// SPDX-License-Identifier: GPL-2.0
/* gateway/sip stream framing (TCP/TLS): split anywhere, several messages
 * in one buffer, CRLF keepalives, limits, bad Content-Length. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"
#include "tl_check.h"

#define HDRS(cl)                                                            \
	"INVITE sip:a@b SIP/2.0\r\n"                                        \
	"Via: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"                            \
	"From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n"                        \
	"Call-ID: c1\r\nCSeq: 1 INVITE\r\n" cl "\r\n"

static const char m1[] = HDRS("Content-Length: 5\r\n") "hello";
static const char m2[] = "SIP/2.0 200 OK\r\nl:0\r\n\r\n";

static int frame(const char *s, size_t len, size_t max, struct sip_frame *f)
{
	return sip_frame_next(s, len, max, f);
}

START_TEST(whole_and_split)
{
	char buf[512];
	struct sip_frame f;
	size_t n1 = sizeof(m1) - 1, n2 = sizeof(m2) - 1, cut;

	ck_assert_int_eq(frame(m1, n1, 4096, &f), 0);
	ck_assert_uint_eq(f.skip, 0);
	ck_assert_uint_eq(f.len, n1);
	/* two messages back to back: the first, then the second */
	memcpy(buf, m1, n1);
	memcpy(buf + n1, m2, n2);
	ck_assert_int_eq(frame(buf, n1 + n2, 4096, &f), 0);
	ck_assert_uint_eq(f.len, n1);
	ck_assert_int_eq(frame(buf + n1, n2, 4096, &f), 0);
	ck_assert_uint_eq(f.len, n2);
	/* every prefix short of a whole message needs more */
	for (cut = 0; cut < n1; cut++)
		ck_assert_msg(frame(buf, cut, 4096, &f) == -EAGAIN,
			      "cut at %zu", cut);
	/* and every prefix longer than it still yields exactly it */
	for (cut = n1; cut <= n1 + n2; cut++) {
		ck_assert_int_eq(frame(buf, cut, 4096, &f), 0);
		ck_assert_uint_eq(f.len, n1);
	}
}
END_TEST

START_TEST(keepalives)
{
	char buf[512];
	struct sip_frame f;
	size_t n1 = sizeof(m1) - 1;
	struct sip_msg *m = NULL;

	/* two pings and a pong before the message */
	memcpy(buf, "\r\n\r\n\r\n\r\n\r\n", 10);
	memcpy(buf + 10, m1, n1);
	ck_assert_int_eq(frame(buf, 10 + n1, 4096, &f), 0);
	ck_assert_uint_eq(f.skip, 10);
	ck_assert_uint_eq(f.pings, 2);
	ck_assert_uint_eq(f.len, n1);
	ck_assert_int_eq(sip_msg_parse(&m, buf + f.skip, f.len,
				       SIP_PARSE_STREAM, NULL),
			 0);
	ck_assert(strv_eq(m->body, STRV("hello")));
	mem_deref(m);
	/* keepalives alone, or half of one: wait */
	ck_assert_int_eq(frame("\r\n\r\n", 4, 4096, &f), -EAGAIN);
	ck_assert_uint_eq(f.skip, 4);
	ck_assert_uint_eq(f.pings, 1);
	ck_assert_int_eq(frame("\r\n\r", 3, 4096, &f), -EAGAIN);
	ck_assert_uint_eq(f.skip, 2);
	ck_assert_int_eq(frame("", 0, 4096, &f), -EAGAIN);
}
END_TEST

START_TEST(limits)
{
	static const char big[] = HDRS("Content-Length: 3000\r\n");
	char buf[8192];
	struct sip_frame f;
	size_t n1 = sizeof(m1) - 1;

	/* the whole message must fit: headers + body */
	ck_assert_int_eq(frame(m1, n1, n1, &f), 0);
	ck_assert_int_eq(frame(m1, n1, n1 - 1, &f), -EMSGSIZE);
	/* known too large from the headers alone, before the body comes */
	ck_assert_int_eq(frame(big, sizeof(big) - 1, 2048, &f), -EMSGSIZE);
	ck_assert_int_eq(frame(big, sizeof(big) - 1, 4096, &f), -EAGAIN);
	/* no end of headers within the limit */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "INVITE sip:a@b SIP/2.0\r\nX: ", 27);
	ck_assert_int_eq(frame(buf, sizeof(buf), 4096, &f), -EMSGSIZE);
	ck_assert_int_eq(frame(buf, 4000, 4096, &f), -EAGAIN);
	/* Content-Length beyond 32 bits */
	ck_assert_int_eq(frame(HDRS("l: 99999999999\r\n"),
			       sizeof(HDRS("l: 99999999999\r\n")) - 1, 4096,
			       &f),
			 -EMSGSIZE);
}
END_TEST

START_TEST(bad_clen)
{
	static const char *const bad[] = {
		HDRS(""),
		HDRS("Content-Length: -5\r\n"),
		HDRS("Content-Length: 5x\r\n"),
		HDRS("Content-Length:\r\n"),
		HDRS("Content-Length: 5\r\nl: 4\r\n"),
		HDRS("Content-Length 5\r\n"),
	};
	static const char *const good[] = {
		HDRS("l:0\r\n"),
		HDRS("CONTENT-LENGTH  :\r\n 0 \r\n"),
		HDRS("Content-Length: 0\r\nContent-Length: 0\r\n"),
		HDRS("X-Content-Length: 9\r\nContent-Length: 0\r\n"),
	};
	struct sip_frame f;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(frame(bad[i], strlen(bad[i]), 4096, &f) ==
				      -EBADMSG,
			      "bad %zu framed", i);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(frame(good[i], strlen(good[i]), 4096, &f) == 0,
			      "good %zu refused", i);
		ck_assert_uint_eq(f.len, strlen(good[i]));
	}
}
END_TEST

/* The conformance messages whose Content-Length is right frame to their
 * own length on a stream; clerr (too long) waits, ncl and mcl01 fail. */
START_TEST(conformance_stream)
{
	static const struct {
		const char *file;
		int r;
	} cases[] = {
		{ "wsinv.dat", 0 },	 { "mpart01.dat", 0 },
		{ "longreq.dat", 0 },	 { "esc01.dat", 0 },
		{ "clerr.dat", -EAGAIN }, { "ncl.dat", -EBADMSG },
		{ "mcl01.dat", -EBADMSG }, { "inv2543.dat", -EBADMSG },
	};
	const char *dir = getenv("TL_CONFORMANCE");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512], data[8192];
		struct sip_frame f;
		size_t n;
		FILE *fp;
		int r;

		snprintf(path, sizeof(path), "%s/rfc4475/%s",
			 dir && *dir ? dir : "../shared/conformance",
			 cases[i].file);
		fp = fopen(path, "rb");
		ck_assert_msg(fp, "conformance corpus missing: %s", path);
		n = fread(data, 1, sizeof(data), fp);
		fclose(fp);
		r = sip_frame_next(data, n, 65536, &f);
		ck_assert_msg(r == cases[i].r, "%s: %d", cases[i].file, r);
		if (!r)
			ck_assert_uint_eq(f.len, n);
	}
}
END_TEST

Suite *sip_frame_suite(void)
{
	Suite *s = suite_create("sip_frame");
	TCase *tc = tl_tcase(s, "frame");

	tcase_add_test(tc, whole_and_split);
	tcase_add_test(tc, keepalives);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, bad_clen);
	tcase_add_test(tc, conformance_stream);
	return s;
}
