/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to the config parser: typed values and the conf's arena. */
#ifndef TL_CTL_CONF_VALUE_H
#define TL_CTL_CONF_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

void *conf_arena_alloc(struct conf *c, size_t n);
char *conf_arena_strndup(struct conf *c, const char *s, size_t n);

/* Parse @val as @kw's type into @field (strings go to @c's arena). For a
 * CONF_STRLIST the items are appended. On error the reason is in @why. */
int conf_value_set(struct conf *c, const struct conf_kw *kw, void *field,
		   const char *val, char *why, size_t whylen);
bool conf_value_eq(const struct conf_kw *kw, const void *a, const void *b);
/* Copy @src (of another conf) into @dst, duplicating strings into @c. */
int conf_value_copy(struct conf *c, const struct conf_kw *kw, void *dst,
		    const void *src);
/* Print a value in config syntax (for "show config"-like output). */
int conf_value_str(const struct conf_kw *kw, const void *field, char *out,
		   size_t n);

#endif
