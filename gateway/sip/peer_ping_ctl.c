// SPDX-License-Identifier: GPL-2.0
/* "show peers": every [peer] of the live configuration with its
 * keepalive state ("off" when it is not pinged). */
#include <stdio.h>

#include "../ctl/ctl.h"
#include "peer.h"
#include "peer_ping_priv.h"

static void put_peer(struct ctl_reply *r, const struct sip_pings *s,
		     const struct sip_peer_conf *c)
{
	struct sip_peer_ping_info i;
	char as[SA_STRLEN];

	sip_pings_info(s, conf_label(c), &i);
	ctl_obj_begin(r, NULL);
	ctl_put_str(r, "name", "%s", conf_label(c));
	ctl_put_str(r, "address", "%s", sa_str(&c->address, as, sizeof(as)));
	ctl_put_str(r, "transport", "%s",
		    sip_tp_name((enum sip_tp)c->transport));
	ctl_put_bool(r, "identify", c->identify);
	ctl_put_int(r, "keepalive", (int64_t)c->keepalive);
	ctl_put_str(r, "state", "%s", sip_peer_state_name(i.state));
	ctl_put_int(r, "last_status", i.last_scode);
	ctl_put_int(r, "rtt_ms", i.rtt_ms);
	/* whole seconds, rounded down: "0" for a change just now */
	ctl_put_int(r, "since_s", i.since_ms < 0 ? -1 : i.since_ms / 1000);
	ctl_put_int(r, "failures", i.fails);
	ctl_obj_end(r);
}

static int cmd_show(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	const struct sip_pings *s = arg;
	const struct sip_peer_conf *c = NULL;

	(void)argc;
	(void)argv;
	ctl_list_begin(r, "peers");
	while ((c = conf_next(s->conf, "peer", c)))
		put_peer(r, s, c);
	ctl_list_end(r);
	return 0;
}

const struct ctl_cmd sip_pings_cmds[] = {
	{ "show peers", NULL,
	  "SIP peers: address, transport, OPTIONS keepalive (interval ms, "
	  "0 = off), state, last status, RTT, seconds in the state",
	  cmd_show, 0, 0 },
};

const size_t sip_pings_ncmds = sizeof(sip_pings_cmds) /
			       sizeof(sip_pings_cmds[0]);
