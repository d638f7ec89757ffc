// SPDX-License-Identifier: GPL-2.0
/* The route table: [route NAME] keywords, the compiled table, lookup and
 * failover. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "route.h"
#include "route_priv.h"

#define FAILOVER_DEFAULT "3, 34, 38, 41, 42, 44, 47"

/* One compiled route; its strings are borrowed from the conf. */
struct croute {
	const char *name;
	const struct call_route_conf *rc;
	uint8_t fo[(127 + 8) / 8];
	size_t nt;
	struct call_cand t[CALL_ROUTE_MAX_TARGETS];
};

struct call_routes {
	struct conf *conf; /* owned reference: the strings live there */
	size_t n;
	struct croute r[];
};

/* --- keyword checks: each runs as the value is read, so an error names
 * the key's own file:line --------------------------------------------- */

static bool lit(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '+' || *s == '*' ||
		      *s == '#'))
			return false;
	return true;
}

/* "kind:NAME": the kind's index in @kinds, or -EINVAL. */
static int kind_of(const char *s, const char *const *kinds, const char **name)
{
	for (int i = 0; kinds[i]; i++) {
		size_t l = strlen(kinds[i]);

		if (!strncmp(s, kinds[i], l) && s[l] == ':' && s[l + 1]) {
			*name = s + l + 1;
			return i;
		}
	}
	return -EINVAL;
}

static const char *const ingress_kinds[] = {"peer", "group", "span", NULL};
static const char *const target_kinds[] = {"group", "peer", NULL};

static int span_no(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s >= '0' && *s <= '9' && !*end && v >= 1 && v <= 255 ? (int)v
								     : -EINVAL;
}

static int check_ingress(const void *f, char *why, size_t n)
{
	const struct conf_strlist *l = f;
	const char *name;

	for (size_t i = 0; i < l->n; i++) {
		int k = kind_of(l->v[i], ingress_kinds, &name);

		if (k < 0 || (k == 2 && span_no(name) < 0)) {
			snprintf(why, n,
				 "\"%s\": expected peer:NAME, group:NAME or "
				 "span:N (1..255)",
				 l->v[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_patterns(const void *f, char *why, size_t n)
{
	const struct conf_strlist *l = f;

	for (size_t i = 0; i < l->n; i++)
		if (call_pattern_check(l->v[i], why, n))
			return -EINVAL;
	return 0;
}

static int check_prepend(const void *f, char *why, size_t n)
{
	const char *s = *(char *const *)f;

	if (!lit(s) || strlen(s) > 16) {
		snprintf(why, n, "\"%s\": up to 16 of 0-9 + * #", s);
		return -EINVAL;
	}
	return 0;
}

static int check_replace(const void *f, char *why, size_t n)
{
	const char *s = *(char *const *)f, *colon = strchr(s, ':');
	char from[24];

	if (!*s)
		return 0;
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(from) ||
	    strlen(colon + 1) > 16)
		goto bad;
	memcpy(from, s, (size_t)(colon - s));
	from[colon - s] = '\0';
	if (lit(from) && lit(colon + 1))
		return 0;
bad:
	snprintf(why, n, "\"%s\": expected FROM:TO (FROM not empty; 0-9 + * #)",
		 s);
	return -EINVAL;
}

static int check_targets(const void *f, char *why, size_t n)
{
	const struct conf_strlist *l = f;
	const char *name;

	if (l->n > CALL_ROUTE_MAX_TARGETS) {
		snprintf(why, n, "more than %d targets",
			 CALL_ROUTE_MAX_TARGETS);
		return -EINVAL;
	}
	for (size_t i = 0; i < l->n; i++)
		if (kind_of(l->v[i], target_kinds, &name) < 0) {
			snprintf(why, n,
				 "\"%s\": expected group:NAME or peer:NAME",
				 l->v[i]);
			return -EINVAL;
		}
	return 0;
}

static int cause_no(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s >= '0' && *s <= '9' && !*end && v >= 1 && v <= 127 ? (int)v
								     : -EINVAL;
}

static int check_failover(const void *f, char *why, size_t n)
{
	const struct conf_strlist *l = f;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i], "none")) {
			if (l->n == 1)
				continue;
			snprintf(why, n,
				 "\"none\" cannot be listed with causes");
			return -EINVAL;
		}
		if (cause_no(l->v[i]) < 0) {
			snprintf(why, n, "\"%s\" is not a Q.850 cause (1..127)",
				 l->v[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static const char *const hunt_names[] = {"ascending", "descending",
					 "round-robin", "lru", NULL};

#define OFF(f) offsetof(struct call_route_conf, f)

static const struct conf_kw route_kws[] = {
    {"ingress", CONF_STRLIST, OFF(ingress), NULL, 0, 0, NULL, check_ingress,
     CONF_RELOAD,
     "where the call came in: peer:NAME, group:NAME, span:N (none: any)"},
    {"called", CONF_STRLIST, OFF(called), NULL, 0, 0, NULL, check_patterns,
     CONF_RELOAD, "called number prefixes or _patterns (none: any)"},
    {"calling", CONF_STRLIST, OFF(calling), NULL, 0, 0, NULL, check_patterns,
     CONF_RELOAD, "calling number prefixes or _patterns (none: any)"},
    {"called_strip", CONF_INT, OFF(called_strip), "0", 0, 32, NULL, NULL,
     CONF_RELOAD, "leading characters dropped from the called number"},
    {"called_replace", CONF_STR, OFF(called_replace), "", 0, 0, NULL,
     check_replace, CONF_RELOAD,
     "FROM:TO, a leading FROM replaced by TO (after strip)"},
    {"called_prepend", CONF_STR, OFF(called_prepend), "", 0, 0, NULL,
     check_prepend, CONF_RELOAD, "put in front of the called number"},
    {"calling_strip", CONF_INT, OFF(calling_strip), "0", 0, 32, NULL, NULL,
     CONF_RELOAD, "as called_strip, for the calling number"},
    {"calling_replace", CONF_STR, OFF(calling_replace), "", 0, 0, NULL,
     check_replace, CONF_RELOAD, "as called_replace"},
    {"calling_prepend", CONF_STR, OFF(calling_prepend), "", 0, 0, NULL,
     check_prepend, CONF_RELOAD, "as called_prepend"},
    {"targets", CONF_STRLIST, OFF(targets), NULL, 0, 0, NULL, check_targets,
     CONF_REQUIRED | CONF_RELOAD, "group:NAME or peer:NAME, tried in order"},
    {"hunt", CONF_ENUM, OFF(hunt), "ascending", 0, 0, hunt_names, NULL,
     CONF_RELOAD, "channel choice in a TDM group"},
    {"failover", CONF_STRLIST, OFF(failover), FAILOVER_DEFAULT, 0, 0, NULL,
     check_failover, CONF_RELOAD,
     "Q.850 causes that move the call to the next target, or none"},
};

const struct conf_sect_def call_route_sect = {
    .name = "route",
    .named = true,
    .size = sizeof(struct call_route_conf),
    .kws = route_kws,
    .nkws = sizeof(route_kws) / sizeof(route_kws[0]),
    .help = "call routes, tried in file order",
};

/* --- the compiled table ------------------------------------------------ */

static void routes_destroy(void *arg)
{
	struct call_routes *rt = arg;

	mem_deref(rt->conf);
}

static void compile(struct croute *r, const struct call_route_conf *rc,
		    const char *name)
{
	const char *tn;

	r->name = name;
	r->rc = rc;
	for (size_t i = 0; i < rc->failover.n; i++) {
		int c = cause_no(rc->failover.v[i]);

		if (c > 0)
			r->fo[c / 8] |= (uint8_t)(1u << (c % 8));
	}
	for (size_t i = 0; i < rc->targets.n && i < CALL_ROUTE_MAX_TARGETS;
	     i++) {
		int k = kind_of(rc->targets.v[i], target_kinds, &tn);

		if (k < 0)
			continue;
		r->t[r->nt].kind = k ? CALL_TGT_PEER : CALL_TGT_GROUP;
		r->t[r->nt].name = tn;
		r->t[r->nt].hunt = (enum call_hunt)rc->hunt;
		r->nt++;
	}
}

int call_routes_new(struct conf *c, struct call_routes **out)
{
	size_t n = conf_count(c, "route"), i = 0;
	struct call_routes *rt;

	rt = mem_zalloc(sizeof(*rt) + n * sizeof(rt->r[0]), routes_destroy);
	if (!rt)
		return -ENOMEM;
	rt->conf = mem_ref(c);
	for (const struct call_route_conf *rc = conf_next(c, "route", NULL);
	     rc && i < n; rc = conf_next(c, "route", rc))
		compile(&rt->r[i++], rc, conf_label(rc));
	rt->n = i;
	*out = rt;
	return 0;
}

size_t call_routes_count(const struct call_routes *rt)
{
	return rt->n;
}

/* --- lookup ------------------------------------------------------------- */

static bool ingress_fits(const struct call_route_conf *rc,
			 const struct call_ingress *in)
{
	const char *name;

	if (!rc->ingress.n)
		return true;
	for (size_t i = 0; i < rc->ingress.n; i++) {
		switch (kind_of(rc->ingress.v[i], ingress_kinds, &name)) {
		case 0:
			if (in->peer && !strcmp(in->peer, name))
				return true;
			break;
		case 1:
			if (in->group && !strcmp(in->group, name))
				return true;
			break;
		case 2:
			if (in->span >= 0 && in->span == span_no(name))
				return true;
			break;
		}
	}
	return false;
}

static bool number_fits(const struct conf_strlist *l, const char *num)
{
	if (!l->n)
		return true;
	for (size_t i = 0; i < l->n; i++)
		if (call_pattern_match(l->v[i], num))
			return true;
	return false;
}

static void res_destroy(void *arg)
{
	struct call_route_res *res = arg;

	mem_deref(res->rt);
}

int call_route_lookup(struct call_routes *rt, const struct call_ingress *in,
		      const char *called, const char *calling,
		      struct call_route_res **resp)
{
	static const struct call_ingress none = {NULL, -1, NULL};
	const struct croute *r = NULL;
	struct call_route_res *res;
	int err;

	in = in ? in : &none;
	called = called ? called : "";
	calling = calling ? calling : "";
	for (size_t i = 0; i < rt->n && !r; i++)
		if (ingress_fits(rt->r[i].rc, in) &&
		    number_fits(&rt->r[i].rc->called, called) &&
		    number_fits(&rt->r[i].rc->calling, calling))
			r = &rt->r[i];
	if (!r)
		return -ENOENT;

	res = mem_zalloc(sizeof(*res), res_destroy);
	if (!res)
		return -ENOMEM;
	res->rt = mem_ref(rt);
	res->route = r->name;
	err = call_route_rewrite(called, (unsigned)r->rc->called_strip,
				 r->rc->called_replace, r->rc->called_prepend,
				 res->called, sizeof(res->called));
	if (!err)
		err = call_route_rewrite(
		    calling, (unsigned)r->rc->calling_strip,
		    r->rc->calling_replace, r->rc->calling_prepend,
		    res->calling, sizeof(res->calling));
	if (err) {
		mem_deref(res);
		return err;
	}
	memcpy(res->c, r->t, sizeof(r->t));
	res->n = r->nt;
	memcpy(res->failover, r->fo, sizeof(r->fo));
	*resp = res;
	return 0;
}

const struct call_cand *call_route_cur(const struct call_route_res *res)
{
	return res->cur < res->n ? &res->c[res->cur] : NULL;
}

const struct call_cand *call_route_next(struct call_route_res *res,
					unsigned cause)
{
	if (res->cur >= res->n)
		return NULL;
	if (cause < 1 || cause > 127 ||
	    !(res->failover[cause / 8] & (1u << (cause % 8)))) {
		/* a final answer: no later target should ring */
		res->cur = res->n;
		return NULL;
	}
	res->cur++;
	return call_route_cur(res);
}

size_t call_route_ctl_n(const struct call_routes *rt)
{
	return rt->n;
}

const struct call_route_conf *call_route_ctl_get(const struct call_routes *rt,
						 size_t i, const char **name)
{
	*name = rt->r[i].name;
	return rt->r[i].rc;
}
