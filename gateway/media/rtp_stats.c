// SPDX-License-Identifier: GPL-2.0
/* RTP receive statistics: RFC 3550 A.1 (sequence), A.3 (loss), A.8. */
#include <string.h>

#include "rtp_stats.h"

#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
#define MIN_SEQUENTIAL 2
#define SEQ_MOD (1u << 16)

void rtp_stats_init(struct rtp_stats *s, uint32_t ssrc, uint32_t clock_rate)
{
	memset(s, 0, sizeof(*s));
	s->ssrc = ssrc;
	s->clock_rate = clock_rate ? clock_rate : 8000;
	s->probation = MIN_SEQUENTIAL;
	s->bad_seq = SEQ_MOD + 1; /* so seq == bad_seq is false */
}

static void init_seq(struct rtp_stats *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = SEQ_MOD + 1;
	s->cycles = 0;
	s->received = 0;
	s->received_prior = 0;
	s->expected_prior = 0;
}

/* A.1's update_seq, with the first packet starting the probation run. */
static bool update_seq(struct rtp_stats *s, uint16_t seq)
{
	uint16_t udelta = (uint16_t)(seq - s->max_seq);

	if (!s->started) {
		init_seq(s, seq);
		s->max_seq = (uint16_t)(seq - 1);
		s->started = true;
		udelta = 1;
	}
	if (s->probation) {
		/* packets must arrive in sequence to leave probation */
		if (seq == (uint16_t)(s->max_seq + 1)) {
			s->probation--;
			s->max_seq = seq;
			if (s->probation == 0) {
				init_seq(s, (uint16_t)(seq -
						       (MIN_SEQUENTIAL - 1)));
				s->max_seq = seq;
				s->received = MIN_SEQUENTIAL - 1;
				s->valid = true;
				return true;
			}
		} else {
			s->probation = MIN_SEQUENTIAL - 1;
			s->max_seq = seq;
		}
		return false;
	}
	if (udelta < MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += SEQ_MOD;
		s->max_seq = seq;
	} else if (udelta <= SEQ_MOD - MAX_MISORDER) {
		/* a very large jump: restart if the next one follows it */
		if (seq == s->bad_seq) {
			init_seq(s, seq);
			s->restarts++;
		} else {
			s->bad_seq = (uint32_t)(seq + 1) & (SEQ_MOD - 1);
			return false;
		}
	} else {
		s->dups_or_late++;
	}
	return true;
}

static int64_t arrival_units(struct rtp_stats *s, uint64_t now_ns)
{
	/* relative to the first packet, so the product cannot overflow
	 * for any realistic call length */
	return (int64_t)((now_ns - s->t0_ns) / 1000 * s->clock_rate /
			 1000000);
}

bool rtp_stats_update(struct rtp_stats *s, uint16_t seq, uint32_t ts,
		      uint32_t bytes, uint64_t now_ns)
{
	int64_t transit, d;

	if (!update_seq(s, seq))
		return false;
	s->received++;
	s->bytes += bytes;
	if (!s->have_transit) {
		s->t0_ns = now_ns;
		s->transit = (int64_t)0 - (int64_t)ts;
		s->have_transit = true;
		return true;
	}
	/* A.8: J += (|D| - J) / 16, kept scaled by 16 */
	transit = arrival_units(s, now_ns) - (int64_t)ts;
	d = transit - s->transit;
	/* the timestamp wraps at 2^32: fold the difference back */
	d = (int64_t)(int32_t)(uint32_t)d;
	s->transit = transit;
	if (d < 0)
		d = -d;
	s->jitter_q4 = (uint32_t)((int64_t)s->jitter_q4 + d -
				  (((int64_t)s->jitter_q4 + 8) >> 4));
	return true;
}

uint32_t rtp_stats_ext_seq(const struct rtp_stats *s)
{
	return s->cycles + s->max_seq;
}

int32_t rtp_stats_lost(const struct rtp_stats *s)
{
	uint32_t expected;

	if (!s->valid)
		return 0;
	expected = rtp_stats_ext_seq(s) - s->base_seq + 1;
	return (int32_t)(expected - s->received);
}

uint32_t rtp_stats_jitter(const struct rtp_stats *s)
{
	return s->jitter_q4 >> 4;
}

void rtp_stats_report(struct rtp_stats *s, struct rtcp_rb *rb,
		      uint64_t now_ns)
{
	uint32_t expected = s->valid ? rtp_stats_ext_seq(s) - s->base_seq + 1
				     : 0;
	uint32_t exp_int = expected - s->expected_prior;
	uint32_t rcv_int = s->received - s->received_prior;
	int64_t lost_int = (int64_t)exp_int - (int64_t)rcv_int;

	memset(rb, 0, sizeof(*rb));
	rb->ssrc = s->ssrc;
	rb->lost = rtp_stats_lost(s);
	rb->ext_seq = rtp_stats_ext_seq(s);
	rb->jitter = rtp_stats_jitter(s);
	if (exp_int && lost_int > 0)
		rb->fraction = (uint8_t)((lost_int << 8) / exp_int);
	s->expected_prior = expected;
	s->received_prior = s->received;
	if (s->lsr) {
		rb->lsr = s->lsr;
		/* 1/65536 s units */
		rb->dlsr = (uint32_t)(((now_ns - s->lsr_rx_ns) << 16) /
				      1000000000u);
	}
}

void rtp_stats_sr_received(struct rtp_stats *s, uint64_t ntp,
			   uint64_t now_ns)
{
	s->lsr = rtcp_ntp_mid(ntp);
	s->lsr_rx_ns = now_ns;
}
