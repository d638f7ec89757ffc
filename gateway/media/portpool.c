// SPDX-License-Identifier: GPL-2.0
/* RTP port pool: even/odd pairs from a range, bind failure -> next pair. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/mem.h"
#include "portpool.h"

#define LOG_TAG "ports"
#include "../base/log.h"

/* DSCP EF (RFC 3246) for voice: the TOS byte 46 << 2 */
#define PORTS_TOS_EF 0xb8

struct media_ports {
	uint16_t base;	 /* first even port */
	size_t npairs;
	size_t next;	 /* where the next search starts */
	size_t used;
	uint64_t busy;
	uint8_t *taken;	 /* one flag per pair */
};

static void ports_destroy(void *arg)
{
	struct media_ports *p = arg;

	mem_deref(p->taken);
}

int media_ports_new(struct media_ports **pp, uint16_t min, uint16_t max)
{
	struct media_ports *p;
	uint32_t base = (min + 1u) & ~1u;

	/* the last pair's RTCP port (base + 2k + 1) must stay <= max */
	if (min == 0 || base + 1 > max)
		return -EINVAL;
	p = mem_zalloc(sizeof(*p), ports_destroy);
	if (!p)
		return -ENOMEM;
	p->base = (uint16_t)base;
	p->npairs = (max - base + 1u) / 2;
	p->taken = mem_zalloc(p->npairs, NULL);
	if (!p->taken) {
		mem_deref(p);
		return -ENOMEM;
	}
	*pp = p;
	return 0;
}

void media_ports_lease_init(struct media_ports_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->rtp_fd = -1;
	l->rtcp_fd = -1;
}

static int bind_one(const struct sa *local, uint16_t port, int *fdp)
{
	struct sa a = *local;
	int fd, err, tos = PORTS_TOS_EF;

	fd = socket(sa_af(&a), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* voice marking is a courtesy: a refusal changes nothing */
	if (sa_af(&a) == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos,
				 sizeof(tos));
	else
		(void)setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	sa_set_port(&a, port);
	if (bind(fd, &a.u.sa, a.len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

/* Bind the pair at index @i; -EADDRINUSE-like errors mean "try next". */
static int bind_pair(struct media_ports *p, size_t i, const struct sa *local,
		     bool mux, struct media_ports_lease *l)
{
	uint16_t port = (uint16_t)(p->base + 2 * i);
	int rtp = -1, rtcp = -1, err;

	err = bind_one(local, port, &rtp);
	if (err)
		return err;
	if (!mux) {
		err = bind_one(local, (uint16_t)(port + 1), &rtcp);
		if (err) {
			close(rtp);
			return err;
		}
	}
	l->rtp_fd = rtp;
	l->rtcp_fd = rtcp;
	l->port = port;
	l->local = *local;
	sa_set_port(&l->local, port);
	return 0;
}

int media_ports_alloc(struct media_ports *p, const struct sa *local,
		      bool rtcp_mux, struct media_ports_lease *l)
{
	int af = sa_af(local);

	media_ports_lease_init(l);
	if (af != AF_INET && af != AF_INET6)
		return -EAFNOSUPPORT;
	for (size_t k = 0; k < p->npairs; k++) {
		size_t i = (p->next + k) % p->npairs;
		int err;

		if (p->taken[i])
			continue;
		err = bind_pair(p, i, local, rtcp_mux, l);
		if (err == -EADDRINUSE || err == -EACCES) {
			p->busy++;
			continue;
		}
		if (err)
			return err;
		p->taken[i] = 1;
		p->used++;
		p->next = (i + 1) % p->npairs;
		return 0;
	}
	LOGW("no free RTP port pair in %u-%u (%zu held by us)",
	     (unsigned)p->base, (unsigned)(p->base + 2 * p->npairs - 1),
	     p->used);
	return -EADDRNOTAVAIL;
}

void media_ports_release(struct media_ports *p, struct media_ports_lease *l)
{
	if (!l || l->rtp_fd < 0)
		return;
	close(l->rtp_fd);
	if (l->rtcp_fd >= 0)
		close(l->rtcp_fd);
	if (p && l->port >= p->base) {
		size_t i = (size_t)(l->port - p->base) / 2;

		if (i < p->npairs && p->taken[i]) {
			p->taken[i] = 0;
			p->used--;
		}
	}
	media_ports_lease_init(l);
}

size_t media_ports_capacity(const struct media_ports *p)
{
	return p->npairs;
}

size_t media_ports_in_use(const struct media_ports *p)
{
	return p->used;
}

uint64_t media_ports_busy_skips(const struct media_ports *p)
{
	return p->busy;
}
