// SPDX-License-Identifier: GPL-2.0
/* gateway/media jitter buffer, PLC and comfort noise: synthetic arrival
 * patterns in, frame by frame continuity, delay and counters out. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/cn.h"
#include "../../gateway/media/codec.h"
#include "../../gateway/media/jb.h"
#include "../../gateway/media/plc.h"
#include "tl_check.h"

#define FRAME 160

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Packet @i of a stream: seq 1000 + i, ts base + 160 i, payload bytes
 * all (i & 0xff) with the index in the first two. */
struct tpkt {
	int idx;
	uint64_t at; /* arrival ms */
};

static void put_idx(struct media_jb *jb, int i, uint64_t at, uint32_t ssrc,
		    uint32_t tsbase, bool marker)
{
	uint8_t pl[FRAME];
	struct media_jb_pkt p = {
		.ssrc = ssrc,
		.seq = (uint16_t)(1000 + i),
		.ts = tsbase + (uint32_t)i * FRAME,
		.marker = marker,
		.units = FRAME,
		.payload = pl,
		.len = sizeof(pl),
		.arrival_ms = at,
	};

	memset(pl, i & 0xff, sizeof(pl));
	pl[0] = (uint8_t)(i >> 8);
	pl[1] = (uint8_t)i;
	ck_assert_int_eq(media_jb_put(jb, &p), 0);
}

static int frame_idx(const struct media_jb_frame *f)
{
	ck_assert_uint_eq(f->len, FRAME);
	return f->payload[0] << 8 | f->payload[1];
}

static int cmp_at(const void *a, const void *b)
{
	const struct tpkt *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx - y->idx;
}

/*
 * Send @n packets (sent every 20 ms from t=0) arriving at at[i] (or never
 * if ~0), pull a frame every 20 ms from t=5 and record into @out the
 * index played per tick (-1 loss, -2 empty, -3 CN). Returns ticks.
 */
static struct media_jb_stats snap;
static int snap_tick = -1;

static int simulate(struct media_jb *jb, struct tpkt *pk, int n, int *out,
		    int maxticks)
{
	struct media_jb_frame f;
	int t, j = 0;

	qsort(pk, (size_t)n, sizeof(*pk), cmp_at);
	for (t = 0; t < maxticks; t++) {
		uint64_t now = 5 + (uint64_t)t * 20;

		while (j < n && pk[j].at <= now) {
			if (pk[j].at != ~0ull)
				put_idx(jb, pk[j].idx, pk[j].at, 0x1234, 90000,
					false);
			j++;
		}
		media_jb_get(jb, now, &f);
		if (t == snap_tick)
			media_jb_stats(jb, &snap);
		out[t] = f.kind == MEDIA_JB_AUDIO ? frame_idx(&f)
			 : f.kind == MEDIA_JB_LOSS ? -1
			 : f.kind == MEDIA_JB_EMPTY ? -2
						    : -3;
	}
	return t;
}

/* Indices played, in order; checks they only increase. Returns the count
 * of distinct frames played and sets *first. */
static int check_order(const int *out, int ticks, int *losses)
{
	int last = -1, played = 0;

	*losses = 0;
	for (int t = 0; t < ticks; t++) {
		if (out[t] >= 0) {
			ck_assert_msg(out[t] > last, "tick %d: %d after %d", t,
				      out[t], last);
			last = out[t];
			played++;
		} else if (out[t] == -1) {
			(*losses)++;
		}
	}
	return played;
}

START_TEST(jb_steady)
{
	enum { N = 200 };
	struct media_jb *jb;
	struct media_jb_stats st;
	struct tpkt pk[N];
	int out[N + 20], losses, t, first = -1;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (int i = 0; i < N; i++)
		pk[i] = (struct tpkt){ i, (uint64_t)i * 20 + 3 };
	simulate(jb, pk, N, out, N + 20);
	/* nothing before the first packet, then every frame in order */
	for (t = 0; t < N + 20 && out[t] == -2; t++)
		;
	first = t;
	ck_assert_int_le(first, 2);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(out[first + i], i);
	ck_assert_int_eq(check_order(out, N + 20, &losses), N);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.packets, N);
	ck_assert_uint_eq(st.late + st.duplicate + st.dropped + st.overflow,
			  0);
	ck_assert_uint_eq(st.target_ms, 20);
	ck_assert_int_ge(st.delay_ms, 20);
	ck_assert_int_lt(st.delay_ms, 40);
	mem_deref(jb);
}
END_TEST

START_TEST(jb_loss_and_dups)
{
	enum { N = 200 };
	struct media_jb *jb;
	struct media_jb_stats st;
	struct tpkt pk[2 * N];
	int out[N + 20], losses, n = 0;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (int i = 0; i < N; i++) {
		/* every 10th lost (not the first), every packet twice */
		if (i % 10 == 5)
			continue;
		pk[n++] = (struct tpkt){ i, (uint64_t)i * 20 + 3 };
		pk[n++] = (struct tpkt){ i, (uint64_t)i * 20 + 4 };
	}
	simulate(jb, pk, n, out, N + 20);
	ck_assert_int_eq(check_order(out, N + 20, &losses), N - N / 10);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.duplicate, N - N / 10);
	/* each lost packet is one concealed frame, where it belongs; the
	 * stream's tail after the last packet conceals too */
	for (int t = 1; t + 1 < N + 20; t++) {
		if (out[t] == -1 && out[t - 1] >= 0 && out[t + 1] >= 0)
			ck_assert_int_eq(out[t - 1] % 10, 4);
	}
	ck_assert_uint_eq(st.concealed, (uint64_t)losses);
	ck_assert_int_ge(losses, N / 10);
	mem_deref(jb);
}
END_TEST

/* Random transit 0-60 ms: reordered, bunched. The buffer must grow to
 * cover it, then play nearly everything in order. */
START_TEST(jb_jitter_adapts)
{
	enum { N = 1500 };
	struct media_jb *jb;
	struct media_jb_stats st;
	struct tpkt pk[N];
	static int out[N + 40];
	uint32_t seed = 99;
	int losses, played, late_tail = 0;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (int i = 0; i < N; i++)
		pk[i] = (struct tpkt){ i, (uint64_t)i * 20 + rng(&seed) % 61 };
	simulate(jb, pk, N, out, N + 40);
	played = check_order(out, N + 40, &losses);
	media_jb_stats(jb, &st);
	ck_assert_uint_ge(st.jitter_ms, 50);
	ck_assert_uint_le(st.jitter_ms, 60);
	ck_assert_uint_ge(st.target_ms, 60);
	ck_assert_uint_le(st.target_ms, 70);
	/* the mean added delay sits near the target */
	ck_assert_int_ge(st.delay_avg_ms, 40);
	ck_assert_int_le(st.delay_avg_ms, 100);
	/* only the first seconds, before it adapted, lose packets */
	for (int t = 500; t < N; t++)
		late_tail += out[t] == -1;
	ck_assert_int_le(late_tail, 2);
	ck_assert_int_ge(played, N - 30);
	ck_assert_uint_eq(st.late + (uint64_t)played + st.dropped, N);
	mem_deref(jb);
}
END_TEST

/* A 300 ms stall then the backlog at once; later, calm again. The target
 * grows past the stall, then shrinks back once the blocks age out. */
START_TEST(jb_burst_then_calm)
{
	enum { N = 1200 };
	struct media_jb *jb;
	struct media_jb_stats st;
	struct tpkt pk[N];
	static int out[N + 40];
	int losses, played;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (int i = 0; i < N; i++) {
		uint64_t at = (uint64_t)i * 20 + 2;

		if (i >= 100 && i < 115)
			at = 115 * 20 + 2; /* stall, then a burst */
		pk[i] = (struct tpkt){ i, at };
	}
	snap_tick = 300;
	simulate(jb, pk, N, out, N + 40);
	snap_tick = -1;
	ck_assert_uint_ge(snap.jitter_ms, 280);
	ck_assert_uint_eq(snap.target_ms, 300);
	ck_assert_uint_ge(snap.late, 10);
	ck_assert_uint_ge(snap.inserted, 10);
	/* 18 s later: back to the minimum, by dropping frames */
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.target_ms, 20);
	ck_assert_int_lt(st.delay_ms, 60);
	ck_assert_uint_ge(st.dropped, 10);
	played = check_order(out, N + 40, &losses);
	ck_assert_uint_eq(st.late + (uint64_t)played + st.dropped, N);
	mem_deref(jb);
}
END_TEST

START_TEST(jb_ssrc_and_jumps)
{
	struct media_jb *jb;
	struct media_jb_stats st;
	struct media_jb_frame f;
	uint64_t now = 0;
	int i;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (i = 0; i < 50; i++, now += 20) {
		put_idx(jb, i, now, 1, 1000, false);
		media_jb_get(jb, now + 5, &f);
	}
	/* new SSRC, unrelated timestamps: reset, its frames play next */
	for (; i < 100; i++, now += 20) {
		put_idx(jb, i, now, 2, 0x80000000u, false);
		media_jb_get(jb, now + 5, &f);
		if (i >= 52)
			ck_assert_int_eq(frame_idx(&f), i - 1);
	}
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.ssrc_reset, 1);
	ck_assert_uint_eq(st.resync, 0);
	/* the same source jumps 10 s ahead, marker set: followed */
	for (; i < 150; i++, now += 20) {
		put_idx(jb, i, now, 2, 0x80000000u + 80000, i == 100);
		media_jb_get(jb, now + 5, &f);
		if (i >= 102)
			ck_assert_int_eq(frame_idx(&f), i - 1);
	}
	/* a jump without marker or consecutive seq: dropped once, followed
	 * on the third packet */
	put_idx(jb, i + 500, now, 2, 0x80000000u + 80000, false);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.resync, 1);
	ck_assert_uint_eq(st.overflow, 1);
	put_idx(jb, i + 501, now, 2, 0x80000000u + 80000, false);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.resync, 1);
	put_idx(jb, i + 502, now, 2, 0x80000000u + 80000, false);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.resync, 2);
	ck_assert_uint_eq(st.overflow, 2);
	mem_deref(jb);
}
END_TEST

/* Talkspurt, CN packet, 1 s without packets, next talkspurt: the gap is
 * comfort noise, not concealment. */
START_TEST(jb_cn_gap)
{
	struct media_jb *jb;
	struct media_jb_stats st;
	struct media_jb_frame f;
	struct media_jb_pkt cn = {
		.ssrc = 7, .seq = 1050, .ts = 90000 + 50 * FRAME, .cn = true,
		.payload = (const uint8_t *)"\x28", .len = 1,
	};
	int cnf = 0, loss = 0, audio = 0;
	uint64_t now = 0;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	for (int t = 0; t < 150; t++, now += 20) {
		if (t < 50)
			put_idx(jb, t, now, 7, 90000, t == 0);
		if (t == 50) {
			cn.arrival_ms = now;
			ck_assert_int_eq(media_jb_put(jb, &cn), 0);
		}
		if (t >= 100)
			put_idx(jb, t, now, 7, 90000, t == 100);
		media_jb_get(jb, now + 5, &f);
		if (f.kind == MEDIA_JB_CN) {
			ck_assert_uint_eq(f.len, 1);
			ck_assert_uint_eq(f.payload[0], 0x28);
			cnf++;
		}
		loss += f.kind == MEDIA_JB_LOSS;
		audio += f.kind == MEDIA_JB_AUDIO;
	}
	media_jb_stats(jb, &st);
	ck_assert_int_eq(loss, 0);
	ck_assert_int_eq(cnf, 50);
	ck_assert_uint_eq(st.cn_frames, 50);
	ck_assert_int_ge(audio, 98);
	mem_deref(jb);
}
END_TEST

START_TEST(jb_bad_input)
{
	struct media_jb *jb;
	struct media_jb_stats st;
	struct media_jb_params bad = { .min_ms = 400, .max_ms = 300 };
	uint8_t pl[400] = { 0 };
	struct media_jb_pkt p = { .units = 100, .payload = pl, .len = 100 };

	ck_assert_int_eq(media_jb_alloc(&jb, &bad), -EINVAL);
	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	ck_assert_int_eq(media_jb_put(jb, &p), -EBADMSG);
	p.units = 320;
	p.len = 321;
	ck_assert_int_eq(media_jb_put(jb, &p), -EBADMSG);
	p.units = 160;
	p.len = 400;
	ck_assert_int_eq(media_jb_put(jb, &p), -EBADMSG);
	p.units = 320; /* two frames of 160 bytes: fine */
	p.len = 320;
	ck_assert_int_eq(media_jb_put(jb, &p), 0);
	media_jb_stats(jb, &st);
	ck_assert_uint_eq(st.bad, 3);
	ck_assert_uint_eq(st.packets, 1);
	mem_deref(jb);
}
END_TEST

/* The whole receive path: PCMU sine -> jb -> decode/PLC -> PCM. */
START_TEST(jb_play_pcmu)
{
	struct media_jb *jb;
	struct media_codec *enc, *dec;
	struct media_plc *plc;
	struct media_cn_gen cn;
	int16_t src[FRAME], pcm[FRAME];
	uint8_t pl[FRAME];
	uint64_t now = 0;
	int kinds[4] = { 0 };
	double e_loss = 0;

	ck_assert_int_eq(media_jb_alloc(&jb, NULL), 0);
	ck_assert_int_eq(media_codec_alloc(&enc, MEDIA_CODEC_PCMU, 8000), 0);
	ck_assert_int_eq(media_codec_alloc(&dec, MEDIA_CODEC_PCMU, 8000), 0);
	ck_assert_int_eq(media_plc_alloc(&plc), 0);
	media_cn_gen_init(&cn, 1);
	ck_assert_int_eq(media_jb_play(jb, dec, plc, &cn, 0, pcm, 100),
			 -ENOSPC);
	for (int t = 0; t < 100; t++, now += 20) {
		for (int i = 0; i < FRAME; i++)
			src[i] = (int16_t)(8000 *
					   sin(2 * M_PI * 300 *
					       (t * FRAME + i) / 8000.0));
		ck_assert_int_eq(media_codec_encode(enc, pl, sizeof(pl), src,
						    FRAME), FRAME);
		if (t != 40) {
			struct media_jb_pkt p = {
				.seq = (uint16_t)t, .ts = (uint32_t)t * FRAME,
				.units = FRAME, .payload = pl, .len = FRAME,
				.arrival_ms = now,
			};

			ck_assert_int_eq(media_jb_put(jb, &p), 0);
		}
		int k = media_jb_play(jb, dec, plc, &cn, now + 5, pcm, FRAME);

		ck_assert_int_ge(k, 0);
		kinds[k]++;
		if (k == MEDIA_JB_LOSS) {
			for (int i = 0; i < FRAME; i++)
				e_loss += (double)pcm[i] * pcm[i];
		} else if (k == MEDIA_JB_AUDIO && t > 45) {
			/* decoded output follows the input a frame late;
			 * G.711 keeps it within a few percent */
			double err = 0, sig = 0;

			for (int i = 0; i < FRAME; i++) {
				double s = 8000 * sin(2 * M_PI * 300 *
						      ((t - 1) * FRAME + i) /
						      8000.0);

				err += (pcm[i] - s) * (pcm[i] - s);
				sig += s * s;
			}
			ck_assert_msg(err < sig * 1e-3, "t %d snr", t);
		}
	}
	ck_assert_int_eq(kinds[MEDIA_JB_LOSS], 1);
	ck_assert_int_ge(kinds[MEDIA_JB_AUDIO], 97);
	/* the lost frame was concealed with sound, not silence */
	ck_assert(e_loss / FRAME > 8000.0 * 8000 / 2 / 10);
	mem_deref(jb);
	mem_deref(enc);
	mem_deref(dec);
	mem_deref(plc);
}
END_TEST

START_TEST(cn_payload_and_noise)
{
	struct media_cn_info ci;
	struct media_cn_gen g;
	struct media_cn_tx tx;
	static int16_t pcm[8000];
	uint8_t pl = 0;
	static const uint8_t full[] = { 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	enum media_cn_tx_action a[20];

	ck_assert_int_eq(media_cn_parse(&ci, full, sizeof(full)), 0);
	ck_assert_uint_eq(ci.level, 40);
	ck_assert_uint_eq(ci.ncoef, MEDIA_CN_COEF_MAX);
	ck_assert_uint_eq(ci.coef[9], 10);
	ck_assert_int_eq(media_cn_parse(&ci, full, 0), -EBADMSG);
	ck_assert_int_eq(media_cn_parse(&ci, (const uint8_t *)"\x80", 1),
			 -EBADMSG);
	media_cn_gen_init(&g, 3);
	for (int lv = 20; lv <= 70; lv += 10) {
		media_cn_gen_frame(&g, (uint8_t)lv, pcm, 8000);
		ck_assert_int_le(abs(media_cn_level(pcm, 8000) - lv), 1);
	}
	memset(pcm, 0, sizeof(pcm));
	ck_assert_uint_eq(media_cn_level(pcm, 160), 127);
	/* full-scale square: 0 dBov; full-scale sine: 3 */
	for (int i = 0; i < 160; i++)
		pcm[i] = (int16_t)(i & 1 ? -32767 : 32767);
	ck_assert_uint_eq(media_cn_level(pcm, 160), 0);
	for (int i = 0; i < 160; i++)
		pcm[i] = (int16_t)(32767 * sin(2 * M_PI * i / 16.0));
	ck_assert_uint_eq(media_cn_level(pcm, 160), 3);
	/* send side: 2 frames of hangover, then CN, then quiet, refresh
	 * every 5 */
	media_cn_tx_init(&tx, 60, 2, 5);
	media_cn_gen_init(&g, 4);
	for (int f = 0; f < 20; f++) {
		media_cn_gen_frame(&g, f < 3 ? 20 : 70, pcm, 160);
		a[f] = media_cn_tx_frame(&tx, pcm, 160, &pl);
	}
	ck_assert_int_eq(a[0], MEDIA_CN_TX_AUDIO);
	ck_assert_int_eq(a[3], MEDIA_CN_TX_AUDIO);
	ck_assert_int_eq(a[4], MEDIA_CN_TX_AUDIO);
	ck_assert_int_eq(a[5], MEDIA_CN_TX_SEND);
	ck_assert_int_eq(a[6], MEDIA_CN_TX_QUIET);
	ck_assert_int_eq(a[10], MEDIA_CN_TX_SEND);
	ck_assert_int_le(abs(pl - 70), 2);
}
END_TEST

Suite *jb_suite(void)
{
	Suite *s = suite_create("jb");
	TCase *tc = tl_tcase(s, "jb");

	tcase_add_test(tc, jb_steady);
	tcase_add_test(tc, jb_loss_and_dups);
	tcase_add_test(tc, jb_jitter_adapts);
	tcase_add_test(tc, jb_burst_then_calm);
	tcase_add_test(tc, jb_ssrc_and_jumps);
	tcase_add_test(tc, jb_cn_gap);
	tcase_add_test(tc, jb_bad_input);
	tcase_add_test(tc, jb_play_pcmu);
	tc = tl_tcase(s, "cn");
	tcase_add_test(tc, cn_payload_and_noise);
	return s;
}
