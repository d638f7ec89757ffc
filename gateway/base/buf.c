// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int buf_reserve(struct buf *b, size_t extra)
{
	size_t max = b->max ? b->max : BUF_MAX_DEFAULT;
	size_t need, nsize;
	uint8_t *d;

	if (extra > max || b->len > max - extra)
		return -EMSGSIZE;
	need = b->len + extra;
	if (need <= b->size)
		return 0;
	nsize = b->size ? b->size : 256;
	while (nsize < need)
		nsize *= 2;
	if (nsize > max)
		nsize = max;
	d = realloc(b->data, nsize);
	if (!d)
		return -ENOMEM;
	b->data = d;
	b->size = nsize;
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	int err;

	if (!n)
		return 0;
	err = buf_reserve(b, n);
	if (err)
		return err;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n, err;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return -EINVAL;
	/* +1 for vsnprintf's NUL, not counted in len */
	err = buf_reserve(b, (size_t)n + 1);
	if (err)
		return err;
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

const char *buf_cstr(struct buf *b)
{
	static char empty[1];

	if (buf_reserve(b, 1))
		return empty;
	b->data[b->len] = '\0';
	return (const char *)b->data;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}
