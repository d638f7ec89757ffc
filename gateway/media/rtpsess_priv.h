/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the RTP session: shared by rtpsess.c and rtpsess_rtcp.c only. */
#ifndef TL_MEDIA_RTPSESS_PRIV_H
#define TL_MEDIA_RTPSESS_PRIV_H

#include "../base/loop.h"
#include "portpool.h"
#include "rtp_srtp.h"
#include "rtp_stats.h"
#include "rtpsess.h"

struct rtp_sess {
	struct loop *loop;	   /* borrowed */
	struct media_ports *ports; /* borrowed */
	struct media_ports_lease lease;
	struct sa remote, remote_rtcp; /* from SDP */
	struct sa dst, dst_rtcp;       /* where we send now */
	bool latched, rtcp_latched;
	bool confirmed;		       /* see struct rtp_sess_media */
	bool away;		       /* sockets handed over */
	struct sa cand;		       /* re-latch candidate */
	unsigned cand_n;
	uint64_t latched_rx_ms;	       /* last packet from the latch */
	bool strict, mux;
	unsigned relatch_pkts, relatch_silence_ms, rtcp_min_ms, session_bw;
	uint32_t clock_rate;
	uint8_t pt[RTP_SESS_MAX_PT];
	unsigned npt;
	struct rtp_srtp *srtp_in, *srtp_out; /* owned references */
	char *cname, *id;		     /* owned */
	rtp_sess_recv_h *recvh;
	rtp_sess_event_h *eventh;
	void *arg;			     /* borrowed */

	/* sending */
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts_off;
	uint32_t last_ts;		/* last wire timestamp sent */
	uint64_t last_tx_ns;
	bool sent_any, rebase, marker_next;
	bool sent_since_report;
	uint32_t sr_pkts, sr_octets;	/* RFC 3550 sender counts */

	/* receiving */
	struct rtp_stats rx;
	bool rx_have;

	/* RTCP */
	struct tmr rtcp_tmr;
	bool rtcp_initial;
	double avg_rtcp_size;

	struct rtp_sess_stats st;
	uint8_t buf[RTP_SESS_PKT_MAX + RTP_SRTP_TRAILER_MAX];
};

uint64_t rtp_sess_mono_ns(void);

/* rtpsess_rtcp.c */
void rtp_sess_rtcp_start(struct rtp_sess *s);
void rtp_sess_rtcp_input(struct rtp_sess *s, uint8_t *p, size_t len,
			 const struct sa *src);
int rtp_sess_rtcp_send(struct rtp_sess *s, const char *bye_reason, bool bye);

#endif
