// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "app"
#include "../base/log.h"
#include "../base/mem.h"
#include "../ctl/reply.h"
#include "app.h"

#define APP_MAX_SECTS 64

const struct conf_sect_def *const *app_sect_defs(void)
{
	static const struct conf_sect_def *defs[APP_MAX_SECTS + 1];
	size_t n = 0;

	if (defs[0])
		return defs;
	for (size_t m = 0; app_modules[m]; m++) {
		const struct conf_sect_def *const *s = app_modules[m]->sects;

		for (; s && *s && n < APP_MAX_SECTS; s++)
			defs[n++] = *s;
	}
	defs[n] = NULL;
	return defs;
}

int app_conf_load(const char *path, struct conf **confp, app_report_h *rh,
		  void *arg)
{
	struct conf_errs errs;
	int err;

	conf_errs_init(&errs);
	err = conf_load(path, app_sect_defs(), confp, &errs);
	for (struct le *le = errs.l.head; le; le = le->next)
		rh(((struct conf_err *)le->data)->msg, arg);
	if (errs.n > 100)
		rh("(more errors not shown)", arg);
	conf_errs_clear(&errs);
	return err;
}

int app_start(struct app *app)
{
	int err;

	for (app->nstarted = 0; app_modules[app->nstarted]; app->nstarted++) {
		const struct tl_module *m = app_modules[app->nstarted];

		if (!m->start)
			continue;
		err = m->start(app);
		if (err) {
			LOGE("module %s failed to start: %s", m->name,
			     strerror(-err));
			app_stop(app);
			return err;
		}
		LOGD("module %s started", m->name);
	}
	return 0;
}

void app_stop(struct app *app)
{
	/* reverse order; only the modules that started */
	while (app->nstarted > 0) {
		const struct tl_module *m = app_modules[--app->nstarted];

		if (m->stop)
			m->stop(app);
	}
}

struct reload_ctx {
	struct ctl_reply *r;
	bool listed;
};

static void reload_err(const char *msg, void *arg)
{
	struct reload_ctx *rc = arg;

	LOGE("%s", msg);
	if (rc->r) {
		if (!rc->listed) {
			ctl_list_begin(rc->r, "errors");
			rc->listed = true;
		}
		ctl_put_str(rc->r, NULL, "%s", msg);
	}
}

static void fixed_key(const char *file, int line, const char *sect,
		      const char *key, void *arg)
{
	struct reload_ctx *rc = arg;

	LOGW("%s:%d: %s: [%s] cannot change on reload; restart to apply",
	     file, line, key, sect);
	if (rc->r) {
		if (!rc->listed) {
			ctl_list_begin(rc->r, "warnings");
			rc->listed = true;
		}
		ctl_put_str(rc->r, NULL,
			    "%s:%d: %s: cannot change on reload; restart to "
			    "apply", file, line, key);
	}
}

int app_reload(struct app *app, struct ctl_reply *r)
{
	struct reload_ctx rc = { .r = r };
	struct conf *newc, *old;
	int err, kept;

	LOGN("reloading %s", app->conf_path);
	app->last_reload = time(NULL);
	err = app_conf_load(app->conf_path, &newc, reload_err, &rc);
	if (err) {
		if (rc.listed)
			ctl_list_end(r);
		app->nreload_fail++;
		LOGE("reload rejected: the running configuration stays live");
		if (r)
			ctl_fail(r, "reload rejected: the running "
				    "configuration stays live (see errors "
				    "in the log)");
		return err;
	}
	kept = conf_keep_fixed(newc, app->conf, fixed_key, &rc);
	if (rc.listed)
		ctl_list_end(r);
	if (kept < 0) {
		mem_deref(newc);
		app->nreload_fail++;
		if (r)
			ctl_fail(r, "reload failed: out of memory");
		return kept;
	}
	old = app->conf;
	app->conf = newc;
	for (size_t m = 0; app_modules[m]; m++) {
		if (!app_modules[m]->reload)
			continue;
		err = app_modules[m]->reload(app, old);
		if (err)
			LOGE("module %s: reload: %s", app_modules[m]->name,
			     strerror(-err));
	}
	mem_deref(old);
	app->nreloads++;
	LOGN("configuration reloaded");
	if (r)
		ctl_put_str(r, "result", "configuration reloaded");
	return 0;
}
