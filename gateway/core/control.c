// SPDX-License-Identifier: GPL-2.0
/* [control]: the control socket's place, permissions and limits. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOG_TAG "control"
#include "../base/log.h"
#include "../ctl/ctl.h"
#include "core.h"

static int check_mode(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;
	char *end;
	long m = strtol(s, &end, 8);

	if (!*s || *end || m < 0600 || m > 0777) {
		snprintf(why, n, "\"%s\" is not an octal mode from 0600 to 0777",
			 s);
		return -EINVAL;
	}
	return 0;
}

static int check_path(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;

	if (s[0] != '/' || strlen(s) > 100) {
		snprintf(why, n, "must be an absolute path of at most 100 bytes");
		return -EINVAL;
	}
	return 0;
}

static const struct conf_kw control_kws[] = {
	{ "socket", CONF_STR, offsetof(struct control_conf, socket),
	  CONTROL_SOCKET_DEFAULT, 0, 0, NULL, check_path, 0,
	  "Unix socket for trunklinectl" },
	{ "socket_mode", CONF_STR, offsetof(struct control_conf, socket_mode),
	  "0660", 0, 0, NULL, check_mode, 0,
	  "permissions of the socket file (octal)" },
	{ "max_clients", CONF_INT, offsetof(struct control_conf, max_clients),
	  "16", 1, 1024, NULL, NULL, CONF_RELOAD,
	  "control connections open at once" },
};

static const struct conf_sect_def control_sect = {
	.name = "control",
	.size = sizeof(struct control_conf),
	.kws = control_kws,
	.nkws = sizeof(control_kws) / sizeof(control_kws[0]),
	.help = "the control socket",
};

static const struct conf_sect_def *const control_sects[] = { &control_sect,
							     NULL };

static void make_parent(const char *path)
{
	char *copy = strdup(path);

	/* only the last level: /run/trunkline under /run */
	if (copy && mkdir(dirname(copy), 0755) && errno != EEXIST)
		LOGD("mkdir for %s: %s", path, strerror(errno));
	free(copy);
}

static int control_start(struct app *app)
{
	const struct control_conf *cc = conf_get(app->conf, "control");
	int err;

	ctl_set_max_clients(app->ctl, (unsigned)cc->max_clients);
	make_parent(cc->socket);
	err = ctl_listen(app->ctl, cc->socket,
			 (mode_t)strtol(cc->socket_mode, NULL, 8));
	if (err) {
		LOGE("control socket %s: %s%s", cc->socket, strerror(-err),
		     err == -EADDRINUSE ? " (is another trunkline running?)" :
					  "");
		return err;
	}
	LOGI("control socket %s", cc->socket);
	return 0;
}

static int control_reload(struct app *app, const struct conf *old)
{
	const struct control_conf *cc = conf_get(app->conf, "control");

	(void)old;
	return ctl_set_max_clients(app->ctl, (unsigned)cc->max_clients);
}

const struct tl_module control_module = {
	.name = "control",
	.sects = control_sects,
	.start = control_start,
	.reload = control_reload,
};
