// SPDX-License-Identifier: GPL-2.0
/*
 * OPTIONS keepalive: the per-peer state machine (unknown, up, down) and
 * the set that runs one per pinged [peer] across reloads.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "sip-peer"
#include "../base/log.h"
#include "../base/mem.h"
#include "peer.h"
#include "peer_ping_priv.h"

static void on_tmr(void *arg);

static void ping_destroy(void *arg)
{
	struct sip_ping *p = arg;

	list_unlink(&p->le);
	tmr_cancel(&p->tmr);
	if (p->ct) {
		sip_ctrans_abandon(p->ct);
		mem_deref(p->ct);
	}
	mem_deref(p->name);
	mem_deref(p->fp);
}

static void set_state(struct sip_ping *p, enum sip_peer_state st,
		      const char *why)
{
	if (p->state == st)
		return;
	if (st == SIP_PEER_DOWN)
		LOGW("peer %s: down (%s)", p->name, why);
	else
		LOGN("peer %s: %s (%s)", p->name, sip_peer_state_name(st), why);
	p->state = st;
	p->changed_at = loop_now_ms();
}

static void failed(struct sip_ping *p, uint16_t scode, const char *what)
{
	char why[96];

	p->last_scode = scode;
	p->fails++;
	if (p->fails < p->max_fails)
		return;
	snprintf(why, sizeof(why), "%s, %u failure%s in a row", what, p->fails,
		 p->fails == 1 ? "" : "s");
	set_state(p, SIP_PEER_DOWN, why);
}

static void on_resp(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg);

/* Send now; a failure to send is a failed ping like a timeout. */
static void ping(struct sip_ping *p)
{
	int err;

	p->due = false;
	err = tmr_start(p->set->loop, &p->tmr, p->interval, on_tmr, p);
	if (err)
		LOGE("peer %s: keepalive stops: %s", p->name, strerror(-err));
	p->sent++;
	p->sent_at = loop_now_ms();
	err = sip_ping_send(p, on_resp);
	if (err) {
		LOGD("peer %s: OPTIONS not sent: %s", p->name, strerror(-err));
		failed(p, 503, "cannot send");
	}
}

static void on_tmr(void *arg)
{
	struct sip_ping *p = arg;

	/* one in flight at a time: the next goes when this one ends */
	if (p->ct)
		p->due = true;
	else
		ping(p);
}

static void on_resp(struct sip_ctrans *ct, uint16_t scode,
		    const struct sip_msg *resp, void *arg)
{
	struct sip_ping *p = arg;
	char why[96];

	if (scode < 200 || ct != p->ct)
		return;
	/* the layer holds its own reference across this call */
	p->ct = mem_deref(p->ct);
	if (scode == 408 || scode == 503) {
		failed(p, scode, resp ? "answered" : scode == 408 ?
		       "no answer" : "transport error");
	} else {
		/*
		 * Any other final answer, even 404, 405 or 481, came from a
		 * SIP stack that parsed our request and chose to reject it:
		 * the peer is there. Strict peers refuse OPTIONS from
		 * strangers; only silence (408) and "cannot serve" (503,
		 * ours on a transport error or theirs) say it is not.
		 */
		p->last_scode = scode;
		p->rtt = (int64_t)(loop_now_ms() - p->sent_at);
		p->fails = 0;
		snprintf(why, sizeof(why), "%u %.*s, rtt %lld ms", scode,
			 resp ? (int)resp->reason.l : 0,
			 resp ? resp->reason.p : "", (long long)p->rtt);
		set_state(p, SIP_PEER_UP, why);
	}
	if (p->due)
		ping(p);
}

/* What makes the pings of a peer what they are, as one string: equal
 * strings, the same pings (a reload leaves them running). */
static char *fingerprint(const struct sip_peer_conf *c, const char *ua)
{
	char a[SA_STRLEN], buf[512];
	int n;

	n = snprintf(buf, sizeof(buf), "%d|%s|%llu|%lld|%s", c->transport,
		     sa_str(&c->address, a, sizeof(a)),
		     (unsigned long long)c->keepalive,
		     (long long)c->keepalive_fails, ua ? ua : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return mem_strdup(buf);
}

static int ping_add(struct sip_pings *s, const struct sip_peer_conf *c)
{
	struct sip_ping *p;

	p = mem_zalloc(sizeof(*p), ping_destroy);
	if (!p)
		return -ENOMEM;
	tmr_init(&p->tmr);
	p->set = s;
	p->name = mem_strdup(conf_label(c));
	p->fp = fingerprint(c, s->ua);
	if (!p->name || !p->fp) {
		mem_deref(p);
		return -ENOMEM;
	}
	p->tpt = (enum sip_tp)c->transport;
	p->dst = c->address;
	p->interval = c->keepalive;
	p->max_fails = (unsigned)c->keepalive_fails;
	p->state = SIP_PEER_UNKNOWN;
	p->changed_at = loop_now_ms();
	p->rtt = -1;
	list_append(&s->ents, &p->le, p);
	LOGI("peer %s: keepalive every %llu ms", p->name,
	     (unsigned long long)p->interval);
	ping(p);
	return 0;
}

static void pings_destroy(void *arg)
{
	struct sip_pings *s = arg;
	struct le *le, *nx;

	LIST_FOREACH(&s->ents, le, nx)
		mem_deref(le->data);
	mem_deref(s->ua);
}

int sip_pings_new(struct sip_pings **sp, struct loop *loop,
		  struct sip_tsx_layer *tsx, struct sip_transp *tp,
		  const struct conf *conf, const char *user_agent)
{
	struct sip_pings *s;
	int err;

	s = mem_zalloc(sizeof(*s), pings_destroy);
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->tsx = tsx;
	s->tp = tp;
	list_init(&s->ents);
	err = sip_pings_update(s, conf, user_agent);
	if (err) {
		mem_deref(s);
		return err;
	}
	*sp = s;
	return 0;
}

int sip_pings_update(struct sip_pings *s, const struct conf *conf,
		     const char *user_agent)
{
	const struct sip_peer_conf *c = NULL;
	struct le *le, *nx;
	char *ua = NULL;
	int err = 0;

	if (user_agent) {
		ua = mem_strdup(user_agent);
		if (!ua)
			return -ENOMEM;
	}
	mem_deref(s->ua);
	s->ua = ua;
	s->conf = conf;
	/* first stop what the new config lacks, turned off or changed */
	LIST_FOREACH(&s->ents, le, nx) {
		struct sip_ping *p = le->data;
		bool keep = false;
		char *fp;

		c = sip_peer_find(conf, p->name);
		if (c && c->keepalive) {
			fp = fingerprint(c, ua);
			keep = fp && !strcmp(fp, p->fp);
			mem_deref(fp);
		}
		if (!keep) {
			LOGI("peer %s: keepalive %s", p->name,
			     c ? "settings changed" : "peer removed");
			mem_deref(p);
		}
	}
	c = NULL;
	while ((c = conf_next(conf, "peer", c))) {
		int e2;

		if (!c->keepalive || sip_pings_find(s, conf_label(c)))
			continue;
		e2 = ping_add(s, c);
		if (e2) {
			LOGE("peer %s: keepalive: %s", conf_label(c),
			     strerror(-e2));
			err = e2;
		}
	}
	return err;
}

struct sip_ping *sip_pings_find(const struct sip_pings *s, const char *name)
{
	struct le *le, *nx;

	LIST_FOREACH(&s->ents, le, nx) {
		struct sip_ping *p = le->data;

		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

int sip_pings_info(const struct sip_pings *s, const char *name,
		   struct sip_peer_ping_info *info)
{
	const struct sip_ping *p = sip_pings_find(s, name);

	memset(info, 0, sizeof(*info));
	info->rtt_ms = -1;
	info->since_ms = -1;
	if (!p) {
		info->state = SIP_PEER_OFF;
		return -ENOENT;
	}
	info->state = p->state;
	info->last_scode = p->last_scode;
	info->rtt_ms = p->rtt;
	info->since_ms = (int64_t)(loop_now_ms() - p->changed_at);
	info->fails = p->fails;
	info->sent = p->sent;
	return 0;
}

bool sip_pings_up(const struct sip_pings *s, const char *name)
{
	const struct sip_ping *p = sip_pings_find(s, name);

	return !p || p->state != SIP_PEER_DOWN;
}

size_t sip_pings_count(const struct sip_pings *s)
{
	return s->ents.n;
}

const char *sip_peer_state_name(enum sip_peer_state st)
{
	static const char *const names[] = { "off", "unknown", "up", "down" };

	return (unsigned)st < 4 ? names[st] : "?";
}
