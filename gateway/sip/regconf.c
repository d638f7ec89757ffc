// SPDX-License-Identifier: GPL-2.0
/* [registration NAME]: one binding at a registrar, kept alive. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "reg.h"

static const char *const tp_names[] = { "udp", "tcp", "tls", NULL };

static int check_aor(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;
	struct sip_uri u;

	/* it goes verbatim into From and To between <>: a URI and nothing
	 * else, with a user (the account) and a host (Request-URI) */
	if (strpbrk(s, "<>\"\r\n \t") ||
	    sip_uri_decode(&u, strv_of(s)) ||
	    (u.scheme != SIP_SCHEME_SIP && u.scheme != SIP_SCHEME_SIPS) ||
	    !u.user.l || !u.host.l || u.headers.l) {
		snprintf(why, n, "\"%s\" is not a sip: or sips: URI with a "
			 "user and a host (sip:user@domain)", s);
		return -EINVAL;
	}
	return 0;
}

/* a user part we put into Contact as is: unreserved characters only */
static int check_user(const void *field, char *why, size_t n)
{
	const char *s = *(char *const *)field;

	for (const char *c = s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-_.!~*'()+", *c))
			continue;
		snprintf(why, n, "'%c' is not allowed (letters, digits and "
			 "-_.!~*'()+ are)", *c);
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
	if (strlen(*(char *const *)field) >= 128) {
		snprintf(why, n, "longer than 127 bytes");
		return -EINVAL;
	}
	return 0;
}

static void check_sect(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	const struct sip_reg_conf *c = sect;

	(void)name;
	if (c->retry_min > c->retry_max)
		conf_err_add(errs, file, line, "retry_max",
			     "shorter than retry_min");
	if (c->outbound_proxy.len &&
	    sa_af(&c->outbound_proxy) != sa_af(&c->registrar))
		conf_err_add(errs, file, line, "outbound_proxy",
			     "not of the registrar's address family");
}

#define OFF(f) offsetof(struct sip_reg_conf, f)

static const struct conf_kw reg_kws[] = {
	{ "registrar", CONF_ADDR, OFF(registrar), NULL, 5060, 5060, NULL,
	  NULL, CONF_RELOAD | CONF_REQUIRED,
	  "the registrar's ip:port (port default 5060; give 5061 for tls)" },
	{ "transport", CONF_ENUM, OFF(transport), "udp", 0, 0, tp_names,
	  NULL, CONF_RELOAD,
	  "udp, tcp or tls (the [sip] listener of it is our Contact)" },
	{ "aor", CONF_STR, OFF(aor), NULL, 0, 0, NULL, check_aor,
	  CONF_RELOAD | CONF_REQUIRED,
	  "address of record, sip:user@domain (From, To; Request-URI is "
	  "sip:domain)" },
	{ "contact_user", CONF_STR, OFF(contact_user), "", 0, 0, NULL,
	  check_user, CONF_RELOAD,
	  "user part of our Contact, \"\" = the AOR's user" },
	{ "username", CONF_STR, OFF(username), "", 0, 0, NULL, check_cred,
	  CONF_RELOAD, "digest username, \"\" = the AOR's user" },
	{ "password", CONF_STR, OFF(password), "", 0, 0, NULL, check_cred,
	  CONF_RELOAD, "digest password, \"\" = none (a 401 fails)" },
	{ "expires", CONF_INT, OFF(expires), "3600", 1, 604800, NULL, NULL,
	  CONF_RELOAD, "binding lifetime asked for, seconds" },
	{ "retry_min", CONF_MS, OFF(retry_min), "5s", 100, 3600000, NULL,
	  NULL, CONF_RELOAD, "first back-off after a failure" },
	{ "retry_max", CONF_MS, OFF(retry_max), "5m", 100, 86400000, NULL,
	  NULL, CONF_RELOAD, "longest back-off" },
	{ "outbound_proxy", CONF_ADDR, OFF(outbound_proxy), NULL, 5060, 5060,
	  NULL, NULL, CONF_RELOAD,
	  "send REGISTER via this ip:port (with a loose Route), optional" },
};

const struct conf_sect_def sip_reg_conf_sect = {
	.name = "registration",
	.named = true,
	.size = sizeof(struct sip_reg_conf),
	.kws = reg_kws,
	.nkws = sizeof(reg_kws) / sizeof(reg_kws[0]),
	.check = check_sect,
	.help = "a registration of ours at a trunk's registrar",
};

void sip_reg_conf_params(const struct sip_reg_conf *c, const char *name,
			 struct sip_reg_params *p)
{
	*p = (struct sip_reg_params){
		.name = name,
		.tp = (enum sip_tp)c->transport,
		.registrar = c->registrar,
		.proxy = c->outbound_proxy,
		.aor = c->aor,
		.contact_user = c->contact_user,
		.username = c->username,
		.password = c->password,
		.expires = (uint32_t)c->expires,
		.retry_min_ms = c->retry_min,
		.retry_max_ms = c->retry_max,
	};
}
