/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growable byte buffer. Used for building replies and messages, and for
 * stream input framing. A buf is a plain struct (embed it or put it on the
 * stack); buf_free() releases its storage.
 */
#ifndef TL_BASE_BUF_H
#define TL_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;  /* bytes used */
	size_t size; /* bytes allocated */
	size_t max;  /* growth limit; 0 = BUF_MAX_DEFAULT */
};

#define BUF_MAX_DEFAULT (64u << 20)

/* Make room for @extra more bytes; -ENOMEM or -EMSGSIZE past the limit. */
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Remove the first @n bytes. */
void buf_consume(struct buf *b, size_t n);
/* NUL-terminate without counting the NUL in len; returns data as char *. */
const char *buf_cstr(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
