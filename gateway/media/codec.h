/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Audio codecs of the media path: PCMU, PCMA (G.711) and G.722, with a
 * 20 ms frame interface.
 *
 * A codec object holds one direction's state (G.722 is stateful; one
 * object must not both encode and decode). PCM is 16-bit linear at the
 * codec's PCM rate: 8000 for G.711, 16000 for G.722 unless it was made
 * with pcm_rate 8000, in which case spandsp resamples at its edges so a
 * G.722 leg can talk straight to an 8 kHz TDM channel.
 *
 * RTP timestamps count at the codec's clock: 8000 for all three (RFC 3551
 * keeps G.722's clock at 8000 for historical reasons), so a 20 ms frame is
 * always 160 timestamp units and 160 payload bytes.
 */
#ifndef TL_MEDIA_CODEC_H
#define TL_MEDIA_CODEC_H

#include <stddef.h>
#include <stdint.h>

enum media_codec_id {
	MEDIA_CODEC_PCMU = 0,
	MEDIA_CODEC_PCMA,
	MEDIA_CODEC_G722,
};

/* Frame length used throughout the media path. */
#define MEDIA_CODEC_FRAME_MS 20
/* Largest frame in samples (G.722 at 16 kHz, 20 ms). */
#define MEDIA_CODEC_FRAME_MAX 320

struct media_codec;

/* Look a codec up by SDP encoding name ("PCMU", "PCMA", "G722"; case
 * insensitive). 0 and *id set, or -ENOENT. */
int media_codec_lookup(const char *name, enum media_codec_id *id);

/* Allocate a codec (mem object). @pcm_rate is 8000 or 16000; 16000 is
 * only valid for G.722. -EINVAL on a bad combination, -ENOMEM. */
int media_codec_alloc(struct media_codec **cp, enum media_codec_id id,
		      unsigned pcm_rate);

/* Static RTP payload type (RFC 3551): 0, 8 or 9. */
uint8_t media_codec_pt(const struct media_codec *c);

/* SDP encoding name: "PCMU", "PCMA", "G722". */
const char *media_codec_name(const struct media_codec *c);

/* PCM sample rate of this object (8000 or 16000). */
unsigned media_codec_pcm_rate(const struct media_codec *c);

/* PCM samples in one 20 ms frame (160 or 320). */
size_t media_codec_frame_samples(const struct media_codec *c);

/* Payload bytes in one 20 ms frame (160 for all three). */
size_t media_codec_frame_bytes(const struct media_codec *c);

/* RTP timestamp units covered by a payload of @len bytes. */
uint32_t media_codec_ts_units(const struct media_codec *c, size_t len);

/*
 * Encode @n PCM samples into @out (room for @outsz bytes). @n must be a
 * multiple of the samples per payload byte (1 for G.711, 2 for G.722 at
 * 16 kHz). Returns payload bytes written, -EINVAL or -ENOSPC.
 */
int media_codec_encode(struct media_codec *c, uint8_t *out, size_t outsz,
		       const int16_t *pcm, size_t n);

/*
 * Decode @len payload bytes into @pcm (room for @pcmsz samples). Returns
 * samples written or -ENOSPC. Any byte string is a valid payload.
 */
int media_codec_decode(struct media_codec *c, int16_t *pcm, size_t pcmsz,
		       const uint8_t *in, size_t len);

#endif
