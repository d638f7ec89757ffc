// SPDX-License-Identifier: GPL-2.0
/* The TDM layer as a daemon module: start/reload/stop, and the control
 * commands "show spans", "show channels", "sim call", "sim hangup". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "tdm"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "../gateway/core/app.h"
#include "../gateway/ctl/ctl.h"
#include "core.h"
#include "dahdi.h"
#include "module.h"
#include "sim.h"

static struct tdm *live; /* owned while started */

struct tdm *tdm_module_tdm(void)
{
	return live;
}

static void span_row(struct ctl_reply *r, const struct tdm_span *sp)
{
	unsigned busy = 0, oos = 0;

	for (unsigned i = 0; i < sp->nch; i++) {
		if (sp->ch[i].st == TDM_CH_OOS)
			oos++;
		else if (sp->ch[i].st != TDM_CH_IDLE)
			busy++;
	}
	ctl_obj_begin(r, NULL);
	ctl_put_int(r, "span", sp->num);
	ctl_put_str(r, "backend", "%s", sp->be->name);
	ctl_put_str(r, "signalling", "%s", tdm_sig_name(sp->sig));
	ctl_put_str(r, "layer2", "%s", tdm_dahdi_span_link(sp));
	ctl_put_int(r, "channels", sp->nch);
	ctl_put_int(r, "in_use", busy);
	ctl_put_int(r, "out_of_service", oos);
	ctl_put_str(r, "zone", "%s", sp->zone->name);
	ctl_put_int(r, "echo_tail_ms", sp->dsp.ec_tail_ms);
	ctl_put_str(r, "callerid", "%s", tdm_dsp_cid_std_name(sp->dsp.cid_std));
	ctl_obj_end(r);
}

static int cmd_spans(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	if (!live)
		return ctl_fail(r, "the TDM layer is not running");
	ctl_list_begin(r, "spans");
	for (struct le *le = live->spans.head; le; le = le->next)
		span_row(r, le->data);
	ctl_list_end(r);
	return 0;
}

/* The dahdi backend's view of @ch; the same columns, "-", for other
 * backends, so that the text table stays aligned. */
static void dahdi_cols(struct ctl_reply *r, const struct tdm_chan *ch)
{
	struct tdm_dahdi_info inf;

	if (tdm_dahdi_chan_info(ch, &inf)) {
		ctl_put_str(r, "line", "-");
		ctl_put_str(r, "dahdi", "-");
		ctl_put_str(r, "reads", "-");
		ctl_put_str(r, "short_reads", "-");
		ctl_put_str(r, "write_errs", "-");
		ctl_put_str(r, "events", "-");
		return;
	}
	ctl_put_str(r, "line", "%s", inf.analog_state);
	ctl_put_str(r, "dahdi", "%s", !inf.open ? "closed" :
				      inf.span_alarms ? "alarm" : "open");
	ctl_put_str(r, "reads", "%llu", (unsigned long long)inf.reads);
	ctl_put_str(r, "short_reads", "%llu",
		    (unsigned long long)inf.short_reads);
	ctl_put_str(r, "write_errs", "%llu",
		    (unsigned long long)inf.write_errs);
	ctl_put_str(r, "events", "%llu", (unsigned long long)inf.events);
}

static void chan_row(struct ctl_reply *r, const struct tdm_chan *ch)
{
	struct tdm_dsp_ec_stats ec;
	bool in_call = ch->st != TDM_CH_IDLE && ch->st != TDM_CH_OOS &&
		       ch->st != TDM_CH_SEIZED;

	ctl_obj_begin(r, NULL);
	ctl_put_int(r, "chan", ch->num);
	ctl_put_int(r, "span", ch->span->num);
	ctl_put_str(r, "state", "%s", tdm_chan_state_name(ch));
	ctl_put_str(r, "dir", "%s", !in_call ? "-" : ch->outgoing ? "out" :
								      "in");
	ctl_put_str(r, "called", "%s", in_call ? ch->setup.called : "");
	ctl_put_str(r, "calling", "%s", in_call ? ch->setup.calling : "");
	if (tdm_chan_ec_stats(ch, &ec) && ec.frames) {
		ctl_put_str(r, "erle_db", "%.1f", ec.erle_db);
		ctl_put_str(r, "residual_dbm0", "%.1f", ec.residual_dbm0);
	} else {
		ctl_put_str(r, "erle_db", "-");
		ctl_put_str(r, "residual_dbm0", "-");
	}
	ctl_put_int(r, "calls", (int64_t)ch->calls);
	ctl_put_int(r, "tx_drops", (int64_t)ch->txq_drops);
	ctl_put_int(r, "last_cause", ch->last_cause);
	dahdi_cols(r, ch);
	ctl_obj_end(r);
}

static int cmd_channels(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	if (!live)
		return ctl_fail(r, "the TDM layer is not running");
	ctl_list_begin(r, "channels");
	for (struct le *le = live->spans.head; le; le = le->next) {
		struct tdm_span *sp = le->data;

		for (unsigned i = 0; i < sp->nch; i++)
			chan_row(r, &sp->ch[i]);
	}
	ctl_list_end(r);
	return 0;
}

static int parse_uint(const char *s, unsigned max, unsigned *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 10);

	if (!*s || *end || *s == '-' || x > max)
		return -EINVAL;
	*v = (unsigned)x;
	return 0;
}

static int cmd_sim_call(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	const char *caller = argc > 2 ? argv[2] : "";
	enum tdm_pres pres = TDM_PRES_ALLOWED;
	unsigned line;
	int err;

	(void)arg;
	if (!live)
		return ctl_fail(r, "the TDM layer is not running");
	if (parse_uint(argv[0], TDM_CHAN_NUM_MAX, &line))
		return ctl_fail(r, "\"%s\" is not a channel number", argv[0]);
	/* "anonymous" is how a user asks for a withheld number */
	if (!strcmp(caller, "anonymous")) {
		caller = "";
		pres = TDM_PRES_RESTRICTED;
	}
	err = tdm_sim_call(live, line, argv[1], caller, pres);
	if (err == -ENOENT)
		return ctl_fail(r, "no sim channel %u", line);
	if (err == -EBUSY)
		return ctl_fail(r, "channel %u is not idle", line);
	if (err)
		return ctl_fail(r, "bad number: %s", strerror(-err));
	ctl_put_int(r, "chan", line);
	ctl_put_str(r, "state", "%s",
		    tdm_chan_state_name(tdm_chan_find(live, line)));
	return 0;
}

static int cmd_sim_hangup(struct ctl_reply *r, int argc, char **argv,
			  void *arg)
{
	unsigned line, cause = TDM_CAUSE_NORMAL;
	int err;

	(void)arg;
	if (!live)
		return ctl_fail(r, "the TDM layer is not running");
	if (parse_uint(argv[0], TDM_CHAN_NUM_MAX, &line) ||
	    (argc > 1 && parse_uint(argv[1], 127, &cause)))
		return ctl_fail(r, "want a channel number and a cause 1..127");
	err = tdm_sim_hangup(live, line, (int)cause);
	if (err == -ENOENT)
		return ctl_fail(r, "no sim channel %u", line);
	if (err)
		return ctl_fail(r, "channel %u has no call", line);
	ctl_put_int(r, "chan", line);
	ctl_put_int(r, "cause", cause);
	return 0;
}

static const struct ctl_cmd tdm_cmds[] = {
	{ "show spans", NULL, "TDM spans: backend, signalling, use",
	  cmd_spans, 0, 0 },
	{ "show channels", NULL,
	  "TDM channels: state, numbers, echo (ERLE), DAHDI line",
	  cmd_channels, 0, 0 },
	{ "sim call", "LINE NUMBER [CALLER|anonymous]",
	  "a phone on sim channel LINE calls NUMBER", cmd_sim_call, 2, 3 },
	{ "sim hangup", "LINE [CAUSE]",
	  "the far end of sim channel LINE hangs up", cmd_sim_hangup, 1, 2 },
};

static int tdm_mod_start(struct app *app)
{
	int err = tdm_alloc(&live, app->loop, app->conf);

	if (err) {
		LOGE("cannot start the TDM layer: %s", strerror(-err));
		return err;
	}
	err = ctl_register(app->ctl, tdm_cmds,
			   sizeof(tdm_cmds) / sizeof(tdm_cmds[0]), NULL);
	if (err)
		live = mem_deref(live);
	return err;
}

static int tdm_mod_reload(struct app *app, const struct conf *old)
{
	(void)old;
	if (!live)
		return 0;
	return tdm_reconfigure(live, app->conf);
}

static void tdm_mod_stop(struct app *app)
{
	ctl_unregister(app->ctl, tdm_cmds);
	live = mem_deref(live);
}

const struct tl_module tdm_module = {
	.name = "tdm",
	.sects = tdm_sects,
	.start = tdm_mod_start,
	.reload = tdm_mod_reload,
	.stop = tdm_mod_stop,
};
