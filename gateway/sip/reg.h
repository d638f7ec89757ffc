/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP registration client for trunks (RFC 3261 10.2): keep one binding of
 * our Contact at a registrar alive.
 *
 * A registration sends REGISTER through the transaction layer it is given
 * (the caller's transport and layer: the module passes its own), answers
 * 401/407 with the digest client, refreshes the binding before the granted
 * expiry, retries 423 with Min-Expires, and backs off exponentially (with
 * jitter, between retry_min and retry_max, Retry-After honoured) after any
 * failure. Stopping it removes the binding (Expires: 0).
 *
 * One Call-ID per registration, CSeq incrementing over every REGISTER it
 * sends (10.2.4 refreshes, 10.2.2 removal), From tag fixed.
 *
 * [registration NAME] sections configure the daemon's registrations; a
 * set (struct sip_regs) runs them across start, reload and stop and
 * serves "show registrations".
 */
#ifndef TL_SIP_REG_H
#define TL_SIP_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/sa.h"
#include "../ctl/conf.h"
#include "../ctl/ctl.h"
#include "transp.h"

struct loop;
struct sip_msg;
struct sip_reg;
struct sip_regs;
struct sip_transp;
struct sip_tsx_layer;

enum sip_reg_state {
	SIP_REG_UNREGISTERED,	/* not started, or removed */
	SIP_REG_REGISTERING,	/* REGISTER out: first, refresh, retry */
	SIP_REG_REGISTERED,	/* bound; a refresh is scheduled */
	SIP_REG_FAILED,		/* last attempt failed; retry planned */
	SIP_REG_UNREGISTERING,	/* Expires: 0 is out */
};

#define SIP_REG_EXPIRES_DEFAULT 3600u
#define SIP_REG_RETRY_MIN_DEFAULT 5000u	  /* ms */
#define SIP_REG_RETRY_MAX_DEFAULT 300000u /* ms */

/* What a registration needs; every string is copied. */
struct sip_reg_params {
	const char *name;	  /* for logs and "show registrations" */
	enum sip_tp tp;
	struct sa registrar;	  /* where REGISTER goes */
	struct sa proxy;	  /* outbound proxy (len 0: none): REGISTER
				   * goes there with a loose Route to it */
	const char *aor;	  /* "sip:user@domain": From and To */
	const char *contact_user; /* NULL or "": the AOR's user */
	const char *username;	  /* NULL or "": the AOR's user */
	const char *password;	  /* NULL or "": no credentials */
	uint32_t expires;	  /* asked for, s; 0: 3600 */
	uint64_t retry_min_ms;	  /* back-off bounds; 0: 5 s, 300 s */
	uint64_t retry_max_ms;
	const char *user_agent;	  /* User-Agent value, or NULL */
};

/* State of a registration, for status and tests. */
struct sip_reg_info {
	const char *name;	  /* borrowed from the registration */
	const char *aor;	  /* borrowed */
	struct sa registrar;
	enum sip_tp tp;
	enum sip_reg_state state;
	uint16_t last_scode;	  /* last final status; 0: none yet, or a
				   * failure without one (see last_reason) */
	char last_reason[64];	  /* "OK", "timeout" ... */
	uint32_t requested;	  /* expiry asked for now, s */
	uint32_t granted;	  /* expiry of the last 2xx, s (0: none) */
	int64_t expires_in_ms;	  /* binding time left; -1: no binding */
	int64_t next_ms;	  /* next REGISTER in; -1: none planned */
	unsigned failures;	  /* consecutive failed attempts */
	uint32_t cseq;		  /* CSeq of the last REGISTER */
	uint64_t sent;		  /* REGISTERs sent in all */
};

/* Every state change of @r (tests, the set's unregister drain). */
typedef void(sip_reg_h)(struct sip_reg *r, enum sip_reg_state state,
			void *arg);

/*
 * A new registration (mem object) on @loop that sends through @tsx and
 * takes its Contact and Via address from @tp's listener of its transport
 * and the registrar's address family. All three are borrowed: release
 * the registration before them. Nothing is sent until sip_reg_start().
 * 0, -EINVAL (no name, AOR not a sip:/sips: URI with user and host,
 * retry_min > retry_max, username too long ...), -ENOMEM.
 */
int sip_reg_new(struct sip_reg **rp, struct loop *loop,
		struct sip_tsx_layer *tsx, struct sip_transp *tp,
		const struct sip_reg_params *p);

/* Report every state change of @r to @h (NULL: none). */
void sip_reg_set_handler(struct sip_reg *r, sip_reg_h *h, void *arg);

/*
 * Send the first REGISTER now (state REGISTERING). A failure to send is
 * not returned: it is a failed attempt like any other, retried after the
 * back-off. 0, or -EALREADY if @r is running or unregistering.
 */
int sip_reg_start(struct sip_reg *r);

/*
 * Remove the binding: cancel whatever is planned, abandon a REGISTER in
 * flight, and send REGISTER with Expires: 0 (with the credentials of the
 * last challenge, answering one more 401/407 if asked). The state is
 * UNREGISTERING until a final response, a timeout or a send error, then
 * UNREGISTERED (the handler sees both). If no binding can exist (never
 * registered, nothing in flight), it goes UNREGISTERED at once and
 * returns -EALREADY. 0 when a removal is under way.
 */
int sip_reg_stop(struct sip_reg *r);

/* Fill @info with the state of @r. */
void sip_reg_info(const struct sip_reg *r, struct sip_reg_info *info);

/* The name of @r (its params'). */
const char *sip_reg_name(const struct sip_reg *r);

/* "unregistered", "registering", "registered", "failed", "unregistering". */
const char *sip_reg_state_name(enum sip_reg_state s);

/* --- message helpers (reg_msg.c) -------------------------------------- */

/*
 * The expiry a 2xx to our REGISTER grants our Contact @contact_uri (a
 * URI, no brackets): the expires parameter of the matching Contact value
 * (same user, host and port), else the Expires header, else @requested
 * (10.2.4). 0 means the registrar kept no binding of ours.
 */
uint32_t sip_reg_granted(const struct sip_msg *resp, struct strv contact_uri,
			 uint32_t requested);

/* Seconds of a Retry-After header of @resp (20.33; comment and params
 * ignored), or -ENOENT if absent or not a number. */
int64_t sip_reg_retry_after(const struct sip_msg *resp);

/* The Min-Expires value of a 423 (20.23), or 0 if absent or malformed. */
uint32_t sip_reg_min_expires(const struct sip_msg *resp);

/* When to refresh a binding granted for @granted seconds, in ms: at half
 * of short ones, a minute before the end of long ones, never sooner than
 * one second. */
uint64_t sip_reg_refresh_ms(uint32_t granted);

/*
 * Back-off before attempt number @failures + 1 after @failures (>= 1)
 * failures in a row: base = min * 2^(failures - 1) capped at @max, the
 * delay drawn from [base / 2, base] with @rnd (a random value), and never
 * below @min. Until the cap, each delay is at least the longest the one
 * before could have been, so delays grow with failures.
 */
uint64_t sip_reg_backoff_ms(unsigned failures, uint64_t min, uint64_t max,
			    uint32_t rnd);

/* --- [registration NAME] (regconf.c) ---------------------------------- */

struct sip_reg_conf {
	struct sa registrar;	  /* ip:port, port default 5060 */
	int transport;		  /* enum sip_tp */
	char *aor;		  /* sip:user@domain */
	char *contact_user;	  /* "" = AOR user */
	char *username;		  /* "" = AOR user */
	char *password;		  /* "" = none */
	int64_t expires;	  /* s */
	uint64_t retry_min;	  /* ms */
	uint64_t retry_max;	  /* ms */
	struct sa outbound_proxy; /* len 0 = none */
};

/* The section definition, for the SIP module's sects[]. */
extern const struct conf_sect_def sip_reg_conf_sect;

/* Params of [registration @name] @c (strings borrowed from @c). */
void sip_reg_conf_params(const struct sip_reg_conf *c, const char *name,
			 struct sip_reg_params *p);

/* --- the daemon's registrations (reg_set.c, reg_ctl.c) ----------------- */

/*
 * A set running every [registration] of @conf (borrowed only during the
 * call) on @loop through @tsx and @tp (borrowed: release the set first).
 * Each starts at once. 0, or -ENOMEM / -EINVAL (one could not be made:
 * none runs).
 */
int sip_regs_new(struct sip_regs **sp, struct loop *loop,
		 struct sip_tsx_layer *tsx, struct sip_transp *tp,
		 const struct conf *conf, const char *user_agent);

/*
 * Apply a reloaded @conf: registrations whose section is unchanged keep
 * running untouched; changed ones are unregistered and started anew;
 * removed ones are unregistered (kept until that finishes); new ones
 * start. 0, or -ENOMEM (the set is then partly updated; nothing leaks).
 */
int sip_regs_update(struct sip_regs *s, const struct conf *conf,
		    const char *user_agent);

/*
 * Unregister everything (sip_reg_stop on each) and wait for the answers
 * by polling the loop for at most @max_ms. For the module's stop hook,
 * before it releases the set, the layer and the transport. Returns the
 * number still unanswered (0: all removed or nothing to remove).
 */
size_t sip_regs_stop(struct sip_regs *s, uint64_t max_ms);

/* Registrations in the set (running or leaving). */
size_t sip_regs_count(const struct sip_regs *s);

/* The one named @name (not a leaving one), or NULL. */
struct sip_reg *sip_regs_find(const struct sip_regs *s, const char *name);

/* "show registrations": register with ctl_register(ctl, sip_regs_cmds,
 * sip_regs_ncmds, set). */
extern const struct ctl_cmd sip_regs_cmds[];
extern const size_t sip_regs_ncmds;

#endif
