// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: control requests, as a client could send them, through
 * the word splitter, the dispatcher and both renderers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int echo_h(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)arg;
	ctl_list_begin(r, "args");
	for (int i = 0; i < argc; i++) {
		ctl_obj_begin(r, NULL);
		ctl_put_str(r, "word", "%s", argv[i]);
		ctl_put_int(r, "len", (int64_t)strlen(argv[i]));
		ctl_obj_end(r);
	}
	ctl_list_end(r);
	return argc > 2 ? ctl_fail(r, "too many: %s", argv[2]) : 0;
}

static const struct ctl_cmd cmds[] = {
	{ "show", "[ARGS]", "echo", echo_h, 0, CTL_MAX_WORDS },
	{ "show calls", NULL, "echo", echo_h, 0, 0 },
	{ "call hangup", "ID", "echo", echo_h, 1, 1 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct loop *l;
	static struct ctl *ctl;
	struct buf out = { 0 };
	char *line;

	if (!ctl) {
		l = loop_new();
		ctl = ctl_new(l);
		ctl_register(ctl, cmds, sizeof(cmds) / sizeof(cmds[0]), NULL);
	}
	if (size > 2 * CTL_MAX_LINE)
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	ctl_exec(ctl, line, &out);
	buf_free(&out);
	free(line);
	return 0;
}
