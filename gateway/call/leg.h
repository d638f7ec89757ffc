/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call legs. A call is two legs and a bridge (docs/architecture.md). A leg
 * is a SIP dialog (leg_sip.c) or a TDM channel (leg_tdm.c); both emit the
 * same events to the call that owns them and take the same commands, so
 * the call state machine never asks what kind of leg it has.
 *
 * Causes are Q.850 values everywhere in this interface; the SIP leg maps
 * them to and from SIP status codes and the Reason header at its edge
 * (cause.h, reason.h).
 *
 * Audio: 20 ms frames of 160 samples, 8 kHz linear. A TDM leg is a clock:
 * it pushes each received frame through its audio handler every 20 ms. A
 * SIP leg is not: frames are put into it and pulled from it (its jitter
 * buffer) by whoever holds the clock. Two SIP legs are bridged without
 * decoding through the relay / kernel fast path when their codecs match.
 */
#ifndef TL_CALL_LEG_H
#define TL_CALL_LEG_H

#include <stdbool.h>
#include <stdint.h>

#include "number.h"

struct call_leg;
struct media_stream;

#define CALL_LEG_ID_MAX 128

/* What a new call asks for: filled by the ingress leg, rewritten by the
 * route, given to the egress leg's dial(). */
struct call_leg_setup {
	struct call_party calling;
	struct call_party called;
	struct call_party redirecting; /* number empty: none */
	char ingress[64];	       /* "peer:NAME", "span:N", "group:N" */
};

enum call_leg_ev_type {
	CALL_LEG_SETUP,	   /* .setup: a new incoming call on this leg */
	CALL_LEG_PROGRESS, /* .inband: early media follows */
	CALL_LEG_ALERTING, /* .inband: the far end provides ringback */
	CALL_LEG_ANSWER,
	CALL_LEG_RELEASE, /* .cause, .sip_status; the leg is dead after */
	CALL_LEG_DIGIT,	  /* .digit: DTMF from the far end of this leg */
	CALL_LEG_MEDIA,	  /* media changed (re-INVITE, hold): re-bridge */
};

struct call_leg_ev {
	enum call_leg_ev_type type;
	const struct call_leg_setup *setup; /* borrowed for the handler */
	bool inband;
	int cause;	     /* Q.850 */
	uint16_t sip_status; /* SIP legs: final status sent or received */
	char digit;
};

/* Per-leg figures for the CDR and "show calls". */
struct call_leg_stats {
	char codec[16];	       /* "PCMU", "" for TDM */
	bool srtp;
	uint32_t rx_lost;      /* RTCP / RTP stats, 0 for TDM */
	uint32_t rx_jitter_us;
	uint32_t tx_lost;      /* as the peer reports */
	uint32_t tx_jitter_us;
	uint32_t rtt_us;
	char peer[64];	       /* remote media address or "chan N" */
	uint16_t sip_status;   /* SIP UAS: the final status it sent, 0 */
};

typedef void(call_leg_ev_h)(struct call_leg *leg, const struct call_leg_ev *ev,
			    void *arg);
typedef void(call_leg_audio_h)(struct call_leg *leg, const int16_t *frame,
			       void *arg);

struct call_leg_ops {
	const char *kind; /* "sip", "tdm" */
	/* Outgoing: place the call; events follow. */
	int (*dial)(struct call_leg *leg, const struct call_leg_setup *s);
	/* Incoming: tell the caller how the call goes. @inband: audio from
	 * the other leg is cut through (early media). */
	int (*progress)(struct call_leg *leg, bool inband);
	int (*alerting)(struct call_leg *leg, bool inband);
	int (*answer)(struct call_leg *leg);
	/* End this leg with a Q.850 cause (BYE, CANCEL, final response or
	 * DISCONNECT as its state requires). No RELEASE event follows. */
	void (*release)(struct call_leg *leg, int cause);
	/* Send a DTMF digit to the far end of this leg. */
	int (*digit)(struct call_leg *leg, char digit);
	/* Audio towards this leg's far end; and, for legs without a clock,
	 * the next frame from it (jitter buffer, PLC). */
	int (*audio_put)(struct call_leg *leg, const int16_t *frame);
	int (*audio_get)(struct call_leg *leg, int16_t *frame);
	/* SIP legs: the media stream (NULL for TDM), for relay bridging. */
	struct media_stream *(*stream)(struct call_leg *leg);
	void (*stats)(struct call_leg *leg, struct call_leg_stats *st);
};

/*
 * The part every leg shares; a leg implementation embeds it first and is a
 * mem object. The call holds one reference to each of its legs.
 */
struct call_leg {
	const struct call_leg_ops *ops;
	call_leg_ev_h *evh; /* the owner (a call); set with call_leg_bind */
	call_leg_audio_h *auh;
	void *arg;
	bool clock;		     /* pushes audio every 20 ms (TDM) */
	char id[CALL_LEG_ID_MAX];    /* Call-ID, or "chan N" */
	char name[64];		     /* "peer:NAME", "span:1/chan:3" */
};

/* Direct the leg's events and (clocked legs) audio to @evh/@auh. */
static inline void call_leg_bind(struct call_leg *leg, call_leg_ev_h *evh,
				 call_leg_audio_h *auh, void *arg)
{
	leg->evh = evh;
	leg->auh = auh;
	leg->arg = arg;
}

/* Emit an event to the owner, if any. The owner may drop its reference to
 * @leg in the handler: a leg that emits holds a reference across this. */
static inline void call_leg_emit(struct call_leg *leg,
				 const struct call_leg_ev *ev)
{
	if (leg->evh)
		leg->evh(leg, ev, leg->arg);
}

#endif
