/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP call leg (B2BUA UAS for incoming calls, UAC for outgoing ones):
 * struct call_leg_ops over the SIP module's transaction layer, dialogs,
 * digest auth, the SDP offer/answer engine and one media stream per leg.
 *
 * The SIP module knows nothing of calls: this file registers itself as the
 * module's INVITE handler (sip_mod_set_invite_h) when the call core calls
 * call_leg_sip_listen(), and places outgoing calls through the running
 * module.
 */
#ifndef TL_CALL_LEG_SIP_H
#define TL_CALL_LEG_SIP_H

#include "leg.h"

/*
 * Take incoming SIP calls: every new INVITE (outside a dialog, accepted
 * by the SIP module) becomes a SIP leg (a mem object) and @newcall_h gets
 * it with one event, CALL_LEG_SETUP (.setup borrowed for the call). To
 * take the call the handler mem_ref()s the leg and call_leg_bind()s it
 * before returning; a leg not bound on return is released with cause 21
 * (call rejected; 403). Later events go to the bound handler.
 * @newcall_h NULL stops taking calls: INVITEs get 480 from the SIP module
 * again. One listener at a time; a second call replaces the first.
 */
void call_leg_sip_listen(call_leg_ev_h *newcall_h, void *arg);

/*
 * A new outgoing SIP leg towards [peer @peer] (a section name). *@legp
 * gets a mem object (the caller's reference); nothing is sent until
 * ops->dial(). @ctx is the SIP module instance (struct sip_mod *) to
 * use, or NULL for the running one. 0, -ENOENT (no such peer, or no SIP
 * module running), -ENOMEM.
 */
int call_leg_sip_new(struct call_leg **legp, const char *peer, void *ctx);

#endif
