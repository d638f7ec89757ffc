// SPDX-License-Identifier: GPL-2.0
/*
 * Digit maps for FXS digit collection (RFC 3435 section 2.1.5 style):
 * when has a phone dialled a whole number? Each alternative of the map is
 * compiled into a short list of elements (a set of symbols, maybe
 * repeated) and matched with a small backtracking walk; maps are short
 * and numbers shorter, so nothing cleverer is needed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "analog.h"

#define MAP_ELEMS 64

struct elem {
	uint16_t set; /* bit per symbol, see sym() */
	bool rep;     /* '.': zero or more */
};

struct alt {
	struct elem e[MAP_ELEMS];
	unsigned n;
	bool timer; /* 'T' */
};

/* Symbol index of 0-9 * # A-D, or -1. */
static int sym(char c)
{
	static const char syms[] = "0123456789*#ABCD";
	const char *p;

	if (c >= 'a' && c <= 'd')
		c = (char)(c - 'a' + 'A');
	p = c ? strchr(syms, c) : NULL;
	return p ? (int)(p - syms) : -1;
}

/* "[1-5#]" starting at @s[0] == '['; returns the length or -EINVAL. */
static int parse_set(const char *s, size_t len, uint16_t *set)
{
	size_t i = 1;

	*set = 0;
	while (i < len && s[i] != ']') {
		int a = sym(s[i]), b;

		if (a < 0)
			return -EINVAL;
		b = a;
		if (i + 2 < len && s[i + 1] == '-' && s[i + 2] != ']') {
			b = sym(s[i + 2]);
			if (b < a || b > 9)
				return -EINVAL;
			i += 2;
		}
		for (int k = a; k <= b; k++)
			*set |= (uint16_t)(1u << k);
		i++;
	}
	if (i >= len || !*set)
		return -EINVAL;
	return (int)(i + 1);
}

static int compile(const char *s, size_t len, struct alt *a)
{
	size_t i = 0;

	memset(a, 0, sizeof(*a));
	while (i < len) {
		char c = s[i];
		int k;

		if (a->timer) /* 'T' only at the end */
			return -EINVAL;
		if (c == 'T') {
			a->timer = true;
			i++;
			continue;
		}
		if (c == '.') {
			if (!a->n || a->e[a->n - 1].rep)
				return -EINVAL;
			a->e[a->n - 1].rep = true;
			i++;
			continue;
		}
		if (a->n == MAP_ELEMS)
			return -EINVAL;
		if (c == 'x' || c == 'X') {
			a->e[a->n].set = 0x3ff;
			i++;
		} else if (c == '[') {
			k = parse_set(s + i, len - i, &a->e[a->n].set);
			if (k < 0)
				return k;
			i += (size_t)k;
		} else {
			k = sym(c);
			if (k < 0)
				return -EINVAL;
			a->e[a->n].set = (uint16_t)(1u << k);
			i++;
		}
		a->n++;
	}
	return a->n ? 0 : -EINVAL;
}

#define M_END 1	 /* the digits complete this alternative */
#define M_MORE 2 /* and it would take more digits */

static unsigned walk(const struct alt *a, unsigned i, const char *d)
{
	unsigned r = 0;

	if (!*d) {
		bool end = true;

		for (unsigned k = i; k < a->n; k++)
			end = end && a->e[k].rep;
		return (end ? M_END : 0) | (i < a->n ? M_MORE : 0);
	}
	if (i == a->n)
		return 0;
	if (a->e[i].rep)
		r |= walk(a, i + 1, d);
	if (a->e[i].set & (1u << sym(*d)))
		r |= walk(a, a->e[i].rep ? i : i + 1, d + 1);
	return r;
}

int tdm_analog_map_match(const char *map, const char *digits)
{
	bool end = false, more = false, timer = false;
	const char *p = map;

	for (const char *d = digits; *d; d++)
		if (sym(*d) < 0)
			return TDM_ANALOG_NOMATCH;
	for (;;) {
		size_t len = strcspn(p, "|");
		struct alt a;
		unsigned r;
		int err = compile(p, len, &a);

		if (err)
			return err;
		r = walk(&a, 0, digits);
		end = end || (r & M_END);
		more = more || (r & M_MORE);
		timer = timer || ((r & M_END) && a.timer);
		if (!p[len])
			break;
		p += len + 1;
	}
	if (end)
		return more || timer ? TDM_ANALOG_TIMER : TDM_ANALOG_FULL;
	return more ? TDM_ANALOG_PARTIAL : TDM_ANALOG_NOMATCH;
}
