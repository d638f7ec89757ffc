/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTCP (RFC 3550 section 6): compound packet parsing and building.
 *
 * Parsing walks a compound packet one RTCP packet at a time with an
 * iterator; SR, RR, SDES and BYE are decoded, APP and unknown types are
 * kept opaque (a pointer to their body). Every pointer in a decoded packet
 * borrows the input buffer.
 *
 * Building writes one packet per call into a caller buffer; a compound
 * packet is the concatenation (SR or RR first, then SDES with CNAME).
 */
#ifndef TL_MEDIA_RTCP_H
#define TL_MEDIA_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rtcp_type {
	RTCP_SR = 200,
	RTCP_RR = 201,
	RTCP_SDES = 202,
	RTCP_BYE = 203,
	RTCP_APP = 204,
};

#define RTCP_SDES_CNAME 1
#define RTCP_MAX_RB 31	  /* the 5-bit count field */
#define RTCP_MAX_CHUNKS 31

/* One report block (RFC 3550 6.4.1) */
struct rtcp_rb {
	uint32_t ssrc;	   /* the source this block reports on */
	uint8_t fraction;  /* fraction lost since the last report, /256 */
	int32_t lost;	   /* cumulative lost, 24-bit signed */
	uint32_t ext_seq;  /* extended highest sequence number received */
	uint32_t jitter;   /* interarrival jitter, timestamp units */
	uint32_t lsr;	   /* middle 32 bits of the last SR's NTP time */
	uint32_t dlsr;	   /* delay since that SR, 1/65536 s */
};

/* Sender info (SR only) */
struct rtcp_sender {
	uint64_t ntp;	 /* NTP timestamp, 32.32 fixed point */
	uint32_t rtp_ts;
	uint32_t pkts;
	uint32_t octets;
};

struct rtcp_sdes_chunk {
	uint32_t ssrc;
	const char *cname; /* not NUL-terminated; NULL if absent */
	uint8_t cname_len;
};

/* One decoded RTCP packet of a compound */
struct rtcp_pkt {
	uint8_t pt;	       /* enum rtcp_type or other */
	uint8_t count;	       /* the 5-bit RC/SC/subtype field */
	size_t len;	       /* whole packet, header and padding included */
	const uint8_t *body;   /* after the 4-octet header (opaque types) */
	size_t body_len;       /* padding excluded */
	uint32_t ssrc;	       /* SR/RR sender, APP source; 0 otherwise */
	struct rtcp_sender sr; /* RTCP_SR */
	struct rtcp_rb rb[RTCP_MAX_RB]; /* SR/RR: count blocks */
	struct rtcp_sdes_chunk chunk[RTCP_MAX_CHUNKS]; /* SDES: count */
	uint32_t bye_ssrc[RTCP_MAX_CHUNKS];	       /* BYE: count */
	const char *reason;	/* BYE reason (not NUL-terminated) or NULL */
	uint8_t reason_len;
	char app_name[5];	/* APP: 4 ASCII octets, NUL-terminated */
};

struct rtcp_iter {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/*
 * Start walking the compound packet @p of @len octets. Returns 0, or
 * -EBADMSG unless it passes the RFC 3550 A.2 checks: version 2, the first
 * packet an SR or RR without padding, the lengths adding up exactly.
 */
int rtcp_iter_init(struct rtcp_iter *it, const uint8_t *p, size_t len);

/*
 * Decode the next packet into @pkt. Returns 1 with a packet, 0 at the end,
 * -EBADMSG on a malformed packet (the walk should stop there).
 */
int rtcp_iter_next(struct rtcp_iter *it, struct rtcp_pkt *pkt);

/*
 * Build an SR (when @sr is non-NULL) or an RR from @ssrc with @n report
 * blocks into @p of @size octets. Returns the octets written, -ENOSPC, or
 * -EINVAL for n > RTCP_MAX_RB.
 */
int rtcp_build_report(uint8_t *p, size_t size, uint32_t ssrc,
		      const struct rtcp_sender *sr, const struct rtcp_rb *rb,
		      unsigned n);

/*
 * Build an SDES packet with one chunk: @ssrc and its CNAME @cname (1..255
 * octets). Returns the octets written, -ENOSPC or -EINVAL.
 */
int rtcp_build_sdes_cname(uint8_t *p, size_t size, uint32_t ssrc,
			  const char *cname);

/*
 * Build a BYE for @n sources with an optional @reason (NULL = none).
 * Returns the octets written, -ENOSPC or -EINVAL.
 */
int rtcp_build_bye(uint8_t *p, size_t size, const uint32_t *ssrc,
		   unsigned n, const char *reason);

/* Middle 32 bits of a 32.32 NTP timestamp (the LSR form). */
static inline uint32_t rtcp_ntp_mid(uint64_t ntp)
{
	return (uint32_t)(ntp >> 16);
}

/*
 * Round-trip time from a report block (RFC 3550 6.4.1): @arrival is the
 * middle 32 bits of the NTP time the RR arrived. Writes the RTT in
 * microseconds to @rtt_us. -ENODATA when lsr is 0 (no SR received yet),
 * -ERANGE when the figures are inconsistent (negative RTT).
 */
int rtcp_rtt_us(uint32_t arrival, uint32_t lsr, uint32_t dlsr,
		uint32_t *rtt_us);

#endif
