// SPDX-License-Identifier: GPL-2.0
/*
 * Registration client state machine (RFC 3261 10.2): attempts, digest
 * answers, 423, refresh before expiry, back-off after failures, removal.
 *
 * An attempt is one REGISTER and the re-sends it takes (401/407 answered
 * with credentials, 423 answered with Min-Expires), at most MAX_ROUNDS of
 * them, so no registrar can keep us in a loop. An attempt ends in a
 * binding (refresh planned) or a failure (retry planned after the
 * back-off); only a timer starts the next one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define LOG_TAG "sip-reg"
#include "../base/log.h"
#include "../base/mem.h"
#include "dialog.h"
#include "reg_priv.h"

#define MAX_ROUNDS 4
/* a Retry-After beyond this is a registrar's mistake, not a plan */
#define RETRY_AFTER_MAX_MS (86400ull * 1000)

static void on_resp(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg);

static void reg_destroy(void *arg)
{
	struct sip_reg *r = arg;

	tmr_cancel(&r->tmr);
	if (r->ct) {
		sip_ctrans_abandon(r->ct);
		mem_deref(r->ct);
	}
	mem_deref(r->auth);
	mem_deref(r->name);
	mem_deref(r->aor);
	mem_deref(r->ua);
	memset(r->pass, 0, sizeof(r->pass));
}

static void set_state(struct sip_reg *r, enum sip_reg_state st)
{
	bool changed = r->state != st;

	r->state = st;
	if (changed && r->h)
		r->h(r, st, r->arg);
}

static void set_last(struct sip_reg *r, uint16_t scode, const char *reason)
{
	r->last_scode = scode;
	snprintf(r->last_reason, sizeof(r->last_reason), "%s", reason);
}

static void on_timer(void *arg);

static uint32_t rnd32(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)loop_now_ms() * 2654435761u;
	return x;
}

/* The attempt failed: plan the next one after the back-off, or after
 * the registrar's Retry-After if that is longer (20.33). */
static void fail(struct sip_reg *r, uint16_t scode, const char *reason,
		 const struct sip_msg *resp)
{
	uint64_t delay;
	int64_t ra;

	r->failures++;
	set_last(r, scode, reason);
	delay = sip_reg_backoff_ms(r->failures, r->rmin, r->rmax, rnd32());
	ra = resp ? sip_reg_retry_after(resp) : -ENOENT;
	if (ra >= 0 && (uint64_t)ra * 1000 > delay)
		delay = (uint64_t)ra * 1000 > RETRY_AFTER_MAX_MS ?
				RETRY_AFTER_MAX_MS :
				(uint64_t)ra * 1000;
	LOGW_ID(r->call_id, "%s: REGISTER failed: %u %s, retry in %llu ms",
		r->name, scode, reason, (unsigned long long)delay);
	tmr_start(r->loop, &r->tmr, delay, on_timer, r);
	set_state(r, SIP_REG_FAILED);
}

static void attempt(struct sip_reg *r)
{
	int err;

	r->rounds = 0;
	if (r->auth_reset && r->auth) {
		struct sip_auth_cli *a;

		/* the registrar rejected our answers: start over, so a
		 * password fixed on its side is tried afresh */
		if (!sip_auth_cli_alloc(&a, r->user, r->pass)) {
			mem_deref(r->auth);
			r->auth = a;
			r->auth_reset = false;
		}
	}
	set_state(r, SIP_REG_REGISTERING);
	err = sip_reg_send(r, r->req_exp, on_resp);
	if (err) {
		char why[48];

		snprintf(why, sizeof(why), "send: %s", strerror(-err));
		fail(r, 0, why, NULL);
	}
}

static void on_timer(void *arg)
{
	struct sip_reg *r = mem_ref(arg);

	attempt(r);
	mem_deref(r);
}

static void bound(struct sip_reg *r, const struct sip_msg *resp)
{
	uint32_t g = sip_reg_granted(resp, strv_of(r->contact), r->req_exp);
	uint64_t refresh;

	if (!g) {
		fail(r, resp->scode, "no binding granted", resp);
		return;
	}
	if (r->auth)
		sip_auth_cli_accepted(r->auth);
	r->failures = 0;
	r->granted = g;
	r->bound_until = loop_now_ms() + (uint64_t)g * 1000;
	set_last(r, resp->scode, "OK");
	refresh = sip_reg_refresh_ms(g);
	tmr_start(r->loop, &r->tmr, refresh, on_timer, r);
	LOGI_ID(r->call_id, "%s: registered for %u s, refresh in %llu ms",
		r->name, g, (unsigned long long)refresh);
	set_state(r, SIP_REG_REGISTERED);
}

/* 401/407: answer with credentials within the same attempt. */
static void challenged(struct sip_reg *r, const struct sip_msg *resp)
{
	int err;

	if (!r->auth) {
		fail(r, resp->scode, "challenged, no credentials", resp);
		return;
	}
	err = sip_auth_cli_challenge(r->auth, resp);
	if (err == -EACCES) {
		r->auth_reset = true;
		fail(r, resp->scode, "credentials rejected", resp);
		return;
	}
	if (err) {
		/* a challenge without a nonce, an algorithm we lack ...:
		 * nothing to answer with; stale=true changes nothing */
		fail(r, resp->scode, err == -ENOTSUP ? "no usable challenge" :
			"malformed challenge", resp);
		return;
	}
	err = sip_reg_send(r, r->req_exp, on_resp);
	if (err)
		fail(r, 0, "send failed", NULL);
}

/* 423 (10.3 step 7): ask again for at least Min-Expires. */
static void too_brief(struct sip_reg *r, const struct sip_msg *resp)
{
	uint32_t m = sip_reg_min_expires(resp);

	if (m <= r->req_exp) {
		fail(r, resp->scode, "423 without a larger Min-Expires", resp);
		return;
	}
	LOGN_ID(r->call_id, "%s: registrar wants at least %u s", r->name, m);
	r->req_exp = m;
	if (sip_reg_send(r, r->req_exp, on_resp))
		fail(r, 0, "send failed", NULL);
}

/* The removal got its answer (or none): the binding is gone or will
 * expire on its own; either way there is nothing left to do. */
static void unreg_done(struct sip_reg *r, uint16_t scode,
		       const struct sip_msg *resp)
{
	if (resp && (scode == 401 || scode == 407) && r->auth &&
	    ++r->rounds < MAX_ROUNDS &&
	    !sip_auth_cli_challenge(r->auth, resp) &&
	    !sip_reg_send(r, 0, on_resp))
		return;
	r->unreg = false;
	r->granted = 0;
	r->bound_until = 0;
	set_last(r, scode, resp ? "unregistered" :
		 scode == 408 ? "unregister timed out" :
				"unregister not sent");
	LOGI_ID(r->call_id, "%s: unregistered (%u)", r->name, scode);
	set_state(r, SIP_REG_UNREGISTERED);
}

/* Any other final answer: the attempt failed with its reason phrase. */
static void rejected(struct sip_reg *r, const struct sip_msg *resp)
{
	char why[sizeof(r->last_reason)];

	/* a long phrase is cut: it is for people reading the status */
	if (resp->reason.l)
		(void)strv_copy(resp->reason, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "%s", sip_reason(resp->scode));
	fail(r, resp->scode, why, resp);
}

static void handle(struct sip_reg *r, uint16_t scode,
		   const struct sip_msg *resp)
{
	if (r->unreg) {
		unreg_done(r, scode, resp);
		return;
	}
	if (!resp) {
		/* made up by the layer: Timer F, or a transport error */
		fail(r, scode, scode == 408 ? "timeout" : "transport error",
		     NULL);
		return;
	}
	if (scode >= 200 && scode < 300) {
		bound(r, resp);
		return;
	}
	if ((scode == 401 || scode == 407 || scode == 423) &&
	    ++r->rounds >= MAX_ROUNDS) {
		fail(r, scode, "too many re-sends", resp);
		return;
	}
	if (scode == 401 || scode == 407)
		challenged(r, resp);
	else if (scode == 423)
		too_brief(r, resp);
	else
		rejected(r, resp);
}

static void on_resp(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg)
{
	struct sip_reg *r = arg;

	if (scode < 200 || ct != r->ct)
		return;
	/* the layer holds its own reference across this call */
	r->ct = mem_deref(r->ct);
	/* our handler may drop the last reference to us */
	mem_ref(r);
	handle(r, scode, resp);
	mem_deref(r);
}

/* Copy the decoded AOR user into @dst. */
static int aor_user(const struct sip_uri *u, char *dst, size_t n)
{
	int len = sip_unescape(u->user, dst, n);

	return len < 0 ? len : (strlen(dst) != (size_t)len ? -EINVAL : 0);
}

static int setup(struct sip_reg *r, const struct sip_reg_params *p)
{
	struct sip_uri u;
	int len, err;

	if (sip_uri_decode(&u, strv_of(p->aor)) ||
	    (u.scheme != SIP_SCHEME_SIP && u.scheme != SIP_SCHEME_SIPS) ||
	    !u.user.l || !u.host.l)
		return -EINVAL;
	if (u.port)
		len = snprintf(r->ruri, sizeof(r->ruri), "%s:%s%.*s%s:%u",
			       u.scheme == SIP_SCHEME_SIPS ? "sips" : "sip",
			       u.host_v6 ? "[" : "", (int)u.host.l, u.host.p,
			       u.host_v6 ? "]" : "", u.port);
	else
		len = snprintf(r->ruri, sizeof(r->ruri), "%s:%s%.*s%s",
			       u.scheme == SIP_SCHEME_SIPS ? "sips" : "sip",
			       u.host_v6 ? "[" : "", (int)u.host.l, u.host.p,
			       u.host_v6 ? "]" : "");
	if (len < 0 || (size_t)len >= sizeof(r->ruri))
		return -EINVAL;
	if (p->contact_user && p->contact_user[0])
		len = snprintf(r->cuser, sizeof(r->cuser), "%s",
			       p->contact_user);
	else
		len = snprintf(r->cuser, sizeof(r->cuser), "%.*s",
			       (int)u.user.l, u.user.p);
	if (len < 0 || (size_t)len >= sizeof(r->cuser))
		return -EINVAL;
	if (p->username && p->username[0])
		len = snprintf(r->user, sizeof(r->user), "%s", p->username);
	else
		len = aor_user(&u, r->user, sizeof(r->user));
	if (len < 0 || (size_t)len >= sizeof(r->user))
		return -EINVAL;
	if (p->password && p->password[0]) {
		if (strlen(p->password) >= sizeof(r->pass))
			return -EINVAL;
		strcpy(r->pass, p->password);
		err = sip_auth_cli_alloc(&r->auth, r->user, r->pass);
		if (err)
			return err;
	}
	err = sip_dialog_callid_new(r->call_id, sizeof(r->call_id), NULL);
	if (!err)
		err = sip_dialog_tag_new(r->from_tag, sizeof(r->from_tag));
	return err;
}

int sip_reg_new(struct sip_reg **rp, struct loop *loop,
		struct sip_tsx_layer *tsx, struct sip_transp *tp,
		const struct sip_reg_params *p)
{
	struct sip_reg *r;
	int err;

	if (!loop || !tsx || !tp || !p->name || !p->name[0] || !p->aor ||
	    !p->registrar.len || p->tp >= SIP_TP_NUM)
		return -EINVAL;
	r = mem_zalloc(sizeof(*r), reg_destroy);
	if (!r)
		return -ENOMEM;
	tmr_init(&r->tmr);
	r->loop = loop;
	r->tsx = tsx;
	r->tp = tp;
	r->tpt = p->tp;
	r->registrar = p->registrar;
	r->proxy = p->proxy;
	r->expires = p->expires ? p->expires : SIP_REG_EXPIRES_DEFAULT;
	r->req_exp = r->expires;
	r->rmin = p->retry_min_ms ? p->retry_min_ms :
				    SIP_REG_RETRY_MIN_DEFAULT;
	r->rmax = p->retry_max_ms ? p->retry_max_ms :
				    SIP_REG_RETRY_MAX_DEFAULT;
	err = -EINVAL;
	if (r->rmin > r->rmax || r->rmax > RETRY_AFTER_MAX_MS)
		goto out;
	err = -ENOMEM;
	r->name = mem_strdup(p->name);
	r->aor = mem_strdup(p->aor);
	if (!r->name || !r->aor)
		goto out;
	if (p->user_agent && p->user_agent[0]) {
		r->ua = mem_strdup(p->user_agent);
		if (!r->ua)
			goto out;
	}
	err = setup(r, p);
	if (err)
		goto out;
	set_last(r, 0, "not started");
	*rp = r;
	return 0;
out:
	mem_deref(r);
	return err;
}

void sip_reg_set_handler(struct sip_reg *r, sip_reg_h *h, void *arg)
{
	r->h = h;
	r->arg = arg;
}

int sip_reg_start(struct sip_reg *r)
{
	if (r->state != SIP_REG_UNREGISTERED)
		return -EALREADY;
	r->failures = 0;
	r->req_exp = r->expires;
	mem_ref(r);
	attempt(r);
	mem_deref(r);
	return 0;
}

/* The handler (told of each state change) may drop the last reference
 * to @r: the entry points hold one across their work. */
static int stop(struct sip_reg *r)
{
	bool inflight = r->ct != NULL;
	int err;

	if (r->state == SIP_REG_UNREGISTERING)
		return 0;
	tmr_cancel(&r->tmr);
	if (r->ct) {
		sip_ctrans_abandon(r->ct);
		r->ct = mem_deref(r->ct);
	}
	if (!inflight && r->bound_until <= loop_now_ms()) {
		r->bound_until = 0;
		r->granted = 0;
		set_state(r, SIP_REG_UNREGISTERED);
		return -EALREADY;
	}
	r->unreg = true;
	r->rounds = 0;
	set_state(r, SIP_REG_UNREGISTERING);
	err = sip_reg_send(r, 0, on_resp);
	if (err) {
		LOGW_ID(r->call_id, "%s: unregister not sent: %s", r->name,
			strerror(-err));
		unreg_done(r, 0, NULL);
		return -EALREADY;
	}
	return 0;
}

int sip_reg_stop(struct sip_reg *r)
{
	int err;

	mem_ref(r);
	err = stop(r);
	mem_deref(r);
	return err;
}

void sip_reg_info(const struct sip_reg *r, struct sip_reg_info *i)
{
	uint64_t now = loop_now_ms();

	memset(i, 0, sizeof(*i));
	i->name = r->name;
	i->aor = r->aor;
	i->registrar = r->registrar;
	i->tp = r->tpt;
	i->state = r->state;
	i->last_scode = r->last_scode;
	memcpy(i->last_reason, r->last_reason, sizeof(i->last_reason));
	i->requested = r->req_exp;
	i->granted = r->granted;
	i->expires_in_ms = r->bound_until > now ?
				   (int64_t)(r->bound_until - now) : -1;
	i->next_ms = tmr_running(&r->tmr) ? (int64_t)tmr_remaining(&r->tmr) :
					    -1;
	i->failures = r->failures;
	i->cseq = r->cseq;
	i->sent = r->sent;
}

const char *sip_reg_name(const struct sip_reg *r)
{
	return r->name;
}

const char *sip_reg_state_name(enum sip_reg_state s)
{
	switch (s) {
	case SIP_REG_UNREGISTERED: return "unregistered";
	case SIP_REG_REGISTERING: return "registering";
	case SIP_REG_REGISTERED: return "registered";
	case SIP_REG_FAILED: return "failed";
	case SIP_REG_UNREGISTERING: return "unregistering";
	}
	return "?";
}
