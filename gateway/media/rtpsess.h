/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP session (RFC 3550): one media line's RTP and RTCP endpoint on the
 * event loop.
 *
 * Sockets come from the port pool (RTP and RTCP, or one with rtcp-mux).
 * Sending: our SSRC, sequence number and timestamp offset are random at
 * creation and survive re-INVITEs (rtp_sess_set_remote) and changes of
 * what feeds the session (rtp_sess_rebase); only rtp_sess_restart() starts
 * a new stream (new SSRC, new random sequence and offset).
 *
 * Receiving: packets that are not RTP version 2, carry an unexpected
 * payload type or fail SRTP are dropped and counted. Symmetric RTP: the
 * session sends to where the peer's media comes from. Unless strict, it
 * latches to the first valid source; it moves to a new source after
 * relatch_pkts consecutive valid packets from it while the latched one
 * has been silent for relatch_silence_ms (a NAT rebinding, a media server
 * taking over). In strict mode only the SDP address and port is accepted
 * and nothing latches.
 *
 * RTCP: an SR (when we sent since the last report) or RR with one report
 * block about the peer, and an SDES CNAME, every RFC 3550 6.3 interval
 * (at least rtcp_min_ms, randomised 0.5-1.5, divided by e - 3/2); SR and
 * RR received give the RTT and the peer's view of our loss and jitter; a
 * BYE is reported. With SRTP contexts, RTP and RTCP go through SRTP and
 * SRTCP. One thread: the loop's.
 */
#ifndef TL_MEDIA_RTPSESS_H
#define TL_MEDIA_RTPSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/sa.h"
#include "rtp.h"

struct loop;
struct media_ports;
struct rtp_srtp;
struct rtp_sess;

/* Payload types a session may accept (audio, CN, telephone-event ...) */
#define RTP_SESS_MAX_PT 8
/* Largest packet handled, SRTP trailer included */
#define RTP_SESS_PKT_MAX 1500

/* A valid RTP packet from the latched (or allowed) source. @payload
 * borrows the session's buffer for the call only. */
typedef void(rtp_sess_recv_h)(const struct rtp_hdr *h, const uint8_t *payload,
			      size_t len, void *arg);

enum rtp_sess_event {
	RTP_SESS_EV_LATCH,   /* latched or re-latched to a new source */
	RTP_SESS_EV_RTCP,    /* an SR or RR from the peer was taken in */
	RTP_SESS_EV_BYE,     /* the peer's SSRC sent an RTCP BYE */
	RTP_SESS_EV_SSRC,    /* the peer's SSRC changed */
};

typedef void(rtp_sess_event_h)(enum rtp_sess_event ev, void *arg);

struct rtp_sess_params {
	struct media_ports *ports; /* borrowed; must outlive the session */
	struct sa local;	   /* local IP; the port comes from the pool */
	struct sa remote;	   /* the SDP's RTP address; len 0 = unknown */
	struct sa remote_rtcp;	   /* len 0: remote's port + 1 (or with mux
				    * the RTP port) */
	bool rtcp_mux;
	bool strict;		   /* only the SDP address: no latching */
	unsigned relatch_pkts;	   /* 0: 5 */
	unsigned relatch_silence_ms; /* 0: 500 */
	unsigned rtcp_min_ms;	   /* 0: 5000 (RFC 3550's minimum) */
	unsigned session_bw;	   /* bit/s for the RTCP share; 0: 64000 */
	uint32_t clock_rate;	   /* 0: 8000 */
	uint8_t pt[RTP_SESS_MAX_PT]; /* payload types accepted */
	unsigned npt;		   /* 0: accept any RTP payload type */
	struct rtp_srtp *srtp_in;  /* referenced if set: unprotect */
	struct rtp_srtp *srtp_out; /* referenced if set: protect */
	const char *cname;	   /* copied; NULL: "trunkline@<local ip>" */
	const char *id;		   /* copied; Call-ID for log lines, or NULL */
	rtp_sess_recv_h *recvh;
	rtp_sess_event_h *eventh;  /* may be NULL */
	void *arg;		   /* borrowed, for both handlers */
};

/* What the call layer and the CLI show about a session. */
struct rtp_sess_stats {
	uint32_t ssrc_out;
	uint32_t ssrc_in;	/* the peer's current SSRC, 0 = none yet */
	uint64_t pkts_out, bytes_out; /* RTP sent: packets, payload octets */
	uint64_t pkts_in, bytes_in;   /* RTP accepted */
	uint64_t last_out_ms, last_in_ms; /* loop_now_ms(), 0 = never */
	uint64_t malformed;	/* not RTP v2, or too short */
	uint64_t bad_pt;	/* payload type not expected */
	uint64_t srtp_fail;	/* authentication/replay failures */
	uint64_t foreign;	/* from a source not latched/allowed */
	uint64_t send_err;	/* sendto() failures */
	uint64_t rtcp_in, rtcp_out, rtcp_bad;
	uint32_t relatches;	/* latches after the first */
	uint32_t ssrc_changes;
	int32_t lost;		/* cumulative, from the peer's stream */
	uint8_t fraction;	/* last interval's loss, /256 */
	uint32_t jitter;	/* interarrival jitter, ts units */
	uint32_t rtt_us;	/* from the last report, 0 = unknown */
	bool have_peer_report;	/* the peer reported on our stream */
	uint8_t peer_fraction;	/* the peer's view of our stream */
	int32_t peer_lost;
	uint32_t peer_jitter;
	bool bye;		/* the peer's SSRC said BYE */
	bool latched;
	struct sa latched_addr;	/* where RTP goes now (latched or SDP) */
	struct sa rtcp_addr;	/* where RTCP goes now */
	struct sa local;	/* our RTP address */
};

/*
 * New session on loop @l (borrowed) with @p. Takes a port pair from
 * p->ports and watches the sockets. 0 and *@sp (a mem object), or
 * -EINVAL (no pool, no recvh, bad clock), -EADDRNOTAVAIL (pool
 * exhausted), -ENOMEM, or a socket errno. The first RTCP report is due
 * after half the minimum interval (RFC 3550 6.2).
 */
int rtp_sess_new(struct rtp_sess **sp, struct loop *l,
		 const struct rtp_sess_params *p);

/*
 * Send one RTP packet: payload type @pt, marker @marker, timestamp @ts
 * in the caller's units (the session adds its offset), @len octets of
 * @payload. The sequence number is the session's next. Returns 0,
 * -ENOTCONN when there is nowhere to send yet, -EMSGSIZE, or the SRTP or
 * sendto() error (counted in send_err).
 */
int rtp_sess_send(struct rtp_sess *s, uint8_t pt, bool marker, uint32_t ts,
		  const uint8_t *payload, size_t len);

/*
 * The caller's timestamps restart (a new source feeds the session): the
 * next packet's timestamp goes on the wire right after the last one sent,
 * advanced by the wall time since in clock units, with a marker bit; the
 * timestamps after it keep their distance to it. SSRC and sequence go on.
 */
void rtp_sess_rebase(struct rtp_sess *s);

/* Start a new stream: new random SSRC, sequence number and timestamp
 * offset (RFC 3550 8.2 does so on an SSRC collision too). */
void rtp_sess_restart(struct rtp_sess *s);

/*
 * A re-INVITE moved the peer: @remote (and @remote_rtcp, len 0 for the
 * default) become the SDP address; the latch is dropped so the session
 * latches afresh. Our SSRC, sequence and timestamps go on.
 */
void rtp_sess_set_remote(struct rtp_sess *s, const struct sa *remote,
			 const struct sa *remote_rtcp);

/* Replace the accepted payload types (@n <= RTP_SESS_MAX_PT; 0 = any).
 * -EINVAL if too many. */
int rtp_sess_set_pts(struct rtp_sess *s, const uint8_t *pt, unsigned n);

/* Replace the SRTP contexts (new references; NULL = plain RTP). */
void rtp_sess_set_srtp(struct rtp_sess *s, struct rtp_srtp *in,
		       struct rtp_srtp *out);

/* Send an RTCP report now with a BYE for our SSRC (@reason may be NULL),
 * and stop the RTCP timer. 0 or a negative errno. */
int rtp_sess_bye(struct rtp_sess *s, const char *reason);

/* Our RTP address (IP and port). Borrowed. */
const struct sa *rtp_sess_local(const struct rtp_sess *s);

/*
 * What a forwarding engine needs to carry the session's media instead of
 * it (gateway/call/call_relay.c): the bound sockets (borrowed; rtcp_fd
 * is -1 with rtcp-mux) and where the peer is now.
 */
struct rtp_sess_media {
	int rtp_fd, rtcp_fd;
	bool mux;
	bool srtp; /* SRTP either way */
	struct rtp_srtp *srtp_in, *srtp_out; /* borrowed, NULL: plain */
	/* a valid packet came from the peer since its address was last
	 * set: latched, or from the SDP address in strict mode */
	bool confirmed;
	struct sa rtp_peer;  /* where RTP goes: the latched source or SDP's */
	struct sa rtcp_peer; /* where RTCP goes */
};

void rtp_sess_media(const struct rtp_sess *s, struct rtp_sess_media *m);

/*
 * Hand the sockets to another reader (@away: stop watching them and stop
 * the RTCP reports, whose figures would go stale) or take them back
 * (reports restart after half the interval). What the other reader does
 * not forward it passes to rtp_sess_input(). 0, or loop_fd_add()'s error
 * on taking them back.
 */
int rtp_sess_handover(struct rtp_sess *s, bool away);

/* A packet another reader took from the session's socket @fd, from @src:
 * handled exactly as if the session had read it (validation, latching,
 * statistics, the receive handler, RTCP). */
void rtp_sess_input(struct rtp_sess *s, int fd, const uint8_t *pkt,
		    size_t len, const struct sa *src);

/* Copy the statistics into @st. */
void rtp_sess_stats(const struct rtp_sess *s, struct rtp_sess_stats *st);

#endif
