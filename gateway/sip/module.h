/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's SIP module: [sip], [peer NAME] and [media], the transports,
 * the transaction layer on top of them, request dispatch, "show sip".
 *
 * Every received message goes through the transaction layer; new requests
 * come back to the module's dispatch, which answers what it can itself
 * (OPTIONS, 405, 501, 416, 420, 481 ...), hands in-dialog requests to the
 * dialog user that registered the dialog (sip_mod_dlg_add) and new INVITEs
 * to the INVITE handler (sip_mod_set_invite_h), if any: the module knows
 * nothing of calls.
 */
#ifndef TL_SIP_MODULE_H
#define TL_SIP_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/list.h"
#include "../core/app.h"
#include "transp.h"

struct loop;
struct media_conf;
struct media_ports;
struct sip_dialog;
struct sip_mod;
struct sip_peer_conf;
struct sip_strans;
struct sip_tsx_layer;

/* For app_modules[] (gateway/core/modules.c), after control_module. */
extern const struct tl_module sip_module;

/* What the gateway advertises: methods it serves (Allow) and extensions
 * (Supported); 420 answers a Require outside SIP_MOD_SUPPORTED. */
#define SIP_MOD_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE"
#define SIP_MOD_SUPPORTED "100rel, timer"
#define SIP_MOD_ACCEPT "application/sdp"

/*
 * A new INVITE outside any dialog, accepted by the module's checks. @st is
 * borrowed for the call (mem_ref() to answer later); the handler must
 * answer it, now or later. @peer is the [peer] the source address
 * identifies, or NULL ("peer:unknown", only when [sip] unknown_peers =
 * accept); it is valid during the call only (a reload replaces it).
 */
typedef void(sip_invite_h)(struct sip_mod *sm, struct sip_strans *st,
			   const struct sip_msg *req, const struct sip_src *src,
			   const char *peer_name,
			   const struct sip_peer_conf *peer, void *arg);

/*
 * Route new INVITEs of every SIP module instance to @h (NULL: none, then
 * INVITE is answered 480 as before). One handler at a time. Returns 0.
 */
int sip_mod_set_invite_h(sip_invite_h *h, void *arg);

/*
 * A request inside a dialog a user registered: @st is its server
 * transaction (borrowed for the call; answer it), or NULL for an ACK,
 * which has none (the ACK of a 2xx, RFC 3261 13.2.2.4).
 */
typedef void(sip_mod_dlg_h)(struct sip_strans *st, const struct sip_msg *req,
			    const struct sip_src *src, void *arg);

/* A registration of a dialog for in-dialog request dispatch; embed it. */
struct sip_mod_dlg {
	struct le le;
	struct sip_dialog *d;	/* borrowed; may be replaced while linked */
	sip_mod_dlg_h *h;
	void *arg;
};

/* Send requests matching @d (RFC 3261 12.2.2) to @h. @md must stay linked
 * until sip_mod_dlg_del(); it is not referenced. */
void sip_mod_dlg_add(struct sip_mod *sm, struct sip_mod_dlg *md,
		     struct sip_dialog *d, sip_mod_dlg_h *h, void *arg);
/* Unlink @md (a no-op when not linked). */
void sip_mod_dlg_del(struct sip_mod_dlg *md);

/*
 * A module instance on @loop with the [sip], [peer] and [media] sections
 * of @conf (borrowed: must outlive the instance or be replaced with
 * sip_mod_set_conf): transports listening, the transaction layer, the RTP
 * port pool. The daemon's module is made with this; tests make their own.
 * 0, or a negative errno (-EADDRINUSE ...).
 */
int sip_mod_alloc(struct sip_mod **smp, struct loop *loop,
		  const struct conf *conf);

/* Replace the configuration (reload): user agent, timers, peers. 0 or
 * -errno; on error the old one stays. */
int sip_mod_set_conf(struct sip_mod *sm, const struct conf *conf);

/* The daemon's running instance, or NULL. */
struct sip_mod *sip_mod_running(void);

/* Parts of an instance, borrowed. */
struct loop *sip_mod_loop(const struct sip_mod *sm);
struct sip_tsx_layer *sip_mod_tsx(const struct sip_mod *sm);
struct sip_transp *sip_mod_transp(const struct sip_mod *sm);
struct media_ports *sip_mod_ports(const struct sip_mod *sm);
const struct media_conf *sip_mod_media_conf(const struct sip_mod *sm);
const char *sip_mod_ua(const struct sip_mod *sm);
uint32_t sip_mod_t1(const struct sip_mod *sm);
/* [sip] unknown_srtp: the SRTP policy (enum sip_peer_srtp) of calls
 * from sources no [peer] identifies. */
int sip_mod_unknown_srtp(const struct sip_mod *sm);
/* [sip] session_min_se: the shortest session interval we accept or ask
 * for (RFC 4028 Min-SE), seconds. */
uint32_t sip_mod_min_se(const struct sip_mod *sm);

/* [peer @name] of the current configuration, or NULL. Valid until the
 * next sip_mod_set_conf(). */
const struct sip_peer_conf *sip_mod_peer(const struct sip_mod *sm,
					 const char *name);

/* Our local address (numeric, for Contact and SDP) and sent-by for
 * @tp and the address family of @dst. 0 or -ENOENT (no listener). */
int sip_mod_local(const struct sip_mod *sm, enum sip_tp tp,
		  const struct sa *dst, struct sa *local, char *sent_by,
		  size_t n);

#endif
