// SPDX-License-Identifier: GPL-2.0
/* MOS estimate with a simplified ITU-T G.107 E-model. */
#include <strings.h>

#include "cdr.h"

struct codec_imp {
	const char *name;
	double ie;  /* equipment impairment */
	double bpl; /* packet-loss robustness */
};

/* G.113 Appendix I. G.711 is rated with its packet loss concealment
 * (Bpl 25.1), which the media engine applies. */
static const struct codec_imp codecs[] = {
    {"PCMU", 0, 25.1},	{"PCMA", 0, 25.1},  {"G711", 0, 25.1},
    {"G729", 11, 19.0}, {"G723", 15, 16.1},
};

static const struct codec_imp *codec_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(codecs) / sizeof(codecs[0]); i++)
		if (!strcasecmp(name, codecs[i].name))
			return &codecs[i];
	return &codecs[0];
}

double call_cdr_r_factor(const char *codec, double delay_ms, double loss_pct)
{
	const struct codec_imp *c = codec_find(codec);
	double id, ie_eff;

	if (delay_ms < 0)
		delay_ms = 0;
	if (loss_pct < 0)
		loss_pct = 0;
	if (loss_pct > 100)
		loss_pct = 100;
	/* delay impairment: a slow rise, then steeper past 177.3 ms where
	 * talkers start to talk over each other */
	id = 0.024 * delay_ms;
	if (delay_ms > 177.3)
		id += 0.11 * (delay_ms - 177.3);
	/* random loss (BurstR = 1) */
	ie_eff = c->ie + (95 - c->ie) * loss_pct / (loss_pct + c->bpl);
	return 93.2 - id - ie_eff;
}

double call_cdr_mos_from_r(double r)
{
	if (r <= 0)
		return 1;
	if (r >= 100)
		return 4.5;
	return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

double call_cdr_mos(const char *codec, double delay_ms, double loss_pct)
{
	return call_cdr_mos_from_r(
	    call_cdr_r_factor(codec, delay_ms, loss_pct));
}
