/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the TDM layer: spans, channels, groups, the configuration
 * structs and the backend interface. Not for the call layer (tdm.h is).
 *
 * A backend (sim.c today, dahdi later) owns the line side of its spans:
 * it opens them, clocks them and carries signalling. It calls up into the
 * core with tdm_chan_frame() once per 20 ms per channel and with
 * tdm_chan_signal() for each line event; the core calls down through
 * struct tdm_backend. The core does DSP, hunting and state; the backend
 * never sees the call layer.
 */
#ifndef TL_TDM_CORE_H
#define TL_TDM_CORE_H

#include "../gateway/base/list.h"
#include "../gateway/base/loop.h"
#include "../gateway/ctl/conf.h"
#include "tdm.h"

#define TDM_SPAN_MAX_CHANS 31 /* an E1's timeslots */
#define TDM_CHAN_NUM_MAX 4096
#define TDM_GROUP_MAX 63
#define TDM_TXQ 4 /* frames queued to send: 80 ms */

enum tdm_backend_id { TDM_BACKEND_SIM = 0, TDM_BACKEND_DAHDI };

/* DAHDI's names: fxs_* talk FXS signalling towards an exchange (an FXO
 * port), fxo_* talk FXO signalling towards a phone (an FXS port). */
enum tdm_sig {
	TDM_SIG_FXS_KS = 0,
	TDM_SIG_FXS_LS,
	TDM_SIG_FXO_KS,
	TDM_SIG_FXO_LS,
	TDM_SIG_PRI_NET,
	TDM_SIG_PRI_CPE,
	TDM_SIG_BRI_NET,
	TDM_SIG_BRI_CPE,
	TDM_SIG_BRI_NET_PTMP,
	TDM_SIG_BRI_CPE_PTMP,
};

/* [tdm] */
struct tdm_conf {
	int backend;
	char *tone_zone;
};

/* [span N] */
struct tdm_span_conf {
	int backend; /* 0: as [tdm]; else tdm_backend_id + 1 */
	char *channels;
	int signalling;
	struct conf_strlist group;
	bool echo_cancel;
	int64_t echo_tail;
	char *rx_gain, *tx_gain;
	char *tone_zone; /* "": as [tdm] */
	int cid;
	bool dtmf_detect, busy_detect, fax_detect;
	/* analog lines and where echo is cancelled (tdm_span_line) */
	char *digitmap;		     /* "": the analog default */
	uint64_t interdigit_timeout; /* ms */
	int64_t answer_rings;
	bool polarity_answer, cid_before_ring;
	int echo_canceller;	     /* enum tdm_ec_kind */
	/* ISDN spans (pri_*) */
	int switchtype;		     /* index in tdm_pri_switch_names */
	int64_t dchan;		     /* the D channel's global number */
};

/* Where a span's echo is cancelled: Trunkline's canceller (tdm_dsp_ec),
 * the kernel's (DAHDI's OSLEC, attached by dahdi_cfg), or nowhere. */
enum tdm_ec_kind { TDM_EC_USERSPACE = 0, TDM_EC_OSLEC, TDM_EC_OFF };

/* The [span] settings a backend applies when it starts the span. */
struct tdm_span_line {
	char digitmap[128];	 /* "": the analog default */
	unsigned interdigit_ms; /* 0: the analog default */
	unsigned answer_rings;
	bool polarity_answer, cid_before_ring;
	int echo_canceller;	/* enum tdm_ec_kind */
	unsigned echo_tail_ms;	/* for the kernel canceller too */
	int switchtype;		/* ISDN: index in tdm_pri_switch_names */
	unsigned dchan;		/* ISDN: the D channel, 0: none */
};

/* Fill @l from @sc (validated by the keyword table). */
void tdm_conf_span_line(const struct tdm_span_conf *sc,
			struct tdm_span_line *l);

/* [sim] */
enum tdm_sim_beh {
	TDM_SIM_ECHO = 0,
	TDM_SIM_BUSY,
	TDM_SIM_NOANSWER,
	TDM_SIM_EARLY,
	TDM_SIM_TONE,
	TDM_SIM_UNALLOCATED,
	TDM_SIM_CONGESTION,
};

struct tdm_sim_conf {
	struct conf_strlist number; /* "NUMBER BEHAVIOUR [PARAM]" */
	int dflt;		    /* behaviour of unlisted numbers */
	uint64_t alert_delay, answer_delay;
};

extern const struct conf_sect_def tdm_sect_tdm, tdm_sect_span, tdm_sect_sim;
/* NULL-terminated: [tdm], [span N], [sim] */
extern const struct conf_sect_def *const tdm_sects[];

const char *tdm_sig_name(int sig);
const char *tdm_backend_name(int id);
const char *tdm_sim_beh_name(int beh);
/* Parse "1-23,25" into @nums (ascending, unique); the count or -EINVAL. */
int tdm_conf_channels(const char *s, unsigned *nums, size_t max);
/* Parse a gain "-3.5" in dB (-24..24) into @db; 0 or -EINVAL. */
int tdm_conf_gain(const char *s, double *db);
/* Parse one [sim] number line; 0 or -EINVAL. */
int tdm_conf_sim_rule(const char *s, char *number, size_t n, int *beh,
		      unsigned *param);

struct tdm_span;

enum tdm_chan_st {
	TDM_CH_IDLE = 0,
	TDM_CH_SEIZED,	 /* ours, not dialled yet */
	TDM_CH_DIALING,	 /* outgoing, waiting for the far end */
	TDM_CH_PROGRESS, /* outgoing, in-band progress */
	TDM_CH_ALERTING, /* outgoing, far end rings */
	TDM_CH_INCOMING, /* incoming, not answered */
	TDM_CH_UP,
	TDM_CH_OOS, /* out of service */
};

struct tdm_chan {
	struct tdm_span *span; /* borrowed: owns us */
	unsigned num, idx;     /* global number, index in span */
	enum tdm_chan_st st;
	bool outgoing;
	struct tdm_setup setup;
	struct tdm_dsp *dsp; /* owned */
	bool dsp_stale;	     /* settings changed: rebuild when idle */
	unsigned groups[8];
	unsigned ngroups;
	uint64_t released_seq; /* for least-recently-used hunting */
	uint64_t calls, frames_rx, frames_tx, txq_drops;
	int last_cause;
	int16_t txq[TDM_TXQ][TDM_FRAME_SAMPLES];
	unsigned txq_head, txq_len;
	tdm_ev_h *evh; /* the bound call layer, or NULL */
	tdm_audio_h *auh;
	void *arg;
	void *bpriv; /* the backend's per-channel state */
};

struct tdm_backend {
	const char *name;
	int (*span_start)(struct tdm_span *sp);
	void (*span_stop)(struct tdm_span *sp);
	int (*dial)(struct tdm_chan *ch, const struct tdm_setup *s);
	int (*alerting)(struct tdm_chan *ch);
	int (*progress)(struct tdm_chan *ch, bool inband);
	int (*answer)(struct tdm_chan *ch);
	/* the core has already cleared its side */
	void (*release)(struct tdm_chan *ch, int cause);
};

extern const struct tdm_backend tdm_backend_sim;

struct tdm_span {
	struct le le;
	struct tdm *tdm; /* borrowed: owns us */
	unsigned num;
	const struct tdm_backend *be;
	int backend;
	int sig;
	const struct tdm_dsp_zone *zone;
	struct tdm_dsp_params dsp;
	struct tdm_span_line line;
	struct tdm_chan *ch; /* array of nch, owned */
	unsigned nch;
	bool started;
	void *bpriv;
};

struct tdm_group {
	unsigned num;
	struct tdm_chan **ch; /* borrowed, ascending channel number */
	unsigned n;
	unsigned rr; /* index after the last seized */
};

struct tdm {
	struct loop *loop; /* borrowed */
	struct list spans;
	struct tdm_group groups[TDM_GROUP_MAX + 1];
	struct tdm_sim *sim; /* owned: the sim switch's script and clock */
	uint64_t seq;	     /* release counter */
	tdm_ev_h *evh;
	tdm_audio_h *auh;
	void *arg;
};

/* Backend -> core: one 20 ms tick of @ch: @rx was received (processed in
 * place), @tx is filled with what to send. */
void tdm_chan_frame(struct tdm_chan *ch, int16_t *rx, int16_t *tx);
/* Backend -> core: a line event (setup, progress, alerting, answer,
 * release). The core updates the state and tells the call layer. */
void tdm_chan_signal(struct tdm_chan *ch, const struct tdm_ev *ev);
/* The DSP's detections on a channel (@arg is the channel). */
void tdm_chan_dsp_ev(const struct tdm_dsp_ev *dev, void *arg);
/* Take a channel out of service or put it back. */
void tdm_chan_set_oos(struct tdm_chan *ch, bool oos);

/* Rebuild @ch's DSP from its span's settings. */
void tdm_chan_dsp_refresh(struct tdm_chan *ch);
/* Apply a reloaded config: DSP settings (idle channels now, busy ones
 * when their call ends) and the sim script. The span layout needs a
 * restart. 0 or -EINVAL (a span's settings were not applied). */
int tdm_reconfigure(struct tdm *t, const struct conf *conf);

/* The sim switch (sim.c). */
struct tdm_sim;
int tdm_sim_alloc(struct tdm *t, const struct tdm_sim_conf *sc);
/* Replace the script; 0 or -ENOMEM (the old one stays). */
int tdm_sim_reconf(struct tdm_sim *s, const struct tdm_sim_conf *sc);

#endif
