// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "reply.h"

/* A runaway handler must not eat the daemon's memory. */
#define REPLY_MAX_NODES 200000

enum node_kind { N_OBJ, N_LIST, N_STR, N_INT, N_BOOL };

struct node {
	enum node_kind kind;
	char *key; /* owned; NULL in lists */
	char *str; /* owned (N_STR) */
	int64_t i;
	bool b;
	struct node *parent, *first, *last, *next;
};

struct ctl_reply {
	struct node root;
	struct node *cur;
	char *err; /* owned */
	size_t nnodes;
	bool broken; /* allocation failed or too many nodes */
};

static void node_free_children(struct node *n)
{
	struct node *c = n->first, *nx;

	while (c) {
		nx = c->next;
		node_free_children(c);
		free(c->key);
		free(c->str);
		free(c);
		c = nx;
	}
	n->first = n->last = NULL;
}

static void reply_destroy(void *arg)
{
	struct ctl_reply *r = arg;

	node_free_children(&r->root);
	free(r->err);
}

struct ctl_reply *ctl_reply_new(void)
{
	struct ctl_reply *r = mem_zalloc(sizeof(*r), reply_destroy);

	if (!r)
		return NULL;
	r->root.kind = N_OBJ;
	r->cur = &r->root;
	return r;
}

static struct node *add(struct ctl_reply *r, enum node_kind k, const char *key)
{
	struct node *n;

	if (r->broken)
		return NULL;
	if (++r->nnodes > REPLY_MAX_NODES)
		goto broken;
	n = calloc(1, sizeof(*n));
	if (!n)
		goto broken;
	/* keys only inside objects; values inside lists have none */
	if (key && r->cur->kind == N_OBJ) {
		n->key = strdup(key);
		if (!n->key) {
			free(n);
			goto broken;
		}
	}
	n->kind = k;
	n->parent = r->cur;
	if (r->cur->last)
		r->cur->last->next = n;
	else
		r->cur->first = n;
	r->cur->last = n;
	return n;
broken:
	r->broken = true;
	return NULL;
}

void ctl_put_str(struct ctl_reply *r, const char *key, const char *fmt, ...)
{
	struct node *n = add(r, N_STR, key);
	va_list ap;

	if (!n)
		return;
	va_start(ap, fmt);
	if (vasprintf(&n->str, fmt, ap) < 0) {
		n->str = NULL;
		r->broken = true;
	}
	va_end(ap);
}

void ctl_put_int(struct ctl_reply *r, const char *key, int64_t v)
{
	struct node *n = add(r, N_INT, key);

	if (n)
		n->i = v;
}

void ctl_put_bool(struct ctl_reply *r, const char *key, bool v)
{
	struct node *n = add(r, N_BOOL, key);

	if (n)
		n->b = v;
}

static void open_node(struct ctl_reply *r, enum node_kind k, const char *key)
{
	struct node *n = add(r, k, key);

	if (n)
		r->cur = n;
}

static void close_node(struct ctl_reply *r, enum node_kind k)
{
	if (!r->broken && r->cur != &r->root && r->cur->kind == k)
		r->cur = r->cur->parent;
}

void ctl_obj_begin(struct ctl_reply *r, const char *key)
{
	open_node(r, N_OBJ, key);
}

void ctl_obj_end(struct ctl_reply *r)
{
	close_node(r, N_OBJ);
}

void ctl_list_begin(struct ctl_reply *r, const char *key)
{
	open_node(r, N_LIST, key);
}

void ctl_list_end(struct ctl_reply *r)
{
	close_node(r, N_LIST);
}

int ctl_fail(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err)
		return -EINVAL; /* keep the first, most specific error */
	va_start(ap, fmt);
	if (vasprintf(&r->err, fmt, ap) < 0)
		r->err = NULL;
	va_end(ap);
	if (!r->err)
		r->broken = true;
	return -EINVAL;
}

bool ctl_failed(const struct ctl_reply *r)
{
	return r->err || r->broken;
}

const char *ctl_error(const struct ctl_reply *r)
{
	if (r->err)
		return r->err;
	return r->broken ? "reply too large or out of memory" : NULL;
}

/* --- JSON --------------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at @s, 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and out-of-range code points */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int ctl_json_str(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int err = buf_putc(out, '"');

	while (!err && *p) {
		size_t n;

		switch (*p) {
		case '"':
			err = buf_puts(out, "\\\"");
			break;
		case '\\':
			err = buf_puts(out, "\\\\");
			break;
		case '\n':
			err = buf_puts(out, "\\n");
			break;
		case '\r':
			err = buf_puts(out, "\\r");
			break;
		case '\t':
			err = buf_puts(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				err = buf_printf(out, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (!n) {
				err = buf_puts(out, "\\ufffd");
				break;
			}
			err = buf_append(out, p, n);
			p += n;
			continue;
		}
		p++;
	}
	return err ? err : buf_putc(out, '"');
}

static int json_node(const struct node *n, struct buf *out)
{
	const struct node *c;
	int err = 0;

	switch (n->kind) {
	case N_STR:
		return ctl_json_str(out, n->str ? n->str : "");
	case N_INT:
		return buf_printf(out, "%" PRId64, n->i);
	case N_BOOL:
		return buf_puts(out, n->b ? "true" : "false");
	case N_OBJ:
	case N_LIST:
		err = buf_putc(out, n->kind == N_OBJ ? '{' : '[');
		for (c = n->first; c && !err; c = c->next) {
			if (c != n->first)
				err = buf_putc(out, ',');
			if (!err && n->kind == N_OBJ) {
				err = ctl_json_str(out, c->key ? c->key : "");
				if (!err)
					err = buf_putc(out, ':');
			}
			if (!err)
				err = json_node(c, out);
		}
		return err ? err :
			     buf_putc(out, n->kind == N_OBJ ? '}' : ']');
	}
	return -EINVAL;
}

/* --- text --------------------------------------------------------------- */

static void scalar_text(const struct node *n, char *b, size_t len)
{
	switch (n->kind) {
	case N_STR:
		snprintf(b, len, "%s", n->str ? n->str : "");
		break;
	case N_INT:
		snprintf(b, len, "%" PRId64, n->i);
		break;
	case N_BOOL:
		snprintf(b, len, "%s", n->b ? "yes" : "no");
		break;
	default:
		snprintf(b, len, "-");
	}
}

static bool all_objects(const struct node *list)
{
	for (const struct node *c = list->first; c; c = c->next)
		if (c->kind != N_OBJ)
			return false;
	return list->first != NULL;
}

#define TABLE_MAX_COLS 32

/* One table cell, padded to @w unless it ends the line. */
static int cell_out(struct buf *out, const char *s, size_t w, bool last)
{
	if (last)
		return buf_printf(out, "%s\n", s);
	return buf_printf(out, "%-*s  ", (int)w, s);
}

/* A list of objects: one column per key (in order of first appearance). */
static int text_table(const struct node *list, struct buf *out, int ind)
{
	const char *cols[TABLE_MAX_COLS];
	size_t w[TABLE_MAX_COLS], ncols = 0;
	char cell[256];
	int err = 0;

	for (const struct node *row = list->first; row; row = row->next)
		for (const struct node *c = row->first; c; c = c->next) {
			size_t k;

			for (k = 0; k < ncols; k++)
				if (!strcmp(cols[k], c->key))
					break;
			if (k == ncols && ncols < TABLE_MAX_COLS) {
				cols[ncols] = c->key;
				w[ncols++] = strlen(c->key);
			}
		}
	for (const struct node *row = list->first; row; row = row->next)
		for (const struct node *c = row->first; c; c = c->next)
			for (size_t k = 0; k < ncols; k++)
				if (!strcmp(cols[k], c->key)) {
					scalar_text(c, cell, sizeof(cell));
					if (strlen(cell) > w[k])
						w[k] = strlen(cell);
				}
	err = buf_printf(out, "%*s", ind, "");
	for (size_t k = 0; k < ncols && !err; k++)
		err = cell_out(out, cols[k], w[k], k + 1 == ncols);
	for (const struct node *row = list->first; row && !err;
	     row = row->next) {
		err = buf_printf(out, "%*s", ind, "");
		for (size_t k = 0; k < ncols && !err; k++) {
			const struct node *c;

			for (c = row->first; c; c = c->next)
				if (!strcmp(cols[k], c->key))
					break;
			if (c)
				scalar_text(c, cell, sizeof(cell));
			else
				snprintf(cell, sizeof(cell), "-");
			err = cell_out(out, cell, w[k], k + 1 == ncols);
		}
	}
	return err;
}

static int text_obj(const struct node *obj, struct buf *out, int ind);

static int text_list(const struct node *l, struct buf *out, int ind)
{
	char cell[256];
	int err;

	if (!l->first)
		return buf_printf(out, "%*s%s: (none)\n", ind, "",
				  l->key ? l->key : "");
	if (all_objects(l)) {
		/* a top-level table needs no title */
		if (ind || l->parent->parent)
			err = buf_printf(out, "%*s%s:\n", ind, "", l->key);
		else
			err = 0;
		return err ? err : text_table(l, out, ind + (ind ? 2 : 0));
	}
	err = buf_printf(out, "%*s%s: ", ind, "", l->key ? l->key : "");
	for (const struct node *c = l->first; c && !err; c = c->next) {
		scalar_text(c, cell, sizeof(cell));
		err = buf_printf(out, "%s%s", cell, c->next ? ", " : "\n");
	}
	return err;
}

static int text_obj(const struct node *obj, struct buf *out, int ind)
{
	char cell[1024];
	int err = 0;

	for (const struct node *c = obj->first; c && !err; c = c->next) {
		switch (c->kind) {
		case N_OBJ:
			err = buf_printf(out, "%*s%s:\n", ind, "", c->key);
			if (!err)
				err = text_obj(c, out, ind + 2);
			break;
		case N_LIST:
			err = text_list(c, out, ind);
			break;
		default:
			scalar_text(c, cell, sizeof(cell));
			err = buf_printf(out, "%*s%s: %s\n", ind, "", c->key,
					 cell);
		}
	}
	return err;
}

int ctl_render(struct ctl_reply *r, bool json, struct buf *out)
{
	int err;

	if (ctl_failed(r)) {
		if (!json)
			return buf_printf(out, "error: %s\n", ctl_error(r));
		err = buf_puts(out, "{\"error\":");
		if (!err)
			err = ctl_json_str(out, ctl_error(r));
		return err ? err : buf_puts(out, "}\n");
	}
	if (json) {
		err = json_node(&r->root, out);
		return err ? err : buf_putc(out, '\n');
	}
	return text_obj(&r->root, out, 0);
}
