// SPDX-License-Identifier: GPL-2.0
/* RTP session: sockets, sending, receiving, validation and latching. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "../base/mem.h"
#include "rtpsess_priv.h"

#define LOG_TAG "rtp"
#include "../base/log.h"

#define RELATCH_PKTS_DEF 5
#define RELATCH_SILENCE_DEF 500
/* packets read per readiness event, so one busy socket cannot starve the
 * rest of the loop */
#define RX_BATCH 32

uint64_t rtp_sess_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void rnd(void *p, size_t n)
{
	/* getrandom() only fails before the pool is seeded or on EINTR;
	 * a weaker value then is still a valid SSRC */
	if (getrandom(p, n, GRND_NONBLOCK) != (ssize_t)n) {
		uint64_t x = rtp_sess_mono_ns() * 0x9e3779b97f4a7c15ull;

		memcpy(p, &x, n < sizeof(x) ? n : sizeof(x));
	}
}

static void default_rtcp_dst(struct rtp_sess *s, const struct sa *rtp)
{
	s->dst_rtcp = *rtp;
	if (!s->mux && rtp->len)
		sa_set_port(&s->dst_rtcp, (uint16_t)(sa_port(rtp) + 1));
}

static void set_sdp_remote(struct rtp_sess *s, const struct sa *remote,
			   const struct sa *remote_rtcp)
{
	memset(&s->remote, 0, sizeof(s->remote));
	memset(&s->remote_rtcp, 0, sizeof(s->remote_rtcp));
	if (remote && remote->len)
		s->remote = *remote;
	s->dst = s->remote;
	if (remote_rtcp && remote_rtcp->len)
		s->dst_rtcp = *remote_rtcp;
	else
		default_rtcp_dst(s, &s->remote);
	s->remote_rtcp = s->dst_rtcp;
	s->latched = false;
	s->rtcp_latched = false;
	s->confirmed = false;
	s->cand_n = 0;
}

void rtp_sess_restart(struct rtp_sess *s)
{
	uint32_t old = s->ssrc;

	do
		rnd(&s->ssrc, sizeof(s->ssrc));
	while (s->ssrc == 0 || s->ssrc == old);
	rnd(&s->seq, sizeof(s->seq));
	rnd(&s->ts_off, sizeof(s->ts_off));
	s->sent_any = false;
	s->rebase = false;
	s->marker_next = true;
	s->sr_pkts = 0;
	s->sr_octets = 0;
	s->st.ssrc_out = s->ssrc;
}

void rtp_sess_rebase(struct rtp_sess *s)
{
	if (s->sent_any)
		s->rebase = true;
	s->marker_next = true;
}

void rtp_sess_set_remote(struct rtp_sess *s, const struct sa *remote,
			 const struct sa *remote_rtcp)
{
	char a[SA_STRLEN];

	set_sdp_remote(s, remote, remote_rtcp);
	LOGI_ID(s->id, "RTP peer now %s%s",
		s->remote.len ? sa_str(&s->remote, a, sizeof(a)) : "unknown",
		s->strict ? " (strict)" : "");
}

int rtp_sess_set_pts(struct rtp_sess *s, const uint8_t *pt, unsigned n)
{
	if (n > RTP_SESS_MAX_PT)
		return -EINVAL;
	if (n)
		memcpy(s->pt, pt, n);
	s->npt = n;
	return 0;
}

void rtp_sess_set_srtp(struct rtp_sess *s, struct rtp_srtp *in,
		       struct rtp_srtp *out)
{
	mem_ref(in);
	mem_ref(out);
	mem_deref(s->srtp_in);
	mem_deref(s->srtp_out);
	s->srtp_in = in;
	s->srtp_out = out;
}

const struct sa *rtp_sess_local(const struct rtp_sess *s)
{
	return &s->lease.local;
}

int rtp_sess_send(struct rtp_sess *s, uint8_t pt, bool marker, uint32_t ts,
		  const uint8_t *payload, size_t len)
{
	struct rtp_hdr h = { .pt = pt, .marker = marker };
	uint64_t now = rtp_sess_mono_ns();
	size_t n;
	int hl, err;

	if (!s->dst.len)
		return -ENOTCONN;
	if (pt > 127 || len > RTP_SESS_PKT_MAX - RTP_HDR_MIN)
		return -EMSGSIZE;
	if (s->rebase) {
		/* continue right after the last timestamp sent, advanced by
		 * the wall time since: the receiver sees one stream */
		uint64_t el = (now - s->last_tx_ns) / 1000 * s->clock_rate /
			      1000000;
		uint32_t next = s->last_ts + (el ? (uint32_t)el : 1u);

		s->ts_off = next - ts;
		s->rebase = false;
	}
	if (s->marker_next) {
		h.marker = true;
		s->marker_next = false;
	}
	h.seq = s->seq;
	h.ts = ts + s->ts_off;
	h.ssrc = s->ssrc;
	hl = rtp_hdr_encode(&h, s->buf, sizeof(s->buf));
	if (hl < 0)
		return hl;
	memcpy(s->buf + hl, payload, len);
	n = (size_t)hl + len;
	if (s->srtp_out) {
		err = rtp_srtp_protect(s->srtp_out, s->buf, &n,
				       sizeof(s->buf));
		if (err)
			goto err;
	}
	if (sendto(s->lease.rtp_fd, s->buf, n, 0, &s->dst.u.sa, s->dst.len) <
	    0) {
		err = -errno;
		goto err;
	}
	s->seq++;
	s->last_ts = h.ts;
	s->last_tx_ns = now;
	s->sent_any = true;
	s->sent_since_report = true;
	s->sr_pkts++;
	s->sr_octets += (uint32_t)len;
	s->st.pkts_out++;
	s->st.bytes_out += len;
	s->st.last_out_ms = now / 1000000;
	return 0;
err:
	/* the sequence number is not consumed: no gap for the receiver */
	s->st.send_err++;
	return err;
}

static bool pt_ok(const struct rtp_sess *s, uint8_t pt)
{
	if (!s->npt)
		return true;
	for (unsigned i = 0; i < s->npt; i++)
		if (s->pt[i] == pt)
			return true;
	return false;
}

static void event(struct rtp_sess *s, enum rtp_sess_event ev)
{
	if (s->eventh)
		s->eventh(ev, s->arg);
}

static void latch(struct rtp_sess *s, const struct sa *src, uint64_t now_ms)
{
	char a[SA_STRLEN], b[SA_STRLEN];
	bool again = s->latched;

	if (again) {
		s->st.relatches++;
		LOGN_ID(s->id, "RTP re-latched from %s to %s",
			sa_str(&s->dst, a, sizeof(a)),
			sa_str(src, b, sizeof(b)));
	} else if (!sa_eq(src, &s->remote)) {
		LOGI_ID(s->id, "RTP latched to %s (SDP said %s)",
			sa_str(src, a, sizeof(a)),
			s->remote.len ? sa_str(&s->remote, b, sizeof(b)) : "-");
	}
	s->dst = *src;
	s->latched = true;
	s->cand_n = 0;
	s->latched_rx_ms = now_ms;
	/* RTCP follows RTP until the peer's own RTCP shows where it is */
	if (!s->rtcp_latched || again) {
		default_rtcp_dst(s, src);
		s->rtcp_latched = false;
	}
	event(s, RTP_SESS_EV_LATCH);
}

/* Whether a valid packet from @src may pass; latches as a side effect. */
static bool source_ok(struct rtp_sess *s, const struct sa *src,
		      uint64_t now_ms)
{
	if (s->strict)
		return s->remote.len && sa_eq(src, &s->remote);
	if (!s->latched) {
		latch(s, src, now_ms);
		return true;
	}
	if (sa_eq(src, &s->dst)) {
		s->cand_n = 0;
		s->latched_rx_ms = now_ms;
		return true;
	}
	if (!s->cand_n || !sa_eq(src, &s->cand)) {
		s->cand = *src;
		s->cand_n = 0;
	}
	s->cand_n++;
	if (s->cand_n >= s->relatch_pkts &&
	    now_ms - s->latched_rx_ms >= s->relatch_silence_ms) {
		latch(s, src, now_ms);
		return true;
	}
	return false;
}

static void rtp_input(struct rtp_sess *s, uint8_t *p, size_t len,
		      const struct sa *src)
{
	uint64_t now = rtp_sess_mono_ns();
	struct rtp_hdr h;
	int err;

	if (rtp_hdr_decode(&h, p, len)) {
		s->st.malformed++;
		return;
	}
	if (!pt_ok(s, h.pt)) {
		s->st.bad_pt++;
		return;
	}
	if (s->strict && !(s->remote.len && sa_eq(src, &s->remote))) {
		s->st.foreign++;
		return;
	}
	if (s->srtp_in) {
		err = rtp_srtp_unprotect(s->srtp_in, p, &len);
		if (err || rtp_hdr_decode(&h, p, len)) {
			s->st.srtp_fail++;
			return;
		}
	}
	if (!source_ok(s, src, now / 1000000)) {
		s->st.foreign++;
		return;
	}
	if (!s->rx_have || h.ssrc != s->rx.ssrc) {
		bool change = s->rx_have;

		rtp_stats_init(&s->rx, h.ssrc, s->clock_rate);
		s->rx_have = true;
		s->st.bye = false;
		if (change) {
			s->st.ssrc_changes++;
			LOGI_ID(s->id, "RTP peer SSRC now %08x", h.ssrc);
			event(s, RTP_SESS_EV_SSRC);
		}
	}
	rtp_stats_update(&s->rx, h.seq, h.ts, (uint32_t)h.pay_len, now);
	s->confirmed = true;
	s->st.pkts_in++;
	s->st.bytes_in += h.pay_len;
	s->st.last_in_ms = now / 1000000;
	s->recvh(&h, p + h.hdr_len, h.pay_len, s->arg);
}

/* Read a batch from @fd; @rtcp_only for the separate RTCP socket. */
static void sock_read(struct rtp_sess *s, int fd, bool rtcp_only)
{
	/* a handler may drop the last outside reference to the session */
	mem_ref(s);
	for (unsigned i = 0; i < RX_BATCH && mem_nrefs(s) > 1; i++) {
		struct sa src = { .len = sizeof(src.u.ss) };
		ssize_t n;

		n = recvfrom(fd, s->buf, sizeof(s->buf), 0, &src.u.sa,
			     &src.len);
		if (n < 0)
			break;
		if (rtcp_only || rtp_is_rtcp(s->buf, (size_t)n))
			rtp_sess_rtcp_input(s, s->buf, (size_t)n, &src);
		else
			rtp_input(s, s->buf, (size_t)n, &src);
	}
	mem_deref(s);
}

void rtp_sess_input(struct rtp_sess *s, int fd, const uint8_t *pkt,
		    size_t len, const struct sa *src)
{
	if (len > sizeof(s->buf) - RTP_SRTP_TRAILER_MAX) {
		s->st.malformed++;
		return;
	}
	/* the handlers below may drop the last outside reference */
	mem_ref(s);
	memcpy(s->buf, pkt, len);
	if (fd == s->lease.rtcp_fd || rtp_is_rtcp(s->buf, len))
		rtp_sess_rtcp_input(s, s->buf, len, src);
	else
		rtp_input(s, s->buf, len, src);
	mem_deref(s);
}

static void rtp_fd_h(int fd, uint32_t events, void *arg)
{
	(void)events;
	sock_read(arg, fd, false);
}

static void rtcp_fd_h(int fd, uint32_t events, void *arg)
{
	(void)events;
	sock_read(arg, fd, true);
}

static int watch(struct rtp_sess *s)
{
	int err;

	err = loop_fd_add(s->loop, s->lease.rtp_fd, EPOLLIN, rtp_fd_h, s);
	if (err || s->lease.rtcp_fd < 0)
		return err;
	err = loop_fd_add(s->loop, s->lease.rtcp_fd, EPOLLIN, rtcp_fd_h, s);
	if (err)
		loop_fd_del(s->loop, s->lease.rtp_fd);
	return err;
}

int rtp_sess_handover(struct rtp_sess *s, bool away)
{
	int err;

	if (away == s->away)
		return 0;
	if (away) {
		loop_fd_del(s->loop, s->lease.rtp_fd);
		if (s->lease.rtcp_fd >= 0)
			loop_fd_del(s->loop, s->lease.rtcp_fd);
		tmr_cancel(&s->rtcp_tmr);
		s->away = true;
		return 0;
	}
	err = watch(s);
	if (err)
		return err;
	s->away = false;
	rtp_sess_rtcp_start(s);
	return 0;
}

void rtp_sess_media(const struct rtp_sess *s, struct rtp_sess_media *m)
{
	memset(m, 0, sizeof(*m));
	m->rtp_fd = s->lease.rtp_fd;
	m->rtcp_fd = s->lease.rtcp_fd;
	m->mux = s->mux;
	m->srtp = s->srtp_in || s->srtp_out;
	m->srtp_in = s->srtp_in;
	m->srtp_out = s->srtp_out;
	m->confirmed = s->confirmed;
	m->rtp_peer = s->dst;
	m->rtcp_peer = s->dst_rtcp;
}

static void sess_destroy(void *arg)
{
	struct rtp_sess *s = arg;

	tmr_cancel(&s->rtcp_tmr);
	if (s->lease.rtp_fd >= 0 && !s->away)
		loop_fd_del(s->loop, s->lease.rtp_fd);
	if (s->lease.rtcp_fd >= 0 && !s->away)
		loop_fd_del(s->loop, s->lease.rtcp_fd);
	media_ports_release(s->ports, &s->lease);
	mem_deref(s->srtp_in);
	mem_deref(s->srtp_out);
	mem_deref(s->cname);
	mem_deref(s->id);
}

static int set_cname(struct rtp_sess *s, const char *cname)
{
	char ip[SA_STRLEN], buf[SA_STRLEN + 16];
	char *colon;

	if (!cname) {
		/* "user@host" (RFC 3550 6.5.1) with the bare address */
		sa_str(&s->lease.local, ip, sizeof(ip));
		colon = strrchr(ip, ':');
		if (colon)
			*colon = '\0';
		snprintf(buf, sizeof(buf), "trunkline@%s", ip);
		cname = buf;
	}
	if (!*cname || strlen(cname) > 255)
		return -EINVAL;
	s->cname = mem_strdup(cname);
	return s->cname ? 0 : -ENOMEM;
}

int rtp_sess_new(struct rtp_sess **sp, struct loop *l,
		 const struct rtp_sess_params *p)
{
	struct rtp_sess *s;
	int err;

	if (!p->ports || !p->recvh || p->clock_rate > 192000)
		return -EINVAL;
	s = mem_zalloc(sizeof(*s), sess_destroy);
	if (!s)
		return -ENOMEM;
	media_ports_lease_init(&s->lease);
	tmr_init(&s->rtcp_tmr);
	s->loop = l;
	s->ports = p->ports;
	s->strict = p->strict;
	s->mux = p->rtcp_mux;
	s->relatch_pkts = p->relatch_pkts ? p->relatch_pkts : RELATCH_PKTS_DEF;
	s->relatch_silence_ms = p->relatch_silence_ms ? p->relatch_silence_ms
						      : RELATCH_SILENCE_DEF;
	s->rtcp_min_ms = p->rtcp_min_ms ? p->rtcp_min_ms : 5000;
	s->session_bw = p->session_bw ? p->session_bw : 64000;
	s->clock_rate = p->clock_rate ? p->clock_rate : 8000;
	s->recvh = p->recvh;
	s->eventh = p->eventh;
	s->arg = p->arg;
	err = rtp_sess_set_pts(s, p->pt, p->npt);
	if (err)
		goto err;
	rtp_sess_set_srtp(s, p->srtp_in, p->srtp_out);
	if (p->id) {
		s->id = mem_strdup(p->id);
		if (!s->id) {
			err = -ENOMEM;
			goto err;
		}
	}
	set_sdp_remote(s, &p->remote, &p->remote_rtcp);
	err = media_ports_alloc(p->ports, &p->local, p->rtcp_mux, &s->lease);
	if (err)
		goto err;
	err = set_cname(s, p->cname);
	if (err)
		goto err;
	err = watch(s);
	if (err)
		goto err;
	rtp_sess_restart(s);
	rtp_sess_rtcp_start(s);
	*sp = s;
	return 0;
err:
	/* the destructor unwatches the fds (a no-op for unwatched ones) */
	mem_deref(s);
	return err;
}

void rtp_sess_stats(const struct rtp_sess *s, struct rtp_sess_stats *st)
{
	*st = s->st;
	st->ssrc_out = s->ssrc;
	if (s->rx_have) {
		st->ssrc_in = s->rx.ssrc;
		st->lost = rtp_stats_lost(&s->rx);
		st->jitter = rtp_stats_jitter(&s->rx);
	}
	st->latched = s->latched;
	st->latched_addr = s->dst;
	st->rtcp_addr = s->dst_rtcp;
	st->local = s->lease.local;
}
