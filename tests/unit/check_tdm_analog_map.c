// SPDX-License-Identifier: GPL-2.0
/*
 * Digit maps (tdm/analog_map.c): each number against each map gives the
 * exact verdict an FXS port acts on (dial now, wait for the short timer,
 * wait for more digits, reorder); malformed maps are refused. The line
 * behaviour itself is tested on real DAHDI in tests/vm/t_dahdi_analog.sh.
 */
#include <errno.h>

#include "../../tdm/analog.h"
#include "tl_check.h"

static const char dflt[] = "[1-8]xxx|9xxxxxxxxxx|0x.T|*xx|x.#";

static const struct {
	const char *map, *digits;
	int want;
} cases[] = {
	{ dflt, "", TDM_ANALOG_PARTIAL },
	{ dflt, "1", TDM_ANALOG_PARTIAL },
	{ dflt, "123", TDM_ANALOG_PARTIAL },
	/* 1234 is an extension, but x.# could still take it: wait */
	{ dflt, "1234", TDM_ANALOG_TIMER },
	{ dflt, "1234#", TDM_ANALOG_FULL },
	{ dflt, "12345", TDM_ANALOG_PARTIAL },
	{ dflt, "0", TDM_ANALOG_TIMER },
	{ dflt, "0123", TDM_ANALOG_TIMER },
	{ dflt, "*7", TDM_ANALOG_PARTIAL },
	{ dflt, "*72", TDM_ANALOG_FULL },
	{ dflt, "*72#", TDM_ANALOG_NOMATCH },
	{ dflt, "#", TDM_ANALOG_FULL }, /* x. takes zero digits */
	{ dflt, "1a", TDM_ANALOG_NOMATCH },
	{ "911|[2-9]xx", "911", TDM_ANALOG_FULL },
	{ "911|[2-9]xx", "91", TDM_ANALOG_PARTIAL },
	{ "911|[2-9]xx", "912", TDM_ANALOG_FULL },
	{ "911|[2-9]xx", "1", TDM_ANALOG_NOMATCH },
	{ "[13579]x", "55", TDM_ANALOG_FULL },
	{ "[13579]x", "45", TDM_ANALOG_NOMATCH },
	{ "x.T", "", TDM_ANALOG_TIMER },
	{ "xx.", "4", TDM_ANALOG_TIMER },
	{ "A[BCD]", "ac", TDM_ANALOG_FULL },
	{ "A[B-D]", "ac", -EINVAL }, /* ranges are of digits only */
	{ "123", "1234", TDM_ANALOG_NOMATCH },
	{ "12|123", "12", TDM_ANALOG_TIMER },
};

START_TEST(map_cases)
{
	int got = tdm_analog_map_match(cases[_i].map, cases[_i].digits);

	ck_assert_msg(got == cases[_i].want, "map \"%s\" digits \"%s\": %d, "
		      "want %d", cases[_i].map, cases[_i].digits, got,
		      cases[_i].want);
}
END_TEST

static const char *const bad_maps[] = {
	"", "|", "12|", ".1", "1..", "[", "[]", "[5-1]", "[1-", "1T2", "12Z",
	"x[-]",
};

START_TEST(map_malformed)
{
	ck_assert_int_eq(tdm_analog_map_match(bad_maps[_i], "1"), -EINVAL);
}
END_TEST

START_TEST(map_defaults)
{
	struct tdm_analog_params p;

	tdm_analog_defaults(&p, true);
	ck_assert(p.fxs);
	ck_assert_str_eq(p.digitmap, dflt);
	ck_assert_uint_gt(p.interdigit_ms, p.short_ms);
	tdm_analog_defaults(&p, false);
	ck_assert(!p.fxs);
	ck_assert_uint_eq(p.answer_rings, 2);
}
END_TEST

Suite *tdm_analog_map_suite(void)
{
	Suite *s = suite_create("tdm_analog_map");
	TCase *tc = tl_tcase(s, "map");

	tcase_add_loop_test(tc, map_cases, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, map_malformed, 0,
			    (int)(sizeof(bad_maps) / sizeof(bad_maps[0])));
	tcase_add_test(tc, map_defaults);
	return s;
}
