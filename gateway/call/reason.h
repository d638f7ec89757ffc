/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Reason header (RFC 3326): why a request (BYE, CANCEL) or, per
 * RFC 6432, a final response was sent. The gateway sends
 * "Q.850;cause=N" and reads it back into the TDM release.
 *
 *   Reason       = "Reason" HCOLON reason-value *(COMMA reason-value)
 *   reason-value = protocol *(SEMI reason-params)
 *   protocol     = "SIP" / "Q.850" / token
 *   reason-params = "cause" EQUAL 1*DIGIT / "text" EQUAL quoted-string /
 *                   generic-param
 *
 * The parser works on the header's value (after "Reason:"), as a view;
 * it does not depend on the SIP stack.
 */
#ifndef TL_CALL_REASON_H
#define TL_CALL_REASON_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"
#include "../base/strv.h"

enum call_reason_proto {
	CALL_REASON_OTHER = 0,
	CALL_REASON_SIP,
	CALL_REASON_Q850,
};

struct call_reason {
	enum call_reason_proto proto;
	struct strv proto_name; /* as written; borrowed from the input */
	bool has_cause;
	unsigned cause; /* SIP: 100..699; Q.850: 0..127; other: any */
	/* the quoted-string's inside, escapes still in; borrowed. Unset
	 * (p == NULL) when there is no text parameter. */
	struct strv text;
};

#define CALL_REASON_MAX 8

struct call_reason_list {
	size_t n;
	struct call_reason v[CALL_REASON_MAX];
};

/*
 * Parse a Reason header value @hv, which may hold several comma-separated
 * reason-values, into @rl. Parameters may come in any order; unknown ones
 * (generic-param) are checked and skipped. Views in @rl borrow @hv.
 * Returns 0, -EBADMSG for anything malformed (bad token, bad quoting, a
 * cause out of range for its protocol, a repeated cause or text), or
 * -E2BIG for more than CALL_REASON_MAX values.
 */
int call_reason_parse(struct call_reason_list *rl, struct strv hv);

/* The first value of protocol @proto in @rl that has a cause, or NULL. */
const struct call_reason *call_reason_find(const struct call_reason_list *rl,
					   enum call_reason_proto proto);

/* Unescape @r's text into @out (NUL-terminated, size @n): "" when there is
 * no text. 0, or -ENOSPC if it was cut. */
int call_reason_text(const struct call_reason *r, char *out, size_t n);

/*
 * Append one reason-value to @b: "@proto;cause=@cause" and, if @text is
 * not NULL, ';text="..."' with '"' and '\' escaped and control
 * characters other than HTAB dropped. @proto must be a token ("Q.850",
 * "SIP"). 0, -EINVAL for a bad @proto, or a buf error.
 */
int call_reason_print(struct buf *b, const char *proto, unsigned cause,
		      const char *text);

/* Append every value of @rl, comma-separated, as parsed (text verbatim).
 * 0 or a buf error. */
int call_reason_print_list(struct buf *b, const struct call_reason_list *rl);

#endif
