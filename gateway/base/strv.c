// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "strv.h"

static inline int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool strv_eq(struct strv a, struct strv b)
{
	return a.l == b.l && (a.l == 0 || memcmp(a.p, b.p, a.l) == 0);
}

bool strv_caseeq(struct strv a, struct strv b)
{
	if (a.l != b.l)
		return false;
	for (size_t i = 0; i < a.l; i++)
		if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i]))
			return false;
	return true;
}

bool strv_caseeq_str(struct strv a, const char *s)
{
	return strv_caseeq(a, strv_of(s));
}

static inline bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct strv strv_trim(struct strv v)
{
	while (v.l && is_ws(v.p[0])) {
		v.p++;
		v.l--;
	}
	while (v.l && is_ws(v.p[v.l - 1]))
		v.l--;
	return v;
}

int strv_u64(struct strv v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (!v.l)
		return -EINVAL;
	for (size_t i = 0; i < v.l; i++) {
		unsigned d = (unsigned char)v.p[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (n > (max - d) / 10)
			return -ERANGE;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

int strv_copy(struct strv v, char *dst, size_t n)
{
	size_t k;

	if (!n)
		return -ENOSPC;
	k = v.l < n - 1 ? v.l : n - 1;
	if (k)
		memcpy(dst, v.p, k);
	dst[k] = '\0';
	return k == v.l ? 0 : -ENOSPC;
}
