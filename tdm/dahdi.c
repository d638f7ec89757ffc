// SPDX-License-Identifier: GPL-2.0
/*
 * The dahdi backend: each channel is a /dev/dahdi/channel file bound to
 * its DAHDI channel number (DAHDI_SPECIFY), in signed linear mode
 * (DAHDI_SETLINEAR: the kernel does the G.711 conversion) with 160-sample
 * blocks, so the file turns readable once every 20 ms: that read is the
 * channel's clock. Each read is answered by one write, and three blocks of
 * silence are queued first, so the transmit side runs 60 ms ahead of the
 * receive side and a late event loop (TCG, a busy core) eats into that
 * margin instead of underrunning.
 *
 * Line events (POLLPRI, DAHDI_GETEVENT) go to the analog signalling.
 * On an ISDN span (pri_net, pri_cpe) the channels are B channels with no
 * line events: the PRI driver (isdn/pri.c) runs the span's D channel and
 * decides when they are in service.
 * Every second a span timer reads DAHDI_SPANSTAT: a span in alarm takes
 * its channels out of service and puts them back when it clears, and a
 * channel whose file failed is reopened then.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <dahdi/user.h>

#define LOG_TAG "tdm-dahdi"
#include "../gateway/base/log.h"
#include "../gateway/base/mem.h"
#include "analog.h"
#include "core.h"
#include "dahdi.h"
#include "isdn/pri.h"

#define DAHDI_DEV "/dev/dahdi/channel"
#define BLOCK TDM_FRAME_SAMPLES /* samples per read: 20 ms */
/* Kernel buffers each way. Receive: 160 ms before an overrun drops
 * audio, enough for a starved loop under TCG (with 4, a stall cut
 * caller ID bursts). Transmit depth is set by PRIME, not by this. */
#define NUMBUFS 8
/* Blocks of silence sent ahead: the transmit lead that a late loop
 * eats before the line hears a gap. 40 ms was not enough under TCG:
 * a gap in a caller ID burst loses the whole message. */
#define PRIME 3
#define STAT_MS 1000		/* alarm poll and reopen period */

struct dchan {
	struct dspan *sp;    /* borrowed: owns us */
	struct tdm_chan *ch; /* borrowed */
	int fd;		     /* -1: closed (failed) */
	struct tdm_analog *an; /* owned */
	uint64_t reads, short_reads, write_errs, events;
};

struct dspan {
	struct tdm_span *span; /* borrowed */
	struct dchan *c;       /* array of span->nch, owned */
	int dahdi_span;	       /* DAHDI's span number, 0: unknown */
	int alarms;
	struct tmr stat;
	struct tdm_pri *pri; /* owned: ISDN spans only */
};

static bool sig_fxs_port(int sig)
{
	/* DAHDI's FXO signalling drives a phone: our FXS port */
	return sig == TDM_SIG_FXO_KS || sig == TDM_SIG_FXO_LS;
}

static bool sig_analog(int sig)
{
	return sig_fxs_port(sig) || sig == TDM_SIG_FXS_KS ||
	       sig == TDM_SIG_FXS_LS;
}

static bool sig_pri(int sig)
{
	return sig == TDM_SIG_PRI_NET || sig == TDM_SIG_PRI_CPE;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static struct loop *dc_loop(const struct dchan *c)
{
	return c->sp->span->tdm->loop;
}

static int hook_h(enum tdm_analog_hook h, void *arg)
{
	struct dchan *c = arg;
	int op, err;

	if (c->fd < 0)
		return -EBADF;
	switch (h) {
	case TDM_ANALOG_HOOK_ON:
		op = DAHDI_ONHOOK;
		break;
	case TDM_ANALOG_HOOK_OFF:
		op = DAHDI_OFFHOOK;
		break;
	case TDM_ANALOG_HOOK_RING:
		op = DAHDI_RING;
		break;
	default:
		op = DAHDI_RINGOFF;
		break;
	}
	err = xioctl(c->fd, DAHDI_HOOK, &op);
	/* a non-blocking RING returns at once with the ring under way */
	return err == -EINPROGRESS ? 0 : err;
}

static void chan_close(struct dchan *c)
{
	if (c->fd < 0)
		return;
	loop_fd_del(dc_loop(c), c->fd);
	close(c->fd);
	c->fd = -1;
}

/* Something is wrong with the file: out of service until the span
 * timer manages to open it again. */
static void chan_fail(struct dchan *c, const char *what, int err)
{
	LOGW("chan %u: %s: %s: out of service", c->ch->num, what,
	     strerror(-err));
	chan_close(c);
	if (c->an)
		tdm_analog_reset(c->an);
	/* a B channel's call is cleared on the D channel too */
	if (c->sp->pri)
		tdm_pri_release(c->sp->pri, c->ch, TDM_CAUSE_TEMP_FAILURE);
	tdm_chan_set_oos(c->ch, true);
}

/* A channel's line is fine again: in service, unless it is a B channel
 * its D channel does not allow yet. */
static void chan_back(struct dchan *c)
{
	struct tdm_pri *pri = c->sp->pri;

	if (!pri || tdm_pri_chan_usable(pri, c->ch))
		tdm_chan_set_oos(c->ch, false);
}

static void handle_event(struct dchan *c, int e)
{
	enum tdm_analog_lev lev;
	bool fxs = sig_fxs_port(c->sp->span->sig);

	c->events++;
	if ((e & ~0xff) == DAHDI_EVENT_PULSEDIGIT) {
		if (c->an)
			tdm_analog_line(c->an, TDM_ANALOG_PULSE,
					(char)(e & 0xff));
		return;
	}
	switch (e) {
	case DAHDI_EVENT_ONHOOK:
		lev = TDM_ANALOG_ONHOOK;
		break;
	case DAHDI_EVENT_RINGOFFHOOK:
		/* the same event means "the phone lifted" on an FXS port
		 * and "a ring burst ended" on an FXO port */
		lev = fxs ? TDM_ANALOG_OFFHOOK : TDM_ANALOG_RING;
		break;
	case DAHDI_EVENT_WINKFLASH:
		lev = TDM_ANALOG_FLASH;
		break;
	case DAHDI_EVENT_RINGBEGIN:
		lev = TDM_ANALOG_RING_BEGIN;
		break;
	case DAHDI_EVENT_RINGEROFF:
		lev = TDM_ANALOG_RINGER_OFF;
		break;
	case DAHDI_EVENT_POLARITY:
		lev = TDM_ANALOG_POLARITY;
		break;
	case DAHDI_EVENT_ALARM:
	case DAHDI_EVENT_NOALARM:
		LOGN("chan %u: %s", c->ch->num,
		     e == DAHDI_EVENT_ALARM ? "alarm" : "alarm cleared");
		if (e == DAHDI_EVENT_ALARM && c->sp->pri)
			/* the D channel may still work: clear the call
			 * there too */
			tdm_pri_release(c->sp->pri, c->ch,
					TDM_CAUSE_OUT_OF_ORDER);
		if (e == DAHDI_EVENT_ALARM)
			tdm_chan_set_oos(c->ch, true);
		else
			chan_back(c);
		if (c->an && e == DAHDI_EVENT_ALARM)
			tdm_analog_reset(c->an);
		return;
	default:
		LOGD("chan %u: event %d", c->ch->num, e);
		return;
	}
	LOGD("chan %u: event %d", c->ch->num, e);
	if (c->an)
		tdm_analog_line(c->an, lev, 0);
}

static void read_events(struct dchan *c)
{
	int e;

	/* bounded: a flood of events must not starve the loop */
	for (int i = 0; i < 16 && c->fd >= 0; i++) {
		e = 0;
		if (xioctl(c->fd, DAHDI_GETEVENT, &e) || !e)
			return;
		handle_event(c, e);
	}
}

static void chan_frame(struct dchan *c, int16_t *rx)
{
	int16_t tx[BLOCK];
	ssize_t n;

	if (c->an)
		tdm_analog_frame(c->an, rx, tx);
	else
		tdm_chan_frame(c->ch, rx, tx);
	if (c->fd < 0)
		return;
	n = write(c->fd, tx, sizeof(tx));
	if (n == (ssize_t)sizeof(tx))
		return;
	/* ELAST: an event is pending; EAGAIN: the queue is full because
	 * we fell behind, and dropping this block catches up */
	if (n < 0 && errno != ELAST && errno != EAGAIN)
		chan_fail(c, "write", -errno);
	else
		c->write_errs++;
}

static void fd_h(int fd, uint32_t events, void *arg)
{
	struct dchan *c = arg;
	int16_t rx[BLOCK];
	ssize_t n;

	(void)fd;
	if (events & EPOLLPRI)
		read_events(c);
	if (c->fd < 0 || !(events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		return;
	/* bounded catch-up after a stall */
	for (int i = 0; i < NUMBUFS && c->fd >= 0; i++) {
		n = read(c->fd, rx, sizeof(rx));
		if (n == (ssize_t)sizeof(rx)) {
			c->reads++;
			chan_frame(c, rx);
			continue;
		}
		if (n >= 0) {
			c->short_reads++;
			return;
		}
		if (errno == ELAST) {
			read_events(c);
			continue;
		}
		if (errno != EAGAIN)
			chan_fail(c, "read", -errno);
		return;
	}
}

/* DAHDI keeps a channel's gains across opens: start from unity, since
 * the core applies the configured gains in its DSP. */
static int set_unity_gains(int fd)
{
	struct dahdi_gains g = { 0 };

	for (int i = 0; i < 256; i++)
		g.rxgain[i] = g.txgain[i] = (unsigned char)i;
	return xioctl(fd, DAHDI_SETGAINS, &g);
}

static int chan_open(struct dchan *c)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = NUMBUFS,
		.bufsize = BLOCK,
	};
	struct dahdi_params pa = { 0 };
	struct dahdi_echocanparams ec = { 0 };
	int16_t silence[BLOCK] = { 0 };
	int fd, err, v;

	fd = open(DAHDI_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	v = (int)c->ch->num;
	err = xioctl(fd, DAHDI_SPECIFY, &v);
	/* a B channel (bchan) is a clear channel until put in audio mode,
	 * and a clear channel has no law conversion to go linear with */
	v = 1;
	if (!err && sig_pri(c->sp->span->sig))
		err = xioctl(fd, DAHDI_AUDIOMODE, &v);
	v = BLOCK;
	if (!err)
		err = xioctl(fd, DAHDI_SET_BLOCKSIZE, &v);
	if (!err)
		err = xioctl(fd, DAHDI_SET_BUFINFO, &bi);
	v = 1;
	if (!err)
		err = xioctl(fd, DAHDI_SETLINEAR, &v);
	if (!err)
		err = set_unity_gains(fd);
	/* echo_canceller = oslec: the kernel's, which dahdi_cfg attached
	 * (echocanceller=oslec,...), with the span's tail in taps; else a
	 * kernel one left on would cancel twice (tail 0 = off) */
	if (!err && c->sp->span->line.echo_canceller == TDM_EC_OSLEC) {
		ec.tap_length = c->sp->span->line.echo_tail_ms * 8;
		err = xioctl(fd, DAHDI_ECHOCANCEL_PARAMS, &ec);
		if (err) {
			LOGW("chan %u: kernel echo canceller: %s (is one "
			     "attached in system.conf?)", c->ch->num,
			     strerror(-err));
			err = 0;
		}
	} else if (!err) {
		err = xioctl(fd, DAHDI_ECHOCANCEL_PARAMS, &ec);
		if (err == -EINVAL || err == -ENOTTY)
			err = 0;
	}
	pa.channo = (int)c->ch->num;
	if (!err)
		err = xioctl(fd, DAHDI_GET_PARAMS, &pa);
	if (!err && pa.spanno > 0)
		c->sp->dahdi_span = pa.spanno;
	for (int i = 0; !err && i < PRIME; i++)
		if (write(fd, silence, sizeof(silence)) < 0 &&
		    errno != ELAST)
			err = -errno;
	if (!err)
		err = loop_fd_add(dc_loop(c), fd, EPOLLIN | EPOLLPRI, fd_h, c);
	if (err) {
		close(fd);
		return err;
	}
	c->fd = fd;
	/* events from before our time belong to nobody */
	while (!xioctl(fd, DAHDI_GETEVENT, &v) && v)
		;
	return 0;
}

static void span_stat(void *arg)
{
	struct dspan *s = arg;
	struct tdm_span *sp = s->span;
	struct dahdi_spaninfo si = { .spanno = s->dahdi_span };
	int fd = -1;

	tmr_start(sp->tdm->loop, &s->stat, STAT_MS, span_stat, s);
	for (unsigned i = 0; i < sp->nch && fd < 0; i++)
		fd = s->c[i].fd;
	if (fd >= 0 && s->dahdi_span > 0 &&
	    !xioctl(fd, DAHDI_SPANSTAT, &si) && si.alarms != s->alarms) {
		LOGN("span %u (DAHDI span %d): alarms 0x%x -> 0x%x", sp->num,
		     s->dahdi_span, s->alarms, si.alarms);
		s->alarms = si.alarms;
		if (s->pri)
			tdm_pri_alarms(s->pri, si.alarms);
		for (unsigned i = 0; i < sp->nch; i++) {
			if (si.alarms && s->c[i].an)
				tdm_analog_reset(s->c[i].an);
			if (si.alarms)
				tdm_chan_set_oos(&sp->ch[i], true);
			else
				chan_back(&s->c[i]);
		}
	}
	if (s->alarms)
		return;
	for (unsigned i = 0; i < sp->nch; i++) {
		struct dchan *c = &s->c[i];

		if (c->fd >= 0 || chan_open(c))
			continue;
		LOGN("chan %u: reopened", c->ch->num);
		chan_back(c);
	}
}

static void dahdi_span_stop(struct tdm_span *sp)
{
	struct dspan *s = sp->bpriv;

	if (!s)
		return;
	tmr_cancel(&s->stat);
	s->pri = mem_deref(s->pri);
	for (unsigned i = 0; i < sp->nch; i++) {
		chan_close(&s->c[i]);
		mem_deref(s->c[i].an);
		sp->ch[i].bpriv = NULL;
	}
	free(s->c);
	free(s);
	sp->bpriv = NULL;
}

/* An ISDN span: the B channels' files, then the D channel. */
static int pri_start(struct tdm_span *sp, struct dspan *s)
{
	struct tdm_pri_params pp = {
		.net = sp->sig == TDM_SIG_PRI_NET,
		.switchtype = sp->line.switchtype,
		.dchan = sp->line.dchan,
	};
	int err = 0;

	if (!pp.dchan) {
		LOGE("span %u: %s needs dchan = N", sp->num,
		     tdm_sig_name(sp->sig));
		return -EINVAL;
	}
	for (unsigned i = 0; !err && i < sp->nch; i++) {
		err = chan_open(&s->c[i]);
		if (err)
			LOGE("span %u: chan %u: %s", sp->num, s->c[i].ch->num,
			     strerror(-err));
	}
	if (!err)
		err = tdm_pri_alloc(&s->pri, sp, &pp);
	return err;
}

static int dahdi_span_start(struct tdm_span *sp)
{
	struct tdm_analog_params ap;
	struct dspan *s;
	int err = 0;

	if (!sig_analog(sp->sig) && !sig_pri(sp->sig)) {
		LOGE("span %u: %s signalling is not supported on dahdi yet",
		     sp->num, tdm_sig_name(sp->sig));
		return -ENOTSUP;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->c = calloc(sp->nch, sizeof(*s->c));
	if (!s->c) {
		free(s);
		return -ENOMEM;
	}
	s->span = sp;
	tmr_init(&s->stat);
	sp->bpriv = s;
	tdm_analog_defaults(&ap, sig_fxs_port(sp->sig));
	if (sp->line.digitmap[0])
		snprintf(ap.digitmap, sizeof(ap.digitmap), "%s",
			 sp->line.digitmap);
	if (sp->line.interdigit_ms)
		ap.interdigit_ms = sp->line.interdigit_ms;
	if (sp->line.answer_rings)
		ap.answer_rings = sp->line.answer_rings;
	ap.polarity_answer = sp->line.polarity_answer;
	ap.cid_before_ring = sp->line.cid_before_ring;
	for (unsigned i = 0; i < sp->nch; i++) {
		s->c[i].sp = s;
		s->c[i].ch = &sp->ch[i];
		s->c[i].fd = -1;
		sp->ch[i].bpriv = &s->c[i];
	}
	if (sig_pri(sp->sig)) {
		err = pri_start(sp, s);
		if (err)
			goto out;
		tmr_start(sp->tdm->loop, &s->stat, STAT_MS, span_stat, s);
		LOGI("span %u: %u dahdi B channels (DAHDI span %d)", sp->num,
		     sp->nch, s->dahdi_span);
		return 0;
	}
	for (unsigned i = 0; !err && i < sp->nch; i++) {
		struct dchan *c = &s->c[i];

		err = tdm_analog_alloc(&c->an, c->ch, &ap, hook_h, c);
		if (!err)
			err = chan_open(c);
		if (err)
			LOGE("span %u: chan %u: %s", sp->num, c->ch->num,
			     strerror(-err));
	}
out:
	if (err) {
		dahdi_span_stop(sp);
		return err;
	}
	tmr_start(sp->tdm->loop, &s->stat, STAT_MS, span_stat, s);
	LOGI("span %u: %u dahdi channels (DAHDI span %d), %s ports",
	     sp->num, sp->nch, s->dahdi_span,
	     sig_fxs_port(sp->sig) ? "FXS" : "FXO");
	return 0;
}

static int dahdi_dial(struct tdm_chan *ch, const struct tdm_setup *s)
{
	struct dchan *c = ch->bpriv;

	if (c->fd < 0)
		return -EIO;
	if (c->sp->pri)
		return tdm_pri_dial(c->sp->pri, ch, s);
	return tdm_analog_dial(c->an, s);
}

static int dahdi_alerting(struct tdm_chan *ch)
{
	struct dchan *c = ch->bpriv;

	if (c->sp->pri)
		return tdm_pri_alerting(c->sp->pri, ch);
	return tdm_analog_alerting(c->an);
}

static int dahdi_progress(struct tdm_chan *ch, bool inband)
{
	struct dchan *c = ch->bpriv;

	/* the call layer's own audio replaces a local ringback */
	if (inband)
		tdm_tone_stop(ch);
	if (c->sp->pri)
		return tdm_pri_progress(c->sp->pri, ch, inband);
	return 0;
}

static int dahdi_answer(struct tdm_chan *ch)
{
	struct dchan *c = ch->bpriv;

	if (c->sp->pri)
		return tdm_pri_answer(c->sp->pri, ch);
	return tdm_analog_answer(c->an);
}

static void dahdi_release(struct tdm_chan *ch, int cause)
{
	struct dchan *c = ch->bpriv;

	if (c->sp->pri)
		tdm_pri_release(c->sp->pri, ch, cause);
	else
		tdm_analog_release(c->an, cause);
}

const struct tdm_backend tdm_backend_dahdi = {
	.name = "dahdi",
	.span_start = dahdi_span_start,
	.span_stop = dahdi_span_stop,
	.dial = dahdi_dial,
	.alerting = dahdi_alerting,
	.progress = dahdi_progress,
	.answer = dahdi_answer,
	.release = dahdi_release,
};

int tdm_dahdi_chan_info(const struct tdm_chan *ch, struct tdm_dahdi_info *inf)
{
	const struct dchan *c = ch->bpriv;

	if (ch->span->be != &tdm_backend_dahdi || !c)
		return -ENOENT;
	memset(inf, 0, sizeof(*inf));
	inf->open = c->fd >= 0;
	inf->span_alarms = c->sp->alarms;
	inf->dahdi_span = c->sp->dahdi_span;
	inf->reads = c->reads;
	inf->short_reads = c->short_reads;
	inf->write_errs = c->write_errs;
	inf->events = c->events;
	inf->analog_state = c->sp->pri ? tdm_pri_chan_state(c->sp->pri, ch) :
					 tdm_analog_state_name(c->an);
	return 0;
}

const char *tdm_dahdi_span_link(const struct tdm_span *sp)
{
	const struct dspan *s = sp->bpriv;

	if (sp->be != &tdm_backend_dahdi || !s || !s->pri)
		return "-";
	return tdm_pri_link_state(s->pri);
}

struct tdm_analog *tdm_dahdi_analog(struct tdm_chan *ch)
{
	struct dchan *c = ch->bpriv;

	if (ch->span->be != &tdm_backend_dahdi || !c)
		return NULL;
	return c->an;
}
