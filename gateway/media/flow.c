// SPDX-License-Identifier: GPL-2.0
/* Flow contract helpers: endpoints, payload type bitmaps, validation. */
#include <errno.h>
#include <string.h>

#include "../base/hash.h"
#include "flow.h"

void media_flow_init(struct tl_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->version = TL_FLOW_VERSION;
	f->size = sizeof(*f);
}

int media_flow_ep_from_sa(struct tl_flow_ep *ep, const struct sa *sa)
{
	memset(ep, 0, sizeof(*ep));
	switch (sa->u.sa.sa_family) {
	case AF_INET:
		memcpy(ep->addr, &sa->u.in.sin_addr, 4);
		ep->port = sa->u.in.sin_port;
		ep->family = TL_FLOW_FAM_IPV4;
		return 0;
	case AF_INET6:
		memcpy(ep->addr, &sa->u.in6.sin6_addr, 16);
		ep->port = sa->u.in6.sin6_port;
		ep->family = TL_FLOW_FAM_IPV6;
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
}

int media_flow_ep_to_sa(struct sa *sa, const struct tl_flow_ep *ep)
{
	memset(sa, 0, sizeof(*sa));
	switch (ep->family) {
	case TL_FLOW_FAM_IPV4:
		sa->u.in.sin_family = AF_INET;
		memcpy(&sa->u.in.sin_addr, ep->addr, 4);
		sa->u.in.sin_port = ep->port;
		sa->len = sizeof(sa->u.in);
		return 0;
	case TL_FLOW_FAM_IPV6:
		sa->u.in6.sin6_family = AF_INET6;
		memcpy(&sa->u.in6.sin6_addr, ep->addr, 16);
		sa->u.in6.sin6_port = ep->port;
		sa->len = sizeof(sa->u.in6);
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
}

uint32_t media_flow_ep_hash(const struct tl_flow_ep *ep)
{
	return hash_fnv1a(ep, sizeof(*ep));
}

bool media_flow_ep_match(const struct tl_flow_ep *ep,
			 const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return ep->family == TL_FLOW_FAM_IPV4 &&
		       ep->port == in->sin_port &&
		       !memcmp(ep->addr, &in->sin_addr, 4);
	if (ss->ss_family == AF_INET6)
		return ep->family == TL_FLOW_FAM_IPV6 &&
		       ep->port == in6->sin6_port &&
		       !memcmp(ep->addr, &in6->sin6_addr, 16);
	return false;
}

void media_flow_pt_user_set(struct tl_flow_action *a, uint8_t pt, bool on)
{
	uint32_t bit = 1u << (pt & 31);

	if (on)
		a->pt_user[(pt >> 5) & 3] |= bit;
	else
		a->pt_user[(pt >> 5) & 3] &= ~bit;
}

void media_flow_pt_forward_only(struct tl_flow_action *a, const uint8_t *fwd,
				unsigned n)
{
	memset(a->pt_user, 0xff, sizeof(a->pt_user));
	for (unsigned i = 0; i < n; i++)
		media_flow_pt_user_set(a, fwd[i], false);
}

static bool ep_ok(const struct tl_flow_ep *ep, bool optional)
{
	if (ep->pad)
		return false;
	if (ep->family == TL_FLOW_FAM_NONE)
		return optional;
	if (ep->family != TL_FLOW_FAM_IPV4 && ep->family != TL_FLOW_FAM_IPV6)
		return false;
	if (ep->family == TL_FLOW_FAM_IPV4) {
		static const uint8_t zero[12];

		if (memcmp(ep->addr + 4, zero, sizeof(zero)))
			return false;
	}
	return ep->port != 0;
}

int media_flow_check(const struct tl_flow *f)
{
	const struct tl_flow_action *a = &f->action;

	if (f->version != TL_FLOW_VERSION || f->size != sizeof(*f))
		return -EINVAL;
	if (!ep_ok(&f->key.local, false) || !ep_ok(&f->key.src, true) ||
	    !ep_ok(&a->new_src, false) || !ep_ok(&a->new_dst, false))
		return -EINVAL;
	if (a->new_src.family != a->new_dst.family)
		return -EINVAL;
	if (a->flags & ~TL_FLOW_F_ALL || a->rtcp > TL_FLOW_RTCP_USER ||
	    a->pad0 || a->pad1)
		return -EINVAL;
	if (!!(a->flags & TL_FLOW_F_SRTP_IN) != !!a->srtp_in ||
	    !!(a->flags & TL_FLOW_F_SRTP_OUT) != !!a->srtp_out)
		return -EINVAL;
	return 0;
}
