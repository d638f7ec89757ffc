/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comfort noise (RFC 3389): the CN payload, a noise generator for the
 * receive side, and silence detection that decides when the send side may
 * replace audio with CN packets.
 *
 * Levels are in -dBov, 0-127, with 0 dBov the power of a full-scale
 * square wave (RMS 32768), so a full-scale sine is 3 dBov down.
 */
#ifndef TL_MEDIA_CN_H
#define TL_MEDIA_CN_H

#include <stddef.h>
#include <stdint.h>

/* Static payload type of CN at 8 kHz (RFC 3551). */
#define MEDIA_CN_PT 13
/* Reflection coefficients kept from a payload (RFC 3389 3.2). */
#define MEDIA_CN_COEF_MAX 10

struct media_cn_info {
	uint8_t level; /* -dBov */
	uint8_t ncoef;
	uint8_t coef[MEDIA_CN_COEF_MAX]; /* quantized, as on the wire */
};

/* Parse a CN payload: the level byte (its top bit must be 0), then any
 * number of coefficient bytes (the first MEDIA_CN_COEF_MAX are kept).
 * 0 or -EBADMSG. */
int media_cn_parse(struct media_cn_info *ci, const uint8_t *buf, size_t len);

/* Level of @n samples in -dBov (0-127; 127 for digital silence). */
uint8_t media_cn_level(const int16_t *pcm, size_t n);

/* Noise generator; a plain struct, no allocation. */
struct media_cn_gen {
	uint32_t seed;
};

/* Start a generator from @seed (any value). */
void media_cn_gen_init(struct media_cn_gen *g, uint32_t seed);

/* Write @n samples of noise at @level -dBov (spectrally flat: the
 * coefficients are not applied). */
void media_cn_gen_frame(struct media_cn_gen *g, uint8_t level, int16_t *pcm,
			size_t n);

/* Send side: voice activity by level, with a hangover. */
enum media_cn_tx_action {
	MEDIA_CN_TX_AUDIO, /* send the frame as audio */
	MEDIA_CN_TX_SEND,  /* send the CN payload instead */
	MEDIA_CN_TX_QUIET, /* send nothing (DTX) */
};

struct media_cn_tx {
	uint8_t threshold;  /* -dBov: frames quieter than this are silence */
	unsigned hangover;  /* silent frames sent as audio before CN */
	unsigned interval;  /* frames between CN updates */
	unsigned silent;    /* consecutive silent frames */
	unsigned since;	    /* frames since the last CN packet */
	uint8_t last_level;
};

/* Set up the send side: silence below -@threshold dBov, CN after
 * @hangover silent frames, refreshed every @interval frames or when the
 * level moves by 3 dB or more. */
void media_cn_tx_init(struct media_cn_tx *tx, uint8_t threshold,
		      unsigned hangover, unsigned interval);

/* Decide what to send for one frame; on MEDIA_CN_TX_SEND the one-byte CN
 * payload (level only) is in *@payload. */
enum media_cn_tx_action media_cn_tx_frame(struct media_cn_tx *tx,
					  const int16_t *pcm, size_t n,
					  uint8_t *payload);

#endif
