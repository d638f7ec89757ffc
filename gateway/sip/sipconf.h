/* SPDX-License-Identifier: GPL-2.0 */
/* The [sip] configuration section: its struct and keyword table. */
#ifndef TL_SIP_SIPCONF_H
#define TL_SIP_SIPCONF_H

#include <stdbool.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "transp.h"

struct sip_conf {
	struct conf_strlist listen; /* "udp:127.0.0.1:5060", "tls:[::1]" */
	char *tls_cert;
	char *tls_key;
	char *tls_ca;
	bool tls_verify;
	uint64_t t1, t2, t4;	    /* RFC 3261 17 timer values, ms */
	int64_t max_message;	    /* stream message limit, bytes */
	uint64_t tcp_idle;	    /* ms */
	int64_t max_connections;
	char *user_agent;	    /* Server / User-Agent header value */
	int unknown_peers;	    /* enum sip_conf_unknown */
	int unknown_srtp;	    /* enum sip_peer_srtp of peer:unknown */
	int64_t session_min_se;	    /* RFC 4028 Min-SE we enforce, s */
};

/* What happens to requests from a source no [peer] identifies. */
enum sip_conf_unknown {
	SIP_CONF_UNKNOWN_ACCEPT, /* they come from "peer:unknown" */
	SIP_CONF_UNKNOWN_REJECT, /* INVITE gets 403 */
};

/* The [sip] section definition (for the module's sects[]). */
extern const struct conf_sect_def sip_conf_sect;

/*
 * Parse one listen item "proto:address[:port]" (proto udp, tcp or tls;
 * address IPv4 or [IPv6]; port default 5060, 5061 for tls). 0 or -EINVAL.
 */
int sip_conf_listen_parse(const char *s, enum sip_tp *tp, struct sa *addr);

#endif
