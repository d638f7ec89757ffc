// SPDX-License-Identifier: GPL-2.0
/*
 * One channel's DSP pipeline, run once per 20 ms tick:
 *
 *   rx: line -> gain -> echo canceller -> DTMF, busy, fax, caller ID
 *   tx: call audio | tone | DTMF | caller ID -> gain -> line (and the
 *       echo canceller's reference)
 */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

struct tdm_dsp {
	struct tdm_dsp_params p;
	struct tdm_dsp_ec *ec;		 /* owned; NULL: off */
	struct tdm_dsp_dtmf_rx *dtmf_rx; /* owned; NULL: off */
	struct tdm_dsp_dtmf_tx *dtmf_tx; /* owned */
	struct tdm_dsp_busy *busy;	 /* owned; NULL: off */
	struct tdm_dsp_fax *fax;	 /* owned; NULL: off */
	struct tdm_dsp_tonegen *tone;	 /* owned; NULL: none playing */
	int tone_id;
	struct tdm_dsp_cid_tx *cid_tx; /* owned while sending */
	struct tdm_dsp_cid_rx *cid_rx; /* owned while listening */
	int16_t ref[TDM_DSP_FRAME];    /* last frame sent */
	tdm_dsp_ev_h *h;
	void *arg;
};

static void dsp_destroy(void *data)
{
	struct tdm_dsp *d = data;

	mem_deref(d->ec);
	mem_deref(d->dtmf_rx);
	mem_deref(d->dtmf_tx);
	mem_deref(d->busy);
	mem_deref(d->fax);
	mem_deref(d->tone);
	mem_deref(d->cid_tx);
	mem_deref(d->cid_rx);
}

static void on_digit(char digit, void *arg)
{
	struct tdm_dsp *d = arg;
	struct tdm_dsp_ev ev = { .type = TDM_DSP_EV_DIGIT, .digit = digit };

	d->h(&ev, d->arg);
}

static void on_detect(enum tdm_dsp_det what, void *arg)
{
	struct tdm_dsp *d = arg;
	struct tdm_dsp_ev ev = { .type = TDM_DSP_EV_DETECT, .det = what };

	d->h(&ev, d->arg);
}

static void on_cid(const struct tdm_dsp_cid *cid, void *arg)
{
	struct tdm_dsp *d = arg;
	struct tdm_dsp_ev ev = { .type = TDM_DSP_EV_CID, .cid = cid };

	d->h(&ev, d->arg);
}

static int dsp_detectors(struct tdm_dsp *d)
{
	int err = 0;

	d->dtmf_rx = mem_deref(d->dtmf_rx);
	d->busy = mem_deref(d->busy);
	d->fax = mem_deref(d->fax);
	if (d->p.dtmf_detect)
		err = tdm_dsp_dtmf_rx_alloc(&d->dtmf_rx, on_digit, d);
	if (!err && d->p.busy_detect)
		err = tdm_dsp_busy_alloc(&d->busy, d->p.zone, on_detect, d);
	if (!err && d->p.fax_detect)
		err = tdm_dsp_fax_alloc(&d->fax, on_detect, d);
	return err;
}

int tdm_dsp_alloc(struct tdm_dsp **dp, const struct tdm_dsp_params *p,
		  tdm_dsp_ev_h *h, void *arg)
{
	struct tdm_dsp *d;
	int err;

	if (!dp || !p || !p->zone || !h ||
	    !tdm_dsp_cid_std_name(p->cid_std))
		return -EINVAL;
	d = mem_zalloc(sizeof(*d), dsp_destroy);
	if (!d)
		return -ENOMEM;
	d->p = *p;
	d->h = h;
	d->arg = arg;
	d->tone_id = -1;
	err = tdm_dsp_dtmf_tx_alloc(&d->dtmf_tx);
	if (!err && p->ec_tail_ms)
		err = tdm_dsp_ec_alloc(&d->ec, p->ec_tail_ms);
	if (!err)
		err = dsp_detectors(d);
	if (err) {
		mem_deref(d);
		return err;
	}
	*dp = d;
	return 0;
}

void tdm_dsp_rx(struct tdm_dsp *d, int16_t *frame)
{
	/* hold a reference: a detection handler may drop the channel */
	mem_ref(d);
	tdm_dsp_gain(frame, TDM_DSP_FRAME, d->p.rx_gain_db);
	if (d->ec)
		tdm_dsp_ec_process(d->ec, d->ref, frame, TDM_DSP_FRAME);
	if (d->dtmf_rx)
		tdm_dsp_dtmf_rx_feed(d->dtmf_rx, frame, TDM_DSP_FRAME);
	if (d->busy)
		tdm_dsp_busy_feed(d->busy, frame);
	if (d->fax)
		tdm_dsp_fax_feed(d->fax, frame, TDM_DSP_FRAME);
	if (d->cid_rx)
		tdm_dsp_cid_rx_feed(d->cid_rx, frame, TDM_DSP_FRAME);
	mem_deref(d);
}

void tdm_dsp_tx(struct tdm_dsp *d, int16_t *frame)
{
	if (d->cid_tx) {
		tdm_dsp_cid_tx_fill(d->cid_tx, frame, TDM_DSP_FRAME);
		if (tdm_dsp_cid_tx_done(d->cid_tx))
			d->cid_tx = mem_deref(d->cid_tx);
	} else if (tdm_dsp_dtmf_tx_busy(d->dtmf_tx)) {
		tdm_dsp_dtmf_tx_fill(d->dtmf_tx, frame, TDM_DSP_FRAME);
	} else if (d->tone) {
		tdm_dsp_tonegen_fill(d->tone, frame, TDM_DSP_FRAME);
	}
	tdm_dsp_gain(frame, TDM_DSP_FRAME, d->p.tx_gain_db);
	memcpy(d->ref, frame, sizeof(d->ref));
}

int tdm_dsp_tone(struct tdm_dsp *d, enum tdm_tone tone)
{
	struct tdm_dsp_tonegen *tg;
	int err = tdm_dsp_tonegen_alloc(&tg, d->p.zone, tone);

	if (err)
		return err;
	mem_deref(d->tone);
	d->tone = tg;
	d->tone_id = (int)tone;
	return 0;
}

void tdm_dsp_tone_stop(struct tdm_dsp *d)
{
	d->tone = mem_deref(d->tone);
	d->tone_id = -1;
}

int tdm_dsp_tone_playing(const struct tdm_dsp *d)
{
	return d->tone_id;
}

int tdm_dsp_digits(struct tdm_dsp *d, const char *digits)
{
	return tdm_dsp_dtmf_tx_put(d->dtmf_tx, digits);
}

int tdm_dsp_cid_send(struct tdm_dsp *d, const struct tdm_dsp_cid *cid)
{
	struct tdm_dsp_cid_tx *tx;
	int err;

	if (d->cid_tx)
		return -EBUSY;
	err = tdm_dsp_cid_tx_alloc(&tx, d->p.cid_std, cid);
	if (!err)
		d->cid_tx = tx;
	return err;
}

int tdm_dsp_cid_listen(struct tdm_dsp *d, bool on)
{
	d->cid_rx = mem_deref(d->cid_rx);
	if (!on)
		return 0;
	return tdm_dsp_cid_rx_alloc(&d->cid_rx, d->p.cid_std, on_cid, d);
}

void tdm_dsp_reset(struct tdm_dsp *d)
{
	tdm_dsp_tone_stop(d);
	d->cid_tx = mem_deref(d->cid_tx);
	d->cid_rx = mem_deref(d->cid_rx);
	/* new detectors forget half-heard digits and cadences; a failure
	 * leaves that detector off, which the next reset retries */
	dsp_detectors(d);
	tdm_dsp_dtmf_tx_flush(d->dtmf_tx);
}

bool tdm_dsp_ec_get(const struct tdm_dsp *d, struct tdm_dsp_ec_stats *st)
{
	if (!d->ec)
		return false;
	tdm_dsp_ec_stats(d->ec, st);
	return true;
}
