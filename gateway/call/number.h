/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telephone numbers. A number inside the gateway is its digits plus the
 * Q.931 type of number (TON) and numbering plan (NPI), as ISDN carries
 * them; a numbering plan (country code, national and international
 * prefixes, optional area code) converts between that, E.164 ("+4420..."),
 * the digit strings an analog line dials ("020...", "0044..."), SIP user
 * parts ("+4420...;user=phone") and tel: URIs (RFC 3966).
 *
 * Everything here is a pure function on strings: no allocation, no state.
 */
#ifndef TL_CALL_NUMBER_H
#define TL_CALL_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/strv.h"

/* Values as in the Q.931 called/calling party number IE. */
enum call_ton {
	CALL_TON_UNKNOWN = 0,
	CALL_TON_INTERNATIONAL = 1,
	CALL_TON_NATIONAL = 2,
	CALL_TON_NETWORK = 3,
	CALL_TON_SUBSCRIBER = 4,
	CALL_TON_ABBREVIATED = 6,
};

enum call_npi {
	CALL_NPI_UNKNOWN = 0,
	CALL_NPI_E164 = 1,
	CALL_NPI_NATIONAL = 8,
	CALL_NPI_PRIVATE = 9,
};

/* Digits: E.164 allows 15; private plans and dial strings a few more. */
#define CALL_NUMBER_MAX 32
#define CALL_E164_MAX 15

struct call_number {
	char digits[CALL_NUMBER_MAX + 1]; /* 0-9 * #, no '+', no prefix */
	enum call_ton ton;
	enum call_npi npi;
};

/* A trunk's numbering plan: all digit strings, "" where not used. */
struct call_numplan {
	char cc[4];	     /* country code: "44", "1" */
	char ndc[8];	     /* area code for subscriber numbers: "20" */
	char natl_prefix[4]; /* trunk prefix: "0" ("1" in NANP) */
	char intl_prefix[8]; /* "00" or "011" */
};

/* Fill @p; every argument is digits (NULL = ""). 0 or -EINVAL. */
int call_numplan_init(struct call_numplan *p, const char *cc, const char *ndc,
		      const char *natl, const char *intl);

/*
 * Classify a dialled string @s (a line's digits, an unknown-TON ISDN
 * number, a SIP user part without '+'): a leading '+' or the
 * international prefix -> international; the national prefix ->
 * national; otherwise subscriber when the plan has an area code, else
 * unknown. Visual separators (space - . ( )) are dropped. NPI is E.164.
 * 0, or -EINVAL for an empty string, other characters or too many
 * digits.
 */
int call_number_classify(const struct call_numplan *p, struct strv s,
			 struct call_number *out);

/*
 * E.164 of @n as "+CCNSN" into @out (size @len). An unknown TON is
 * classified by the plan's prefixes first. -EINVAL when @n cannot be
 * made E.164 (private plan, subscriber number without area code, more
 * than 15 digits), -ENOSPC when @out is too small.
 */
int call_number_to_e164(const struct call_numplan *p,
			const struct call_number *n, char *out, size_t len);

/*
 * From E.164 @e164 ("+" and digits, separators allowed) to a number of
 * type @want as the PSTN side wants it: international (all digits),
 * national (country code stripped, when it is ours), subscriber (country
 * and area code stripped, when both are ours), or unknown: the dial
 * string with the plan's prefixes ("0" national, "00" international).
 * Falls back to the nearest wider type. 0 or -EINVAL.
 */
int call_number_from_e164(const struct call_numplan *p, struct strv e164,
			  enum call_ton want, struct call_number *out);

/* The digits a line would dial for @n: prefixes added for national and
 * international numbers. 0, -EINVAL or -ENOSPC. */
int call_number_dial(const struct call_numplan *p, const struct call_number *n,
		     char *out, size_t len);

/*
 * A SIP URI's user part @user (already %-decoded) into @out: "+E.164"
 * (separators allowed) is international; a local number with
 * ";phone-context=+DIGITS" is completed with those digits; with
 * ";phone-context=DOMAIN" it is a private number; anything else is
 * classified with the plan. Other ;parameters are ignored. 0 or -EINVAL.
 */
int call_number_from_user(const struct call_numplan *p, struct strv user,
			  struct call_number *out);

/* A "tel:" URI (RFC 3966, scheme case-insensitive) into @out, as
 * call_number_from_user() does with what follows "tel:". 0 or -EINVAL. */
int call_number_from_tel(const struct call_numplan *p, struct strv uri,
			 struct call_number *out);

/*
 * The SIP user part for @n: "+E.164" with *@user_phone set (the URI gets
 * ";user=phone") when @n can be made E.164; else the bare digits with
 * *@user_phone cleared. 0, -EINVAL (no digits) or -ENOSPC.
 */
int call_number_to_user(const struct call_numplan *p,
			const struct call_number *n, char *out, size_t len,
			bool *user_phone);

/* "tel:+E.164", or "tel:DIGITS;phone-context=@ctx" for a number that is
 * not E.164 (needs @ctx, a domain, else -EINVAL). 0, -EINVAL, -ENOSPC. */
int call_number_to_tel(const struct call_numplan *p,
		       const struct call_number *n, const char *ctx, char *out,
		       size_t len);

/* --- presentation and screening (Q.931 calling party number octet 3a) --- */

enum call_pres {
	CALL_PRES_ALLOWED = 0,
	CALL_PRES_RESTRICTED = 1,
	CALL_PRES_UNAVAILABLE = 2,
};

enum call_screen {
	CALL_SCREEN_USER_NOT_SCREENED = 0,
	CALL_SCREEN_USER_PASSED = 1,
	CALL_SCREEN_USER_FAILED = 2,
	CALL_SCREEN_NETWORK = 3,
};

/* A calling (or connected, or redirecting) party. The SIP side maps it to
 * From/P-Asserted-Identity/Privacy, the TDM side to Q.931 IEs or analog
 * caller ID (where "restricted" sends 'P' and "unavailable" 'O'). */
struct call_party {
	struct call_number num;
	char name[64]; /* display name, UTF-8; "" = none */
	enum call_pres pres;
	enum call_screen screen;
};

/* "allowed", "restricted", "unavailable"; "user-not-screened",
 * "user-passed", "user-failed", "network". */
const char *call_pres_name(enum call_pres p);
const char *call_screen_name(enum call_screen s);
/* Names back to values: the value, or -EINVAL. */
int call_pres_parse(const char *s);
int call_screen_parse(const char *s);

/* True when the number was provided (or verified) by a network and not
 * just asserted by the user: what P-Asserted-Identity may carry. */
bool call_party_trusted(const struct call_party *pty);

#endif
