// SPDX-License-Identifier: GPL-2.0
/* gateway/media DTMF: RFC 4733 sender and receiver, in-band detection and
 * generation, and the converter both ways (with spandsp on the far side
 * as the independent judge of the audio). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/dtmf.h"
#include "tl_check.h"

#define FRAME 160
#define ALL16 "0123456789*#ABCD"

static uint32_t rng_next(uint32_t *s)
{
	/* xorshift32: seeded, so a failure replays */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static bool rng_drop(uint32_t *s, int pct)
{
	return pct && (int)(rng_next(s) % 100) < pct;
}

/* ---- collected receiver events --------------------------------------- */

struct evlog {
	char digits[256];
	size_t n;
	int starts, ends;
	uint32_t dur[256];
	uint32_t ts[256];
	bool open; /* a START without its END yet */
};

static void evlog_h(const struct media_dtmf_event *ev, void *arg)
{
	struct evlog *l = arg;

	if (ev->type == MEDIA_DTMF_EV_START) {
		ck_assert_msg(!l->open, "START while %c open", l->digits[l->n]);
		ck_assert_uint_lt(l->n, sizeof(l->digits) - 1);
		l->digits[l->n] = ev->digit;
		l->ts[l->n] = ev->ts;
		l->open = true;
		l->starts++;
	} else {
		ck_assert_msg(l->open, "END without START");
		ck_assert_int_eq(ev->digit, l->digits[l->n]);
		l->dur[l->n++] = ev->duration;
		l->digits[l->n] = '\0';
		l->open = false;
		l->ends++;
	}
}

static void put_pkt(struct media_dtmf_rx *rx, const struct media_dtmf_pkt *p,
		    uint64_t now)
{
	ck_assert_int_eq(media_dtmf_rx_put(rx, p->ts, p->marker, p->payload,
					   sizeof(p->payload), now),
			 0);
}

/* ---- payload and sender ------------------------------------------------ */

START_TEST(dtmf_codes_and_parse)
{
	static const uint8_t ok[] = { 11, 0x8a, 0x03, 0x20 };
	struct media_dtmf_payload p;

	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(media_dtmf_code(media_dtmf_digit(i)), i);
	ck_assert_int_eq(media_dtmf_code('x'), -EINVAL);
	ck_assert_int_eq(media_dtmf_code('b'), 13);
	ck_assert_int_eq(media_dtmf_digit(16), '\0');
	ck_assert_int_eq(media_dtmf_parse(&p, ok, 4), 0);
	ck_assert_uint_eq(p.event, 11);
	ck_assert(p.end);
	ck_assert_uint_eq(p.volume, 10);
	ck_assert_uint_eq(p.duration, 800);
	ck_assert_int_eq(media_dtmf_parse(&p, ok, 3), -EBADMSG);
	ck_assert_int_eq(media_dtmf_parse(&p, ok, 0), -EBADMSG);
	ck_assert_int_eq(media_dtmf_parse(&p, ok, 6), -EBADMSG);
}
END_TEST

START_TEST(dtmf_tx_short_event)
{
	struct media_dtmf_tx *tx;
	struct media_dtmf_pkt pk[2];

	ck_assert_int_eq(media_dtmf_tx_alloc(&tx, NULL), 0);
	ck_assert_int_eq(media_dtmf_tx_start(tx, 'E', 1), -EINVAL);
	ck_assert_int_eq(media_dtmf_tx_stop(tx), -ENOENT);
	ck_assert_int_eq(media_dtmf_tx_start(tx, '#', 0xfffffff0u), 0);
	ck_assert_int_eq(media_dtmf_tx_start(tx, '1', 5), -EBUSY);
	/* start: marker, duration of one tick */
	ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 1);
	ck_assert(pk[0].marker);
	ck_assert_uint_eq(pk[0].ts, 0xfffffff0u);
	ck_assert_mem_eq(pk[0].payload, "\x0b\x0a\x00\xa0", 4);
	/* 40 ms: no update due yet (every 50 ms) */
	ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 0);
	ck_assert_int_eq(media_dtmf_tx_stop(tx), 0);
	/* end three times, same timestamp and duration, no marker */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 1);
		ck_assert(!pk[0].marker);
		ck_assert_uint_eq(pk[0].ts, 0xfffffff0u);
		ck_assert_mem_eq(pk[0].payload, "\x0b\x8a\x01\x40", 4);
		ck_assert(media_dtmf_tx_busy(tx) == (i < 2));
	}
	ck_assert(!media_dtmf_tx_busy(tx));
	ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 0);
	mem_deref(tx);
}
END_TEST

START_TEST(dtmf_tx_updates_and_min)
{
	struct media_dtmf_tx_params p = { .update_ms = 40, .min_ms = 100 };
	struct media_dtmf_tx *tx;
	struct media_dtmf_pkt pk[2];
	int n, sent = 0;

	ck_assert_int_eq(media_dtmf_tx_alloc(&tx, &p), 0);
	ck_assert_int_eq(media_dtmf_tx_start(tx, 'A', 100), 0);
	ck_assert_int_eq(media_dtmf_tx_stop(tx), 0);
	/* stopped at once, still 100 ms long: 5 ticks of event */
	for (int t = 0; t < 5; t++) {
		n = media_dtmf_tx_tick(tx, pk, 2);
		sent += n;
		if (n)
			ck_assert(!(pk[0].payload[1] & 0x80));
	}
	/* start at 160, updates at 480 and 800 */
	ck_assert_int_eq(sent, 3);
	ck_assert_uint_eq(pk[0].payload[2] << 8 | pk[0].payload[3], 800);
	ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 1);
	ck_assert_uint_eq(pk[0].payload[1], 0x8a);
	ck_assert_uint_eq(pk[0].payload[2] << 8 | pk[0].payload[3], 800);
	/* a new event starts beside the end retransmissions */
	ck_assert_int_eq(media_dtmf_tx_start(tx, '2', 900), 0);
	ck_assert_int_eq(media_dtmf_tx_tick(tx, pk, 2), 2);
	ck_assert_uint_eq(pk[0].ts, 100);
	ck_assert(pk[0].payload[1] & 0x80);
	ck_assert_uint_eq(pk[1].ts, 900);
	ck_assert(pk[1].marker);
	mem_deref(tx);
}
END_TEST

/* An 9 s press crosses 0xffff units: segments, one digit, right length */
START_TEST(dtmf_long_segments)
{
	struct media_dtmf_tx *tx;
	struct media_dtmf_rx *rx;
	struct media_dtmf_pkt pk[2];
	struct evlog l = { 0 };
	int ticks = 9000 / 20, n, segs = 0;
	uint64_t now = 0;

	ck_assert_int_eq(media_dtmf_tx_alloc(&tx, NULL), 0);
	ck_assert_int_eq(media_dtmf_rx_alloc(&rx, NULL, evlog_h, &l), 0);
	ck_assert_int_eq(media_dtmf_tx_start(tx, '7', 4000), 0);
	for (int t = 0; t < ticks + 3; t++, now += 20) {
		if (t == ticks)
			media_dtmf_tx_stop(tx);
		n = media_dtmf_tx_tick(tx, pk, 2);
		for (int i = 0; i < n; i++) {
			uint32_t d = pk[i].payload[2] << 8 | pk[i].payload[3];

			if (d == 0xffff) {
				ck_assert_uint_eq(pk[i].ts, 4000);
				ck_assert_int_eq(n, 2);
				ck_assert_uint_eq(pk[1].ts, 4000 + 0xffff);
				ck_assert(!pk[1].marker);
				segs++;
			}
			put_pkt(rx, &pk[i], now);
		}
		media_dtmf_rx_poll(rx, now);
	}
	ck_assert_int_eq(segs, 1);
	ck_assert_str_eq(l.digits, "7");
	ck_assert_uint_eq(l.ts[0], 4000);
	ck_assert_uint_eq(l.dur[0], (uint32_t)ticks * 160);
	mem_deref(tx);
	mem_deref(rx);
}
END_TEST

/* ---- receiver --------------------------------------------------------- */

static void rx_raw(struct media_dtmf_rx *rx, uint32_t ts, bool m, int code,
		   bool end, unsigned dur, uint64_t now)
{
	uint8_t b[4] = { (uint8_t)code, (uint8_t)((end ? 0x80 : 0) | 10),
			 (uint8_t)(dur >> 8), (uint8_t)dur };

	ck_assert_int_eq(media_dtmf_rx_put(rx, ts, m, b, 4, now), 0);
}

START_TEST(dtmf_rx_cases)
{
	struct media_dtmf_rx_params p = { .timeout_ms = 200 };
	struct media_dtmf_rx *rx;
	struct media_dtmf_rx_stats st;
	struct evlog l = { 0 };
	static const uint8_t bad[] = { 1, 2, 3 };

	ck_assert_int_eq(media_dtmf_rx_alloc(&rx, &p, evlog_h, &l), 0);
	/* normal, with triple end and a late update after it */
	rx_raw(rx, 1000, true, 1, false, 160, 0);
	rx_raw(rx, 1000, false, 1, false, 480, 50);
	rx_raw(rx, 1000, false, 1, true, 800, 100);
	rx_raw(rx, 1000, false, 1, true, 800, 120);
	rx_raw(rx, 1000, false, 1, false, 640, 125);
	rx_raw(rx, 1000, false, 1, true, 800, 140);
	/* same digit again, new timestamp: a second press */
	rx_raw(rx, 2000, true, 1, true, 320, 200);
	/* start lost: first packet is an update */
	rx_raw(rx, 3000, false, 14, false, 480, 300);
	/* end lost: a newer event ends it with the last duration */
	rx_raw(rx, 5000, true, 15, false, 160, 500);
	/* stale packet of the event before: ignored */
	rx_raw(rx, 3000, false, 14, true, 960, 510);
	ck_assert_uint_eq(l.n, 3);
	ck_assert(!strncmp(l.digits, "11CD", 4) && l.open);
	ck_assert_uint_eq(l.dur[0], 800);
	ck_assert_uint_eq(l.dur[1], 320);
	ck_assert_uint_eq(l.dur[2], 480);
	/* timeout ends D, its later packets change nothing */
	media_dtmf_rx_poll(rx, 690);
	ck_assert_int_eq(l.ends, 3);
	media_dtmf_rx_poll(rx, 700);
	ck_assert_str_eq(l.digits, "11CD");
	ck_assert_uint_eq(l.dur[3], 160);
	rx_raw(rx, 5000, false, 15, true, 1600, 720);
	/* non-DTMF events (16: flash) and junk */
	rx_raw(rx, 6000, true, 16, false, 160, 800);
	ck_assert_int_eq(media_dtmf_rx_put(rx, 7000, true, bad, 3, 900),
			 -EBADMSG);
	ck_assert_int_eq(l.starts, 4);
	ck_assert_int_eq(l.ends, 4);
	media_dtmf_rx_stats(rx, &st);
	ck_assert_uint_eq(st.digits, 4);
	ck_assert_uint_eq(st.lost_ends, 2);
	ck_assert_uint_eq(st.bad, 1);
	ck_assert_uint_eq(st.packets, 12);
	ck_assert_uint_eq(st.ignored, 6);
	/* reset: an older timestamp is accepted again */
	media_dtmf_rx_reset(rx);
	rx_raw(rx, 10, true, 0, true, 320, 1000);
	ck_assert_str_eq(l.digits, "11CD0");
	mem_deref(rx);
}
END_TEST

/* ---- conversion: RFC 4733 -> in-band ---------------------------------- */

struct spandsp_digits {
	char s[256];
	size_t n;
};

static void sd_digits_h(void *arg, const char *digits, int len)
{
	struct spandsp_digits *d = arg;

	for (int i = 0; i < len && d->n < sizeof(d->s) - 1; i++)
		d->s[d->n++] = digits[i];
	d->s[d->n] = '\0';
}

/*
 * A remote sender (our media_dtmf_tx) plays @digits as RFC 4733 with
 * @on_ms presses; packets are lost at @loss percent; the converter turns
 * them into tones over low noise; spandsp's detector listens. Returns in
 * @out what spandsp heard and in @expect the digits of which at least
 * one packet got through.
 */
static void run_r2i(const char *digits, int on_ms, int loss, uint32_t seed,
		    char *out, size_t outsz, char *expect)
{
	struct media_dtmf_conv *c;
	struct media_dtmf_tx *tx;
	struct media_dtmf_pkt pk[2];
	struct spandsp_digits heard = { .n = 0 };
	dtmf_rx_state_t *sd = dtmf_rx_init(NULL, sd_digits_h, &heard);
	awgn_state_t *noise = awgn_init_dbm0(NULL, 7, -60.0f);
	int16_t pcm[FRAME];
	uint32_t ts = 12345;
	uint64_t now = 1000;
	size_t ne = 0;

	ck_assert_ptr_nonnull(sd);
	ck_assert_ptr_nonnull(noise);
	ck_assert_int_eq(media_dtmf_conv_alloc(&c, NULL), 0);
	ck_assert_int_eq(media_dtmf_tx_alloc(&tx, NULL), 0);
	for (const char *d = digits; *d; d++) {
		int on = on_ms / 20, total = on + 10;
		bool through = false;

		ck_assert_int_eq(media_dtmf_tx_start(tx, *d, ts), 0);
		for (int f = 0; f < total; f++, ts += FRAME, now += 20) {
			int n;

			if (f == on)
				ck_assert_int_eq(media_dtmf_tx_stop(tx), 0);
			n = media_dtmf_tx_tick(tx, pk, 2);
			for (int i = 0; i < n; i++) {
				if (rng_drop(&seed, loss))
					continue;
				through = true;
				ck_assert_int_eq(media_dtmf_conv_pkt_in(
						 c, pk[i].ts, pk[i].marker,
						 pk[i].payload, 4, now), 0);
			}
			for (int i = 0; i < FRAME; i++)
				pcm[i] = awgn(noise);
			media_dtmf_conv_audio_out(c, pcm, FRAME, now);
			dtmf_rx(sd, pcm, FRAME);
		}
		if (through)
			expect[ne++] = *d;
	}
	/* let the last tone finish */
	for (int f = 0; f < 30; f++, now += 20) {
		memset(pcm, 0, sizeof(pcm));
		media_dtmf_conv_audio_out(c, pcm, FRAME, now);
		dtmf_rx(sd, pcm, FRAME);
	}
	expect[ne] = '\0';
	snprintf(out, outsz, "%s", heard.s);
	mem_deref(c);
	mem_deref(tx);
	dtmf_rx_free(sd);
	awgn_free(noise);
}

static void check_r2i(int on_ms, int loss, uint32_t seed)
{
	char heard[256], expect[64];

	run_r2i(ALL16 ALL16, on_ms, loss, seed, heard, sizeof(heard), expect);
	/* every digit must have had a packet through (else the seed, not
	 * the code, would decide); then exactly the sequence */
	ck_assert_str_eq(expect, ALL16 ALL16);
	ck_assert_msg(!strcmp(heard, expect),
		      "on %d ms loss %d%%: heard \"%s\"", on_ms, loss, heard);
}

START_TEST(dtmf_r2i_short)
{
	check_r2i(40, 0, 1);
	check_r2i(40, 10, 11);
	check_r2i(40, 30, 4);
}
END_TEST

START_TEST(dtmf_r2i_long)
{
	check_r2i(2000, 0, 1);
	check_r2i(2000, 10, 12);
	check_r2i(2000, 30, 13);
}
END_TEST

/* ---- conversion: in-band -> RFC 4733 ---------------------------------- */

static const float dtmf_freqs[8] = { 697, 770, 852, 941,
				     1209, 1336, 1477, 1633 };

/* Goertzel power of @f Hz over @n samples, normalised to 1.0 for a
 * full-scale sine at exactly that frequency. */
static double goertzel(const int16_t *x, size_t n, double f)
{
	double w = 2 * M_PI * f / 8000, coeff = 2 * cos(w);
	double s1 = 0, s2 = 0, s;

	for (size_t i = 0; i < n; i++) {
		s = x[i] / 32768.0 + coeff * s1 - s2;
		s2 = s1;
		s1 = s;
	}
	return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double)n * n / 4);
}

static double dtmf_power(const int16_t *x, size_t n)
{
	double m = 0, p;

	for (int i = 0; i < 8; i++) {
		p = goertzel(x, n, dtmf_freqs[i]);
		if (p > m)
			m = p;
	}
	return m;
}

/*
 * spandsp plays @digits in-band (@on_ms tone, @off_ms pause) over low
 * noise; the converter turns them into RFC 4733 packets, lost at @loss
 * percent on the way to our receiver. Checks the forwarded audio: each
 * frame is either the input from MEDIA_DTMF_DET_DELAY frames before or
 * silence, and no frame keeps DTMF energy.
 */
static void check_i2r(int on_ms, int off_ms, int loss, uint32_t seed)
{
	const char *digits = ALL16;
	size_t len = strlen(digits);
	int nframes = (int)len * (on_ms + off_ms) / 20 + 40;
	struct media_dtmf_conv *c;
	struct media_dtmf_rx *rx;
	struct media_dtmf_pkt pk[2];
	struct evlog l = { 0 };
	dtmf_tx_state_t *gen = dtmf_tx_init(NULL);
	awgn_state_t *noise = awgn_init_dbm0(NULL, 5, -55.0f);
	int16_t in[MEDIA_DTMF_DET_DELAY + 1][FRAME], pcm[FRAME];
	double in_max = 0, out_max = 0;
	int passed = 0, muted = 0, lost_all = 0;
	uint64_t now = 0;
	uint32_t ts = 777;

	ck_assert_ptr_nonnull(gen);
	ck_assert_int_eq(media_dtmf_conv_alloc(&c, NULL), 0);
	ck_assert_int_eq(media_dtmf_rx_alloc(&rx, NULL, evlog_h, &l), 0);
	dtmf_tx_set_timing(gen, on_ms, off_ms);
	ck_assert_int_eq(dtmf_tx_put(gen, digits, -1), 0);
	for (int f = 0; f < nframes; f++, now += 20, ts += FRAME) {
		int16_t *cur = in[f % (MEDIA_DTMF_DET_DELAY + 1)];
		const int16_t *old = in[(f + 1) % (MEDIA_DTMF_DET_DELAY + 1)];
		int got = dtmf_tx(gen, cur, FRAME), n;
		double p;

		for (int i = 0; i < FRAME; i++)
			cur[i] = (int16_t)((i < got ? cur[i] : 0) +
					   awgn(noise));
		p = dtmf_power(cur, FRAME);
		if (p > in_max)
			in_max = p;
		memcpy(pcm, cur, sizeof(pcm));
		n = media_dtmf_conv_audio_in(c, pcm, FRAME, ts, pk, 2);
		ck_assert_int_ge(n, 0);
		for (int i = 0; i < n; i++) {
			if (rng_drop(&seed, loss))
				continue;
			put_pkt(rx, &pk[i], now);
		}
		media_dtmf_rx_poll(rx, now);
		p = dtmf_power(pcm, FRAME);
		if (p > out_max)
			out_max = p;
		if (f < MEDIA_DTMF_DET_DELAY)
			continue;
		if (!memcmp(pcm, old, sizeof(pcm))) {
			passed++;
		} else {
			for (int i = 0; i < FRAME; i++)
				ck_assert_int_eq(pcm[i], 0);
			muted++;
		}
	}
	(void)lost_all;
	ck_assert_msg(!strcmp(l.digits, digits),
		      "on %d ms loss %d%%: got \"%s\"", on_ms, loss,
		      l.digits);
	ck_assert(!l.open);
	/* tones were loud in the input and are gone from the output: more
	 * than 50 dB down, at the noise floor */
	ck_assert_msg(in_max > 0.01, "input tone power %g", in_max);
	ck_assert_msg(out_max < in_max * 1e-5, "leak: in %g out %g", in_max,
		      out_max);
	/* the audio between digits goes through untouched */
	ck_assert_int_gt(passed, (int)len * (off_ms / 20 - 6));
	ck_assert_int_gt(muted, 0);
	for (size_t i = 0; i < len; i++) {
		/* events last about as long as the tones (detector
		 * latency and frame granularity: within 60 ms) */
		ck_assert_msg(fabs((double)l.dur[i] - on_ms * 8) <= 480,
			      "digit %zu duration %u", i, l.dur[i]);
	}
	mem_deref(c);
	mem_deref(rx);
	dtmf_tx_free(gen);
	awgn_free(noise);
}

START_TEST(dtmf_i2r_short)
{
	check_i2r(40, 200, 0, 1);
	check_i2r(40, 200, 10, 21);
	check_i2r(40, 200, 30, 22);
}
END_TEST

START_TEST(dtmf_i2r_long)
{
	check_i2r(2000, 200, 0, 1);
	check_i2r(2000, 200, 10, 31);
	check_i2r(2000, 200, 30, 32);
}
END_TEST

Suite *dtmf_suite(void)
{
	Suite *s = suite_create("dtmf");
	TCase *tc = tl_tcase(s, "rfc4733");

	tcase_add_test(tc, dtmf_codes_and_parse);
	tcase_add_test(tc, dtmf_tx_short_event);
	tcase_add_test(tc, dtmf_tx_updates_and_min);
	tcase_add_test(tc, dtmf_long_segments);
	tcase_add_test(tc, dtmf_rx_cases);
	tc = tl_tcase(s, "convert");
	tcase_add_test(tc, dtmf_r2i_short);
	tcase_add_test(tc, dtmf_r2i_long);
	tcase_add_test(tc, dtmf_i2r_short);
	tcase_add_test(tc, dtmf_i2r_long);
	return s;
}
