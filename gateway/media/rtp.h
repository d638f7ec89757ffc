/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP fixed header (RFC 3550 section 5.1): decode and encode.
 *
 * The decoder borrows the packet: ext points into it. It checks every
 * length against the buffer (CSRC list, extension, padding) and returns
 * -EBADMSG on anything that does not fit, so a decoded header's hdr_len +
 * pay_len + pad_len always equals the packet length.
 */
#ifndef TL_MEDIA_RTP_H
#define TL_MEDIA_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_VERSION 2
#define RTP_HDR_MIN 12
#define RTP_MAX_CSRC 15

struct rtp_hdr {
	bool marker;
	bool ext;	/* header extension present */
	uint8_t pt;	/* 0..127 */
	uint8_t cc;	/* CSRC count */
	uint8_t pad_len; /* padding octets at the end (0 = none) */
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	uint32_t csrc[RTP_MAX_CSRC];
	uint16_t ext_profile;	/* "defined by profile" word */
	uint16_t ext_len;	/* extension data length in octets */
	const uint8_t *ext_data; /* borrowed from the packet; NULL if none */
	size_t hdr_len;		 /* offset of the payload */
	size_t pay_len;		 /* payload octets, padding excluded */
};

/*
 * Decode the header of the RTP packet @p of @len octets into @h.
 * 0, or -EBADMSG when it is not a well-formed RTP version 2 packet.
 */
int rtp_hdr_decode(struct rtp_hdr *h, const uint8_t *p, size_t len);

/*
 * Length of the header @h would encode to (fixed part, CSRCs, extension).
 */
size_t rtp_hdr_size(const struct rtp_hdr *h);

/*
 * Encode @h (without padding: pad_len, hdr_len and pay_len are ignored)
 * into @p of @size octets. Returns the octets written or -ENOSPC; -EINVAL
 * for a pt > 127, cc > 15, or an extension length not a multiple of 4.
 */
int rtp_hdr_encode(const struct rtp_hdr *h, uint8_t *p, size_t size);

/*
 * RFC 5761 demultiplexing on a shared port: true when the second octet
 * (marker + PT) is in 192..223, i.e. an RTCP packet type. Needs len >= 2.
 */
static inline bool rtp_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && p[1] >= 192 && p[1] <= 223;
}

/* Big-endian helpers shared by the media files (wire data, unaligned). */
static inline uint16_t rtp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rtp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void rtp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void rtp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
