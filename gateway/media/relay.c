// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace relay: the flow table, the per-packet decision and the epoll
 * I/O path: recvmmsg a batch from one socket, classify and rewrite each
 * packet in place per the socket's flow, sendmmsg the batch from the
 * egress socket. The same decisions, in the same order, as the kernel
 * engines: source check, RTP/RTCP demux, payload type bitmap, SRTP,
 * header rewrite, counters. relay_uring.c is the io_uring I/O path
 * around the same decision.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/list.h"
#include "../base/loop.h"
#include "../base/mem.h"
#include "relay_priv.h"
#include "rtp.h"

#define LOG_TAG "relay"
#include "../base/log.h"

/* per wake-up, so one busy socket cannot starve the others */
#define RELAY_WAKE_MAX (4 * RELAY_BATCH)

static void flow_destroy(void *arg)
{
	struct rflow *f = arg;

	/* a flow never outlives its egress socket (sock_remove()) */
	if (f->out)
		f->out->nout--;
	mem_deref(f->srtp_in);
	mem_deref(f->srtp_out);
}

static struct list *ep_bucket(struct media_relay *r,
			      const struct tl_flow_ep *ep)
{
	return &r->by_ep[media_flow_ep_hash(ep) & (RELAY_HASH - 1)];
}

static struct list *fd_bucket(struct media_relay *r, int fd)
{
	return &r->by_fd[(unsigned)fd & (RELAY_HASH - 1)];
}

static void sock_remove(struct media_relay *r, struct rsock *s)
{
	struct le *e, *nx;

	/* the flows that send from @s go with it; usually there are none
	 * left (a call removes its flows before its sockets) */
	if (s->nout) {
		LIST_FOREACH(&r->socks, e, nx)
		{
			struct rsock *o = e->data;

			if (o->flow && o->flow->out == s)
				o->flow = mem_deref(o->flow);
		}
	}
	s->flow = mem_deref(s->flow);
	list_unlink(&s->ep_le);
	list_unlink(&s->fd_le);
	if (s->fd >= 0) {
		if (r->u)
			relay_uring_sock_del(r, s);
		else
			loop_fd_del(r->loop, s->fd);
	}
	s->fd = -1;
	list_unlink(&s->le);
}

static void relay_destroy(void *arg)
{
	struct media_relay *r = arg;

	while (r->socks.head) {
		struct rsock *s = r->socks.head->data;

		sock_remove(r, s);
		mem_deref(s);
	}
	if (r->u)
		relay_uring_free(r);
}

int media_relay_new_io(struct media_relay **rp, struct loop *l,
		       enum media_relay_io io, media_relay_slow_h *slow,
		       void *arg)
{
	struct media_relay *r;
	int err;

	r = mem_zalloc(sizeof(*r), relay_destroy);
	if (!r)
		return -ENOMEM;
	r->loop = l;
	r->slow = slow;
	r->arg = arg;
	list_init(&r->socks);
	for (unsigned i = 0; i < RELAY_BATCH; i++) {
		r->iov[i].iov_base = r->buf[i];
		r->iov[i].iov_len = RELAY_PKT_MAX;
		r->in[i].msg_hdr.msg_iov = &r->iov[i];
		r->in[i].msg_hdr.msg_iovlen = 1;
		r->out[i].msg_hdr.msg_iov = &r->oiov[i];
		r->out[i].msg_hdr.msg_iovlen = 1;
	}
	if (io != MEDIA_RELAY_IO_EPOLL) {
		err = relay_uring_new(r);
		if (err && io == MEDIA_RELAY_IO_URING) {
			mem_deref(r);
			return err;
		}
		if (err)
			LOGI("io_uring unavailable (%s): epoll I/O",
			     strerror(-err));
	}
	*rp = r;
	return 0;
}

int media_relay_new(struct media_relay **rp, struct loop *l,
		    media_relay_slow_h *slow, void *arg)
{
	return media_relay_new_io(rp, l, MEDIA_RELAY_IO_EPOLL, slow, arg);
}

int media_relay_set_coalesce(struct media_relay *r, unsigned us)
{
	if (!r->u)
		return us ? -ENOTSUP : 0;
	if (us > 10000)
		return -EINVAL;
	return relay_uring_set_coalesce(r, us);
}

unsigned media_relay_coalesce(const struct media_relay *r)
{
	return r->u ? relay_uring_coalesce(r) : 0;
}

const char *media_relay_io_name(const struct media_relay *r)
{
	return r->u ? "uring" : "epoll";
}

void media_relay_stats(const struct media_relay *r,
		       struct media_relay_stats *st)
{
	*st = r->st;
}

static struct rsock *sock_by_fd(struct media_relay *r, int fd)
{
	struct le *e, *nx;

	if (fd < 0)
		return NULL;
	LIST_FOREACH(fd_bucket(r, fd), e, nx)
	{
		struct rsock *s = e->data;

		if (s->fd == fd)
			return s;
	}
	return NULL;
}

static struct rsock *sock_by_ep(struct media_relay *r,
				const struct tl_flow_ep *ep)
{
	struct le *e, *nx;

	LIST_FOREACH(ep_bucket(r, ep), e, nx)
	{
		struct rsock *s = e->data;

		if (!memcmp(&s->local, ep, sizeof(*ep)))
			return s;
	}
	return NULL;
}

static void sock_readable(int fd, uint32_t events, void *arg);

int media_relay_sock_add(struct media_relay *r, int fd)
{
	struct sa local = { 0 };
	struct rsock *s;
	int err;

	if (sock_by_fd(r, fd))
		return -EEXIST;
	local.len = sizeof(local.u.ss);
	if (getsockname(fd, &local.u.sa, &local.len))
		return -errno;
	s = mem_zalloc(sizeof(*s), NULL);
	if (!s)
		return -ENOMEM;
	err = media_flow_ep_from_sa(&s->local, &local);
	if (err || !s->local.port) {
		err = -EINVAL;
		goto err;
	}
	s->r = r;
	s->fd = fd;
	if (r->u)
		err = relay_uring_sock_add(r, s);
	else
		err = loop_fd_add(r->loop, fd, EPOLLIN, sock_readable, s);
	if (err)
		goto err;
	list_append(&r->socks, &s->le, s);
	list_append(ep_bucket(r, &s->local), &s->ep_le, s);
	list_append(fd_bucket(r, fd), &s->fd_le, s);
	return 0;
err:
	mem_deref(s);
	return err;
}

void media_relay_sock_del(struct media_relay *r, int fd)
{
	struct rsock *s = sock_by_fd(r, fd);

	if (!s)
		return;
	sock_remove(r, s);
	mem_deref(s);
}

int media_relay_flow_set(struct media_relay *r, const struct tl_flow *f)
{
	struct rsock *in, *out;
	struct rflow *fl;
	struct sa dst;
	int err;

	err = media_flow_check(f);
	if (err)
		return err;
	in = sock_by_ep(r, &f->key.local);
	out = sock_by_ep(r, &f->action.new_src);
	if (!in || !out)
		return -ENOENT;
	err = media_flow_ep_to_sa(&dst, &f->action.new_dst);
	if (err)
		return err;
	fl = in->flow;
	if (!fl) {
		fl = mem_zalloc(sizeof(*fl), flow_destroy);
		if (!fl)
			return -ENOMEM;
		in->flow = fl;
	}
	fl->f = *f;
	if (fl->out)
		fl->out->nout--;
	out->nout++;
	fl->out = out;
	memcpy(&fl->dst, &dst.u.ss, sizeof(fl->dst));
	fl->dst_len = dst.len;
	return 0;
}

static struct rflow *flow_by_ep(struct media_relay *r,
				const struct tl_flow_ep *local)
{
	struct rsock *s = sock_by_ep(r, local);

	return s ? s->flow : NULL;
}

int media_relay_flow_del(struct media_relay *r,
			 const struct tl_flow_ep *local)
{
	struct rsock *s = sock_by_ep(r, local);

	if (!s || !s->flow)
		return -ENOENT;
	s->flow = mem_deref(s->flow);
	return 0;
}

int media_relay_flow_srtp(struct media_relay *r,
			  const struct tl_flow_ep *local,
			  struct rtp_srtp *in, struct rtp_srtp *out)
{
	struct rflow *fl = flow_by_ep(r, local);

	if (!fl)
		return -ENOENT;
	mem_deref(fl->srtp_in);
	mem_deref(fl->srtp_out);
	fl->srtp_in = mem_ref(in);
	fl->srtp_out = mem_ref(out);
	return 0;
}

int media_relay_flow_counters(struct media_relay *r,
			      const struct tl_flow_ep *local,
			      struct tl_flow_counters *c)
{
	struct rflow *fl = flow_by_ep(r, local);

	if (!fl)
		return -ENOENT;
	*c = fl->c;
	return 0;
}

static void flush(struct media_relay *r)
{
	unsigned done = 0;

	while (done < r->on) {
		int n = sendmmsg(r->osock->fd, r->out + done, r->on - done,
				 MSG_DONTWAIT);

		r->st.syscalls++;

		if (n <= 0) {
			/* the rest of the batch is lost: count it */
			for (; done < r->on; done++)
				r->oflow[done]->c.drop[TL_FLOW_R_TX]++;
			break;
		}
		for (int i = 0; i < n; i++, done++) {
			struct rflow *fl = r->oflow[done];

			fl->c.packets++;
			fl->c.bytes += r->out[done].msg_hdr.msg_iov->iov_len;
		}
	}
	r->on = 0;
}

/* Check the RTP header enough to forward it safely: version, CSRC list
 * and extension inside the packet. */
static bool rtp_ok(const uint8_t *p, size_t len)
{
	size_t off;

	if (len < RTP_HDR_MIN || p[0] >> 6 != RTP_VERSION)
		return false;
	off = RTP_HDR_MIN + (size_t)(p[0] & 0x0f) * 4;
	if (off > len)
		return false;
	if (p[0] & 0x10) {
		if (len - off < 4)
			return false;
		off += 4 + (size_t)rtp_get16(p + off + 2) * 4;
		if (off > len)
			return false;
	}
	return true;
}

static bool fail(enum tl_flow_reason *why, enum tl_flow_reason r)
{
	*why = r;
	return false;
}

/* Decide one packet and rewrite it in place. Returns true to forward it
 * (@len may have changed); else *@why says why and *@drop whether it is
 * dropped rather than passed up. */
static bool classify(struct rflow *fl, const struct sockaddr_storage *src,
		     uint8_t *p, size_t *len, enum tl_flow_reason *why,
		     bool *drop)
{
	const struct tl_flow_action *a = &fl->f.action;
	size_t room = RELAY_ROOM;
	bool rtcp;
	int err;

	*drop = false;
	if (fl->f.key.src.family && !media_flow_ep_match(&fl->f.key.src, src))
		return fail(why, TL_FLOW_R_SOURCE);
	rtcp = (a->flags & TL_FLOW_F_RTCP_PORT) ||
	       ((a->flags & TL_FLOW_F_RTCP_MUX) && rtp_is_rtcp(p, *len));
	if (rtcp) {
		if (*len < 8 || p[0] >> 6 != RTP_VERSION)
			return fail(why, TL_FLOW_R_MALFORMED);
		if (a->rtcp == TL_FLOW_RTCP_USER)
			return fail(why, TL_FLOW_R_RTCP);
	} else {
		if (!rtp_ok(p, *len))
			return fail(why, TL_FLOW_R_MALFORMED);
		if (media_flow_pt_user(a, p[1] & 0x7f))
			return fail(why, TL_FLOW_R_PT);
	}
	if (a->flags & TL_FLOW_F_SRTP_IN) {
		err = !fl->srtp_in ? -ENOKEY
		      : rtcp	   ? rtp_srtp_unprotect_rtcp(fl->srtp_in, p, len)
				   : rtp_srtp_unprotect(fl->srtp_in, p, len);
		if (err) {
			*drop = true;
			return fail(why, TL_FLOW_R_SRTP);
		}
	}
	if (!rtcp) {
		if (a->flags & TL_FLOW_F_SSRC)
			rtp_put32(p + 8, a->ssrc);
		if (a->flags & TL_FLOW_F_SEQ)
			rtp_put16(p + 2,
				  (uint16_t)(rtp_get16(p + 2) + a->seq_off));
		if (a->flags & TL_FLOW_F_TS)
			rtp_put32(p + 4, rtp_get32(p + 4) + a->ts_off);
	}
	if (a->flags & TL_FLOW_F_SRTP_OUT) {
		err = !fl->srtp_out ? -ENOKEY
		      : rtcp ? rtp_srtp_protect_rtcp(fl->srtp_out, p, len, room)
			     : rtp_srtp_protect(fl->srtp_out, p, len, room);
		if (err) {
			*drop = true;
			return fail(why, TL_FLOW_R_SRTP);
		}
	}
	return true;
}

uint64_t relay_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

enum relay_verdict relay_decide(struct rsock *s,
				const struct sockaddr_storage *src,
				uint8_t *p, size_t *len, bool trunc,
				uint64_t now, enum tl_flow_reason *why)
{
	struct rflow *fl = s->flow;
	bool drop;

	if (!fl) {
		*why = TL_FLOW_R_OTHER;
		return RELAY_PUNT;
	}
	fl->c.last_ns = now;
	if (trunc) {
		fl->c.drop[TL_FLOW_R_MALFORMED]++;
		return RELAY_DROP;
	}
	if (classify(fl, src, p, len, why, &drop))
		return RELAY_FORWARD;
	if (!drop)
		return RELAY_PUNT;
	fl->c.drop[*why]++;
	return RELAY_DROP;
}

void relay_punt(struct media_relay *r, struct rsock *s,
		const struct sockaddr_storage *src, uint8_t *p, size_t len,
		enum tl_flow_reason why)
{
	struct rflow *fl = s->flow;

	if (fl)
		fl->c.punt[why]++;
	if (r->slow)
		r->slow(s->fd, src, p, len, fl ? &fl->f : NULL, why, r->arg);
}

static void handle(struct media_relay *r, struct rsock *s, unsigned i,
		   uint64_t now)
{
	struct mmsghdr *m = &r->in[i];
	size_t len = m->msg_len;
	enum tl_flow_reason why;
	struct rflow *fl;

	switch (relay_decide(s, &r->src[i], r->buf[i], &len,
			     m->msg_hdr.msg_flags & MSG_TRUNC, now, &why)) {
	case RELAY_DROP:
		return;
	case RELAY_PUNT:
		/* keep the order of packets: what was forwarded goes first */
		if (r->on)
			flush(r);
		relay_punt(r, s, &r->src[i], r->buf[i], len, why);
		return;
	case RELAY_FORWARD:
		break;
	}
	fl = s->flow;
	if (r->on && r->osock != fl->out)
		flush(r);
	r->osock = fl->out;
	r->oiov[r->on].iov_base = r->buf[i];
	r->oiov[r->on].iov_len = len;
	r->out[r->on].msg_hdr.msg_name = &fl->dst;
	r->out[r->on].msg_hdr.msg_namelen = fl->dst_len;
	r->oflow[r->on] = fl;
	r->on++;
}

static int sock_input(struct media_relay *r, struct rsock *s, unsigned max)
{
	unsigned total = 0;
	int err = 0;

	mem_ref(s);
	while (s->fd >= 0 && (!max || total < max)) {
		unsigned want = RELAY_BATCH;
		uint64_t now;
		int n;

		if (max && max - total < want)
			want = max - total;
		for (unsigned i = 0; i < want; i++) {
			r->in[i].msg_hdr.msg_name = &r->src[i];
			r->in[i].msg_hdr.msg_namelen = sizeof(r->src[i]);
			r->in[i].msg_hdr.msg_flags = 0;
		}
		n = recvmmsg(s->fd, r->in, want, MSG_DONTWAIT, NULL);
		r->st.syscalls++;
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				err = -errno;
			break;
		}
		now = relay_now_ns();
		for (int i = 0; i < n && s->fd >= 0; i++)
			handle(r, s, (unsigned)i, now);
		if (r->on)
			flush(r);
		total += (unsigned)n;
		if ((unsigned)n < want)
			break;
	}
	mem_deref(s);
	return err ? err : (int)total;
}

static void sock_readable(int fd, uint32_t events, void *arg)
{
	struct rsock *s = arg;
	int err;

	(void)events;
	s->r->st.wakeups++;
	err = sock_input(s->r, s, RELAY_WAKE_MAX);
	if (err < 0)
		LOGW("fd %d: %s", fd, strerror(-err));
}

/* Read @s now on the relay's I/O path; the packets read or -errno. */
static int sock_read(struct media_relay *r, struct rsock *s, unsigned max)
{
	return r->u ? relay_uring_input(r, s) : sock_input(r, s, max);
}

int media_relay_input(struct media_relay *r, int fd, unsigned max)
{
	struct rsock *s = sock_by_fd(r, fd);

	return s ? sock_read(r, s, max) : -ENOENT;
}

int media_relay_flush(struct media_relay *r, const struct tl_flow_ep *local)
{
	struct rsock *s = sock_by_ep(r, local);

	return s ? sock_read(r, s, 0) : -ENOENT;
}
