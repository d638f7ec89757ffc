// SPDX-License-Identifier: GPL-2.0
/* "show registrations": one row per registration of the set. */
#include <stdio.h>

#include "../ctl/ctl.h"
#include "reg_set.h"

/* Milliseconds as whole seconds rounded up ("expires in 1" until the
 * very end), or -1 for "none". */
static int64_t secs(int64_t ms)
{
	return ms < 0 ? -1 : (ms + 999) / 1000;
}

static void put_reg(struct ctl_reply *r, const struct sip_regs_ent *e)
{
	struct sip_reg_info i;
	char as[SA_STRLEN];

	sip_reg_info(e->r, &i);
	ctl_obj_begin(r, NULL);
	ctl_put_str(r, "name", "%s", i.name);
	ctl_put_str(r, "registrar", "%s:%s", sip_tp_name(i.tp),
		    sa_str(&i.registrar, as, sizeof(as)));
	ctl_put_str(r, "aor", "%s", i.aor);
	ctl_put_str(r, "state", "%s", e->leaving && i.state ==
		    SIP_REG_UNREGISTERING ? "leaving" :
		    sip_reg_state_name(i.state));
	ctl_put_int(r, "last_status", i.last_scode);
	ctl_put_str(r, "last_reason", "%s", i.last_reason);
	ctl_put_int(r, "expires_in", secs(i.expires_in_ms));
	ctl_put_int(r, "next_attempt", secs(i.next_ms));
	ctl_put_int(r, "failures", i.failures);
	ctl_obj_end(r);
}

static int cmd_show(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	const struct sip_regs *s = arg;
	struct le *le, *nx;

	(void)argc;
	(void)argv;
	ctl_list_begin(r, "registrations");
	LIST_FOREACH(&s->ents, le, nx)
		put_reg(r, le->data);
	ctl_list_end(r);
	return 0;
}

const struct ctl_cmd sip_regs_cmds[] = {
	{ "show registrations", NULL,
	  "registrations at trunks: state, last status, expiry, next attempt "
	  "(seconds; -1 = none)",
	  cmd_show, 0, 0 },
};

const size_t sip_regs_ncmds = sizeof(sip_regs_cmds) / sizeof(sip_regs_cmds[0]);
