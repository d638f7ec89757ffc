// SPDX-License-Identifier: GPL-2.0
/* [general]: logging, identity, pid file; the status and reload commands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOG_TAG "core"
#include "../base/log.h"
#include "../base/loop.h"
#include "../ctl/ctl.h"
#include "core.h"

static const char *const level_names[] = { "error", "warning", "notice",
					   "info",  "debug",   NULL };

static const struct conf_kw general_kws[] = {
	{ "log_level", CONF_ENUM, offsetof(struct core_conf, log_level),
	  "info", 0, 0, level_names, NULL, CONF_RELOAD,
	  "least severe level logged" },
	{ "name", CONF_STR, offsetof(struct core_conf, name), "trunkline", 0,
	  0, NULL, NULL, CONF_RELOAD, "this gateway's name in status and logs" },
	{ "pidfile", CONF_STR, offsetof(struct core_conf, pidfile), "", 0, 0,
	  NULL, NULL, 0, "write the daemon's pid here (empty: none)" },
};

static const struct conf_sect_def general_sect = {
	.name = "general",
	.size = sizeof(struct core_conf),
	.kws = general_kws,
	.nkws = sizeof(general_kws) / sizeof(general_kws[0]),
	.help = "daemon-wide settings",
};

static const struct conf_sect_def *const core_sects[] = { &general_sect,
							  NULL };

static int cmd_status(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	struct app *app = arg;
	const struct core_conf *cc = conf_get(app->conf, "general");
	char tbuf[64];
	struct tm tm;

	(void)argc;
	(void)argv;
	gmtime_r(&app->started, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ctl_put_str(r, "name", "%s", cc->name);
	ctl_put_str(r, "version", "%s", TRUNKLINE_VERSION);
	ctl_put_int(r, "pid", getpid());
	ctl_put_str(r, "started", "%s", tbuf);
	ctl_put_int(r, "uptime_s",
		    (int64_t)((loop_now_ms() - app->started_ms) / 1000));
	ctl_put_str(r, "config", "%s", app->conf_path);
	ctl_put_str(r, "log_level", "%s", log_level_name(log_level_cur));
	ctl_put_int(r, "reloads", app->nreloads);
	ctl_put_int(r, "reload_failures", app->nreload_fail);
	ctl_list_begin(r, "modules");
	for (size_t m = 0; app_modules[m]; m++)
		ctl_put_str(r, NULL, "%s", app_modules[m]->name);
	ctl_list_end(r);
	return 0;
}

static int cmd_reload(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	return app_reload(arg, r);
}

static const struct ctl_cmd core_cmds[] = {
	{ "status", NULL, "version, uptime, config file, modules", cmd_status,
	  0, 0 },
	{ "reload", NULL, "re-read the configuration (like SIGHUP)",
	  cmd_reload, 0, 0 },
};

static void write_pidfile(const char *path)
{
	FILE *f;

	if (!*path)
		return;
	f = fopen(path, "w");
	if (!f) {
		LOGW("cannot write pid file %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

static int core_start(struct app *app)
{
	const struct core_conf *cc = conf_get(app->conf, "general");

	log_set_level(cc->log_level);
	write_pidfile(cc->pidfile);
	return ctl_register(app->ctl, core_cmds,
			    sizeof(core_cmds) / sizeof(core_cmds[0]), app);
}

static int core_reload(struct app *app, const struct conf *old)
{
	const struct core_conf *cc = conf_get(app->conf, "general");

	(void)old;
	log_set_level(cc->log_level);
	return 0;
}

static void core_stop(struct app *app)
{
	const struct core_conf *cc = conf_get(app->conf, "general");

	ctl_unregister(app->ctl, core_cmds);
	if (*cc->pidfile)
		unlink(cc->pidfile);
}

const struct tl_module core_module = {
	.name = "core",
	.sects = core_sects,
	.start = core_start,
	.reload = core_reload,
	.stop = core_stop,
};
