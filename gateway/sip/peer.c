// SPDX-License-Identifier: GPL-2.0
/* [peer NAME]: address, transport, identification and call policy. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../call/cause.h"
#include "peer.h"

static const char *const tp_names[] = { "udp", "tcp", "tls", NULL };
static const char *const rel_names[] = { "off", "supported", "required",
					 NULL };
static const char *const srtp_names[] = { "off", "optional", "mandatory",
					  NULL };
static const char *const dtmf_names[] = { "rfc4733", "inband", NULL };

/* the codecs the SDP engine negotiates (sdp_codec) */
static const char *const codec_names[] = { "PCMU", "PCMA", "G722" };

static int check_codecs(const void *field, char *why, size_t n)
{
	const struct conf_strlist *l = field;

	if (!l->n) {
		snprintf(why, n, "at least one codec is needed");
		return -EINVAL;
	}
	for (size_t i = 0; i < l->n; i++) {
		bool ok = false;

		for (size_t c = 0; c < 3; c++)
			ok |= !strcasecmp(l->v[i], codec_names[c]);
		if (!ok) {
			snprintf(why, n, "\"%s\" is not PCMU, PCMA or G722",
				 l->v[i]);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (!strcasecmp(l->v[i], l->v[j])) {
				snprintf(why, n, "\"%s\" is listed twice",
					 l->v[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int check_st(const void *field, char *why, size_t n)
{
	int64_t v = *(const int64_t *)field;

	/* RFC 4028 4: Min-SE is never below 90 s */
	if (v && v < SIP_PEER_MIN_SE) {
		snprintf(why, n, "0 (off) or at least %d seconds",
			 SIP_PEER_MIN_SE);
		return -EINVAL;
	}
	return 0;
}

static int check_cred(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;

	/* it goes into a digest computation and a quoted header value */
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			snprintf(why, n, "control characters are not allowed");
			return -EINVAL;
		}
	}
	return 0;
}

static int check_keepalive(const void *field, char *why, size_t n)
{
	uint64_t v = *(const uint64_t *)field;

	/* below this the pings of many peers would be a load of their own */
	if (v && v < SIP_PEER_KEEPALIVE_MIN) {
		snprintf(why, n, "0 (off) or at least %d ms",
			 SIP_PEER_KEEPALIVE_MIN);
		return -EINVAL;
	}
	return 0;
}

static void check_sect(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	const struct sip_peer_conf *p = sect;

	(void)name;
	if (*p->username && !*p->password)
		conf_err_add(errs, file, line, "password",
			     "username is set but password is not");
}

static const struct conf_kw peer_kws[] = {
	{ "address", CONF_ADDR, offsetof(struct sip_peer_conf, address), NULL,
	  5060, 5060, NULL, NULL, CONF_RELOAD | CONF_REQUIRED,
	  "the peer's ip:port (port default 5060)" },
	{ "transport", CONF_ENUM, offsetof(struct sip_peer_conf, transport),
	  "udp", 0, 0, tp_names, NULL, CONF_RELOAD, "udp, tcp or tls" },
	{ "identify", CONF_BOOL, offsetof(struct sip_peer_conf, identify),
	  "yes", 0, 0, NULL, NULL, CONF_RELOAD,
	  "requests from address are from this peer" },
	{ "100rel", CONF_ENUM, offsetof(struct sip_peer_conf, rel100),
	  "supported", 0, 0, rel_names, NULL, CONF_RELOAD,
	  "reliable provisionals (RFC 3262): off, supported, required" },
	{ "srtp", CONF_ENUM, offsetof(struct sip_peer_conf, srtp), "off", 0, 0,
	  srtp_names, NULL, CONF_RELOAD,
	  "SRTP with SDES keys: off, optional, mandatory" },
	{ "codecs", CONF_STRLIST, offsetof(struct sip_peer_conf, codecs),
	  "PCMU, PCMA", 0, 0, NULL, check_codecs, CONF_RELOAD,
	  "codecs in preference order: PCMU, PCMA, G722" },
	{ "dtmf", CONF_ENUM, offsetof(struct sip_peer_conf, dtmf), "rfc4733",
	  0, 0, dtmf_names, NULL, CONF_RELOAD, "rfc4733 or inband" },
	{ "session_timer", CONF_INT,
	  offsetof(struct sip_peer_conf, session_timer), "0", 0, 86400, NULL,
	  check_st, CONF_RELOAD,
	  "RFC 4028 session interval in seconds, 0 = off" },
	{ "cause_map", CONF_STR, offsetof(struct sip_peer_conf, cause_map),
	  "", 0, 0, NULL, call_cause_ovr_check, CONF_RELOAD,
	  "cause overrides: \"486=17, cause 34 = 480\"" },
	{ "username", CONF_STR, offsetof(struct sip_peer_conf, username), "",
	  0, 0, NULL, check_cred, CONF_RELOAD,
	  "digest username for calls to the peer" },
	{ "password", CONF_STR, offsetof(struct sip_peer_conf, password), "",
	  0, 0, NULL, check_cred, CONF_RELOAD, "digest password" },
	{ "keepalive", CONF_MS, offsetof(struct sip_peer_conf, keepalive), "0",
	  0, 86400000, NULL, check_keepalive, CONF_RELOAD,
	  "OPTIONS keepalive interval (e.g. 30s), 0 = off" },
	{ "keepalive_fails", CONF_INT,
	  offsetof(struct sip_peer_conf, keepalive_fails), "2", 1, 100, NULL,
	  NULL, CONF_RELOAD,
	  "unanswered or failed OPTIONS in a row before the peer is down" },
};

const struct conf_sect_def sip_peer_conf_sect = {
	.name = "peer",
	.named = true,
	.size = sizeof(struct sip_peer_conf),
	.kws = peer_kws,
	.nkws = sizeof(peer_kws) / sizeof(peer_kws[0]),
	.check = check_sect,
	.help = "a SIP peer or trunk",
};

const struct sip_peer_conf *sip_peer_find(const struct conf *c,
					  const char *name)
{
	const struct sip_peer_conf *p = NULL;

	while ((p = conf_next(c, "peer", p)))
		if (!strcmp(conf_label(p), name))
			return p;
	return NULL;
}

static bool same_ip(const struct sa *a, const struct sa *b)
{
	struct sa x = *a, y = *b;

	sa_set_port(&x, 0);
	sa_set_port(&y, 0);
	return sa_eq(&x, &y);
}

const struct sip_peer_conf *sip_peer_by_src(const struct conf *c,
					    enum sip_tp tp,
					    const struct sa *src)
{
	const struct sip_peer_conf *p = NULL, *ip_only = NULL;

	(void)tp; /* a peer may answer over any transport it likes */
	while ((p = conf_next(c, "peer", p))) {
		if (!p->identify)
			continue;
		if (sa_eq(&p->address, src))
			return p;
		if (!ip_only && same_ip(&p->address, src))
			ip_only = p;
	}
	return ip_only;
}
