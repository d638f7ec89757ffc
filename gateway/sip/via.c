// SPDX-License-Identifier: GPL-2.0
/* Via (RFC 3261 20.42, 25.1) with rport (RFC 3581) and the IPv6 forms of
 * RFC 5118 4.5. */
#include <errno.h>
#include <string.h>

#include "scan.h"

/* received = IPv4address / IPv6address; RFC 5118 4.5: also bracketed */
static bool good_received(struct strv v)
{
	size_t i;

	if (v.l >= 2 && v.p[0] == '[' && v.p[v.l - 1] == ']') {
		v.p++;
		v.l -= 2;
	}
	if (!v.l)
		return false;
	for (i = 0; i < v.l; i++)
		if (!sip_cis(v.p[i], SIP_C_HEX) && v.p[i] != ':' &&
		    v.p[i] != '.')
			return false;
	return true;
}

static bool good_uint(struct strv v, uint64_t min, uint64_t max,
		      uint64_t *n)
{
	return strv_u64(v, max, n) == 0 && *n >= min;
}

/* The params the stack reads, checked once here so users need not. */
static int via_params(struct sip_via *v)
{
	struct strv rest = v->params, name, val;
	uint64_t n;

	while (sip_param_next(&rest, &name, &val)) {
		if (strv_caseeq_str(name, "branch")) {
			v->branch = val;
		} else if (strv_caseeq_str(name, "received")) {
			if (!good_received(val))
				return -EBADMSG;
			v->received = val;
		} else if (strv_caseeq_str(name, "rport")) {
			if (!val.l)
				v->rport = 0;
			else if (good_uint(val, 1, 65535, &n))
				v->rport = (int32_t)n;
			else
				return -EBADMSG;
		} else if (strv_caseeq_str(name, "ttl")) {
			if (!good_uint(val, 0, 255, &n))
				return -EBADMSG;
			v->ttl = (int16_t)n;
		} else if (strv_caseeq_str(name, "maddr")) {
			if (!val.l)
				return -EBADMSG;
			v->maddr = val;
		}
	}
	return 0;
}

int sip_sc_via(struct sc *s, struct sip_via *v)
{
	const char *p0;

	memset(v, 0, sizeof(*v));
	v->rport = -1;
	v->ttl = -1;
	sc_lws(s);
	p0 = s->p;
	/* sent-protocol: SIP SLASH 2.0 SLASH transport, LWS allowed around
	 * the slashes (RFC 4475 3.1.1.1) */
	if (!sc_span(s, SIP_C_TOKEN).l || !sc_sep(s, '/') ||
	    !sc_span(s, SIP_C_TOKEN).l || !sc_sep(s, '/'))
		return -EBADMSG;
	v->transport = sc_span(s, SIP_C_TOKEN);
	if (!v->transport.l || !sc_lws(s))
		return -EBADMSG;
	if (!sip_sc_hostport(s, &v->host, &v->host_v6, &v->port, true))
		return -EBADMSG;
	if (!sip_sc_params(s, &v->params))
		return -EBADMSG;
	v->raw = sc_from(p0, s);
	return via_params(v);
}

int sip_via_decode(struct sip_via *v, struct strv val)
{
	struct sc s = sc_of(val);
	int err = sip_sc_via(&s, v);

	if (err)
		return err;
	sc_lws(&s);
	return sc_more(&s) ? -EBADMSG : 0;
}
