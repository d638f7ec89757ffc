/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon's own modules: [general] and [control]. */
#ifndef TL_CORE_CORE_H
#define TL_CORE_CORE_H

#include "app.h"

#define TRUNKLINE_VERSION "0.1.0"

extern const struct tl_module core_module;
extern const struct tl_module control_module;

/* The [general] section. */
struct core_conf {
	int log_level;
	char *name;
	char *pidfile;
};

/* The [control] section. */
struct control_conf {
	char *socket;
	char *socket_mode;
	int64_t max_clients;
};

#define CONTROL_SOCKET_DEFAULT "/run/trunkline/trunkline.ctl"

#endif
