// SPDX-License-Identifier: GPL-2.0
/*
 * Registration: what a REGISTER response tells (granted expiry,
 * Retry-After, Min-Expires) and the refresh and back-off schedules. Pure
 * functions on parsed messages, kept apart from the state machine so the
 * tests reach them directly.
 */
#include <errno.h>

#include "reg.h"

/* Longest expiry we take from the wire: 2^31 - 1 (RFC 3261 20.19). */
#define EXP_MAX 2147483647u

static uint16_t uri_port(const struct sip_uri *u)
{
	if (u->port)
		return u->port;
	return u->scheme == SIP_SCHEME_SIPS ? 5061 : 5060;
}

/* Same binding: the registrar may add parameters or change case of the
 * host, so compare what identifies it (user, host, port). */
static bool same_contact(const struct sip_uri *a, const struct sip_uri *b)
{
	return a->scheme == b->scheme && strv_eq(a->user, b->user) &&
	       strv_caseeq(a->host, b->host) && uri_port(a) == uri_port(b);
}

uint32_t sip_reg_granted(const struct sip_msg *resp, struct strv contact_uri,
			 uint32_t requested)
{
	struct sip_uri mine;
	struct sip_addr a;
	uint64_t pos = 0, v;

	if (!sip_uri_decode(&mine, contact_uri)) {
		while (sip_msg_addr_next(resp, SIP_HDR_CONTACT, &pos, &a)) {
			struct strv ev;

			if (!same_contact(&a.uri, &mine))
				continue;
			if (sip_param_get(a.params, "expires", &ev) &&
			    !strv_u64(strv_trim(ev), EXP_MAX, &v))
				return (uint32_t)v;
			break;
		}
	}
	if (resp->has_expires)
		return resp->expires > EXP_MAX ? EXP_MAX : resp->expires;
	return requested;
}

/* The leading delta-seconds of a header value ("120 (busy);duration=60"). */
static int64_t lead_secs(struct strv v)
{
	size_t n = 0;
	uint64_t x;

	v = strv_trim(v);
	while (n < v.l && v.p[n] >= '0' && v.p[n] <= '9')
		n++;
	if (!n || strv_u64((struct strv){ v.p, n }, EXP_MAX, &x))
		return -ENOENT;
	return (int64_t)x;
}

int64_t sip_reg_retry_after(const struct sip_msg *resp)
{
	const struct sip_hdr *h = sip_msg_hdr(resp, SIP_HDR_RETRY_AFTER);

	return h ? lead_secs(h->val) : -ENOENT;
}

uint32_t sip_reg_min_expires(const struct sip_msg *resp)
{
	const struct sip_hdr *h = sip_msg_hdr(resp, SIP_HDR_MIN_EXPIRES);
	uint64_t v;

	if (!h || strv_u64(strv_trim(h->val), EXP_MAX, &v))
		return 0;
	return (uint32_t)v;
}

uint64_t sip_reg_refresh_ms(uint32_t granted)
{
	uint64_t g = (uint64_t)granted * 1000;
	uint64_t t = g / 2;

	/* long bindings: a minute of slack covers a few retransmissions
	 * and a 401 round without refreshing needlessly often */
	if (g > 120000)
		t = g - 60000;
	return t < 1000 ? 1000 : t;
}

uint64_t sip_reg_backoff_ms(unsigned failures, uint64_t min, uint64_t max,
			    uint32_t rnd)
{
	uint64_t base = min, d;

	if (max < min)
		max = min;
	for (unsigned i = 1; i < failures && base < max; i++)
		base *= 2;
	if (base > max)
		base = max;
	/* "equal jitter": registrations of many gateways that lost the same
	 * registrar spread out, yet attempt n+1 never comes sooner than the
	 * latest attempt n could have (base_n+1 / 2 = base_n) */
	d = base / 2 + (base - base / 2) * rnd / UINT32_MAX;
	return d < min ? min : d;
}
