// SPDX-License-Identifier: GPL-2.0
/* "show calls", "show call ID" and "call hangup ID". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../media/stream.h"
#include "call.h"
#include "call_priv.h"
#include "cause.h"

static void info_put(struct ctl_reply *r, struct call *c)
{
	struct call_info ci;

	call_get_info(c, &ci);
	ctl_put_int(r, "id", ci.id);
	ctl_put_str(r, "state", "%s", call_state_name(ci.state));
	ctl_put_str(r, "in", "%s", *ci.in ? ci.in : "-");
	ctl_put_str(r, "out", "%s", *ci.out ? ci.out : "-");
	ctl_put_str(r, "caller", "%s", *ci.caller ? ci.caller : "-");
	ctl_put_str(r, "callee", "%s", ci.callee);
	ctl_put_str(r, "route", "%s", *ci.route ? ci.route : "-");
	ctl_put_str(r, "target", "%s", *ci.target ? ci.target : "-");
	ctl_put_int(r, "duration", (int64_t)(ci.duration_ms / 1000));
	ctl_put_int(r, "talk", (int64_t)(ci.talk_ms / 1000));
	ctl_put_str(r, "codec", "%s", *ci.codec ? ci.codec : "-");
	ctl_put_str(r, "media", "%s", ci.media);
	ctl_put_int(r, "relayed", (int64_t)ci.relayed_pkts);
	ctl_put_str(r, "call_id", "%s", ci.cid);
}

static int row(struct call *c, void *arg)
{
	struct ctl_reply *r = arg;

	ctl_obj_begin(r, NULL);
	info_put(r, c);
	ctl_obj_end(r);
	return 0;
}

static int cmd_show_calls(struct ctl_reply *r, int argc, char **argv,
			  void *arg)
{
	struct call_core *const *slot = arg;

	(void)argc;
	(void)argv;
	if (!slot || !*slot)
		return ctl_fail(r, "the call layer is not running");
	ctl_list_begin(r, "calls");
	call_core_foreach(*slot, row, r);
	ctl_list_end(r);
	return 0;
}

/* "ID" -> the call, or a reply saying why not. */
static struct call *call_arg(struct ctl_reply *r, struct call_core *const *slot,
			     const char *arg)
{
	unsigned long id;
	struct call *c;
	char *end;

	if (!slot || !*slot) {
		ctl_fail(r, "the call layer is not running");
		return NULL;
	}
	id = strtoul(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || id > UINT32_MAX) {
		ctl_fail(r, "\"%s\" is not a call id", arg);
		return NULL;
	}
	c = call_core_find(*slot, (unsigned)id);
	if (!c)
		ctl_fail(r, "no call %lu", id);
	return c;
}

static const char *dir_name(enum media_stream_dir d)
{
	switch (d) {
	case MEDIA_STREAM_SENDONLY:
		return "sendonly";
	case MEDIA_STREAM_RECVONLY:
		return "recvonly";
	case MEDIA_STREAM_INACTIVE:
		return "inactive";
	default:
		return "sendrecv";
	}
}

/* One leg of "show call": what call_leg_stats and its stream say. */
static void leg_obj(struct ctl_reply *r, const char *key,
		    struct call_leg *leg)
{
	struct media_stream_stats ms;
	struct call_leg_stats st;
	struct media_stream *m;

	ctl_obj_begin(r, key);
	if (!leg) {
		ctl_put_str(r, "name", "-");
		ctl_obj_end(r);
		return;
	}
	memset(&st, 0, sizeof(st));
	leg->ops->stats(leg, &st);
	ctl_put_str(r, "name", "%s", leg->name);
	ctl_put_str(r, "kind", "%s", leg->ops->kind);
	ctl_put_str(r, "id", "%s", leg->id);
	ctl_put_str(r, "media_peer", "%s", *st.peer ? st.peer : "-");
	ctl_put_str(r, "codec", "%s", *st.codec ? st.codec : "-");
	ctl_put_bool(r, "srtp", st.srtp);
	m = leg->ops->stream ? leg->ops->stream(leg) : NULL;
	if (m) {
		media_stream_stats(m, &ms);
		ctl_put_str(r, "dir", "%s", dir_name(ms.dir));
		ctl_put_int(r, "rtp_in", (int64_t)ms.rtp.pkts_in);
		ctl_put_int(r, "rtp_out", (int64_t)ms.rtp.pkts_out);
		ctl_put_int(r, "bytes_in", (int64_t)ms.rtp.bytes_in);
		ctl_put_int(r, "bytes_out", (int64_t)ms.rtp.bytes_out);
		ctl_put_str(r, "ssrc_in", "%08x", ms.rtp.ssrc_in);
		ctl_put_str(r, "ssrc_out", "%08x", ms.rtp.ssrc_out);
		ctl_put_bool(r, "latched", ms.rtp.latched);
		ctl_put_int(r, "malformed", (int64_t)ms.rtp.malformed);
		ctl_put_int(r, "foreign", (int64_t)ms.rtp.foreign);
		ctl_put_int(r, "srtp_fail", (int64_t)ms.rtp.srtp_fail);
		ctl_put_int(r, "rtcp_in", (int64_t)ms.rtp.rtcp_in);
		ctl_put_int(r, "rtcp_out", (int64_t)ms.rtp.rtcp_out);
		ctl_put_int(r, "jb_delay_ms", ms.jb.delay_ms);
		ctl_put_int(r, "jb_delay_avg_ms", ms.jb.delay_avg_ms);
		ctl_put_int(r, "jb_concealed", (int64_t)ms.jb.concealed);
		ctl_put_int(r, "jb_late", (int64_t)ms.jb.late);
		ctl_put_int(r, "dtmf_in", (int64_t)ms.dtmf_rx.digits);
		ctl_put_int(r, "dtmf_out", (int64_t)ms.digits_sent);
	}
	ctl_put_int(r, "rx_lost", st.rx_lost);
	ctl_put_int(r, "rx_jitter_us", st.rx_jitter_us);
	ctl_put_int(r, "tx_lost", st.tx_lost);
	ctl_put_int(r, "tx_jitter_us", st.tx_jitter_us);
	ctl_put_int(r, "rtt_us", st.rtt_us);
	ctl_obj_end(r);
}

static int cmd_show_call(struct ctl_reply *r, int argc, char **argv,
			 void *arg)
{
	struct call *c;

	(void)argc;
	c = call_arg(r, arg, argv[0]);
	if (!c)
		return -EINVAL;
	info_put(r, c);
	leg_obj(r, "in_leg", c->in);
	leg_obj(r, "out_leg", c->out);
	return 0;
}

static int cmd_hangup(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	struct call *c;
	unsigned id;

	(void)argc;
	c = call_arg(r, arg, argv[0]);
	if (!c)
		return -EINVAL;
	/* the call may be gone once call_hangup() returns */
	id = c->id;
	if (call_hangup(c, CALL_CAUSE_NORMAL_CLEARING))
		return ctl_fail(r, "call %u is already ending", id);
	ctl_put_int(r, "id", id);
	ctl_put_int(r, "cause", CALL_CAUSE_NORMAL_CLEARING);
	return 0;
}

const struct ctl_cmd call_cmds[] = {
	{ "show calls", NULL,
	  "calls in progress: state, legs, numbers, duration, codec",
	  cmd_show_calls, 0, 0 },
	{ "show call", "ID",
	  "one call: both legs with their media, RTP/RTCP and jitter buffer "
	  "statistics", cmd_show_call, 1, 1 },
	{ "call hangup", "ID", "end call ID (cause 16, normal clearing)",
	  cmd_hangup, 1, 1 },
};

const size_t call_ncmds = sizeof(call_cmds) / sizeof(call_cmds[0]);
