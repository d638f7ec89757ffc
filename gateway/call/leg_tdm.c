// SPDX-License-Identifier: GPL-2.0
/* The TDM call leg: a channel's events and audio as call_leg events, the
 * leg's commands as tdm_ calls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "call-tdm"
#include "../base/log.h"
#include "../base/mem.h"
/* the span number and groups of a channel are only in the TDM core's
 * structs so far: read there, in this file alone */
#include "../../tdm/core.h"
#include "../../tdm/tdm.h"
#include "leg_tdm.h"

_Static_assert((int)CALL_HUNT_ASC == (int)TDM_HUNT_ASC &&
		       (int)CALL_HUNT_DESC == (int)TDM_HUNT_DESC &&
		       (int)CALL_HUNT_RR == (int)TDM_HUNT_RR &&
		       (int)CALL_HUNT_LRU == (int)TDM_HUNT_LRU,
	       "route hunting and TDM hunting must agree");

struct leg_tdm {
	struct call_leg leg; /* first: a struct call_leg * is a leg_tdm * */
	struct tdm *tdm;     /* borrowed */
	struct tdm_chan *ch; /* borrowed while bound, else NULL */
	unsigned group;
	enum call_hunt hunt;
	bool ringback; /* we play local ringback to the caller */
};

static const struct call_leg_ops leg_tdm_ops;

static struct leg_tdm *to_lt(struct call_leg *leg)
{
	return (struct leg_tdm *)leg;
}

static void leg_destroy(void *arg)
{
	struct leg_tdm *lt = arg;

	/* a leg dropped without release() must not leave a line off hook */
	if (lt->ch)
		tdm_release(lt->ch, TDM_CAUSE_NORMAL);
}

static void set_name(struct leg_tdm *lt)
{
	unsigned num = tdm_chan_num(lt->ch);

	snprintf(lt->leg.id, sizeof(lt->leg.id), "chan %u", num);
	snprintf(lt->leg.name, sizeof(lt->leg.name), "span:%u/chan:%u",
		 lt->ch->span->num, num);
}

static void tdm_ev(struct tdm_chan *ch, const struct tdm_ev *tev, void *arg)
{
	struct leg_tdm *lt = arg;
	struct call_leg_ev ev = { 0 };

	(void)ch;
	switch (tev->type) {
	case TDM_EV_PROGRESS:
		ev.type = CALL_LEG_PROGRESS;
		ev.inband = tev->inband;
		break;
	case TDM_EV_ALERTING:
		ev.type = CALL_LEG_ALERTING;
		ev.inband = tev->inband;
		break;
	case TDM_EV_ANSWER:
		ev.type = CALL_LEG_ANSWER;
		break;
	case TDM_EV_RELEASE:
		/* the channel is idle and unbound already */
		lt->ch = NULL;
		ev.type = CALL_LEG_RELEASE;
		ev.cause = tev->cause;
		break;
	case TDM_EV_DIGIT:
		ev.type = CALL_LEG_DIGIT;
		ev.digit = tev->digit;
		break;
	case TDM_EV_FAX:
		LOGI_ID(lt->leg.id, "fax tone %s heard",
			tdm_dsp_det_name(tev->det));
		return;
	default:
		return;
	}
	mem_ref(lt);
	call_leg_emit(&lt->leg, &ev);
	mem_deref(lt);
}

static void tdm_audio(struct tdm_chan *ch, const int16_t *frame, void *arg)
{
	struct leg_tdm *lt = arg;

	(void)ch;
	if (!lt->leg.auh)
		return;
	mem_ref(lt);
	lt->leg.auh(&lt->leg, frame, lt->leg.arg);
	mem_deref(lt);
}

static struct leg_tdm *leg_alloc(void)
{
	struct leg_tdm *lt = mem_zalloc(sizeof(*lt), leg_destroy);

	if (!lt)
		return NULL;
	lt->leg.ops = &leg_tdm_ops;
	lt->leg.clock = true;
	return lt;
}

/* Q.931 type of number and numbering plan codes (ISDN; 0 elsewhere) as
 * the call layer's, whose values are Q.931's: unknown for the codes it
 * does not use. */
static void plan_from(struct call_number *n, unsigned ton, unsigned npi)
{
	switch (ton) {
	case CALL_TON_NATIONAL:
	case CALL_TON_NETWORK:
	case CALL_TON_SUBSCRIBER:
	case CALL_TON_ABBREVIATED:
		n->ton = (enum call_ton)ton;
		break;
	default:
		n->ton = CALL_TON_UNKNOWN;
	}
	switch (npi) {
	case CALL_NPI_E164:
	case CALL_NPI_NATIONAL:
	case CALL_NPI_PRIVATE:
		n->npi = (enum call_npi)npi;
		break;
	default:
		n->npi = CALL_NPI_UNKNOWN;
	}
}

/* A TDM number into a party: '+' means international, else the type of
 * number and plan the line gave (ISDN); the rest is left to the route
 * and the far leg. */
static void party_from(struct call_party *p, const char *num,
		       const char *name, enum tdm_pres pres, unsigned ton,
		       unsigned npi)
{
	memset(p, 0, sizeof(*p));
	plan_from(&p->num, ton, npi);
	if (num[0] == '+') {
		p->num.ton = CALL_TON_INTERNATIONAL;
		p->num.npi = CALL_NPI_E164;
		num++;
	}
	snprintf(p->num.digits, sizeof(p->num.digits), "%s", num);
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	p->pres = pres == TDM_PRES_RESTRICTED	 ? CALL_PRES_RESTRICTED :
		  pres == TDM_PRES_UNAVAILABLE ? CALL_PRES_UNAVAILABLE :
						   CALL_PRES_ALLOWED;
	p->screen = CALL_SCREEN_NETWORK;
}

int call_leg_tdm_in(struct call_leg **legp, struct tdm_chan *ch,
		    const struct tdm_setup *ts, struct call_leg_setup *s)
{
	struct leg_tdm *lt = leg_alloc();

	if (!lt)
		return -ENOMEM;
	lt->ch = ch;
	set_name(lt);
	memset(s, 0, sizeof(*s));
	party_from(&s->called, ts->called, NULL, TDM_PRES_ALLOWED,
		   ts->called_ton, ts->called_npi);
	party_from(&s->calling, ts->calling, ts->calling_name, ts->pres,
		   ts->calling_ton, ts->calling_npi);
	if (ch->ngroups)
		snprintf(s->ingress, sizeof(s->ingress), "span:%u,group:%u",
			 ch->span->num, ch->groups[0]);
	else
		snprintf(s->ingress, sizeof(s->ingress), "span:%u",
			 ch->span->num);
	tdm_chan_bind(ch, tdm_ev, tdm_audio, lt);
	*legp = &lt->leg;
	return 0;
}

int call_leg_tdm_out(struct call_leg **legp, struct tdm *t, unsigned group,
		     enum call_hunt hunt)
{
	struct leg_tdm *lt;

	if (!t)
		return -EINVAL;
	lt = leg_alloc();
	if (!lt)
		return -ENOMEM;
	lt->tdm = t;
	lt->group = group;
	lt->hunt = hunt;
	snprintf(lt->leg.name, sizeof(lt->leg.name), "group:%u", group);
	*legp = &lt->leg;
	return 0;
}

bool call_leg_is_tdm(const struct call_leg *leg)
{
	return leg && leg->ops == &leg_tdm_ops;
}

struct tdm_chan *call_leg_tdm_chan(const struct call_leg *leg)
{
	return call_leg_is_tdm(leg) ? ((const struct leg_tdm *)leg)->ch : NULL;
}

/* A party's number as the TDM layer takes it: '+' for international. */
static int number_out(char *out, size_t n, const struct call_party *p)
{
	int len = snprintf(out, n, "%s%s",
			   p->num.ton == CALL_TON_INTERNATIONAL ? "+" : "",
			   p->num.digits);

	return len < 0 || (size_t)len >= n ? -EINVAL : 0;
}

static int op_dial(struct call_leg *leg, const struct call_leg_setup *s)
{
	struct leg_tdm *lt = to_lt(leg);
	struct tdm_setup ts = { 0 };
	int err;

	if (lt->ch || !lt->tdm)
		return -EPROTO;
	err = number_out(ts.called, sizeof(ts.called), &s->called);
	if (!err && s->calling.num.digits[0])
		err = number_out(ts.calling, sizeof(ts.calling), &s->calling);
	if (err)
		return err;
	/* '+' already says international; ISDN sends the others' codes */
	ts.called_ton = (uint8_t)s->called.num.ton;
	ts.called_npi = (uint8_t)s->called.num.npi;
	ts.calling_ton = (uint8_t)s->calling.num.ton;
	ts.calling_npi = (uint8_t)s->calling.num.npi;
	/* a longer name is cut: the line's caller ID has no more room */
	snprintf(ts.calling_name, sizeof(ts.calling_name), "%.*s",
		 (int)sizeof(ts.calling_name) - 1, s->calling.name);
	ts.pres = s->calling.pres == CALL_PRES_RESTRICTED ?
			  TDM_PRES_RESTRICTED :
		  s->calling.pres == CALL_PRES_UNAVAILABLE ?
			  TDM_PRES_UNAVAILABLE :
			  TDM_PRES_ALLOWED;
	/* the route's hunting names map one to one onto the TDM layer's */
	err = tdm_seize(lt->tdm, lt->group, (enum tdm_hunt)lt->hunt, tdm_ev,
			tdm_audio, lt, &lt->ch);
	if (err)
		return err;
	set_name(lt);
	err = tdm_dial(lt->ch, &ts);
	if (err) {
		tdm_release(lt->ch, TDM_CAUSE_NORMAL);
		lt->ch = NULL;
	}
	return err;
}

static void ringback_stop(struct leg_tdm *lt)
{
	if (lt->ringback && lt->ch)
		tdm_tone_stop(lt->ch);
	lt->ringback = false;
}

static int op_progress(struct call_leg *leg, bool inband)
{
	struct leg_tdm *lt = to_lt(leg);

	if (!lt->ch)
		return -EPROTO;
	if (inband)
		ringback_stop(lt);
	return tdm_progress(lt->ch, inband);
}

static int op_alerting(struct call_leg *leg, bool inband)
{
	struct leg_tdm *lt = to_lt(leg);
	int err;

	if (!lt->ch)
		return -EPROTO;
	err = tdm_alerting(lt->ch);
	if (err)
		return err;
	if (inband) {
		ringback_stop(lt);
		return 0;
	}
	/* nobody else sends ringback: a caller on an analog line would hear
	 * nothing, so the gateway plays it (the B-channel carries it on
	 * ISDN, where the caller's network may also give its own) */
	if (!lt->ringback && !tdm_tone(lt->ch, TDM_TONE_RINGBACK))
		lt->ringback = true;
	return 0;
}

static int op_answer(struct call_leg *leg)
{
	struct leg_tdm *lt = to_lt(leg);

	if (!lt->ch)
		return -EPROTO;
	ringback_stop(lt);
	return tdm_answer(lt->ch);
}

static void op_release(struct call_leg *leg, int cause)
{
	struct leg_tdm *lt = to_lt(leg);

	if (!lt->ch)
		return;
	if (cause < 1 || cause > 127)
		cause = TDM_CAUSE_NORMAL;
	tdm_release(lt->ch, cause);
	lt->ch = NULL;
	lt->ringback = false;
}

static int op_digit(struct call_leg *leg, char digit)
{
	struct leg_tdm *lt = to_lt(leg);
	char d[2] = { digit, '\0' };

	if (!lt->ch)
		return -EPROTO;
	return tdm_digits(lt->ch, d);
}

static int op_audio_put(struct call_leg *leg, const int16_t *frame)
{
	struct leg_tdm *lt = to_lt(leg);

	if (!lt->ch)
		return -EPROTO;
	return tdm_write(lt->ch, frame);
}

/* A clocked leg pushes its audio; nobody pulls it. */
static int op_audio_get(struct call_leg *leg, int16_t *frame)
{
	(void)leg;
	(void)frame;
	return -EOPNOTSUPP;
}

static struct media_stream *op_stream(struct call_leg *leg)
{
	(void)leg;
	return NULL;
}

static void op_stats(struct call_leg *leg, struct call_leg_stats *st)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->peer, sizeof(st->peer), "%.*s", (int)sizeof(st->peer) - 1,
		 leg->id);
}

static const struct call_leg_ops leg_tdm_ops = {
	.kind = "tdm",
	.dial = op_dial,
	.progress = op_progress,
	.alerting = op_alerting,
	.answer = op_answer,
	.release = op_release,
	.digit = op_digit,
	.audio_put = op_audio_put,
	.audio_get = op_audio_get,
	.stream = op_stream,
	.stats = op_stats,
};
