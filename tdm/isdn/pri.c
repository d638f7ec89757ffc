// SPDX-License-Identifier: GPL-2.0
/*
 * ISDN PRI on a DAHDI span with libpri (see pri.h).
 *
 * The D channel is a /dev/dahdi/channel file in HDLC mode (dahdi_cfg's
 * dchan: the kernel does the flags, bit stuffing and FCS; hardhdlc on
 * cards that do it in hardware). Each read gives one frame with its FCS,
 * each write sends one, which is the contract of libpri's I/O callbacks.
 * libpri is single-threaded and keeps its own timer list: after every
 * call into it, pri_schedule_next() says when it wants to run next, and
 * one loop timer brings it there.
 *
 * B channels: a call owns one for its life; the call's libpri handle is
 * kept until the far end has confirmed the clearing (RELEASE COMPLETE),
 * and the B channel cannot be dialled on until then. When layer 2 comes
 * up each B channel is restarted (Q.931 RESTART, one at a time) and put
 * in service when the far end acknowledges; layer 2 going down or a span
 * alarm clears every call and takes the B channels out of service.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include <dahdi/user.h>
#include <libpri.h>

#define LOG_TAG "tdm-pri"
#include "../../gateway/base/log.h"
#include "../../gateway/base/mem.h"
#include "../core.h"
#include "pri.h"

#define DAHDI_DEV "/dev/dahdi/channel"
#define DCH_BUFS 16	 /* frames queued each way in the kernel */
#define DCH_BUFSIZE 1024 /* larger than any Q.921 frame (N201 260) */
#define RESTART_MS 4000	 /* no RESTART ACKNOWLEDGE: in service anyway */
#define CLEAR_MS 12000	 /* past T308 twice: forget the call */
#define READ_BURST 32	 /* frames per wakeup before yielding */

enum pc_st { PC_IDLE = 0, PC_RESTART, PC_CALL, PC_CLEARING };

struct pchan {
	struct tdm_pri *p;   /* borrowed: owns us */
	struct tdm_chan *ch; /* borrowed */
	unsigned ts;	     /* the B channel's timeslot */
	enum pc_st st;
	bool ready;	  /* restarted since layer 2 came up */
	q931_call *call;  /* libpri's; NULL when idle */
	struct tmr guard; /* restart and clearing timeouts */
};

struct tdm_pri {
	struct tdm_span *sp; /* borrowed: owns us */
	struct loop *loop;   /* borrowed */
	/* libpri's controller. libpri has no destructor for it: a stopped
	 * span leaves it (a few KB) behind, unreachable and idle. */
	struct pri *pri;
	int fd;
	bool net, up, eagain, dch_alarm;
	int sw;	    /* index in tdm_pri_switch_names */
	int alarms; /* the span's DAHDI_ALARM_* */
	int layer1;
	struct pchan *pc; /* array of sp->nch, owned */
	unsigned restart_at; /* next B channel to restart; nch: all done */
	struct tmr sched;
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void emit(struct pchan *pc, enum tdm_ev_type type, int cause,
		 bool inband)
{
	struct tdm_ev ev = { .type = type, .cause = cause, .inband = inband };

	tdm_chan_signal(pc->ch, &ev);
}

static struct pchan *by_call(struct tdm_pri *p, const q931_call *call)
{
	for (unsigned i = 0; call && i < p->sp->nch; i++)
		if (p->pc[i].call == call)
			return &p->pc[i];
	return NULL;
}

static struct pchan *by_ts(struct tdm_pri *p, unsigned ts)
{
	for (unsigned i = 0; ts && i < p->sp->nch; i++)
		if (p->pc[i].ts == ts)
			return &p->pc[i];
	return NULL;
}

static struct pchan *by_chan(struct tdm_pri *p, const struct tdm_chan *ch)
{
	return ch->span == p->sp && ch->idx < p->sp->nch ? &p->pc[ch->idx] :
							  NULL;
}

/* Back to no call; the channel keeps its service state. */
static void pc_forget(struct pchan *pc)
{
	tmr_cancel(&pc->guard);
	pc->call = NULL;
	pc->st = PC_IDLE;
}

static void sched_h(void *arg);

/* libpri wants to run again at the time it names (or never). */
static void sched(struct tdm_pri *p)
{
	struct timeval *tv = p->pri ? pri_schedule_next(p->pri) : NULL;
	struct timeval now;
	long long ms;

	if (!tv) {
		tmr_cancel(&p->sched);
		return;
	}
	gettimeofday(&now, NULL);
	ms = (long long)(tv->tv_sec - now.tv_sec) * 1000 +
	     (tv->tv_usec - now.tv_usec) / 1000;
	/* +1: a timer that fires a hair early would find nothing due and
	 * spin */
	tmr_start(p->loop, &p->sched, ms < 0 ? 0 : (uint64_t)ms + 1, sched_h,
		  p);
}

static bool usable(const struct tdm_pri *p, const struct pchan *pc)
{
	return p->up && !p->alarms && !p->dch_alarm && pc->ready;
}

static void set_service(struct tdm_pri *p, struct pchan *pc)
{
	tdm_chan_set_oos(pc->ch, !usable(p, pc));
}

static void restart_next(struct tdm_pri *p);

static void restart_timeout(void *arg)
{
	struct pchan *pc = arg;

	LOGW("span %u: B channel %u: no RESTART ACKNOWLEDGE: in service",
	     pc->p->sp->num, pc->ts);
	pc->st = PC_IDLE;
	pc->ready = true;
	set_service(pc->p, pc);
	restart_next(pc->p);
}

/* Q.931 5.5: restart the B channels one at a time, so that neither side
 * keeps a call the other has forgotten. */
static void restart_next(struct tdm_pri *p)
{
	while (p->up && p->restart_at < p->sp->nch) {
		struct pchan *pc = &p->pc[p->restart_at++];

		if (pc->st != PC_IDLE)
			continue;
		if (pri_reset(p->pri, (int)pc->ts)) {
			pc->ready = true;
			set_service(p, pc);
			continue;
		}
		pc->st = PC_RESTART;
		tmr_start(p->loop, &pc->guard, RESTART_MS, restart_timeout, pc);
		return;
	}
}

static void restart_ack(struct tdm_pri *p, int channel)
{
	struct pchan *pc = by_ts(p, tdm_pri_timeslot(channel));

	if (!pc || pc->st != PC_RESTART)
		return;
	LOGD("span %u: B channel %u restarted", p->sp->num, pc->ts);
	pc_forget(pc);
	pc->ready = true;
	set_service(p, pc);
	restart_next(p);
}

/* The far end restarted a B channel (or all, @channel -1): whatever call
 * was on it is gone. */
static void restart_rx(struct tdm_pri *p, int channel)
{
	unsigned ts = tdm_pri_timeslot(channel);

	LOGN("span %u: far end restarted %s %u", p->sp->num,
	     channel < 0 ? "all B channels" : "B channel", ts);
	for (unsigned i = 0; i < p->sp->nch; i++) {
		struct pchan *pc = &p->pc[i];
		bool was_call = pc->st == PC_CALL;

		if ((channel >= 0 && pc->ts != ts) || pc->st == PC_RESTART)
			continue;
		if (pc->call)
			pri_destroycall(p->pri, pc->call);
		pc_forget(pc);
		if (was_call)
			emit(pc, TDM_EV_RELEASE, TDM_CAUSE_TEMP_FAILURE, false);
	}
}

/* Every call is gone and no B channel is usable (set_service() says
 * which come back). */
static void drop_calls(struct tdm_pri *p)
{
	for (unsigned i = 0; i < p->sp->nch; i++) {
		struct pchan *pc = &p->pc[i];

		/* a restart under way finishes or times out as usual */
		if (pc->st == PC_RESTART && p->up) {
			tdm_chan_set_oos(pc->ch, true);
			continue;
		}
		if (pc->call)
			pri_destroycall(p->pri, pc->call);
		pc_forget(pc);
		/* releases a call on it with cause 27 */
		tdm_chan_set_oos(pc->ch, true);
	}
}

static void link_down(struct tdm_pri *p)
{
	if (p->up)
		LOGW("span %u: D channel down: B channels out of service",
		     p->sp->num);
	p->up = false;
	for (unsigned i = 0; i < p->sp->nch; i++)
		p->pc[i].ready = false;
	drop_calls(p);
	p->restart_at = p->sp->nch;
}

static void link_up(struct tdm_pri *p)
{
	LOGN("span %u: D channel up (%s, %s side): restarting %u B channels",
	     p->sp->num, tdm_pri_switch_names[p->sw],
	     p->net ? "network" : "user", p->sp->nch);
	p->up = true;
	p->restart_at = 0;
	restart_next(p);
}

/* A free B channel for an incoming call: the one asked for, else (if the
 * far end allows another) the lowest free one. */
static struct pchan *pick(struct tdm_pri *p, unsigned ts, bool flexible,
			  int *cause)
{
	struct pchan *pc = by_ts(p, ts);

	if (pc && pc->st == PC_IDLE && usable(p, pc) &&
	    pc->ch->st == TDM_CH_IDLE)
		return pc;
	if (ts && !flexible) {
		*cause = PRI_CAUSE_REQUESTED_CHAN_UNAVAIL;
		return NULL;
	}
	for (unsigned i = 0; i < p->sp->nch; i++) {
		pc = &p->pc[i];
		if (pc->st == PC_IDLE && usable(p, pc) &&
		    pc->ch->st == TDM_CH_IDLE)
			return pc;
	}
	*cause = PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION;
	return NULL;
}

/* Numbers longer than TDM_NUMBER_MAX - 1 digits are not E.164 ones:
 * cut, like a name. */
static void copy_str(char *dst, size_t n, const char *src)
{
	size_t l = strnlen(src, n - 1);

	memcpy(dst, src, l);
	dst[l] = '\0';
}

static void copy_num(char *dst, const char *src)
{
	copy_str(dst, TDM_NUMBER_MAX, src);
}

static void ring(struct tdm_pri *p, const pri_event_ring *r)
{
	struct tdm_setup s = { 0 };
	struct tdm_ev ev = { .type = TDM_EV_SETUP, .setup = &s };
	int cause = 0;
	struct pchan *pc = pick(p, tdm_pri_timeslot(r->channel), r->flexible,
				&cause);

	if (!pc) {
		LOGN("span %u: SETUP to %s on B channel %u: refused, cause %d",
		     p->sp->num, r->callednum, tdm_pri_timeslot(r->channel),
		     cause);
		pri_hangup(p->pri, r->call, cause);
		return;
	}
	tdm_pri_num_in(r->callednum, r->calledplan, s.called,
		       sizeof(s.called), &s.called_ton, &s.called_npi);
	tdm_pri_num_in(r->callingnum, r->callingplan, s.calling,
		       sizeof(s.calling), &s.calling_ton, &s.calling_npi);
	copy_str(s.calling_name, sizeof(s.calling_name), r->callingname);
	copy_num(s.redirecting, r->redirectingnum);
	s.pres = tdm_pri_pres_split(r->callingpres, &s.screen);
	pc->call = r->call;
	pc->st = PC_CALL;
	LOGI("span %u: B channel %u: SETUP to %s from %s", p->sp->num, pc->ts,
	     s.called, s.calling);
	/* en-bloc: the number is complete, confirm the channel now */
	pri_proceeding(p->pri, r->call, (int)pc->ts, 0);
	tdm_chan_signal(pc->ch, &ev);
}

static void clear_timeout(void *arg)
{
	struct pchan *pc = arg;

	/* libpri gave up on the far end long ago and freed the call */
	LOGW("span %u: B channel %u: clearing never confirmed",
	     pc->p->sp->num, pc->ts);
	pc_forget(pc);
}

/* The far end clears (DISCONNECT, RELEASE or RELEASE COMPLETE). */
static void far_clear(struct tdm_pri *p, q931_call *call, int pricause,
		      bool disconnect)
{
	struct pchan *pc = by_call(p, call);
	int cause = tdm_pri_cause_in(pricause);
	bool was_call = pc && pc->st == PC_CALL;

	if (!disconnect) {
		/* libpri keeps a released call until it is hung up */
		pri_hangup(p->pri, call, cause);
		if (pc)
			pc_forget(pc);
	} else if (was_call) {
		/* answer the DISCONNECT with RELEASE; the channel is ours
		 * until RELEASE COMPLETE */
		pc->st = PC_CLEARING;
		tmr_start(p->loop, &pc->guard, CLEAR_MS, clear_timeout, pc);
		pri_hangup(p->pri, call, cause);
	} else {
		/* both ends cleared at once, or a call we never had */
		pri_hangup(p->pri, call, cause);
	}
	if (!was_call)
		return;
	LOGI("span %u: B channel %u: far end clears, cause %d (%s)",
	     p->sp->num, pc->ts, cause, tdm_cause_str(cause));
	emit(pc, TDM_EV_RELEASE, cause, false);
}

static void handle(struct tdm_pri *p, pri_event *e)
{
	struct pchan *pc;

	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		link_up(p);
		break;
	case PRI_EVENT_DCHAN_DOWN:
		link_down(p);
		break;
	case PRI_EVENT_RESTART:
		restart_rx(p, e->restart.channel);
		break;
	case PRI_EVENT_RESTART_ACK:
		restart_ack(p, e->restartack.channel);
		break;
	case PRI_EVENT_RING:
		ring(p, &e->ring);
		break;
	case PRI_EVENT_PROCEEDING:
		pc = by_call(p, e->proceeding.call);
		if (pc && pc->st == PC_CALL &&
		    tdm_pri_inband(e->proceeding.progressmask))
			emit(pc, TDM_EV_PROGRESS, 0, true);
		break;
	case PRI_EVENT_PROGRESS:
		pc = by_call(p, e->proceeding.call);
		if (pc && pc->st == PC_CALL)
			emit(pc, TDM_EV_PROGRESS, 0,
			     tdm_pri_inband(e->proceeding.progressmask));
		break;
	case PRI_EVENT_RINGING:
		pc = by_call(p, e->ringing.call);
		if (!pc || pc->st != PC_CALL)
			break;
		emit(pc, TDM_EV_ALERTING, 0, false);
		/* the exchange plays ringback itself */
		if (pc->st == PC_CALL &&
		    tdm_pri_inband(e->ringing.progressmask))
			emit(pc, TDM_EV_PROGRESS, 0, true);
		break;
	case PRI_EVENT_ANSWER:
		pc = by_call(p, e->answer.call);
		if (pc && pc->st == PC_CALL)
			emit(pc, TDM_EV_ANSWER, 0, false);
		break;
	case PRI_EVENT_HANGUP_REQ:
		far_clear(p, e->hangup.call, e->hangup.cause, true);
		break;
	case PRI_EVENT_HANGUP:
		far_clear(p, e->hangup.call, e->hangup.cause, false);
		break;
	case PRI_EVENT_HANGUP_ACK:
		pc = by_call(p, e->hangup.call);
		if (pc)
			pc_forget(pc);
		break;
	case PRI_EVENT_CONFIG_ERR:
		LOGE("span %u: libpri: %s", p->sp->num, e->err.err);
		break;
	default:
		LOGD("span %u: libpri event %s", p->sp->num,
		     pri_event2str(e->e));
		break;
	}
}

static void sched_h(void *arg)
{
	struct tdm_pri *p = arg;

	/* each run returns at most one event; bounded like the reads */
	for (int i = 0; i < READ_BURST; i++) {
		pri_event *e = pri_schedule_run(p->pri);

		if (!e)
			break;
		handle(p, e);
	}
	sched(p);
}

static void dch_events(struct tdm_pri *p)
{
	int e;

	for (int i = 0; i < 16; i++) {
		e = 0;
		if (xioctl(p->fd, DAHDI_GETEVENT, &e) || !e)
			return;
		switch (e) {
		case DAHDI_EVENT_ALARM:
		case DAHDI_EVENT_NOALARM:
			p->dch_alarm = e == DAHDI_EVENT_ALARM;
			LOGN("span %u: D channel %s", p->sp->num,
			     p->dch_alarm ? "in alarm" : "alarm cleared");
			/* no signalling can reach the far end: the calls
			 * are gone on both sides */
			if (p->dch_alarm)
				drop_calls(p);
			for (unsigned k = 0; k < p->sp->nch; k++)
				set_service(p, &p->pc[k]);
			break;
		default:
			/* bad FCS, abort, overrun: layer 2 recovers */
			LOGD("span %u: D channel event %d", p->sp->num, e);
			break;
		}
	}
}

static int io_read(struct pri *pri, void *buf, int len)
{
	struct tdm_pri *p = pri_get_userdata(pri);
	ssize_t n = read(p->fd, buf, (size_t)len);

	if (n > 0)
		return (int)n;
	if (n < 0 && errno == ELAST) {
		dch_events(p);
		return -1;
	}
	if (n < 0 && errno != EAGAIN) {
		LOGW("span %u: D channel read: %s", p->sp->num,
		     strerror(errno));
	}
	p->eagain = true;
	return -1;
}

static int io_write(struct pri *pri, void *buf, int len)
{
	struct tdm_pri *p = pri_get_userdata(pri);
	ssize_t n = write(p->fd, buf, (size_t)len);

	if (n < 0 && errno == ELAST) {
		/* an event is pending: take it, then send */
		dch_events(p);
		n = write(p->fd, buf, (size_t)len);
	}
	if (n < 0) {
		LOGW("span %u: D channel write: %s", p->sp->num,
		     strerror(errno));
		return -1;
	}
	return (int)n;
}

static void dch_h(int fd, uint32_t events, void *arg)
{
	struct tdm_pri *p = arg;

	(void)fd;
	if (events & EPOLLPRI)
		dch_events(p);
	p->eagain = false;
	for (int i = 0; i < READ_BURST && !p->eagain; i++) {
		pri_event *e = pri_check_event(p->pri);

		if (e)
			handle(p, e);
	}
	sched(p);
}

static void lib_error(struct pri *pri, char *s)
{
	(void)pri;
	LOGW("libpri: %.*s", (int)strcspn(s, "\n"), s);
}

static void lib_message(struct pri *pri, char *s)
{
	(void)pri;
	LOGD("libpri: %.*s", (int)strcspn(s, "\n"), s);
}

static void drv_destroy(void *data)
{
	struct tdm_pri *p = data;

	tmr_cancel(&p->sched);
	for (unsigned i = 0; p->pc && i < p->sp->nch; i++)
		tmr_cancel(&p->pc[i].guard);
	if (p->fd >= 0) {
		loop_fd_del(p->loop, p->fd);
		close(p->fd);
	}
	mem_deref(p->pc);
}

/* Open the D channel in HDLC mode; *@chanpos gets its timeslot. */
static int dch_open(struct tdm_pri *p, unsigned dchan, int *chanpos)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = DCH_BUFS,
		.bufsize = DCH_BUFSIZE,
	};
	struct dahdi_params pa = { .channo = (int)dchan };
	int fd, err, v = (int)dchan;

	fd = open(DAHDI_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = xioctl(fd, DAHDI_SPECIFY, &v);
	if (!err)
		err = xioctl(fd, DAHDI_GET_PARAMS, &pa);
	if (!err && pa.sigtype != DAHDI_SIG_HDLCFCS &&
	    pa.sigtype != DAHDI_SIG_HARDHDLC) {
		LOGE("span %u: channel %u is not a D channel (dchan or "
		     "hardhdlc in system.conf)", p->sp->num, dchan);
		err = -EINVAL;
	}
	if (!err)
		err = xioctl(fd, DAHDI_SET_BUFINFO, &bi);
	if (err) {
		close(fd);
		return err;
	}
	*chanpos = pa.chanpos;
	p->fd = fd;
	return 0;
}

int tdm_pri_alloc(struct tdm_pri **pp, struct tdm_span *sp,
		  const struct tdm_pri_params *prm)
{
	static bool hooks;
	struct tdm_pri *p;
	int err, chanpos = 0, sw = tdm_pri_switch(prm->switchtype);
	unsigned base;

	if (sw < 0 || !prm->dchan)
		return -EINVAL;
	if (!hooks) {
		/* process-wide in libpri */
		pri_set_error(lib_error);
		pri_set_message(lib_message);
		hooks = true;
	}
	p = mem_zalloc(sizeof(*p), drv_destroy);
	if (!p)
		return -ENOMEM;
	p->sp = sp;
	p->loop = sp->tdm->loop;
	p->fd = -1;
	p->net = prm->net;
	p->sw = prm->switchtype;
	p->layer1 = tdm_pri_switch_e1(prm->switchtype) ? PRI_LAYER_1_ALAW :
							 PRI_LAYER_1_ULAW;
	tmr_init(&p->sched);
	p->pc = mem_zalloc(sp->nch * sizeof(*p->pc), NULL);
	if (!p->pc) {
		err = -ENOMEM;
		goto out;
	}
	err = dch_open(p, prm->dchan, &chanpos);
	if (err) {
		LOGE("span %u: D channel %u: %s", sp->num, prm->dchan,
		     strerror(-err));
		goto out;
	}
	/* B channels are numbered by timeslot, the D channel's position
	 * in its DAHDI span gives the span's first channel */
	base = prm->dchan - (unsigned)chanpos;
	for (unsigned i = 0; i < sp->nch; i++) {
		struct pchan *pc = &p->pc[i];

		pc->p = p;
		pc->ch = &sp->ch[i];
		tmr_init(&pc->guard);
		pc->ts = sp->ch[i].num > base ? sp->ch[i].num - base : 0;
		if (!pc->ts || pc->ts > 31 || pc->ts == (unsigned)chanpos) {
			LOGE("span %u: channel %u is not a B channel of the "
			     "D channel %u's span", sp->num, sp->ch[i].num,
			     prm->dchan);
			err = -EINVAL;
			goto out;
		}
		tdm_chan_set_oos(pc->ch, true);
	}
	p->pri = pri_new_cb(p->fd, prm->net ? PRI_NETWORK : PRI_CPE, sw,
			    io_read, io_write, p);
	if (!p->pri) {
		err = -ENOMEM;
		goto out;
	}
	if (log_level_cur >= LOG_LVL_DEBUG)
		pri_set_debug(p->pri, PRI_DEBUG_Q921_STATE |
					      PRI_DEBUG_Q931_DUMP |
					      PRI_DEBUG_Q931_STATE);
	err = loop_fd_add(p->loop, p->fd, EPOLLIN | EPOLLPRI, dch_h, p);
	if (err)
		goto out;
	sched(p);
	LOGI("span %u: PRI %s side, %s, D channel %u, %u B channels",
	     sp->num, p->net ? "network" : "user",
	     tdm_pri_switch_names[prm->switchtype], prm->dchan, sp->nch);
out:
	if (err)
		mem_deref(p);
	else
		*pp = p;
	return err;
}

int tdm_pri_dial(struct tdm_pri *p, struct tdm_chan *ch,
		 const struct tdm_setup *s)
{
	struct pchan *pc = by_chan(p, ch);
	char called[TDM_NUMBER_MAX], calling[TDM_NUMBER_MAX];
	char name[TDM_NAME_MAX], redir[TDM_NUMBER_MAX];
	int err = 0, cdplan, cplan, rplan;
	struct pri_sr *sr;

	if (!pc)
		return -EINVAL;
	if (!usable(p, pc))
		return -EIO;
	if (pc->st != PC_IDLE)
		return -EBUSY; /* the last call is still clearing */
	/* libpri takes char *, and only reads them */
	cdplan = tdm_pri_num_out(s->called, s->called_ton, s->called_npi,
				 called, sizeof(called));
	cplan = tdm_pri_num_out(s->calling, s->calling_ton, s->calling_npi,
				calling, sizeof(calling));
	rplan = tdm_pri_num_out(s->redirecting, s->calling_ton,
				s->calling_npi, redir, sizeof(redir));
	copy_str(name, sizeof(name), s->calling_name);
	pc->call = pri_new_call(p->pri);
	sr = pri_sr_new();
	if (!pc->call || !sr) {
		err = -ENOMEM;
		goto out;
	}
	pri_sr_set_channel(sr, (int)pc->ts, 1, 0);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, p->layer1);
	pri_sr_set_called(sr, called, cdplan, 1);
	pri_sr_set_caller(sr, calling[0] ? calling : NULL,
			  name[0] ? name : NULL, cplan,
			  calling[0] ? tdm_pri_pres(s->pres, s->screen) :
				       PRES_NUMBER_NOT_AVAILABLE);
	if (redir[0])
		pri_sr_set_redirecting(sr, redir, rplan, PRI_PRES_ALLOWED,
				       PRI_REDIR_UNKNOWN);
	if (pri_setup(p->pri, pc->call, sr))
		err = -EIO;
out:
	if (sr)
		pri_sr_free(sr);
	if (err) {
		if (pc->call)
			pri_destroycall(p->pri, pc->call);
		pc->call = NULL;
	} else {
		pc->st = PC_CALL;
		LOGI("span %u: B channel %u: SETUP to %s from %s", p->sp->num,
		     pc->ts, s->called, s->calling);
	}
	sched(p);
	return err;
}

static struct pchan *in_call(struct tdm_pri *p, const struct tdm_chan *ch)
{
	struct pchan *pc = by_chan(p, ch);

	return pc && pc->st == PC_CALL && pc->call ? pc : NULL;
}

int tdm_pri_alerting(struct tdm_pri *p, struct tdm_chan *ch)
{
	struct pchan *pc = in_call(p, ch);
	int err;

	if (!pc)
		return -EPROTO;
	err = pri_acknowledge(p->pri, pc->call, (int)pc->ts, 0) ? -EIO : 0;
	sched(p);
	return err;
}

int tdm_pri_progress(struct tdm_pri *p, struct tdm_chan *ch, bool inband)
{
	struct pchan *pc = in_call(p, ch);
	int err;

	if (!pc)
		return -EPROTO;
	/* only in-band audio is worth a PROGRESS (indicator 8) */
	if (!inband)
		return 0;
	err = pri_progress(p->pri, pc->call, (int)pc->ts, 1) ? -EIO : 0;
	sched(p);
	return err;
}

int tdm_pri_answer(struct tdm_pri *p, struct tdm_chan *ch)
{
	struct pchan *pc = in_call(p, ch);
	int err;

	if (!pc)
		return -EPROTO;
	err = pri_answer(p->pri, pc->call, (int)pc->ts, 0) ? -EIO : 0;
	sched(p);
	return err;
}

void tdm_pri_release(struct tdm_pri *p, struct tdm_chan *ch, int cause)
{
	struct pchan *pc = in_call(p, ch);

	if (!pc)
		return;
	LOGI("span %u: B channel %u: clearing, cause %d", p->sp->num, pc->ts,
	     cause);
	pc->st = PC_CLEARING;
	tmr_start(p->loop, &pc->guard, CLEAR_MS, clear_timeout, pc);
	pri_hangup(p->pri, pc->call, tdm_pri_cause_out(cause));
	sched(p);
}

void tdm_pri_alarms(struct tdm_pri *p, int alarms)
{
	p->alarms = alarms;
	/* layer 2 notices too, but only after T200 x N200; it stays up
	 * through a short alarm, and the channels come back with it */
	if (alarms)
		drop_calls(p);
	for (unsigned i = 0; i < p->sp->nch; i++)
		set_service(p, &p->pc[i]);
}

bool tdm_pri_chan_usable(const struct tdm_pri *p, const struct tdm_chan *ch)
{
	return ch->span == p->sp && ch->idx < p->sp->nch &&
	       usable(p, &p->pc[ch->idx]);
}

const char *tdm_pri_link_state(const struct tdm_pri *p)
{
	if (p->alarms || p->dch_alarm)
		return "alarm";
	return p->up ? "up" : "down";
}

const char *tdm_pri_chan_state(const struct tdm_pri *p,
			       const struct tdm_chan *ch)
{
	static const char *const names[] = {
		[PC_IDLE] = "idle",
		[PC_RESTART] = "restart",
		[PC_CALL] = "call",
		[PC_CLEARING] = "clearing",
	};

	if (ch->span != p->sp || ch->idx >= p->sp->nch)
		return "?";
	return names[p->pc[ch->idx].st];
}
