// SPDX-License-Identifier: GPL-2.0
/* The codecs the gateway speaks and how formats on an m-line map to them. */
#include <errno.h>

#include "oa_priv.h"
#include "priv.h"

static const struct {
	const char *name;
	uint8_t pt;
} codecs[SDP_NCODECS] = {
	[SDP_PCMU] = { "PCMU", 0 },
	[SDP_PCMA] = { "PCMA", 8 },
	/* G.722 keeps an 8000 Hz RTP clock for history (RFC 3551 4.5.2) */
	[SDP_G722] = { "G722", 9 },
};

/* RFC 3551 static payload types we may meet without an rtpmap. */
static const struct {
	uint8_t pt;
	const char *name;
} statics[] = {
	{ 0, "PCMU" }, { 3, "GSM" }, { 4, "G723" }, { 8, "PCMA" },
	{ 9, "G722" }, { 13, "CN" }, { 18, "G729" },
};

const char *sdp_codec_name(enum sdp_codec c)
{
	return codecs[c].name;
}

uint8_t sdp_codec_pt(enum sdp_codec c)
{
	return codecs[c].pt;
}

bool sdp_fmt_info(const struct sdp_media *m, struct strv fmt, unsigned *pt,
		  struct strv *enc, uint32_t *rate)
{
	const struct sdp_rtpmap *r;
	uint64_t n;

	if (strv_u64(fmt, 127, &n))
		return false;
	*pt = (unsigned)n;
	r = sdp_media_rtpmap(m, *pt);
	if (r) {
		/* rate 0: an rtpmap without a clock rate, not usable */
		if (r->chans != 1 || !r->rate)
			return false;
		*enc = r->enc;
		*rate = r->rate;
		return true;
	}
	for (size_t i = 0; i < sizeof(statics) / sizeof(statics[0]); i++) {
		if (statics[i].pt == *pt) {
			*enc = strv_of(statics[i].name);
			*rate = 8000;
			return true;
		}
	}
	return false;
}

int sdp_fmt_codec(const struct sdp_media *m, struct strv fmt, unsigned *pt)
{
	struct strv enc;
	uint32_t rate;

	if (!sdp_fmt_info(m, fmt, pt, &enc, &rate) || rate != 8000)
		return -ENOENT;
	for (int c = 0; c < SDP_NCODECS; c++)
		if (strv_caseeq_str(enc, codecs[c].name))
			return c;
	return -ENOENT;
}

enum sdp_kind sdp_media_kind(const struct sdp_media *m)
{
	if (strv_eq(m->type, STRV("audio")) &&
	    (strv_eq(m->proto, STRV("RTP/AVP")) ||
	     strv_eq(m->proto, STRV("RTP/SAVP"))))
		return SDP_KIND_AUDIO;
	if (strv_eq(m->type, STRV("image")) &&
	    strv_caseeq_str(m->proto, "udptl") && m->nfmt == 1 &&
	    strv_eq(m->fmt[0], STRV("t38")))
		return SDP_KIND_IMAGE;
	return SDP_KIND_OTHER;
}
