// SPDX-License-Identifier: GPL-2.0
/*
 * Keyword tables for [tdm], [span N] and [sim], and the value parsers
 * they share with the core. The span layout (backend, channels,
 * signalling, groups) needs a restart; gains, echo canceller, zone,
 * caller ID and detectors apply to each channel's next call on reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analog.h"
#include "core.h"
#include "isdn/pri.h"

static const char *const backend_names[] = { "sim", "dahdi", NULL };
static const char *const span_backend_names[] = { "default", "sim", "dahdi",
						  NULL };
static const char *const sig_names[] = {
	"fxs_ks",  "fxs_ls",  "fxo_ks",	      "fxo_ls",	      "pri_net",
	"pri_cpe", "bri_net", "bri_cpe",      "bri_net_ptmp", "bri_cpe_ptmp",
	NULL,
};
static const char *const cid_names[] = { "bell", "v23", "dtmf", NULL };
static const char *const ec_names[] = { "userspace", "oslec", "off", NULL };
static const char *const beh_names[] = { "echo", "busy", "noanswer",
					 "early", "tone", "unallocated",
					 "congestion", NULL };

const char *tdm_sig_name(int sig)
{
	return sig >= 0 && sig <= TDM_SIG_BRI_CPE_PTMP ? sig_names[sig] : "?";
}

const char *tdm_backend_name(int id)
{
	return id >= 0 && id <= TDM_BACKEND_DAHDI ? backend_names[id] : "?";
}

const char *tdm_sim_beh_name(int beh)
{
	return beh >= 0 && beh <= TDM_SIM_CONGESTION ? beh_names[beh] : "?";
}

int tdm_conf_channels(const char *s, unsigned *nums, size_t max)
{
	size_t n = 0;
	const char *p = s;

	while (*p) {
		char *end;
		unsigned long a, b;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			if (p[1] < '0' || p[1] > '9')
				return -EINVAL;
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		if (*p && *p != ',' && *p != ' ')
			return -EINVAL;
		if (a < 1 || b < a || b > TDM_CHAN_NUM_MAX)
			return -EINVAL;
		for (unsigned long c = a; c <= b; c++) {
			/* ascending and unique keeps hunting simple */
			if (n == max || (n && nums[n - 1] >= c))
				return -EINVAL;
			nums[n++] = (unsigned)c;
		}
	}
	return n ? (int)n : -EINVAL;
}

int tdm_conf_gain(const char *s, double *db)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v < -24.0 || v > 24.0)
		return -EINVAL;
	*db = v;
	return 0;
}

int tdm_conf_sim_rule(const char *s, char *number, size_t n, int *beh,
		      unsigned *param)
{
	char num[TDM_NUMBER_MAX], b[16], extra[2];
	unsigned long pv = 0;
	char pstr[16] = "";
	int k;

	k = sscanf(s, " %31s %15s %15s %1s", num, b, pstr, extra);
	if (k < 2 || k > 3 || strspn(num, "0123456789*#+") != strlen(num) ||
	    strlen(num) >= n)
		return -EINVAL;
	*beh = -1;
	for (int i = 0; beh_names[i]; i++)
		if (!strcmp(b, beh_names[i]))
			*beh = i;
	if (*beh < 0)
		return -EINVAL;
	if (k == 3) {
		char *end;

		pv = strtoul(pstr, &end, 10);
		if (*end || pv > 600000)
			return -EINVAL;
	}
	snprintf(number, n, "%s", num);
	*param = (unsigned)pv;
	return 0;
}

static int check_zone(const void *field, char *why, size_t n)
{
	const char *z = *(char *const *)field;

	if (*z && !tdm_dsp_zone_find(z)) {
		snprintf(why, n, "unknown tone zone \"%s\" (us, uk, de, fr, nl)",
			 z);
		return -EINVAL;
	}
	return 0;
}

static int check_channels(const void *field, char *why, size_t n)
{
	unsigned nums[TDM_SPAN_MAX_CHANS];

	if (tdm_conf_channels(*(char *const *)field, nums,
			      TDM_SPAN_MAX_CHANS) < 0) {
		snprintf(why, n, "want ascending channel numbers or ranges "
				 "like 1-15,17-31 (at most %d, 1..%d)",
			 TDM_SPAN_MAX_CHANS, TDM_CHAN_NUM_MAX);
		return -EINVAL;
	}
	return 0;
}

static int check_gain(const void *field, char *why, size_t n)
{
	double db;

	if (tdm_conf_gain(*(char *const *)field, &db)) {
		snprintf(why, n, "want a gain in dB from -24 to 24");
		return -EINVAL;
	}
	return 0;
}

static int check_tail(const void *field, char *why, size_t n)
{
	int64_t v = *(const int64_t *)field;

	if (v != 32 && v != 64 && v != 128 && v != 256) {
		snprintf(why, n, "want 32, 64, 128 or 256 (ms)");
		return -EINVAL;
	}
	return 0;
}

static int check_digitmap(const void *field, char *why, size_t n)
{
	const char *m = *(char *const *)field;

	if (*m && (strlen(m) >= TDM_ANALOG_MAP_MAX ||
		   tdm_analog_map_match(m, "") < 0)) {
		snprintf(why, n, "want a digit map like [1-8]xxx|9xxxxxxxxxx|"
				 "0x.T (shorter than %d)", TDM_ANALOG_MAP_MAX);
		return -EINVAL;
	}
	return 0;
}

void tdm_conf_span_line(const struct tdm_span_conf *sc,
			struct tdm_span_line *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->digitmap, sizeof(l->digitmap), "%s", sc->digitmap);
	l->interdigit_ms = (unsigned)sc->interdigit_timeout;
	l->answer_rings = (unsigned)sc->answer_rings;
	l->polarity_answer = sc->polarity_answer;
	l->cid_before_ring = sc->cid_before_ring;
	l->echo_canceller = sc->echo_cancel ? sc->echo_canceller : TDM_EC_OFF;
	l->echo_tail_ms = (unsigned)sc->echo_tail;
	l->switchtype = sc->switchtype;
	l->dchan = (unsigned)sc->dchan;
}

static int check_groups(const void *field, char *why, size_t n)
{
	const struct conf_strlist *l = field;

	if (l->n > 8)
		goto bad;
	for (size_t i = 0; i < l->n; i++) {
		char *end;
		long g = strtol(l->v[i], &end, 10);

		if (!*l->v[i] || *end || g < 0 || g > TDM_GROUP_MAX)
			goto bad;
	}
	return 0;
bad:
	snprintf(why, n, "want up to 8 group numbers from 0 to %d",
		 TDM_GROUP_MAX);
	return -EINVAL;
}

static int check_rules(const void *field, char *why, size_t n)
{
	const struct conf_strlist *l = field;
	char num[TDM_NUMBER_MAX];
	unsigned param;
	int beh;

	for (size_t i = 0; i < l->n; i++) {
		if (!tdm_conf_sim_rule(l->v[i], num, sizeof(num), &beh,
				       &param))
			continue;
		snprintf(why, n, "\"%s\": want NUMBER BEHAVIOUR [MS] with "
				 "behaviour echo, busy, noanswer, early, "
				 "tone, unallocated or congestion",
			 l->v[i]);
		return -EINVAL;
	}
	return 0;
}

#define OFF_T(f) offsetof(struct tdm_conf, f)
#define OFF_S(f) offsetof(struct tdm_span_conf, f)
#define OFF_M(f) offsetof(struct tdm_sim_conf, f)

static const struct conf_kw tdm_kws[] = {
	{ "backend", CONF_ENUM, OFF_T(backend), "sim", 0, 0, backend_names,
	  NULL, 0, "spans' default backend: sim or dahdi" },
	{ "tone_zone", CONF_STR, OFF_T(tone_zone), "us", 0, 0, NULL,
	  check_zone, CONF_RELOAD, "default tone zone: us, uk, de, fr, nl" },
};

static const struct conf_kw span_kws[] = {
	{ "backend", CONF_ENUM, OFF_S(backend), "default", 0, 0,
	  span_backend_names, NULL, 0, "sim, dahdi or default ([tdm])" },
	{ "channels", CONF_STR, OFF_S(channels), NULL, 0, 0, NULL,
	  check_channels, CONF_REQUIRED, "global channel numbers: 1-15,17-31" },
	{ "signalling", CONF_ENUM, OFF_S(signalling), "pri_cpe", 0, 0,
	  sig_names, NULL, 0, "line signalling" },
	{ "group", CONF_STRLIST, OFF_S(group), NULL, 0, 0, NULL, check_groups,
	  0, "group numbers the channels join" },
	{ "echo_cancel", CONF_BOOL, OFF_S(echo_cancel), "yes", 0, 0, NULL,
	  NULL, CONF_RELOAD, "userspace echo canceller" },
	{ "echo_tail", CONF_INT, OFF_S(echo_tail), "64", 32, 256, NULL,
	  check_tail, CONF_RELOAD, "echo canceller tail, ms" },
	{ "rx_gain", CONF_STR, OFF_S(rx_gain), "0", 0, 0, NULL, check_gain,
	  CONF_RELOAD, "gain on received audio, dB" },
	{ "tx_gain", CONF_STR, OFF_S(tx_gain), "0", 0, 0, NULL, check_gain,
	  CONF_RELOAD, "gain on sent audio, dB" },
	{ "tone_zone", CONF_STR, OFF_S(tone_zone), "", 0, 0, NULL, check_zone,
	  CONF_RELOAD, "tone zone; empty: [tdm] tone_zone" },
	{ "callerid", CONF_ENUM, OFF_S(cid), "bell", 0, 0, cid_names, NULL,
	  CONF_RELOAD, "caller ID standard: bell, v23, dtmf" },
	{ "dtmf_detect", CONF_BOOL, OFF_S(dtmf_detect), "yes", 0, 0, NULL,
	  NULL, CONF_RELOAD, "detect in-band DTMF" },
	{ "busy_detect", CONF_BOOL, OFF_S(busy_detect), "no", 0, 0, NULL,
	  NULL, CONF_RELOAD, "release on busy/reorder tone (fxs_* lines)" },
	{ "fax_detect", CONF_BOOL, OFF_S(fax_detect), "yes", 0, 0, NULL, NULL,
	  CONF_RELOAD, "detect CNG and CED fax tones" },
	{ "echo_canceller", CONF_ENUM, OFF_S(echo_canceller), "userspace", 0,
	  0, ec_names, NULL, 0,
	  "userspace, oslec (DAHDI's, attached by dahdi_cfg) or off" },
	{ "digitmap", CONF_STR, OFF_S(digitmap), "", 0, 0, NULL,
	  check_digitmap, 0, "fxo_* (phones): digit map; empty: default" },
	{ "interdigit_timeout", CONF_MS, OFF_S(interdigit_timeout), "5s",
	  500, 60000, NULL, NULL, 0, "fxo_*: wait for the next digit" },
	{ "answer_rings", CONF_INT, OFF_S(answer_rings), "2", 1, 10, NULL,
	  NULL, 0, "fxs_* (lines): rings before the call is offered" },
	{ "polarity_answer", CONF_BOOL, OFF_S(polarity_answer), "no", 0, 0,
	  NULL, NULL, 0, "fxs_*: the line reverses polarity on answer" },
	{ "cid_before_ring", CONF_BOOL, OFF_S(cid_before_ring), "no", 0, 0,
	  NULL, NULL, 0, "fxo_*: caller ID before the first ring" },
	{ "switchtype", CONF_ENUM, OFF_S(switchtype), "national", 0, 0,
	  tdm_pri_switch_names, NULL, 0,
	  "pri_*: the exchange's ISDN variant" },
	{ "dchan", CONF_INT, OFF_S(dchan), "0", 0, TDM_CHAN_NUM_MAX, NULL,
	  NULL, 0, "pri_*: the D channel's global number" },
};

static const struct conf_kw sim_kws[] = {
	{ "number", CONF_STRLIST, OFF_M(number), NULL, 0, 0, NULL,
	  check_rules, CONF_RELOAD,
	  "NUMBER BEHAVIOUR [MS]: how the sim switch treats a number" },
	{ "default", CONF_ENUM, OFF_M(dflt), "unallocated", 0, 0, beh_names,
	  NULL, CONF_RELOAD, "behaviour of numbers not listed" },
	{ "alert_delay", CONF_MS, OFF_M(alert_delay), "100ms", 0, 60000, NULL,
	  NULL, CONF_RELOAD, "from dialling to the switch's first answer" },
	{ "answer_delay", CONF_MS, OFF_M(answer_delay), "1s", 0, 600000, NULL,
	  NULL, CONF_RELOAD, "ringing time before echo/tone numbers answer" },
};

static void span_check(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	const struct tdm_span_conf *sc = sect;
	char *end;
	long n = strtol(name, &end, 10);

	if (*end || n < 1 || n > 256)
		conf_err_add(errs, file, line, "span",
			     "span \"%s\": want a number from 1 to 256", name);
	if (sc->busy_detect && sc->signalling != TDM_SIG_FXS_KS &&
	    sc->signalling != TDM_SIG_FXS_LS)
		conf_err_add(errs, file, line, "busy_detect",
			     "only for lines to an exchange (fxs_ks, fxs_ls)");
	if ((sc->signalling == TDM_SIG_PRI_NET ||
	     sc->signalling == TDM_SIG_PRI_CPE) && sc->backend == 2 &&
	    !sc->dchan)
		conf_err_add(errs, file, line, "dchan",
			     "a PRI span needs its D channel (dchan = 24)");
}

const struct conf_sect_def tdm_sect_tdm = {
	.name = "tdm",
	.size = sizeof(struct tdm_conf),
	.kws = tdm_kws,
	.nkws = sizeof(tdm_kws) / sizeof(tdm_kws[0]),
	.help = "the TDM layer",
};

const struct conf_sect_def tdm_sect_span = {
	.name = "span",
	.named = true,
	.size = sizeof(struct tdm_span_conf),
	.kws = span_kws,
	.nkws = sizeof(span_kws) / sizeof(span_kws[0]),
	.check = span_check,
	.help = "a span of TDM channels",
};

const struct conf_sect_def tdm_sect_sim = {
	.name = "sim",
	.size = sizeof(struct tdm_sim_conf),
	.kws = sim_kws,
	.nkws = sizeof(sim_kws) / sizeof(sim_kws[0]),
	.help = "the simulated PSTN switch",
};

const struct conf_sect_def *const tdm_sects[] = { &tdm_sect_tdm,
						  &tdm_sect_span,
						  &tdm_sect_sim, NULL };
