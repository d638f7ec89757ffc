// SPDX-License-Identifier: GPL-2.0
/* Number normalisation: TON/NPI, prefixes, E.164, SIP user parts, tel:. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "number.h"

static bool all_digits(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (*s < '0' || *s > '9')
			return false;
	return n <= max;
}

static int set_field(char *dst, size_t n, const char *s)
{
	s = s ? s : "";
	if (!all_digits(s, n - 1))
		return -EINVAL;
	strcpy(dst, s);
	return 0;
}

int call_numplan_init(struct call_numplan *p, const char *cc, const char *ndc,
		      const char *natl, const char *intl)
{
	memset(p, 0, sizeof(*p));
	if (set_field(p->cc, sizeof(p->cc), cc) ||
	    set_field(p->ndc, sizeof(p->ndc), ndc) ||
	    set_field(p->natl_prefix, sizeof(p->natl_prefix), natl) ||
	    set_field(p->intl_prefix, sizeof(p->intl_prefix), intl))
		return -EINVAL;
	return 0;
}

static bool is_visual(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* Copy the digits of @s (separators dropped) into @out; a leading '+' is
 * reported in *@plus. */
static int digits_of(struct strv s, char *out, size_t n, bool *plus)
{
	size_t w = 0;

	*plus = false;
	s = strv_trim(s);
	if (s.l && s.p[0] == '+') {
		*plus = true;
		s.p++;
		s.l--;
	}
	for (size_t i = 0; i < s.l; i++) {
		char c = s.p[i];

		if (is_visual(c))
			continue;
		if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
			return -EINVAL;
		/* '*' and '#' are dial codes: never part of an E.164 number */
		if (*plus && (c == '*' || c == '#'))
			return -EINVAL;
		if (w + 1 >= n)
			return -EINVAL;
		out[w++] = c;
	}
	out[w] = '\0';
	return w ? 0 : -EINVAL;
}

static bool has_prefix(const char *s, const char *pfx)
{
	return *pfx && !strncmp(s, pfx, strlen(pfx));
}

static void set_num(struct call_number *out, const char *d, enum call_ton ton,
		    enum call_npi npi)
{
	snprintf(out->digits, sizeof(out->digits), "%s", d);
	out->ton = ton;
	out->npi = npi;
}

int call_number_classify(const struct call_numplan *p, struct strv s,
			 struct call_number *out)
{
	char d[CALL_NUMBER_MAX + 1];
	bool plus;
	int err;

	err = digits_of(s, d, sizeof(d), &plus);
	if (err)
		return err;
	/* the international prefix first: "00" starts with the national "0" */
	if (plus) {
		set_num(out, d, CALL_TON_INTERNATIONAL, CALL_NPI_E164);
	} else if (has_prefix(d, p->intl_prefix) &&
		   strlen(d) > strlen(p->intl_prefix)) {
		set_num(out, d + strlen(p->intl_prefix), CALL_TON_INTERNATIONAL,
			CALL_NPI_E164);
	} else if (has_prefix(d, p->natl_prefix) &&
		   strlen(d) > strlen(p->natl_prefix)) {
		set_num(out, d + strlen(p->natl_prefix), CALL_TON_NATIONAL,
			CALL_NPI_E164);
	} else {
		set_num(out, d,
			*p->ndc ? CALL_TON_SUBSCRIBER : CALL_TON_UNKNOWN,
			CALL_NPI_E164);
	}
	return 0;
}

static int put(char *out, size_t len, const char *a, const char *b,
	       const char *c)
{
	int n = snprintf(out, len, "%s%s%s", a, b, c);

	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int call_number_to_e164(const struct call_numplan *p,
			const struct call_number *n, char *out, size_t len)
{
	char d[CALL_NUMBER_MAX + 16];
	struct call_number c = *n;

	if (n->npi == CALL_NPI_PRIVATE)
		return -EINVAL;
	if (c.ton == CALL_TON_UNKNOWN &&
	    call_number_classify(p, strv_of(n->digits), &c))
		return -EINVAL;
	switch (c.ton) {
	case CALL_TON_INTERNATIONAL:
		snprintf(d, sizeof(d), "%s", c.digits);
		break;
	case CALL_TON_NATIONAL:
		if (!*p->cc)
			return -EINVAL;
		snprintf(d, sizeof(d), "%s%s", p->cc, c.digits);
		break;
	case CALL_TON_SUBSCRIBER:
		if (!*p->cc || !*p->ndc)
			return -EINVAL;
		snprintf(d, sizeof(d), "%s%s%s", p->cc, p->ndc, c.digits);
		break;
	default:
		return -EINVAL;
	}
	if (!all_digits(d, CALL_E164_MAX))
		return -EINVAL;
	return put(out, len, "+", d, "");
}

int call_number_from_e164(const struct call_numplan *p, struct strv e164,
			  enum call_ton want, struct call_number *out)
{
	char d[CALL_NUMBER_MAX + 1], nat[CALL_NUMBER_MAX + 1];
	size_t lcc = strlen(p->cc), lndc = strlen(p->ndc);
	bool plus, ours;

	if (digits_of(e164, d, sizeof(d), &plus) || !plus ||
	    !all_digits(d, CALL_E164_MAX))
		return -EINVAL;
	ours = lcc && !strncmp(d, p->cc, lcc) && strlen(d) > lcc;
	snprintf(nat, sizeof(nat), "%s", ours ? d + lcc : d);
	switch (want) {
	case CALL_TON_SUBSCRIBER:
		if (ours && lndc && !strncmp(nat, p->ndc, lndc) &&
		    strlen(nat) > lndc) {
			set_num(out, nat + lndc, CALL_TON_SUBSCRIBER,
				CALL_NPI_E164);
			return 0;
		}
		/* not in our area: national then */
		/* fall through */
	case CALL_TON_NATIONAL:
		set_num(out, nat,
			ours ? CALL_TON_NATIONAL : CALL_TON_INTERNATIONAL,
			CALL_NPI_E164);
		return 0;
	case CALL_TON_UNKNOWN: {
		struct call_number t;

		set_num(&t, nat,
			ours ? CALL_TON_NATIONAL : CALL_TON_INTERNATIONAL,
			CALL_NPI_E164);
		if (call_number_dial(p, &t, out->digits, sizeof(out->digits)))
			return -EINVAL;
		out->ton = CALL_TON_UNKNOWN;
		out->npi = CALL_NPI_E164;
		return 0;
	}
	default:
		set_num(out, d, CALL_TON_INTERNATIONAL, CALL_NPI_E164);
		return 0;
	}
}

int call_number_dial(const struct call_numplan *p, const struct call_number *n,
		     char *out, size_t len)
{
	if (!*n->digits)
		return -EINVAL;
	switch (n->ton) {
	case CALL_TON_INTERNATIONAL:
		if (!*p->intl_prefix)
			return -EINVAL;
		return put(out, len, p->intl_prefix, n->digits, "");
	case CALL_TON_NATIONAL:
		return put(out, len, p->natl_prefix, n->digits, "");
	default:
		return put(out, len, n->digits, "", "");
	}
}

/* Value of ";phone-context=" in the parameters @par, or an unset view. */
static struct strv phone_context(struct strv par)
{
	static const char key[] = "phone-context=";
	const size_t kl = sizeof(key) - 1;

	while (par.l) {
		const char *semi = memchr(par.p, ';', par.l);
		size_t l = semi ? (size_t)(semi - par.p) : par.l;

		if (l > kl && !strncasecmp(par.p, key, kl))
			return (struct strv){par.p + kl, l - kl};
		if (!semi)
			break;
		par.p += l + 1;
		par.l -= l + 1;
	}
	return STRV_NULL;
}

int call_number_from_user(const struct call_numplan *p, struct strv user,
			  struct call_number *out)
{
	const char *semi = user.p ? memchr(user.p, ';', user.l) : NULL;
	struct strv num = user, ctx = STRV_NULL;
	char d[CALL_NUMBER_MAX + 1], cd[CALL_NUMBER_MAX + 1];
	bool plus, cplus;

	if (!user.p)
		return -EINVAL;
	if (semi) {
		num.l = (size_t)(semi - user.p);
		ctx =
		    phone_context((struct strv){semi + 1, user.l - num.l - 1});
	}
	if (!strv_isset(ctx))
		return call_number_classify(p, num, out);
	if (digits_of(num, d, sizeof(d), &plus) || plus || !ctx.l)
		return -EINVAL;
	if (ctx.p[0] == '+') {
		/* a global context: the number is context digits + local */
		if (digits_of(ctx, cd, sizeof(cd), &cplus) ||
		    strlen(cd) + strlen(d) > CALL_E164_MAX)
			return -EINVAL;
		strcat(cd, d);
		set_num(out, cd, CALL_TON_INTERNATIONAL, CALL_NPI_E164);
		return 0;
	}
	/* a domain context: a number private to that domain */
	set_num(out, d, CALL_TON_UNKNOWN, CALL_NPI_PRIVATE);
	return 0;
}

int call_number_from_tel(const struct call_numplan *p, struct strv uri,
			 struct call_number *out)
{
	uri = strv_trim(uri);
	if (!uri.p || uri.l < 5 || strncasecmp(uri.p, "tel:", 4))
		return -EINVAL;
	uri.p += 4;
	uri.l -= 4;
	return call_number_from_user(p, uri, out);
}

int call_number_to_user(const struct call_numplan *p,
			const struct call_number *n, char *out, size_t len,
			bool *user_phone)
{
	int err;

	if (!*n->digits)
		return -EINVAL;
	err = call_number_to_e164(p, n, out, len);
	*user_phone = !err;
	if (err != -EINVAL)
		return err;
	return put(out, len, n->digits, "", "");
}

int call_number_to_tel(const struct call_numplan *p,
		       const struct call_number *n, const char *ctx, char *out,
		       size_t len)
{
	char e[CALL_E164_MAX + 2];

	if (!call_number_to_e164(p, n, e, sizeof(e)))
		return put(out, len, "tel:", e, "");
	if (!ctx || !*ctx || !*n->digits)
		return -EINVAL;
	if (snprintf(out, len, "tel:%s;phone-context=%s", n->digits, ctx) >=
	    (int)len)
		return -ENOSPC;
	return 0;
}

static const char *const pres_names[] = {"allowed", "restricted",
					 "unavailable"};
static const char *const screen_names[] = {"user-not-screened", "user-passed",
					   "user-failed", "network"};

const char *call_pres_name(enum call_pres p)
{
	return (unsigned)p < 3 ? pres_names[p] : "unknown";
}

const char *call_screen_name(enum call_screen s)
{
	return (unsigned)s < 4 ? screen_names[s] : "unknown";
}

int call_pres_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, pres_names[i]))
			return i;
	return -EINVAL;
}

int call_screen_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, screen_names[i]))
			return i;
	return -EINVAL;
}

bool call_party_trusted(const struct call_party *pty)
{
	return pty->screen == CALL_SCREEN_NETWORK ||
	       pty->screen == CALL_SCREEN_USER_PASSED;
}
