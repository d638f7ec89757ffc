// SPDX-License-Identifier: GPL-2.0
/*
 * Pure mappings between the TDM layer's call data and libpri's encodings
 * of the Q.931 information elements. No state, so the unit tests cover
 * them without a D channel.
 */
#include <errno.h>
#include <string.h>

#include <libpri.h>

#include "pri.h"

const char *const tdm_pri_switch_names[] = {
	"national", "ni1",	   "dms100",	  "4ess",
	"5ess",	    "euroisdn_e1", "euroisdn_t1", "qsig",
	NULL,
};

static const int switch_ids[] = {
	PRI_SWITCH_NI2,		PRI_SWITCH_NI1,
	PRI_SWITCH_DMS100,	PRI_SWITCH_ATT4ESS,
	PRI_SWITCH_LUCENT5E,	PRI_SWITCH_EUROISDN_E1,
	PRI_SWITCH_EUROISDN_T1, PRI_SWITCH_QSIG,
};

_Static_assert(sizeof(switch_ids) / sizeof(switch_ids[0]) ==
		       sizeof(tdm_pri_switch_names) /
				       sizeof(tdm_pri_switch_names[0]) - 1,
	       "one libpri switch per name");

int tdm_pri_switch(int idx)
{
	if (idx < 0 || idx >= (int)(sizeof(switch_ids) / sizeof(switch_ids[0])))
		return -EINVAL;
	return switch_ids[idx];
}

bool tdm_pri_switch_e1(int idx)
{
	return tdm_pri_switch(idx) == PRI_SWITCH_EUROISDN_E1;
}

int tdm_pri_plan(unsigned ton, unsigned npi)
{
	/* Q.931 4.5.10: TON is 3 bits (7 reserved), NPI 4 bits (15
	 * reserved); a reserved code would make the far end drop the IE */
	if (ton >= PRI_TON_RESERVED)
		ton = PRI_TON_UNKNOWN;
	if (npi >= PRI_NPI_RESERVED)
		npi = PRI_NPI_UNKNOWN;
	return (int)(ton << 4 | npi);
}

void tdm_pri_plan_split(int plan, uint8_t *ton, uint8_t *npi)
{
	if (plan < 0)
		plan = 0;
	*ton = (uint8_t)((plan >> 4) & 0x7);
	*npi = (uint8_t)(plan & 0xf);
}

int tdm_pri_num_out(const char *num, unsigned ton, unsigned npi, char *out,
		    size_t n)
{
	size_t l;

	if (num[0] == '+') {
		/* Q.931 carries digits only: "+" is the type of number */
		num++;
		ton = PRI_TON_INTERNATIONAL;
		npi = PRI_NPI_E163_E164;
	}
	l = strnlen(num, n - 1);
	memcpy(out, num, l);
	out[l] = '\0';
	return tdm_pri_plan(ton, npi);
}

void tdm_pri_num_in(const char *digits, int plan, char *out, size_t n,
		    uint8_t *ton, uint8_t *npi)
{
	size_t l, at = 0;

	tdm_pri_plan_split(plan, ton, npi);
	if (*ton == PRI_TON_INTERNATIONAL && digits[0] && digits[0] != '+')
		out[at++] = '+';
	l = strnlen(digits, n - 1 - at);
	memcpy(out + at, digits, l);
	out[at + l] = '\0';
}

int tdm_pri_pres(enum tdm_pres pres, unsigned screen)
{
	int p;

	switch (pres) {
	case TDM_PRES_RESTRICTED:
		p = PRI_PRES_RESTRICTED;
		break;
	case TDM_PRES_UNAVAILABLE:
		/* Q.951: "not available" goes with "network provided" */
		return PRI_PRES_UNAVAILABLE | PRI_PRES_NETWORK_NUMBER;
	default:
		p = PRI_PRES_ALLOWED;
		break;
	}
	return p | (int)(screen & PRI_PRES_NUMBER_TYPE);
}

enum tdm_pres tdm_pri_pres_split(int pripres, uint8_t *screen)
{
	if (pripres < 0)
		pripres = 0;
	*screen = (uint8_t)(pripres & PRI_PRES_NUMBER_TYPE);
	switch (pripres & PRI_PRES_RESTRICTION) {
	case PRI_PRES_RESTRICTED:
		return TDM_PRES_RESTRICTED;
	case PRI_PRES_UNAVAILABLE:
		return TDM_PRES_UNAVAILABLE;
	case PRI_PRES_ALLOWED:
		return TDM_PRES_ALLOWED;
	default:
		/* reserved: treat the number as not to be shown */
		return TDM_PRES_RESTRICTED;
	}
}

int tdm_pri_cause_out(int cause)
{
	return cause >= 1 && cause <= 127 ? cause :
					    PRI_CAUSE_NORMAL_UNSPECIFIED;
}

int tdm_pri_cause_in(int pricause)
{
	return pricause >= 1 && pricause <= 127 ? pricause :
						  PRI_CAUSE_NORMAL_CLEARING;
}

bool tdm_pri_inband(int progressmask)
{
	if (progressmask < 0)
		return false;
	return progressmask &
	       (PRI_PROG_CALL_NOT_E2E_ISDN | PRI_PROG_INBAND_AVAILABLE);
}

unsigned tdm_pri_timeslot(int channel)
{
	return channel < 0 ? 0 : (unsigned)channel & 0xff;
}
