/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDM layer: the PSTN side of the gateway, as the call layer sees it.
 * It knows nothing of SIP.
 *
 * Spans hold channels; channels belong to numbered groups. The call layer
 * seizes a channel in a group and places a call on it, or is told of an
 * incoming call with a setup event. Each channel then reports the same
 * events whatever the backend (DAHDI hardware or the sim switch) and the
 * signalling (analog or ISDN): setup, progress, alerting, answer,
 * release with a Q.850 cause, digits; and exchanges 20 ms audio frames
 * (160 samples of 16-bit linear audio at 8 kHz) in both directions.
 *
 * Everything runs on the event loop thread: handlers are called from it
 * and every function here must be called from it.
 *
 * Channel lifetime: channels live as long as their struct tdm. A call
 * layer binds itself to a channel from seizure (or the setup event) until
 * it releases the channel or receives the release event; after that the
 * channel is idle and the binding is gone.
 */
#ifndef TL_TDM_TDM_H
#define TL_TDM_TDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsp/dsp.h"

struct conf;
struct loop;
struct tdm;
struct tdm_chan;

#define TDM_FRAME_SAMPLES TDM_DSP_FRAME
#define TDM_FRAME_MS TDM_DSP_FRAME_MS
#define TDM_NUMBER_MAX 32 /* digits of a number, with the NUL */
#define TDM_NAME_MAX 48

/* Q.850 causes the TDM layer itself produces. */
#define TDM_CAUSE_UNALLOCATED 1
#define TDM_CAUSE_NORMAL 16
#define TDM_CAUSE_BUSY 17
#define TDM_CAUSE_NO_ANSWER 19
#define TDM_CAUSE_REJECTED 21
#define TDM_CAUSE_OUT_OF_ORDER 27
#define TDM_CAUSE_NO_CIRCUIT 34
#define TDM_CAUSE_TEMP_FAILURE 41

enum tdm_pres {
	TDM_PRES_ALLOWED = 0,
	TDM_PRES_RESTRICTED,
	TDM_PRES_UNAVAILABLE,
};

enum tdm_hunt {
	TDM_HUNT_ASC = 0, /* lowest free channel first */
	TDM_HUNT_DESC,	  /* highest free channel first */
	TDM_HUNT_RR,	  /* the free channel after the last one seized */
	TDM_HUNT_LRU,	  /* the free channel released longest ago */
};

struct tdm_setup {
	char called[TDM_NUMBER_MAX];
	char calling[TDM_NUMBER_MAX];
	char calling_name[TDM_NAME_MAX];
	enum tdm_pres pres;
	/* ISDN only (0 elsewhere): the numbers' type of number and
	 * numbering plan as Q.931 codes (0 = unknown), the calling number's
	 * screening indicator (0 user provided, not screened .. 3 network
	 * provided), and the redirecting number if the call was diverted */
	uint8_t called_ton, called_npi, calling_ton, calling_npi;
	uint8_t screen;
	char redirecting[TDM_NUMBER_MAX];
};

enum tdm_ev_type {
	TDM_EV_SETUP,	 /* .setup: an incoming call */
	TDM_EV_PROGRESS, /* .inband: in-band tones or announcement follow */
	TDM_EV_ALERTING, /* the far end rings */
	TDM_EV_ANSWER,
	TDM_EV_RELEASE, /* .cause; the channel is idle after the handler */
	TDM_EV_DIGIT,	/* .digit: DTMF received in-band */
	TDM_EV_FAX,	/* .det: TDM_DSP_DET_CNG or _CED heard */
};

struct tdm_ev {
	enum tdm_ev_type type;
	const struct tdm_setup *setup; /* borrowed for the call */
	bool inband;
	int cause;
	char digit;
	enum tdm_dsp_det det;
};

/* A channel event. The handler may call any tdm_ function, including
 * tdm_release() on @ch. */
typedef void(tdm_ev_h)(struct tdm_chan *ch, const struct tdm_ev *ev,
		       void *arg);
/* One received 20 ms frame (TDM_FRAME_SAMPLES), after gain, echo
 * cancellation and detection. Borrowed for the call. */
typedef void(tdm_audio_h)(struct tdm_chan *ch, const int16_t *frame,
			  void *arg);

/* Build the TDM layer from @conf's [tdm], [span N] and [sim] sections on
 * @loop (mem object) and start its spans. 0, -EINVAL (bad layout: the log
 * says why), -ENOMEM or a backend's error. */
int tdm_alloc(struct tdm **tp, struct loop *loop, const struct conf *conf);

/* Where incoming calls go: @evh gets TDM_EV_SETUP on an unbound channel
 * and may bind it with tdm_chan_bind() and answer. With no listener an
 * incoming call is rejected with cause 21. */
void tdm_listen(struct tdm *t, tdm_ev_h *evh, tdm_audio_h *auh, void *arg);

/* Seize a free, in-service channel of group @group by @hunt and bind it
 * to @evh/@auh/@arg. 0, -ENOENT (no such group), -EBUSY (all busy). */
int tdm_seize(struct tdm *t, unsigned group, enum tdm_hunt hunt,
	      tdm_ev_h *evh, tdm_audio_h *auh, void *arg,
	      struct tdm_chan **chp);

/* Bind an incoming call's channel (from the setup event) to the caller. */
void tdm_chan_bind(struct tdm_chan *ch, tdm_ev_h *evh, tdm_audio_h *auh,
		   void *arg);

/* Place a call on a seized channel. 0, -EINVAL (bad numbers), -EPROTO
 * (not seized). The outcome comes as events. */
int tdm_dial(struct tdm_chan *ch, const struct tdm_setup *setup);
/* Incoming call: report ringing / in-band progress / answer to the far
 * end. -EPROTO in the wrong state. */
int tdm_alerting(struct tdm_chan *ch);
int tdm_progress(struct tdm_chan *ch, bool inband);
int tdm_answer(struct tdm_chan *ch);
/* Clear the call with Q.850 @cause (1..127); the channel is idle and
 * unbound on return, and no release event follows. */
int tdm_release(struct tdm_chan *ch, int cause);

/* Play @tone of the channel's zone in place of the call's audio until
 * tdm_tone_stop(). */
int tdm_tone(struct tdm_chan *ch, enum tdm_tone tone);
void tdm_tone_stop(struct tdm_chan *ch);
/* Send DTMF digits in-band (0-9 * # A-D). */
int tdm_digits(struct tdm_chan *ch, const char *digits);
/* Queue one 20 ms frame to send. The queue holds 4 frames (80 ms): a
 * fuller queue drops its oldest frame, an empty one sends silence, so
 * latency stays bounded whatever the caller's clock does. */
int tdm_write(struct tdm_chan *ch, const int16_t *frame);

/* The channel's global number (as in [span] channels = ...). */
unsigned tdm_chan_num(const struct tdm_chan *ch);
/* "idle", "seized", "dialing", "alerting", "incoming", "up", ... */
const char *tdm_chan_state_name(const struct tdm_chan *ch);
/* The channel with global number @num, or NULL. */
struct tdm_chan *tdm_chan_find(struct tdm *t, unsigned num);
/* Echo canceller figures; false if the channel has none. */
bool tdm_chan_ec_stats(const struct tdm_chan *ch, struct tdm_dsp_ec_stats *st);

/* Q.850 cause number -> short text ("user busy"), or "cause N". */
const char *tdm_cause_str(int cause);

#endif
