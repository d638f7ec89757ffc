// SPDX-License-Identifier: GPL-2.0
/* Reason header (RFC 3326) parser and printer. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "reason.h"

/* A read position in the header value; every read checks p < end. */
struct cur {
	const char *p, *end;
};

static bool is_tokenc(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c && strchr("-.!%*_+`'~", c);
}

static bool at(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

/* LWS: white space, or a folded line (CRLF followed by white space). */
static void skip_lws(struct cur *c)
{
	while (c->p < c->end) {
		if (*c->p == ' ' || *c->p == '\t')
			c->p++;
		else if (c->end - c->p >= 3 && c->p[0] == '\r' &&
			 c->p[1] == '\n' && (c->p[2] == ' ' || c->p[2] == '\t'))
			c->p += 3;
		else
			break;
	}
}

static int token(struct cur *c, struct strv *out)
{
	const char *s = c->p;

	while (c->p < c->end && is_tokenc((unsigned char)*c->p))
		c->p++;
	if (c->p == s)
		return -EBADMSG;
	*out = (struct strv){s, (size_t)(c->p - s)};
	return 0;
}

/* Length of the UTF-8 sequence at @p (lead byte >= 0x80), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms and values past U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

/* quoted-string; @out gets the inside, escapes kept. */
static int quoted(struct cur *c, struct strv *out)
{
	const char *s;

	if (!at(c, '"'))
		return -EBADMSG;
	s = ++c->p;
	for (;;) {
		unsigned char ch;

		if (c->p >= c->end)
			return -EBADMSG;
		ch = (unsigned char)*c->p;
		if (ch == '"')
			break;
		if (ch == '\\') {
			if (c->end - c->p < 2)
				return -EBADMSG;
			ch = (unsigned char)c->p[1];
			if (ch > 0x7f || ch == '\r' || ch == '\n')
				return -EBADMSG;
			c->p += 2;
		} else if (ch >= 0x80) {
			size_t n = utf8_len((const unsigned char *)c->p,
					    (size_t)(c->end - c->p));

			if (!n)
				return -EBADMSG;
			c->p += n;
		} else if (ch == '\r') {
			const char *was = c->p;

			skip_lws(c);
			if (c->p == was)
				return -EBADMSG;
		} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			return -EBADMSG;
		} else {
			c->p++;
		}
	}
	*out = (struct strv){s, (size_t)(c->p - s)};
	c->p++;
	return 0;
}

/* gen-value = token / host / quoted-string; a host is a token or an
 * IPv6 reference. */
static int gen_value(struct cur *c)
{
	struct strv v;

	if (at(c, '"'))
		return quoted(c, &v);
	if (at(c, '[')) {
		c->p++;
		while (c->p < c->end && (*c->p == ':' || *c->p == '.' ||
					 (*c->p >= '0' && *c->p <= '9') ||
					 (*c->p >= 'a' && *c->p <= 'f') ||
					 (*c->p >= 'A' && *c->p <= 'F')))
			c->p++;
		if (!at(c, ']'))
			return -EBADMSG;
		c->p++;
		return 0;
	}
	return token(c, &v);
}

static int cause_value(struct cur *c, unsigned *out)
{
	uint64_t v = 0;
	struct strv t;

	if (token(c, &t) || t.l > 9)
		return -EBADMSG;
	for (size_t i = 0; i < t.l; i++) {
		if (t.p[i] < '0' || t.p[i] > '9')
			return -EBADMSG;
		v = v * 10 + (unsigned)(t.p[i] - '0');
	}
	*out = (unsigned)v;
	return 0;
}

static int param(struct cur *c, struct call_reason *r)
{
	struct strv name;
	bool is_cause, is_text;
	int err;

	skip_lws(c);
	err = token(c, &name);
	if (err)
		return err;
	is_cause = strv_caseeq_str(name, "cause");
	is_text = strv_caseeq_str(name, "text");
	skip_lws(c);
	if (!at(c, '='))
		return is_cause || is_text ? -EBADMSG : 0;
	c->p++;
	skip_lws(c);
	if (is_cause) {
		if (r->has_cause)
			return -EBADMSG;
		r->has_cause = true;
		return cause_value(c, &r->cause);
	}
	if (is_text) {
		if (strv_isset(r->text))
			return -EBADMSG;
		return quoted(c, &r->text);
	}
	return gen_value(c);
}

static bool cause_ok(const struct call_reason *r)
{
	if (!r->has_cause)
		return true;
	switch (r->proto) {
	case CALL_REASON_SIP:
		return r->cause >= 100 && r->cause <= 699;
	case CALL_REASON_Q850:
		return r->cause <= 127;
	default:
		return true;
	}
}

static int value(struct cur *c, struct call_reason *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = token(c, &r->proto_name);
	if (err)
		return err;
	if (strv_caseeq_str(r->proto_name, "SIP"))
		r->proto = CALL_REASON_SIP;
	else if (strv_caseeq_str(r->proto_name, "Q.850"))
		r->proto = CALL_REASON_Q850;
	skip_lws(c);
	while (at(c, ';')) {
		c->p++;
		err = param(c, r);
		if (err)
			return err;
		skip_lws(c);
	}
	return cause_ok(r) ? 0 : -EBADMSG;
}

int call_reason_parse(struct call_reason_list *rl, struct strv hv)
{
	struct cur c = {hv.p, hv.p + hv.l};
	int err;

	rl->n = 0;
	if (!hv.p)
		return -EBADMSG;
	skip_lws(&c);
	for (;;) {
		if (rl->n == CALL_REASON_MAX)
			return -E2BIG;
		err = value(&c, &rl->v[rl->n]);
		if (err)
			goto err;
		rl->n++;
		if (c.p == c.end)
			return 0;
		if (!at(&c, ',')) {
			err = -EBADMSG;
			goto err;
		}
		c.p++;
		skip_lws(&c);
	}
err:
	rl->n = 0;
	return err;
}

const struct call_reason *call_reason_find(const struct call_reason_list *rl,
					   enum call_reason_proto proto)
{
	for (size_t i = 0; i < rl->n; i++)
		if (rl->v[i].proto == proto && rl->v[i].has_cause)
			return &rl->v[i];
	return NULL;
}

int call_reason_text(const struct call_reason *r, char *out, size_t n)
{
	size_t w = 0;

	if (!n)
		return -ENOSPC;
	for (size_t i = 0; r->text.p && i < r->text.l; i++) {
		char ch = r->text.p[i];

		/* the parser saw to it that a '\' is never last */
		if (ch == '\\' && i + 1 < r->text.l)
			ch = r->text.p[++i];
		if (w + 1 >= n) {
			out[w] = '\0';
			return -ENOSPC;
		}
		out[w++] = ch;
	}
	out[w] = '\0';
	return 0;
}

int call_reason_print(struct buf *b, const char *proto, unsigned cause,
		      const char *text)
{
	int err;

	if (!proto || !*proto)
		return -EINVAL;
	for (const char *p = proto; *p; p++)
		if (!is_tokenc((unsigned char)*p))
			return -EINVAL;
	err = buf_printf(b, "%s;cause=%u", proto, cause);
	if (err || !text)
		return err;
	err = buf_puts(b, ";text=\"");
	for (const unsigned char *p = (const unsigned char *)text; !err && *p;
	     p++) {
		size_t u;

		if (*p >= 0x80) {
			/* whole UTF-8 characters only: a stray byte would
			 * make the header unparsable */
			u = utf8_len(p, strlen((const char *)p));
			if (u)
				err = buf_append(b, p, u);
			p += u ? u - 1 : 0;
			continue;
		}
		if (*p == '"' || *p == '\\')
			err = buf_putc(b, '\\');
		if (!err && (*p >= 0x20 || *p == '\t') && *p != 0x7f)
			err = buf_putc(b, (char)*p);
	}
	return err ? err : buf_putc(b, '"');
}

int call_reason_print_list(struct buf *b, const struct call_reason_list *rl)
{
	int err = 0;

	for (size_t i = 0; !err && i < rl->n; i++) {
		const struct call_reason *r = &rl->v[i];

		if (i)
			err = buf_puts(b, ", ");
		if (!err)
			err = buf_append(b, r->proto_name.p, r->proto_name.l);
		if (!err && r->has_cause)
			err = buf_printf(b, ";cause=%u", r->cause);
		if (!err && strv_isset(r->text)) {
			err = buf_puts(b, ";text=\"");
			if (!err)
				err = buf_append(b, r->text.p, r->text.l);
			if (!err)
				err = buf_putc(b, '"');
		}
	}
	return err;
}
