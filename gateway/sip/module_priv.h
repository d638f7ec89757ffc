/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the SIP module: the instance, shared by module.c and
 * module_req.c. */
#ifndef TL_SIP_MODULE_PRIV_H
#define TL_SIP_MODULE_PRIV_H

#include "../base/list.h"
#include "module.h"
#include "sipconf.h"
#include "transp.h"
#include "tsx.h"

struct sip_mod_stats {
	uint64_t requests;
	uint64_t acks;		/* never answered */
	uint64_t stray_ack;	/* ACKs no dialog took */
	uint64_t stray_resp;	/* responses without a transaction */
	uint64_t answered[7];	/* by class: [1] 1xx ... [6] 6xx */
	uint64_t send_err;
	uint64_t invites;	/* handed to the INVITE handler */
};

struct sip_mod {
	struct loop *loop;		/* borrowed */
	const struct conf *conf;	/* borrowed: the live configuration */
	struct sip_transp *tp;		/* owned */
	struct sip_tsx_layer *tsx;	/* owned */
	struct media_ports *ports;	/* owned */
	struct sip_regs *regs;		/* owned: [registration] clients */
	struct sip_pings *pings;	/* owned: [peer] OPTIONS keepalive */
	char *ua;			/* owned: Server header value */
	struct list dlgs;		/* struct sip_mod_dlg, not owned */
	struct sip_mod_stats st;
};

/* New request in server transaction @st (module_req.c). */
void sip_mod_request(struct sip_strans *st, const struct sip_msg *req,
		     const struct sip_src *src, void *arg);

/* An ACK no transaction took: the dialog's (module_req.c). */
void sip_mod_ack(struct sip_mod *sm, const struct sip_msg *req,
		 const struct sip_src *src);

#endif
