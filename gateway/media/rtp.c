// SPDX-License-Identifier: GPL-2.0
/* RTP fixed header decode/encode (RFC 3550 section 5.1, 5.3.1). */
#include <errno.h>
#include <string.h>

#include "rtp.h"

int rtp_hdr_decode(struct rtp_hdr *h, const uint8_t *p, size_t len)
{
	size_t off, end = len;

	if (len < RTP_HDR_MIN || p[0] >> 6 != RTP_VERSION)
		return -EBADMSG;
	h->cc = p[0] & 0x0f;
	h->ext = p[0] & 0x10;
	h->marker = p[1] & 0x80;
	h->pt = p[1] & 0x7f;
	h->seq = rtp_get16(p + 2);
	h->ts = rtp_get32(p + 4);
	h->ssrc = rtp_get32(p + 8);
	off = RTP_HDR_MIN;
	if (len - off < (size_t)h->cc * 4)
		return -EBADMSG;
	for (unsigned i = 0; i < h->cc; i++, off += 4)
		h->csrc[i] = rtp_get32(p + off);
	h->ext_profile = 0;
	h->ext_len = 0;
	h->ext_data = NULL;
	if (h->ext) {
		size_t elen;

		if (len - off < 4)
			return -EBADMSG;
		h->ext_profile = rtp_get16(p + off);
		elen = (size_t)rtp_get16(p + off + 2) * 4;
		off += 4;
		if (len - off < elen)
			return -EBADMSG;
		h->ext_len = (uint16_t)elen;
		h->ext_data = p + off;
		off += elen;
	}
	h->pad_len = 0;
	if (p[0] & 0x20) {
		/* The last octet counts itself; 0 is invalid (RFC 3550 A.1) */
		uint8_t n = p[len - 1];

		if (n == 0 || n > len - off)
			return -EBADMSG;
		h->pad_len = n;
		end = len - n;
	}
	h->hdr_len = off;
	h->pay_len = end - off;
	return 0;
}

size_t rtp_hdr_size(const struct rtp_hdr *h)
{
	return RTP_HDR_MIN + (size_t)h->cc * 4 +
	       (h->ext ? 4 + (size_t)h->ext_len : 0);
}

int rtp_hdr_encode(const struct rtp_hdr *h, uint8_t *p, size_t size)
{
	size_t off = RTP_HDR_MIN, need;

	if (h->pt > 127 || h->cc > RTP_MAX_CSRC ||
	    (h->ext && (h->ext_len % 4 || (h->ext_len && !h->ext_data))))
		return -EINVAL;
	need = rtp_hdr_size(h);
	if (size < need)
		return -ENOSPC;
	p[0] = (uint8_t)(RTP_VERSION << 6 | (h->ext ? 0x10 : 0) | h->cc);
	p[1] = (uint8_t)((h->marker ? 0x80 : 0) | h->pt);
	rtp_put16(p + 2, h->seq);
	rtp_put32(p + 4, h->ts);
	rtp_put32(p + 8, h->ssrc);
	for (unsigned i = 0; i < h->cc; i++, off += 4)
		rtp_put32(p + off, h->csrc[i]);
	if (h->ext) {
		rtp_put16(p + off, h->ext_profile);
		rtp_put16(p + off + 2, (uint16_t)(h->ext_len / 4));
		off += 4;
		if (h->ext_len)
			memcpy(p + off, h->ext_data, h->ext_len);
		off += h->ext_len;
	}
	return (int)off;
}
