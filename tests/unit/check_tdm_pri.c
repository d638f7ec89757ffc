// SPDX-License-Identifier: GPL-2.0
/*
 * The PRI driver's pure mappings (tdm/isdn/pri_map.c): switch types, type
 * of number / numbering plan, presentation / screening, causes, progress
 * indicators and channel values, each checked against the Q.931 / Q.850
 * codes on the wire (as libpri encodes them) and round-tripped; and the
 * [span] keys that configure a PRI span. The signalling itself is tested
 * on real DAHDI with libpri at both ends in tests/vm/t_dahdi_pri.sh.
 */
#include <errno.h>
#include <string.h>

#include <libpri.h>

#include "../../gateway/base/mem.h"
#include "../../tdm/core.h"
#include "../../tdm/isdn/pri.h"
#include "tl_check.h"

static int sw_idx(const char *name)
{
	for (int i = 0; tdm_pri_switch_names[i]; i++)
		if (!strcmp(tdm_pri_switch_names[i], name))
			return i;
	return -1;
}

START_TEST(map_switches)
{
	static const struct {
		const char *name;
		int id;
	} sw[] = {
		{ "national", PRI_SWITCH_NI2 },
		{ "ni1", PRI_SWITCH_NI1 },
		{ "dms100", PRI_SWITCH_DMS100 },
		{ "4ess", PRI_SWITCH_ATT4ESS },
		{ "5ess", PRI_SWITCH_LUCENT5E },
		{ "euroisdn_e1", PRI_SWITCH_EUROISDN_E1 },
		{ "euroisdn_t1", PRI_SWITCH_EUROISDN_T1 },
		{ "qsig", PRI_SWITCH_QSIG },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++) {
		int idx = sw_idx(sw[i].name);

		ck_assert_msg(idx >= 0, "%s missing", sw[i].name);
		ck_assert_int_eq(tdm_pri_switch(idx), sw[i].id);
		ck_assert(tdm_pri_switch_e1(idx) ==
			  !strcmp(sw[i].name, "euroisdn_e1"));
	}
	while (tdm_pri_switch_names[n])
		n++;
	ck_assert_int_eq(n, (int)(sizeof(sw) / sizeof(sw[0])));
	ck_assert_int_eq(tdm_pri_switch(-1), -EINVAL);
	ck_assert_int_eq(tdm_pri_switch(n), -EINVAL);
}
END_TEST

START_TEST(map_plans)
{
	uint8_t ton = 9, npi = 9;

	/* Q.931 4.5.10 octet 3: TON in bits 7-5, NPI in bits 4-1; libpri
	 * keeps the octet without the extension bit */
	ck_assert_int_eq(tdm_pri_plan(2, 1), 0x21);
	ck_assert_int_eq(tdm_pri_plan(2, 1), PRI_NATIONAL_ISDN);
	ck_assert_int_eq(tdm_pri_plan(1, 1), PRI_INTERNATIONAL_ISDN);
	ck_assert_int_eq(tdm_pri_plan(4, 1), PRI_LOCAL_ISDN);
	ck_assert_int_eq(tdm_pri_plan(4, 9), PRI_PRIVATE);
	ck_assert_int_eq(tdm_pri_plan(0, 0), PRI_UNKNOWN);
	/* reserved codes would make a switch drop the IE: unknown */
	ck_assert_int_eq(tdm_pri_plan(7, 1), 0x01);
	ck_assert_int_eq(tdm_pri_plan(2, 15), 0x20);
	ck_assert_int_eq(tdm_pri_plan(200, 200), 0);
	tdm_pri_plan_split(PRI_NATIONAL_ISDN, &ton, &npi);
	ck_assert_uint_eq(ton, 2);
	ck_assert_uint_eq(npi, 1);
	tdm_pri_plan_split(0x49, &ton, &npi);
	ck_assert_uint_eq(ton, 4);
	ck_assert_uint_eq(npi, 9);
	/* libpri gives -1 for an absent IE */
	tdm_pri_plan_split(-1, &ton, &npi);
	ck_assert_uint_eq(ton, 0);
	ck_assert_uint_eq(npi, 0);
	for (unsigned t = 0; t < 7; t++)
		for (unsigned p = 0; p < 15; p++) {
			tdm_pri_plan_split(tdm_pri_plan(t, p), &ton, &npi);
			ck_assert_uint_eq(ton, t);
			ck_assert_uint_eq(npi, p);
		}
}
END_TEST

/* Q.931 numbers are digits only: the TDM layer's '+' becomes the type of
 * number, and an international number received gets it back. */
START_TEST(map_numbers)
{
	char out[TDM_NUMBER_MAX];
	uint8_t ton = 9, npi = 9;

	ck_assert_int_eq(tdm_pri_num_out("+12125551234", 0, 0, out,
					 sizeof(out)),
			 PRI_INTERNATIONAL_ISDN);
	ck_assert_str_eq(out, "12125551234");
	/* '+' wins over a type of number that says otherwise */
	ck_assert_int_eq(tdm_pri_num_out("+4930", 2, 9, out, sizeof(out)),
			 PRI_INTERNATIONAL_ISDN);
	ck_assert_str_eq(out, "4930");
	ck_assert_int_eq(tdm_pri_num_out("2125551234", 2, 1, out,
					 sizeof(out)),
			 PRI_NATIONAL_ISDN);
	ck_assert_str_eq(out, "2125551234");
	ck_assert_int_eq(tdm_pri_num_out("", 0, 0, out, sizeof(out)),
			 PRI_UNKNOWN);
	ck_assert_str_eq(out, "");
	/* cut to fit */
	ck_assert_int_eq(tdm_pri_num_out("+123456", 0, 0, out, 4),
			 PRI_INTERNATIONAL_ISDN);
	ck_assert_str_eq(out, "123");

	tdm_pri_num_in("12125551234", PRI_INTERNATIONAL_ISDN, out,
		       sizeof(out), &ton, &npi);
	ck_assert_str_eq(out, "+12125551234");
	ck_assert_uint_eq(ton, 1);
	ck_assert_uint_eq(npi, 1);
	tdm_pri_num_in("2125551234", PRI_NATIONAL_ISDN, out, sizeof(out),
		       &ton, &npi);
	ck_assert_str_eq(out, "2125551234");
	ck_assert_uint_eq(ton, 2);
	/* no number, or one that already has its '+': nothing added */
	tdm_pri_num_in("", PRI_INTERNATIONAL_ISDN, out, sizeof(out), &ton,
		       &npi);
	ck_assert_str_eq(out, "");
	tdm_pri_num_in("+44", PRI_INTERNATIONAL_ISDN, out, sizeof(out), &ton,
		       &npi);
	ck_assert_str_eq(out, "+44");
	tdm_pri_num_in("123456", PRI_INTERNATIONAL_ISDN, out, 5, &ton, &npi);
	ck_assert_str_eq(out, "+123");
	tdm_pri_num_in("5551000", -1, out, sizeof(out), &ton, &npi);
	ck_assert_str_eq(out, "5551000");
	ck_assert_uint_eq(ton, 0);
}
END_TEST

START_TEST(map_presentation)
{
	uint8_t screen = 9;

	/* Q.931 4.5.10 octet 3a: presentation bits 7-6, screening 2-1 */
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_ALLOWED, 0), 0x00);
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_ALLOWED, 3),
			 PRES_ALLOWED_NETWORK_NUMBER);
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_RESTRICTED, 1),
			 PRES_PROHIB_USER_NUMBER_PASSED_SCREEN);
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_RESTRICTED, 0), 0x20);
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_UNAVAILABLE, 0),
			 PRES_NUMBER_NOT_AVAILABLE);
	ck_assert_int_eq(tdm_pri_pres(TDM_PRES_ALLOWED, 7), 0x03);

	ck_assert_int_eq(tdm_pri_pres_split(
				 PRES_PROHIB_USER_NUMBER_NOT_SCREENED, &screen),
			 TDM_PRES_RESTRICTED);
	ck_assert_uint_eq(screen, 0);
	ck_assert_int_eq(tdm_pri_pres_split(PRES_ALLOWED_NETWORK_NUMBER,
					    &screen),
			 TDM_PRES_ALLOWED);
	ck_assert_uint_eq(screen, 3);
	ck_assert_int_eq(tdm_pri_pres_split(PRES_NUMBER_NOT_AVAILABLE,
					    &screen),
			 TDM_PRES_UNAVAILABLE);
	/* reserved presentation: do not show the number */
	ck_assert_int_eq(tdm_pri_pres_split(0x61, &screen),
			 TDM_PRES_RESTRICTED);
	ck_assert_uint_eq(screen, 1);
	ck_assert_int_eq(tdm_pri_pres_split(-1, &screen), TDM_PRES_ALLOWED);
	for (int p = TDM_PRES_ALLOWED; p <= TDM_PRES_RESTRICTED; p++)
		for (unsigned sc = 0; sc < 4; sc++) {
			ck_assert_int_eq(tdm_pri_pres_split(tdm_pri_pres(
						     (enum tdm_pres)p, sc),
							    &screen),
					 p);
			ck_assert_uint_eq(screen, sc);
		}
}
END_TEST

START_TEST(map_causes)
{
	/* Q.850 values pass as they are both ways */
	ck_assert_int_eq(tdm_pri_cause_out(TDM_CAUSE_NORMAL),
			 PRI_CAUSE_NORMAL_CLEARING);
	ck_assert_int_eq(tdm_pri_cause_out(TDM_CAUSE_BUSY),
			 PRI_CAUSE_USER_BUSY);
	ck_assert_int_eq(tdm_pri_cause_out(TDM_CAUSE_NO_CIRCUIT),
			 PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION);
	ck_assert_int_eq(tdm_pri_cause_out(127), 127);
	ck_assert_int_eq(tdm_pri_cause_out(0), PRI_CAUSE_NORMAL_UNSPECIFIED);
	ck_assert_int_eq(tdm_pri_cause_out(128), PRI_CAUSE_NORMAL_UNSPECIFIED);
	ck_assert_int_eq(tdm_pri_cause_out(-5), 31);
	ck_assert_int_eq(tdm_pri_cause_in(PRI_CAUSE_USER_BUSY), 17);
	ck_assert_int_eq(tdm_pri_cause_in(PRI_CAUSE_UNALLOCATED), 1);
	ck_assert_int_eq(tdm_pri_cause_in(1), 1);
	ck_assert_int_eq(tdm_pri_cause_in(127), 127);
	/* a message without a cause IE */
	ck_assert_int_eq(tdm_pri_cause_in(-1), 16);
	ck_assert_int_eq(tdm_pri_cause_in(0), 16);
	ck_assert_int_eq(tdm_pri_cause_in(200), 16);
}
END_TEST

START_TEST(map_progress)
{
	/* Q.931 4.5.23: 1 "not end-to-end ISDN", 8 "in-band available"
	 * mean there is audio to hear; 2 and 3 do not */
	ck_assert(tdm_pri_inband(PRI_PROG_CALL_NOT_E2E_ISDN));
	ck_assert(tdm_pri_inband(PRI_PROG_INBAND_AVAILABLE));
	ck_assert(tdm_pri_inband(PRI_PROG_INBAND_AVAILABLE |
				 PRI_PROG_CALLED_NOT_ISDN));
	ck_assert(!tdm_pri_inband(PRI_PROG_CALLED_NOT_ISDN));
	ck_assert(!tdm_pri_inband(PRI_PROG_CALLER_NOT_ISDN));
	ck_assert(!tdm_pri_inband(PRI_PROG_DELAY_AT_INTERF));
	ck_assert(!tdm_pri_inband(0));
	ck_assert(!tdm_pri_inband(-1));
}
END_TEST

START_TEST(map_timeslots)
{
	ck_assert_uint_eq(tdm_pri_timeslot(5), 5);
	/* span 1, explicit: the timeslot only */
	ck_assert_uint_eq(tdm_pri_timeslot(0x10000 | 1 << 8 | 23), 23);
	ck_assert_uint_eq(tdm_pri_timeslot(-1), 0);
	ck_assert_uint_eq(tdm_pri_timeslot(0), 0);
}
END_TEST

static int load(const char *text, struct conf **cp)
{
	struct conf_errs errs;
	int err;

	conf_errs_init(&errs);
	err = conf_load_str("t.conf", text, tdm_sects, cp, &errs);
	conf_errs_clear(&errs);
	return err;
}

START_TEST(map_conf)
{
	struct conf *c = NULL;
	const struct tdm_span_conf *sc;
	struct tdm_span_line l;

	ck_assert_int_eq(load("[span 1]\nbackend = dahdi\nchannels = 1-23\n"
			      "signalling = pri_cpe\nswitchtype = euroisdn_e1\n"
			      "dchan = 24\n",
			      &c),
			 0);
	sc = conf_next(c, "span", NULL);
	ck_assert_ptr_nonnull(sc);
	ck_assert_int_eq(sc->signalling, TDM_SIG_PRI_CPE);
	tdm_conf_span_line(sc, &l);
	ck_assert_uint_eq(l.dchan, 24);
	ck_assert_int_eq(tdm_pri_switch(l.switchtype), PRI_SWITCH_EUROISDN_E1);
	c = mem_deref(c);

	/* the default switch type is National ISDN 2 */
	ck_assert_int_eq(load("[span 1]\nbackend = dahdi\nchannels = 1-23\n"
			      "signalling = pri_net\ndchan = 24\n",
			      &c),
			 0);
	sc = conf_next(c, "span", NULL);
	tdm_conf_span_line(sc, &l);
	ck_assert_int_eq(tdm_pri_switch(l.switchtype), PRI_SWITCH_NI2);
	c = mem_deref(c);

	/* a dahdi PRI span without its D channel, an unknown switch */
	ck_assert_int_ne(load("[span 1]\nbackend = dahdi\nchannels = 1-23\n"
			      "signalling = pri_cpe\n",
			      &c),
			 0);
	c = mem_deref(c);
	ck_assert_int_ne(load("[span 1]\nbackend = dahdi\nchannels = 1-23\n"
			      "signalling = pri_cpe\ndchan = 24\n"
			      "switchtype = ess5\n",
			      &c),
			 0);
	c = mem_deref(c);
}
END_TEST

Suite *tdm_pri_suite(void)
{
	Suite *s = suite_create("tdm_pri");
	TCase *tc = tl_tcase(s, "map");

	tcase_add_test(tc, map_switches);
	tcase_add_test(tc, map_plans);
	tcase_add_test(tc, map_numbers);
	tcase_add_test(tc, map_presentation);
	tcase_add_test(tc, map_causes);
	tcase_add_test(tc, map_progress);
	tcase_add_test(tc, map_timeslots);
	tcase_add_test(tc, map_conf);
	return s;
}
