// SPDX-License-Identifier: GPL-2.0
/*
 * The sim backend: in-process lines clocked every 20 ms like a DAHDI
 * channel, and at their far end a small PSTN switch that answers each
 * dialled number by a script ([sim] number = NUMBER BEHAVIOUR [MS]):
 *
 *   echo        alerting, answer after MS (answer_delay), echoes audio
 *   busy        release, cause 17
 *   noanswer    alerting, never answers
 *   early       progress with in-band ringback, answer after MS, echoes
 *   tone        alerting, answer after MS, sends 1004 Hz at -10 dBm0
 *   unallocated release, cause 1
 *   congestion  release, cause 34
 *
 * The first answer (alerting, progress or release) comes alert_delay
 * after dialling. Simulated phones can also call in (tdm_sim_call).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "tdm-sim"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "core.h"
#include "sim.h"

/* The test tone: 1004 Hz avoids being a sub-multiple of 8000 Hz, so it
 * exercises every G.711 code (ITU-T O.133); -10 dBm0 is safely clear of
 * clipping after any gain. */
#define SIM_TONE_HZ 1004
#define SIM_TONE_DBM0 -10

struct sim_rule {
	char number[TDM_NUMBER_MAX];
	int beh;
	unsigned param;
};

struct tdm_sim {
	struct tdm *tdm; /* borrowed: owns us */
	struct sim_rule *rules;
	size_t nrules;
	int dflt;
	uint64_t alert_ms, answer_ms;
	struct tmr clock;
	uint64_t next_due;
	unsigned nspans; /* sim spans started */
};

enum fe_audio { FE_SILENCE = 0, FE_ECHO, FE_GEN };

/* The far end of one sim line. */
struct sim_line {
	struct tdm_sim *sim; /* borrowed */
	struct tdm_chan *ch; /* borrowed */
	bool active;
	int beh;
	unsigned param;
	int stage;
	struct tmr t;
	enum fe_audio audio;
	struct tdm_dsp_tonegen *gen; /* owned, for FE_GEN */
	int16_t heard[TDM_FRAME_SAMPLES]; /* last frame the gateway sent */
	struct tdm_setup dialled;	  /* the last call placed here */
	bool has_dialled;
};

static void sim_destroy(void *data)
{
	struct tdm_sim *s = data;

	tmr_cancel(&s->clock);
	free(s->rules);
}

/* The demo numbers, when [sim] lists none. */
static const char *const demo_rules[] = {
	"600 echo",	    "601 busy", "602 noanswer", "603 early 5000",
	"604 tone",	    "605 unallocated", "606 congestion",
};

int tdm_sim_reconf(struct tdm_sim *s, const struct tdm_sim_conf *sc)
{
	const char *const *v = (const char *const *)sc->number.v;
	size_t n = sc->number.n, nr = 0;
	struct sim_rule *rules;

	if (!n) {
		v = demo_rules;
		n = sizeof(demo_rules) / sizeof(demo_rules[0]);
	}
	rules = calloc(n, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct sim_rule *r = &rules[nr];

		/* the keyword's check already accepted every line */
		if (!tdm_conf_sim_rule(v[i], r->number, sizeof(r->number),
				       &r->beh, &r->param))
			nr++;
	}
	free(s->rules);
	s->rules = rules;
	s->nrules = nr;
	s->dflt = sc->dflt;
	s->alert_ms = sc->alert_delay;
	s->answer_ms = sc->answer_delay;
	return 0;
}

int tdm_sim_alloc(struct tdm *t, const struct tdm_sim_conf *sc)
{
	struct tdm_sim *s = mem_zalloc(sizeof(*s), sim_destroy);
	int err;

	if (!s)
		return -ENOMEM;
	tmr_init(&s->clock);
	s->tdm = t;
	err = tdm_sim_reconf(s, sc);
	if (err) {
		mem_deref(s);
		return err;
	}
	t->sim = s;
	return 0;
}

static const struct sim_rule *sim_lookup(const struct tdm_sim *s,
					 const char *number)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (!strcmp(s->rules[i].number, number))
			return &s->rules[i];
	return NULL;
}

static void line_reset(struct sim_line *l)
{
	tmr_cancel(&l->t);
	l->gen = mem_deref(l->gen);
	l->active = false;
	l->audio = FE_SILENCE;
	l->stage = 0;
	memset(l->heard, 0, sizeof(l->heard));
}

static void line_signal(struct sim_line *l, enum tdm_ev_type type, int cause,
			bool inband)
{
	struct tdm_ev ev = { .type = type, .cause = cause, .inband = inband };

	if (type == TDM_EV_RELEASE)
		line_reset(l);
	tdm_chan_signal(l->ch, &ev);
}

static int line_gen(struct sim_line *l, const struct tdm_dsp_tone_def *d)
{
	l->gen = mem_deref(l->gen);
	l->audio = FE_GEN;
	return tdm_dsp_tonegen_alloc_def(&l->gen, d);
}

static void line_step(void *arg);

static void line_later(struct sim_line *l, uint64_t ms)
{
	tmr_start(l->sim->tdm->loop, &l->t, ms, line_step, l);
}

/* The switch's script, one stage per timer. */
static void line_step(void *arg)
{
	static const struct tdm_dsp_tone_def tone = { SIM_TONE_HZ, 0,
						      SIM_TONE_DBM0, { 0 } };
	struct sim_line *l = arg;
	const struct tdm_dsp_zone *z = l->ch->span->zone;
	uint64_t answer = l->param ? l->param : l->sim->answer_ms;
	int stage = l->stage++;

	switch (l->beh) {
	case TDM_SIM_BUSY:
		line_signal(l, TDM_EV_RELEASE, TDM_CAUSE_BUSY, false);
		return;
	case TDM_SIM_UNALLOCATED:
		line_signal(l, TDM_EV_RELEASE, TDM_CAUSE_UNALLOCATED, false);
		return;
	case TDM_SIM_CONGESTION:
		line_signal(l, TDM_EV_RELEASE, TDM_CAUSE_NO_CIRCUIT, false);
		return;
	case TDM_SIM_NOANSWER:
		line_signal(l, TDM_EV_ALERTING, 0, false);
		return;
	case TDM_SIM_EARLY:
		if (stage == 0) {
			if (line_gen(l, &z->tone[TDM_TONE_RINGBACK]))
				l->audio = FE_SILENCE;
			line_later(l, answer);
			line_signal(l, TDM_EV_PROGRESS, 0, true);
			return;
		}
		l->gen = mem_deref(l->gen);
		l->audio = FE_ECHO;
		line_signal(l, TDM_EV_ANSWER, 0, false);
		return;
	case TDM_SIM_ECHO:
	case TDM_SIM_TONE:
		if (stage == 0) {
			line_later(l, answer);
			line_signal(l, TDM_EV_ALERTING, 0, false);
			return;
		}
		if (l->beh == TDM_SIM_ECHO)
			l->audio = FE_ECHO;
		else if (line_gen(l, &tone))
			l->audio = FE_SILENCE;
		line_signal(l, TDM_EV_ANSWER, 0, false);
		return;
	}
}

static int sim_dial(struct tdm_chan *ch, const struct tdm_setup *s)
{
	struct sim_line *l = ch->bpriv;
	const struct sim_rule *r = sim_lookup(l->sim, s->called);

	line_reset(l);
	l->dialled = *s;
	l->has_dialled = true;
	l->active = true;
	l->beh = r ? r->beh : l->sim->dflt;
	l->param = r ? r->param : 0;
	LOGD("chan %u: %s -> %s", ch->num, s->called,
	     tdm_sim_beh_name(l->beh));
	line_later(l, l->sim->alert_ms);
	return 0;
}

static int sim_nop(struct tdm_chan *ch)
{
	(void)ch;
	return 0;
}

static int sim_progress(struct tdm_chan *ch, bool inband)
{
	(void)ch;
	(void)inband;
	return 0;
}

static int sim_answer(struct tdm_chan *ch)
{
	struct sim_line *l = ch->bpriv;

	/* the calling phone talks back with what it hears */
	l->audio = FE_ECHO;
	return 0;
}

static void sim_release(struct tdm_chan *ch, int cause)
{
	(void)cause;
	line_reset(ch->bpriv);
}

static void line_frame(struct sim_line *l)
{
	int16_t rx[TDM_FRAME_SAMPLES], tx[TDM_FRAME_SAMPLES];

	switch (l->audio) {
	case FE_ECHO:
		memcpy(rx, l->heard, sizeof(rx));
		break;
	case FE_GEN:
		tdm_dsp_tonegen_fill(l->gen, rx, TDM_FRAME_SAMPLES);
		break;
	default:
		memset(rx, 0, sizeof(rx));
		break;
	}
	tdm_chan_frame(l->ch, rx, tx);
	memcpy(l->heard, tx, sizeof(tx));
}

static void sim_tick(void *arg)
{
	struct tdm_sim *s = arg;
	uint64_t now = loop_now_ms();

	/* absolute deadlines keep 50 frames a second on average; after a
	 * stall, skip ahead rather than burst frames to catch up */
	s->next_due += TDM_FRAME_MS;
	if (s->next_due + 10 * TDM_FRAME_MS < now)
		s->next_due = now + TDM_FRAME_MS;
	tmr_start(s->tdm->loop, &s->clock,
		  s->next_due > now ? s->next_due - now : 0, sim_tick, s);
	for (struct le *le = s->tdm->spans.head; le; le = le->next) {
		struct tdm_span *sp = le->data;

		if (sp->be != &tdm_backend_sim || !sp->started)
			continue;
		for (unsigned i = 0; i < sp->nch; i++) {
			struct tdm_chan *ch = &sp->ch[i];

			if (ch->st != TDM_CH_IDLE && ch->st != TDM_CH_SEIZED &&
			    ch->st != TDM_CH_OOS)
				line_frame(ch->bpriv);
		}
	}
}

static int sim_span_start(struct tdm_span *sp)
{
	struct tdm_sim *s = sp->tdm->sim;
	struct sim_line *lines = calloc(sp->nch, sizeof(*lines));

	if (!lines)
		return -ENOMEM;
	for (unsigned i = 0; i < sp->nch; i++) {
		lines[i].sim = s;
		lines[i].ch = &sp->ch[i];
		tmr_init(&lines[i].t);
		sp->ch[i].bpriv = &lines[i];
	}
	sp->bpriv = lines;
	if (!s->nspans++) {
		s->next_due = loop_now_ms();
		sim_tick(s);
	}
	LOGD("span %u: %u sim channels", sp->num, sp->nch);
	return 0;
}

static void sim_span_stop(struct tdm_span *sp)
{
	struct sim_line *lines = sp->bpriv;
	struct tdm_sim *s = sp->tdm->sim;

	for (unsigned i = 0; i < sp->nch; i++) {
		line_reset(&lines[i]);
		sp->ch[i].bpriv = NULL;
	}
	free(lines);
	sp->bpriv = NULL;
	if (s && !--s->nspans)
		tmr_cancel(&s->clock);
}

const struct tdm_backend tdm_backend_sim = {
	.name = "sim",
	.span_start = sim_span_start,
	.span_stop = sim_span_stop,
	.dial = sim_dial,
	.alerting = sim_nop,
	.progress = sim_progress,
	.answer = sim_answer,
	.release = sim_release,
};

static struct sim_line *sim_line_find(struct tdm *t, unsigned line)
{
	struct tdm_chan *ch = tdm_chan_find(t, line);

	if (!ch || ch->span->be != &tdm_backend_sim || !ch->bpriv)
		return NULL;
	return ch->bpriv;
}

int tdm_sim_call(struct tdm *t, unsigned line, const char *called,
		 const char *caller, enum tdm_pres pres)
{
	struct sim_line *l = sim_line_find(t, line);
	struct tdm_setup s = { .pres = pres };
	struct tdm_ev ev = { .type = TDM_EV_SETUP, .setup = &s };

	if (!l)
		return -ENOENT;
	if (!caller)
		caller = "";
	if (!called || !*called || strlen(called) >= sizeof(s.called) ||
	    strspn(called, "0123456789*#+") != strlen(called) ||
	    strlen(caller) >= sizeof(s.calling) ||
	    strspn(caller, "0123456789*#+") != strlen(caller) ||
	    (unsigned)pres > TDM_PRES_UNAVAILABLE)
		return -EINVAL;
	if (l->ch->st != TDM_CH_IDLE)
		return -EBUSY;
	strcpy(s.called, called);
	strcpy(s.calling, caller);
	if (!*caller && pres == TDM_PRES_ALLOWED)
		s.pres = TDM_PRES_UNAVAILABLE;
	line_reset(l);
	l->active = true;
	LOGI("chan %u: sim phone calls %s from %s", line, called,
	     *caller ? caller : "(none)");
	tdm_chan_signal(l->ch, &ev);
	return 0;
}

int tdm_sim_dialled(struct tdm *t, unsigned line, struct tdm_setup *out)
{
	struct sim_line *l = sim_line_find(t, line);

	if (!l)
		return -ENOENT;
	if (!l->has_dialled)
		return -ENODATA;
	*out = l->dialled;
	return 0;
}

int tdm_sim_hangup(struct tdm *t, unsigned line, int cause)
{
	struct sim_line *l = sim_line_find(t, line);

	if (!l)
		return -ENOENT;
	if (cause < 1 || cause > 127)
		return -EINVAL;
	if (l->ch->st == TDM_CH_IDLE || l->ch->st == TDM_CH_SEIZED ||
	    l->ch->st == TDM_CH_OOS)
		return -EPROTO;
	line_signal(l, TDM_EV_RELEASE, cause, false);
	return 0;
}
