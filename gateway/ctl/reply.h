/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control replies. A command handler builds one tree of keyed values
 * (objects, lists, strings, integers, booleans); the tree is rendered as
 * JSON (trunklinectl -j) or as text, so both modes share the handler's
 * code. Text rendering: scalars as "key: value", nested objects indented,
 * a list of objects as a table with a column per key.
 */
#ifndef TL_CTL_REPLY_H
#define TL_CTL_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"

struct ctl_reply;

struct ctl_reply *ctl_reply_new(void);

/* @key is NULL for items inside a list. */
void ctl_put_str(struct ctl_reply *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ctl_put_int(struct ctl_reply *r, const char *key, int64_t v);
void ctl_put_bool(struct ctl_reply *r, const char *key, bool v);
void ctl_obj_begin(struct ctl_reply *r, const char *key);
void ctl_obj_end(struct ctl_reply *r);
void ctl_list_begin(struct ctl_reply *r, const char *key);
void ctl_list_end(struct ctl_reply *r);

/* Mark the reply as failed with a message; returns -EINVAL so a handler
 * can "return ctl_fail(r, ...);". */
int ctl_fail(struct ctl_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool ctl_failed(const struct ctl_reply *r);
const char *ctl_error(const struct ctl_reply *r);

/* Render the tree (or the error) into @out. */
int ctl_render(struct ctl_reply *r, bool json, struct buf *out);

/* Append @s as a JSON string literal (quoted, escaped, valid UTF-8). */
int ctl_json_str(struct buf *out, const char *s);

#endif
