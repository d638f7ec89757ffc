// SPDX-License-Identifier: GPL-2.0
/*
 * The call layer as a daemon module. Start builds the route table and the
 * CDR writer from the config and makes the call core on the running TDM
 * layer (incoming PSTN calls: tdm_listen) and the SIP leg's listener
 * (incoming INVITEs); reload swaps the routes, reloads the CDR writer and
 * the limits, leaving calls in progress as they are.
 */
#include <errno.h>
#include <string.h>

#define LOG_TAG "call"
#include "../base/log.h"
#include "../base/mem.h"
#include "../ctl/ctl.h"
#include "../../tdm/module.h"
#include "leg_sip.h"
#include "module.h"

static struct call_core *live; /* owned while started */

static const struct conf_sect_def *const call_sects[] = {
	&call_route_sect,
	&call_cdr_sect,
	&call_calls_sect,
	NULL,
};

struct call_core *call_module_core(void)
{
	return live;
}

static int call_mod_start(struct app *app)
{
	struct call_core_params p = {
		.loop = app->loop,
		.tdm = tdm_module_tdm(),
		.sip_new = call_leg_sip_new,
		.limits = *(const struct call_limits *)conf_get(app->conf,
								"calls"),
	};
	struct call_routes *rt = NULL;
	struct call_cdr_writer *w = NULL;
	int err;

	err = call_routes_new(app->conf, &rt);
	if (err)
		goto out;
	/* a CDR sink that cannot be opened (a missing folder) is logged
	 * and the gateway carries calls without records */
	err = call_cdr_writer_open(conf_get(app->conf, "cdr"), &w);
	if (err)
		LOGE("CDRs will not be written: %s", strerror(-err));
	p.routes = rt;
	p.cdr = w;
	err = call_core_new(&live, &p);
	if (err)
		goto out;
	err = ctl_register(app->ctl, call_cmds, call_ncmds, &live);
	if (!err)
		err = ctl_register(app->ctl, call_route_cmds, call_route_ncmds,
				   call_core_routes_slot(live));
	if (err) {
		ctl_unregister(app->ctl, call_cmds);
		live = mem_deref(live);
		goto out;
	}
	call_leg_sip_listen(call_core_leg_in_h, live);
	LOGI("%zu routes; TDM %s", call_routes_count(rt),
	     p.tdm ? "listening" : "not running");
out:
	mem_deref(rt);
	mem_deref(w);
	return err;
}

static int call_mod_reload(struct app *app, const struct conf *old)
{
	struct call_routes *rt;
	int err;

	(void)old;
	if (!live)
		return 0;
	call_core_set_limits(live, conf_get(app->conf, "calls"));
	err = call_routes_new(app->conf, &rt);
	if (err)
		return err;
	call_core_set_routes(live, rt);
	mem_deref(rt);
	return call_core_reload_cdr(live, conf_get(app->conf, "cdr"));
}

static void call_mod_stop(struct app *app)
{
	call_leg_sip_listen(NULL, NULL);
	ctl_unregister(app->ctl, call_route_cmds);
	ctl_unregister(app->ctl, call_cmds);
	live = mem_deref(live);
}

const struct tl_module call_module = {
	.name = "call",
	.sects = call_sects,
	.start = call_mod_start,
	.reload = call_mod_reload,
	.stop = call_mod_stop,
};
