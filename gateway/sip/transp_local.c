// SPDX-License-Identifier: GPL-2.0
/*
 * Our own address towards a destination, for the Via sent-by and the
 * Contact of a request we originate (REGISTER, OPTIONS keepalive): the
 * listener of the request's transport and the destination's address
 * family. A listener bound to the wildcard address is no address the
 * far end can send to, so the source address the kernel routes from
 * takes its place, with the listener's port.
 */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transp.h"

static bool sa_wildcard(const struct sa *a)
{
	if (sa_af(a) == AF_INET)
		return a->u.in.sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&a->u.in6.sin6_addr);
}

/* The address the kernel picks to reach @dst: connect() on a datagram
 * socket only looks the route up, it sends nothing. */
static int route_src(const struct sa *dst, struct sa *out)
{
	socklen_t len = sizeof(out->u);
	int fd, err = 0;

	fd = socket(sa_af(dst), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, &dst->u.sa, dst->len) ||
	    getsockname(fd, &out->u.sa, &len))
		err = -errno;
	else
		out->len = len;
	close(fd);
	return err;
}

int sip_transp_local_for(const struct sip_transp *t, enum sip_tp tp,
			 const struct sa *dst, struct sa *out)
{
	for (size_t i = 0; i < sip_transp_nlisteners(t); i++) {
		enum sip_tp ltp;
		struct sa la;
		int err;

		if (sip_transp_listener(t, i, &ltp, &la))
			break;
		if (ltp != tp || sa_af(&la) != sa_af(dst))
			continue;
		if (!sa_wildcard(&la)) {
			*out = la;
			return 0;
		}
		err = route_src(dst, out);
		if (err)
			return err;
		sa_set_port(out, sa_port(&la));
		return 0;
	}
	return -ENOENT;
}

const char *sip_tp_uri_param(enum sip_tp tp)
{
	return tp == SIP_TP_TCP ? ";transport=tcp" :
	       tp == SIP_TP_TLS ? ";transport=tls" : "";
}
