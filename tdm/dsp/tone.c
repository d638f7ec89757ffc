// SPDX-License-Identifier: GPL-2.0
/*
 * Call-progress tones per zone, and a generator on spandsp's tone_gen.
 *
 * The table is ours, written from the national specifications as
 * summarised in ITU-T E.180 (supplement 2) and checked against public
 * tone tables (Asterisk's indications.conf). Dual tones are sent at
 * -13 dBm0 per frequency and single tones at -10 dBm0, the usual
 * levels for precise tones, so both are near -10 dBm0 in total.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

#define ST(f1, f2, ...) { f1, f2, (f2) ? -13 : -10, { __VA_ARGS__ } }

static const struct tdm_dsp_zone zones[] = {
	{ "us", "United States / North America", {
		[TDM_TONE_DIAL] = ST(350, 440, 0),
		[TDM_TONE_RINGBACK] = ST(440, 480, 2000, 4000),
		[TDM_TONE_BUSY] = ST(480, 620, 500, 500),
		[TDM_TONE_CONGESTION] = ST(480, 620, 250, 250),
		[TDM_TONE_CALLWAIT] = ST(440, 0, 300, 9700),
	} },
	{ "uk", "United Kingdom", {
		[TDM_TONE_DIAL] = ST(350, 440, 0),
		[TDM_TONE_RINGBACK] = ST(400, 450, 400, 200, 400, 2000),
		[TDM_TONE_BUSY] = ST(400, 0, 375, 375),
		[TDM_TONE_CONGESTION] = ST(400, 0, 400, 350, 225, 525),
		[TDM_TONE_CALLWAIT] = ST(400, 0, 100, 4000),
	} },
	{ "de", "Germany", {
		[TDM_TONE_DIAL] = ST(425, 0, 0),
		[TDM_TONE_RINGBACK] = ST(425, 0, 1000, 4000),
		[TDM_TONE_BUSY] = ST(425, 0, 480, 480),
		[TDM_TONE_CONGESTION] = ST(425, 0, 240, 240),
		[TDM_TONE_CALLWAIT] = ST(425, 0, 200, 200, 200, 5000),
	} },
	{ "fr", "France", {
		[TDM_TONE_DIAL] = ST(440, 0, 0),
		[TDM_TONE_RINGBACK] = ST(440, 0, 1500, 3500),
		[TDM_TONE_BUSY] = ST(440, 0, 500, 500),
		[TDM_TONE_CONGESTION] = ST(440, 0, 250, 250),
		[TDM_TONE_CALLWAIT] = ST(440, 0, 300, 10000),
	} },
	{ "nl", "Netherlands", {
		[TDM_TONE_DIAL] = ST(425, 0, 0),
		[TDM_TONE_RINGBACK] = ST(425, 0, 1000, 4000),
		[TDM_TONE_BUSY] = ST(425, 0, 500, 500),
		[TDM_TONE_CONGESTION] = ST(425, 0, 250, 250),
		[TDM_TONE_CALLWAIT] = ST(425, 0, 500, 9500),
	} },
};

static const char *const tone_names[TDM_TONE_NUM] = {
	[TDM_TONE_SILENCE] = "silence",	  [TDM_TONE_DIAL] = "dial",
	[TDM_TONE_RINGBACK] = "ringback", [TDM_TONE_BUSY] = "busy",
	[TDM_TONE_CONGESTION] = "congestion",
	[TDM_TONE_CALLWAIT] = "callwaiting",
};

const char *tdm_tone_name(enum tdm_tone t)
{
	return (unsigned)t < TDM_TONE_NUM ? tone_names[t] : NULL;
}

int tdm_tone_parse(const char *s)
{
	for (int i = 0; i < TDM_TONE_NUM; i++)
		if (!strcmp(s, tone_names[i]))
			return i;
	return -EINVAL;
}

const struct tdm_dsp_zone *tdm_dsp_zone_find(const char *name)
{
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (!strcmp(zones[i].name, name))
			return &zones[i];
	return NULL;
}

const struct tdm_dsp_zone *tdm_dsp_zone_at(size_t i)
{
	return i < sizeof(zones) / sizeof(zones[0]) ? &zones[i] : NULL;
}

struct tdm_dsp_tonegen {
	tone_gen_descriptor_t *desc; /* owned */
	tone_gen_state_t *st;	     /* owned; NULL: silence */
};

static void tonegen_destroy(void *data)
{
	struct tdm_dsp_tonegen *tg = data;

	if (tg->st)
		tone_gen_free(tg->st);
	if (tg->desc)
		tone_gen_descriptor_free(tg->desc);
}

int tdm_dsp_tonegen_alloc(struct tdm_dsp_tonegen **tgp,
			  const struct tdm_dsp_zone *zone, enum tdm_tone tone)
{
	static const struct tdm_dsp_tone_def silence;

	if (!tgp || !zone || (unsigned)tone >= TDM_TONE_NUM)
		return -EINVAL;
	return tdm_dsp_tonegen_alloc_def(tgp, tone == TDM_TONE_SILENCE ?
						      &silence :
						      &zone->tone[tone]);
}

int tdm_dsp_tonegen_alloc_def(struct tdm_dsp_tonegen **tgp,
			      const struct tdm_dsp_tone_def *d)
{
	struct tdm_dsp_tonegen *tg;
	int on1, off1;

	if (!tgp || !d || d->f1 >= TDM_DSP_RATE / 2 ||
	    d->f2 >= TDM_DSP_RATE / 2)
		return -EINVAL;
	tg = mem_zalloc(sizeof(*tg), tonegen_destroy);
	if (!tg)
		return -ENOMEM;
	if (!d->f1)
		goto out;
	/* tone_gen wraps to the first segment at a zero duration, so a
	 * steady tone is one long "on" segment that repeats */
	on1 = d->cad[0] ? d->cad[0] : 1000;
	off1 = d->cad[0] ? d->cad[1] : 0;
	tg->desc = tone_gen_descriptor_init(NULL, d->f1, d->level, d->f2,
					    d->level, on1, off1, d->cad[2],
					    d->cad[3], 1);
	if (tg->desc)
		tg->st = tone_gen_init(NULL, tg->desc);
	if (!tg->st) {
		mem_deref(tg);
		return -ENOMEM;
	}
out:
	*tgp = tg;
	return 0;
}

void tdm_dsp_tonegen_fill(struct tdm_dsp_tonegen *tg, int16_t *amp, size_t n)
{
	int got = 0;

	if (tg->st)
		got = tone_gen(tg->st, amp, (int)n);
	if (got < 0)
		got = 0;
	memset(amp + got, 0, (n - (size_t)got) * sizeof(*amp));
}
