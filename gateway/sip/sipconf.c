// SPDX-License-Identifier: GPL-2.0
/* [sip]: listeners, TLS files, transaction timers, stream limits. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sipconf.h"

int sip_conf_listen_parse(const char *s, enum sip_tp *tp, struct sa *addr)
{
	const char *colon = strchr(s, ':');
	int t;

	if (!colon)
		return -EINVAL;
	t = sip_tp_parse((struct strv){ s, (size_t)(colon - s) });
	if (t < 0)
		return -EINVAL;
	if (sa_parse(addr, colon + 1, sip_tp_port((enum sip_tp)t)))
		return -EINVAL;
	*tp = (enum sip_tp)t;
	return 0;
}

static int check_listen(const void *field, char *why, size_t n)
{
	const struct conf_strlist *l = field;
	enum sip_tp tp;
	struct sa sa;

	for (size_t i = 0; i < l->n; i++) {
		if (sip_conf_listen_parse(l->v[i], &tp, &sa)) {
			snprintf(why, n,
				 "\"%s\" is not udp|tcp|tls:address[:port] "
				 "(IPv6 in brackets)",
				 l->v[i]);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			enum sip_tp tp2;
			struct sa sa2;

			if (!sip_conf_listen_parse(l->v[j], &tp2, &sa2) &&
			    tp2 == tp && sa_eq(&sa, &sa2)) {
				snprintf(why, n, "\"%s\" is listed twice",
					 l->v[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int check_ua(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;

	/* it goes into a header verbatim: no line breaks, printable */
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			snprintf(why, n, "control characters are not allowed");
			return -EINVAL;
		}
	}
	return 0;
}

static void check_sect(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	const struct sip_conf *sc = sect;
	bool tls = false;

	(void)name;
	for (size_t i = 0; i < sc->listen.n; i++)
		tls |= !strncasecmp(sc->listen.v[i], "tls:", 4);
	if (tls && (!*sc->tls_cert || !*sc->tls_key))
		conf_err_add(errs, file, line, "listen",
			     "a tls listener needs tls_cert and tls_key");
	if (sc->t2 < sc->t1)
		conf_err_add(errs, file, line, "t2",
			     "must not be shorter than t1");
}

static const char *const unknown_names[] = { "accept", "reject", NULL };
/* as a [peer]'s srtp key (enum sip_peer_srtp) */
static const char *const srtp_names[] = { "off", "optional", "mandatory",
					  NULL };

static const struct conf_kw sip_kws[] = {
	{ "listen", CONF_STRLIST, offsetof(struct sip_conf, listen), NULL, 0, 0,
	  NULL, check_listen, 0,
	  "SIP listeners: udp|tcp|tls:address[:port], IPv6 in brackets" },
	{ "tls_cert", CONF_STR, offsetof(struct sip_conf, tls_cert), "", 0, 0,
	  NULL, NULL, 0, "PEM certificate (chain) for TLS" },
	{ "tls_key", CONF_STR, offsetof(struct sip_conf, tls_key), "", 0, 0,
	  NULL, NULL, 0, "PEM private key of tls_cert" },
	{ "tls_ca", CONF_STR, offsetof(struct sip_conf, tls_ca), "", 0, 0, NULL,
	  NULL, 0, "PEM file of trusted CAs (empty: the system's)" },
	{ "tls_verify", CONF_BOOL, offsetof(struct sip_conf, tls_verify), "no",
	  0, 0, NULL, NULL, 0, "verify TLS peers' certificates" },
	{ "t1", CONF_MS, offsetof(struct sip_conf, t1), "500ms", 50, 10000,
	  NULL, NULL, CONF_RELOAD, "RFC 3261 T1: round-trip estimate" },
	{ "t2", CONF_MS, offsetof(struct sip_conf, t2), "4s", 500, 60000, NULL,
	  NULL, CONF_RELOAD, "RFC 3261 T2: longest retransmit interval" },
	{ "t4", CONF_MS, offsetof(struct sip_conf, t4), "5s", 500, 60000, NULL,
	  NULL, CONF_RELOAD, "RFC 3261 T4: longest a message lives" },
	{ "max_message", CONF_INT, offsetof(struct sip_conf, max_message),
	  "65536", 1024, 16777216, NULL, NULL, 0,
	  "largest message on TCP/TLS, bytes" },
	{ "tcp_idle", CONF_MS, offsetof(struct sip_conf, tcp_idle), "5m", 1000,
	  86400000, NULL, NULL, 0, "close TCP/TLS connections idle this long" },
	{ "max_connections", CONF_INT,
	  offsetof(struct sip_conf, max_connections), "1024", 1, 65536, NULL,
	  NULL, 0, "TCP/TLS connections open at once" },
	{ "user_agent", CONF_STR, offsetof(struct sip_conf, user_agent),
	  "Trunkline", 0, 0, NULL, check_ua, CONF_RELOAD,
	  "Server and User-Agent header value" },
	{ "unknown_peers", CONF_ENUM, offsetof(struct sip_conf, unknown_peers),
	  "accept", 0, 0, unknown_names, NULL, CONF_RELOAD,
	  "calls from sources no [peer] identifies: accept (as "
	  "peer:unknown) or reject (403)" },
	{ "unknown_srtp", CONF_ENUM, offsetof(struct sip_conf, unknown_srtp),
	  "optional", 0, 0, srtp_names, NULL, CONF_RELOAD,
	  "SRTP (SDES) for peer:unknown: off, optional (taken when offered) "
	  "or mandatory" },
	{ "session_min_se", CONF_INT, offsetof(struct sip_conf, session_min_se),
	  "90", 1, 86400, NULL, NULL, CONF_RELOAD,
	  "RFC 4028 Min-SE in seconds: shorter session intervals get 422 "
	  "(below 90 only for tests)" },
};

const struct conf_sect_def sip_conf_sect = {
	.name = "sip",
	.size = sizeof(struct sip_conf),
	.kws = sip_kws,
	.nkws = sizeof(sip_kws) / sizeof(sip_kws[0]),
	.check = check_sect,
	.help = "SIP listeners, TLS, timers and limits",
};
