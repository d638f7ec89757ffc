// SPDX-License-Identifier: GPL-2.0
/*
 * dahdi_peer - the far end of a looped DAHDI channel for the vm tier:
 * a phone on an fxsks channel (facing our FXS port) or an exchange line
 * on an fxoks channel (facing our FXO port). Raw DAHDI I/O; Trunkline's
 * tdm_dsp (spandsp) only to make and demodulate tones, DTMF and caller
 * ID, and a Goertzel filter to measure what it hears.
 *
 *   dahdi_peer phone CHAN    off-hook: measure dial tone; dial DTMF 12
 *                            and pulse 34; hear reorder; hang up; wait
 *                            to be rung, demodulate caller ID between
 *                            rings, answer; send 1500 Hz and measure
 *                            1004 Hz; hang up
 *   dahdi_peer co CHAN MODE  ring with caller ID after the first ring;
 *                            when answered send 1500 Hz and measure
 *                            1004 Hz, then MODE: kewl (drop loop
 *                            current), busy (busy tone only), echo
 *                            (reflect what it hears through a hybrid)
 *   dahdi_peer co CHAN sip   the same, for a call that the gateway takes
 *                            to SIP: the 1004 Hz comes from a SIP phone,
 *                            so wait (up to 4 s) for it to start, then
 *                            measure it and drop loop current
 *   dahdi_peer answer CHAN NUMBER NAME hangup|wait
 *                            a phone called from SIP: wait to be rung,
 *                            check the caller ID is NUMBER and NAME,
 *                            answer, send 1500 Hz and measure the
 *                            1004 Hz once it starts; then hang up
 *                            (DISCONNECT t=) or wait for the SIP side to
 *                            hang up and hear reorder, then hang up
 *   dahdi_peer exchange CHAN NUMBER
 *                            an exchange line that the gateway dials out
 *                            on (its FXO port): wait for the seizure,
 *                            collect the DTMF digits and check they are
 *                            NUMBER, send 1500 Hz and measure the 1004 Hz
 *                            once it starts, then drop loop current
 *
 * Prints "peer: ..." lines; "DISCONNECT t=SECONDS" is CLOCK_MONOTONIC,
 * like tdm_drive's "RELEASE t=". Exit 0 when every step went as
 * expected. Every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <dahdi/user.h>

#include "../../gateway/base/mem.h"
#include "../../tdm/dsp/dsp.h"
#include "../lib/goertzel.h"

#define N 160

static int fd = -1;
static int fails;
static int ring_begins; /* DAHDI_EVENT_RINGBEGIN seen so far */
static double t_start;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(int ok, const char *what)
{
	printf("peer: %s: %s\n", ok ? "ok" : "FAIL", what);
	fails += !ok;
	fflush(stdout);
}

static const char *evname(int e)
{
	static const char *const n[] = {
		"NONE",	      "ONHOOK",	     "RINGOFFHOOK",  "WINKFLASH",
		"ALARM",      "NOALARM",     "ABORT",	     "OVERRUN",
		"BADFCS",     "DIALCOMPLETE", "RINGERON",    "RINGEROFF",
		"HOOKCOMPLETE", "BITSCHANGED", "PULSE_START", "TIMER_EXPIRED",
		"TIMER_PING", "POLARITY",    "RINGBEGIN",
	};

	return e >= 0 && e < (int)(sizeof(n) / sizeof(*n)) ? n[e] : "?";
}

static void open_chan(int chan)
{
	struct dahdi_bufferinfo bi = { .txbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .numbufs = 8, .bufsize = N };
	int v = chan;

	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
	if (fd < 0 || ioctl(fd, DAHDI_SPECIFY, &v)) {
		perror("peer: open channel");
		exit(2);
	}
	v = N;
	if (ioctl(fd, DAHDI_SET_BLOCKSIZE, &v) ||
	    ioctl(fd, DAHDI_SET_BUFINFO, &bi)) {
		perror("peer: blocksize/bufinfo");
		exit(2);
	}
	v = 1;
	if (ioctl(fd, DAHDI_SETLINEAR, &v)) {
		perror("peer: linear");
		exit(2);
	}
	while (!ioctl(fd, DAHDI_GETEVENT, &v) && v)
		;
	/* a transmit lead, like the gateway's: without one every late
	 * write left a gap on the line, and a gap loses a caller ID burst */
	{
		int16_t z[N] = { 0 };

		for (int i = 0; i < 4; i++)
			if (write(fd, z, sizeof(z)) < 0 && errno != ELAST)
				break;
	}
}

static int hook(int op)
{
	int r = ioctl(fd, DAHDI_HOOK, &op);

	return r && errno != EINPROGRESS ? -errno : 0;
}

/* What to send each frame and what to do with each frame heard. */
typedef void(frame_h)(const int16_t *rx, int16_t *tx, void *arg);

/* Run audio for up to @secs; stop early when an event in @want arrives
 * (a bit mask of event numbers; 0: none). Returns the event or 0. */
static int run(double secs, unsigned want, frame_h *h, void *arg)
{
	double t0 = now();
	int16_t rx[N], tx[N];

	while (now() - t0 < secs) {
		struct pollfd p = { fd, POLLIN | POLLPRI, 0 };
		int e = 0;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if (p.revents & POLLPRI) {
			if (!ioctl(fd, DAHDI_GETEVENT, &e) && e) {
				printf("peer: event %s at %.2fs\n", evname(e),
				       now() - t_start);
				ring_begins += e == DAHDI_EVENT_RINGBEGIN;
				if (e < 32 && (want & (1u << e)))
					return e;
			}
		}
		if (!(p.revents & POLLIN))
			continue;
		if (read(fd, rx, sizeof(rx)) != (ssize_t)sizeof(rx))
			continue;
		memset(tx, 0, sizeof(tx));
		if (h)
			h(rx, tx, arg);
		if (write(fd, tx, sizeof(tx)) < 0 && errno != ELAST &&
		    errno != EAGAIN)
			perror("peer: write");
	}
	return 0;
}

struct meas {
	double f[3];	 /* frequencies to measure */
	double p[3], all; /* summed power */
	int frames, skip;
	double send_hz, phase; /* a tone to send; 0: silence */
	struct tdm_dsp_tonegen *gen; /* or this generator */
	struct tdm_dsp_dtmf_tx *dtmf;
	struct tdm_dsp_cid_tx *cid_tx;
	struct tdm_dsp_cid_rx *cid_rx;
	struct tdm_dsp_cid cid;
	bool cid_got;
	double hyb[64]; /* echo mode: the hybrid's memory */
	bool echo;
	/* frames that f[0] dominates (80 % of their power), and its power
	 * in them: a level check that a gap in the audio does not skew */
	int tonal;
	double tone_p;
};

static void measure_h(const int16_t *rx, int16_t *tx, void *arg)
{
	struct meas *m = arg;

	if (m->cid_rx)
		tdm_dsp_cid_rx_feed(m->cid_rx, rx, N);
	if (m->skip > 0) {
		m->skip--;
	} else {
		double p0 = 0, all = tdm_dsp_power(rx, N);

		for (int k = 0; k < 3; k++) {
			double p = m->f[k] > 0 ? tl_goertzel(rx, N, m->f[k]) : 0;

			m->p[k] += p;
			if (k == 0)
				p0 = p;
		}
		m->all += all;
		m->frames++;
		if (m->f[0] > 0 && all > 0 && p0 >= 0.8 * all) {
			m->tonal++;
			m->tone_p += p0;
		}
	}
	if (m->send_hz > 0) {
		for (int i = 0; i < N; i++) {
			/* -10 dBm0: 3.14 dBm0 is full scale (32767 peak) */
			tx[i] = (int16_t)(32767.0 * pow(10, -13.14 / 20) *
					  sin(2 * M_PI * m->phase));
			m->phase += m->send_hz / 8000.0;
		}
	}
	if (m->gen)
		tdm_dsp_tonegen_fill(m->gen, tx, N);
	if (m->dtmf)
		tdm_dsp_dtmf_tx_fill(m->dtmf, tx, N);
	if (m->cid_tx)
		tdm_dsp_cid_tx_fill(m->cid_tx, tx, N);
	if (m->echo) {
		/* a hybrid: 6 dB echo return loss with a short dispersive
		 * tail (a decaying oscillation), as check_tdm_dsp models.
		 * The response is computed once: exp() and cos() per tap
		 * and sample took more CPU than a TCG vCPU has, so the
		 * peer fell behind and its "echo" was mostly gaps */
		static double h[64];
		static bool h_ready;

		if (!h_ready) {
			double e = 0;

			for (int k = 0; k < 64; k++) {
				h[k] = exp(-k / 12.0) * cos(2 * M_PI * k / 9.0);
				e += h[k] * h[k];
			}
			for (int k = 0; k < 64; k++)
				h[k] *= 0.5 / sqrt(e);
			h_ready = true;
		}
		for (int i = 0; i < N; i++) {
			double y = 0;

			memmove(m->hyb + 1, m->hyb, 63 * sizeof(double));
			m->hyb[0] = rx[i];
			for (int k = 0; k < 64; k++)
				y += h[k] * m->hyb[k];
			tx[i] = (int16_t)y;
		}
	}
}

static void meas_reset(struct meas *m, double f0, double f1, double f2)
{
	m->f[0] = f0;
	m->f[1] = f1;
	m->f[2] = f2;
	m->p[0] = m->p[1] = m->p[2] = m->all = 0;
	m->frames = 0;
	m->tonal = 0;
	m->tone_p = 0;
	m->skip = 5;
}

static double dbm0(double power)
{
	return tdm_dsp_power_dbm0(power);
}

/* The share of all power at the measured frequencies. */
static double share(const struct meas *m)
{
	return m->all > 0 ? (m->p[0] + m->p[1] + m->p[2]) / m->all : 0;
}

static void on_cid(const struct tdm_dsp_cid *cid, void *arg)
{
	struct meas *m = arg;

	m->cid = *cid;
	m->cid_got = true;
}

static void pulse_digit(int d)
{
	/* 10 pulses a second: 60 ms break, 40 ms make */
	for (int i = 0; i < (d ? d : 10); i++) {
		hook(DAHDI_ONHOOK);
		usleep(60000);
		hook(DAHDI_OFFHOOK);
		usleep(40000);
	}
}

static int phone(void)
{
	struct meas m = { 0 };
	const struct tdm_dsp_zone *us = tdm_dsp_zone_find("us");
	double lvl, t_dial;
	int e;

	printf("peer: phone goes off-hook\n");
	check(hook(DAHDI_OFFHOOK) == 0, "off-hook");
	meas_reset(&m, 350, 440, 0);
	run(1.0, 0, measure_h, &m);
	lvl = dbm0(m.all / m.frames);
	printf("peer: dial tone: 350 Hz %.1f dBm0, 440 Hz %.1f dBm0, "
	       "total %.1f dBm0, share %.3f\n",
	       dbm0(m.p[0] / m.frames), dbm0(m.p[1] / m.frames), lvl,
	       share(&m));
	/* us dial tone: 350 + 440 Hz at -13 dBm0 each: -10 dBm0 total */
	check(fabs(dbm0(m.p[0] / m.frames) - us->tone[TDM_TONE_DIAL].level) <
			      1.5 &&
		      fabs(dbm0(m.p[1] / m.frames) -
			   us->tone[TDM_TONE_DIAL].level) < 1.5,
	      "dial tone 350 + 440 Hz at the zone's level (+-1.5 dB)");
	check(share(&m) > 0.95, "dial tone is those two frequencies only");

	printf("peer: dials DTMF 12\n");
	if (tdm_dsp_dtmf_tx_alloc(&m.dtmf) ||
	    tdm_dsp_dtmf_tx_put(m.dtmf, "12"))
		return 2;
	run(0.6, 0, measure_h, &m);
	m.dtmf = mem_deref(m.dtmf);
	printf("peer: dials pulse 34\n");
	pulse_digit(3);
	usleep(700000);
	pulse_digit(4);
	t_dial = now();
	/* tdm_drive refuses the call: reorder. The number may wait for
	 * the digit map's short timer first, so listen until it starts
	 * (bounded), then measure a second of it */
	for (int i = 0; i < 12; i++) {
		meas_reset(&m, 480, 620, 0);
		m.skip = 0;
		run(0.5, 0, measure_h, &m);
		if (share(&m) > 0.5)
			break;
	}
	printf("peer: reorder starts %.2fs after the last digit\n",
	       now() - t_dial);
	meas_reset(&m, 480, 620, 0);
	run(1.0, 0, measure_h, &m);
	printf("peer: after the call was refused: 480 Hz %.1f, 620 Hz %.1f "
	       "dBm0, share %.3f\n", dbm0(m.p[0] / m.frames),
	       dbm0(m.p[1] / m.frames), share(&m));
	check(share(&m) > 0.5, "reorder tone (480 + 620 Hz) after refusal");
	printf("peer: hangs up\n");
	hook(DAHDI_ONHOOK);

	/* wait to be rung: caller ID in the first silence */
	meas_reset(&m, 0, 0, 0);
	if (tdm_dsp_cid_rx_alloc(&m.cid_rx, TDM_DSP_CID_BELL, on_cid, &m))
		return 2;
	e = run(15.0, 1u << DAHDI_EVENT_RINGOFFHOOK, measure_h, &m);
	check(e == DAHDI_EVENT_RINGOFFHOOK, "first ring");
	run(4.5, 0, measure_h, &m);
	check(m.cid_got, "caller ID received between rings");
	if (m.cid_got)
		printf("peer: caller ID number \"%s\" name \"%s\"\n",
		       m.cid.number, m.cid.name);
	check(m.cid_got && !strcmp(m.cid.number, "2125551234") &&
		      !strcmp(m.cid.name, "TRUNKLINE TEST"),
	      "caller ID is 2125551234 \"TRUNKLINE TEST\"");
	m.cid_rx = mem_deref(m.cid_rx);
	printf("peer: answers\n");
	check(hook(DAHDI_OFFHOOK) == 0, "answer (off-hook)");
	meas_reset(&m, 1004, 0, 0);
	m.send_hz = 1500;
	run(2.0, 0, measure_h, &m);
	printf("peer: hears 1004 Hz at %.1f dBm0 (total %.1f)\n",
	       dbm0(m.p[0] / m.frames), dbm0(m.all / m.frames));
	check(m.frames > 50 && share(&m) > 0.9 &&
		      fabs(dbm0(m.p[0] / m.frames) + 10) < 1.5,
	      "1004 Hz from the gateway at -10 dBm0 (+-1.5 dB)");
	printf("peer: hangs up\n");
	hook(DAHDI_ONHOOK);
	run(2.0, 0, NULL, NULL);
	return fails;
}

/* Send 1500 Hz; wait up to @wait s for @hz to start (a SIP phone's
 * media starts after the answer has crossed SIP and RTP has latched),
 * then measure it for 2 s: 80 % of the frames carry it, at -10 dBm0
 * (+-1.5 dB) in those frames. A starved TCG guest leaves an occasional
 * gap in audio that crossed RTP; that costs the frames it hits, not the
 * level of the rest. */
static void hear_tone(struct meas *m, double hz, double wait)
{
	double t0 = now();
	int i;

	m->send_hz = 1500;
	for (i = 0; i < (int)(wait / 0.2); i++) {
		meas_reset(m, hz, 0, 0);
		m->skip = 0;
		run(0.2, 0, measure_h, m);
		if (share(m) > 0.5)
			break;
	}
	printf("peer: %.0f Hz starts %.2fs after the answer\n", hz,
	       now() - t0);
	meas_reset(m, hz, 0, 0);
	m->skip = 0;
	run(2.0, 0, measure_h, m);
	printf("peer: hears %.0f Hz in %d of %d frames at %.1f dBm0 (over "
	       "all frames %.1f, total %.1f, share %.3f)\n", hz, m->tonal,
	       m->frames, m->tonal ? dbm0(m->tone_p / m->tonal) : -99.0,
	       dbm0(m->p[0] / m->frames), dbm0(m->all / m->frames),
	       share(m));
	/* 70 %: a TCG guest on a throttled host misses blocks (gaps, not
	 * wrong audio); the level must still be right */
	check(m->frames > 50 && m->tonal >= 0.7 * m->frames &&
		      fabs(dbm0(m->tone_p / m->tonal) + 10) < 1.5,
	      "1004 Hz from the SIP side at -10 dBm0 (+-1.5 dB) in 70 % "
	      "of the frames");
	m->send_hz = 0;
}

/* A phone that a SIP caller rings through the gateway's FXS port. */
static int answer(const char *num, const char *name, const char *how)
{
	struct meas m = { 0 };
	int e, i;

	printf("peer: phone waits to be rung\n");
	meas_reset(&m, 0, 0, 0);
	if (tdm_dsp_cid_rx_alloc(&m.cid_rx, TDM_DSP_CID_BELL, on_cid, &m))
		return 2;
	e = run(20.0, 1u << DAHDI_EVENT_RINGOFFHOOK, measure_h, &m);
	check(e == DAHDI_EVENT_RINGOFFHOOK, "rung");
	if (e != DAHDI_EVENT_RINGOFFHOOK)
		return fails; /* off-hook now would be a call of our own */
	/* Bell 202 caller ID comes in the silence after the first ring:
	 * 2 s of ring, then the burst (0.5 s) */
	for (i = 0; i < 30 && !m.cid_got; i++)
		run(0.2, 0, measure_h, &m);
	if (m.cid_got)
		printf("peer: caller ID number \"%s\" name \"%s\"\n",
		       m.cid.number, m.cid.name);
	/* NUMBER "-": this call checks something else (who hangs up) */
	if (strcmp(num, "-")) {
		check(m.cid_got, "caller ID received between rings");
		check(m.cid_got && !strcmp(m.cid.number, num) &&
			      !strcmp(m.cid.name, name),
		      "caller ID is the SIP caller's number and name");
	}
	m.cid_rx = mem_deref(m.cid_rx);
	printf("peer: answers\n");
	check(hook(DAHDI_OFFHOOK) == 0, "answer (off-hook)");
	ring_begins = 0;
	hear_tone(&m, 1004, 4.0);
	if (!strcmp(how, "hangup")) {
		printf("peer: DISCONNECT t=%.3f by going on-hook\n", now());
		check(hook(DAHDI_ONHOOK) == 0, "on-hook");
		/* the gateway sees it after DAHDI's 1.25 s flash window */
		run(3.0, 0, NULL, NULL);
		goto out;
	}
	/* the SIP caller hangs up: our port plays reorder until we do */
	printf("peer: waits for the far end to hang up\n");
	for (i = 0; i < 30; i++) {
		meas_reset(&m, 480, 620, 0);
		m.skip = 0;
		run(0.5, 0, measure_h, &m);
		if (share(&m) > 0.5)
			break;
	}
	printf("peer: reorder heard at %.2fs\n", now() - t_start);
	meas_reset(&m, 480, 620, 0);
	run(1.0, 0, measure_h, &m);
	printf("peer: after the far end hung up: 480 Hz %.1f, 620 Hz %.1f "
	       "dBm0, share %.3f\n", dbm0(m.p[0] / m.frames),
	       dbm0(m.p[1] / m.frames), share(&m));
	check(share(&m) > 0.5, "reorder (480 + 620 Hz) when SIP hung up");
	printf("peer: hangs up\n");
	hook(DAHDI_ONHOOK);
	run(2.0, 0, NULL, NULL);
out:
	/* from the answer on the phone is not rung again: the next ring
	 * of the cadence (2 s on, 4 s off) falls in these 5 s or more */
	check(ring_begins == 0, "no ring after the answer");
	return fails;
}

struct digits {
	char d[32];
	size_t n;
	double t_last;
};

static void on_digit(char digit, void *arg)
{
	struct digits *dg = arg;

	if (dg->n + 1 < sizeof(dg->d)) {
		dg->d[dg->n++] = digit;
		dg->d[dg->n] = '\0';
	}
	dg->t_last = now();
}

static void dtmf_h(const int16_t *rx, int16_t *tx, void *arg)
{
	(void)tx;
	tdm_dsp_dtmf_rx_feed(arg, rx, N);
}

/* The exchange end of a line the gateway dials out on. */
static int exchange(const char *num)
{
	struct meas m = { 0 };
	struct digits dg = { .n = 0 };
	struct tdm_dsp_dtmf_rx *det;
	double t_seize;
	int e;

	printf("peer: exchange waits for the line to be seized\n");
	e = run(20.0, 1u << DAHDI_EVENT_RINGOFFHOOK, NULL, NULL);
	check(e == DAHDI_EVENT_RINGOFFHOOK, "seized (off-hook)");
	if (e != DAHDI_EVENT_RINGOFFHOOK)
		return fails;
	t_seize = now();
	/* the exchange answers the seizure with loop current (what co
	 * does when the gateway answers): without it there is none to
	 * drop at the end, and the kewlstart disconnect never happens */
	check(hook(DAHDI_OFFHOOK) == 0, "loop current on");
	if (tdm_dsp_dtmf_rx_alloc(&det, on_digit, &dg))
		return 2;
	/* digits follow the seizure after the gateway's 0.5 s dial delay;
	 * the number is complete 1.5 s after its last digit */
	while (now() - t_seize < 10.0 &&
	       (!dg.n || now() - dg.t_last < 1.5))
		run(0.2, 0, dtmf_h, det);
	mem_deref(det);
	printf("peer: dialled \"%s\" (%.2fs after the seizure)\n", dg.d,
	       dg.t_last > 0 ? dg.t_last - t_seize : -1.0);
	check(!strcmp(dg.d, num), "DTMF digits are the called number");
	hear_tone(&m, 1004, 4.0);
	printf("peer: DISCONNECT t=%.3f by loop current drop\n", now());
	check(hook(DAHDI_ONHOOK) == 0, "on-hook (loop current off)");
	run(3.0, 0, NULL, NULL);
	return fails;
}

static int co(const char *mode)
{
	struct meas m = { 0 };
	struct tdm_dsp_cid cid = { .number = "2125551234",
				   .name = "CO LINE" };
	double t;
	int e;

	printf("peer: exchange rings the line\n");
	check(hook(DAHDI_RING) == 0, "ring");
	e = run(4.0, 1u << DAHDI_EVENT_RINGEROFF, NULL, NULL);
	check(e == DAHDI_EVENT_RINGEROFF, "first ring over");
	/* Bell 202 caller ID half a second into the silence */
	run(0.5, 0, NULL, NULL);
	if (tdm_dsp_cid_tx_alloc(&m.cid_tx, TDM_DSP_CID_BELL, &cid))
		return 2;
	meas_reset(&m, 1004, 0, 0);
	e = run(12.0, 1u << DAHDI_EVENT_RINGOFFHOOK, measure_h, &m);
	check(e == DAHDI_EVENT_RINGOFFHOOK, "the gateway answered");
	m.cid_tx = mem_deref(m.cid_tx);
	hook(DAHDI_OFFHOOK);
	if (!strcmp(mode, "sip")) {
		hear_tone(&m, 1004, 4.0);
	} else {
		meas_reset(&m, 1004, 0, 0);
		m.send_hz = 1500;
		run(2.0, 0, measure_h, &m);
		printf("peer: hears 1004 Hz at %.1f dBm0 (total %.1f)\n",
		       dbm0(m.p[0] / m.frames), dbm0(m.all / m.frames));
		check(m.frames > 50 && share(&m) > 0.9 &&
			      fabs(dbm0(m.p[0] / m.frames) + 10) < 1.5,
		      "1004 Hz from the gateway at -10 dBm0 (+-1.5 dB)");
		m.send_hz = 0;
	}
	if (!strcmp(mode, "echo")) {
		printf("peer: reflects through a hybrid\n");
		m.echo = true;
		run(12.0, 0, measure_h, &m);
		m.echo = false;
	}
	t = now();
	if (!strcmp(mode, "busy")) {
		printf("peer: DISCONNECT t=%.3f by busy tone\n", t);
		if (tdm_dsp_tonegen_alloc(&m.gen, tdm_dsp_zone_find("us"),
					  TDM_TONE_BUSY))
			return 2;
		run(6.0, 0, measure_h, &m);
		m.gen = mem_deref(m.gen);
	} else {
		printf("peer: DISCONNECT t=%.3f by loop current drop\n", t);
		check(hook(DAHDI_ONHOOK) == 0, "on-hook (loop current off)");
		run(3.0, 0, NULL, NULL);
	}
	return fails;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 3 ||
	    (strcmp(argv[1], "phone") && strcmp(argv[1], "co") &&
	     strcmp(argv[1], "answer") && strcmp(argv[1], "exchange")) ||
	    (!strcmp(argv[1], "exchange") && argc < 4) ||
	    (!strcmp(argv[1], "co") && argc < 4) ||
	    (!strcmp(argv[1], "answer") &&
	     (argc < 6 || (strcmp(argv[5], "hangup") &&
			   strcmp(argv[5], "wait"))))) {
		fprintf(stderr, "usage: dahdi_peer phone CHAN | co CHAN "
				"kewl|busy|echo|sip | answer CHAN NUMBER|- "
				"NAME hangup|wait | exchange CHAN NUMBER\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_start = now();
	open_chan(atoi(argv[2]));
	if (!strcmp(argv[1], "phone"))
		rc = phone();
	else if (!strcmp(argv[1], "co"))
		rc = co(argv[3]);
	else if (!strcmp(argv[1], "exchange"))
		rc = exchange(argv[3]);
	else
		rc = answer(argv[3], argv[4], argv[5]);
	printf("peer: %d failure(s)\n", rc);
	close(fd);
	return rc ? 1 : 0;
}
