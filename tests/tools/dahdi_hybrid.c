// SPDX-License-Identifier: GPL-2.0
/*
 * dahdi_hybrid - the far end of a looped DAHDI channel as a 2-wire line
 * whose hybrid reflects what it hears, for the vm tier's echo scenario.
 *
 *   dahdi_hybrid CHAN ERL_DB SECONDS
 *
 * CHAN is an fxoks channel (the exchange side of our FXO port). When the
 * line goes off-hook it gives loop current (DAHDI_OFFHOOK), then reflects
 * every sample it receives back inside DAHDI (DAHDI_LOOPBACK), attenuated
 * by ERL_DB through its receive gain table (DAHDI_SETGAINS): the echo
 * return loss of the modelled hybrid. It ends when the line goes on-hook
 * again or after SECONDS.
 *
 * Why in the kernel: a peer that read and wrote the audio in userspace
 * moved the echo path by 150-340 ms whenever TCG starved it, and no
 * canceller can follow that. DAHDI's loopback sends the last received
 * chunk out in the same 1 ms tick, so the path is a fixed gain and delay
 * whatever this process does; the gain table is applied on the G.711
 * octets, so the echo carries one more G.711 quantisation, as a real
 * line's echo does.
 *
 * Prints "hybrid: ..." lines; exit 0 when the line went off-hook, was
 * looped and went on-hook again, 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <dahdi/user.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* G.711 from its definition (ITU-T G.711 tables 1 and 2): a sign, a
 * 3-bit segment and a 4-bit step, on a 16-bit linear scale. */
static int ulaw_dec(unsigned char b)
{
	unsigned u = (unsigned char)~b;
	int mag = ((int)((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7);

	return u & 0x80 ? 0x84 - mag : mag - 0x84;
}

static unsigned char ulaw_enc(int x)
{
	unsigned sign = x < 0 ? 0x80 : 0;
	int mag = (x < 0 ? -x : x);
	unsigned seg = 0;

	mag = (mag > 32635 ? 32635 : mag) + 0x84;
	while (seg < 7 && (mag >> (seg + 8)))
		seg++;
	return (unsigned char)~(sign | seg << 4 | ((mag >> (seg + 3)) & 0x0f));
}

static int alaw_dec(unsigned char b)
{
	unsigned a = b ^ 0x55u, seg = (a >> 4) & 7;
	int mag = (int)((a & 0x0f) << 4) + 8;

	if (seg)
		mag = (mag + 0x100) << (seg - 1);
	return a & 0x80 ? mag : -mag;
}

static unsigned char alaw_enc(int x)
{
	unsigned mask = x >= 0 ? 0xd5 : 0x55, seg = 0;
	int mag = x >= 0 ? x : -x - 1;

	if (mag > 32767)
		mag = 32767;
	while (seg < 7 && (mag >> (seg + 8)))
		seg++;
	return (unsigned char)((seg << 4 |
				((mag >> (seg ? seg + 3 : 4)) & 0x0f)) ^
			       mask);
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* The next event within @secs, 0 if none came. */
static int wait_event(int fd, double secs)
{
	double end = now() + secs;
	struct pollfd p = { .fd = fd, .events = POLLPRI };
	int e;

	while (now() < end) {
		e = 0;
		if (!xioctl(fd, DAHDI_GETEVENT, &e) && e)
			return e;
		/* only POLLPRI: the audio we never read keeps POLLIN up */
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			return 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dahdi_params pa = { 0 };
	struct dahdi_gains g = { 0 };
	double secs, t0, t_off = 0, k = 1;
	int fd, ch, erl, v, e, err = 0;
	bool alaw;

	if (argc != 4 || (ch = atoi(argv[1])) <= 0 ||
	    (erl = atoi(argv[2])) < 0 || erl > 40 ||
	    (secs = atof(argv[3])) <= 0 || secs > 120) {
		fprintf(stderr, "usage: dahdi_hybrid CHAN ERL_DB(0-40, whole dB) "
				"SECONDS(<=120)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || xioctl(fd, DAHDI_SPECIFY, &ch)) {
		printf("hybrid: FAIL: open channel %d: %s\n", ch,
		       strerror(errno));
		return 1;
	}
	pa.channo = ch;
	if (xioctl(fd, DAHDI_GET_PARAMS, &pa)) {
		printf("hybrid: FAIL: DAHDI_GET_PARAMS: %s\n", strerror(errno));
		return 1;
	}
	alaw = pa.curlaw == DAHDI_LAW_ALAW;
	/* 10^(-erl/20) in whole dB steps: no libm in this tool */
	for (int i = 0; i < erl; i++)
		k *= 0.8912509381337456;
	/* receive table: the echo return loss; transmit: unity */
	for (int i = 0; i < 256; i++) {
		double lin = alaw ? alaw_dec((unsigned char)i) :
				    ulaw_dec((unsigned char)i);
		int y = (int)(lin * k + (lin < 0 ? -0.5 : 0.5));

		g.rxgain[i] = alaw ? alaw_enc(y) : ulaw_enc(y);
		g.txgain[i] = (unsigned char)i;
	}
	if (xioctl(fd, DAHDI_SETGAINS, &g)) {
		printf("hybrid: FAIL: DAHDI_SETGAINS: %s\n", strerror(errno));
		return 1;
	}
	printf("hybrid: channel %d (%s), ERL %d dB, waiting for off-hook\n",
	       ch, alaw ? "A-law" : "mu-law", erl);
	t0 = now();
	while (now() - t0 < secs) {
		e = wait_event(fd, secs - (now() - t0));
		if (e == DAHDI_EVENT_RINGOFFHOOK && !t_off) {
			t_off = now();
			v = DAHDI_OFFHOOK;
			err = xioctl(fd, DAHDI_HOOK, &v);
			v = 1;
			if (err || xioctl(fd, DAHDI_LOOPBACK, &v)) {
				printf("hybrid: FAIL: loop: %s\n",
				       strerror(errno));
				err = 1;
				break;
			}
			printf("hybrid: off-hook: looped back\n");
		} else if (e == DAHDI_EVENT_ONHOOK && t_off) {
			printf("hybrid: on-hook after %.1fs looped\n",
			       now() - t_off);
			break;
		} else if (e) {
			printf("hybrid: event %d\n", e);
		}
	}
	v = 0;
	xioctl(fd, DAHDI_LOOPBACK, &v);
	/* DAHDI keeps gains across opens: leave the channel at unity */
	for (int i = 0; i < 256; i++)
		g.rxgain[i] = (unsigned char)i;
	xioctl(fd, DAHDI_SETGAINS, &g);
	if (!t_off || now() - t0 >= secs) {
		printf("hybrid: FAIL: %s\n", t_off ? "no on-hook in time" :
						     "never off-hook");
		err = 1;
	}
	close(fd);
	return err;
}
