/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adaptive jitter buffer: RTP audio packets in, one frame out per tick.
 *
 * Codec-agnostic: it stores payload bytes per frame (frame_ms of media,
 * 20 ms by default) and hands back, for each tick, the payload to decode,
 * a hole to conceal (PLC), comfort noise (after an RFC 3389 CN packet, for
 * as long as the sender stays silent), or nothing yet (before the first
 * packet). media_jb_play() (jb_play.c) turns that into PCM.
 *
 * The target delay follows the measured jitter: the spread between the
 * fastest and the slowest packet's transit over the last ~8 s, plus half
 * a frame, within [min_ms, max_ms]. The buffer moves toward it one frame
 * at a time, inserting a concealed frame or dropping one.
 */
#ifndef TL_MEDIA_JB_H
#define TL_MEDIA_JB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frames the buffer can hold (1.28 s of 20 ms frames). */
#define MEDIA_JB_SLOTS 64
/* Largest payload of one frame (G.711/G.722: 160 bytes per 20 ms). */
#define MEDIA_JB_FRAME_MAX 320

struct media_jb_params {
	uint32_t clock_rate; /* RTP clock, 8000 if 0 */
	unsigned frame_ms;   /* 20 if 0 */
	unsigned min_ms;     /* lowest target delay, frame_ms if 0 */
	unsigned max_ms;     /* highest target delay, 300 if 0; <= 1000 */
};

/* One received RTP packet (the header already parsed by the caller). */
struct media_jb_pkt {
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts;
	bool marker;
	bool cn;	/* an RFC 3389 comfort-noise payload */
	uint32_t units; /* audio: timestamp units the payload covers */
	const uint8_t *payload;
	size_t len;
	uint64_t arrival_ms;
};

enum media_jb_kind {
	MEDIA_JB_EMPTY, /* nothing received yet: play silence */
	MEDIA_JB_AUDIO, /* decode payload */
	MEDIA_JB_LOSS,	/* conceal (PLC) */
	MEDIA_JB_CN,	/* comfort noise; payload is the CN payload */
};

/* A frame to play. @payload is valid until the next put() or get(). */
struct media_jb_frame {
	enum media_jb_kind kind;
	uint32_t ts;
	const uint8_t *payload;
	size_t len;
};

struct media_jb_stats {
	uint64_t packets;    /* accepted into the buffer */
	uint64_t frames;     /* frames handed out (after the first packet) */
	uint64_t concealed;  /* LOSS frames, inserted ones included */
	uint64_t inserted;   /* LOSS/CN frames added to grow the delay */
	uint64_t dropped;    /* frames discarded to shrink the delay */
	uint64_t late;	     /* packets that came after their frame played */
	uint64_t duplicate;  /* packets already in the buffer */
	uint64_t overflow;   /* packets too far ahead to hold */
	uint64_t bad;	     /* payloads not a whole number of frames */
	uint64_t resync;     /* timestamp jumps followed */
	uint64_t ssrc_reset; /* SSRC changes */
	uint64_t cn_frames;  /* CN frames handed out */
	int32_t delay_ms;    /* added delay of the last frame handed out */
	int32_t delay_avg_ms; /* mean added delay over the stream */
	uint32_t target_ms;  /* current target delay */
	uint32_t jitter_ms;  /* measured transit spread */
};

struct media_jb;

/* Allocate a buffer (mem object); @p may be NULL. 0, -EINVAL, -ENOMEM. */
int media_jb_alloc(struct media_jb **jbp, const struct media_jb_params *p);

/*
 * Put one packet. Late, duplicate and overflowing packets are counted and
 * dropped (0); a new SSRC resets the buffer; a timestamp jump (marker bit,
 * a consecutive sequence number, or three packets in a row out of range)
 * re-anchors it. -EBADMSG (counted as bad) if an audio payload is not a
 * whole number of frames of at most MEDIA_JB_FRAME_MAX bytes each.
 */
int media_jb_put(struct media_jb *jb, const struct media_jb_pkt *pkt);

/* Take the frame due at @now_ms; call once per frame_ms. */
void media_jb_get(struct media_jb *jb, uint64_t now_ms,
		  struct media_jb_frame *f);

/* Counters and delays so far. */
void media_jb_stats(const struct media_jb *jb, struct media_jb_stats *st);

/* ---- jb_play.c: the frame decoded to PCM -------------------------------- */

struct media_codec;
struct media_plc;
struct media_cn_gen;

/*
 * Take the frame due at @now_ms and write it to @pcm as
 * media_codec_frame_samples(@dec) samples: decoded (and remembered by the
 * PLC), concealed by @plc, comfort noise from @cn, or silence. Returns the
 * kind of frame played, or -ENOSPC if @n is too small.
 */
int media_jb_play(struct media_jb *jb, struct media_codec *dec,
		  struct media_plc *plc, struct media_cn_gen *cn,
		  uint64_t now_ms, int16_t *pcm, size_t n);

#endif
