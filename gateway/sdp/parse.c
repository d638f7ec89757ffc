// SPDX-License-Identifier: GPL-2.0
/*
 * SDP parser: splits the body into lines, checks the order of RFC 8866 5
 * (v, o, s, session lines, then m= blocks) and fills the model. Every
 * field read is bounded by the line's view; nothing reads past it.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "../base/mem.h"
#include "priv.h"

/* Where the next line must come from in the RFC 8866 order. */
enum pstate { P_V, P_O, P_S, P_SESS, P_MEDIA };

struct pctx {
	struct sdp_session *s;
	struct sdp_media *m; /* current media block or NULL */
	enum pstate st;
	bool have_t;
};

static bool is_tokc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '/' || c == '+' || c == '!' || c == '#' || c == '$' ||
	       c == '%' || c == '&' || c == '\'' || c == '*' || c == '^' ||
	       c == '`' || c == '{' || c == '|' || c == '}' || c == '~';
}

static bool is_token(struct strv v)
{
	if (!v.l)
		return false;
	for (size_t i = 0; i < v.l; i++)
		if (!is_tokc(v.p[i]))
			return false;
	return true;
}

static bool is_digits(struct strv v)
{
	if (!v.l)
		return false;
	for (size_t i = 0; i < v.l; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
	return true;
}

/* A host name is letters, digits, dots and hyphens (RFC 8866 9, FQDN). */
static bool is_fqdn(struct strv v)
{
	if (!v.l || v.l > 255)
		return false;
	for (size_t i = 0; i < v.l; i++) {
		char c = v.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	}
	return true;
}

const char *sdp_conn_parse(struct sdp_conn *c, struct strv v)
{
	struct strv net, type, addr, ttl;
	char ip[INET6_ADDRSTRLEN + 1];

	memset(c, 0, sizeof(*c));
	if (!sdp_tok(&v, &net) || !sdp_tok(&v, &type) ||
	    !sdp_tok(&v, &addr) || sdp_tok(&v, &ttl))
		return "connection needs three fields";
	if (!strv_eq(net, STRV("IN")))
		return "connection network type is not IN";
	if (strv_eq(type, STRV("IP4")))
		c->af = AF_INET;
	else if (strv_eq(type, STRV("IP6")))
		c->af = AF_INET6;
	else
		return "connection address type is not IP4 or IP6";
	/* multicast "/ttl/count" suffix: kept out of the address */
	if (sdp_split(addr, '/', &addr, &ttl)) {
		if (sdp_split(ttl, '/', &ttl, &net) && !is_digits(net))
			return "bad multicast suffix";
		if (!is_digits(ttl))
			return "bad multicast suffix";
	}
	if (!addr.l)
		return "empty connection address";
	c->addr = addr;
	c->set = true;
	if (strv_copy(addr, ip, sizeof(ip)) == 0 &&
	    sa_set_ip(&c->sa, ip, 0) == 0) {
		if (sa_af(&c->sa) != c->af)
			return "address does not match its type";
		return NULL;
	}
	memset(&c->sa, 0, sizeof(c->sa));
	if (!is_fqdn(addr))
		return "bad connection address";
	return NULL;
}

static const char *parse_origin(struct sdp_session *s, struct strv v)
{
	struct strv user, id, ver;
	uint64_t n;

	if (!sdp_tok(&v, &user) || !sdp_tok(&v, &id) || !sdp_tok(&v, &ver))
		return "o= needs six fields";
	if (!is_digits(id) || id.l > 32)
		return "bad o= session id";
	if (strv_u64(ver, UINT64_MAX, &n))
		return "bad o= version";
	s->origin.user = user;
	s->origin.sess_id = id;
	s->origin.version = n;
	return sdp_conn_parse(&s->origin.addr, v);
}

static const char *parse_bw(struct sdp_bw *bw, unsigned *n, struct strv v)
{
	struct strv type, val;
	uint64_t k;

	if (*n >= SDP_MAX_BW)
		return "too many b= lines";
	if (!sdp_split(v, ':', &type, &val) || !is_token(type) ||
	    strv_u64(val, UINT32_MAX, &k))
		return "bad b= line";
	bw[*n].type = type;
	bw[*n].kbps = (uint32_t)k;
	(*n)++;
	return NULL;
}

/* RTP profiles carry payload type numbers as formats (RFC 3551). */
static bool proto_is_rtp(struct strv proto)
{
	return proto.l >= 4 && !memcmp(proto.p, "RTP/", 4);
}

static const char *parse_media(struct pctx *c, struct strv v)
{
	struct sdp_session *s = c->s;
	struct strv type, port, proto, f, np;
	struct sdp_media *m;
	uint64_t n;

	if (s->nmedia >= SDP_MAX_MEDIA)
		return "too many m= lines";
	m = &s->media[s->nmedia];
	if (!sdp_tok(&v, &type) || !sdp_tok(&v, &port) ||
	    !sdp_tok(&v, &proto))
		return "m= needs type, port, proto and formats";
	if (!is_token(type) || !is_token(proto))
		return "bad m= type or proto";
	m->nports = 1;
	if (sdp_split(port, '/', &port, &np)) {
		if (strv_u64(np, 65535, &n) || !n)
			return "bad m= port count";
		m->nports = (uint16_t)n;
	}
	if (strv_u64(port, 65535, &n))
		return "bad m= port";
	m->port = (uint16_t)n;
	m->type = type;
	m->proto = proto;
	while (sdp_tok(&v, &f)) {
		if (m->nfmt >= SDP_MAX_FMT)
			return "too many formats";
		if (proto_is_rtp(proto) ? strv_u64(f, 127, &n) != 0 :
					  !is_token(f))
			return "bad m= format";
		m->fmt[m->nfmt++] = f;
	}
	if (!m->nfmt)
		return "m= without formats";
	s->nmedia++;
	c->m = m;
	return NULL;
}

static const char *parse_attr(struct pctx *c, struct strv v)
{
	struct sdp_attr a = { .name = v, .value = STRV_NULL };
	struct sdp_attr *tab = c->m ? c->m->attr : c->s->attr;
	unsigned *n = c->m ? &c->m->nattr : &c->s->nattr;

	if (*n >= SDP_MAX_ATTR)
		return "too many attributes";
	sdp_split(v, ':', &a.name, &a.value);
	if (!is_token(a.name))
		return "bad attribute name";
	tab[(*n)++] = a;
	return sdp_attr_typed(c->s, c->m, &a);
}

/* One line, in the order RFC 8866 5 prescribes. */
static const char *parse_line(struct pctx *c, char k, struct strv v)
{
	struct sdp_session *s = c->s;

	switch (c->st) {
	case P_V:
		if (k != 'v')
			return "first line is not v=";
		if (!strv_eq(v, STRV("0")))
			return "version is not 0";
		c->st = P_O;
		return NULL;
	case P_O:
		if (k != 'o')
			return "second line is not o=";
		c->st = P_S;
		return parse_origin(s, v);
	case P_S:
		if (k != 's')
			return "third line is not s=";
		s->name = v;
		c->st = P_SESS;
		return NULL;
	case P_SESS:
		switch (k) {
		case 'i':
			s->info = v;
			return NULL;
		case 'c':
			if (s->conn.set)
				return "two session c= lines";
			return sdp_conn_parse(&s->conn, v);
		case 'b':
			return parse_bw(s->bw, &s->nbw, v);
		case 't':
			/* several t= are legal; the gateway keeps the first */
			if (!c->have_t)
				s->times = v;
			c->have_t = true;
			return NULL;
		case 'u': case 'e': case 'p': case 'r': case 'z': case 'k':
			return NULL;
		case 'a':
			return parse_attr(c, v);
		case 'm':
			if (!c->have_t)
				return "no t= before m=";
			c->st = P_MEDIA;
			return parse_media(c, v);
		default:
			return "unexpected line type";
		}
	case P_MEDIA:
		switch (k) {
		case 'm':
			return parse_media(c, v);
		case 'i':
			c->m->info = v;
			return NULL;
		case 'c':
			if (c->m->conn.set)
				return "two c= lines in one media";
			return sdp_conn_parse(&c->m->conn, v);
		case 'b':
			return parse_bw(c->m->bw, &c->m->nbw, v);
		case 'k':
			return NULL;
		case 'a':
			return parse_attr(c, v);
		default:
			return "unexpected line type in media";
		}
	}
	return "bad parser state";
}

/* Checks that need the whole description. */
static const char *check_session(struct pctx *c)
{
	struct sdp_session *s = c->s;

	if (c->st == P_V || c->st == P_O || c->st == P_S)
		return "truncated before s=";
	if (!c->have_t)
		return "no t= line";
	for (unsigned i = 0; i < s->nmedia; i++) {
		const struct sdp_media *m = &s->media[i];

		if (m->port && !sdp_media_conn(s, m)->set)
			return "media without a connection address";
	}
	return NULL;
}

static bool bad_char(char ch)
{
	unsigned char u = (unsigned char)ch;

	return (u < 0x20 && u != '\t') || u == 0x7f;
}

int sdp_parse(struct sdp_session **sp, const char *body, size_t len,
	      struct sdp_perr *err)
{
	struct pctx c = { 0 };
	const char *why = NULL;
	unsigned lineno = 0;
	size_t pos = 0;
	int ret;

	if (len > SDP_MAX_SIZE) {
		why = "body too large";
		ret = -EBADMSG;
		goto out;
	}
	if (!len) {
		why = "empty body";
		ret = -EBADMSG;
		goto out;
	}
	ret = sdp_session_alloc(&c.s);
	if (ret)
		goto out;
	memcpy(c.s->arena, body, len);
	c.s->used = len;
	while (pos < len && !why) {
		const char *p = c.s->arena + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - p) : len - pos;

		pos += l + (nl ? 1 : 0);
		lineno++;
		if (l && p[l - 1] == '\r')
			l--;
		if (!l) {
			/* blank lines are tolerated only at the very end */
			while (pos < len && (c.s->arena[pos] == '\r' ||
					     c.s->arena[pos] == '\n'))
				pos++;
			if (pos < len)
				why = "empty line";
			break;
		}
		if (l < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z') {
			why = "line is not x=value";
			break;
		}
		for (size_t i = 2; i < l && !why; i++)
			if (bad_char(p[i]))
				why = "control character in line";
		if (!why)
			why = parse_line(&c, p[0],
					 (struct strv){ p + 2, l - 2 });
	}
	if (!why) {
		lineno = 0;
		why = check_session(&c);
	}
	if (why) {
		ret = -EBADMSG;
		goto out;
	}
	*sp = c.s;
	c.s = NULL;
out:
	mem_deref(c.s);
	if (err) {
		err->reason = why;
		err->line = why ? lineno : 0;
	}
	return ret;
}
