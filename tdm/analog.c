// SPDX-License-Identifier: GPL-2.0
/*
 * The analog FXS/FXO state machines (see analog.h for what each side
 * does). The core only knows calls; everything before a call exists (dial
 * tone, digits, rings, caller ID between rings) and after the far end has
 * gone (reorder until the phone hangs up) lives here, with its own tone
 * generator and detectors, because the core's DSP reports nothing on an
 * idle channel.
 *
 * Detector callbacks only record what they heard: the state machine runs
 * after the feed returns, since a state change frees the detector that
 * is calling back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "tdm-analog"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "analog.h"
#include "core.h"

enum ast {
	A_IDLE = 0,
	A_DIALTONE,    /* FXS: off-hook, no digit yet */
	A_COLLECT,     /* FXS: digits so far in .digits */
	A_ORIG,	       /* FXS: the phone's call is offered to the core */
	A_RINGING,     /* FXS: we ring the phone */
	A_RING_IN,     /* FXO: the exchange rings us, no setup yet */
	A_OFFERED,     /* FXO: setup given, still ringing */
	A_RING_IGNORE, /* FXO: call refused: let the rings die out */
	A_SEIZE,       /* FXO: off-hook, waiting to dial */
	A_DIALING,     /* FXO: digits going out */
	A_WAIT_ANSWER, /* FXO: dialled, waiting for the polarity reversal */
	A_UP,
	A_LOCKOUT, /* FXS: far end gone, reorder until on-hook */
};

static const char *const ast_names[] = {
	[A_IDLE] = "idle",	       [A_DIALTONE] = "dialtone",
	[A_COLLECT] = "collect",       [A_ORIG] = "originating",
	[A_RINGING] = "ringing",       [A_RING_IN] = "ring-in",
	[A_OFFERED] = "offered",       [A_RING_IGNORE] = "ring-ignore",
	[A_SEIZE] = "seize",	       [A_DIALING] = "dialing",
	[A_WAIT_ANSWER] = "wait-answer", [A_UP] = "up",
	[A_LOCKOUT] = "lockout",
};

#define DIGQ 8

struct tdm_analog {
	struct tdm_chan *ch; /* borrowed: owns us (through the backend) */
	struct tdm_analog_params p;
	tdm_analog_hook_h *hook;
	void *arg;
	enum ast st;
	struct tmr t;  /* the state's timer */
	struct tmr cw; /* end of a call-waiting tone */
	char digits[TDM_NUMBER_MAX];
	size_t nd;
	char digq[DIGQ]; /* heard by the detector, not yet handled */
	unsigned ndigq;
	struct tdm_dsp_dtmf_rx *dtmf; /* owned while collecting */
	struct tdm_dsp_tonegen *tone; /* owned: dial tone or reorder */
	struct tdm_dsp_cid_tx *cid_tx; /* owned while sending */
	struct tdm_dsp_cid_rx *cid_rx; /* owned while listening */
	struct tdm_dsp_cid cid;	       /* to send, or as received */
	bool cid_pending;	       /* FXS: send .cid in the next silence */
	bool cid_heard;		       /* FXO: .cid was just received */
	bool ring_after_cid;	       /* FXS: ring once the burst ends */
	struct tdm_setup in;	       /* FXO: the incoming call */
	unsigned rings;
};

/* Copy @s into @d (size @n), cut short if it must be. */
static void scopy(char *d, size_t n, const char *s)
{
	size_t l = strnlen(s, n - 1);

	memcpy(d, s, l);
	d[l] = '\0';
}

static struct loop *a_loop(const struct tdm_analog *a)
{
	return a->ch->span->tdm->loop;
}

static void a_destroy(void *data)
{
	struct tdm_analog *a = data;

	tmr_cancel(&a->t);
	tmr_cancel(&a->cw);
	mem_deref(a->dtmf);
	mem_deref(a->tone);
	mem_deref(a->cid_tx);
	mem_deref(a->cid_rx);
}

void tdm_analog_defaults(struct tdm_analog_params *p, bool fxs)
{
	memset(p, 0, sizeof(*p));
	p->fxs = fxs;
	/* extensions 1xxx-8xxx, 9 + national number, 0 + anything ended by
	 * the short timer, service codes *xx, or any digits ended by '#' */
	snprintf(p->digitmap, sizeof(p->digitmap), "%s",
		 "[1-8]xxx|9xxxxxxxxxx|0x.T|*xx|x.#");
	p->first_digit_ms = 15000;
	p->interdigit_ms = 5000;
	p->short_ms = 2500;
	/* US rings are 2 s on, 4 s off; UK 0.4/0.2/0.4/2: 8 s covers both
	 * with a ring missed */
	p->ring_timeout_ms = 8000;
	p->answer_rings = 2;
	p->dial_delay_ms = 500;
	p->polarity_answer = false;
	p->cid_before_ring = false;
}

const char *tdm_analog_state_name(const struct tdm_analog *a)
{
	return ast_names[a->st];
}

static int a_hook(struct tdm_analog *a, enum tdm_analog_hook h)
{
	int err = a->hook(h, a->arg);

	if (err)
		LOGW("chan %u: hook command %d failed: %s", a->ch->num, h,
		     strerror(-err));
	return err;
}

static void a_tone(struct tdm_analog *a, enum tdm_tone tone)
{
	a->tone = mem_deref(a->tone);
	if (tdm_dsp_tonegen_alloc(&a->tone, a->ch->span->zone, tone))
		LOGW("chan %u: no %s tone", a->ch->num, tdm_tone_name(tone));
}

/* Back to idle with every generator and detector gone. */
static void a_idle(struct tdm_analog *a)
{
	tmr_cancel(&a->t);
	tmr_cancel(&a->cw);
	a->dtmf = mem_deref(a->dtmf);
	a->tone = mem_deref(a->tone);
	a->cid_tx = mem_deref(a->cid_tx);
	a->cid_rx = mem_deref(a->cid_rx);
	a->cid_pending = a->cid_heard = a->ring_after_cid = false;
	a->nd = a->ndigq = a->rings = 0;
	a->digits[0] = '\0';
	a->st = A_IDLE;
}

static void a_signal(struct tdm_analog *a, enum tdm_ev_type type, int cause)
{
	struct tdm_ev ev = { .type = type, .cause = cause };

	tdm_chan_signal(a->ch, &ev);
}

/* FXS: the far end is gone or the number is bad: reorder until the
 * phone hangs up. The loop stays powered: on DAHDI's RBS spans a
 * kewlstart loop-open here comes back at once as a false on-hook event
 * (seen on looped dynamic spans), which would end the lockout while
 * the phone is still off-hook. */
static void fxs_lockout(struct tdm_analog *a)
{
	a_idle(a);
	a->st = A_LOCKOUT;
	a_tone(a, TDM_TONE_CONGESTION);
}

static void fxs_offer(struct tdm_analog *a)
{
	struct tdm_setup s = { .pres = TDM_PRES_UNAVAILABLE };
	struct tdm_ev ev = { .type = TDM_EV_SETUP, .setup = &s };

	tmr_cancel(&a->t);
	a->dtmf = mem_deref(a->dtmf);
	a->tone = mem_deref(a->tone);
	scopy(s.called, sizeof(s.called), a->digits);
	LOGI("chan %u: phone dialled %s", a->ch->num, s.called);
	a->st = A_ORIG;
	/* a refused call comes back as tdm_analog_release: lockout */
	tdm_chan_signal(a->ch, &ev);
}

static void fxs_digit_timeout(void *arg)
{
	struct tdm_analog *a = arg;
	int m = tdm_analog_map_match(a->p.digitmap, a->digits);

	if (a->st == A_COLLECT &&
	    (m == TDM_ANALOG_TIMER || m == TDM_ANALOG_FULL)) {
		fxs_offer(a);
		return;
	}
	LOGI("chan %u: %s after \"%s\": reorder", a->ch->num,
	     a->st == A_DIALTONE ? "no digit" : "incomplete number",
	     a->digits);
	fxs_lockout(a);
}

static void fxs_digit(struct tdm_analog *a, char d)
{
	int m;

	if (a->st != A_DIALTONE && a->st != A_COLLECT)
		return;
	a->tone = mem_deref(a->tone);
	a->st = A_COLLECT;
	if (a->nd + 1 >= sizeof(a->digits)) {
		fxs_lockout(a);
		return;
	}
	a->digits[a->nd++] = d;
	a->digits[a->nd] = '\0';
	m = tdm_analog_map_match(a->p.digitmap, a->digits);
	LOGD("chan %u: digit %c, number \"%s\": match %d", a->ch->num, d,
	     a->digits, m);
	switch (m) {
	case TDM_ANALOG_FULL:
		fxs_offer(a);
		break;
	case TDM_ANALOG_TIMER:
		tmr_start(a_loop(a), &a->t, a->p.short_ms, fxs_digit_timeout,
			  a);
		break;
	case TDM_ANALOG_PARTIAL:
		tmr_start(a_loop(a), &a->t, a->p.interdigit_ms,
			  fxs_digit_timeout, a);
		break;
	default:
		fxs_lockout(a);
		break;
	}
}

static void on_dtmf(char digit, void *arg)
{
	struct tdm_analog *a = arg;

	if (a->ndigq < DIGQ)
		a->digq[a->ndigq++] = digit;
}

static void on_cid(const struct tdm_dsp_cid *cid, void *arg)
{
	struct tdm_analog *a = arg;

	a->cid = *cid;
	a->cid_heard = true;
}

static void fxs_offhook(struct tdm_analog *a)
{
	switch (a->st) {
	case A_IDLE:
		/* power the loop, then dial tone and digit collection */
		a_hook(a, TDM_ANALOG_HOOK_OFF);
		a->st = A_DIALTONE;
		a_tone(a, TDM_TONE_DIAL);
		if (tdm_dsp_dtmf_rx_alloc(&a->dtmf, on_dtmf, a))
			LOGW("chan %u: no DTMF detector: pulse only",
			     a->ch->num);
		tmr_start(a_loop(a), &a->t, a->p.first_digit_ms,
			  fxs_digit_timeout, a);
		break;
	case A_RINGING:
		LOGI("chan %u: phone answered", a->ch->num);
		/* Stop the ring cadence: DAHDI trips the ring on off-hook
		 * only for a DAHDI_START, so on RBS channels (looped spans,
		 * channel banks) it rang the answered phone again at the
		 * next cadence step. Off-hook is the loop's talk state. */
		a_hook(a, TDM_ANALOG_HOOK_OFF);
		tmr_cancel(&a->t);
		a->cid_tx = mem_deref(a->cid_tx);
		a->cid_pending = a->ring_after_cid = false;
		a->st = A_UP;
		a_signal(a, TDM_EV_ANSWER, 0);
		break;
	default:
		break;
	}
}

static void fxs_onhook(struct tdm_analog *a)
{
	enum ast st = a->st;

	if (st == A_IDLE || st == A_RINGING)
		return;
	a_idle(a);
	a_hook(a, TDM_ANALOG_HOOK_ON);
	LOGI("chan %u: phone hung up", a->ch->num);
	if (st == A_ORIG || st == A_UP)
		a_signal(a, TDM_EV_RELEASE, TDM_CAUSE_NORMAL);
}

/* FXO: the caller stopped ringing before anyone answered. */
static void fxo_ring_timeout(void *arg)
{
	struct tdm_analog *a = arg;
	enum ast st = a->st;

	LOGI("chan %u: rings stopped", a->ch->num);
	a_idle(a);
	if (st == A_OFFERED)
		a_signal(a, TDM_EV_RELEASE, TDM_CAUSE_NORMAL);
}

static void fxo_offer(struct tdm_analog *a)
{
	struct tdm_ev ev = { .type = TDM_EV_SETUP, .setup = &a->in };

	a->cid_rx = mem_deref(a->cid_rx);
	a->st = A_OFFERED;
	LOGI("chan %u: incoming call from \"%s\"", a->ch->num, a->in.calling);
	tdm_chan_signal(a->ch, &ev);
}

static void fxo_cid(struct tdm_analog *a)
{
	const struct tdm_dsp_cid *c = &a->cid;

	a->cid_heard = false;
	if (a->st != A_RING_IN)
		return;
	scopy(a->in.calling, sizeof(a->in.calling), c->number);
	scopy(a->in.calling_name, sizeof(a->in.calling_name), c->name);
	/* only digits may reach the core as a number */
	if (strspn(a->in.calling, "0123456789*#+") != strlen(a->in.calling))
		a->in.calling[0] = '\0';
	a->in.pres = c->number_absent == TDM_DSP_CID_PRIVATE ?
			     TDM_PRES_RESTRICTED :
		     a->in.calling[0] ? TDM_PRES_ALLOWED :
					TDM_PRES_UNAVAILABLE;
	fxo_offer(a);
}

static void fxo_cid_listen(struct tdm_analog *a)
{
	if (!a->cid_rx &&
	    tdm_dsp_cid_rx_alloc(&a->cid_rx, a->ch->span->dsp.cid_std,
				 on_cid, a))
		LOGW("chan %u: no caller ID receiver", a->ch->num);
}

static void fxo_ring(struct tdm_analog *a)
{
	switch (a->st) {
	case A_IDLE:
		memset(&a->in, 0, sizeof(a->in));
		a->in.pres = TDM_PRES_UNAVAILABLE;
		a->st = A_RING_IN;
		/* caller ID comes in the silence after the first ring; the
		 * receiver may be listening since the ring began */
		fxo_cid_listen(a);
		break;
	case A_RING_IN:
	case A_OFFERED:
	case A_RING_IGNORE:
		break;
	default:
		return;
	}
	a->rings++;
	tmr_start(a_loop(a), &a->t, a->p.ring_timeout_ms, fxo_ring_timeout, a);
	if (a->st == A_RING_IN && a->rings >= a->p.answer_rings)
		fxo_offer(a);
}

/* FXO with the loop seized: the far end has gone. */
static void fxo_disconnect(struct tdm_analog *a, const char *why)
{
	enum ast st = a->st;

	if (st != A_SEIZE && st != A_DIALING && st != A_WAIT_ANSWER &&
	    st != A_UP)
		return;
	LOGI("chan %u: %s: disconnect", a->ch->num, why);
	a_idle(a);
	a_hook(a, TDM_ANALOG_HOOK_ON);
	a_signal(a, TDM_EV_RELEASE, TDM_CAUSE_NORMAL);
}

static void fxo_polarity(struct tdm_analog *a)
{
	if (a->st == A_WAIT_ANSWER || (a->st == A_DIALING &&
				       a->p.polarity_answer)) {
		tmr_cancel(&a->t);
		a->st = A_UP;
		a_signal(a, TDM_EV_ANSWER, 0);
		return;
	}
	fxo_disconnect(a, "polarity reversal");
}

void tdm_analog_line(struct tdm_analog *a, enum tdm_analog_lev ev,
		     char digit)
{
	struct tdm_ev dev = { .type = TDM_EV_DIGIT, .digit = '!' };

	if (a->ch->st == TDM_CH_OOS)
		return;
	switch (ev) {
	case TDM_ANALOG_OFFHOOK:
		if (a->p.fxs)
			fxs_offhook(a);
		break;
	case TDM_ANALOG_ONHOOK:
		if (a->p.fxs)
			fxs_onhook(a);
		else
			fxo_disconnect(a, "loop current drop");
		break;
	case TDM_ANALOG_FLASH:
		/* a flash is '!' in a dial string: the call layer decides
		 * (transfer, call waiting); before a call it is ignored */
		if (a->p.fxs && a->st == A_UP)
			tdm_chan_signal(a->ch, &dev);
		break;
	case TDM_ANALOG_PULSE:
		if (a->p.fxs)
			fxs_digit(a, digit);
		break;
	case TDM_ANALOG_RING:
		if (!a->p.fxs)
			fxo_ring(a);
		break;
	case TDM_ANALOG_RINGER_OFF:
		if (a->p.fxs && a->st == A_RINGING && a->cid_pending) {
			a->cid_pending = false;
			a->cid_tx = mem_deref(a->cid_tx);
			if (tdm_dsp_cid_tx_alloc(&a->cid_tx,
						 a->ch->span->dsp.cid_std,
						 &a->cid))
				LOGW("chan %u: caller ID not sent",
				     a->ch->num);
		}
		break;
	case TDM_ANALOG_POLARITY:
		if (!a->p.fxs)
			fxo_polarity(a);
		break;
	case TDM_ANALOG_RING_BEGIN:
		/* Listen from the first ring's start: the event that ends
		 * the burst comes after DAHDI's ring debounce and, on a
		 * starved loop (TCG), so late that the caller ID's
		 * preamble was gone and the burst was lost */
		if (!a->p.fxs && a->st == A_IDLE)
			fxo_cid_listen(a);
		break;
	}
}

void tdm_analog_frame(struct tdm_analog *a, int16_t *rx, int16_t *tx)
{
	struct tdm_chan *ch = a->ch;
	unsigned n;

	if (a->dtmf)
		tdm_dsp_dtmf_rx_feed(a->dtmf, rx, TDM_FRAME_SAMPLES);
	if (a->cid_rx)
		tdm_dsp_cid_rx_feed(a->cid_rx, rx, TDM_FRAME_SAMPLES);
	if (ch->st != TDM_CH_IDLE && ch->st != TDM_CH_SEIZED &&
	    ch->st != TDM_CH_OOS)
		tdm_chan_frame(ch, rx, tx);
	else
		memset(tx, 0, TDM_FRAME_SAMPLES * sizeof(*tx));
	if (a->tone)
		tdm_dsp_tonegen_fill(a->tone, tx, TDM_FRAME_SAMPLES);
	if (a->cid_tx) {
		memset(tx, 0, TDM_FRAME_SAMPLES * sizeof(*tx));
		tdm_dsp_cid_tx_fill(a->cid_tx, tx, TDM_FRAME_SAMPLES);
		if (tdm_dsp_cid_tx_done(a->cid_tx)) {
			a->cid_tx = mem_deref(a->cid_tx);
			if (a->ring_after_cid && a->st == A_RINGING) {
				a->ring_after_cid = false;
				a_hook(a, TDM_ANALOG_HOOK_RING);
			}
		}
	}
	/* the state machine runs after the detectors are done with us */
	n = a->ndigq;
	a->ndigq = 0;
	for (unsigned i = 0; i < n; i++)
		fxs_digit(a, a->digq[i]);
	if (a->cid_heard)
		fxo_cid(a);
}

static void alert_now(void *arg)
{
	struct tdm_analog *a = arg;

	if (a->st == A_RINGING)
		a_signal(a, TDM_EV_ALERTING, 0);
}

static void fxo_dialled(void *arg)
{
	struct tdm_analog *a = arg;
	struct tdm_ev ev = { .type = TDM_EV_PROGRESS, .inband = true };

	if (a->st != A_DIALING)
		return;
	/* without answer supervision the call is up once dialled; the
	 * caller hears the line (ringback, announcements) either way */
	tdm_chan_signal(a->ch, &ev);
	if (a->p.polarity_answer) {
		a->st = A_WAIT_ANSWER;
		return;
	}
	a->st = A_UP;
	a_signal(a, TDM_EV_ANSWER, 0);
}

static void fxo_dial_now(void *arg)
{
	struct tdm_analog *a = arg;
	int err;

	if (a->st != A_SEIZE)
		return;
	a->st = A_DIALING;
	err = tdm_digits(a->ch, a->digits);
	if (err) {
		fxo_disconnect(a, "cannot dial");
		return;
	}
	/* 80 ms tone + 80 ms pause per digit (tdm_dsp_dtmf_tx) */
	tmr_start(a_loop(a), &a->t, a->nd * 160 + 200, fxo_dialled, a);
}

int tdm_analog_dial(struct tdm_analog *a, const struct tdm_setup *s)
{
	struct tdm_dsp_cid *c = &a->cid;
	int err;

	if (a->st != A_IDLE)
		return -EBUSY;
	if (!a->p.fxs) {
		scopy(a->digits, sizeof(a->digits), s->called);
		a->nd = strlen(a->digits);
		err = a_hook(a, TDM_ANALOG_HOOK_OFF);
		if (err)
			return err;
		a->st = A_SEIZE;
		tmr_start(a_loop(a), &a->t, a->p.dial_delay_ms, fxo_dial_now,
			  a);
		return 0;
	}
	memset(c, 0, sizeof(*c));
	scopy(c->number, sizeof(c->number), s->calling);
	scopy(c->name, sizeof(c->name), s->calling_name);
	if (s->pres == TDM_PRES_RESTRICTED) {
		c->number[0] = c->name[0] = '\0';
		c->number_absent = c->name_absent = TDM_DSP_CID_PRIVATE;
	} else {
		if (!c->number[0])
			c->number_absent = TDM_DSP_CID_UNAVAILABLE;
		if (!c->name[0])
			c->name_absent = TDM_DSP_CID_UNAVAILABLE;
	}
	a->st = A_RINGING;
	/* Bell 202 goes in the first silence; V.23 and DTMF CLIP (ETSI)
	 * before the first ring */
	if (a->p.cid_before_ring ||
	    a->ch->span->dsp.cid_std != TDM_DSP_CID_BELL) {
		err = tdm_dsp_cid_tx_alloc(&a->cid_tx,
					   a->ch->span->dsp.cid_std, c);
		a->ring_after_cid = !err;
		if (err)
			err = a_hook(a, TDM_ANALOG_HOOK_RING);
	} else {
		a->cid_pending = true;
		err = a_hook(a, TDM_ANALOG_HOOK_RING);
	}
	if (err) {
		a_idle(a);
		return err;
	}
	/* not from inside tdm_dial: the caller is not ready for events */
	tmr_start(a_loop(a), &a->t, 0, alert_now, a);
	return 0;
}

int tdm_analog_alerting(struct tdm_analog *a)
{
	/* the phone that dialled hears ringback; an exchange line rings on
	 * by itself */
	if (a->p.fxs && a->st == A_ORIG)
		return tdm_tone(a->ch, TDM_TONE_RINGBACK);
	return 0;
}

int tdm_analog_answer(struct tdm_analog *a)
{
	int err = 0;

	if (a->p.fxs) {
		if (a->st != A_ORIG)
			return -EPROTO;
		tdm_tone_stop(a->ch);
	} else {
		if (a->st != A_OFFERED)
			return -EPROTO;
		err = a_hook(a, TDM_ANALOG_HOOK_OFF);
		if (err)
			return err;
		tmr_cancel(&a->t);
	}
	a->st = A_UP;
	return 0;
}

void tdm_analog_release(struct tdm_analog *a, int cause)
{
	LOGD("chan %u: released in %s, cause %d", a->ch->num,
	     ast_names[a->st], cause);
	switch (a->st) {
	case A_RINGING:
		a_idle(a);
		a_hook(a, TDM_ANALOG_HOOK_RINGOFF);
		break;
	case A_ORIG:
	case A_UP:
		if (a->p.fxs) {
			fxs_lockout(a);
			break;
		}
		/* fall through */
	case A_SEIZE:
	case A_DIALING:
	case A_WAIT_ANSWER:
		a_idle(a);
		a_hook(a, TDM_ANALOG_HOOK_ON);
		break;
	case A_OFFERED:
	case A_RING_IN:
		/* refused: never answer this caller, wait for the rings to
		 * stop (the timer is running) */
		a->cid_rx = mem_deref(a->cid_rx);
		a->st = A_RING_IGNORE;
		break;
	default:
		break;
	}
}

void tdm_analog_reset(struct tdm_analog *a)
{
	a_idle(a);
}

static void cw_end(void *arg)
{
	struct tdm_analog *a = arg;

	if (a->st != A_UP)
		return;
	tdm_tone_stop(a->ch);
	if (a->cid_pending) {
		a->cid_pending = false;
		if (tdm_dsp_cid_tx_alloc(&a->cid_tx, a->ch->span->dsp.cid_std,
					 &a->cid))
			LOGW("chan %u: call-waiting caller ID not sent",
			     a->ch->num);
	}
}

int tdm_analog_call_waiting(struct tdm_analog *a,
			    const struct tdm_dsp_cid *cid)
{
	const struct tdm_dsp_tone_def *d;
	int err;

	if (!a->p.fxs || a->st != A_UP)
		return -EPROTO;
	err = tdm_tone(a->ch, TDM_TONE_CALLWAIT);
	if (err)
		return err;
	if (cid)
		a->cid = *cid;
	a->cid_pending = cid != NULL;
	/* one burst of the zone's tone, then (type 2) caller ID */
	d = &a->ch->span->zone->tone[TDM_TONE_CALLWAIT];
	tmr_start(a_loop(a), &a->cw, d->cad[0] ? d->cad[0] : 300, cw_end, a);
	return 0;
}

int tdm_analog_alloc(struct tdm_analog **ap, struct tdm_chan *ch,
		     const struct tdm_analog_params *p, tdm_analog_hook_h *hook,
		     void *arg)
{
	struct tdm_analog *a;

	if (!ap || !ch || !p || !hook ||
	    !memchr(p->digitmap, '\0', sizeof(p->digitmap)) ||
	    tdm_analog_map_match(p->digitmap, "") < 0)
		return -EINVAL;
	a = mem_zalloc(sizeof(*a), a_destroy);
	if (!a)
		return -ENOMEM;
	a->ch = ch;
	a->p = *p;
	a->hook = hook;
	a->arg = arg;
	tmr_init(&a->t);
	tmr_init(&a->cw);
	*ap = a;
	return 0;
}
