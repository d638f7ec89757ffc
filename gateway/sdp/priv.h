/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the files of gateway/sdp only. */
#ifndef TL_SDP_PRIV_H
#define TL_SDP_PRIV_H

#include "sdp.h"

/* Take the next token separated by spaces from *@rest; false when none. */
static inline bool sdp_tok(struct strv *rest, struct strv *out)
{
	size_t i = 0;

	while (rest->l && rest->p[0] == ' ') {
		rest->p++;
		rest->l--;
	}
	if (!rest->l)
		return false;
	while (i < rest->l && rest->p[i] != ' ')
		i++;
	*out = (struct strv){ rest->p, i };
	rest->p += i;
	rest->l -= i;
	return true;
}

/* Skip spaces; what remains of the line. */
static inline struct strv sdp_rest(struct strv v)
{
	while (v.l && v.p[0] == ' ') {
		v.p++;
		v.l--;
	}
	return v;
}

/* Split @v at the first @c: *@a before, *@b after; false if no @c. */
static inline bool sdp_split(struct strv v, char c, struct strv *a,
			     struct strv *b)
{
	const char *x = v.l ? memchr(v.p, c, v.l) : NULL;

	if (!x)
		return false;
	*a = (struct strv){ v.p, (size_t)(x - v.p) };
	*b = (struct strv){ x + 1, v.l - (size_t)(x - v.p) - 1 };
	return true;
}

/* "IN IP4 addr" / "IN IP6 addr[/ttl...]" into @c; NULL or the reason. */
const char *sdp_conn_parse(struct sdp_conn *c, struct strv v);

/* Fill the typed fields of @m (or of the session when @m is NULL) from
 * one attribute; NULL or the reason it is malformed. */
const char *sdp_attr_typed(struct sdp_session *s, struct sdp_media *m,
			   const struct sdp_attr *a);

#endif
