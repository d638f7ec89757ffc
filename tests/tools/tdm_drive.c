// SPDX-License-Identifier: GPL-2.0
/*
 * tdm_drive - Trunkline's TDM layer on real DAHDI channels, with a small
 * scripted stand-in for the call layer, for the vm tier (the far end is
 * dahdi_peer on the looped span).
 *
 *   tdm_drive fxs CHAN      CHAN is our FXS port (fxoks): take the call
 *                           the phone dials (expect 1234), refuse it;
 *                           then ring the phone with caller ID
 *                           2125551234 "TRUNKLINE TEST"; when answered
 *                           send 1004 Hz, measure 1500 Hz; end when the
 *                           phone hangs up
 *   tdm_drive fxo CHAN [ec] CHAN is our FXO port (fxsks), busy tone
 *                           detection on: answer the incoming call,
 *                           check its caller ID, send 1004 Hz, measure
 *                           1500 Hz; with "ec" (128 ms userspace echo
 *                           canceller) go quiet, then send speech-like
 *                           noise and print the ERLE; end at release
 *   tdm_drive pri           span 1 = channels 1-23, D channel 24, pri_cpe,
 *                           against pri_peer (the exchange) on span 2:
 *                           waits for layer 2 and the B channels; call A
 *                           out to 5551000 (national, E.164) from
 *                           +12125551234 (international: '+'; allowed,
 *                           verified), progress with
 *                           in-band audio, alerting, connect,
 *                           1004 Hz out / 1500 Hz measured, cleared by us
 *                           with cause 16; call B in from 2125559876
 *                           restricted, redirected from 2125550001:
 *                           answered, cleared by the peer;
 *                           call C in from +12125550000
 *                           (international): alerting, cleared by the peer
 *                           with cause 17; then layer 2 goes down with
 *                           the peer and every B channel goes out of
 *                           service
 *
 * Prints "drive: ok/FAIL" per check and "RELEASE t=SECONDS" (monotonic)
 * when the far end clears. Exit 0 when every check passed. Bounded: 40 s
 * (pri: 60 s).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_TAG "drive"
#include "../../gateway/base/log.h"
#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/conf.h"
#include "../../tdm/core.h"
#include "../../tdm/dahdi.h"
#include "../../tdm/tdm.h"

#include "../lib/goertzel.h"

struct drive {
	struct loop *loop;
	struct tdm *tdm;
	bool fxs, ec;
	int fails;
	int step;
	struct tdm_chan *ch;
	double p1500, all;
	int frames;
	double phase;
	uint32_t noise;
	bool send_tone, send_noise;
	bool done;
	/* echo path measurement: what we sent and what came back */
	int16_t *rec_tx, *rec_rx;
	unsigned nrec, noise_frames;
	struct tmr t;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(struct drive *d, int ok, const char *what)
{
	printf("drive: %s: %s\n", ok ? "ok" : "FAIL", what);
	d->fails += !ok;
	fflush(stdout);
}

static void report_tone(struct drive *d)
{
	int n = d->frames > 75 ? 65 : d->frames - 10;
	double l = tdm_dsp_power_dbm0(d->p1500 / (n > 0 ? n : 1));

	printf("drive: hears 1500 Hz at %.1f dBm0\n", l);
	check(d, n > 50 && d->all > 0 && fabs(l + 10) < 1.5 &&
			 d->p1500 > 0.9 * d->all,
	      "1500 Hz from the peer at -10 dBm0 (+-1.5 dB)");
	d->frames = 0;
	d->p1500 = d->all = 0;
}

#define REC_N (2 * 8000)
#define LAG_MAX 4800 /* 600 ms */

/* The echo path's bulk delay: the lag where what came back correlates
 * best with what we sent (normalised), over 0..600 ms. Received audio is
 * after the canceller, so this is meaningful while it has not
 * converged, or with it off. */
static void echo_delay(const struct drive *d)
{
	double best = 0, ex = 0;
	int lag = -1;

	for (int i = 0; i < REC_N - LAG_MAX; i++)
		ex += (double)d->rec_tx[i] * d->rec_tx[i];
	for (int l = 0; l < LAG_MAX; l++) {
		double c = 0, ey = 0;

		for (int i = 0; i < REC_N - LAG_MAX; i++) {
			c += (double)d->rec_tx[i] * d->rec_rx[i + l];
			ey += (double)d->rec_rx[i + l] * d->rec_rx[i + l];
		}
		c = ey > 0 && ex > 0 ? fabs(c) / sqrt(ex * ey) : 0;
		if (c > best) {
			best = c;
			lag = l;
		}
	}
	printf("drive: echo path delay %.1f ms (correlation %.2f)\n",
	       lag / 8.0, best);
}

static void on_audio(struct tdm_chan *ch, const int16_t *f, void *arg)
{
	struct drive *d = arg;
	int16_t out[TDM_FRAME_SAMPLES];

	/* frames 10..75: after the far end's tone starts, before it
	 * may change */
	if (d->send_tone && ++d->frames > 10 && d->frames <= 75) {
		d->p1500 += tl_goertzel(f, TDM_FRAME_SAMPLES, 1500);
		d->all += tdm_dsp_power(f, TDM_FRAME_SAMPLES);
	}
	for (int i = 0; i < TDM_FRAME_SAMPLES; i++) {
		double v = 0;

		if (d->send_tone) {
			v = 32767.0 * pow(10, -13.14 / 20) *
			    sin(2 * M_PI * d->phase);
			d->phase += 1004.0 / 8000.0;
		} else if (d->send_noise) {
			/* noise in a syllabic envelope, about -20 dBm0 */
			double env = 0.6 + 0.4 * sin(2 * M_PI * 3.0 * d->phase);

			d->noise = d->noise * 1103515245u + 12345u;
			v = 9000.0 * env * (((d->noise >> 16) & 0x7fff) /
						    16384.0 - 1.0);
			d->phase += 1.0 / 8000.0;
		}
		out[i] = (int16_t)v;
	}
	/* record 2 s of the noise phase, after 2 s (the far end's echo
	 * has started by then) */
	if (d->send_noise && d->rec_tx && ++d->noise_frames > 100 &&
	    d->nrec + TDM_FRAME_SAMPLES <= REC_N) {
		memcpy(d->rec_tx + d->nrec, out, sizeof(out));
		memcpy(d->rec_rx + d->nrec, f, sizeof(out));
		d->nrec += TDM_FRAME_SAMPLES;
	}
	tdm_write(ch, out);
}

static void ec_report(void *arg)
{
	struct drive *d = arg;
	struct tdm_dsp_ec_stats st;

	if (!d->ch || !tdm_chan_ec_stats(d->ch, &st))
		return;
	printf("drive: ERLE %.1f dB, echo in %.1f dBm0, residual %.1f dBm0, "
	       "%llu frames\n", st.erle_db, st.in_dbm0, st.residual_dbm0,
	       (unsigned long long)st.frames);
	if (d->rec_tx && d->nrec == REC_N) {
		echo_delay(d);
		d->nrec++; /* once */
	}
}

static void stop_tone(void *arg)
{
	struct drive *d = arg;

	report_tone(d);
	d->send_tone = false;
	if (d->ec) {
		d->send_noise = true;
		tmr_start(d->loop, &d->t, 10000, ec_report, d);
	}
}

static void on_ev(struct tdm_chan *ch, const struct tdm_ev *ev, void *arg)
{
	struct drive *d = arg;

	switch (ev->type) {
	case TDM_EV_SETUP:
		printf("drive: SETUP called \"%s\" calling \"%s\" name \"%s\" "
		       "pres %d\n", ev->setup->called, ev->setup->calling,
		       ev->setup->calling_name, ev->setup->pres);
		if (d->fxs) {
			check(d, !strcmp(ev->setup->called, "1234"),
			      "the phone dialled 1234 (DTMF 12, pulse 34)");
			tdm_chan_bind(ch, on_ev, on_audio, d);
			/* refused: the phone gets reorder */
			tdm_release(ch, TDM_CAUSE_BUSY);
			d->step = 1;
			return;
		}
		check(d, !strcmp(ev->setup->calling, "2125551234") &&
				 !strcmp(ev->setup->calling_name, "CO LINE"),
		      "caller ID 2125551234 \"CO LINE\" between rings");
		tdm_chan_bind(ch, on_ev, on_audio, d);
		d->ch = ch;
		check(d, tdm_answer(ch) == 0, "answer");
		d->send_tone = true;
		tmr_start(d->loop, &d->t, 2500, stop_tone, d);
		return;
	case TDM_EV_ALERTING:
		printf("drive: ALERTING\n");
		return;
	case TDM_EV_ANSWER:
		printf("drive: ANSWER\n");
		d->send_tone = true;
		tmr_start(d->loop, &d->t, 2000, stop_tone, d);
		return;
	case TDM_EV_RELEASE:
		printf("drive: RELEASE t=%.3f cause %d\n", now(), ev->cause);
		if (d->ec)
			ec_report(d);
		tmr_cancel(&d->t);
		d->ch = NULL;
		d->done = true;
		return;
	case TDM_EV_DIGIT:
		printf("drive: digit %c in the call\n", ev->digit);
		return;
	default:
		return;
	}
}

static void ring_phone(void *arg)
{
	struct drive *d = arg;
	struct tdm_setup s = { .called = "100", .calling = "2125551234",
			       .calling_name = "TRUNKLINE TEST",
			       .pres = TDM_PRES_ALLOWED };
	int err = tdm_seize(d->tdm, 1, TDM_HUNT_ASC, on_ev, on_audio, d,
			    &d->ch);

	if (!err) {
		err = tdm_dial(d->ch, &s);
		if (err) {
			tdm_release(d->ch, TDM_CAUSE_NORMAL);
			d->ch = NULL;
		}
	}
	if (err == -EBUSY) {
		/* the phone is still off-hook on reorder: try again (the
		 * main loop's 40 s bound ends this) */
		tmr_start(d->loop, &d->t, 500, ring_phone, d);
		return;
	}
	check(d, err == 0, "ring the phone");
}

/* --- pri: Trunkline's PRI driver against pri_peer ----------------------- */

struct pdrive {
	struct drive d;	 /* the tone generator and meter */
	const char *link; /* layer 2 as show spans says it */
	char call;	 /* 'A', 'B', 'C', 'D' (after C), 0: not yet */
	bool alerted, answered, inband;
	int releases;
};

static struct tdm_span *span1(struct tdm *t)
{
	struct tdm_chan *ch = tdm_chan_find(t, 1);

	return ch ? ch->span : NULL;
}

static void pri_release_now(void *arg)
{
	struct pdrive *pd = arg;

	report_tone(&pd->d);
	pd->d.send_tone = false;
	printf("drive: call A: clearing, cause 16\n");
	check(&pd->d, tdm_release(pd->d.ch, TDM_CAUSE_NORMAL) == 0,
	      "call A: release with cause 16");
	pd->d.ch = NULL;
	pd->call = 'B';
}

static void pri_ev(struct tdm_chan *ch, const struct tdm_ev *ev, void *arg)
{
	struct pdrive *pd = arg;
	struct drive *d = &pd->d;
	const struct tdm_setup *s = ev->setup;

	switch (ev->type) {
	case TDM_EV_SETUP:
		printf("drive: call %c: SETUP on chan %u to \"%s\" from \"%s\" "
		       "ton %u npi %u pres %d screen %u\n", pd->call,
		       tdm_chan_num(ch), s->called, s->calling, s->calling_ton,
		       s->calling_npi, s->pres, s->screen);
		tdm_chan_bind(ch, pri_ev, on_audio, pd);
		d->ch = ch;
		if (pd->call == 'B') {
			check(d, !strcmp(s->called, "100") &&
					 !strcmp(s->calling, "2125559876"),
			      "call B: called 100, calling 2125559876");
			check(d, s->pres == TDM_PRES_RESTRICTED &&
					 s->screen == 1,
			      "call B: presentation restricted, verified");
			check(d, s->calling_ton == 2 && s->calling_npi == 1 &&
					 s->called_ton == 2 &&
					 s->called_npi == 1,
			      "call B: national / E.164 numbers");
			check(d, !strcmp(s->redirecting, "2125550001"),
			      "call B: redirecting number 2125550001");
			check(d, tdm_answer(ch) == 0, "call B: answer");
		} else if (pd->call == 'C') {
			check(d, !strcmp(s->calling, "+12125550000") &&
					 s->calling_ton == 1 &&
					 s->pres == TDM_PRES_ALLOWED,
			      "call C: calling +12125550000 (international), "
			      "allowed");
			check(d, tdm_alerting(ch) == 0, "call C: alerting");
		} else {
			check(d, 0, "an incoming call only when expected");
			tdm_release(ch, TDM_CAUSE_REJECTED);
			d->ch = NULL;
		}
		return;
	case TDM_EV_PROGRESS:
		printf("drive: call %c: PROGRESS inband %d\n", pd->call,
		       ev->inband);
		pd->inband |= ev->inband;
		return;
	case TDM_EV_ALERTING:
		printf("drive: call %c: ALERTING\n", pd->call);
		pd->alerted = true;
		return;
	case TDM_EV_ANSWER:
		printf("drive: call %c: ANSWER\n", pd->call);
		check(d, pd->alerted, "call A: alerting before connect");
		check(d, pd->inband, "call A: in-band progress (PI 8) "
				     "before connect");
		pd->answered = true;
		d->send_tone = true;
		tmr_start(d->loop, &d->t, 2000, pri_release_now, pd);
		return;
	case TDM_EV_RELEASE:
		printf("drive: call %c: RELEASE t=%.3f cause %d\n", pd->call,
		       now(), ev->cause);
		d->ch = NULL;
		pd->releases++;
		if (pd->call == 'A') {
			check(d, 0, "call A: only we clear it");
		} else if (pd->call == 'B') {
			check(d, ev->cause == TDM_CAUSE_NORMAL,
			      "call B: peer cleared with cause 16");
			pd->call = 'C';
		} else if (pd->call == 'C') {
			check(d, ev->cause == TDM_CAUSE_BUSY,
			      "call C: cause 17 (busy) reported before answer");
			pd->call = 'D';
		} else {
			printf("drive: (link loss) cause %d\n", ev->cause);
		}
		return;
	default:
		return;
	}
}

/* The far end is gone: a call now sends SETUP into the void, and layer
 * 2, getting no acknowledgement, gives up sooner than its idle poll. */
static void pri_probe(void *arg)
{
	struct pdrive *pd = arg;
	struct tdm_setup s = { .called = "5551001", .calling = "2125551234" };
	struct tdm_chan *ch;

	if (tdm_seize(pd->d.tdm, 1, TDM_HUNT_ASC, pri_ev, on_audio, pd, &ch))
		return;
	if (tdm_dial(ch, &s))
		tdm_release(ch, TDM_CAUSE_NORMAL);
}

static int pri_main(void)
{
	struct pdrive pd = { .d = { .noise = 1 }, .link = "" };
	struct drive *d = &pd.d;
	struct conf_errs errs;
	struct conf *conf = NULL;
	struct tdm_span *sp;
	double t0, t_down = 0;
	int err;

	log_set_level(getenv("DRIVE_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	conf_errs_init(&errs);
	err = conf_load_str("drive.conf",
			    "[tdm]\nbackend = dahdi\ntone_zone = us\n"
			    "[span 1]\nchannels = 1-23\ndchan = 24\n"
			    "signalling = pri_cpe\nswitchtype = national\n"
			    "group = 1\necho_cancel = no\n",
			    tdm_sects, &conf, &errs);
	conf_errs_clear(&errs);
	if (err)
		return 2;
	d->loop = loop_new();
	tmr_init(&d->t);
	err = tdm_alloc(&d->tdm, d->loop, conf);
	if (err) {
		fprintf(stderr, "drive: tdm_alloc: %s\n", strerror(-err));
		return 2;
	}
	tdm_listen(d->tdm, pri_ev, on_audio, &pd);
	sp = span1(d->tdm);
	printf("drive: ready\n");
	t0 = now();
	while (now() - t0 < 60) {
		const char *l = tdm_dahdi_span_link(sp);
		unsigned oos = 0;

		loop_poll(d->loop, 50);
		for (unsigned i = 0; i < sp->nch; i++)
			oos += sp->ch[i].st == TDM_CH_OOS;
		if (strcmp(l, pd.link)) {
			printf("drive: layer2 %s t=%.3f, %u B channels out of "
			       "service\n", l, now(), oos);
			if (!strcmp(l, "down") && pd.call == 'D')
				t_down = now();
			pd.link = l;
		}
		if (!pd.call && !oos && !strcmp(l, "up")) {
			struct tdm_setup s = {
				/* '+': sent as international / E.164 */
				.called = "5551000", .calling = "+12125551234",
				.called_ton = 2, .called_npi = 1,
				.pres = TDM_PRES_ALLOWED, .screen = 1,
			};

			printf("drive: all 23 B channels in service t=%.3f\n",
			       now());
			pd.call = 'A';
			err = tdm_seize(d->tdm, 1, TDM_HUNT_ASC, pri_ev,
					on_audio, &pd, &d->ch);
			if (!err)
				err = tdm_dial(d->ch, &s);
			check(d, !err, "call A: dial 5551000");
		}
		if (pd.call == 'D' && !strcmp(l, "up") && !tmr_running(&d->t))
			tmr_start(d->loop, &d->t, 3000, pri_probe, &pd);
		if (t_down) {
			/* the state a moment after the loss */
			loop_poll(d->loop, 200);
			for (unsigned i = 0, n = 0; i <= sp->nch; i++) {
				if (i == sp->nch) {
					printf("drive: %u of 23 B channels out "
					       "of service\n", n);
					check(d, n == 23, "layer 2 down: every "
							  "B channel out of "
							  "service");
					break;
				}
				n += sp->ch[i].st == TDM_CH_OOS;
			}
			break;
		}
	}
	check(d, pd.answered, "call A was answered");
	check(d, pd.call == 'D', "calls A, B and C ran");
	check(d, t_down > 0, "layer 2 went down with the peer");
	tmr_cancel(&d->t);
	mem_deref(d->tdm);
	mem_deref(conf);
	mem_deref(d->loop);
	printf("drive: %d failure(s)\n", d->fails);
	return d->fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct drive d = { .noise = 1 };
	struct conf_errs errs;
	struct conf *conf = NULL;
	char text[512];
	double t0;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "pri"))
		return pri_main();
	if (argc < 3 || (strcmp(argv[1], "fxs") && strcmp(argv[1], "fxo"))) {
		fprintf(stderr, "usage: tdm_drive fxs|fxo CHAN [ec] | pri\n");
		return 2;
	}
	d.fxs = !strcmp(argv[1], "fxs");
	d.ec = argc > 3 && !strcmp(argv[3], "ec");
	if (d.ec) {
		/* measured once, at the report */
		d.rec_tx = calloc(REC_N, sizeof(*d.rec_tx));
		d.rec_rx = calloc(REC_N, sizeof(*d.rec_rx));
		if (!d.rec_tx || !d.rec_rx)
			return 2;
	}
	snprintf(text, sizeof(text),
		 "[tdm]\nbackend = dahdi\ntone_zone = us\n"
		 "[span 1]\nchannels = %d\nsignalling = %s\ngroup = 1\n"
		 "echo_canceller = %s\necho_tail = 128\nbusy_detect = %s\n"
		 "callerid = bell\n"
		 /* 1234 is complete at once: no short timer (the default
		  * map's x.# would wait for one) */
		 "digitmap = [1-8]xxx|9xxxxxxxxxx|*xx\n"
		 "interdigit_timeout = 4s\nanswer_rings = 2\n",
		 atoi(argv[2]), d.fxs ? "fxo_ks" : "fxs_ks",
		 d.ec ? "userspace" : "off", d.fxs ? "no" : "yes");
	log_set_level(getenv("DRIVE_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	conf_errs_init(&errs);
	err = conf_load_str("drive.conf", text, tdm_sects, &conf, &errs);
	conf_errs_clear(&errs);
	if (err)
		return 2;
	d.loop = loop_new();
	tmr_init(&d.t);
	err = tdm_alloc(&d.tdm, d.loop, conf);
	if (err) {
		fprintf(stderr, "drive: tdm_alloc: %s\n", strerror(-err));
		return 2;
	}
	tdm_listen(d.tdm, on_ev, on_audio, &d);
	printf("drive: ready\n");
	t0 = now();
	while (!d.done && now() - t0 < 40) {
		loop_poll(d.loop, 100);
		if (d.step == 1) {
			d.step = 2;
			tmr_start(d.loop, &d.t, 1000, ring_phone, &d);
		}
	}
	check(&d, d.done, "the far end hung up");
	tmr_cancel(&d.t);
	mem_deref(d.tdm);
	mem_deref(conf);
	mem_deref(d.loop);
	free(d.rec_tx);
	free(d.rec_rx);
	printf("drive: %d failure(s)\n", d.fails);
	return d.fails ? 1 : 0;
}
