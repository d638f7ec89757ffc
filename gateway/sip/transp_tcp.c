// SPDX-License-Identifier: GPL-2.0
/*
 * Stream transports, TCP and TLS: listeners, connections, framing.
 *
 * A connection is a mem object. The transport's list holds one reference
 * while it is open; sip_src.conn lends it to handlers, which take their
 * own to keep it. Closing unlinks it and frees the socket at once; a
 * holder sees sip_conn_alive() turn false and the memory stays valid
 * until its last reference goes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#define LOG_TAG "sip-tcp"
#include "../base/log.h"
#include "../base/mem.h"
#include "transp_priv.h"

#define READ_CHUNK 16384
#define ACCEPTS_PER_EVENT 64

static void conn_update(struct sip_conn *c);

bool sip_conn_alive(const struct sip_conn *c)
{
	return c && c->t && c->fd >= 0;
}

static const char *peer_str(const struct sip_conn *c, char *buf, size_t n)
{
	return sa_str(&c->peer, buf, n);
}

static void conn_teardown(struct sip_conn *c, struct loop *loop)
{
	tmr_cancel(&c->idle);
	if (c->ssl) {
		if (!c->handshaking)
			SSL_shutdown(c->ssl); /* best effort close_notify */
		SSL_free(c->ssl);
		c->ssl = NULL;
		ERR_clear_error();
	}
	if (c->fd >= 0) {
		if (loop)
			loop_fd_del(loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
}

static void conn_destroy(void *arg)
{
	struct sip_conn *c = arg;

	conn_teardown(c, c->t ? c->t->loop : NULL);
	buf_free(&c->rx);
	buf_free(&c->tx);
}

void sip_conn_close(struct sip_conn *c)
{
	struct sip_transp *t = c->t;

	if (!t)
		return;
	conn_teardown(c, t->loop);
	c->t = NULL;
	t->st.conns--;
	list_unlink(&c->le);
	mem_deref(c); /* the list's reference */
}

void sip_stream_close_all(struct sip_transp *t)
{
	struct le *e, *nx;

	LIST_FOREACH(&t->conns, e, nx)
		sip_conn_close(e->data);
}

static void idle_expired(void *arg)
{
	struct sip_conn *c = arg;
	char ps[SA_STRLEN];

	LOGD("%s %s idle, closing", sip_tp_name(c->tp),
	     peer_str(c, ps, sizeof(ps)));
	c->t->st.conns_idle++;
	sip_conn_close(c);
}

static void conn_touch(struct sip_conn *c)
{
	tmr_start(c->t->loop, &c->idle, c->t->p.idle_ms, idle_expired, c);
}

/* Close @c; if it was ours and never came up (connect or TLS handshake),
 * tell the transport's owner, whose requests on it are now lost. */
static void conn_close_failed(struct sip_conn *c, int err)
{
	struct sip_transp *t = c->t;
	bool setup = !c->server && (c->connecting || c->handshaking);
	enum sip_tp tp = c->tp;
	struct sa peer = c->peer;

	sip_conn_close(c);
	if (setup && t && t->fh)
		t->fh(tp, &peer, err < 0 ? err : -err, t->arg);
}

static void conn_fail(struct sip_conn *c, const char *what, int err)
{
	char ps[SA_STRLEN];

	LOGD("%s %s: %s: %s", sip_tp_name(c->tp), peer_str(c, ps, sizeof(ps)),
	     what, strerror(err < 0 ? -err : err));
	conn_close_failed(c, err);
}

/* 0 = done, -EAGAIN = wait for the loop, else the connection failed */
static int tls_handshake(struct sip_conn *c)
{
	char ps[SA_STRLEN], eb[256];
	int r = SSL_do_handshake(c->ssl);

	if (r == 1) {
		c->handshaking = false;
		c->want_write = false;
		LOGD("TLS %s: %s established", peer_str(c, ps, sizeof(ps)),
		     SSL_get_version(c->ssl));
		return 0;
	}
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		c->want_write = false;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		c->want_write = true;
		return -EAGAIN;
	default:
		c->t->st.tls_fail++;
		LOGW("TLS handshake with %s failed: %s",
		     peer_str(c, ps, sizeof(ps)), sip_tls_err(eb, sizeof(eb)));
		conn_close_failed(c, -ECONNRESET);
		return -ECONNRESET;
	}
}

/* Raw I/O: bytes moved, 0 at the peer's end of stream, or -EAGAIN, or
 * another negative errno. */
static ssize_t conn_rd(struct sip_conn *c, void *p, size_t n)
{
	ssize_t r;

	if (!c->ssl) {
		r = read(c->fd, p, n);
		return r >= 0 ? r : (errno == EAGAIN || errno == EINTR) ?
					    -EAGAIN : -errno;
	}
	r = SSL_read(c->ssl, p, (int)n);
	if (r > 0)
		return r;
	switch (SSL_get_error(c->ssl, (int)r)) {
	case SSL_ERROR_WANT_READ:
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		c->want_write = true;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		ERR_clear_error();
		return -EPROTO;
	}
}

static ssize_t conn_wr(struct sip_conn *c, const void *p, size_t n)
{
	ssize_t r;

	if (!c->ssl) {
		r = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		return r >= 0 ? r : (errno == EAGAIN || errno == EINTR) ?
					    -EAGAIN : -errno;
	}
	r = SSL_write(c->ssl, p, (int)(n > INT32_MAX ? INT32_MAX : n));
	if (r > 0)
		return r;
	switch (SSL_get_error(c->ssl, (int)r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return -EAGAIN;
	default:
		ERR_clear_error();
		return -EPIPE;
	}
}

/* Write what is queued. 0, or a negative errno when the connection was
 * closed. */
static int conn_flush(struct sip_conn *c)
{
	c->want_write = false;
	while (c->tx.len) {
		ssize_t r = conn_wr(c, c->tx.data, c->tx.len);

		if (r == -EAGAIN) {
			c->want_write = true;
			return 0;
		}
		if (r <= 0) {
			conn_fail(c, "write", r ? (int)r : -EPIPE);
			return -ECONNRESET;
		}
		buf_consume(&c->tx, (size_t)r);
	}
	return 0;
}

static int conn_queue(struct sip_conn *c, const void *data, size_t len)
{
	int err = buf_append(&c->tx, data, len);

	if (err)
		return err;
	if (!c->connecting && !c->handshaking) {
		err = conn_flush(c);
		if (err)
			return err;
	}
	conn_update(c);
	return 0;
}

static void conn_update(struct sip_conn *c)
{
	uint32_t ev = EPOLLIN;

	if (!sip_conn_alive(c))
		return;
	if (c->connecting || c->want_write || c->tx.len)
		ev |= EPOLLOUT;
	loop_fd_mod(c->t->loop, c->fd, ev);
}

/* Cut whole messages out of the receive buffer and hand them up. 0, or
 * -ECONNRESET when the connection was closed meanwhile. */
static int conn_frames(struct sip_conn *c)
{
	struct sip_transp *t = c->t;
	struct sip_src src = { .tp = c->tp, .src = c->peer, .local = c->local,
			       .conn = c };
	size_t off = 0;
	char ps[SA_STRLEN];

	for (;;) {
		struct sip_frame f;
		int r = sip_frame_next(c->rx.data + off, c->rx.len - off,
				       t->p.max_msg, &f);

		for (unsigned i = 0; i < f.pings; i++) {
			t->st.pings++;
			if (conn_queue(c, "\r\n", 2))
				return -ECONNRESET;
		}
		off += f.skip;
		if (r == -EAGAIN)
			break;
		if (r) {
			LOGE("%s %s: %s, closing the connection",
			     sip_tp_name(c->tp), peer_str(c, ps, sizeof(ps)),
			     r == -EMSGSIZE ? "message over max_message" :
					      "framing error (Content-Length)");
			t->st.frame_err++;
			sip_conn_close(c);
			return -ECONNRESET;
		}
		sip_transp_input(t, c->rx.data + off, f.len, SIP_PARSE_STREAM,
				 &src);
		if (!sip_conn_alive(c))
			return -ECONNRESET;
		off += f.len;
	}
	buf_consume(&c->rx, off);
	return 0;
}

static void conn_read(struct sip_conn *c)
{
	for (;;) {
		ssize_t r;

		if (buf_reserve(&c->rx, READ_CHUNK)) {
			conn_fail(c, "receive buffer", -ENOBUFS);
			return;
		}
		r = conn_rd(c, c->rx.data + c->rx.len, READ_CHUNK);
		if (r == -EAGAIN)
			return;
		if (r <= 0) {
			conn_fail(c, r ? "read" : "closed by peer",
				  r ? (int)r : -ECONNRESET);
			return;
		}
		c->rx.len += (size_t)r;
		c->t->st.rx_bytes += (size_t)r;
		conn_touch(c);
		if (conn_frames(c))
			return;
	}
}

static void conn_event(int fd, uint32_t events, void *arg)
{
	struct sip_conn *c = mem_ref(arg);

	(void)fd;
	if (c->connecting) {
		int e = 0;
		socklen_t el = sizeof(e), ll = sizeof(c->local.u);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			goto out;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) || e) {
			conn_fail(c, "connect", e ? e : errno);
			goto out;
		}
		c->connecting = false;
		if (!getsockname(c->fd, &c->local.u.sa, &ll))
			c->local.len = ll;
	}
	if (c->handshaking && tls_handshake(c))
		goto out;
	/* TLS may hold decrypted bytes or need to read to write: try both */
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP) || c->ssl)
		conn_read(c);
	if (sip_conn_alive(c) && conn_flush(c))
		goto out;
out:
	conn_update(c);
	mem_deref(c);
}

static struct sip_conn *conn_new(struct sip_transp *t, enum sip_tp tp,
				 int fd, bool server, const struct sa *peer)
{
	struct sip_conn *c = mem_zalloc(sizeof(*c), conn_destroy);
	socklen_t ll = sizeof(struct sockaddr_storage);
	int one = 1;

	if (!c) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->tp = tp;
	c->server = server;
	c->peer = *peer;
	tmr_init(&c->idle);
	/* a message in progress fits, plus one read */
	c->rx.max = t->p.max_msg + READ_CHUNK + 4;
	c->tx.max = t->p.max_msg * 16;
	if (!getsockname(fd, &c->local.u.sa, &ll))
		c->local.len = ll;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (tp == SIP_TP_TLS) {
		c->ssl = sip_tls_ssl(t->tls, fd, server);
		c->handshaking = true;
		if (!c->ssl)
			goto fail;
	}
	if (loop_fd_add(t->loop, fd, EPOLLIN, conn_event, c))
		goto fail;
	c->t = t;
	list_append(&t->conns, &c->le, c);
	t->st.conns++;
	t->st.conns_total++;
	conn_touch(c);
	return c;
fail:
	mem_deref(c);
	return NULL;
}

static void lsnr_accept(int fd, uint32_t events, void *arg)
{
	struct sip_lsnr *l = arg;
	struct sip_transp *t = l->t;

	(void)events;
	for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
		struct sa peer = { 0 };
		socklen_t pl = sizeof(peer.u);
		struct sip_conn *c;
		int cfd = accept4(fd, &peer.u.sa, &pl,
				  SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				LOGW("accept on %s: %s", sip_tp_name(l->tp),
				     strerror(errno));
			return;
		}
		peer.len = pl;
		if (t->conns.n >= t->p.max_conns) {
			t->st.conns_refused++;
			close(cfd);
			continue;
		}
		c = conn_new(t, l->tp, cfd, true, &peer);
		/* the TLS server speaks second: nothing to do until the
		 * ClientHello arrives */
		if (c)
			conn_update(c);
	}
}

int sip_stream_listen(struct sip_transp *t, struct sip_lsnr *l)
{
	int af = sa_af(&l->addr), one = 1, err;
	socklen_t len = sizeof(l->addr.u);

	l->fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return -errno;
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (af == AF_INET6)
		setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(l->fd, &l->addr.u.sa, l->addr.len) || listen(l->fd, 256) ||
	    getsockname(l->fd, &l->addr.u.sa, &len)) {
		err = -errno;
		goto out;
	}
	l->addr.len = len;
	err = loop_fd_add(t->loop, l->fd, EPOLLIN, lsnr_accept, l);
	if (err)
		goto out;
	return 0;
out:
	close(l->fd);
	l->fd = -1;
	return err;
}

static struct sip_conn *conn_find(struct sip_transp *t, enum sip_tp tp,
				  const struct sa *dst)
{
	for (struct le *e = t->conns.head; e; e = e->next) {
		struct sip_conn *c = e->data;

		if (c->tp == tp && sa_eq(&c->peer, dst))
			return c;
	}
	return NULL;
}

static struct sip_conn *conn_connect(struct sip_transp *t, enum sip_tp tp,
				     const struct sa *dst, int *errp)
{
	struct sip_conn *c;
	int fd;

	if (t->conns.n >= t->p.max_conns) {
		*errp = -EMFILE;
		return NULL;
	}
	if (tp == SIP_TP_TLS && !t->tls) {
		struct sip_tls_params tp_ = { .ca = t->ca,
					      .verify = t->p.tls_verify };

		*errp = sip_tls_new(&t->tls, &tp_);
		if (*errp)
			return NULL;
	}
	fd = socket(sa_af(dst), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*errp = -errno;
		return NULL;
	}
	if (connect(fd, &dst->u.sa, dst->len) && errno != EINPROGRESS) {
		*errp = -errno;
		close(fd);
		return NULL;
	}
	c = conn_new(t, tp, fd, false, dst);
	if (!c) {
		*errp = -ENOMEM;
		return NULL;
	}
	c->connecting = true;
	conn_update(c);
	return c;
}

int sip_stream_send(struct sip_transp *t, enum sip_tp tp,
		    const struct sa *dst, struct sip_conn *conn,
		    const void *data, size_t len)
{
	int err = 0;

	if (!sip_conn_alive(conn) || conn->t != t || conn->tp != tp) {
		if (!dst || !dst->len)
			return -ENOTCONN;
		conn = conn_find(t, tp, dst);
		if (!conn)
			conn = conn_connect(t, tp, dst, &err);
		if (!conn)
			return err;
	}
	if (len > conn->tx.max - conn->tx.len)
		return -EMSGSIZE;
	conn_touch(conn);
	return conn_queue(conn, data, len);
}
