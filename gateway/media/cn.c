// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3389 comfort noise: payload, generation, silence detection.
 * Decibels are stepped by multiplication so the library needs no libm.
 */
#include <errno.h>

#include "cn.h"

int media_cn_parse(struct media_cn_info *ci, const uint8_t *buf, size_t len)
{
	size_t i;

	if (len < 1 || (buf[0] & 0x80))
		return -EBADMSG;
	ci->level = buf[0];
	ci->ncoef = 0;
	for (i = 1; i < len && ci->ncoef < MEDIA_CN_COEF_MAX; i++)
		ci->coef[ci->ncoef++] = buf[i];
	return 0;
}

/* 10^(-1/10) and 10^(-1/20): one dB of power and of amplitude */
#define CN_DB_POW 0.7943282347242815
#define CN_DB_AMP 0.8912509381337456

uint8_t media_cn_level(const int16_t *pcm, size_t n)
{
	double sum = 0, r, edge;
	unsigned level;

	for (size_t i = 0; i < n; i++)
		sum += (double)pcm[i] * pcm[i];
	if (!n)
		return 127;
	r = sum / (double)n / (32768.0 * 32768.0);
	/* the level whose 1 dB band around it holds r: edges at
	 * 10^(-(L + 0.5) / 10) */
	edge = 0.8912509381337456; /* 10^(-0.05) */
	for (level = 0; level < 127 && r < edge; level++)
		edge *= CN_DB_POW;
	return (uint8_t)level;
}

void media_cn_gen_init(struct media_cn_gen *g, uint32_t seed)
{
	g->seed = seed ? seed : 0x9e3779b9u;
}

static uint32_t cn_rand(struct media_cn_gen *g)
{
	/* xorshift32: cheap, and good enough for noise */
	g->seed ^= g->seed << 13;
	g->seed ^= g->seed >> 17;
	g->seed ^= g->seed << 5;
	return g->seed;
}

void media_cn_gen_frame(struct media_cn_gen *g, uint8_t level, int16_t *pcm,
			size_t n)
{
	/* the sum of four uniforms on [-1, 1) has variance 4/3: scale it to
	 * unit power, then to the level's RMS */
	double rms = 32768.0, k, v;

	for (unsigned i = 0; i < level; i++)
		rms *= CN_DB_AMP;
	/* sqrt(3/4) */
	k = rms * 0.8660254037844386 / 2147483648.0;

	for (size_t i = 0; i < n; i++) {
		v = 0;
		for (int j = 0; j < 4; j++)
			v += (double)(int32_t)cn_rand(g);
		v *= k;
		pcm[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
}

void media_cn_tx_init(struct media_cn_tx *tx, uint8_t threshold,
		      unsigned hangover, unsigned interval)
{
	tx->threshold = threshold;
	tx->hangover = hangover;
	tx->interval = interval ? interval : 1;
	tx->silent = 0;
	tx->since = 0;
	tx->last_level = 0;
}

enum media_cn_tx_action media_cn_tx_frame(struct media_cn_tx *tx,
					  const int16_t *pcm, size_t n,
					  uint8_t *payload)
{
	uint8_t level = media_cn_level(pcm, n);
	int moved;

	if (level < tx->threshold) {
		tx->silent = 0;
		return MEDIA_CN_TX_AUDIO;
	}
	if (tx->silent < tx->hangover) {
		tx->silent++;
		return MEDIA_CN_TX_AUDIO;
	}
	moved = level - tx->last_level;
	if (tx->silent == tx->hangover || ++tx->since >= tx->interval ||
	    moved >= 3 || moved <= -3) {
		/* the first silent frame past the hangover, a refresh, or a
		 * change in the noise */
		tx->silent = tx->hangover + 1;
		tx->since = 0;
		tx->last_level = level;
		*payload = level;
		return MEDIA_CN_TX_SEND;
	}
	return MEDIA_CN_TX_QUIET;
}
