/* SPDX-License-Identifier: GPL-2.0 */
/* The TDM layer's daemon module (listed in gateway/core/modules.c). */
#ifndef TL_TDM_MODULE_H
#define TL_TDM_MODULE_H

#include "../gateway/core/app.h"
#include "tdm.h"

extern const struct tl_module tdm_module;

/* The module's config sections: [tdm], [span N], [sim]; NULL-terminated
 * (also in tdm_module.sects). */
extern const struct conf_sect_def *const tdm_sects[];

/* The running TDM layer (borrowed), or NULL before start/after stop: the
 * call layer binds to it with tdm_listen() and seizes through it. */
struct tdm *tdm_module_tdm(void);

#endif
