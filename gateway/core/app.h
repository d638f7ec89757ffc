/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon: its modules, its configuration and its lifecycle.
 *
 * A module contributes config sections (keyword tables), and start, reload
 * and stop hooks. Configuration is read into a new struct conf and checked
 * whole before any module sees it; on reload a bad file is rejected with its
 * errors and the running configuration stays live.
 */
#ifndef TL_CORE_APP_H
#define TL_CORE_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "../ctl/conf.h"

struct app;
struct ctl;
struct loop;

struct tl_module {
	const char *name;
	const struct conf_sect_def *const *sects; /* NULL-terminated or NULL */
	/* Start with app->conf; undone by stop() when a later module fails. */
	int (*start)(struct app *app);
	/* app->conf is the new config, @old the previous one (still valid). */
	int (*reload)(struct app *app, const struct conf *old);
	void (*stop)(struct app *app);
};

struct app {
	struct loop *loop;   /* owned */
	struct ctl *ctl;     /* owned */
	struct conf *conf;   /* owned: the live configuration */
	const char *conf_path; /* borrowed from main(): absolute */
	bool foreground;
	time_t started;
	uint64_t started_ms;
	unsigned nreloads, nreload_fail;
	time_t last_reload;
	int nstarted; /* modules started, for unwinding */
};

/* The modules in start order (gateway/core/modules.c). */
extern const struct tl_module *const app_modules[];

/* Every section definition of every module, NULL-terminated. */
const struct conf_sect_def *const *app_sect_defs(void);

/* Load and check @path; print every error with @report. 0 or -EINVAL. */
typedef void(app_report_h)(const char *msg, void *arg);
int app_conf_load(const char *path, struct conf **confp, app_report_h *rh,
		  void *arg);

/* Start every module on app->conf; on failure, stop those started. */
int app_start(struct app *app);
/* Reload from app->conf_path; on any error the old config stays live.
 * Errors are logged and, if @r is given, put into the control reply. */
struct ctl_reply;
int app_reload(struct app *app, struct ctl_reply *r);
void app_stop(struct app *app);

#endif
