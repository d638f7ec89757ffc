// SPDX-License-Identifier: GPL-2.0
/*
 * G.711 through spandsp's inline table-free conversions (a handful of
 * integer operations per sample, cheaper than a cache miss on a table),
 * G.722 through spandsp's g722 state machines.
 */
#include <errno.h>
#include <strings.h>

#include <spandsp.h>

#include "../base/mem.h"
#include "codec.h"

struct media_codec {
	enum media_codec_id id;
	unsigned pcm_rate;
	/* G.722 only; spandsp allocates them, we free them. A fresh object
	 * has both, so either direction may be used (but not both). */
	g722_encode_state_t *g722_enc;
	g722_decode_state_t *g722_dec;
};

static const char *const codec_names[] = {
	[MEDIA_CODEC_PCMU] = "PCMU",
	[MEDIA_CODEC_PCMA] = "PCMA",
	[MEDIA_CODEC_G722] = "G722",
};

static const uint8_t codec_pts[] = {
	[MEDIA_CODEC_PCMU] = 0,
	[MEDIA_CODEC_PCMA] = 8,
	[MEDIA_CODEC_G722] = 9,
};

static void codec_destroy(void *arg)
{
	struct media_codec *c = arg;

	if (c->g722_enc)
		g722_encode_free(c->g722_enc);
	if (c->g722_dec)
		g722_decode_free(c->g722_dec);
}

int media_codec_lookup(const char *name, enum media_codec_id *id)
{
	for (size_t i = 0; i < sizeof(codec_names) / sizeof(codec_names[0]);
	     i++) {
		if (!strcasecmp(name, codec_names[i])) {
			*id = (enum media_codec_id)i;
			return 0;
		}
	}
	return -ENOENT;
}

int media_codec_alloc(struct media_codec **cp, enum media_codec_id id,
		      unsigned pcm_rate)
{
	struct media_codec *c;
	int opts, err;

	if (id > MEDIA_CODEC_G722)
		return -EINVAL;
	if (pcm_rate != 8000 && !(pcm_rate == 16000 && id == MEDIA_CODEC_G722))
		return -EINVAL;
	c = mem_zalloc(sizeof(*c), codec_destroy);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->pcm_rate = pcm_rate;
	if (id == MEDIA_CODEC_G722) {
		opts = pcm_rate == 8000 ? G722_SAMPLE_RATE_8000 : 0;
		c->g722_enc = g722_encode_init(NULL, 64000, opts);
		c->g722_dec = g722_decode_init(NULL, 64000, opts);
		if (!c->g722_enc || !c->g722_dec) {
			err = -ENOMEM;
			goto err;
		}
	}
	*cp = c;
	return 0;
err:
	mem_deref(c);
	return err;
}

uint8_t media_codec_pt(const struct media_codec *c)
{
	return codec_pts[c->id];
}

const char *media_codec_name(const struct media_codec *c)
{
	return codec_names[c->id];
}

unsigned media_codec_pcm_rate(const struct media_codec *c)
{
	return c->pcm_rate;
}

size_t media_codec_frame_samples(const struct media_codec *c)
{
	return c->pcm_rate / 1000 * MEDIA_CODEC_FRAME_MS;
}

size_t media_codec_frame_bytes(const struct media_codec *c)
{
	(void)c;
	/* 64 kbit/s for all three: 8 bytes per ms */
	return 8 * MEDIA_CODEC_FRAME_MS;
}

uint32_t media_codec_ts_units(const struct media_codec *c, size_t len)
{
	(void)c;
	/* one byte per 8 kHz clock tick for all three (G.722: 2 samples at
	 * 16 kHz per byte, but an 8 kHz RTP clock) */
	return (uint32_t)len;
}

/* PCM samples per payload byte. */
static size_t codec_spb(const struct media_codec *c)
{
	return c->pcm_rate / 8000;
}

int media_codec_encode(struct media_codec *c, uint8_t *out, size_t outsz,
		       const int16_t *pcm, size_t n)
{
	size_t spb = codec_spb(c), i;

	if (n % spb)
		return -EINVAL;
	if (n / spb > outsz)
		return -ENOSPC;
	switch (c->id) {
	case MEDIA_CODEC_PCMU:
		for (i = 0; i < n; i++)
			out[i] = linear_to_ulaw(pcm[i]);
		return (int)n;
	case MEDIA_CODEC_PCMA:
		for (i = 0; i < n; i++)
			out[i] = linear_to_alaw(pcm[i]);
		return (int)n;
	case MEDIA_CODEC_G722:
		if (!c->g722_enc)
			return -EINVAL;
		return g722_encode(c->g722_enc, out, pcm, (int)n);
	}
	return -EINVAL;
}

int media_codec_decode(struct media_codec *c, int16_t *pcm, size_t pcmsz,
		       const uint8_t *in, size_t len)
{
	size_t spb = codec_spb(c), i;

	if (len * spb > pcmsz)
		return -ENOSPC;
	switch (c->id) {
	case MEDIA_CODEC_PCMU:
		for (i = 0; i < len; i++)
			pcm[i] = ulaw_to_linear(in[i]);
		return (int)len;
	case MEDIA_CODEC_PCMA:
		for (i = 0; i < len; i++)
			pcm[i] = alaw_to_linear(in[i]);
		return (int)len;
	case MEDIA_CODEC_G722:
		if (!c->g722_dec)
			return -EINVAL;
		return g722_decode(c->g722_dec, pcm, in, (int)len);
	}
	return -EINVAL;
}
