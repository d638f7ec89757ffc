/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon's SIP module: [sip], the transports, "show sip". */
#ifndef TL_SIP_MODULE_H
#define TL_SIP_MODULE_H

#include "../core/app.h"

/* For app_modules[] (gateway/core/modules.c), after control_module. */
extern const struct tl_module sip_module;

/* What the gateway advertises: methods it serves (Allow) and extensions
 * (Supported); 420 answers a Require outside SIP_MOD_SUPPORTED. */
#define SIP_MOD_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE"
#define SIP_MOD_SUPPORTED "100rel, timer"
#define SIP_MOD_ACCEPT "application/sdp"

#endif
