// SPDX-License-Identifier: GPL-2.0
/* The daemon's modules, in start order (stop runs in reverse). */
#include "app.h"
#include "core.h"
#include "../../tdm/module.h"
#include "../offload/ofl.h"
#include "../sip/module.h"
#include "../call/module.h"

const struct tl_module *const app_modules[] = {
	&core_module,
	&control_module,
	&tdm_module,
	&offload_module,
	&sip_module,
	&call_module,
	NULL,
};
