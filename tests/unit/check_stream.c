// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/media/stream: two media streams on 127.0.0.1 with a real loop,
 * ticked every 20 ms of wall time as a bridge would. A 1 kHz tone goes end
 * to end (measured with a Goertzel filter) for PCMU, PCMA and G.722;
 * RFC 4733 digits arrive as digit events and as in-band tones; hold stops
 * sending; a re-INVITE moves the stream without a new SSRC.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/portpool.h"
#include "../../gateway/media/stream.h"
#include "tl_check.h"

static uint16_t free_range(unsigned npairs)
{
	for (unsigned tries = 0; tries < 200; tries++) {
		uint16_t base = (uint16_t)(20000 +
			((getpid() * 104729u + tries * 389u) % 4500) * 2);
		bool ok = true;

		for (unsigned i = 0; ok && i < 2 * npairs; i++) {
			struct sa a;
			int fd;

			sa_set_ip(&a, "127.0.0.1", (uint16_t)(base + i));
			fd = socket(AF_INET, SOCK_DGRAM, 0);
			ok = fd >= 0 && !bind(fd, &a.u.sa, a.len);
			if (fd >= 0)
				close(fd);
		}
		if (ok)
			return base;
	}
	ck_abort_msg("no free port range");
	return 0;
}

struct dlog {
	unsigned n;
	struct media_dtmf_event ev[32];
};

static void dtmf_h(const struct media_dtmf_event *ev, void *arg)
{
	struct dlog *l = arg;

	if (l->n < 32)
		l->ev[l->n++] = *ev;
}

struct rig {
	struct loop *l;
	struct media_ports *ports;
	struct media_stream *a, *b;
	struct media_stream_params pa, pb;
	struct dlog da, db;
	uint64_t next;
	uint32_t phase;
	bool nosync; /* a and b no longer talk to each other only */
};

static void sparams(struct media_stream_params *p, struct rig *g,
		    enum media_codec_id codec, struct dlog *dl)
{
	memset(p, 0, sizeof(*p));
	p->rtp.ports = g->ports;
	sa_set_ip(&p->rtp.local, "127.0.0.1", 0);
	p->codec = codec;
	p->te_pt = 101;
	p->dtmf = MEDIA_STREAM_DTMF_RFC4733;
	p->dir = MEDIA_STREAM_SENDRECV;
	p->dtmfh = dtmf_h;
	p->arg = dl;
}

static void rig_up(struct rig *g, enum media_codec_id codec)
{
	uint16_t base = free_range(6);

	memset(g, 0, sizeof(*g));
	g->l = loop_new();
	ck_assert_int_eq(media_ports_new(&g->ports, base,
					 (uint16_t)(base + 11)), 0);
	sparams(&g->pa, g, codec, &g->da);
	sparams(&g->pb, g, codec, &g->db);
	ck_assert_int_eq(media_stream_new(&g->b, g->l, &g->pb), 0);
	g->pa.rtp.remote = *rtp_sess_local(media_stream_rtp(g->b));
	ck_assert_int_eq(media_stream_new(&g->a, g->l, &g->pa), 0);
	g->pb.rtp.remote = *rtp_sess_local(media_stream_rtp(g->a));
	ck_assert_int_eq(media_stream_update(g->b, &g->pb), 0);
	g->next = loop_now_ms();
}

static void rig_down(struct rig *g)
{
	mem_deref(g->a);
	mem_deref(g->b);
	mem_deref(g->ports);
	mem_deref(g->l);
}

static void tone(struct rig *g, int16_t *pcm, double hz)
{
	for (unsigned i = 0; i < MEDIA_STREAM_FRAME; i++, g->phase++)
		pcm[i] = (int16_t)(8000 * sin(2 * M_PI * hz * g->phase / 8000));
}

/* Wait for the next 20 ms tick, serving the loop meanwhile. */
static void tick_wait(struct rig *g)
{
	struct media_stream_stats sa, sb;

	g->next += 20;
	for (int i = 0; i < 40; i++) {
		uint64_t now = loop_now_ms();

		if (now >= g->next)
			break;
		loop_poll(g->l, (int)(g->next - now));
	}
	/* On a loaded machine a datagram sent this tick may not have been
	 * read yet: wait (bounded) until each side has everything the other
	 * sent, so the counts below do not depend on the scheduler. */
	for (int i = 0; i < 100 && !g->nosync; i++) {
		media_stream_stats(g->a, &sa);
		media_stream_stats(g->b, &sb);
		if (sb.rtp.pkts_in + sb.rtp.srtp_fail >= sa.rtp.pkts_out &&
		    sa.rtp.pkts_in + sa.rtp.srtp_fail >= sb.rtp.pkts_out)
			break;
		loop_poll(g->l, 2);
	}
}

/* Relative power of @hz in @x: 1 for a pure tone at @hz, ~0 far off. */
static double goertzel(const int16_t *x, size_t n, double hz)
{
	double w = 2 * M_PI * hz / 8000, c = 2 * cos(w);
	double s1 = 0, s2 = 0, e = 0;

	for (size_t i = 0; i < n; i++) {
		double s = x[i] + c * s1 - s2;

		s2 = s1;
		s1 = s;
		e += (double)x[i] * x[i];
	}
	if (e == 0)
		return 0;
	return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double)n * e);
}

#define RECORD 40

static void tone_case(enum media_codec_id codec)
{
	static int16_t out[RECORD * MEDIA_STREAM_FRAME];
	int16_t in[MEDIA_STREAM_FRAME];
	struct media_stream_stats sa, sb;
	struct rig g;
	double rms = 0;

	rig_up(&g, codec);
	for (unsigned f = 0; f < 30 + RECORD; f++) {
		tone(&g, in, 1000);
		ck_assert_int_eq(media_stream_put(g.a, in, MEDIA_STREAM_FRAME),
				 0);
		tick_wait(&g);
		ck_assert_int_eq(media_stream_get(g.b, f >= 30 ?
				 out + (f - 30) * MEDIA_STREAM_FRAME : in,
				 MEDIA_STREAM_FRAME), MEDIA_STREAM_FRAME);
	}
	for (size_t i = 0; i < RECORD * MEDIA_STREAM_FRAME; i++)
		rms += (double)out[i] * out[i];
	rms = sqrt(rms / (RECORD * MEDIA_STREAM_FRAME));
	/* 8000 peak is 5657 RMS; the codecs keep it within a few dB */
	ck_assert_msg(rms > 3500 && rms < 8000, "rms %.0f", rms);
	ck_assert_msg(goertzel(out, RECORD * MEDIA_STREAM_FRAME, 1000) > 0.9,
		      "1 kHz %.3f",
		      goertzel(out, RECORD * MEDIA_STREAM_FRAME, 1000));
	ck_assert(goertzel(out, RECORD * MEDIA_STREAM_FRAME, 1500) < 0.02);
	ck_assert(goertzel(out, RECORD * MEDIA_STREAM_FRAME, 500) < 0.02);
	media_stream_stats(g.a, &sa);
	media_stream_stats(g.b, &sb);
	ck_assert_uint_eq(sa.rtp.pkts_out, 70);
	ck_assert_uint_eq(sa.rtp.bytes_out, 70 * 160);
	ck_assert_uint_eq(sb.rtp.pkts_in, 70);
	/* a packet the loop's scheduling made late is counted, not lost */
	ck_assert_uint_eq(sb.jb.packets + sb.jb.late, 70);
	/* a loaded machine may starve the loop for a frame or two */
	ck_assert_uint_le(sb.jb.concealed, 6);
	ck_assert_uint_eq(sb.jb.bad, 0);
	ck_assert_int_eq(sb.codec, codec);
	rig_down(&g);
}

START_TEST(tone_pcmu)
{
	tone_case(MEDIA_CODEC_PCMU);
}
END_TEST

START_TEST(tone_pcma)
{
	tone_case(MEDIA_CODEC_PCMA);
}
END_TEST

START_TEST(tone_g722)
{
	tone_case(MEDIA_CODEC_G722);
}
END_TEST

struct det_log {
	char digits[16];
	unsigned n;
};

static void det_h(const struct media_dtmf_event *ev, void *arg)
{
	struct det_log *l = arg;

	if (ev->type == MEDIA_DTMF_EV_START && l->n < 15)
		l->digits[l->n++] = ev->digit;
}

/* Digits sent as RFC 4733 arrive as digit events, and (converted on
 * request) as tones spandsp detects in the audio out. */
START_TEST(dtmf_rfc4733_to_events_and_tones)
{
	int16_t in[MEDIA_STREAM_FRAME] = { 0 }, out[MEDIA_STREAM_FRAME];
	struct media_stream_stats sa, sb;
	struct media_dtmf_det *det;
	struct det_log dl = { 0 };
	struct rig g;
	unsigned starts = 0, ends = 0;
	char got[8] = { 0 };

	rig_up(&g, MEDIA_CODEC_PCMU);
	g.pb.dtmf_inband_out = true;
	ck_assert_int_eq(media_stream_update(g.b, &g.pb), 0);
	ck_assert_int_eq(media_dtmf_det_alloc(&det, det_h, &dl), 0);
	ck_assert_int_eq(media_stream_dtmf_send(g.a, '1', 100), 0);
	ck_assert_int_eq(media_stream_dtmf_send(g.a, '#', 100), 0);
	ck_assert_int_eq(media_stream_dtmf_send(g.a, '9', 160), 0);
	ck_assert_int_eq(media_stream_dtmf_send(g.a, 'x', 100), -EINVAL);
	for (unsigned f = 0; f < 80; f++) {
		ck_assert_int_eq(media_stream_put(g.a, in, MEDIA_STREAM_FRAME),
				 0);
		tick_wait(&g);
		media_stream_get(g.b, out, MEDIA_STREAM_FRAME);
		media_dtmf_det_frame(det, out, MEDIA_STREAM_FRAME);
	}
	for (unsigned i = 0; i < g.db.n; i++) {
		if (g.db.ev[i].type == MEDIA_DTMF_EV_START) {
			got[starts++] = g.db.ev[i].digit;
		} else {
			ends++;
			ck_assert_int_eq(g.db.ev[i].digit, got[starts - 1]);
		}
	}
	ck_assert_str_eq(got, "1#9");
	ck_assert_uint_eq(ends, 3);
	/* 100 ms = 800 units; 160 ms = 1280 */
	ck_assert_uint_eq(g.db.ev[1].duration, 800);
	ck_assert_uint_eq(g.db.ev[5].duration, 1280);
	ck_assert_uint_eq(g.da.n, 0);
	ck_assert_str_eq(dl.digits, "1#9");
	media_stream_stats(g.a, &sa);
	media_stream_stats(g.b, &sb);
	ck_assert_uint_eq(sa.digits_sent, 3);
	ck_assert_uint_eq(sb.dtmf_rx.digits, 3);
	ck_assert_uint_eq(sb.dtmf_rx.bad, 0);
	mem_deref(det);
	rig_down(&g);
}
END_TEST

/* Hold: no RTP leaves a stream that may not send; back to sendrecv, the
 * sequence goes on without a gap. */
START_TEST(hold_stops_sending)
{
	int16_t in[MEDIA_STREAM_FRAME], out[MEDIA_STREAM_FRAME];
	struct media_stream_stats sa, sb, sa0, sb0;
	struct rig g;

	rig_up(&g, MEDIA_CODEC_PCMA);
	for (unsigned f = 0; f < 5; f++) {
		tone(&g, in, 1000);
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		media_stream_put(g.b, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
	}
	media_stream_stats(g.a, &sa0);
	media_stream_stats(g.b, &sb0);
	ck_assert_uint_eq(sb0.rtp.pkts_in, 5);
	ck_assert_int_eq(media_stream_set_dir(g.a, MEDIA_STREAM_RECVONLY), 0);
	ck_assert_int_eq(media_stream_set_dir(g.a, (enum media_stream_dir)9),
			 -EINVAL);
	for (unsigned f = 0; f < 10; f++) {
		tone(&g, in, 1000);
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		media_stream_put(g.b, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
		media_stream_get(g.a, out, MEDIA_STREAM_FRAME);
	}
	media_stream_stats(g.a, &sa);
	media_stream_stats(g.b, &sb);
	ck_assert_uint_eq(sa.rtp.pkts_out, sa0.rtp.pkts_out);
	ck_assert_uint_eq(sb.rtp.pkts_in, sb0.rtp.pkts_in);
	ck_assert_uint_eq(sa.rtp.pkts_in, 15); /* recvonly still receives */
	ck_assert_int_eq(sa.dir, MEDIA_STREAM_RECVONLY);

	/* inactive: nothing either way reaches the audio */
	ck_assert_int_eq(media_stream_set_dir(g.a, MEDIA_STREAM_INACTIVE), 0);
	for (unsigned f = 0; f < 3; f++) {
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
	}
	media_stream_stats(g.a, &sa);
	ck_assert_uint_eq(sa.rtp.pkts_out, sa0.rtp.pkts_out);

	ck_assert_int_eq(media_stream_set_dir(g.a, MEDIA_STREAM_SENDRECV), 0);
	for (unsigned f = 0; f < 5; f++) {
		tone(&g, in, 1000);
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
	}
	media_stream_stats(g.b, &sb);
	ck_assert_uint_eq(sb.rtp.pkts_in, 10);
	ck_assert_int_eq(sb.rtp.lost, 0); /* no sequence gap */
	ck_assert_uint_eq(sb.rtp.ssrc_in, sa0.rtp.ssrc_out);
	rig_down(&g);
}
END_TEST

/* A re-INVITE moves A to C with PCMA: same SSRC, C hears the tone. */
START_TEST(update_remote_and_codec)
{
	static int16_t out[20 * MEDIA_STREAM_FRAME];
	int16_t in[MEDIA_STREAM_FRAME];
	struct media_stream_params pc;
	struct media_stream_stats sa0, sa, sc;
	struct media_stream *c;
	struct dlog dc = { 0 };
	struct rig g;

	rig_up(&g, MEDIA_CODEC_PCMU);
	for (unsigned f = 0; f < 5; f++) {
		tone(&g, in, 1000);
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
	}
	media_stream_stats(g.a, &sa0);
	sparams(&pc, &g, MEDIA_CODEC_PCMA, &dc);
	pc.rtp.remote = *rtp_sess_local(media_stream_rtp(g.a));
	ck_assert_int_eq(media_stream_new(&c, g.l, &pc), 0);
	g.nosync = true;
	g.pa.codec = MEDIA_CODEC_PCMA;
	g.pa.rtp.remote = *rtp_sess_local(media_stream_rtp(c));
	g.pa.ptime = 25;
	ck_assert_int_eq(media_stream_update(g.a, &g.pa), -EINVAL);
	g.pa.ptime = 40;
	ck_assert_int_eq(media_stream_update(g.a, &g.pa), 0);
	for (unsigned f = 0; f < 40; f++) {
		tone(&g, in, 1000);
		media_stream_put(g.a, in, MEDIA_STREAM_FRAME);
		tick_wait(&g);
		media_stream_get(c, f >= 20 ? out + (f - 20) * MEDIA_STREAM_FRAME
					    : in, MEDIA_STREAM_FRAME);
	}
	media_stream_stats(g.a, &sa);
	media_stream_stats(c, &sc);
	ck_assert_uint_eq(sa.rtp.ssrc_out, sa0.rtp.ssrc_out);
	ck_assert_uint_eq(sc.rtp.ssrc_in, sa0.rtp.ssrc_out);
	ck_assert_uint_eq(sc.rtp.pkts_in, 20); /* 40 ms packets */
	ck_assert_uint_eq(sc.rtp.bytes_in, 20 * 320);
	ck_assert_uint_eq(sc.rtp.bad_pt, 0);
	ck_assert(goertzel(out, 20 * MEDIA_STREAM_FRAME, 1000) > 0.9);
	mem_deref(c);
	rig_down(&g);
}
END_TEST

START_TEST(bad_params)
{
	struct media_stream *ms = NULL;
	struct rig g;

	rig_up(&g, MEDIA_CODEC_PCMU);
	g.pa.te_pt = 50;
	ck_assert_int_eq(media_stream_new(&ms, g.l, &g.pa), -EINVAL);
	g.pa.te_pt = -1;
	g.pa.codec = (enum media_codec_id)7;
	ck_assert_int_eq(media_stream_new(&ms, g.l, &g.pa), -EINVAL);
	ck_assert_ptr_null(ms);
	rig_down(&g);
}
END_TEST

Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tl_tcase(s, "audio");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, tone_pcmu);
	tcase_add_test(tc, tone_pcma);
	tcase_add_test(tc, tone_g722);
	tcase_add_test(tc, update_remote_and_codec);
	tc = tl_tcase(s, "dtmf");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, dtmf_rfc4733_to_events_and_tones);
	tc = tl_tcase(s, "hold");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, hold_stops_sending);
	tcase_add_test(tc, bad_params);
	return s;
}
