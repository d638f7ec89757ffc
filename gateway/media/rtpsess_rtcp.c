// SPDX-License-Identifier: GPL-2.0
/* RTP session: RTCP reports on a timer, and what the peer reports. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "../base/mem.h"
#include "rtcp.h"
#include "rtpsess_priv.h"

#define LOG_TAG "rtcp"
#include "../base/log.h"

/* RFC 3550 6.3.1: e - 3/2, the reconsideration compensation */
#define RTCP_COMP 1.21828
/* IPv4 + UDP header octets counted in the average RTCP size (6.2) */
#define RTCP_UDP_IP 28
#define NTP_UNIX_OFFSET 2208988800ull

static uint64_t ntp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + NTP_UNIX_OFFSET) << 32 |
	       (((uint64_t)ts.tv_nsec << 32) / 1000000000u);
}

/* RFC 3550 6.3.1 and A.7 for a two-party session: the deterministic
 * interval from the RTCP bandwidth share, floored at the minimum (half of
 * it before the first report), then randomised and compensated. */
static uint64_t rtcp_interval_ms(struct rtp_sess *s)
{
	double bw = s->session_bw / 8.0 * 0.05; /* octets per second */
	double members = s->rx_have ? 2 : 1;
	double tmin = s->rtcp_min_ms / 1000.0;
	double t;
	uint32_t r;

	if (s->rtcp_initial)
		tmin /= 2;
	t = s->avg_rtcp_size * members / bw;
	if (t < tmin)
		t = tmin;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)rtp_sess_mono_ns();
	t *= 0.5 + (double)r / 4294967296.0;
	t /= RTCP_COMP;
	return (uint64_t)(t * 1000) + 1;
}

static void rtcp_tmr_h(void *arg)
{
	struct rtp_sess *s = arg;

	(void)rtp_sess_rtcp_send(s, NULL, false);
	s->rtcp_initial = false;
	tmr_start(s->loop, &s->rtcp_tmr, rtcp_interval_ms(s), rtcp_tmr_h, s);
}

void rtp_sess_rtcp_start(struct rtp_sess *s)
{
	s->rtcp_initial = true;
	s->avg_rtcp_size = 100;
	tmr_start(s->loop, &s->rtcp_tmr, rtcp_interval_ms(s), rtcp_tmr_h, s);
}

/* The RTP timestamp that corresponds to now (for the SR's sender info) */
static uint32_t rtp_ts_now(const struct rtp_sess *s, uint64_t now_ns)
{
	if (!s->sent_any)
		return s->ts_off;
	return s->last_ts + (uint32_t)((now_ns - s->last_tx_ns) / 1000 *
				       s->clock_rate / 1000000);
}

int rtp_sess_rtcp_send(struct rtp_sess *s, const char *bye_reason, bool bye)
{
	uint8_t *p = s->buf;
	size_t size = sizeof(s->buf) - RTP_SRTP_TRAILER_MAX, n = 0;
	uint64_t now = rtp_sess_mono_ns();
	struct rtcp_sender sr, *srp = NULL;
	struct rtcp_rb rb;
	unsigned nrb = 0;
	int w, err;

	if (!s->dst_rtcp.len)
		return -ENOTCONN;
	if (s->sent_since_report) {
		sr.ntp = ntp_now();
		sr.rtp_ts = rtp_ts_now(s, now);
		sr.pkts = s->sr_pkts;
		sr.octets = s->sr_octets;
		srp = &sr;
	}
	if (s->rx_have && s->rx.valid) {
		rtp_stats_report(&s->rx, &rb, now);
		s->st.fraction = rb.fraction;
		nrb = 1;
	}
	w = rtcp_build_report(p, size, s->ssrc, srp, &rb, nrb);
	if (w < 0)
		return w;
	n += (size_t)w;
	w = rtcp_build_sdes_cname(p + n, size - n, s->ssrc, s->cname);
	if (w < 0)
		return w;
	n += (size_t)w;
	if (bye) {
		w = rtcp_build_bye(p + n, size - n, &s->ssrc, 1, bye_reason);
		if (w < 0)
			return w;
		n += (size_t)w;
	}
	s->avg_rtcp_size += ((double)(n + RTCP_UDP_IP) - s->avg_rtcp_size) /
			    16;
	if (s->srtp_out) {
		err = rtp_srtp_protect_rtcp(s->srtp_out, p, &n,
					    sizeof(s->buf));
		if (err)
			return err;
	}
	if (sendto(s->mux ? s->lease.rtp_fd : s->lease.rtcp_fd, p, n, 0,
		   &s->dst_rtcp.u.sa, s->dst_rtcp.len) < 0) {
		s->st.send_err++;
		return -errno;
	}
	s->sent_since_report = false;
	s->st.rtcp_out++;
	return 0;
}

int rtp_sess_bye(struct rtp_sess *s, const char *reason)
{
	tmr_cancel(&s->rtcp_tmr);
	return rtp_sess_rtcp_send(s, reason, true);
}

/* A report block: only the one about our own stream matters here. */
static void take_rb(struct rtp_sess *s, const struct rtcp_rb *rb,
		    uint32_t arrival)
{
	uint32_t rtt;

	if (rb->ssrc != s->ssrc)
		return;
	s->st.have_peer_report = true;
	s->st.peer_fraction = rb->fraction;
	s->st.peer_lost = rb->lost;
	s->st.peer_jitter = rb->jitter;
	if (!rtcp_rtt_us(arrival, rb->lsr, rb->dlsr, &rtt))
		s->st.rtt_us = rtt;
}

static void take_pkt(struct rtp_sess *s, const struct rtcp_pkt *pk,
		     uint32_t arrival, uint64_t now, bool *report, bool *bye)
{
	switch (pk->pt) {
	case RTCP_SR:
		if (s->rx_have && pk->ssrc == s->rx.ssrc)
			rtp_stats_sr_received(&s->rx, pk->sr.ntp, now);
		else if (!s->rx_have) {
			/* an SR before any RTP: keep it for the first RR */
			rtp_stats_init(&s->rx, pk->ssrc, s->clock_rate);
			s->rx_have = true;
			rtp_stats_sr_received(&s->rx, pk->sr.ntp, now);
		}
		/* fall through: the report blocks are the same */
		__attribute__((fallthrough));
	case RTCP_RR:
		for (unsigned i = 0; i < pk->count; i++)
			take_rb(s, &pk->rb[i], arrival);
		*report = true;
		break;
	case RTCP_BYE:
		for (unsigned i = 0; i < pk->count; i++)
			if (s->rx_have && pk->bye_ssrc[i] == s->rx.ssrc)
				*bye = true;
		break;
	default:
		break;
	}
}

void rtp_sess_rtcp_input(struct rtp_sess *s, uint8_t *p, size_t len,
			 const struct sa *src)
{
	uint32_t arrival = rtcp_ntp_mid(ntp_now());
	uint64_t now = rtp_sess_mono_ns();
	bool report = false, bye = false;
	struct rtcp_pkt pk;
	struct rtcp_iter it;
	int r;

	if (s->strict && !(s->remote_rtcp.len && sa_eq(src, &s->remote_rtcp))) {
		s->st.foreign++;
		return;
	}
	if (s->srtp_in && rtp_srtp_unprotect_rtcp(s->srtp_in, p, &len)) {
		s->st.srtp_fail++;
		return;
	}
	if (rtcp_iter_init(&it, p, len)) {
		s->st.rtcp_bad++;
		return;
	}
	while ((r = rtcp_iter_next(&it, &pk)) > 0)
		take_pkt(s, &pk, arrival, now, &report, &bye);
	if (r < 0)
		s->st.rtcp_bad++;
	s->st.rtcp_in++;
	/* symmetric RTCP: answer where the peer's reports come from */
	if (!s->strict && !s->rtcp_latched) {
		s->dst_rtcp = *src;
		s->rtcp_latched = true;
	}
	if (report && s->eventh)
		s->eventh(RTP_SESS_EV_RTCP, s->arg);
	if (bye && !s->st.bye) {
		s->st.bye = true;
		LOGI_ID(s->id, "RTCP BYE from %08x", s->rx.ssrc);
		if (s->eventh)
			s->eventh(RTP_SESS_EV_BYE, s->arg);
	}
}
