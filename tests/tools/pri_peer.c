// SPDX-License-Identifier: GPL-2.0
/*
 * pri_peer - the exchange side of a PRI link for the vm tier: libpri in
 * network mode on a DAHDI D channel, with its own B channels, facing
 * Trunkline's PRI driver (build/tools/tdm_drive pri) across the looped
 * dahdi_dynamic_loc spans.
 *
 *   pri_peer DCHAN FIRST_B
 *
 * DCHAN is the D channel (48), FIRST_B the DAHDI channel of timeslot 1
 * (25). The script, each step waiting for the one before:
 *
 *   A  takes the call Trunkline places: checks called 5551000 (national /
 *      E.164), calling 12125551234 (international / E.164: Trunkline was
 *      given +12125551234), presentation allowed and user
 *      provided, verified; CALL PROCEEDING, PROGRESS with in-band
 *      information (indicator 8), ALERTING, CONNECT; sends
 *      1500 Hz at -10 dBm0 and measures the 1004 Hz Trunkline sends
 *      (Goertzel); expects DISCONNECT with cause 16
 *   B  calls 100 from 2125559876, national / E.164, presentation
 *      restricted, diverted from 2125550001 (redirecting number); when
 *      answered, clears it with cause 16 after 1 s
 *   C  calls 101 from 12125550000, international / E.164 (Trunkline must
 *      report +12125550000); when it rings, clears it with cause 17
 *      (user busy) before any answer
 *
 * then exits, taking layer 2 down with it. Counts the RESTARTs the other
 * side sent when the link came up. Prints "peer: ok/FAIL" per check and
 * exits 0 when every check passed. Bounded: 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <dahdi/user.h>
#include <libpri.h>

#include "../lib/goertzel.h"

#define BLOCK 160

struct peer {
	struct pri *pri;
	int dfd, bfd;
	int first_b;
	q931_call *call;
	unsigned ts;
	char step;	  /* 'A', 'B', 'C', 0: done */
	bool up, answered, audio;
	int restarts;
	int fails;
	double at;	  /* next scripted action, 0: none */
	int action;
	/* audio on the call's B channel */
	double phase, p1004, all;
	int frames;
};

enum { ACT_NONE, ACT_ALERT, ACT_ANSWER, ACT_CALL_B, ACT_CALL_C,
       ACT_CLEAR_16, ACT_CLEAR_17, ACT_EXIT };

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(struct peer *p, int ok, const char *what)
{
	printf("peer: %s: %s\n", ok ? "ok" : "FAIL", what);
	p->fails += !ok;
}

static void later(struct peer *p, double s, int action)
{
	p->at = now() + s;
	p->action = action;
}

static double power(const int16_t *x, size_t n)
{
	double e = 0;

	for (size_t i = 0; i < n; i++)
		e += (double)x[i] * x[i];
	return e / (double)n;
}

/* dBm0 of a mean square power in linear 16-bit units (G.711: a full
 * scale sine is +3.14 dBm0) */
static double dbm0(double pw)
{
	return 10.0 * log10(pw / (32767.0 * 32767.0 / 2)) + 3.14;
}

static int b_open(struct peer *p, unsigned ts)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = 8,
		.bufsize = BLOCK, /* samples: reads give 2 bytes each */
	};
	int16_t silence[BLOCK] = { 0 };
	int fd, v = p->first_b + (int)ts - 1;

	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, DAHDI_SPECIFY, &v) ||
	    (v = 1, ioctl(fd, DAHDI_AUDIOMODE, &v)) ||
	    (v = BLOCK, ioctl(fd, DAHDI_SET_BLOCKSIZE, &v)) ||
	    ioctl(fd, DAHDI_SET_BUFINFO, &bi) ||
	    (v = 1, ioctl(fd, DAHDI_SETLINEAR, &v))) {
		int err = -errno;

		close(fd);
		return err;
	}
	for (int i = 0; i < 3; i++)
		if (write(fd, silence, sizeof(silence)) < 0)
			break;
	p->bfd = fd;
	p->phase = p->p1004 = p->all = 0;
	p->frames = 0;
	return 0;
}

static void b_close(struct peer *p)
{
	if (p->bfd >= 0)
		close(p->bfd);
	p->bfd = -1;
	p->audio = false;
}

/* One 20 ms block from the B channel: measure, answer with 1500 Hz. */
static void b_io(struct peer *p)
{
	int16_t rx[BLOCK], tx[BLOCK];

	for (int k = 0; k < 8; k++) {
		ssize_t n = read(p->bfd, rx, sizeof(rx));
		int e;

		if (n < 0 && errno == ELAST) {
			ioctl(p->bfd, DAHDI_GETEVENT, &e);
			continue;
		}
		if (n != (ssize_t)sizeof(rx))
			return;
		/* frames 10..75 of the call: after the far end's tone
		 * starts, before it may stop */
		if (++p->frames > 10 && p->frames <= 75) {
			p->p1004 += tl_goertzel(rx, BLOCK, 1004);
			p->all += power(rx, BLOCK);
		}
		for (int i = 0; i < BLOCK; i++) {
			tx[i] = (int16_t)(32767.0 * pow(10, -13.14 / 20) *
					  sin(2 * M_PI * p->phase));
			p->phase += 1500.0 / 8000.0;
		}
		if (write(p->bfd, tx, sizeof(tx)) < 0 && errno != ELAST)
			return;
	}
}

static void report_tone(struct peer *p)
{
	int n = p->frames > 75 ? 65 : p->frames - 10;
	double l = dbm0(p->p1004 / (n > 0 ? n : 1));

	printf("peer: hears 1004 Hz at %.1f dBm0 (%d frames)\n", l, n);
	check(p, n > 50 && p->all > 0 && fabs(l + 10) < 1.5 &&
			 p->p1004 > 0.9 * p->all,
	      "1004 Hz from Trunkline at -10 dBm0 (+-1.5 dB)");
}

static void place(struct peer *p, unsigned ts, const char *called,
		  const char *calling, int pres, const char *redir)
{
	struct pri_sr *sr = pri_sr_new();
	char cd[32], cg[32], rd[32];
	/* "+": international, and digits only on the wire */
	int cgplan = calling[0] == '+' ? PRI_INTERNATIONAL_ISDN :
					 PRI_NATIONAL_ISDN;

	snprintf(cd, sizeof(cd), "%s", called);
	snprintf(cg, sizeof(cg), "%s", calling + (calling[0] == '+'));
	snprintf(rd, sizeof(rd), "%s", redir ? redir : "");
	if (redir)
		pri_sr_set_redirecting(sr, rd, PRI_NATIONAL_ISDN,
				       PRES_ALLOWED_USER_NUMBER_NOT_SCREENED,
				       PRI_REDIR_FORWARD_ON_BUSY);
	p->call = pri_new_call(p->pri);
	p->ts = ts;
	p->answered = false;
	pri_sr_set_channel(sr, (int)ts, 1, 0);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ULAW);
	pri_sr_set_called(sr, cd, PRI_NATIONAL_ISDN, 1);
	pri_sr_set_caller(sr, cg, NULL, cgplan, pres);
	check(p, p->call && !pri_setup(p->pri, p->call, sr),
	      "SETUP sent");
	pri_sr_free(sr);
	printf("peer: call %c: SETUP to %s from %s on B channel %u\n",
	       p->step, called, calling, ts);
}

static void act(struct peer *p)
{
	int action = p->action;

	p->at = 0;
	p->action = ACT_NONE;
	switch (action) {
	case ACT_ALERT:
		/* in-band announcement first (progress indicator 8) */
		pri_progress(p->pri, p->call, (int)p->ts, 1);
		pri_acknowledge(p->pri, p->call, (int)p->ts, 0);
		later(p, 0.5, ACT_ANSWER);
		break;
	case ACT_ANSWER:
		pri_answer(p->pri, p->call, (int)p->ts, 0);
		p->audio = true;
		printf("peer: call A: CONNECT\n");
		break;
	case ACT_CALL_B:
		p->step = 'B';
		place(p, 2, "100", "2125559876",
		      PRES_PROHIB_USER_NUMBER_PASSED_SCREEN, "2125550001");
		break;
	case ACT_CALL_C:
		p->step = 'C';
		place(p, 3, "101", "+12125550000",
		      PRES_ALLOWED_USER_NUMBER_PASSED_SCREEN, NULL);
		break;
	case ACT_CLEAR_16:
	case ACT_CLEAR_17:
		printf("peer: call %c: DISCONNECT cause %d\n", p->step,
		       action == ACT_CLEAR_16 ? 16 : 17);
		pri_hangup(p->pri, p->call,
			   action == ACT_CLEAR_16 ? PRI_CAUSE_NORMAL_CLEARING :
						    PRI_CAUSE_USER_BUSY);
		break;
	case ACT_EXIT:
		p->step = 0;
		break;
	}
}

static void ring(struct peer *p, const pri_event_ring *r)
{
	unsigned ts = (unsigned)r->channel & 0xff;

	printf("peer: call A: SETUP to \"%s\" (plan 0x%02x) from \"%s\" "
	       "(plan 0x%02x, presentation 0x%02x) on B channel %u\n",
	       r->callednum, r->calledplan, r->callingnum, r->callingplan,
	       r->callingpres, ts);
	if (p->step != 'A' || p->call) {
		check(p, 0, "one incoming call, when expected");
		pri_hangup(p->pri, r->call, PRI_CAUSE_CALL_REJECTED);
		return;
	}
	check(p, !strcmp(r->callednum, "5551000") &&
			 r->calledplan == PRI_NATIONAL_ISDN,
	      "called number 5551000, national / E.164");
	check(p, !strcmp(r->callingnum, "12125551234") &&
			 r->callingplan == PRI_INTERNATIONAL_ISDN,
	      "calling number 12125551234, international / E.164 (sent "
	      "as +12125551234)");
	check(p, r->callingpres == PRES_ALLOWED_USER_NUMBER_PASSED_SCREEN,
	      "presentation allowed, user provided, verified");
	check(p, ts == 1, "B channel 1 (the lowest, hunting ascending)");
	p->call = r->call;
	p->ts = ts;
	pri_proceeding(p->pri, r->call, (int)ts, 0);
	if (b_open(p, ts))
		check(p, 0, "open the B channel");
	later(p, 0.3, ACT_ALERT);
}

static void cleared(struct peer *p, int cause, bool by_far)
{
	char step = p->step;

	if (step == 'A') {
		report_tone(p);
		check(p, by_far && cause == PRI_CAUSE_NORMAL_CLEARING,
		      "call A: Trunkline cleared with cause 16");
		later(p, 1.0, ACT_CALL_B);
	} else if (step == 'B') {
		check(p, p->answered && !by_far,
		      "call B: answered, then we cleared");
		later(p, 1.0, ACT_CALL_C);
	} else if (step == 'C') {
		check(p, !p->answered && !by_far,
		      "call C: we cleared with cause 17 before answer");
		later(p, 1.0, ACT_EXIT);
	}
	b_close(p);
	p->call = NULL;
}

static void handle(struct peer *p, pri_event *e)
{
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		printf("peer: D channel up t=%.3f\n", now());
		p->up = true;
		break;
	case PRI_EVENT_DCHAN_DOWN:
		printf("peer: D channel down\n");
		p->up = false;
		break;
	case PRI_EVENT_RESTART:
		p->restarts++;
		break;
	case PRI_EVENT_RING:
		ring(p, &e->ring);
		break;
	case PRI_EVENT_RINGING:
		if (e->ringing.call != p->call)
			break;
		printf("peer: call %c: ALERTING\n", p->step);
		if (p->step == 'C')
			later(p, 0.5, ACT_CLEAR_17);
		break;
	case PRI_EVENT_PROCEEDING:
		if (e->proceeding.call == p->call)
			printf("peer: call %c: CALL PROCEEDING\n", p->step);
		break;
	case PRI_EVENT_ANSWER:
		if (e->answer.call != p->call)
			break;
		printf("peer: call %c: CONNECT\n", p->step);
		p->answered = true;
		if (p->step == 'B')
			later(p, 1.0, ACT_CLEAR_16);
		else
			check(p, 0, "only call B is answered");
		break;
	case PRI_EVENT_HANGUP_REQ:
		if (e->hangup.call != p->call) {
			pri_hangup(p->pri, e->hangup.call, e->hangup.cause);
			break;
		}
		printf("peer: call %c: DISCONNECT from Trunkline, cause %d\n",
		       p->step, e->hangup.cause);
		pri_hangup(p->pri, p->call, e->hangup.cause);
		cleared(p, e->hangup.cause, true);
		break;
	case PRI_EVENT_HANGUP:
		pri_hangup(p->pri, e->hangup.call, e->hangup.cause);
		if (e->hangup.call == p->call) {
			printf("peer: call %c: RELEASE, cause %d\n", p->step,
			       e->hangup.cause);
			cleared(p, e->hangup.cause, p->step == 'A');
		}
		break;
	case PRI_EVENT_HANGUP_ACK:
		if (e->hangup.call == p->call) {
			printf("peer: call %c: cleared\n", p->step);
			cleared(p, 0, false);
		}
		break;
	default:
		break;
	}
}

static void lib_msg(struct pri *pri, char *s)
{
	(void)pri;
	if (getenv("PEER_DEBUG"))
		fprintf(stderr, "libpri: %s", s);
}

static int d_open(int chan)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = 16,
		.bufsize = 1024,
	};
	int fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);

	if (fd < 0 || ioctl(fd, DAHDI_SPECIFY, &chan) ||
	    ioctl(fd, DAHDI_SET_BUFINFO, &bi)) {
		perror("peer: D channel");
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct peer p = { .bfd = -1, .step = 'A' };
	double t0 = now();

	if (argc != 3) {
		fprintf(stderr, "usage: pri_peer DCHAN FIRST_B\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	p.first_b = atoi(argv[2]);
	p.dfd = d_open(atoi(argv[1]));
	if (p.dfd < 0)
		return 2;
	pri_set_error(lib_msg);
	pri_set_message(lib_msg);
	p.pri = pri_new(p.dfd, PRI_NETWORK, PRI_SWITCH_NI2);
	if (!p.pri)
		return 2;
	if (getenv("PEER_DEBUG"))
		pri_set_debug(p.pri,
			      PRI_DEBUG_Q931_DUMP | PRI_DEBUG_Q921_STATE);
	printf("peer: ready\n");
	while (p.step && now() - t0 < 60) {
		struct pollfd pf[2] = {
			{ .fd = p.dfd, .events = POLLIN | POLLPRI },
			{ .fd = p.bfd, .events = POLLIN | POLLPRI },
		};
		struct timeval *tv = pri_schedule_next(p.pri), tnow;
		int ms = 100;
		pri_event *e;

		if (tv) {
			gettimeofday(&tnow, NULL);
			ms = (int)((tv->tv_sec - tnow.tv_sec) * 1000 +
				   (tv->tv_usec - tnow.tv_usec) / 1000) + 1;
			ms = ms < 0 ? 0 : ms > 100 ? 100 : ms;
		}
		poll(pf, p.bfd >= 0 ? 2 : 1, ms);
		if (pf[0].revents & POLLPRI) {
			int ev = 0;

			ioctl(p.dfd, DAHDI_GETEVENT, &ev);
		}
		if (pf[0].revents & POLLIN) {
			e = pri_check_event(p.pri);
			if (e)
				handle(&p, e);
		}
		e = pri_schedule_run(p.pri);
		if (e)
			handle(&p, e);
		if (p.bfd >= 0 && p.audio && (pf[1].revents & POLLIN))
			b_io(&p);
		else if (p.bfd >= 0 && (pf[1].revents & POLLIN)) {
			int16_t rx[BLOCK];

			/* not connected yet: keep the queue drained */
			while (read(p.bfd, rx, sizeof(rx)) > 0)
				;
		}
		if (p.at && now() >= p.at)
			act(&p);
	}
	printf("peer: %d RESTART(s) received\n", p.restarts);
	check(&p, p.restarts == 23, "Trunkline restarted its 23 B channels");
	check(&p, !p.step, "the script ran to its end within 60 s");
	b_close(&p);
	close(p.dfd);
	printf("peer: %d failure(s)\n", p.fails);
	return p.fails ? 1 : 0;
}
