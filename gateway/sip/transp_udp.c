// SPDX-License-Identifier: GPL-2.0
/* UDP: one socket per listener, datagrams read in batches (recvmmsg). */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG_TAG "sip-udp"
#include "../base/log.h"
#include "transp_priv.h"

/* batches read per readiness event, so one busy socket cannot starve the
 * rest of the loop */
#define UDP_ROUNDS 8
#define UDP_SLOT (SIP_UDP_MAX + 1)

static void udp_recv(int fd, uint32_t events, void *arg)
{
	struct sip_lsnr *l = arg;
	struct sip_transp *t = l->t;
	struct mmsghdr mm[SIP_UDP_BATCH];
	struct iovec iov[SIP_UDP_BATCH];
	struct sockaddr_storage from[SIP_UDP_BATCH];

	(void)events;
	for (int round = 0; round < UDP_ROUNDS; round++) {
		int n;

		memset(mm, 0, sizeof(mm));
		for (int i = 0; i < SIP_UDP_BATCH; i++) {
			iov[i].iov_base = t->udp_buf + (size_t)i * UDP_SLOT;
			iov[i].iov_len = UDP_SLOT;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, mm, SIP_UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (int i = 0; i < n; i++) {
			struct sip_src src = { .tp = SIP_TP_UDP,
					       .local = l->addr };
			socklen_t fl = mm[i].msg_hdr.msg_namelen;

			t->st.rx_bytes += mm[i].msg_len;
			if (fl > sizeof(src.src.u) ||
			    (mm[i].msg_hdr.msg_flags & MSG_TRUNC)) {
				t->st.dropped++;
				continue;
			}
			memcpy(&src.src.u, &from[i], fl);
			src.src.len = fl;
			/* a keepalive (RFC 5626 4.4.2 STUN, or CRLF) is not
			 * SIP: nothing to parse or answer */
			if (mm[i].msg_len <= 4)
				continue;
			sip_transp_input(t, iov[i].iov_base, mm[i].msg_len, 0,
					 &src);
		}
		if (n < SIP_UDP_BATCH)
			return;
	}
}

int sip_udp_listen(struct sip_transp *t, struct sip_lsnr *l)
{
	int af = sa_af(&l->addr), one = 1, rcvbuf = 1 << 20, err;
	socklen_t len = sizeof(l->addr.u);

	if (!t->udp_buf) {
		t->udp_buf = malloc((size_t)SIP_UDP_BATCH * UDP_SLOT);
		if (!t->udp_buf)
			return -ENOMEM;
	}
	l->fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return -errno;
	/* v4 and v6 listeners on the same port are separate sockets */
	if (af == AF_INET6)
		setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* bursts of requests should queue, not drop (best effort) */
	setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(l->fd, &l->addr.u.sa, l->addr.len) ||
	    getsockname(l->fd, &l->addr.u.sa, &len)) {
		err = -errno;
		goto out;
	}
	l->addr.len = len;
	err = loop_fd_add(t->loop, l->fd, EPOLLIN, udp_recv, l);
	if (err)
		goto out;
	return 0;
out:
	close(l->fd);
	l->fd = -1;
	return err;
}

int sip_udp_send(struct sip_transp *t, const struct sa *from,
		 const struct sa *dst, const void *data, size_t len)
{
	const struct sip_lsnr *use = NULL;

	if (len > SIP_UDP_MAX - 8 - 40)
		return -EMSGSIZE;
	for (const struct le *e = t->lsnrs.head; e; e = e->next) {
		const struct sip_lsnr *l = e->data;

		if (l->tp != SIP_TP_UDP || sa_af(&l->addr) != sa_af(dst))
			continue;
		if (!use)
			use = l;
		if (from && sa_eq(&l->addr, from)) {
			use = l;
			break;
		}
	}
	if (!use)
		return -EAFNOSUPPORT;
	if (sendto(use->fd, data, len, MSG_DONTWAIT, &dst->u.sa, dst->len) < 0)
		return -errno;
	return 0;
}
