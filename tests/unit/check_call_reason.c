// SPDX-License-Identifier: GPL-2.0
/* gateway/call/reason: the RFC 3326 Reason header, parsed and printed. */
#include <errno.h>
#include <string.h>

#include "../../gateway/call/reason.h"
#include "tl_check.h"

static int parse(struct call_reason_list *rl, const char *s)
{
	return call_reason_parse(rl, strv_of(s));
}

static void text_is(const struct call_reason *r, const char *want)
{
	char t[128];

	ck_assert_int_eq(call_reason_text(r, t, sizeof(t)), 0);
	ck_assert_str_eq(t, want);
}

START_TEST(single_and_multiple)
{
	struct call_reason_list rl;

	ck_assert_int_eq(parse(&rl, "Q.850;cause=17;text=\"User busy\""), 0);
	ck_assert_uint_eq(rl.n, 1);
	ck_assert_int_eq(rl.v[0].proto, CALL_REASON_Q850);
	ck_assert(rl.v[0].has_cause);
	ck_assert_uint_eq(rl.v[0].cause, 17);
	text_is(&rl.v[0], "User busy");

	ck_assert_int_eq(
	    parse(&rl, "Q.850;cause=16;text=\"Terminated\", "
		       "SIP ;cause=200;text=\"Call completed elsewhere\""),
	    0);
	ck_assert_uint_eq(rl.n, 2);
	ck_assert_int_eq(rl.v[1].proto, CALL_REASON_SIP);
	ck_assert_uint_eq(rl.v[1].cause, 200);
	text_is(&rl.v[1], "Call completed elsewhere");
	ck_assert_ptr_eq(call_reason_find(&rl, CALL_REASON_SIP), &rl.v[1]);
	ck_assert_ptr_eq(call_reason_find(&rl, CALL_REASON_Q850), &rl.v[0]);

	/* any order, any case, white space, extension params skipped */
	ck_assert_int_eq(parse(&rl, "  q.850 ; text = \"a\\\"b\\\\c\" ; x ;"
				    " y=z ; h=[2001:db8::1]; cause = 034 "),
			 0);
	ck_assert_int_eq(rl.v[0].proto, CALL_REASON_Q850);
	ck_assert_uint_eq(rl.v[0].cause, 34);
	text_is(&rl.v[0], "a\"b\\c");
	ck_assert_uint_eq(rl.v[0].text.l, 7);

	/* no text; no cause (legal, just useless); another protocol */
	ck_assert_int_eq(parse(&rl, "SIP;cause=487"), 0);
	ck_assert(!strv_isset(rl.v[0].text));
	text_is(&rl.v[0], "");
	ck_assert_int_eq(parse(&rl, "preemption;cause=1;text=\"UA\""), 0);
	ck_assert_int_eq(rl.v[0].proto, CALL_REASON_OTHER);
	ck_assert(strv_caseeq_str(rl.v[0].proto_name, "preemption"));
	ck_assert_int_eq(parse(&rl, "Q.850"), 0);
	ck_assert(!rl.v[0].has_cause);
	ck_assert_ptr_null(call_reason_find(&rl, CALL_REASON_Q850));

	/* a folded line and UTF-8 in the text */
	ck_assert_int_eq(parse(&rl, "Q.850;cause=34;text=\"caf\xc3\xa9\",\r\n"
				    "\tSIP;cause=503"),
			 0);
	ck_assert_uint_eq(rl.n, 2);
	text_is(&rl.v[0], "caf\xc3\xa9");
}
END_TEST

START_TEST(bad_values)
{
	static const char *const bad[] = {
	    "",
	    "   ",
	    ";cause=1",
	    "Q.850;",
	    "Q.850;cause",
	    "Q.850;cause=",
	    "Q.850;cause=x",
	    "Q.850;cause=1x",
	    "Q.850;cause=-1",
	    "Q.850;cause=128",
	    "Q.850;cause=9999999999",
	    "SIP;cause=99",
	    "SIP;cause=700",
	    "Q.850;cause=1;cause=2",
	    "Q.850;text=\"a\";text=\"b\"",
	    "Q.850;text=unquoted",
	    "Q.850;text=\"unterminated",
	    "Q.850;text=\"bad\\",
	    "Q.850;text=\"ctl\x01\"",
	    "Q.850;text=\"del\x7f\"",
	    "Q.850;text=\"bare\nlf\"",
	    "Q.850;text=\"bad utf8 \xc3\"",
	    "Q.850;text=\"overlong \xe0\x80\x80\"",
	    "Q.850;cause=1,",
	    "Q.850;cause=1,,SIP;cause=200",
	    ", Q.850;cause=1",
	    "Q.850;cause=1 SIP;cause=200",
	    "Q.850 cause=1",
	    "Q 850;cause=1",
	    "Q.850;cause=1;x=\"open",
	    "Q.850;cause=1;h=[::1",
	    "Q.850;cause=1\r\n",
	    "Q.850;cause=1;=2",
	};
	struct call_reason_list rl;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rl.n = 99;
		ck_assert_msg(parse(&rl, bad[i]) == -EBADMSG,
			      "accepted or wrong error for \"%s\"", bad[i]);
		ck_assert_uint_eq(rl.n, 0);
	}
	ck_assert_int_eq(call_reason_parse(&rl, STRV_NULL), -EBADMSG);
	/* a view stops where it says, even inside a longer string */
	ck_assert_int_eq(
	    call_reason_parse(&rl, (struct strv){"Q.850;cause=17xyz", 14}), 0);
	ck_assert_uint_eq(rl.v[0].cause, 17);
	ck_assert_int_eq(parse(&rl, "a,b,c,d,e,f,g,h"), 0);
	ck_assert_int_eq(parse(&rl, "a,b,c,d,e,f,g,h,i"), -E2BIG);
}
END_TEST

START_TEST(print)
{
	struct call_reason_list rl;
	struct buf b = {0};
	char small[4];

	ck_assert_int_eq(call_reason_print(&b, "Q.850", 17, "User busy"), 0);
	ck_assert_str_eq(buf_cstr(&b), "Q.850;cause=17;text=\"User busy\"");
	buf_reset(&b);
	ck_assert_int_eq(call_reason_print(&b, "SIP", 486, NULL), 0);
	ck_assert_str_eq(buf_cstr(&b), "SIP;cause=486");
	buf_reset(&b);
	ck_assert_int_eq(
	    call_reason_print(&b, "Q.850", 21,
			      "say \"no\"\\\r\n\x01 caf\xc3\xa9\xff"),
	    0);
	ck_assert_str_eq(
	    buf_cstr(&b),
	    "Q.850;cause=21;text=\"say \\\"no\\\"\\\\ caf\xc3\xa9\"");
	ck_assert_int_eq(
	    call_reason_parse(&rl, (struct strv){(char *)b.data, b.len}), 0);
	ck_assert_uint_eq(rl.v[0].cause, 21);
	text_is(&rl.v[0], "say \"no\"\\ caf\xc3\xa9");
	ck_assert_int_eq(call_reason_print(&b, "Q 850", 1, NULL), -EINVAL);
	ck_assert_int_eq(call_reason_print(&b, "", 1, NULL), -EINVAL);

	/* a list prints back in canonical form, extensions dropped */
	buf_reset(&b);
	ck_assert_int_eq(parse(&rl, "SIP ; x=1; cause=200 ;text=\"a\\\"\","
				    "Q.850;cause=16"),
			 0);
	ck_assert_int_eq(call_reason_print_list(&b, &rl), 0);
	ck_assert_str_eq(buf_cstr(&b),
			 "SIP;cause=200;text=\"a\\\"\", Q.850;cause=16");
	ck_assert_int_eq(call_reason_text(&rl.v[0], small, 2), -ENOSPC);
	ck_assert_str_eq(small, "a");
	buf_free(&b);
}
END_TEST

Suite *call_reason_suite(void)
{
	Suite *s = suite_create("call_reason");
	TCase *tc = tl_tcase(s, "reason");

	tcase_add_test(tc, single_and_multiple);
	tcase_add_test(tc, bad_values);
	tcase_add_test(tc, print);
	return s;
}
