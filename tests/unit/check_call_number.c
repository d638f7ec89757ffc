// SPDX-License-Identifier: GPL-2.0
/* gateway/call/number: TON/NPI, prefixes, E.164, SIP users, tel: URIs. */
#include <errno.h>
#include <string.h>

#include "../../gateway/call/number.h"
#include "tl_check.h"

/* London: +44 20 xxxx xxxx, "0" national, "00" international */
static struct call_numplan uk(void)
{
	struct call_numplan p;

	ck_assert_int_eq(call_numplan_init(&p, "44", "20", "0", "00"), 0);
	return p;
}

/* NANP: +1, "1" national, "011" international, no area code */
static struct call_numplan us(void)
{
	struct call_numplan p;

	ck_assert_int_eq(call_numplan_init(&p, "1", NULL, "1", "011"), 0);
	return p;
}

static void num_is(const struct call_number *n, const char *d,
		   enum call_ton ton, enum call_npi npi)
{
	ck_assert_str_eq(n->digits, d);
	ck_assert_int_eq(n->ton, ton);
	ck_assert_int_eq(n->npi, npi);
}

START_TEST(plan_init)
{
	struct call_numplan p;

	ck_assert_int_eq(call_numplan_init(&p, "44", "", "0", "00"), 0);
	ck_assert_int_eq(call_numplan_init(&p, "4a", "", "0", "00"), -EINVAL);
	ck_assert_int_eq(call_numplan_init(&p, "4444", "", "0", "00"), -EINVAL);
	ck_assert_int_eq(call_numplan_init(&p, "+44", "", "0", "00"), -EINVAL);
}
END_TEST

START_TEST(classify)
{
	struct call_numplan p = uk(), n = us();
	struct call_number x;

	ck_assert_int_eq(
	    call_number_classify(&p, STRV("00 1 212 555-0100"), &x), 0);
	num_is(&x, "12125550100", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&p, STRV("020 7946 0000"), &x),
			 0);
	num_is(&x, "2079460000", CALL_TON_NATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&p, STRV("7946 0000"), &x), 0);
	num_is(&x, "79460000", CALL_TON_SUBSCRIBER, CALL_NPI_E164);
	ck_assert_int_eq(
	    call_number_classify(&p, STRV("+44 (20) 7946.0000"), &x), 0);
	num_is(&x, "442079460000", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&n, STRV("011442079460000"), &x),
			 0);
	num_is(&x, "442079460000", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&n, STRV("12125550100"), &x), 0);
	num_is(&x, "2125550100", CALL_TON_NATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&n, STRV("5550100"), &x), 0);
	num_is(&x, "5550100", CALL_TON_UNKNOWN, CALL_NPI_E164);
	ck_assert_int_eq(call_number_classify(&n, STRV("*69#"), &x), 0);
	num_is(&x, "*69#", CALL_TON_UNKNOWN, CALL_NPI_E164);
	/* a prefix alone is not a number of that type */
	ck_assert_int_eq(call_number_classify(&p, STRV("0"), &x), 0);
	num_is(&x, "0", CALL_TON_SUBSCRIBER, CALL_NPI_E164);

	ck_assert_int_eq(call_number_classify(&p, STRV(""), &x), -EINVAL);
	ck_assert_int_eq(call_number_classify(&p, STRV("+"), &x), -EINVAL);
	ck_assert_int_eq(call_number_classify(&p, STRV("12a4"), &x), -EINVAL);
	ck_assert_int_eq(call_number_classify(&p, STRV("+44*1"), &x), -EINVAL);
	ck_assert_int_eq(call_number_classify(
			     &p, STRV("123456789012345678901234567890123"), &x),
			 -EINVAL);
}
END_TEST

START_TEST(e164_both_ways)
{
	struct call_numplan p = uk(), n = us();
	struct call_number x = {"2079460000", CALL_TON_NATIONAL, CALL_NPI_E164};
	char out[32];

	ck_assert_int_eq(call_number_to_e164(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+442079460000");
	x = (struct call_number){"79460000", CALL_TON_SUBSCRIBER,
				 CALL_NPI_E164};
	ck_assert_int_eq(call_number_to_e164(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+442079460000");
	ck_assert_int_eq(call_number_to_e164(&n, &x, out, sizeof(out)),
			 -EINVAL);
	x = (struct call_number){"0012125550100", CALL_TON_UNKNOWN,
				 CALL_NPI_UNKNOWN};
	ck_assert_int_eq(call_number_to_e164(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+12125550100");
	ck_assert_int_eq(call_number_to_e164(&p, &x, out, 12), -ENOSPC);
	x.npi = CALL_NPI_PRIVATE;
	ck_assert_int_eq(call_number_to_e164(&p, &x, out, sizeof(out)),
			 -EINVAL);
	x = (struct call_number){"1234567890123456", CALL_TON_INTERNATIONAL,
				 CALL_NPI_E164};
	ck_assert_int_eq(call_number_to_e164(&p, &x, out, sizeof(out)),
			 -EINVAL);

	ck_assert_int_eq(call_number_from_e164(&p, STRV("+44 20 7946 0000"),
					       CALL_TON_SUBSCRIBER, &x),
			 0);
	num_is(&x, "79460000", CALL_TON_SUBSCRIBER, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+441612345678"),
					       CALL_TON_SUBSCRIBER, &x),
			 0);
	num_is(&x, "1612345678", CALL_TON_NATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+442079460000"),
					       CALL_TON_NATIONAL, &x),
			 0);
	num_is(&x, "2079460000", CALL_TON_NATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+12125550100"),
					       CALL_TON_NATIONAL, &x),
			 0);
	num_is(&x, "12125550100", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+442079460000"),
					       CALL_TON_INTERNATIONAL, &x),
			 0);
	num_is(&x, "442079460000", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	/* unknown TON: the dial string with the plan's prefixes */
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+442079460000"),
					       CALL_TON_UNKNOWN, &x),
			 0);
	num_is(&x, "02079460000", CALL_TON_UNKNOWN, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&n, STRV("+442079460000"),
					       CALL_TON_UNKNOWN, &x),
			 0);
	num_is(&x, "011442079460000", CALL_TON_UNKNOWN, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_e164(&n, STRV("+12125550100"),
					       CALL_TON_UNKNOWN, &x),
			 0);
	num_is(&x, "12125550100", CALL_TON_UNKNOWN, CALL_NPI_E164);

	ck_assert_int_eq(call_number_from_e164(&p, STRV("442079460000"),
					       CALL_TON_NATIONAL, &x),
			 -EINVAL);
	ck_assert_int_eq(
	    call_number_from_e164(&p, STRV("+44*1"), CALL_TON_NATIONAL, &x),
	    -EINVAL);
	ck_assert_int_eq(call_number_from_e164(&p, STRV("+1234567890123456"),
					       CALL_TON_NATIONAL, &x),
			 -EINVAL);
}
END_TEST

START_TEST(dial)
{
	struct call_numplan p = uk();
	struct call_number x = {"12125550100", CALL_TON_INTERNATIONAL,
				CALL_NPI_E164};
	char out[32];

	ck_assert_int_eq(call_number_dial(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "0012125550100");
	x = (struct call_number){"2079460000", CALL_TON_NATIONAL,
				 CALL_NPI_E164};
	ck_assert_int_eq(call_number_dial(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "02079460000");
	ck_assert_int_eq(call_number_dial(&p, &x, out, 5), -ENOSPC);
	x.ton = CALL_TON_SUBSCRIBER;
	ck_assert_int_eq(call_number_dial(&p, &x, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2079460000");
}
END_TEST

START_TEST(sip_and_tel)
{
	struct call_numplan p = uk();
	struct call_number x;
	char out[64];
	bool up;

	ck_assert_int_eq(call_number_from_user(&p, STRV("+1-212-555-0100"), &x),
			 0);
	num_is(&x, "12125550100", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_user(&p, STRV("02079460000"), &x), 0);
	num_is(&x, "2079460000", CALL_TON_NATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(
	    call_number_from_user(&p, STRV("5550100;phone-context=+1-212"), &x),
	    0);
	num_is(&x, "12125550100", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(
	    call_number_from_user(
		&p, STRV("4443333;isub=1;phone-context=pbx.example.com"), &x),
	    0);
	num_is(&x, "4443333", CALL_TON_UNKNOWN, CALL_NPI_PRIVATE);
	ck_assert_int_eq(
	    call_number_from_user(&p, STRV("+4420;phone-context=+1"), &x),
	    -EINVAL);
	ck_assert_int_eq(call_number_from_user(&p, STRV("alice"), &x), -EINVAL);
	ck_assert_int_eq(call_number_from_user(&p, STRV_NULL, &x), -EINVAL);

	ck_assert_int_eq(
	    call_number_from_tel(&p, STRV("TEL:+44-20-7946-0000"), &x), 0);
	num_is(&x, "442079460000", CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	ck_assert_int_eq(call_number_from_tel(&p, STRV("sip:+4420"), &x),
			 -EINVAL);
	ck_assert_int_eq(call_number_from_tel(&p, STRV("tel:"), &x), -EINVAL);

	x = (struct call_number){"79460000", CALL_TON_SUBSCRIBER,
				 CALL_NPI_E164};
	ck_assert_int_eq(call_number_to_user(&p, &x, out, sizeof(out), &up), 0);
	ck_assert_str_eq(out, "+442079460000");
	ck_assert(up);
	ck_assert_int_eq(call_number_to_tel(&p, &x, NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "tel:+442079460000");
	x = (struct call_number){"4443333", CALL_TON_UNKNOWN, CALL_NPI_PRIVATE};
	ck_assert_int_eq(call_number_to_user(&p, &x, out, sizeof(out), &up), 0);
	ck_assert_str_eq(out, "4443333");
	ck_assert(!up);
	ck_assert_int_eq(call_number_to_tel(&p, &x, NULL, out, sizeof(out)),
			 -EINVAL);
	ck_assert_int_eq(
	    call_number_to_tel(&p, &x, "pbx.example.com", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "tel:4443333;phone-context=pbx.example.com");
	ck_assert_int_eq(call_number_to_tel(&p, &x, "pbx.example.com", out, 10),
			 -ENOSPC);
}
END_TEST

START_TEST(presentation)
{
	struct call_party pty = {.pres = CALL_PRES_RESTRICTED,
				 .screen = CALL_SCREEN_NETWORK};

	ck_assert_str_eq(call_pres_name(CALL_PRES_UNAVAILABLE), "unavailable");
	ck_assert_str_eq(call_screen_name(CALL_SCREEN_USER_PASSED),
			 "user-passed");
	ck_assert_int_eq(call_pres_parse("restricted"), CALL_PRES_RESTRICTED);
	ck_assert_int_eq(call_pres_parse("hidden"), -EINVAL);
	ck_assert_int_eq(call_screen_parse("network"), CALL_SCREEN_NETWORK);
	ck_assert_int_eq(call_screen_parse("x"), -EINVAL);
	ck_assert(call_party_trusted(&pty));
	pty.screen = CALL_SCREEN_USER_NOT_SCREENED;
	ck_assert(!call_party_trusted(&pty));
	pty.screen = CALL_SCREEN_USER_FAILED;
	ck_assert(!call_party_trusted(&pty));
}
END_TEST

Suite *call_number_suite(void)
{
	Suite *s = suite_create("call_number");
	TCase *tc = tl_tcase(s, "number");

	tcase_add_test(tc, plan_init);
	tcase_add_test(tc, classify);
	tcase_add_test(tc, e164_both_ways);
	tcase_add_test(tc, dial);
	tcase_add_test(tc, sip_and_tel);
	tcase_add_test(tc, presentation);
	return s;
}
