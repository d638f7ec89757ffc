// SPDX-License-Identifier: GPL-2.0
/* RTCP compound packets: parse and build (RFC 3550 section 6, A.2). */
#include <errno.h>
#include <string.h>

#include "rtcp.h"
#include "rtp.h"

#define RTCP_HDR 4
#define RB_SIZE 24
#define SENDER_SIZE 20

int rtcp_iter_init(struct rtcp_iter *it, const uint8_t *p, size_t len)
{
	size_t off = 0;

	it->p = p;
	it->len = len;
	it->off = 0;
	/* RFC 3550 A.2: first packet SR or RR, no padding on it */
	if (len < 8 || (p[0] & 0xe0) != 0x80 ||
	    (p[1] != RTCP_SR && p[1] != RTCP_RR))
		return -EBADMSG;
	while (off < len) {
		size_t plen;

		if (len - off < RTCP_HDR || p[off] >> 6 != RTP_VERSION)
			return -EBADMSG;
		plen = ((size_t)rtp_get16(p + off + 2) + 1) * 4;
		if (plen > len - off)
			return -EBADMSG;
		/* only the last packet of a compound may be padded */
		if ((p[off] & 0x20) && off + plen != len)
			return -EBADMSG;
		off += plen;
	}
	return 0;
}

static int decode_rb(struct rtcp_pkt *pkt, const uint8_t *b, size_t blen,
		     size_t off)
{
	if (blen - off < (size_t)pkt->count * RB_SIZE)
		return -EBADMSG;
	for (unsigned i = 0; i < pkt->count; i++, off += RB_SIZE) {
		struct rtcp_rb *rb = &pkt->rb[i];
		uint32_t l = rtp_get32(b + off + 4) & 0xffffff;

		rb->ssrc = rtp_get32(b + off);
		rb->fraction = b[off + 4];
		/* sign-extend the 24-bit cumulative loss */
		rb->lost = (int32_t)(l ^ 0x800000) - 0x800000;
		rb->ext_seq = rtp_get32(b + off + 8);
		rb->jitter = rtp_get32(b + off + 12);
		rb->lsr = rtp_get32(b + off + 16);
		rb->dlsr = rtp_get32(b + off + 20);
	}
	return 0;
}

static int decode_sdes(struct rtcp_pkt *pkt, const uint8_t *b, size_t blen)
{
	size_t off = 0;

	for (unsigned c = 0; c < pkt->count; c++) {
		struct rtcp_sdes_chunk *ch = &pkt->chunk[c];

		if (blen - off < 4)
			return -EBADMSG;
		ch->ssrc = rtp_get32(b + off);
		ch->cname = NULL;
		ch->cname_len = 0;
		off += 4;
		/* items until a zero type octet, then pad to 32 bits */
		for (;;) {
			uint8_t type, ilen;

			if (off >= blen)
				return -EBADMSG;
			type = b[off];
			if (type == 0)
				break;
			if (blen - off < 2)
				return -EBADMSG;
			ilen = b[off + 1];
			if (blen - off - 2 < ilen)
				return -EBADMSG;
			if (type == RTCP_SDES_CNAME) {
				ch->cname = (const char *)b + off + 2;
				ch->cname_len = ilen;
			}
			off += 2 + (size_t)ilen;
		}
		off = (off + 4) & ~(size_t)3;
		if (off > blen)
			return -EBADMSG;
	}
	return 0;
}

static int decode_bye(struct rtcp_pkt *pkt, const uint8_t *b, size_t blen)
{
	size_t off = (size_t)pkt->count * 4;

	if (blen < off)
		return -EBADMSG;
	for (unsigned i = 0; i < pkt->count; i++)
		pkt->bye_ssrc[i] = rtp_get32(b + 4 * i);
	pkt->reason = NULL;
	pkt->reason_len = 0;
	if (off < blen) {
		uint8_t rl = b[off];

		if (blen - off - 1 < rl)
			return -EBADMSG;
		pkt->reason = (const char *)b + off + 1;
		pkt->reason_len = rl;
	}
	return 0;
}

int rtcp_iter_next(struct rtcp_iter *it, struct rtcp_pkt *pkt)
{
	const uint8_t *p = it->p + it->off;
	size_t left = it->len - it->off, plen, blen;
	const uint8_t *b;
	int err = 0;

	if (it->off >= it->len)
		return 0;
	if (left < RTCP_HDR || p[0] >> 6 != RTP_VERSION)
		return -EBADMSG;
	plen = ((size_t)rtp_get16(p + 2) + 1) * 4;
	if (plen > left)
		return -EBADMSG;
	blen = plen - RTCP_HDR;
	if (p[0] & 0x20) {
		uint8_t n = p[plen - 1];

		if (n == 0 || n > blen)
			return -EBADMSG;
		blen -= n;
	}
	b = p + RTCP_HDR;
	memset(pkt, 0, sizeof(*pkt));
	pkt->pt = p[1];
	pkt->count = p[0] & 0x1f;
	pkt->len = plen;
	pkt->body = b;
	pkt->body_len = blen;
	it->off += plen;

	switch (pkt->pt) {
	case RTCP_SR:
		if (blen < 4 + SENDER_SIZE)
			return -EBADMSG;
		pkt->ssrc = rtp_get32(b);
		pkt->sr.ntp = (uint64_t)rtp_get32(b + 4) << 32 |
			      rtp_get32(b + 8);
		pkt->sr.rtp_ts = rtp_get32(b + 12);
		pkt->sr.pkts = rtp_get32(b + 16);
		pkt->sr.octets = rtp_get32(b + 20);
		err = decode_rb(pkt, b, blen, 4 + SENDER_SIZE);
		break;
	case RTCP_RR:
		if (blen < 4)
			return -EBADMSG;
		pkt->ssrc = rtp_get32(b);
		err = decode_rb(pkt, b, blen, 4);
		break;
	case RTCP_SDES:
		err = decode_sdes(pkt, b, blen);
		break;
	case RTCP_BYE:
		err = decode_bye(pkt, b, blen);
		break;
	case RTCP_APP:
		if (blen < 8)
			return -EBADMSG;
		pkt->ssrc = rtp_get32(b);
		memcpy(pkt->app_name, b + 4, 4);
		break;
	default:
		break;
	}
	return err ? err : 1;
}

static void put_hdr(uint8_t *p, uint8_t count, uint8_t pt, size_t len)
{
	p[0] = (uint8_t)(RTP_VERSION << 6 | count);
	p[1] = pt;
	rtp_put16(p + 2, (uint16_t)(len / 4 - 1));
}

int rtcp_build_report(uint8_t *p, size_t size, uint32_t ssrc,
		      const struct rtcp_sender *sr, const struct rtcp_rb *rb,
		      unsigned n)
{
	size_t len = RTCP_HDR + 4 + (sr ? SENDER_SIZE : 0) + n * RB_SIZE;
	size_t off = RTCP_HDR + 4;

	if (n > RTCP_MAX_RB)
		return -EINVAL;
	if (size < len)
		return -ENOSPC;
	put_hdr(p, (uint8_t)n, sr ? RTCP_SR : RTCP_RR, len);
	rtp_put32(p + 4, ssrc);
	if (sr) {
		rtp_put32(p + off, (uint32_t)(sr->ntp >> 32));
		rtp_put32(p + off + 4, (uint32_t)sr->ntp);
		rtp_put32(p + off + 8, sr->rtp_ts);
		rtp_put32(p + off + 12, sr->pkts);
		rtp_put32(p + off + 16, sr->octets);
		off += SENDER_SIZE;
	}
	for (unsigned i = 0; i < n; i++, off += RB_SIZE) {
		int32_t lost = rb[i].lost;

		/* clamp to the 24-bit signed field (RFC 3550 A.3) */
		if (lost > 0x7fffff)
			lost = 0x7fffff;
		if (lost < -0x800000)
			lost = -0x800000;
		rtp_put32(p + off, rb[i].ssrc);
		rtp_put32(p + off + 4, (uint32_t)rb[i].fraction << 24 |
					       ((uint32_t)lost & 0xffffff));
		rtp_put32(p + off + 8, rb[i].ext_seq);
		rtp_put32(p + off + 12, rb[i].jitter);
		rtp_put32(p + off + 16, rb[i].lsr);
		rtp_put32(p + off + 20, rb[i].dlsr);
	}
	return (int)len;
}

int rtcp_build_sdes_cname(uint8_t *p, size_t size, uint32_t ssrc,
			  const char *cname)
{
	size_t cl = strlen(cname), len;

	if (cl == 0 || cl > 255)
		return -EINVAL;
	/* header, SSRC, type+len+text, then at least one zero octet */
	len = (RTCP_HDR + 4 + 2 + cl + 1 + 3) & ~(size_t)3;
	if (size < len)
		return -ENOSPC;
	memset(p, 0, len);
	put_hdr(p, 1, RTCP_SDES, len);
	rtp_put32(p + 4, ssrc);
	p[8] = RTCP_SDES_CNAME;
	p[9] = (uint8_t)cl;
	memcpy(p + 10, cname, cl);
	return (int)len;
}

int rtcp_build_bye(uint8_t *p, size_t size, const uint32_t *ssrc,
		   unsigned n, const char *reason)
{
	size_t rl = reason ? strlen(reason) : 0, len;

	if (n > RTCP_MAX_CHUNKS || rl > 255)
		return -EINVAL;
	len = RTCP_HDR + (size_t)n * 4;
	if (reason)
		len = (len + 1 + rl + 3) & ~(size_t)3;
	if (size < len)
		return -ENOSPC;
	memset(p, 0, len);
	put_hdr(p, (uint8_t)n, RTCP_BYE, len);
	for (unsigned i = 0; i < n; i++)
		rtp_put32(p + RTCP_HDR + 4 * i, ssrc[i]);
	if (reason) {
		p[RTCP_HDR + 4 * n] = (uint8_t)rl;
		memcpy(p + RTCP_HDR + 4 * n + 1, reason, rl);
	}
	return (int)len;
}

int rtcp_rtt_us(uint32_t arrival, uint32_t lsr, uint32_t dlsr,
		uint32_t *rtt_us)
{
	uint32_t d;

	if (lsr == 0)
		return -ENODATA;
	/* modulo-2^32 arithmetic keeps this right across NTP wraps */
	d = arrival - lsr;
	/* more than half the range is an arrival before the SR: bogus */
	if (d >= 0x80000000u || d < dlsr)
		return -ERANGE;
	*rtt_us = (uint32_t)(((uint64_t)(d - dlsr) * 1000000u) >> 16);
	return 0;
}
