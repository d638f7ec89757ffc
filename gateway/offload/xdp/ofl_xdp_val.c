// SPDX-License-Identifier: GPL-2.0
/*
 * The per-flow state the XDP program would otherwise compute per packet
 * (ebpf/tl_xdp.h): RFC 1624 checksum deltas of the rewrite, made here
 * once at install time.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "ofl_xdp.h"

/*
 * Add the 16-bit words of @p (@n octets, even) to @acc, complemented when
 * they are old values (@old). Words are loaded from memory as the program
 * loads them, so both sums agree whatever the host's byte order.
 */
static uint32_t acc_words(uint32_t acc, const void *p, size_t n, bool old)
{
	const uint8_t *b = p;
	uint16_t w;

	for (size_t i = 0; i + 1 < n; i += 2) {
		memcpy(&w, b + i, 2);
		acc += old ? (uint16_t)~w : w;
	}
	return acc;
}

static uint16_t fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

int ofl_xdp_flow_value(struct tl_xdp_flow *v, const struct tl_flow *f,
		       uint32_t slot)
{
	const struct tl_flow_action *a = &f->action;
	bool src = f->key.src.family != TL_FLOW_FAM_NONE;
	uint8_t fam = f->key.local.family;
	size_t alen = fam == TL_FLOW_FAM_IPV6 ? 16 : 4;
	uint32_t addr = 0;

	if (slot >= TL_XDP_FLOWS_MAX)
		return -EINVAL;
	if (a->flags & (TL_FLOW_F_SRTP_IN | TL_FLOW_F_SRTP_OUT))
		return -EOPNOTSUPP;
	/* the program rewrites in place: one family end to end */
	if ((fam != TL_FLOW_FAM_IPV4 && fam != TL_FLOW_FAM_IPV6) ||
	    a->new_src.family != fam || a->new_dst.family != fam ||
	    (src && f->key.src.family != fam))
		return -EOPNOTSUPP;
	memset(v, 0, sizeof(*v));
	v->f = *f;
	v->slot = slot;
	/* old destination: the key the packet was found by */
	addr = acc_words(addr, f->key.local.addr, alen, true);
	if (src) {
		addr = acc_words(addr, f->key.src.addr, alen, true);
		v->xflags |= TL_XDP_F_SRC_SUMMED;
	}
	addr = acc_words(addr, a->new_src.addr, alen, false);
	addr = acc_words(addr, a->new_dst.addr, alen, false);
	if (fam == TL_FLOW_FAM_IPV4)
		v->csum_ip = fold(addr);
	addr = acc_words(addr, &f->key.local.port, 2, true);
	if (src)
		addr = acc_words(addr, &f->key.src.port, 2, true);
	addr = acc_words(addr, &a->new_src.port, 2, false);
	addr = acc_words(addr, &a->new_dst.port, 2, false);
	v->csum_udp = fold(addr);
	return 0;
}

void ofl_xdp_counters_sum(struct tl_flow_counters *c,
			  const struct tl_xdp_counters *pcpu, int ncpu)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < ncpu; i++) {
		const struct tl_xdp_counters *p = &pcpu[i];

		c->packets += p->packets;
		c->bytes += p->bytes;
		if (p->last_ns > c->last_ns)
			c->last_ns = p->last_ns;
		for (int r = 0; r < TL_FLOW_R_MAX; r++)
			c->punt[r] += p->punt[r];
	}
}
