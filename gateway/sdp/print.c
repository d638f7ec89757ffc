// SPDX-License-Identifier: GPL-2.0
/*
 * SDP printer and the helpers that build a session description in memory.
 * The printer writes the generic model in RFC 8866 order; the typed fields
 * are derived data and never printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "../base/mem.h"
#include "priv.h"

int sdp_session_alloc(struct sdp_session **sp)
{
	struct sdp_session *s = mem_zalloc(sizeof(*s), NULL);

	if (!s)
		return -ENOMEM;
	*sp = s;
	return 0;
}

static int vstrf(struct sdp_session *s, struct strv *out, const char *fmt,
		 va_list ap)
{
	size_t room = sizeof(s->arena) - s->used;
	int n = vsnprintf(s->arena + s->used, room, fmt, ap);

	if (n < 0)
		return -EINVAL;
	/* keep the NUL inside the arena so the next string cannot clip it */
	if ((size_t)n >= room)
		return -ENOSPC;
	*out = (struct strv){ s->arena + s->used, (size_t)n };
	s->used += (size_t)n + 1;
	return 0;
}

int sdp_strf(struct sdp_session *s, struct strv *out, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vstrf(s, out, fmt, ap);
	va_end(ap);
	return err;
}

int sdp_media_add(struct sdp_session *s, struct sdp_media **mp,
		  const char *type, uint16_t port, const char *proto,
		  const char *fmts)
{
	struct sdp_media *m;
	struct strv list, f;
	int err;

	if (s->nmedia >= SDP_MAX_MEDIA)
		return -E2BIG;
	m = &s->media[s->nmedia];
	memset(m, 0, sizeof(*m));
	err = sdp_strf(s, &m->type, "%s", type);
	if (!err)
		err = sdp_strf(s, &m->proto, "%s", proto);
	if (!err)
		err = sdp_strf(s, &list, "%s", fmts);
	if (err)
		return err;
	while (sdp_tok(&list, &f)) {
		if (m->nfmt >= SDP_MAX_FMT)
			return -E2BIG;
		m->fmt[m->nfmt++] = f;
	}
	if (!m->nfmt)
		return -EINVAL;
	m->port = port;
	m->nports = 1;
	s->nmedia++;
	*mp = m;
	return 0;
}

int sdp_attr_add(struct sdp_session *s, struct sdp_media *m,
		 const char *name, const char *fmt, ...)
{
	struct sdp_attr *tab = m ? m->attr : s->attr;
	unsigned *n = m ? &m->nattr : &s->nattr;
	struct sdp_attr a = { .value = STRV_NULL };
	va_list ap;
	int err;

	if (*n >= SDP_MAX_ATTR)
		return -E2BIG;
	err = sdp_strf(s, &a.name, "%s", name);
	if (err || !fmt)
		goto out;
	va_start(ap, fmt);
	err = vstrf(s, &a.value, fmt, ap);
	va_end(ap);
out:
	if (!err)
		tab[(*n)++] = a;
	return err;
}

int sdp_conn_set(struct sdp_session *s, struct sdp_media *m, const char *ip)
{
	struct sdp_conn *c = m ? &m->conn : &s->conn;
	struct sdp_conn nc = { .set = true };
	int err;

	err = sa_set_ip(&nc.sa, ip, 0);
	if (err)
		return err;
	nc.af = sa_af(&nc.sa);
	err = sdp_strf(s, &nc.addr, "%s", ip);
	if (err)
		return err;
	*c = nc;
	return 0;
}

/* A view for "%.*s": never a NULL pointer, even for an unset field. */
#define SV(v) (int)(v).l, ((v).p ? (v).p : "")

static int put_sv(struct buf *b, struct strv v)
{
	return buf_append(b, v.p, v.l);
}

static int put_conn(struct buf *b, char k, const struct sdp_conn *c)
{
	if (!c->set)
		return 0;
	return buf_printf(b, "%c=IN %s %.*s\r\n", k,
			  c->af == AF_INET6 ? "IP6" : "IP4", SV(c->addr));
}

static int put_bw(struct buf *b, const struct sdp_bw *bw, unsigned n)
{
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++)
		err = buf_printf(b, "b=%.*s:%u\r\n", SV(bw[i].type),
				 bw[i].kbps);
	return err;
}

static int put_attrs(struct buf *b, const struct sdp_attr *a, unsigned n)
{
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++) {
		err = buf_puts(b, "a=");
		if (!err)
			err = put_sv(b, a[i].name);
		if (!err && strv_isset(a[i].value)) {
			err = buf_putc(b, ':');
			if (!err)
				err = put_sv(b, a[i].value);
		}
		if (!err)
			err = buf_puts(b, "\r\n");
	}
	return err;
}

static int put_media(struct buf *b, const struct sdp_media *m)
{
	int err;

	err = buf_printf(b, "m=%.*s %u", SV(m->type), m->port);
	if (!err && m->nports > 1)
		err = buf_printf(b, "/%u", m->nports);
	if (!err)
		err = buf_printf(b, " %.*s", SV(m->proto));
	for (unsigned i = 0; i < m->nfmt && !err; i++)
		err = buf_printf(b, " %.*s", SV(m->fmt[i]));
	if (!err)
		err = buf_puts(b, "\r\n");
	if (!err && m->info.p)
		err = buf_printf(b, "i=%.*s\r\n", SV(m->info));
	if (!err)
		err = put_conn(b, 'c', &m->conn);
	if (!err)
		err = put_bw(b, m->bw, m->nbw);
	if (!err)
		err = put_attrs(b, m->attr, m->nattr);
	return err;
}

int sdp_print(struct buf *b, const struct sdp_session *s)
{
	const struct sdp_origin *o = &s->origin;
	int err;

	err = buf_printf(b, "v=0\r\no=%.*s %.*s %llu IN %s %.*s\r\n",
			 SV(o->user), SV(o->sess_id),
			 (unsigned long long)o->version,
			 o->addr.af == AF_INET6 ? "IP6" : "IP4",
			 SV(o->addr.addr));
	if (!err)
		err = buf_printf(b, "s=%.*s\r\n", SV(s->name));
	if (!err && s->info.p)
		err = buf_printf(b, "i=%.*s\r\n", SV(s->info));
	if (!err)
		err = put_conn(b, 'c', &s->conn);
	if (!err)
		err = put_bw(b, s->bw, s->nbw);
	if (!err)
		err = buf_printf(b, "t=%.*s\r\n", SV(s->times));
	if (!err)
		err = put_attrs(b, s->attr, s->nattr);
	for (unsigned i = 0; i < s->nmedia && !err; i++)
		err = put_media(b, &s->media[i]);
	return err;
}
