/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP port pool: UDP ports for RTP/RTCP from a configured range.
 *
 * RTP takes an even port and RTCP the odd one above it (RFC 3550 11),
 * unless rtcp-mux (RFC 5761) puts both on the even port. The pool
 * remembers which even ports it has handed out; a port another process
 * holds shows up as a bind failure and is simply skipped. Allocation
 * starts after the last port handed out, so a port just released is the
 * last one reused: late packets of an old call do not land in a new one.
 *
 * One pool serves IPv4 and IPv6 local addresses alike: a port is taken
 * for both families while one lease holds it, which keeps the counts
 * simple and costs nothing with ranges of thousands of ports.
 */
#ifndef TL_MEDIA_PORTPOOL_H
#define TL_MEDIA_PORTPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/sa.h"

struct media_ports;

/* One allocation: bound, non-blocking UDP sockets owned by the lease. */
struct media_ports_lease {
	int rtp_fd;	 /* -1 when not allocated */
	int rtcp_fd;	 /* -1 with rtcp-mux */
	uint16_t port;	 /* the RTP port; RTCP is port + 1 without mux */
	struct sa local; /* the RTP socket's address */
};

/*
 * New pool for the ports @min..@max (RTP on the even ones, each with
 * its odd neighbour inside the range for RTCP). 0 and *@pp (a mem
 * object), -EINVAL if the range holds no even/odd pair, -ENOMEM.
 */
int media_ports_new(struct media_ports **pp, uint16_t min, uint16_t max);

/* Make @l an empty lease (fds -1), safe to release. */
void media_ports_lease_init(struct media_ports_lease *l);

/*
 * Bind RTP (and RTCP unless @rtcp_mux) sockets on the local address
 * @local (IPv4 or IPv6; its port is ignored) at the next free port pair.
 * Pairs that fail to bind (EADDRINUSE, EACCES) are skipped. 0 and @l
 * filled, -EADDRNOTAVAIL when no pair could be bound, -EAFNOSUPPORT,
 * or another negative errno from socket().
 */
int media_ports_alloc(struct media_ports *p, const struct sa *local,
		      bool rtcp_mux, struct media_ports_lease *l);

/* Close the lease's sockets and give its port back (NULL-safe, and a
 * no-op for an empty lease). */
void media_ports_release(struct media_ports *p, struct media_ports_lease *l);

/* Port pairs in the range. */
size_t media_ports_capacity(const struct media_ports *p);

/* Pairs held by leases now. */
size_t media_ports_in_use(const struct media_ports *p);

/* Pairs skipped because something else held them, since the start. */
uint64_t media_ports_busy_skips(const struct media_ports *p);

#endif
