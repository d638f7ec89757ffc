/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String views: a pointer and a length into someone else's buffer. Parsers
 * of wire data hand these out instead of copies (zero-copy); a view borrows
 * the buffer and is valid only as long as the buffer is.
 */
#ifndef TL_BASE_STRV_H
#define TL_BASE_STRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strv {
	const char *p; /* borrowed */
	size_t l;
};

#define STRV(s) ((struct strv){ (s), sizeof(s) - 1 })
#define STRV_NULL ((struct strv){ NULL, 0 })

static inline struct strv strv_of(const char *s)
{
	return (struct strv){ s, s ? strlen(s) : 0 };
}

static inline bool strv_isset(struct strv v)
{
	return v.p != NULL;
}

bool strv_eq(struct strv a, struct strv b);
/* ASCII case-insensitive comparison. */
bool strv_caseeq(struct strv a, struct strv b);
bool strv_caseeq_str(struct strv a, const char *s);
/* Strip leading and trailing SP / HTAB / CR / LF. */
struct strv strv_trim(struct strv v);
/* Decimal unsigned number, whole view, no sign; -EINVAL or -ERANGE. */
int strv_u64(struct strv v, uint64_t max, uint64_t *out);
/* Copy into @dst (size @n, always NUL-terminated); -ENOSPC if cut. */
int strv_copy(struct strv v, char *dst, size_t n);

#endif
