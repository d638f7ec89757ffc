// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_value.h"

#define STRLIST_MAX 256

static int set_int(const struct conf_kw *kw, int64_t *f, const char *v,
		   char *why, size_t n)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (!*v || *end || errno) {
		snprintf(why, n, "\"%s\" is not a whole number", v);
		return -EINVAL;
	}
	if (x < kw->min || x > kw->max) {
		snprintf(why, n, "%lld is out of range [%" PRId64 ", %" PRId64
			 "]", x, kw->min, kw->max);
		return -ERANGE;
	}
	*f = x;
	return 0;
}

static int set_bool(bool *f, const char *v, char *why, size_t n)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i])) {
			*f = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*f = false;
			return 0;
		}
	}
	snprintf(why, n, "\"%s\" is not yes/no, true/false, on/off or 1/0", v);
	return -EINVAL;
}

static int set_enum(const struct conf_kw *kw, int *f, const char *v,
		    char *why, size_t n)
{
	size_t used;

	for (int i = 0; kw->names[i]; i++)
		if (!strcmp(v, kw->names[i])) {
			*f = i;
			return 0;
		}
	used = (size_t)snprintf(why, n, "\"%s\" is not one of:", v);
	for (int i = 0; kw->names[i] && used < n; i++)
		used += (size_t)snprintf(why + used, n - used, "%s %s",
					 i ? "," : "", kw->names[i]);
	return -EINVAL;
}

static int set_ms(const struct conf_kw *kw, uint64_t *f, const char *v,
		  char *why, size_t n)
{
	unsigned long long x;
	uint64_t mul;
	char *end;

	errno = 0;
	if (*v < '0' || *v > '9')
		goto bad;
	x = strtoull(v, &end, 10);
	if (errno)
		goto bad;
	if (!strcmp(end, "ms") || (!*end && x == 0))
		mul = 1; /* "0" needs no unit */
	else if (!strcmp(end, "s"))
		mul = 1000;
	else if (!strcmp(end, "m"))
		mul = 60000;
	else if (!strcmp(end, "h"))
		mul = 3600000;
	else
		goto bad;
	if (x > UINT64_MAX / mul)
		goto bad;
	x *= mul;
	if ((int64_t)x < kw->min || (int64_t)x > kw->max) {
		snprintf(why, n, "%llums is out of range [%" PRId64
			 "ms, %" PRId64 "ms]", x, kw->min, kw->max);
		return -ERANGE;
	}
	*f = x;
	return 0;
bad:
	snprintf(why, n, "\"%s\" is not a duration (e.g. 250ms, 2s, 5m, 1h)",
		 v);
	return -EINVAL;
}

static int set_addr(const struct conf_kw *kw, struct sa *f, const char *v,
		    char *why, size_t n)
{
	if (sa_parse(f, v, (uint16_t)kw->min)) {
		snprintf(why, n, "\"%s\" is not a numeric address%s", v,
			 kw->min ? " (ip, ip:port, [ipv6]:port)" :
				   " with port (ip:port, [ipv6]:port)");
		return -EINVAL;
	}
	return 0;
}

static int strlist_add(struct conf *c, struct conf_strlist *l, const char *s,
		       size_t len, char *why, size_t n)
{
	char **nv;

	if (l->n >= STRLIST_MAX) {
		snprintf(why, n, "more than %d values", STRLIST_MAX);
		return -E2BIG;
	}
	/* the old array stays in the arena; lists are short and rare */
	nv = conf_arena_alloc(c, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (l->n)
		memcpy(nv, l->v, l->n * sizeof(*nv));
	nv[l->n] = conf_arena_strndup(c, s, len);
	if (!nv[l->n])
		return -ENOMEM;
	l->v = nv;
	l->n++;
	return 0;
}

static int set_strlist(struct conf *c, struct conf_strlist *l, const char *v,
		       char *why, size_t n)
{
	const char *p = v;

	/* "key =" (or an empty default) is the empty list */
	if (!*v)
		return 0;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int err;

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (!len) {
			snprintf(why, n, "empty item in list \"%s\"", v);
			return -EINVAL;
		}
		err = strlist_add(c, l, p, len, why, n);
		if (err)
			return err;
		if (!e)
			return 0;
		p = e + 1;
	}
}

int conf_value_set(struct conf *c, const struct conf_kw *kw, void *field,
		   const char *val, char *why, size_t whylen)
{
	int err;

	switch (kw->type) {
	case CONF_STR: {
		char *s = conf_arena_strndup(c, val, strlen(val));

		if (!s)
			return -ENOMEM;
		*(char **)field = s;
		err = 0;
		break;
	}
	case CONF_INT:
		err = set_int(kw, field, val, why, whylen);
		break;
	case CONF_BOOL:
		err = set_bool(field, val, why, whylen);
		break;
	case CONF_ENUM:
		err = set_enum(kw, field, val, why, whylen);
		break;
	case CONF_MS:
		err = set_ms(kw, field, val, why, whylen);
		break;
	case CONF_ADDR:
		err = set_addr(kw, field, val, why, whylen);
		break;
	case CONF_STRLIST:
		err = set_strlist(c, field, val, why, whylen);
		break;
	default:
		snprintf(why, whylen, "unsupported keyword type");
		return -EINVAL;
	}
	if (!err && kw->check)
		err = kw->check(field, why, whylen);
	return err;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool conf_value_eq(const struct conf_kw *kw, const void *a, const void *b)
{
	switch (kw->type) {
	case CONF_STR:
		return str_eq(*(char *const *)a, *(char *const *)b);
	case CONF_INT:
		return *(const int64_t *)a == *(const int64_t *)b;
	case CONF_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case CONF_ENUM:
		return *(const int *)a == *(const int *)b;
	case CONF_MS:
		return *(const uint64_t *)a == *(const uint64_t *)b;
	case CONF_ADDR:
		return sa_eq(a, b);
	case CONF_STRLIST: {
		const struct conf_strlist *la = a, *lb = b;

		if (la->n != lb->n)
			return false;
		for (size_t i = 0; i < la->n; i++)
			if (strcmp(la->v[i], lb->v[i]))
				return false;
		return true;
	}
	}
	return false;
}

int conf_value_copy(struct conf *c, const struct conf_kw *kw, void *dst,
		    const void *src)
{
	switch (kw->type) {
	case CONF_STR: {
		const char *s = *(char *const *)src;

		*(char **)dst = s ? conf_arena_strndup(c, s, strlen(s)) : NULL;
		return (s && !*(char **)dst) ? -ENOMEM : 0;
	}
	case CONF_STRLIST: {
		const struct conf_strlist *ls = src;
		struct conf_strlist nl = { 0 };
		char why[64];

		for (size_t i = 0; i < ls->n; i++)
			if (strlist_add(c, &nl, ls->v[i], strlen(ls->v[i]),
					why, sizeof(why)))
				return -ENOMEM;
		*(struct conf_strlist *)dst = nl;
		return 0;
	}
	case CONF_INT:
		memcpy(dst, src, sizeof(int64_t));
		return 0;
	case CONF_BOOL:
		memcpy(dst, src, sizeof(bool));
		return 0;
	case CONF_ENUM:
		memcpy(dst, src, sizeof(int));
		return 0;
	case CONF_MS:
		memcpy(dst, src, sizeof(uint64_t));
		return 0;
	case CONF_ADDR:
		memcpy(dst, src, sizeof(struct sa));
		return 0;
	}
	return -EINVAL;
}

int conf_value_str(const struct conf_kw *kw, const void *field, char *out,
		   size_t n)
{
	switch (kw->type) {
	case CONF_STR: {
		const char *s = *(char *const *)field;

		return snprintf(out, n, "%s", s ? s : "");
	}
	case CONF_INT:
		return snprintf(out, n, "%" PRId64, *(const int64_t *)field);
	case CONF_BOOL:
		return snprintf(out, n, "%s",
				*(const bool *)field ? "yes" : "no");
	case CONF_ENUM:
		return snprintf(out, n, "%s", kw->names[*(const int *)field]);
	case CONF_MS:
		return snprintf(out, n, "%" PRIu64 "ms",
				*(const uint64_t *)field);
	case CONF_ADDR: {
		char b[SA_STRLEN];

		return snprintf(out, n, "%s", sa_str(field, b, sizeof(b)));
	}
	case CONF_STRLIST: {
		const struct conf_strlist *l = field;
		size_t used = 0;

		if (n)
			out[0] = '\0';
		for (size_t i = 0; i < l->n && used < n; i++)
			used += (size_t)snprintf(out + used, n - used, "%s%s",
						 i ? ", " : "", l->v[i]);
		return (int)used;
	}
	}
	return -EINVAL;
}
