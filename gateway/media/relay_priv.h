/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the userspace relay: the objects both I/O paths share (relay.c
 * with epoll + recvmmsg/sendmmsg, relay_uring.c with io_uring) and the
 * per-packet decision they both call, so that the two paths forward,
 * punt, drop and count exactly alike.
 */
#ifndef TL_MEDIA_RELAY_PRIV_H
#define TL_MEDIA_RELAY_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../base/list.h"
#include "relay.h"
#include "rtp_srtp.h"

#define RELAY_BATCH 32
/* buckets of the socket tables by local endpoint and by fd (a power of
 * two): a daemon with thousands of calls looks sockets up per call
 * operation and per counters read */
#define RELAY_HASH 1024
#define RELAY_PKT_MAX 2048
/* room after a packet's first octet: a packet plus an SRTP tag */
#define RELAY_ROOM (RELAY_PKT_MAX + RTP_SRTP_TRAILER_MAX)

struct relay_uring;

struct rflow {
	struct tl_flow f;
	struct tl_flow_counters c;
	struct rsock *out;	   /* borrowed: egress socket */
	struct rtp_srtp *srtp_in;  /* owned reference or NULL */
	struct rtp_srtp *srtp_out; /* owned reference or NULL */
	struct sockaddr_storage dst;
	socklen_t dst_len;
};

struct rsock {
	struct le le;	       /* in media_relay.socks */
	struct le ep_le;       /* in media_relay.by_ep */
	struct le fd_le;       /* in media_relay.by_fd */
	struct media_relay *r; /* borrowed */
	int fd;		       /* borrowed; -1 once removed */
	struct tl_flow_ep local;
	struct rflow *flow; /* owned: the flow keyed here, or NULL */
	unsigned nout;	    /* flows that send from this socket */
	uint32_t slot;	    /* io_uring path: index in its socket table */
};

struct media_relay {
	struct loop *loop; /* borrowed */
	media_relay_slow_h *slow;
	void *arg;
	struct list socks;
	struct list by_ep[RELAY_HASH];
	struct list by_fd[RELAY_HASH];
	struct relay_uring *u; /* owned: the io_uring path, NULL = epoll */
	struct media_relay_stats st;
	/* epoll path: receive buffers double as send buffers */
	struct mmsghdr in[RELAY_BATCH];
	struct iovec iov[RELAY_BATCH];
	struct sockaddr_storage src[RELAY_BATCH];
	struct mmsghdr out[RELAY_BATCH];
	struct iovec oiov[RELAY_BATCH];
	struct rflow *oflow[RELAY_BATCH]; /* borrowed, for the counters */
	struct rsock *osock;		  /* borrowed: egress of out[] */
	unsigned on;
	uint8_t buf[RELAY_BATCH][RELAY_ROOM];
};

enum relay_verdict {
	RELAY_FORWARD, /* send from s->flow->out to s->flow->dst */
	RELAY_PUNT,    /* hand to relay_punt() (after sending what is queued) */
	RELAY_DROP,    /* discarded and already counted */
};

/*
 * Decide the packet @p (@len octets, RELAY_ROOM octets of room) that
 * socket @s received from @src at @now (CLOCK_MONOTONIC ns), @trunc if
 * the kernel truncated it; rewrite it in place (*@len may change). For
 * RELAY_PUNT, *@why says why.
 */
enum relay_verdict relay_decide(struct rsock *s,
				const struct sockaddr_storage *src, uint8_t *p,
				size_t *len, bool trunc, uint64_t now,
				enum tl_flow_reason *why);

/* Count a punt on @s's flow (if any) and call the slow-path handler. */
void relay_punt(struct media_relay *r, struct rsock *s,
		const struct sockaddr_storage *src, uint8_t *p, size_t len,
		enum tl_flow_reason why);

/* CLOCK_MONOTONIC in ns, read once per batch. */
uint64_t relay_now_ns(void);

/* io_uring path (relay_uring.c). new: 0 or -errno (ring setup failed). */
int relay_uring_new(struct media_relay *r);
void relay_uring_free(struct media_relay *r);
int relay_uring_sock_add(struct media_relay *r, struct rsock *s);
void relay_uring_sock_del(struct media_relay *r, struct rsock *s);
/* Handle what is ready; the packets read on @s (NULL: all) or -errno. */
int relay_uring_input(struct media_relay *r, struct rsock *s);
int relay_uring_set_coalesce(struct media_relay *r, unsigned us);
unsigned relay_uring_coalesce(const struct media_relay *r);

#endif
