/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-stream receive statistics (RFC 3550 appendix A.1, A.3, A.8):
 * sequence tracking with wrap-around and restart detection, cumulative and
 * interval loss, interarrival jitter, and what a report block needs.
 * A plain struct, embedded in its owner; the call layer and the CLI read
 * it directly.
 */
#ifndef TL_MEDIA_RTP_STATS_H
#define TL_MEDIA_RTP_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "rtcp.h"

struct rtp_stats {
	uint32_t ssrc;
	uint32_t clock_rate; /* RTP timestamp units per second */
	bool started;	     /* the first packet has been seen */
	bool valid;	     /* a source has passed probation */
	uint16_t max_seq;    /* highest sequence number seen */
	uint32_t cycles;     /* wraps, shifted left 16 */
	uint32_t base_seq;
	uint32_t bad_seq;    /* last "bad" sequence + 1 (restart check) */
	uint32_t probation;  /* packets in sequence still needed */
	uint32_t received;
	uint32_t expected_prior; /* at the last report */
	uint32_t received_prior;
	uint64_t bytes;	     /* payload octets received */
	uint32_t dups_or_late; /* packets behind max_seq (reordered/dups) */
	uint32_t restarts;   /* sequence resyncs after a big jump */
	int64_t transit;     /* last relative transit time, ts units */
	uint32_t jitter_q4;  /* jitter, ts units << 4 (A.8) */
	uint64_t t0_ns;	     /* arrival clock origin */
	bool have_transit;
	/* from the last SR received from this source */
	uint32_t lsr;	     /* its NTP middle 32 bits, 0 = none yet */
	uint64_t lsr_rx_ns;  /* when it arrived (CLOCK_MONOTONIC ns) */
	/* from report blocks about OUR stream that the peer sends back */
	uint32_t rtt_us;     /* last round-trip time, 0 = unknown */
	uint8_t peer_fraction;
	int32_t peer_lost;
	uint32_t peer_jitter;
};

/* Start tracking a new source @ssrc with @clock_rate (e.g. 8000). */
void rtp_stats_init(struct rtp_stats *s, uint32_t ssrc, uint32_t clock_rate);

/*
 * Account one RTP packet with sequence @seq, timestamp @ts, @bytes of
 * payload, arrived at @now_ns (CLOCK_MONOTONIC). Returns true when the
 * packet is valid for playout (source out of probation, sequence
 * plausible), false while on probation or after a big jump (RFC 3550 A.1).
 */
bool rtp_stats_update(struct rtp_stats *s, uint16_t seq, uint32_t ts,
		      uint32_t bytes, uint64_t now_ns);

/* Extended highest sequence number (cycles + max_seq). */
uint32_t rtp_stats_ext_seq(const struct rtp_stats *s);

/* Cumulative lost packets (may be negative with duplicates). */
int32_t rtp_stats_lost(const struct rtp_stats *s);

/* Interarrival jitter in timestamp units. */
uint32_t rtp_stats_jitter(const struct rtp_stats *s);

/*
 * Fill a report block about this source for an SR/RR built at @now_ns,
 * and start a new interval for the fraction lost (RFC 3550 A.3).
 */
void rtp_stats_report(struct rtp_stats *s, struct rtcp_rb *rb,
		      uint64_t now_ns);

/* Remember an SR from this source (its NTP time), arrived at @now_ns. */
void rtp_stats_sr_received(struct rtp_stats *s, uint64_t ntp,
			   uint64_t now_ns);

#endif
