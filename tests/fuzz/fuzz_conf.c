// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the config parser on arbitrary text, with every
 * section definition of the daemon. Must never crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/core/app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errs errs;
	struct conf *c = NULL;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	conf_errs_init(&errs);
	if (!conf_load_str("fuzz.conf", text, app_sect_defs(), &c, &errs)) {
		/* reload against itself exercises the comparisons */
		conf_keep_fixed(c, c, NULL, NULL);
		mem_deref(c);
	}
	conf_errs_clear(&errs);
	free(text);
	return 0;
}
