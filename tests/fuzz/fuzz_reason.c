// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the Reason header parser on arbitrary bytes. Whatever
 * it accepts must print back into a value that parses to the same
 * protocols, causes and texts (a round trip), and never crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/buf.h"
#include "../../gateway/call/reason.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct call_reason *a, const struct call_reason *b)
{
	char ta[256], tb[256];

	if (a->proto != b->proto || !strv_eq(a->proto_name, b->proto_name) ||
	    a->has_cause != b->has_cause || a->cause != b->cause ||
	    strv_isset(a->text) != strv_isset(b->text) ||
	    !strv_eq(a->text, b->text))
		abort();
	if (call_reason_text(a, ta, sizeof(ta)) !=
		call_reason_text(b, tb, sizeof(tb)) ||
	    strcmp(ta, tb))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct call_reason_list rl, again;
	struct buf b = {0};
	char text[64];

	/* an exact-size copy, so ASan sees any read past the end */
	char *in = malloc(size ? size : 1);

	if (!in)
		return 0;
	memcpy(in, data, size);
	if (call_reason_parse(&rl, (struct strv){in, size}) == 0) {
		if (call_reason_print_list(&b, &rl))
			abort();
		if (call_reason_parse(
			&again, (struct strv){(const char *)b.data, b.len}))
			abort();
		if (again.n != rl.n)
			abort();
		for (size_t i = 0; i < rl.n; i++) {
			same(&rl.v[i], &again.v[i]);
			call_reason_text(&rl.v[i], text, sizeof(text));
		}
		/* the printer of one value, fed with the unescaped text */
		if (rl.v[0].has_cause) {
			buf_reset(&b);
			call_reason_text(&rl.v[0], text, sizeof(text));
			if (call_reason_print(&b, "Q.850", rl.v[0].cause % 128,
					      text) ||
			    call_reason_parse(
				&again,
				(struct strv){(const char *)b.data, b.len}) ||
			    again.n != 1)
				abort();
		}
	}
	buf_free(&b);
	free(in);
	return 0;
}
