// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive jitter buffer.
 *
 * Timestamps are unwrapped into a 64-bit "ext" timeline around the frame
 * to play next (play_ext), started far from zero so that jumps either way
 * never make it negative. Frames live in a ring of MEDIA_JB_SLOTS slots;
 * slot i holds play_ext + i frames (modulo the ring), and each slot keeps
 * its ext so a stale one is never taken for a new one.
 *
 * Delay: a packet's transit offset is d = arrival - media time of its
 * timestamp, up to an unknown constant. The fastest packets (dmin) would
 * need no buffering at all; a frame played at time now has therefore been
 * delayed by now - media time - dmin, which is the "added delay" we report
 * and steer toward the target. dmin and dmax come from blocks of 50
 * packets, the last 8 kept, so both follow a path that changes.
 */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "jb.h"

#define JB_BLK_PKTS 50
#define JB_BLKS 8
#define JB_EXT_BASE ((int64_t)1 << 40)
/* Behind play_ext by more than this is a jump, not a late packet. */
#define JB_LATE_MS 1000
/* Ahead by more than this is a jump, not an overflow. */
#define JB_AHEAD_MS 3000
#define JB_BAD_RUN 3

struct jb_slot {
	bool used;
	bool cn;
	uint16_t len;
	int64_t ext;
	uint8_t data[MEDIA_JB_FRAME_MAX];
};

struct media_jb {
	uint32_t clock;
	uint32_t frame;	/* timestamp units per frame */
	unsigned frame_ms, min_ms, max_ms;

	struct jb_slot slot[MEDIA_JB_SLOTS];
	unsigned nused;
	unsigned play_idx; /* slot of play_ext */
	int64_t play_ext;  /* next frame to play */
	int64_t start_ext; /* frames before it were never received */
	bool anchored, started;

	bool have_ssrc;
	uint32_t ssrc;
	uint16_t max_seq;
	unsigned bad_run; /* consecutive out-of-range packets */

	/* transit offsets (ms) */
	int64_t blk_min[JB_BLKS], blk_max[JB_BLKS];
	unsigned nblk, blk_pos;
	int64_t cur_min, cur_max;
	unsigned cur_n;
	int64_t dmin;

	unsigned since_adjust; /* frames since the last insert or drop */
	bool cn_active;
	uint8_t cn_len;
	uint8_t cn_buf[16];
	int64_t delay_sum;

	struct media_jb_stats st;
};

int media_jb_alloc(struct media_jb **jbp, const struct media_jb_params *p)
{
	struct media_jb_params d = { 0 };
	struct media_jb *jb;

	if (p)
		d = *p;
	if (!d.clock_rate)
		d.clock_rate = 8000;
	if (!d.frame_ms)
		d.frame_ms = 20;
	if (!d.min_ms)
		d.min_ms = d.frame_ms;
	if (!d.max_ms)
		d.max_ms = 300;
	if (d.clock_rate % 1000 || d.clock_rate > 96000 || d.frame_ms > 60 ||
	    d.min_ms > d.max_ms || d.max_ms > 1000)
		return -EINVAL;
	jb = mem_zalloc(sizeof(*jb), NULL);
	if (!jb)
		return -ENOMEM;
	jb->clock = d.clock_rate;
	jb->frame_ms = d.frame_ms;
	jb->frame = d.clock_rate / 1000 * d.frame_ms;
	jb->min_ms = d.min_ms;
	jb->max_ms = d.max_ms;
	jb->st.target_ms = d.min_ms;
	*jbp = jb;
	return 0;
}

static int64_t jb_ms(const struct media_jb *jb, int64_t ext)
{
	return ext * 1000 / jb->clock;
}

/* Empty the buffer; on a new timeline (@transit) forget the transit
 * offsets too, they were measured against the old one. */
static void jb_flush(struct media_jb *jb, bool transit)
{
	for (unsigned i = 0; i < MEDIA_JB_SLOTS; i++)
		jb->slot[i].used = false;
	jb->nused = 0;
	if (transit)
		jb->nblk = 0;
	if (transit) {
		jb->blk_pos = 0;
		jb->cur_n = 0;
	}
	jb->anchored = false;
	jb->cn_active = false;
}

/* Place the next frame to play target_ms before the one at @ext, as if
 * @ext had arrived with the fastest transit. */
static void jb_anchor(struct media_jb *jb, int64_t ext)
{
	int64_t units = (int64_t)jb->st.target_ms * jb->clock / 1000;

	/* whole frames, on the stream's grid, rounded up */
	jb->play_ext = ext - (units + jb->frame - 1) / jb->frame * jb->frame;
	jb->play_idx = 0;
	jb->anchored = true;
	if (!jb->started) {
		jb->start_ext = ext;
		jb->started = true;
	}
}

/* Record a transit offset and recompute dmin and the target. */
static void jb_transit(struct media_jb *jb, int64_t d)
{
	int64_t lo = d, hi = d, spread;
	unsigned target;

	if (!jb->cur_n || d < jb->cur_min)
		jb->cur_min = d;
	if (!jb->cur_n || d > jb->cur_max)
		jb->cur_max = d;
	jb->cur_n++;
	lo = jb->cur_min;
	hi = jb->cur_max;
	for (unsigned i = 0; i < jb->nblk; i++) {
		if (jb->blk_min[i] < lo)
			lo = jb->blk_min[i];
		if (jb->blk_max[i] > hi)
			hi = jb->blk_max[i];
	}
	if (jb->cur_n == JB_BLK_PKTS) {
		jb->blk_min[jb->blk_pos] = jb->cur_min;
		jb->blk_max[jb->blk_pos] = jb->cur_max;
		jb->blk_pos = (jb->blk_pos + 1) % JB_BLKS;
		if (jb->nblk < JB_BLKS)
			jb->nblk++;
		jb->cur_n = 0;
	}
	jb->dmin = lo;
	spread = hi - lo;
	jb->st.jitter_ms = (uint32_t)(spread > 1000 ? 1000 : spread);
	/* after a reset, a handful of packets say little: keep the old
	 * target until there is a block's worth */
	if (!jb->nblk && jb->cur_n < 10)
		return;
	target = jb->st.jitter_ms + jb->frame_ms / 2;
	if (target < jb->min_ms)
		target = jb->min_ms;
	if (target > jb->max_ms)
		target = jb->max_ms;
	jb->st.target_ms = target;
}

static unsigned jb_idx(const struct media_jb *jb, int64_t k)
{
	return (unsigned)((jb->play_idx + (uint64_t)k) % MEDIA_JB_SLOTS);
}

/* Store frame @k (frames after play_ext). true if stored, false if the
 * slot already held it. */
static bool jb_store(struct media_jb *jb, int64_t k, bool cn,
		     const uint8_t *p, size_t len)
{
	struct jb_slot *s = &jb->slot[jb_idx(jb, k)];
	int64_t ext = jb->play_ext + k * jb->frame;

	if (s->used && s->ext == ext)
		return false;
	if (!s->used)
		jb->nused++;
	s->used = true;
	s->cn = cn;
	s->ext = ext;
	s->len = (uint16_t)len;
	memcpy(s->data, p, len);
	return true;
}

static bool jb_seq_next(const struct media_jb *jb, uint16_t seq)
{
	return jb->anchored && seq == (uint16_t)(jb->max_seq + 1);
}

int media_jb_put(struct media_jb *jb, const struct media_jb_pkt *pkt)
{
	int64_t ext, off, k, frames, flen;
	bool resync = false, jump = false, newsrc = false, stored = false;

	if (!pkt->cn) {
		if (!pkt->units || pkt->units % jb->frame || !pkt->len)
			goto bad;
		frames = pkt->units / jb->frame;
		if (pkt->len % (size_t)frames)
			goto bad;
		flen = (int64_t)pkt->len / frames;
		if (flen > MEDIA_JB_FRAME_MAX || frames > MEDIA_JB_SLOTS)
			goto bad;
	} else {
		if (!pkt->len)
			goto bad;
		frames = 1;
		flen = pkt->len > sizeof(jb->cn_buf) ? (int64_t)sizeof(jb->cn_buf)
						     : (int64_t)pkt->len;
	}

	/* a new source is a new timeline, followed at once */
	if (jb->have_ssrc && pkt->ssrc != jb->ssrc && jb->anchored) {
		jb->st.ssrc_reset++;
		resync = jump = newsrc = true;
	}
	jb->have_ssrc = true;
	jb->ssrc = pkt->ssrc;

	if (!jb->anchored) {
		jb_anchor(jb, JB_EXT_BASE + pkt->ts);
		jb->max_seq = pkt->seq;
	}
	ext = jb->play_ext + (int32_t)(pkt->ts - (uint32_t)jb->play_ext);
	off = ext - jb->play_ext;
	if (newsrc) {
		/* nothing to check against */
	} else if (off < -(int64_t)JB_LATE_MS * jb->clock / 1000 ||
		   off >= (int64_t)JB_AHEAD_MS * jb->clock / 1000) {
		if (pkt->marker || jb_seq_next(jb, pkt->seq) ||
		    ++jb->bad_run >= JB_BAD_RUN)
			resync = jump = true;
		else if (off < 0)
			jb->st.late++;
		else
			jb->st.overflow++;
		if (!resync)
			return 0;
	} else if (pkt->marker && !jb->nused && off >= 0) {
		/* a talkspurt after silence: move the playout point to the
		 * target delay without touching any audio */
		resync = off / jb->frame !=
			 ((int64_t)jb->st.target_ms * jb->clock / 1000 +
			  jb->frame - 1) / jb->frame;
	}
	if (resync) {
		if (jump && !newsrc)
			jb->st.resync++;
		jb_flush(jb, jump);
		jb_anchor(jb, ext);
		off = ext - jb->play_ext;
		jb->max_seq = pkt->seq;
	}
	jb->bad_run = 0;
	if ((int16_t)(pkt->seq - jb->max_seq) > 0)
		jb->max_seq = pkt->seq;

	/* round a timestamp off the frame grid to the nearest frame */
	k = (off + (off >= 0 ? 1 : -1) * (int64_t)jb->frame / 2) / jb->frame;
	for (int64_t i = 0; i < frames; i++) {
		if (k + i < 0)
			continue;
		if (k + i >= MEDIA_JB_SLOTS)
			break;
		if (jb_store(jb, k + i, pkt->cn, pkt->payload + i * flen,
			     (size_t)flen))
			stored = true;
	}
	if (!stored && k + frames > 0 && k < MEDIA_JB_SLOTS) {
		jb->st.duplicate++;
		return 0;
	}
	/* late packets count most: they are what the delay must cover */
	jb_transit(jb, (int64_t)pkt->arrival_ms - jb_ms(jb, ext));
	if (k + frames <= 0)
		jb->st.late++;
	else if (k >= MEDIA_JB_SLOTS)
		jb->st.overflow++;
	else
		jb->st.packets++;
	return 0;
bad:
	jb->st.bad++;
	return -EBADMSG;
}

static void jb_advance(struct media_jb *jb)
{
	struct jb_slot *s = &jb->slot[jb->play_idx];

	if (s->used && s->ext == jb->play_ext) {
		s->used = false;
		jb->nused--;
	}
	jb->play_ext += jb->frame;
	jb->play_idx = (jb->play_idx + 1) % MEDIA_JB_SLOTS;
}

static void jb_hole(struct media_jb *jb, struct media_jb_frame *f)
{
	if (jb->cn_active) {
		f->kind = MEDIA_JB_CN;
		f->payload = jb->cn_buf;
		f->len = jb->cn_len;
		jb->st.cn_frames++;
	} else if (jb->play_ext < jb->start_ext) {
		f->kind = MEDIA_JB_EMPTY;
	} else {
		f->kind = MEDIA_JB_LOSS;
		jb->st.concealed++;
	}
}

void media_jb_get(struct media_jb *jb, uint64_t now_ms,
		  struct media_jb_frame *f)
{
	struct jb_slot *s;
	int64_t delay;

	memset(f, 0, sizeof(*f));
	if (!jb->anchored)
		return;
	f->ts = (uint32_t)jb->play_ext;
	delay = (int64_t)now_ms - jb_ms(jb, jb->play_ext) - jb->dmin;
	jb->since_adjust++;
	if (jb->since_adjust >= 2 &&
	    delay >= (int64_t)jb->st.target_ms + 2 * jb->frame_ms) {
		/* too deep: drop this frame */
		s = &jb->slot[jb->play_idx];
		if (s->used && s->ext == jb->play_ext && !s->cn)
			jb->st.dropped++;
		jb_advance(jb);
		delay -= jb->frame_ms;
		jb->since_adjust = 0;
	} else if (jb->since_adjust >= 2 &&
		   delay + jb->frame_ms / 2 < (int64_t)jb->st.target_ms &&
		   jb->play_ext >= jb->start_ext) {
		/* too shallow: play a made-up frame, keep this one */
		jb->st.frames++;
		jb->st.inserted++;
		jb_hole(jb, f);
		jb->since_adjust = 0;
		goto out;
	}
	jb->st.frames++;
	s = &jb->slot[jb->play_idx];
	if (s->used && s->ext == jb->play_ext) {
		f->payload = s->data;
		f->len = s->len;
		if (s->cn) {
			jb->cn_active = true;
			jb->cn_len = (uint8_t)s->len;
			memcpy(jb->cn_buf, s->data, s->len);
			f->kind = MEDIA_JB_CN;
			jb->st.cn_frames++;
		} else {
			jb->cn_active = false;
			f->kind = MEDIA_JB_AUDIO;
		}
	} else {
		jb_hole(jb, f);
	}
	jb_advance(jb);
out:
	jb->st.delay_ms = (int32_t)delay;
	jb->delay_sum += delay;
	jb->st.delay_avg_ms = (int32_t)(jb->delay_sum / (int64_t)jb->st.frames);
}

void media_jb_stats(const struct media_jb *jb, struct media_jb_stats *st)
{
	*st = jb->st;
}
