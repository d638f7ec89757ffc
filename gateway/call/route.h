/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routing. An ordered table of [route NAME] sections, tried in file order;
 * the first route whose ingress, called and calling matches all fit a new
 * call wins. It rewrites both numbers and gives the targets to try in
 * order; a release with one of the route's failover causes moves the call
 * to the next target, any other cause ends it.
 *
 *   [route intl]
 *   ingress = peer:pbx, span:1, group:pstn  ; any of these (none: any)
 *   called = _00X.                          ; any of these (none: any)
 *   calling = 4420                          ; (none: any)
 *   called_strip = 2                        ; then
 *   called_replace = 44:0                   ; then
 *   called_prepend = +                      ; (same three for calling_)
 *   targets = group:isdn1, peer:carrier2    ; required, tried in order
 *   hunt = round-robin                      ; channel choice in a group
 *   failover = 3, 34, 38, 41, 42, 44, 47    ; or "none"
 *
 * Number patterns. Without a leading '_' a pattern is a prefix: "00"
 * matches every number starting with 00. With '_' it must match the
 * whole number, character by character:
 *   X  any digit 0-9     Z  1-9     N  2-9
 *   [15-7]  one of the digits listed or in the ranges
 *   .  one or more of anything (last in the pattern only)
 *   !  zero or more of anything (last in the pattern only)
 *   0-9 + * #  themselves (X, Z, N in either case)
 * "_0ZXXXXXXXX" is a 0 then ten digits not starting with 0; "_+44."
 * any UK E.164 number.
 */
#ifndef TL_CALL_ROUTE_H
#define TL_CALL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "../ctl/ctl.h"

enum call_hunt {
	CALL_HUNT_ASC = 0, /* lowest free channel */
	CALL_HUNT_DESC,	   /* highest free channel */
	CALL_HUNT_RR,	   /* next free after the last one taken */
	CALL_HUNT_LRU,	   /* free channel idle the longest */
};

enum call_target_kind {
	CALL_TGT_GROUP = 0, /* a TDM channel group */
	CALL_TGT_PEER,	    /* a SIP peer or trunk */
};

#define CALL_ROUTE_MAX_TARGETS 16
#define CALL_ROUTE_NUM_MAX 64 /* a rewritten number, with its NUL */

/* [route NAME] as the config parser fills it (see the keyword table). */
struct call_route_conf {
	struct conf_strlist ingress, called, calling, targets, failover;
	int64_t called_strip, calling_strip;
	char *called_prepend, *calling_prepend;
	char *called_replace, *calling_replace;
	int hunt;
};

/* The [route] section definition, for a module's sects list. */
extern const struct conf_sect_def call_route_sect;

/* Where a call came in; a field that does not apply is NULL or -1. */
struct call_ingress {
	const char *peer;  /* SIP peer or trunk name */
	int span;	   /* TDM span number */
	const char *group; /* TDM group name */
};

struct call_cand {
	enum call_target_kind kind;
	const char *name; /* borrowed from the table the result holds */
	enum call_hunt hunt;
};

/* The outcome of one lookup (a mem object). It holds a reference to the
 * table, so a reload that swaps tables mid-call leaves it valid. */
struct call_route_res {
	const char *route; /* borrowed, as name */
	char called[CALL_ROUTE_NUM_MAX];
	char calling[CALL_ROUTE_NUM_MAX];
	size_t n, cur; /* candidates, and the one being tried */
	struct call_cand c[CALL_ROUTE_MAX_TARGETS];
	uint8_t failover[(127 + 8) / 8]; /* bit per Q.850 cause */
	struct call_routes *rt;		 /* owned reference */
};

struct call_routes;

/*
 * Build the ordered table from the [route] sections of @c, which must
 * have been loaded with call_route_sect (so every value is already
 * checked). The table keeps a reference to @c. 0 or -ENOMEM.
 */
int call_routes_new(struct conf *c, struct call_routes **out);

size_t call_routes_count(const struct call_routes *rt);

/*
 * Route a call from @in to @called from @calling (either may be "", for
 * instance an anonymous caller). On success *@resp is a new result whose
 * candidate 0 is current; -ENOENT when no route matches, -ENOSPC when a
 * rewritten number would exceed CALL_ROUTE_NUM_MAX - 1, -ENOMEM.
 */
int call_route_lookup(struct call_routes *rt, const struct call_ingress *in,
		      const char *called, const char *calling,
		      struct call_route_res **resp);

/* The candidate being tried, or NULL once the list is used up. */
const struct call_cand *call_route_cur(const struct call_route_res *res);

/* The current target failed with Q.850 @cause: the next candidate when
 * the route fails over on @cause and one is left, else NULL (release the
 * call with @cause). */
const struct call_cand *call_route_next(struct call_route_res *res,
					unsigned cause);

/* Does the pattern (syntax above) match @num? */
bool call_pattern_match(const char *pat, const char *num);
/* Check a pattern's syntax: 0, or -EINVAL with the reason in @why. */
int call_pattern_check(const char *pat, char *why, size_t n);

/*
 * Rewrite @num into @out (size @n): drop the first @strip characters,
 * then replace a leading FROM by TO if @replace ("FROM:TO", or NULL/"")
 * says so, then put @prepend (NULL/"" = nothing) in front. 0 or -ENOSPC.
 */
int call_route_rewrite(const char *num, unsigned strip, const char *replace,
		       const char *prepend, char *out, size_t n);

/*
 * Choose a free channel among @n (busy[i] true = taken) with strategy @h.
 * @rr_last: the index picked last time (round-robin; updated).
 * @last_used: when each channel was last released (LRU; may be NULL for
 * the other strategies); ties go to the lowest index. Returns the index,
 * or -EBUSY when every channel is taken.
 */
int call_hunt_pick(enum call_hunt h, size_t n, const bool *busy,
		   unsigned *rr_last, const uint64_t *last_used);

const char *call_hunt_name(enum call_hunt h);

/*
 * "show routes" (text table, or JSON with -j). Register with
 * ctl_register(ctl, call_route_cmds, call_route_ncmds, slot) where @slot
 * is a struct call_routes ** holding the live table (NULL = none), so a
 * reload's swap is seen.
 */
extern const struct ctl_cmd call_route_cmds[];
extern const size_t call_route_ncmds;

#endif
