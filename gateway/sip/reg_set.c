// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's registrations: one client per [registration NAME], kept
 * across reloads when its section did not change, replaced when it did,
 * unregistered when it went away or the daemon stops.
 *
 * A registration leaving the set stays in it (marked leaving, hidden
 * from lookups) until its removal is answered, so the REGISTER with
 * Expires: 0 can still be challenged and answered.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_TAG "sip-reg"
#include "../base/list.h"
#include "../base/log.h"
#include "../base/loop.h"
#include "../base/mem.h"
#include "reg_set.h"

static void ent_destroy(void *arg)
{
	struct sip_regs_ent *e = arg;

	list_unlink(&e->le);
	mem_deref(e->r);
	mem_deref(e->fp);
}

static void regs_destroy(void *arg)
{
	struct sip_regs *s = arg;
	struct le *le, *nx;

	LIST_FOREACH(&s->ents, le, nx)
		mem_deref(le->data);
}

/* A leaving registration is done once its removal is over. */
static void on_state(struct sip_reg *r, enum sip_reg_state st, void *arg)
{
	struct sip_regs_ent *e = arg;

	(void)r;
	if (e->leaving && st == SIP_REG_UNREGISTERED)
		mem_deref(e);
}

/* Everything that makes a registration what it is, as one string: equal
 * strings, same registration (a reload leaves it running). */
static char *fingerprint(const struct sip_reg_params *p)
{
	char a[SA_STRLEN], x[SA_STRLEN], buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf), "%d|%s|%s|%s|%s|%s|%s|%u|%llu|%llu|%s",
		     (int)p->tp, sa_str(&p->registrar, a, sizeof(a)),
		     p->proxy.len ? sa_str(&p->proxy, x, sizeof(x)) : "",
		     p->aor, p->contact_user ? p->contact_user : "",
		     p->username ? p->username : "",
		     p->password ? p->password : "", p->expires,
		     (unsigned long long)p->retry_min_ms,
		     (unsigned long long)p->retry_max_ms,
		     p->user_agent ? p->user_agent : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return mem_strdup(buf);
}

/* Make and start the registration of @p. */
static int ent_add(struct sip_regs *s, const struct sip_reg_params *p)
{
	struct sip_regs_ent *e;
	int err;

	e = mem_zalloc(sizeof(*e), ent_destroy);
	if (!e)
		return -ENOMEM;
	e->fp = fingerprint(p);
	if (!e->fp) {
		err = -ENOMEM;
		goto out;
	}
	err = sip_reg_new(&e->r, s->loop, s->tsx, s->tp, p);
	if (err)
		goto out;
	sip_reg_set_handler(e->r, on_state, e);
	list_append(&s->ents, &e->le, e);
	sip_reg_start(e->r);
	return 0;
out:
	mem_deref(e);
	return err;
}

/* Unregister @e and let it go; it frees itself when the removal ends
 * (@e may be gone when this returns). */
static void ent_leave(struct sip_regs_ent *e)
{
	struct sip_reg_info i;

	e->leaving = true;
	sip_reg_info(e->r, &i);
	if (i.state == SIP_REG_UNREGISTERED) {
		mem_deref(e);
		return;
	}
	/* the state changes now (unregistering or unregistered), and
	 * on_state frees @e once it is unregistered */
	sip_reg_stop(e->r);
}

static struct sip_regs_ent *find(const struct sip_regs *s, const char *name)
{
	struct le *le, *nx;

	LIST_FOREACH(&s->ents, le, nx) {
		struct sip_regs_ent *e = le->data;

		if (!e->leaving && !strcmp(sip_reg_name(e->r), name))
			return e;
	}
	return NULL;
}

int sip_regs_new(struct sip_regs **sp, struct loop *loop,
		 struct sip_tsx_layer *tsx, struct sip_transp *tp,
		 const struct conf *conf, const char *user_agent)
{
	struct sip_regs *s;
	int err;

	s = mem_zalloc(sizeof(*s), regs_destroy);
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->tsx = tsx;
	s->tp = tp;
	list_init(&s->ents);
	err = sip_regs_update(s, conf, user_agent);
	if (err) {
		mem_deref(s);
		return err;
	}
	*sp = s;
	return 0;
}

int sip_regs_update(struct sip_regs *s, const struct conf *conf,
		    const char *user_agent)
{
	const struct sip_reg_conf *c = NULL;
	struct le *le, *nx;
	int err = 0;

	/* first let go of what the new config lacks or changed */
	LIST_FOREACH(&s->ents, le, nx) {
		struct sip_regs_ent *e = le->data;
		struct sip_reg_params p;
		bool keep = false;
		char *fp;

		if (e->leaving)
			continue;
		while ((c = conf_next(conf, "registration", c))) {
			if (strcmp(conf_label(c), sip_reg_name(e->r)))
				continue;
			sip_reg_conf_params(c, conf_label(c), &p);
			p.user_agent = user_agent;
			fp = fingerprint(&p);
			keep = fp && !strcmp(fp, e->fp);
			mem_deref(fp);
			break;
		}
		c = NULL;
		if (!keep) {
			LOGI("registration %s: %s", sip_reg_name(e->r),
			     "configuration changed or removed");
			ent_leave(e);
		}
	}
	while ((c = conf_next(conf, "registration", c))) {
		struct sip_reg_params p;
		int e2;

		if (find(s, conf_label(c)))
			continue;
		sip_reg_conf_params(c, conf_label(c), &p);
		p.user_agent = user_agent;
		e2 = ent_add(s, &p);
		if (e2) {
			LOGE("registration %s: %s", conf_label(c),
			     strerror(-e2));
			err = e2;
		}
	}
	return err;
}

static size_t busy(const struct sip_regs *s)
{
	struct le *le, *nx;
	size_t n = 0;

	LIST_FOREACH(&s->ents, le, nx) {
		struct sip_reg_info i;

		sip_reg_info(((struct sip_regs_ent *)le->data)->r, &i);
		n += i.state == SIP_REG_UNREGISTERING;
	}
	return n;
}

size_t sip_regs_stop(struct sip_regs *s, uint64_t max_ms)
{
	uint64_t end = loop_now_ms() + max_ms;
	struct le *le, *nx;
	size_t n;

	/* a leaving entry may free itself (and only itself) in ent_leave:
	 * walk a stable snapshot by restarting after each one */
	for (;;) {
		struct sip_regs_ent *e = NULL;

		LIST_FOREACH(&s->ents, le, nx) {
			if (!((struct sip_regs_ent *)le->data)->leaving) {
				e = le->data;
				break;
			}
		}
		if (!e)
			break;
		ent_leave(e);
	}
	mem_ref(s);
	while ((n = busy(s)) && loop_now_ms() < end)
		loop_poll(s->loop, (int)(end - loop_now_ms()));
	mem_deref(s);
	return n;
}

size_t sip_regs_count(const struct sip_regs *s)
{
	return s->ents.n;
}

struct sip_reg *sip_regs_find(const struct sip_regs *s, const char *name)
{
	struct sip_regs_ent *e = find(s, name);

	return e ? e->r : NULL;
}
