/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the registration client: the object, shared by reg.c (state
 * machine) and reg_send.c (building and sending REGISTER). */
#ifndef TL_SIP_REG_PRIV_H
#define TL_SIP_REG_PRIV_H

#include "../base/loop.h"
#include "auth.h"
#include "reg.h"
#include "tsx.h"

#define REG_URI_MAX 300
#define REG_CRED_MAX 128

struct sip_reg {
	struct loop *loop;		/* borrowed */
	struct sip_tsx_layer *tsx;	/* borrowed */
	struct sip_transp *tp;		/* borrowed */
	char *name;			/* owned mem strings */
	char *aor;
	char *ua;			/* NULL: no User-Agent */
	char ruri[REG_URI_MAX];		/* sip:domain (10.2) */
	char cuser[REG_CRED_MAX];	/* Contact user part */
	char user[REG_CRED_MAX];	/* digest username */
	char pass[REG_CRED_MAX];	/* "" = no credentials */
	char contact[REG_URI_MAX];	/* our Contact URI, last sent */
	enum sip_tp tpt;
	struct sa registrar;
	struct sa proxy;		/* len 0: none */
	uint32_t expires;		/* configured */
	uint32_t req_exp;		/* asked for now (423 raises it) */
	uint64_t rmin, rmax;		/* back-off bounds, ms */
	char call_id[48];
	char from_tag[24];
	uint32_t cseq;
	struct sip_auth_cli *auth;	/* owned; NULL: no password */
	struct sip_ctrans *ct;		/* owned ref, REGISTER out */
	struct tmr tmr;			/* refresh or retry */
	enum sip_reg_state state;
	bool unreg;			/* the REGISTER out is the removal */
	bool auth_reset;		/* next attempt: fresh digest client */
	unsigned rounds;		/* 401/407/423 re-sends this attempt */
	uint16_t last_scode;
	char last_reason[64];
	uint32_t granted;
	uint64_t bound_until;		/* loop_now_ms(); 0: no binding */
	unsigned failures;
	uint64_t sent;
	sip_reg_h *h;
	void *arg;
};

/*
 * Send REGISTER asking for @expires seconds (0: removal) with the next
 * CSeq, a fresh branch and the cached credentials; on success r->ct holds
 * a reference to its client transaction, whose handler is @h. 0 or a
 * negative errno (no listener for the transport, send failure ...).
 */
int sip_reg_send(struct sip_reg *r, uint32_t expires, sip_ctrans_h *h);

#endif
