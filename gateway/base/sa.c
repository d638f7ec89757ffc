// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa.h"

int sa_set_ip(struct sa *sa, const char *ip, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, ip, &sa->u.in.sin_addr) == 1) {
		sa->u.in.sin_family = AF_INET;
		sa->u.in.sin_port = htons(port);
		sa->len = sizeof(sa->u.in);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &sa->u.in6.sin6_addr) == 1) {
		sa->u.in6.sin6_family = AF_INET6;
		sa->u.in6.sin6_port = htons(port);
		sa->len = sizeof(sa->u.in6);
		return 0;
	}
	return -EINVAL;
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int sa_parse(struct sa *sa, const char *s, uint16_t defport)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *pstr = NULL;
	uint16_t port = defport;
	size_t hl;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb)
			return -EINVAL;
		hl = (size_t)(rb - s - 1);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (rb[1] == ':')
			pstr = rb + 2;
		else if (rb[1])
			return -EINVAL;
	} else {
		const char *c = strchr(s, ':');

		/* a second colon means a bare IPv6 address, no port */
		if (c && !strchr(c + 1, ':')) {
			hl = (size_t)(c - s);
			pstr = c + 1;
		} else {
			hl = strlen(s);
		}
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, hl);
		host[hl] = '\0';
	}
	if (pstr && parse_port(pstr, &port))
		return -EINVAL;
	if (!port)
		return -EINVAL;
	return sa_set_ip(sa, host, port);
}

uint16_t sa_port(const struct sa *sa)
{
	switch (sa->u.sa.sa_family) {
	case AF_INET:
		return ntohs(sa->u.in.sin_port);
	case AF_INET6:
		return ntohs(sa->u.in6.sin6_port);
	default:
		return 0;
	}
}

void sa_set_port(struct sa *sa, uint16_t port)
{
	if (sa->u.sa.sa_family == AF_INET)
		sa->u.in.sin_port = htons(port);
	else if (sa->u.sa.sa_family == AF_INET6)
		sa->u.in6.sin6_port = htons(port);
}

int sa_af(const struct sa *sa)
{
	return sa->len ? sa->u.sa.sa_family : AF_UNSPEC;
}

bool sa_eq(const struct sa *a, const struct sa *b)
{
	if (sa_af(a) != sa_af(b))
		return false;
	switch (sa_af(a)) {
	case AF_INET:
		return a->u.in.sin_port == b->u.in.sin_port &&
		       a->u.in.sin_addr.s_addr == b->u.in.sin_addr.s_addr;
	case AF_INET6:
		return a->u.in6.sin6_port == b->u.in6.sin6_port &&
		       !memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr, 16);
	default:
		return true;
	}
}

const char *sa_str(const struct sa *sa, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN];

	switch (sa_af(sa)) {
	case AF_INET:
		inet_ntop(AF_INET, &sa->u.in.sin_addr, ip, sizeof(ip));
		snprintf(buf, n, "%s:%u", ip, sa_port(sa));
		break;
	case AF_INET6:
		inet_ntop(AF_INET6, &sa->u.in6.sin6_addr, ip, sizeof(ip));
		snprintf(buf, n, "[%s]:%u", ip, sa_port(sa));
		break;
	default:
		snprintf(buf, n, "(none)");
	}
	return buf;
}
