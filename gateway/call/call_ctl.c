// SPDX-License-Identifier: GPL-2.0
/* "show calls" and "call hangup ID". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cause.h"

static int row(struct call *c, void *arg)
{
	struct ctl_reply *r = arg;
	struct call_info ci;

	call_get_info(c, &ci);
	ctl_obj_begin(r, NULL);
	ctl_put_int(r, "id", ci.id);
	ctl_put_str(r, "state", "%s", call_state_name(ci.state));
	ctl_put_str(r, "in", "%s", *ci.in ? ci.in : "-");
	ctl_put_str(r, "out", "%s", *ci.out ? ci.out : "-");
	ctl_put_str(r, "caller", "%s", *ci.caller ? ci.caller : "-");
	ctl_put_str(r, "callee", "%s", ci.callee);
	ctl_put_str(r, "route", "%s", *ci.route ? ci.route : "-");
	ctl_put_str(r, "target", "%s", *ci.target ? ci.target : "-");
	ctl_put_int(r, "duration", (int64_t)(ci.duration_ms / 1000));
	ctl_put_int(r, "talk", (int64_t)(ci.talk_ms / 1000));
	ctl_put_str(r, "codec", "%s", *ci.codec ? ci.codec : "-");
	ctl_put_str(r, "call_id", "%s", ci.cid);
	ctl_obj_end(r);
	return 0;
}

static int cmd_show_calls(struct ctl_reply *r, int argc, char **argv,
			  void *arg)
{
	struct call_core *const *slot = arg;

	(void)argc;
	(void)argv;
	if (!slot || !*slot)
		return ctl_fail(r, "the call layer is not running");
	ctl_list_begin(r, "calls");
	call_core_foreach(*slot, row, r);
	ctl_list_end(r);
	return 0;
}

static int cmd_hangup(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	struct call_core *const *slot = arg;
	unsigned long id;
	struct call *c;
	char *end;

	(void)argc;
	if (!slot || !*slot)
		return ctl_fail(r, "the call layer is not running");
	id = strtoul(argv[0], &end, 10);
	if (!*argv[0] || *end || argv[0][0] == '-' || id > UINT32_MAX)
		return ctl_fail(r, "\"%s\" is not a call id", argv[0]);
	c = call_core_find(*slot, (unsigned)id);
	if (!c)
		return ctl_fail(r, "no call %lu", id);
	if (call_hangup(c, CALL_CAUSE_NORMAL_CLEARING))
		return ctl_fail(r, "call %lu is already ending", id);
	ctl_put_int(r, "id", (int64_t)id);
	ctl_put_int(r, "cause", CALL_CAUSE_NORMAL_CLEARING);
	return 0;
}

const struct ctl_cmd call_cmds[] = {
	{ "show calls", NULL,
	  "calls in progress: state, legs, numbers, duration, codec",
	  cmd_show_calls, 0, 0 },
	{ "call hangup", "ID", "end call ID (cause 16, normal clearing)",
	  cmd_hangup, 1, 1 },
};

const size_t call_ncmds = sizeof(call_cmds) / sizeof(call_cmds[0]);
