/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace relay: forwards RTP and RTCP between call legs without
 * decoding, driven by flow entries in the kernel's format
 * (kmod/uapi/trunkline_flow.h). It is the reference twin of the XDP and
 * kernel module engines and follows the same rule: a packet it does not
 * fully understand goes to the slow-path handler unchanged.
 *
 * Sockets are borrowed: their owner (an RTP session) binds them, hands
 * them to the relay with media_relay_sock_add() and removes them before
 * closing. A flow is keyed by the local endpoint of one socket and sends
 * from the socket bound to its action's new_src. One thread: the loop's.
 */
#ifndef TL_MEDIA_RELAY_H
#define TL_MEDIA_RELAY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "flow.h"

struct loop;
struct media_relay;
struct rtp_srtp;

/*
 * A packet the relay did not forward: received on @fd from @src, @len
 * octets at @pkt (the relay's buffer: valid during the call only, may be
 * modified), matched to @flow (NULL when the socket has none), for reason
 * @why. Counted in the flow's punt counters before the call.
 */
typedef void(media_relay_slow_h)(int fd, const struct sockaddr_storage *src,
				 uint8_t *pkt, size_t len,
				 const struct tl_flow *flow,
				 enum tl_flow_reason why, void *arg);

/*
 * New relay on loop @l (borrowed) sending the packets it does not handle
 * to @slow with @arg. 0 and *@rp (a mem object), or -ENOMEM. It uses the
 * epoll I/O path; media_relay_new_io() chooses.
 */
int media_relay_new(struct media_relay **rp, struct loop *l,
		    media_relay_slow_h *slow, void *arg);

/*
 * How the relay moves packets ([media] relay_io). Both paths make the
 * same decisions and keep the same counters.
 *  EPOLL: each served socket on the loop's epoll, recvmmsg batches per
 *         ready socket, sendmmsg per egress socket.
 *  URING: one io_uring (Linux >= 6.1) whose fd is on the loop: a
 *         multishot receive per socket into a ring of provided buffers,
 *         sends queued as SQEs, every socket's packets handled with one
 *         or two io_uring_enter() per loop wake-up.
 *  AUTO:  URING if the ring can be set up, else EPOLL (logged).
 */
enum media_relay_io {
	MEDIA_RELAY_IO_AUTO,
	MEDIA_RELAY_IO_URING,
	MEDIA_RELAY_IO_EPOLL,
};

/*
 * media_relay_new() with the I/O path @io. With MEDIA_RELAY_IO_URING, a
 * ring that cannot be set up fails the call with its -errno (-ENOSYS,
 * -EPERM when io_uring is disabled, -ENOMEM ...).
 */
int media_relay_new_io(struct media_relay **rp, struct loop *l,
		       enum media_relay_io io, media_relay_slow_h *slow,
		       void *arg);

/* The I/O path in use: "uring" or "epoll". */
const char *media_relay_io_name(const struct media_relay *r);

/*
 * Coalesce wake-ups ([media] relay_coalesce_us), as a NIC moderates its
 * interrupts: a packet wakes the relay at once; when such wake-ups come
 * less than @us apart, the relay runs every @us microseconds instead of
 * once per arrival, and handles all that came in between in one pass.
 * A packet then waits at most @us longer; with many streams this turns
 * one wake-up per packet into one per tick. Two empty ticks in a row go
 * back to waking per arrival; wake-ups further apart than @us never
 * start the ticks.
 * 0 turns it off. io_uring path only: -ENOTSUP on the epoll path (whose
 * sockets each wake the loop), -EINVAL above 10000; the first non-zero
 * @us makes a timerfd (-errno if that fails).
 */
int media_relay_set_coalesce(struct media_relay *r, unsigned us);

/* The coalescing period in use, microseconds (0: off). */
unsigned media_relay_coalesce(const struct media_relay *r);

/* What the I/O path did, since the relay was made. */
struct media_relay_stats {
	uint64_t wakeups;  /* loop wake-ups handled (handler calls, ticks) */
	uint64_t syscalls; /* recvmmsg + sendmmsg, or io_uring_enter */
	uint64_t nobufs;   /* uring: receives re-armed after -ENOBUFS */
	uint64_t sq_full;  /* uring: SQ full, submitted early */
	uint64_t polls;	   /* uring: times the coalescing ticks started */
};

void media_relay_stats(const struct media_relay *r,
		       struct media_relay_stats *st);

/*
 * Serve the bound UDP socket @fd (borrowed): watch it on the loop and
 * read it in batches. -EEXIST if already served, -EINVAL if it is not a
 * bound IPv4/IPv6 socket, -ENOMEM.
 */
int media_relay_sock_add(struct media_relay *r, int fd);

/* Stop serving @fd; flows keyed on it or sending from it are removed. */
void media_relay_sock_del(struct media_relay *r, int fd);

/*
 * Add the flow @f, or replace the one with the same key.local (counters
 * and SRTP contexts are kept on replace). Both key.local and
 * action.new_src must be served sockets. -EINVAL (media_flow_check
 * failed), -ENOENT (socket not served).
 */
int media_relay_flow_set(struct media_relay *r, const struct tl_flow *f);

/* Remove the flow keyed on @local; -ENOENT if there is none. */
int media_relay_flow_del(struct media_relay *r,
			 const struct tl_flow_ep *local);

/*
 * Attach SRTP contexts to the flow keyed on @local: @in unprotects what
 * arrives (flag TL_FLOW_F_SRTP_IN), @out protects what leaves
 * (TL_FLOW_F_SRTP_OUT). The relay takes a reference to each (NULL
 * detaches). -ENOENT if there is no such flow.
 */
int media_relay_flow_srtp(struct media_relay *r,
			  const struct tl_flow_ep *local,
			  struct rtp_srtp *in, struct rtp_srtp *out);

/*
 * Forward now what is queued on the served socket bound to @local. A fast
 * path that takes over a flow calls this right after: what arrived before
 * must leave before the fast path's packets can overtake it. The packets
 * read, or -ENOENT (not served).
 */
int media_relay_flush(struct media_relay *r, const struct tl_flow_ep *local);

/* Copy the counters of the flow keyed on @local into @c; -ENOENT. */
int media_relay_flow_counters(struct media_relay *r,
			      const struct tl_flow_ep *local,
			      struct tl_flow_counters *c);

/*
 * Read and handle what is queued on served socket @fd, at most @max
 * packets (0 = until the socket is empty). Returns the packets read or a
 * negative errno. The loop handler calls this; tests and benchmarks may
 * call it directly. On the io_uring path the kernel receives for every
 * socket at once: this handles everything ready on the ring (all
 * sockets, @max unused), sends what it forwards and reaps the sends, and
 * returns the packets that were read on @fd.
 */
int media_relay_input(struct media_relay *r, int fd, unsigned max);

#endif
