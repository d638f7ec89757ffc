// SPDX-License-Identifier: GPL-2.0
/* Per-peer cause overrides: "486=17, cause 34 = 480" from the config. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../base/strv.h"
#include "cause.h"

static struct strv next_item(const char **sp)
{
	const char *s = *sp, *c = strchr(s, ',');
	size_t n = c ? (size_t)(c - s) : strlen(s);

	*sp = c ? c + 1 : NULL;
	return strv_trim((struct strv){s, n});
}

static int num(struct strv v, unsigned max, unsigned *out)
{
	uint64_t x;

	if (strv_u64(strv_trim(v), max, &x))
		return -EINVAL;
	*out = (unsigned)x;
	return 0;
}

/* "cause N", "status N" or "N": the word, if any, chooses the direction;
 * a bare number is a cause below 128 and a status from 400 up. */
static int parse_key(struct strv k, bool *to_sip, unsigned *v)
{
	int kind = 0; /* 1 cause, 2 status */

	k = strv_trim(k);
	if (k.l > 5 && !strncasecmp(k.p, "cause", 5) &&
	    !isalnum((unsigned char)k.p[5])) {
		kind = 1;
		k.p += 5;
		k.l -= 5;
	} else if (k.l > 6 && !strncasecmp(k.p, "status", 6) &&
		   !isalnum((unsigned char)k.p[6])) {
		kind = 2;
		k.p += 6;
		k.l -= 6;
	}
	if (num(k, 999, v))
		return -EINVAL;
	if (!kind)
		kind = *v <= CALL_CAUSE_MAX ? 1 : 2;
	*to_sip = kind == 1;
	return 0;
}

static void put(struct call_cause_ovr *o, const struct call_cause_ovr_ent *e)
{
	for (size_t i = 0; i < o->n; i++) {
		struct call_cause_ovr_ent *x = &o->e[i];

		if (x->to_sip == e->to_sip &&
		    (e->to_sip ? x->cause == e->cause
			       : x->status == e->status)) {
			*x = *e;
			return;
		}
	}
	o->e[o->n++] = *e;
}

int call_cause_ovr_parse(struct call_cause_ovr *o, const char *s, char *why,
			 size_t whylen)
{
	struct call_cause_ovr_ent e;
	struct strv it, k;
	unsigned key, val;
	const char *eq;

	o->n = 0;
	while (s) {
		it = next_item(&s);
		if (!it.l) {
			if (!s && o->n == 0)
				return 0; /* an empty list */
			snprintf(why, whylen, "empty entry in cause map");
			return -EINVAL;
		}
		eq = memchr(it.p, '=', it.l);
		if (!eq) {
			snprintf(why, whylen, "\"%.*s\": expected KEY = VALUE",
				 (int)it.l, it.p);
			return -EINVAL;
		}
		k = (struct strv){it.p, (size_t)(eq - it.p)};
		memset(&e, 0, sizeof(e));
		if (parse_key(k, &e.to_sip, &key) ||
		    num((struct strv){eq + 1, it.l - k.l - 1}, 999, &val))
			goto bad;
		if (e.to_sip) {
			if (key < 1 || key > CALL_CAUSE_MAX || val < 300 ||
			    val > 699)
				goto bad;
			if (val >= 600 && call_cause_is_temporary(key)) {
				snprintf(why, whylen,
					 "\"%.*s\": cause %u is a temporary "
					 "failure, a 6xx would stop the caller "
					 "trying elsewhere",
					 (int)it.l, it.p, key);
				return -EINVAL;
			}
			e.cause = (uint8_t)key;
			e.status = (uint16_t)val;
		} else {
			if (key < 400 || key > 699 || val < 1 ||
			    val > CALL_CAUSE_MAX)
				goto bad;
			e.status = (uint16_t)key;
			e.cause = (uint8_t)val;
		}
		if (o->n == CALL_CAUSE_OVR_MAX) {
			snprintf(why, whylen, "more than %d entries",
				 CALL_CAUSE_OVR_MAX);
			return -EINVAL;
		}
		put(o, &e);
	}
	return 0;
bad:
	snprintf(why, whylen,
		 "\"%.*s\": expected STATUS = CAUSE (400..699 = 1..127) or "
		 "cause CAUSE = STATUS (1..127 = 300..699)",
		 (int)it.l, it.p);
	return -EINVAL;
}

int call_cause_ovr_check(const void *field, char *why, size_t whylen)
{
	struct call_cause_ovr o;
	const char *s = *(char *const *)field;

	return call_cause_ovr_parse(&o, s ? s : "", why, whylen);
}
