/* SPDX-License-Identifier: GPL-2.0 */
/* The call layer's daemon module: [route NAME], [cdr], [calls]; "show
 * calls", "show routes", "call hangup ID". Listed in gateway/core/modules.c
 * after tdm_module and sip_module, whose running instances it uses. */
#ifndef TL_CALL_MODULE_H
#define TL_CALL_MODULE_H

#include "../core/app.h"
#include "call.h"

extern const struct tl_module call_module;

/* The running call core (borrowed), or NULL before start / after stop. */
struct call_core *call_module_core(void);

#endif
