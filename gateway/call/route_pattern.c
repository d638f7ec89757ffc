// SPDX-License-Identifier: GPL-2.0
/* Route number patterns (the language is in route.h) and rewriting. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "route.h"

static bool is_lit(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#';
}

/* Does @c fit the class "[...]" at @p? *@len gets the class's length. */
static bool in_class(const char *p, char c, size_t *len)
{
	const char *e = strchr(p, ']');
	bool hit = false;

	if (!e) { /* an unchecked pattern: never matches */
		*len = strlen(p);
		return false;
	}
	*len = (size_t)(e - p) + 1;
	for (const char *q = p + 1; q < e; q++) {
		if (q + 2 < e && q[1] == '-') {
			hit |= c >= q[0] && c <= q[2];
			q += 2;
		} else {
			hit |= c == *q;
		}
	}
	return hit;
}

bool call_pattern_match(const char *pat, const char *num)
{
	size_t cl;

	if (pat[0] != '_')
		return !strncmp(num, pat, strlen(pat));
	for (const char *p = pat + 1;; p++) {
		switch (*p) {
		case '\0':
			return *num == '\0';
		case '.':
			return *num != '\0';
		case '!':
			return true;
		}
		if (!*num)
			return false;
		switch (*p) {
		case 'X':
		case 'x':
			if (*num < '0' || *num > '9')
				return false;
			break;
		case 'Z':
		case 'z':
			if (*num < '1' || *num > '9')
				return false;
			break;
		case 'N':
		case 'n':
			if (*num < '2' || *num > '9')
				return false;
			break;
		case '[':
			if (!in_class(p, *num, &cl))
				return false;
			p += cl - 1;
			break;
		default:
			if (*p != *num)
				return false;
		}
		num++;
	}
}

int call_pattern_check(const char *pat, char *why, size_t n)
{
	const char *p = pat;

	if (!*p || (*p == '_' && !p[1])) {
		snprintf(why, n, "empty pattern");
		return -EINVAL;
	}
	if (*p != '_') {
		for (; *p; p++)
			if (!is_lit(*p))
				goto bad_char;
		return 0;
	}
	for (p++; *p; p++) {
		if (strchr("XxZzNn", *p) || is_lit(*p))
			continue;
		if (*p == '.' || *p == '!') {
			if (p[1]) {
				snprintf(why, n,
					 "\"%s\": '%c' must end the pattern",
					 pat, *p);
				return -EINVAL;
			}
			continue;
		}
		if (*p != '[')
			goto bad_char;
		if (p[1] == ']') {
			snprintf(why, n, "\"%s\": empty [] class", pat);
			return -EINVAL;
		}
		for (p++; *p != ']'; p++) {
			if (!*p) {
				snprintf(why, n, "\"%s\": '[' without ']'",
					 pat);
				return -EINVAL;
			}
			if (!is_lit(*p) && !(*p == '-' && is_lit(p[-1]) &&
					     p[1] && p[1] != ']'))
				goto bad_char;
		}
	}
	return 0;
bad_char:
	snprintf(why, n,
		 "\"%s\": unexpected '%c' (see the pattern language: "
		 "prefix of 0-9+*#, or _ with X Z N [..] . !)",
		 pat, *p);
	return -EINVAL;
}

int call_route_rewrite(const char *num, unsigned strip, const char *replace,
		       const char *prepend, char *out, size_t n)
{
	const char *colon = replace ? strchr(replace, ':') : NULL;
	const char *to = "";
	size_t l = strlen(num), fl;
	int w;

	num += strip < l ? strip : l;
	if (colon) {
		fl = (size_t)(colon - replace);
		if (fl && !strncmp(num, replace, fl)) {
			num += fl;
			to = colon + 1;
		}
	}
	w = snprintf(out, n, "%s%s%s", prepend ? prepend : "", to, num);
	return w < 0 || (size_t)w >= n ? -ENOSPC : 0;
}
