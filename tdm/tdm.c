// SPDX-License-Identifier: GPL-2.0
/* The TDM layer object: spans and channels from the config, groups and
 * hunting, the listener for incoming calls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "tdm"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "core.h"
#include "dahdi.h"

static void span_free(struct tdm_span *sp)
{
	if (sp->started && sp->be->span_stop)
		sp->be->span_stop(sp);
	for (unsigned i = 0; i < sp->nch; i++)
		mem_deref(sp->ch[i].dsp);
	free(sp->ch);
	list_unlink(&sp->le);
	free(sp);
}

static void tdm_destroy(void *data)
{
	struct tdm *t = data;
	struct le *le, *nx;

	/* the sim's clock and far ends go before the spans they drive */
	t->sim = mem_deref(t->sim);
	LIST_FOREACH(&t->spans, le, nx)
		span_free(le->data);
	for (unsigned g = 0; g <= TDM_GROUP_MAX; g++)
		free(t->groups[g].ch);
}

/* The DSP settings of @sc, with @zone already resolved. */
static int span_dsp_params(const struct tdm_span_conf *sc,
			   const struct tdm_dsp_zone *zone,
			   struct tdm_dsp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->zone = zone;
	p->ec_tail_ms = sc->echo_cancel &&
				sc->echo_canceller == TDM_EC_USERSPACE ?
			(unsigned)sc->echo_tail : 0;
	p->dtmf_detect = sc->dtmf_detect;
	p->busy_detect = sc->busy_detect;
	p->fax_detect = sc->fax_detect;
	p->cid_std = (enum tdm_dsp_cid_std)sc->cid;
	if (tdm_conf_gain(sc->rx_gain, &p->rx_gain_db) ||
	    tdm_conf_gain(sc->tx_gain, &p->tx_gain_db))
		return -EINVAL;
	return 0;
}

static int group_add(struct tdm *t, unsigned g, struct tdm_chan *ch)
{
	struct tdm_group *gr = &t->groups[g];
	struct tdm_chan **n = realloc(gr->ch, (gr->n + 1) * sizeof(*n));
	unsigned i;

	if (!n)
		return -ENOMEM;
	gr->ch = n;
	gr->num = g;
	/* keep ascending by channel number whatever the span order */
	for (i = gr->n; i > 0 && n[i - 1]->num > ch->num; i--)
		n[i] = n[i - 1];
	n[i] = ch;
	gr->n++;
	return 0;
}

static int span_new(struct tdm *t, const struct tdm_conf *tc,
		    const struct tdm_span_conf *sc, const char *label)
{
	unsigned nums[TDM_SPAN_MAX_CHANS];
	struct tdm_span *sp;
	int n, err;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	list_append(&t->spans, &sp->le, sp);
	sp->tdm = t;
	sp->num = (unsigned)strtoul(label, NULL, 10);
	sp->backend = sc->backend ? sc->backend - 1 : tc->backend;
	sp->sig = sc->signalling;
	sp->zone = tdm_dsp_zone_find(*sc->tone_zone ? sc->tone_zone :
						      tc->tone_zone);
	sp->be = sp->backend == TDM_BACKEND_DAHDI ? &tdm_backend_dahdi :
						    &tdm_backend_sim;
	err = span_dsp_params(sc, sp->zone, &sp->dsp);
	tdm_conf_span_line(sc, &sp->line);
	n = tdm_conf_channels(sc->channels, nums, TDM_SPAN_MAX_CHANS);
	if (err || n < 0 || !sp->zone)
		return -EINVAL;
	sp->ch = calloc((size_t)n, sizeof(*sp->ch));
	if (!sp->ch)
		return -ENOMEM;
	sp->nch = (unsigned)n;
	for (unsigned i = 0; i < sp->nch; i++) {
		struct tdm_chan *ch = &sp->ch[i];

		ch->span = sp;
		ch->num = nums[i];
		ch->idx = i;
		if (tdm_chan_find(t, ch->num)) {
			LOGE("span %u: channel %u is already in another span",
			     sp->num, ch->num);
			return -EINVAL;
		}
		err = tdm_dsp_alloc(&ch->dsp, &sp->dsp, tdm_chan_dsp_ev, ch);
		if (err)
			return err;
		for (size_t g = 0; g < sc->group.n; g++) {
			unsigned gn = (unsigned)strtoul(sc->group.v[g], NULL,
							10);

			err = group_add(t, gn, ch);
			if (err)
				return err;
			if (ch->ngroups < 8)
				ch->groups[ch->ngroups++] = gn;
		}
	}
	return 0;
}

int tdm_alloc(struct tdm **tp, struct loop *loop, const struct conf *conf)
{
	const struct tdm_conf *tc = conf_get(conf, "tdm");
	const struct tdm_sim_conf *simc = conf_get(conf, "sim");
	const struct tdm_span_conf *sc = NULL;
	struct tdm *t;
	struct le *le;
	int err = 0;

	if (!tp || !loop || !tc || !simc)
		return -EINVAL;
	t = mem_zalloc(sizeof(*t), tdm_destroy);
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	list_init(&t->spans);
	while (!err && (sc = conf_next(conf, "span", sc)))
		err = span_new(t, tc, sc, conf_label(sc));
	if (!err)
		err = tdm_sim_alloc(t, simc);
	for (le = t->spans.head; !err && le; le = le->next) {
		struct tdm_span *sp = le->data;

		err = sp->be->span_start(sp);
		if (err)
			LOGE("span %u: cannot start: %s", sp->num,
			     strerror(-err));
		sp->started = !err;
	}
	if (err) {
		mem_deref(t);
		return err;
	}
	*tp = t;
	return 0;
}

void tdm_listen(struct tdm *t, tdm_ev_h *evh, tdm_audio_h *auh, void *arg)
{
	t->evh = evh;
	t->auh = auh;
	t->arg = arg;
}

struct tdm_chan *tdm_chan_find(struct tdm *t, unsigned num)
{
	for (struct le *le = t->spans.head; le; le = le->next) {
		struct tdm_span *sp = le->data;

		for (unsigned i = 0; i < sp->nch; i++)
			if (sp->ch[i].num == num && sp->ch[i].dsp)
				return &sp->ch[i];
	}
	return NULL;
}

static bool chan_free(const struct tdm_chan *ch)
{
	return ch->st == TDM_CH_IDLE;
}

int tdm_seize(struct tdm *t, unsigned group, enum tdm_hunt hunt,
	      tdm_ev_h *evh, tdm_audio_h *auh, void *arg,
	      struct tdm_chan **chp)
{
	struct tdm_group *gr;
	struct tdm_chan *pick = NULL;
	unsigned at = 0;

	if (group > TDM_GROUP_MAX || !t->groups[group].n)
		return -ENOENT;
	gr = &t->groups[group];
	for (unsigned k = 0; k < gr->n; k++) {
		unsigned i;

		switch (hunt) {
		case TDM_HUNT_DESC:
			i = gr->n - 1 - k;
			break;
		case TDM_HUNT_RR:
			i = (gr->rr + k) % gr->n;
			break;
		default:
			i = k;
			break;
		}
		if (!chan_free(gr->ch[i]))
			continue;
		if (hunt == TDM_HUNT_LRU) {
			if (!pick || gr->ch[i]->released_seq <
					     pick->released_seq) {
				pick = gr->ch[i];
				at = i;
			}
			continue;
		}
		pick = gr->ch[i];
		at = i;
		break;
	}
	if (!pick)
		return -EBUSY;
	gr->rr = (at + 1) % gr->n;
	pick->st = TDM_CH_SEIZED;
	pick->outgoing = true;
	memset(&pick->setup, 0, sizeof(pick->setup));
	tdm_chan_bind(pick, evh, auh, arg);
	*chp = pick;
	return 0;
}

/* A channel's DSP with its span's current settings; on failure the old
 * one stays. */
void tdm_chan_dsp_refresh(struct tdm_chan *ch)
{
	struct tdm_dsp *d;

	ch->dsp_stale = false;
	if (tdm_dsp_alloc(&d, &ch->span->dsp, tdm_chan_dsp_ev, ch)) {
		LOGW("chan %u: new DSP settings not applied", ch->num);
		return;
	}
	mem_deref(ch->dsp);
	ch->dsp = d;
}

int tdm_reconfigure(struct tdm *t, const struct conf *conf)
{
	const struct tdm_conf *tc = conf_get(conf, "tdm");
	int err = tdm_sim_reconf(t->sim, conf_get(conf, "sim"));

	for (struct le *le = t->spans.head; le; le = le->next) {
		struct tdm_span *sp = le->data;
		const struct tdm_span_conf *sc = NULL;
		const struct tdm_dsp_zone *zone;
		struct tdm_dsp_params p;

		while ((sc = conf_next(conf, "span", sc)))
			if (strtoul(conf_label(sc), NULL, 10) == sp->num)
				break;
		if (!sc) {
			LOGW("span %u: removed from the config; it stays "
			     "until a restart", sp->num);
			continue;
		}
		zone = tdm_dsp_zone_find(*sc->tone_zone ? sc->tone_zone :
							  tc->tone_zone);
		if (!zone || span_dsp_params(sc, zone, &p)) {
			err = -EINVAL;
			continue;
		}
		sp->zone = zone;
		sp->dsp = p;
		/* busy channels keep their DSP until the call ends */
		for (unsigned i = 0; i < sp->nch; i++) {
			sp->ch[i].dsp_stale = true;
			if (sp->ch[i].st == TDM_CH_IDLE)
				tdm_chan_dsp_refresh(&sp->ch[i]);
		}
	}
	return err;
}
