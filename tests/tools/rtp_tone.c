// SPDX-License-Identifier: GPL-2.0
/*
 * rtp_tone - the audio end of a SIP test peer (SIPp carries only the
 * signalling): sends a tone as G.711 RTP and measures the tone it hears,
 * for the end-to-end call tests (tests/vm/t_call_dahdi.sh).
 *
 *   rtp_tone PORT SEND_HZ HEAR_HZ SECONDS
 *
 * Binds 127.0.0.1:PORT (the port the SIPp scenario puts in its SDP) and
 * waits up to SECONDS for the first RTP packet; its source is where the
 * gateway wants media (symmetric RTP), so the tool sends there: 20 ms
 * PCMU packets of SEND_HZ at -10 dBm0. It runs until SECONDS after that
 * first packet, or until the gateway has been silent for 1.5 s (the call
 * ended). Every 20 ms frame heard (PCMU or PCMA by payload type; other
 * types are skipped) is loud above -50 dBm0, and tonal when HEAR_HZ holds
 * 80 % of its power (Goertzel).
 *
 * Prints one line:
 *   rtp_tone: rx=N tx=N loud=N tonal=N share=S level=L dBm0 start=T s
 * (share: tonal/loud; level: mean power at HEAR_HZ over the tonal frames;
 * start: first tonal frame after the first packet). Exit 0 when at least
 * 25 frames (0.5 s) were tonal, share >= 0.5 and the level is within
 * 2 dB of -10 dBm0; 1 otherwise; 2 usage; 3 system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/codec.h"
#include "../../tdm/dsp/dsp.h"
#include "../lib/goertzel.h"

#define N 160
#define RTP_HDR 12
#define SILENT_END 1.5 /* seconds without a packet: the call is over */
#define MIN_TONAL 25   /* frames: 0.5 s of the tone */
#define LEVEL_DBM0 -10.0

struct hear {
	double hz;
	unsigned loud, tonal;
	double tone_power; /* summed over the tonal frames */
	double t_first_tonal;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void hear_frame(struct hear *h, const int16_t *x, double t)
{
	double all = tdm_dsp_power(x, N), p;

	if (tdm_dsp_power_dbm0(all) < -50.0)
		return;
	h->loud++;
	p = tl_goertzel(x, N, h->hz);
	if (p < 0.8 * all)
		return;
	if (!h->tonal)
		h->t_first_tonal = t;
	h->tonal++;
	h->tone_power += p;
}

/* One RTP packet: decode its G.711 payload, 160 samples at a time. */
static void hear_packet(struct hear *h, struct media_codec *pcmu,
			struct media_codec *pcma, const uint8_t *p, size_t len,
			double t)
{
	struct media_codec *c;
	size_t off = RTP_HDR;
	int16_t x[N];

	if (len < RTP_HDR || (p[0] >> 6) != 2)
		return;
	/* CSRCs and an extension header, if any, come before the payload */
	off += 4u * (p[0] & 0x0f);
	if ((p[0] & 0x10) && len >= off + 4)
		off += 4 + 4u * ((p[off + 2] << 8) | p[off + 3]);
	switch (p[1] & 0x7f) {
	case 0:
		c = pcmu;
		break;
	case 8:
		c = pcma;
		break;
	default:
		return;
	}
	for (; off + N <= len; off += N)
		if (media_codec_decode(c, x, N, p + off, N) == N)
			hear_frame(h, x, t);
}

int main(int argc, char **argv)
{
	struct sockaddr_in me = {.sin_family = AF_INET}, peer;
	struct media_codec *pcmu = NULL, *pcma = NULL;
	struct hear h = {0};
	double send_hz, secs, t0, t_first = 0, t_last = 0, t_next = 0;
	double phase = 0, amp = 32767.0 * pow(10, (LEVEL_DBM0 - 3.14) / 20);
	unsigned rx = 0, tx = 0;
	uint16_t seq = 0x1234;
	uint32_t ts = 0;
	bool latched = false;
	int fd, rc = 3;

	if (argc != 5) {
		fprintf(stderr,
			"usage: rtp_tone PORT SEND_HZ HEAR_HZ SECONDS\n");
		return 2;
	}
	me.sin_port = htons((uint16_t)atoi(argv[1]));
	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	send_hz = atof(argv[2]);
	h.hz = atof(argv[3]);
	secs = atof(argv[4]);
	if (!me.sin_port || send_hz <= 0 || h.hz <= 0 || secs <= 0 ||
	    secs > 600) {
		fprintf(stderr, "rtp_tone: bad arguments\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (media_codec_alloc(&pcmu, MEDIA_CODEC_PCMU, 8000) ||
	    media_codec_alloc(&pcma, MEDIA_CODEC_PCMA, 8000))
		goto out;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		perror("rtp_tone: socket");
		goto out;
	}
	t0 = now();
	for (;;) {
		double t = now(), wait;
		uint8_t p[1500];
		socklen_t sl = sizeof(peer);
		struct pollfd pf = {fd, POLLIN, 0};
		ssize_t n;

		if (!latched && t - t0 > secs)
			break;
		if (latched && (t - t_first > secs || t - t_last > SILENT_END))
			break;
		/* send on a 20 ms grid from the first packet on; a late
		 * wakeup sends what is due at once, as a real phone's
		 * clock would have */
		while (latched && t >= t_next) {
			uint8_t pkt[RTP_HDR + N];
			int16_t x[N];

			for (int i = 0; i < N; i++) {
				x[i] = (int16_t)(amp * sin(2 * M_PI * phase));
				phase += send_hz / 8000.0;
				phase -= floor(phase);
			}
			pkt[0] = 0x80;
			pkt[1] = 0;
			pkt[2] = (uint8_t)(seq >> 8);
			pkt[3] = (uint8_t)seq;
			pkt[4] = (uint8_t)(ts >> 24);
			pkt[5] = (uint8_t)(ts >> 16);
			pkt[6] = (uint8_t)(ts >> 8);
			pkt[7] = (uint8_t)ts;
			memcpy(pkt + 8, "\x7e\x50\x70\x01", 4); /* SSRC */
			media_codec_encode(pcmu, pkt + RTP_HDR, N, x, N);
			if (sendto(fd, pkt, sizeof(pkt), 0,
				   (struct sockaddr *)&peer,
				   sizeof(peer)) == (ssize_t)sizeof(pkt))
				tx++;
			seq++;
			ts += N;
			t_next += 0.020;
		}
		wait = latched ? t_next - now() : 0.1;
		if (poll(&pf, 1, wait > 0 ? (int)(wait * 1000) + 1 : 0) <= 0)
			continue;
		n = recvfrom(fd, p, sizeof(p), 0,
			     latched ? NULL : (struct sockaddr *)&peer,
			     latched ? NULL : &sl);
		if (n < 0)
			continue;
		t = now();
		if (!latched) {
			latched = true;
			t_first = t_next = t;
			printf("rtp_tone: first packet from %s:%u after "
			       "%.2fs\n",
			       inet_ntoa(peer.sin_addr), ntohs(peer.sin_port),
			       t - t0);
		}
		t_last = t;
		rx++;
		hear_packet(&h, pcmu, pcma, p, (size_t)n, t);
	}
	close(fd);
	{
		double share = h.loud ? (double)h.tonal / h.loud : 0;
		double lvl =
		    h.tonal ? tdm_dsp_power_dbm0(h.tone_power / h.tonal) : -99;

		printf("rtp_tone: rx=%u tx=%u loud=%u tonal=%u share=%.2f "
		       "level=%.1f dBm0 start=%.2f s (%.0f Hz heard, "
		       "%.0f Hz sent)\n",
		       rx, tx, h.loud, h.tonal, share, lvl,
		       h.tonal ? h.t_first_tonal - t_first : -1.0, h.hz,
		       send_hz);
		rc = h.tonal >= MIN_TONAL && share >= 0.5 &&
			     fabs(lvl - LEVEL_DBM0) <= 2.0
			 ? 0
			 : 1;
	}
out:
	mem_deref(pcmu);
	mem_deref(pcma);
	return rc;
}
