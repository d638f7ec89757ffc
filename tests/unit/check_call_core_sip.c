// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/call: calls between a network leg and the sim PSTN, and between
 * two network legs. The network leg is a stand-in for the SIP leg with
 * the same interface (struct call_leg_ops): it records every command the
 * call gives it, emits events when the test says, and carries audio
 * (a generated tone, or a real media stream on 127.0.0.1). The TDM side
 * is real (sim backend, real loop and clock). Checked: the exact
 * commands the caller's leg gets for each demo number, audio through the
 * bridge both ways (Goertzel), DTMF across, failover to the next peer,
 * answer after release, release while dialling, media inactivity
 * (cause 41, with RTP really stopping) and the CDR's media columns.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/call/call.h"
#include "../../gateway/call/cdr.h"
#include "../../gateway/call/route.h"
#include "../../gateway/ctl/conf.h"
#include "../../gateway/media/portpool.h"
#include "../../gateway/media/stream.h"
#include "../../tdm/core.h"
#include "../../tdm/module.h"
#include "../../tdm/sim.h"
#include "tl_check.h"
#include "../lib/goertzel.h"

static const char conf_fmt[] =
	"[tdm]\n"
	"tone_zone = us\n"
	"[span 1]\n"
	"channels = 1-4\n"
	"group = 1\n"
	"echo_cancel = no\n"
	"[sim]\n"
	"alert_delay = 20ms\n"
	"answer_delay = 100ms\n"
	"number = 100 echo\n"
	"number = 101 busy\n"
	"number = 102 noanswer\n"
	"number = 103 early 300\n"
	"number = 104 tone\n"
	"number = 105 unallocated\n"
	"number = 106 congestion\n"
	"[route to_pstn_prefixed]\n"
	"ingress = peer:pbx\n"
	"called = 109\n"
	"calling_prepend = 9\n"
	"targets = group:1\n"
	"[route to_pstn]\n"
	"ingress = peer:pbx\n"
	"called = _10X\n"
	"targets = group:1\n"
	"[route to_sip]\n"
	"called = 2\n"
	"targets = peer:down, peer:pbx\n"
	"[calls]\n"
	"no_answer = 500ms\n"
	"media_timeout = 400ms\n"
	"[cdr]\n"
	"csv = %s\n"
	"sqlite = \"\"\n";

static const struct conf_sect_def *const defs[] = {
	&tdm_sect_tdm,	  &tdm_sect_span,  &tdm_sect_sim, &call_route_sect,
	&call_cdr_sect,	  &call_calls_sect, NULL,
};

/* --- the stand-in network leg ------------------------------------------ */

struct fake {
	struct call_leg leg;
	char log[128];	     /* "A0 N R16": the commands, in order */
	struct call_leg_setup dialled;
	struct media_stream *ms; /* owned, may be NULL */
	double gen_hz, phase;	 /* audio_get's tone (no stream) */
	double meas_hz;		 /* measure this in what is put */
	int puts;
	double p_f, p_all;
	struct call_leg_stats st;
};

static struct loop *loop;
static struct conf *conf;
static struct tdm *tdm;
static struct call_core *cc;
static char csv_path[512];
static struct fake *last_out; /* the last leg made by sip_new */
static int nsip_new;

static void note(struct fake *f, const char *s)
{
	size_t n = strlen(f->log);

	snprintf(f->log + n, sizeof(f->log) - n, "%s%s", n ? " " : "", s);
}

static int f_dial(struct call_leg *leg, const struct call_leg_setup *s)
{
	struct fake *f = (struct fake *)leg;

	f->dialled = *s;
	note(f, "dial");
	return 0;
}

static int f_progress(struct call_leg *leg, bool inband)
{
	note((struct fake *)leg, inband ? "P1" : "P0");
	return 0;
}

static int f_alerting(struct call_leg *leg, bool inband)
{
	note((struct fake *)leg, inband ? "A1" : "A0");
	return 0;
}

static int f_answer(struct call_leg *leg)
{
	note((struct fake *)leg, "N");
	return 0;
}

static void f_release(struct call_leg *leg, int cause)
{
	char s[8];

	snprintf(s, sizeof(s), "R%d", cause);
	note((struct fake *)leg, s);
}

static int f_digit(struct call_leg *leg, char digit)
{
	char s[4] = { 'D', digit, '\0' };

	note((struct fake *)leg, s);
	return 0;
}

static int f_put(struct call_leg *leg, const int16_t *frame)
{
	struct fake *f = (struct fake *)leg;

	/* the first frames after a change carry the transition */
	if (++f->puts > 5 && f->meas_hz > 0) {
		double all = 0;

		for (int i = 0; i < 160; i++)
			all += (double)frame[i] * frame[i];
		f->p_all += all / 160;
		f->p_f += tl_goertzel(frame, 160, f->meas_hz);
	}
	if (f->ms)
		return media_stream_put(f->ms, frame, 160);
	return 0;
}

static int f_get(struct call_leg *leg, int16_t *frame)
{
	struct fake *f = (struct fake *)leg;

	if (f->ms)
		return media_stream_get(f->ms, frame, 160) < 0 ? -EIO : 0;
	for (int i = 0; i < 160; i++) {
		double v = 6000.0 * sin(2 * M_PI * f->phase);

		frame[i] = f->gen_hz > 0 ? (int16_t)v : 0;
		f->phase += f->gen_hz / 8000.0;
	}
	return 0;
}

static struct media_stream *f_stream(struct call_leg *leg)
{
	return ((struct fake *)leg)->ms;
}

static void f_stats(struct call_leg *leg, struct call_leg_stats *st)
{
	*st = ((struct fake *)leg)->st;
}

static const struct call_leg_ops fake_ops = {
	.kind = "sip",
	.dial = f_dial,
	.progress = f_progress,
	.alerting = f_alerting,
	.answer = f_answer,
	.release = f_release,
	.digit = f_digit,
	.audio_put = f_put,
	.audio_get = f_get,
	.stream = f_stream,
	.stats = f_stats,
};

static void fake_destroy(void *arg)
{
	struct fake *f = arg;

	mem_deref(f->ms);
}

static struct fake *fake_new(const char *id, const char *name)
{
	struct fake *f = mem_zalloc(sizeof(*f), fake_destroy);

	ck_assert_ptr_nonnull(f);
	f->leg.ops = &fake_ops;
	snprintf(f->leg.id, sizeof(f->leg.id), "%s", id);
	snprintf(f->leg.name, sizeof(f->leg.name), "%s", name);
	snprintf(f->st.codec, sizeof(f->st.codec), "PCMU");
	return f;
}

static void emit(struct fake *f, enum call_leg_ev_type type, int cause,
		 bool inband)
{
	struct call_leg_ev ev = { .type = type, .cause = cause,
				  .inband = inband };

	mem_ref(f);
	call_leg_emit(&f->leg, &ev);
	mem_deref(f);
}

static void emit_digit(struct fake *f, char d)
{
	struct call_leg_ev ev = { .type = CALL_LEG_DIGIT, .digit = d };

	call_leg_emit(&f->leg, &ev);
}

/* The SIP leg factory as the call core sees it: "down" does not exist. */
static int sip_new(struct call_leg **legp, const char *peer, void *ctx)
{
	char id[32];

	ck_assert_ptr_eq(ctx, &nsip_new);
	nsip_new++;
	if (!strcmp(peer, "down"))
		return -ENOENT;
	snprintf(id, sizeof(id), "out-%d@test", nsip_new);
	last_out = fake_new(id, "peer:pbx");
	*legp = &last_out->leg;
	return 0;
}

/* A call from the network: what the SIP leg's listener hands over. */
/* A network call to @called from @calling (a party as the SIP leg
 * makes it: digits, type of number, plan). */
static struct fake *call_in_from(const char *called,
				 const struct call_number *calling)
{
	struct fake *f = fake_new("in-1@test", "peer:pbx");
	struct call_leg_setup s = { 0 };
	struct call_leg_ev ev = { .type = CALL_LEG_SETUP, .setup = &s };

	snprintf(s.called.num.digits, sizeof(s.called.num.digits), "%s",
		 called);
	s.calling.num = *calling;
	snprintf(s.ingress, sizeof(s.ingress), "peer:pbx");
	call_core_leg_in_h(&f->leg, &ev, cc);
	ck_assert_uint_eq(mem_nrefs(f), 2);
	return f;
}

static struct fake *call_in(const char *called)
{
	const struct call_number from = { .digits = "300" };

	return call_in_from(called, &from);
}

/* --- rig ------------------------------------------------------------------ */

static void run_for(unsigned ms)
{
	uint64_t end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_poll(loop, (int)(end - loop_now_ms()));
}

static void setup(void)
{
	struct conf_errs errs;
	struct call_core_params p = { 0 };
	struct call_routes *rt;
	struct call_cdr_writer *w;
	char text[sizeof(conf_fmt) + 512];

	snprintf(csv_path, sizeof(csv_path), "%s/sip-%d.csv", tl_tmpdir(),
		 getpid());
	unlink(csv_path);
	snprintf(text, sizeof(text), conf_fmt, csv_path);
	loop = loop_new();
	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("call.conf", text, defs, &conf, &errs),
			 0);
	conf_errs_clear(&errs);
	ck_assert_int_eq(tdm_alloc(&tdm, loop, conf), 0);
	ck_assert_int_eq(call_routes_new(conf, &rt), 0);
	ck_assert_int_eq(call_cdr_writer_open(conf_get(conf, "cdr"), &w), 0);
	p.loop = loop;
	p.tdm = tdm;
	p.sip_new = sip_new;
	p.sip_ctx = &nsip_new;
	p.routes = rt;
	p.cdr = w;
	p.limits = *(const struct call_limits *)conf_get(conf, "calls");
	ck_assert_int_eq(call_core_new(&cc, &p), 0);
	mem_deref(rt);
	mem_deref(w);
	last_out = NULL;
	nsip_new = 0;
}

static void teardown(void)
{
	cc = mem_deref(cc);
	tdm = mem_deref(tdm);
	conf = mem_deref(conf);
	loop = mem_deref(loop);
	last_out = NULL;
	unlink(csv_path);
}

/* The cause, answer and codec columns of the only CDR row. */
static void cdr_check(int cause, bool answered, const char *codec)
{
	FILE *f = fopen(csv_path, "r");
	char line[1024], *fld[32];
	int n = 0, rows = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	while (fgets(line, sizeof(line), f)) {
		rows++;
		n = 0;
		fld[n++] = line;
		/* RFC 4180: commas inside quotes (the TDM ingress
		 * "span:1,group:1") do not split; the quotes stay */
		for (char *p = line, q = 0; *p && n < 32; p++) {
			if (*p == '"')
				q = !q;
			else if (*p == ',' && !q) {
				*p = '\0';
				fld[n++] = p + 1;
			}
		}
	}
	fclose(f);
	ck_assert_int_eq(rows, 1);
	ck_assert_int_eq(n, 24);
	ck_assert_int_eq(atoi(fld[13]), cause);
	ck_assert_int_eq(fld[2][0] != '\0', answered);
	ck_assert_str_eq(fld[15], codec);
}

/* --- network to PSTN ------------------------------------------------------ */

static const struct {
	const char *num, *log;
	int cause;
	unsigned ms;
} beh[] = {
	{ "100", "A0 N", 0, 400 },
	{ "101", "R17", 17, 200 },
	{ "102", "A0 R19", 19, 800 }, /* [calls] no_answer */
	{ "103", "P1 N", 0, 600 },
	{ "104", "A0 N", 0, 400 },
	{ "105", "R1", 1, 200 },
	{ "106", "R34", 34, 200 },
};

START_TEST(sip_to_pstn_behaviours)
{
	struct fake *in;

	setup();
	in = call_in(beh[_i].num);
	run_for(beh[_i].ms);
	if (beh[_i].cause) {
		ck_assert_str_eq(in->log, beh[_i].log);
		ck_assert_uint_eq(call_core_count(cc), 0);
		ck_assert_uint_eq(mem_nrefs(in), 1);
		ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 1)),
				 "idle");
	} else {
		ck_assert_str_eq(in->log, beh[_i].log);
		ck_assert_uint_eq(call_core_count(cc), 1);
		ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 1)),
				 "up");
		emit(in, CALL_LEG_RELEASE, 16, false);
		ck_assert_uint_eq(call_core_count(cc), 0);
		ck_assert_int_eq(tdm_chan_find(tdm, 1)->last_cause, 16);
	}
	/* the network leg's codec goes into the CDR; no RTP, no MOS */
	cdr_check(beh[_i].cause ? beh[_i].cause : 16, !beh[_i].cause, "PCMU");
	mem_deref(in);
	teardown();
}
END_TEST

/* The exchange gets each number's type: an international one as '+'
 * (which an ISDN span sends as TON international / E.164), the others
 * with their type of number and plan codes (Q.931's); a number a route
 * rewrote (109: calling_prepend = 9) has an unknown type. */
START_TEST(sip_to_pstn_plans)
{
	static const struct {
		const char *to;
		struct call_number from;
		const char *want;
		unsigned ton, npi;
	} c[] = {
		{ "101", { "2125551234", CALL_TON_NATIONAL, CALL_NPI_E164 },
		  "2125551234", 2, 1 },
		{ "101", { "12125551234", CALL_TON_INTERNATIONAL, CALL_NPI_E164 },
		  "+12125551234", 1, 1 },
		{ "101", { "5551234", CALL_TON_SUBSCRIBER, CALL_NPI_E164 },
		  "5551234", 4, 1 },
		{ "101", { "4711", CALL_TON_UNKNOWN, CALL_NPI_PRIVATE },
		  "4711", 0, 9 },
		{ "109", { "2125551234", CALL_TON_NATIONAL, CALL_NPI_E164 },
		  "92125551234", 0, 0 },
	};
	struct tdm_setup ts;
	struct fake *in;

	setup();
	ck_assert_int_eq(tdm_sim_dialled(tdm, 1, &ts), -ENODATA);
	in = call_in_from(c[_i].to, &c[_i].from);
	run_for(100);
	ck_assert_int_eq(tdm_sim_dialled(tdm, 1, &ts), 0);
	ck_assert_str_eq(ts.called, c[_i].to);
	ck_assert_uint_eq(ts.called_ton, 0);
	ck_assert_str_eq(ts.calling, c[_i].want);
	ck_assert_uint_eq(ts.calling_ton, c[_i].ton);
	ck_assert_uint_eq(ts.calling_npi, c[_i].npi);
	ck_assert_int_eq(tdm_sim_dialled(tdm, 99, &ts), -ENOENT);
	mem_deref(in);
	teardown();
}
END_TEST

/* 104 sends 1004 Hz: it reaches the network leg after the answer; what
 * the network leg sends reaches an echo number and comes back. */
START_TEST(sip_to_pstn_audio)
{
	struct fake *in;

	setup();
	in = call_in(_i ? "100" : "104");
	in->meas_hz = _i ? 700 : 1004;
	in->gen_hz = _i ? 700 : 0;
	run_for(600);
	ck_assert_str_eq(in->log, "A0 N");
	ck_assert_int_gt(in->puts, 15);
	ck_assert_msg(in->p_f > 0.9 * in->p_all && in->p_all > 1e5,
		      "%.0f Hz is %.0f%% of %.0f", in->meas_hz,
		      100 * in->p_f / (in->p_all + 1), in->p_all);
	emit(in, CALL_LEG_RELEASE, 16, false);
	mem_deref(in);
	teardown();
}
END_TEST

/* A digit from the network leg goes out in-band on the TDM channel; the
 * echo number sends it back, the channel detects it, and the digit
 * arrives at the network leg. */
START_TEST(sip_to_pstn_dtmf)
{
	struct fake *in;

	setup();
	in = call_in("100");
	run_for(300);
	ck_assert_str_eq(in->log, "A0 N");
	emit_digit(in, '5');
	run_for(400);
	emit_digit(in, '#');
	run_for(400);
	ck_assert_str_eq(in->log, "A0 N D5 D#");
	emit(in, CALL_LEG_RELEASE, 16, false);
	mem_deref(in);
	teardown();
}
END_TEST

/* The caller gives up while the PSTN side rings: the channel is cleared
 * with the caller's cause and the CDR has it. */
START_TEST(sip_release_while_ringing)
{
	struct fake *in;

	setup();
	in = call_in("102");
	run_for(100);
	ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 1)),
			 "alerting");
	emit(in, CALL_LEG_RELEASE, 16, false);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_int_eq(tdm_chan_find(tdm, 1)->last_cause, 16);
	/* the caller's own release is not echoed back to it */
	ck_assert_str_eq(in->log, "A0");
	run_for(100);
	cdr_check(16, false, "PCMU");
	mem_deref(in);
	teardown();
}
END_TEST

/* --- PSTN to network ----------------------------------------------------- */

/* 2xx goes to peer:down (no such peer: 3, fails over) then peer:pbx;
 * progress with in-band media, the answer, audio both ways through the
 * calling phone's echo, and the callee's release with its cause. */
START_TEST(pstn_to_sip)
{
	struct fake *out;

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 2, "2555", "777",
				      TDM_PRES_ALLOWED),
			 0);
	run_for(40);
	ck_assert_int_eq(nsip_new, 2);
	out = mem_ref(last_out);
	ck_assert_str_eq(out->log, "dial");
	ck_assert_str_eq(out->dialled.called.num.digits, "2555");
	ck_assert_str_eq(out->dialled.calling.num.digits, "777");
	ck_assert_str_eq(out->dialled.ingress, "span:1,group:1");
	emit(out, CALL_LEG_PROGRESS, 0, true);
	ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 2)),
			 "incoming");
	emit(out, CALL_LEG_ANSWER, 0, false);
	ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 2)), "up");
	out->gen_hz = 700;
	out->meas_hz = 700;
	run_for(500);
	ck_assert_int_gt(out->puts, 15);
	ck_assert_msg(out->p_f > 0.9 * out->p_all && out->p_all > 1e5,
		      "700 Hz is %.0f%%", 100 * out->p_f / (out->p_all + 1));
	emit(out, CALL_LEG_RELEASE, 17, false);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_int_eq(tdm_chan_find(tdm, 2)->last_cause, 17);
	ck_assert_str_eq(out->log, "dial");
	/* an answer after the release goes nowhere */
	emit(out, CALL_LEG_ANSWER, 0, false);
	cdr_check(17, true, "PCMU");
	mem_deref(out);
	teardown();
}
END_TEST

/* The PSTN caller hangs up while the network leg is still dialling: it
 * is released with the same cause, and its late answer is ignored. */
START_TEST(pstn_release_while_dialling)
{
	struct fake *out;

	setup();
	ck_assert_int_eq(tdm_sim_call(tdm, 2, "2555", "", TDM_PRES_ALLOWED),
			 0);
	run_for(20);
	out = mem_ref(last_out);
	emit(out, CALL_LEG_ALERTING, 0, false);
	ck_assert_int_eq(tdm_sim_hangup(tdm, 2, 31), 0);
	ck_assert_str_eq(out->log, "dial R31");
	emit(out, CALL_LEG_ANSWER, 0, false);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_str_eq(tdm_chan_state_name(tdm_chan_find(tdm, 2)), "idle");
	cdr_check(31, false, "PCMU");
	mem_deref(out);
	teardown();
}
END_TEST

/* --- network to network --------------------------------------------------- */

START_TEST(sip_to_sip)
{
	struct fake *in, *out;
	struct call_info ci;

	setup();
	in = call_in("2000");
	run_for(20);
	out = mem_ref(last_out);
	ck_assert_str_eq(out->log, "dial");
	emit(out, CALL_LEG_ALERTING, 0, false);
	ck_assert_str_eq(in->log, "A0");
	/* 180 after 183 with media: the early media stays cut through */
	emit(out, CALL_LEG_PROGRESS, 0, true);
	emit(out, CALL_LEG_ALERTING, 0, false);
	ck_assert_str_eq(in->log, "A0 P1 A1");
	out->gen_hz = 900;
	in->meas_hz = 900;
	emit(out, CALL_LEG_ANSWER, 0, false);
	run_for(400);
	call_get_info(call_core_find(cc, 1), &ci);
	ck_assert_int_eq(ci.state, CALL_ST_ANSWERED);
	ck_assert_uint_gt(ci.frames_out_in, 10);
	ck_assert_uint_gt(ci.frames_in_out, 10);
	ck_assert_msg(in->p_f > 0.9 * in->p_all && in->p_all > 1e5,
		      "900 Hz is %.0f%%", 100 * in->p_f / (in->p_all + 1));
	emit_digit(out, '7');
	ck_assert_str_eq(in->log, "A0 P1 A1 N D7");
	emit(in, CALL_LEG_RELEASE, 16, false);
	ck_assert_str_eq(out->log, "dial R16");
	mem_deref(out);
	mem_deref(in);
	teardown();
}
END_TEST

/* --- media inactivity ----------------------------------------------------- */

static uint16_t free_base(void)
{
	for (unsigned tries = 0; tries < 200; tries++) {
		uint16_t base = (uint16_t)(30000 +
			((getpid() * 7919u + tries * 211u) % 4000) * 2);
		bool ok = true;

		for (unsigned i = 0; ok && i < 4; i++) {
			struct sa a;
			int fd;

			sa_set_ip(&a, "127.0.0.1", (uint16_t)(base + i));
			fd = socket(AF_INET, SOCK_DGRAM, 0);
			ok = fd >= 0 && !bind(fd, &a.u.sa, a.len);
			if (fd >= 0)
				close(fd);
		}
		if (ok)
			return base;
	}
	ck_abort_msg("no free port range");
	return 0;
}

static void sparams(struct media_stream_params *p, struct media_ports *mp)
{
	memset(p, 0, sizeof(*p));
	p->rtp.ports = mp;
	sa_set_ip(&p->rtp.local, "127.0.0.1", 0);
	p->codec = MEDIA_CODEC_PCMU;
	p->te_pt = 101;
	p->dtmf = MEDIA_STREAM_DTMF_RFC4733;
	p->dir = MEDIA_STREAM_SENDRECV;
}

/* The PSTN calls a network leg whose media is a real RTP stream; the far
 * end sends RTP for a while, then stops: 400 ms later the call ends with
 * 41, and its CDR has the codec and an estimated MOS. */
START_TEST(media_inactivity)
{
	struct media_stream_params pa, pb;
	struct media_ports *mp;
	struct media_stream *far;
	struct fake *out;
	int16_t pcm[160] = { 0 };
	uint64_t end;
	uint16_t base = free_base();
	FILE *f;
	char line[1024];

	setup();
	ck_assert_int_eq(media_ports_new(&mp, base, (uint16_t)(base + 3)), 0);
	ck_assert_int_eq(tdm_sim_call(tdm, 2, "2555", "", TDM_PRES_ALLOWED),
			 0);
	run_for(20);
	out = mem_ref(last_out);
	sparams(&pa, mp);
	sparams(&pb, mp);
	ck_assert_int_eq(media_stream_new(&far, loop, &pb), 0);
	pa.rtp.remote = *rtp_sess_local(media_stream_rtp(far));
	ck_assert_int_eq(media_stream_new(&out->ms, loop, &pa), 0);
	pb.rtp.remote = *rtp_sess_local(media_stream_rtp(out->ms));
	ck_assert_int_eq(media_stream_update(far, &pb), 0);
	emit(out, CALL_LEG_ANSWER, 0, false);
	/* 800 ms of RTP from the far end: twice the timeout, still up */
	end = loop_now_ms() + 800;
	while (loop_now_ms() < end) {
		for (int i = 0; i < 160; i++)
			pcm[i] = (int16_t)(3000 * sin(i * 0.5));
		media_stream_put(far, pcm, 160);
		run_for(20);
		media_stream_get(far, pcm, 160);
	}
	ck_assert_uint_eq(call_core_count(cc), 1);
	ck_assert_str_eq(out->log, "dial");
	/* silence on the wire: released within the timeout and a check */
	run_for(300);
	ck_assert_uint_eq(call_core_count(cc), 1);
	run_for(400);
	ck_assert_uint_eq(call_core_count(cc), 0);
	ck_assert_str_eq(out->log, "dial R41");
	ck_assert_int_eq(tdm_chan_find(tdm, 2)->last_cause, 41);
	cdr_check(41, true, "PCMU");
	f = fopen(csv_path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	/* no loss reported: the MOS of clean G.711, 4.3 or so */
	ck_assert_msg(strstr(line, ",0.00,0.0,0.00,0.0,4.") != NULL, "%s",
		      line);
	mem_deref(far);
	mem_deref(out);
	teardown();
	mem_deref(mp);
}
END_TEST

Suite *call_core_sip_suite(void)
{
	Suite *s = suite_create("call_core_sip");
	TCase *tc = tl_tcase(s, "network_legs");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, sip_to_pstn_behaviours, 0,
			    sizeof(beh) / sizeof(beh[0]));
	tcase_add_loop_test(tc, sip_to_pstn_audio, 0, 2);
	tcase_add_loop_test(tc, sip_to_pstn_plans, 0, 5);
	tcase_add_test(tc, sip_to_pstn_dtmf);
	tcase_add_test(tc, sip_release_while_ringing);
	tcase_add_test(tc, pstn_to_sip);
	tcase_add_test(tc, pstn_release_while_dialling);
	tcase_add_test(tc, sip_to_sip);
	tcase_add_test(tc, media_inactivity);
	return s;
}
