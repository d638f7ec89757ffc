/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers around the flow contract (kmod/uapi/trunkline_flow.h): build a
 * struct tl_flow from socket addresses and payload type lists, and check
 * one before an engine takes it. Shared by the relay and gateway/offload.
 */
#ifndef TL_MEDIA_FLOW_H
#define TL_MEDIA_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "../../kmod/uapi/trunkline_flow.h"
#include "../base/sa.h"

/* Zero @f and set its version and size. */
void media_flow_init(struct tl_flow *f);

/* Endpoint from an address; -EAFNOSUPPORT for anything but IPv4/IPv6. */
int media_flow_ep_from_sa(struct tl_flow_ep *ep, const struct sa *sa);

/* Address from an endpoint; -EAFNOSUPPORT when the family is unset. */
int media_flow_ep_to_sa(struct sa *sa, const struct tl_flow_ep *ep);

/* A hash of endpoint @ep (all its octets, as the tables compare them)
 * for tables keyed by endpoint. */
uint32_t media_flow_ep_hash(const struct tl_flow_ep *ep);

/* Whether the packet source @ss (@len octets) is exactly endpoint @ep. */
bool media_flow_ep_match(const struct tl_flow_ep *ep,
			 const struct sockaddr_storage *ss);

/* Send RTP payload type @pt (0..127) to userspace (@on) or forward it. */
void media_flow_pt_user_set(struct tl_flow_action *a, uint8_t pt, bool on);

/* Mark every payload type for userspace except the @n in @fwd. */
void media_flow_pt_forward_only(struct tl_flow_action *a, const uint8_t *fwd,
				unsigned n);

/* Whether payload type @pt goes to userspace. */
static inline bool media_flow_pt_user(const struct tl_flow_action *a,
				      uint8_t pt)
{
	return a->pt_user[(pt >> 5) & 3] >> (pt & 31) & 1;
}

/*
 * Check that @f is something an engine may load: version and size, known
 * families and flags, zero padding, a destination. 0 or -EINVAL.
 */
int media_flow_check(const struct tl_flow *f);

#endif
