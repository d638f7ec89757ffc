/* SPDX-License-Identifier: GPL-2.0 */
/* Socket addresses (IPv4 and IPv6) with a port. */
#ifndef TL_BASE_SA_H
#define TL_BASE_SA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct sa {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;
	socklen_t len; /* 0 = unset */
};

/* Longest text form: "[" v6 "]:" port */
#define SA_STRLEN (INET6_ADDRSTRLEN + 8)

/* Numeric address only (no DNS): "1.2.3.4", "::1". */
int sa_set_ip(struct sa *sa, const char *ip, uint16_t port);
/* "1.2.3.4:5060", "[::1]:5060", "1.2.3.4" (port = @defport; 0 = required). */
int sa_parse(struct sa *sa, const char *s, uint16_t defport);
uint16_t sa_port(const struct sa *sa);
void sa_set_port(struct sa *sa, uint16_t port);
int sa_af(const struct sa *sa);
bool sa_eq(const struct sa *a, const struct sa *b);
/* "ip:port" / "[ip]:port" into @buf (SA_STRLEN); returns @buf. */
const char *sa_str(const struct sa *sa, char *buf, size_t n);

#endif
