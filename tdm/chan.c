// SPDX-License-Identifier: GPL-2.0
/*
 * A channel: its call state, the commands of the call layer, and the two
 * entry points of the backend (a 20 ms frame, a line event).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "tdm"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "core.h"

static const char *const st_names[] = {
	[TDM_CH_IDLE] = "idle",		[TDM_CH_SEIZED] = "seized",
	[TDM_CH_DIALING] = "dialing",	[TDM_CH_PROGRESS] = "progress",
	[TDM_CH_ALERTING] = "alerting", [TDM_CH_INCOMING] = "incoming",
	[TDM_CH_UP] = "up",		[TDM_CH_OOS] = "out-of-service",
};

const char *tdm_chan_state_name(const struct tdm_chan *ch)
{
	return st_names[ch->st];
}

unsigned tdm_chan_num(const struct tdm_chan *ch)
{
	return ch->num;
}

bool tdm_chan_ec_stats(const struct tdm_chan *ch, struct tdm_dsp_ec_stats *st)
{
	return tdm_dsp_ec_get(ch->dsp, st);
}

const char *tdm_cause_str(int cause)
{
	static char buf[16];

	switch (cause) {
	case 1:
		return "unallocated number";
	case 16:
		return "normal clearing";
	case 17:
		return "user busy";
	case 18:
		return "no user responding";
	case 19:
		return "no answer";
	case 21:
		return "call rejected";
	case 27:
		return "destination out of order";
	case 31:
		return "normal, unspecified";
	case 34:
		return "no circuit available";
	case 41:
		return "temporary failure";
	}
	snprintf(buf, sizeof(buf), "cause %d", cause);
	return buf;
}

void tdm_chan_bind(struct tdm_chan *ch, tdm_ev_h *evh, tdm_audio_h *auh,
		   void *arg)
{
	ch->evh = evh;
	ch->auh = auh;
	ch->arg = arg;
}

/* Back to idle: generators stop, detectors rearm, the binding goes. */
static void chan_idle(struct tdm_chan *ch, int cause)
{
	struct tdm *t = ch->span->tdm;

	ch->st = TDM_CH_IDLE;
	ch->last_cause = cause;
	ch->released_seq = ++t->seq;
	ch->txq_len = 0;
	ch->txq_head = 0;
	tdm_dsp_reset(ch->dsp);
	if (ch->dsp_stale)
		tdm_chan_dsp_refresh(ch);
	tdm_chan_bind(ch, NULL, NULL, NULL);
}

static void chan_emit(struct tdm_chan *ch, const struct tdm_ev *ev)
{
	if (ch->evh)
		ch->evh(ch, ev, ch->arg);
}

static bool valid_number(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	return n < max && strspn(s, "0123456789*#+") == n;
}

int tdm_dial(struct tdm_chan *ch, const struct tdm_setup *setup)
{
	int err;

	if (ch->st != TDM_CH_SEIZED)
		return -EPROTO;
	if (!setup || !setup->called[0] ||
	    !valid_number(setup->called, sizeof(setup->called)) ||
	    !valid_number(setup->calling, sizeof(setup->calling)) ||
	    !memchr(setup->calling_name, '\0', sizeof(setup->calling_name)))
		return -EINVAL;
	ch->setup = *setup;
	ch->st = TDM_CH_DIALING;
	ch->calls++;
	LOGD_ID(NULL, "chan %u: dial %s from %s", ch->num, setup->called,
		setup->calling);
	err = ch->span->be->dial(ch, setup);
	if (err)
		ch->st = TDM_CH_SEIZED;
	return err;
}

int tdm_alerting(struct tdm_chan *ch)
{
	if (ch->st != TDM_CH_INCOMING)
		return -EPROTO;
	return ch->span->be->alerting(ch);
}

int tdm_progress(struct tdm_chan *ch, bool inband)
{
	if (ch->st != TDM_CH_INCOMING)
		return -EPROTO;
	return ch->span->be->progress(ch, inband);
}

int tdm_answer(struct tdm_chan *ch)
{
	int err;

	if (ch->st != TDM_CH_INCOMING)
		return -EPROTO;
	err = ch->span->be->answer(ch);
	if (!err)
		ch->st = TDM_CH_UP;
	return err;
}

int tdm_release(struct tdm_chan *ch, int cause)
{
	bool line_busy;

	if (cause < 1 || cause > 127)
		return -EINVAL;
	if (ch->st == TDM_CH_IDLE || ch->st == TDM_CH_OOS)
		return -EPROTO;
	line_busy = ch->st != TDM_CH_SEIZED;
	chan_idle(ch, cause);
	if (line_busy)
		ch->span->be->release(ch, cause);
	return 0;
}

int tdm_tone(struct tdm_chan *ch, enum tdm_tone tone)
{
	return tdm_dsp_tone(ch->dsp, tone);
}

void tdm_tone_stop(struct tdm_chan *ch)
{
	tdm_dsp_tone_stop(ch->dsp);
}

int tdm_digits(struct tdm_chan *ch, const char *digits)
{
	if (ch->st == TDM_CH_IDLE || ch->st == TDM_CH_OOS)
		return -EPROTO;
	return tdm_dsp_digits(ch->dsp, digits);
}

int tdm_write(struct tdm_chan *ch, const int16_t *frame)
{
	unsigned tail;

	if (ch->st == TDM_CH_IDLE || ch->st == TDM_CH_OOS)
		return -EPROTO;
	if (ch->txq_len == TDM_TXQ) {
		ch->txq_head = (ch->txq_head + 1) % TDM_TXQ;
		ch->txq_len--;
		ch->txq_drops++;
	}
	tail = (ch->txq_head + ch->txq_len) % TDM_TXQ;
	memcpy(ch->txq[tail], frame, sizeof(ch->txq[tail]));
	ch->txq_len++;
	return 0;
}

void tdm_chan_frame(struct tdm_chan *ch, int16_t *rx, int16_t *tx)
{
	struct tdm_dsp *dsp = ch->dsp;

	if (ch->st == TDM_CH_OOS) {
		memset(tx, 0, TDM_FRAME_SAMPLES * sizeof(*tx));
		return;
	}
	/* a handler below may release the channel: keep its DSP alive */
	mem_ref(dsp);
	tdm_dsp_rx(dsp, rx);
	ch->frames_rx++;
	if (ch->auh && ch->st != TDM_CH_IDLE && ch->st != TDM_CH_SEIZED)
		ch->auh(ch, rx, ch->arg);
	if (ch->txq_len) {
		memcpy(tx, ch->txq[ch->txq_head],
		       TDM_FRAME_SAMPLES * sizeof(*tx));
		ch->txq_head = (ch->txq_head + 1) % TDM_TXQ;
		ch->txq_len--;
	} else {
		memset(tx, 0, TDM_FRAME_SAMPLES * sizeof(*tx));
	}
	tdm_dsp_tx(dsp, tx);
	ch->frames_tx++;
	mem_deref(dsp);
}

/* DSP detections: digits and fax go up; a busy or reorder tone on a line
 * to an exchange is the only sign some exchanges give of the far end
 * hanging up, so it releases the call. */
void tdm_chan_dsp_ev(const struct tdm_dsp_ev *dev, void *arg)
{
	struct tdm_chan *ch = arg;
	struct tdm_ev ev = { 0 };
	tdm_ev_h *evh;
	void *harg;

	if (ch->st == TDM_CH_IDLE || ch->st == TDM_CH_OOS)
		return;
	switch (dev->type) {
	case TDM_DSP_EV_DIGIT:
		ev.type = TDM_EV_DIGIT;
		ev.digit = dev->digit;
		chan_emit(ch, &ev);
		break;
	case TDM_DSP_EV_DETECT:
		if (dev->det == TDM_DSP_DET_CNG || dev->det == TDM_DSP_DET_CED) {
			ev.type = TDM_EV_FAX;
			ev.det = dev->det;
			chan_emit(ch, &ev);
			break;
		}
		LOGI("chan %u: %s tone: disconnect", ch->num,
		     tdm_dsp_det_name(dev->det));
		ev.type = TDM_EV_RELEASE;
		ev.cause = TDM_CAUSE_NORMAL;
		evh = ch->evh;
		harg = ch->arg;
		chan_idle(ch, TDM_CAUSE_NORMAL);
		ch->span->be->release(ch, TDM_CAUSE_NORMAL);
		if (evh)
			evh(ch, &ev, harg);
		break;
	case TDM_DSP_EV_CID:
		/* caller ID between rings is the FXO signalling's business
		 * (it fills the setup); nothing to do on a live call */
		break;
	}
}

void tdm_chan_signal(struct tdm_chan *ch, const struct tdm_ev *ev)
{
	struct tdm *t = ch->span->tdm;
	struct tdm_ev e = *ev;

	switch (ev->type) {
	case TDM_EV_SETUP:
		if (ch->st != TDM_CH_IDLE || !ev->setup)
			return;
		ch->st = TDM_CH_INCOMING;
		ch->outgoing = false;
		ch->setup = *ev->setup;
		ch->calls++;
		e.setup = &ch->setup;
		if (!t->evh) {
			LOGN("chan %u: incoming call to %s: no listener",
			     ch->num, ch->setup.called);
			chan_idle(ch, TDM_CAUSE_REJECTED);
			ch->span->be->release(ch, TDM_CAUSE_REJECTED);
			return;
		}
		tdm_chan_bind(ch, t->evh, t->auh, t->arg);
		break;
	case TDM_EV_PROGRESS:
		if (ch->st != TDM_CH_DIALING && ch->st != TDM_CH_ALERTING)
			return;
		ch->st = TDM_CH_PROGRESS;
		break;
	case TDM_EV_ALERTING:
		if (ch->st != TDM_CH_DIALING && ch->st != TDM_CH_PROGRESS)
			return;
		ch->st = TDM_CH_ALERTING;
		break;
	case TDM_EV_ANSWER:
		if (ch->st != TDM_CH_DIALING && ch->st != TDM_CH_PROGRESS &&
		    ch->st != TDM_CH_ALERTING)
			return;
		ch->st = TDM_CH_UP;
		break;
	case TDM_EV_RELEASE: {
		tdm_ev_h *evh = ch->evh;
		void *arg = ch->arg;

		if (ch->st == TDM_CH_IDLE || ch->st == TDM_CH_OOS)
			return;
		/* idle first, so the handler may seize this channel again */
		chan_idle(ch, ev->cause);
		if (evh)
			evh(ch, &e, arg);
		return;
	}
	default:
		break;
	}
	chan_emit(ch, &e);
}

void tdm_chan_set_oos(struct tdm_chan *ch, bool oos)
{
	struct tdm_ev ev = { .type = TDM_EV_RELEASE,
			     .cause = TDM_CAUSE_OUT_OF_ORDER };

	if (oos && ch->st != TDM_CH_OOS) {
		tdm_chan_signal(ch, &ev);
		ch->st = TDM_CH_OOS;
	} else if (!oos && ch->st == TDM_CH_OOS) {
		ch->st = TDM_CH_IDLE;
	}
}
