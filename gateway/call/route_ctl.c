// SPDX-License-Identifier: GPL-2.0
/* "show routes": the live route table, in order. */
#include <stdio.h>

#include "../base/buf.h"
#include "route.h"
#include "route_priv.h"

static void put_list(struct ctl_reply *r, const char *key,
		     const struct conf_strlist *l)
{
	struct buf b = {0};

	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", l->v[i]);
	ctl_put_str(r, key, "%s", l->n ? buf_cstr(&b) : "any");
	buf_free(&b);
}

/* "strip 2, 00:+, prepend 9" or "-" */
static void put_rewrite(struct ctl_reply *r, const char *key, int64_t strip,
			const char *replace, const char *prepend)
{
	char s[96];
	int n = 0;

	if (strip)
		n += snprintf(s + n, sizeof(s) - (size_t)n, "strip %lld",
			      (long long)strip);
	if (*replace)
		n += snprintf(s + n, sizeof(s) - (size_t)n, "%sreplace %s",
			      n ? ", " : "", replace);
	if (*prepend)
		n += snprintf(s + n, sizeof(s) - (size_t)n, "%sprepend %s",
			      n ? ", " : "", prepend);
	ctl_put_str(r, key, "%s", n ? s : "-");
}

static int cmd_show_routes(struct ctl_reply *r, int argc, char **argv,
			   void *arg)
{
	struct call_routes *const *slot = arg;
	const struct call_routes *rt = slot ? *slot : NULL;
	const struct call_route_conf *rc;
	const char *name;

	(void)argc;
	(void)argv;
	ctl_list_begin(r, "routes");
	for (size_t i = 0; rt && i < call_route_ctl_n(rt); i++) {
		rc = call_route_ctl_get(rt, i, &name);
		ctl_obj_begin(r, NULL);
		ctl_put_int(r, "order", (int64_t)i + 1);
		ctl_put_str(r, "name", "%s", name);
		put_list(r, "ingress", &rc->ingress);
		put_list(r, "called", &rc->called);
		put_list(r, "calling", &rc->calling);
		put_rewrite(r, "called_rewrite", rc->called_strip,
			    rc->called_replace, rc->called_prepend);
		put_rewrite(r, "calling_rewrite", rc->calling_strip,
			    rc->calling_replace, rc->calling_prepend);
		put_list(r, "targets", &rc->targets);
		ctl_put_str(r, "hunt", "%s",
			    call_hunt_name((enum call_hunt)rc->hunt));
		put_list(r, "failover", &rc->failover);
		ctl_obj_end(r);
	}
	ctl_list_end(r);
	return 0;
}

const struct ctl_cmd call_route_cmds[] = {
    {"show routes", NULL, "the route table, in the order it is tried",
     cmd_show_routes, 0, 0},
};

const size_t call_route_ncmds =
    sizeof(call_route_cmds) / sizeof(call_route_cmds[0]);
