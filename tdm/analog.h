/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Analog loop signalling for one channel, between a backend that moves
 * hook states and audio (dahdi.c) and the core (chan.c):
 *
 *   FXS port (a phone on our line; DAHDI fxoks/fxols signalling): off-hook
 *   gives dial tone, DTMF and pulse digits are collected against a digit
 *   map, a complete number becomes a setup; calls to the phone ring it
 *   with the driver's cadence and send caller ID before the first ring
 *   (V.23, DTMF) or in the first silence (Bell 202); hook flash is a
 *   digit '!'; the phone hanging up releases the call, and a call cleared
 *   by the far end opens the loop and plays reorder until it hangs up.
 *
 *   FXO port (an exchange line; DAHDI fxsks/fxsls): rings are counted and
 *   caller ID is listened for after the first one; a setup follows the
 *   caller ID or the second ring; answer and dialling seize the loop;
 *   disconnect supervision by loop-current drop, polarity reversal and
 *   (in the core DSP) busy or reorder tone; answer supervision by polarity
 *   reversal when the line is known to give it; a caller who gives up
 *   ringing releases the call after a ring timeout.
 *
 * The state machine knows nothing of DAHDI: line events come in as
 * enum tdm_analog_lev, hook commands go out through a callback. Everything
 * runs on the event loop thread.
 */
#ifndef TL_TDM_ANALOG_H
#define TL_TDM_ANALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdm.h"

struct tdm_chan;
struct tdm_analog;

/* Line events, as the backend hears them. */
enum tdm_analog_lev {
	TDM_ANALOG_OFFHOOK,    /* FXS port: the phone lifted */
	TDM_ANALOG_ONHOOK,     /* FXS: phone hung up; FXO: loop current gone */
	TDM_ANALOG_FLASH,      /* FXS port: hook flash */
	TDM_ANALOG_PULSE,      /* FXS port: a pulse-dialled digit */
	TDM_ANALOG_RING_BEGIN, /* FXO port: a ring burst starts */
	TDM_ANALOG_RING,       /* FXO port: a ring burst has ended */
	TDM_ANALOG_RINGER_OFF, /* FXS port: our ringer is in a silence */
	TDM_ANALOG_POLARITY,   /* FXO port: the line's polarity reversed */
};

/* Hook commands to the backend. */
enum tdm_analog_hook {
	TDM_ANALOG_HOOK_ON,	/* FXO: release the loop; FXS: loop open */
	TDM_ANALOG_HOOK_OFF,	/* FXO: seize; FXS: answer the loop */
	TDM_ANALOG_HOOK_RING,	/* FXS: ring with the driver's cadence */
	TDM_ANALOG_HOOK_RINGOFF, /* FXS: stop ringing */
};

/* Do @h on the line; 0 or a negative errno (the state machine then
 * treats the line as failed for this call). */
typedef int(tdm_analog_hook_h)(enum tdm_analog_hook h, void *arg);

#define TDM_ANALOG_MAP_MAX 128

struct tdm_analog_params {
	bool fxs;			 /* true: FXS port (a phone) */
	char digitmap[TDM_ANALOG_MAP_MAX]; /* see tdm_analog_map_match */
	unsigned first_digit_ms; /* dial tone with no digit: reorder */
	unsigned interdigit_ms;	 /* the number may still grow */
	unsigned short_ms;	 /* a 'T' in the map, or complete-but-longer */
	unsigned ring_timeout_ms; /* FXO: no ring for this long: gone */
	unsigned answer_rings;	  /* FXO: setup after this many rings */
	unsigned dial_delay_ms;	  /* FXO: seize to first digit */
	bool polarity_answer;	  /* FXO: the line reverses on answer */
	bool cid_before_ring;	  /* FXS: caller ID before the first ring */
};

/* The defaults (documented in docs/tdm.md) for an FXS (@fxs) or FXO
 * port. */
void tdm_analog_defaults(struct tdm_analog_params *p, bool fxs);

/* Analog signalling for @ch (borrowed; it must outlive the object) with
 * @hook/@arg to move the hook. A mem object. 0, -EINVAL (bad params or
 * digit map), -ENOMEM. */
int tdm_analog_alloc(struct tdm_analog **ap, struct tdm_chan *ch,
		     const struct tdm_analog_params *p, tdm_analog_hook_h *hook,
		     void *arg);

/* A line event; @digit is the pulse digit for TDM_ANALOG_PULSE. */
void tdm_analog_line(struct tdm_analog *a, enum tdm_analog_lev ev,
		     char digit);

/* One 20 ms tick: @rx received (processed in place), @tx to fill. Runs
 * the core's frame while a call is up and the signalling's own tones,
 * digit and caller ID detectors around it. */
void tdm_analog_frame(struct tdm_analog *a, int16_t *rx, int16_t *tx);

/* The backend's share of struct tdm_backend, for an analog channel. */
int tdm_analog_dial(struct tdm_analog *a, const struct tdm_setup *s);
int tdm_analog_alerting(struct tdm_analog *a);
int tdm_analog_answer(struct tdm_analog *a);
void tdm_analog_release(struct tdm_analog *a, int cause);
/* The line went out of service (or back): forget the call state. */
void tdm_analog_reset(struct tdm_analog *a);

/* FXS port with a call up: play the zone's call-waiting tone once and,
 * if @cid is given, send it as off-hook caller ID after the tone. 0,
 * -EPROTO (not an FXS port with a call up), -EINVAL. */
int tdm_analog_call_waiting(struct tdm_analog *a,
			    const struct tdm_dsp_cid *cid);

/* "idle", "dialtone", "collect", "ringing", ... for show channels. */
const char *tdm_analog_state_name(const struct tdm_analog *a);

/* --- digit maps (analog_map.c) -------------------------------------------
 *
 * A map is alternatives separated by '|', in the style of MGCP (RFC 3435
 * section 2.1.5): a digit 0-9 * # A-D matches itself, 'x' any of 0-9,
 * "[1-5#]" a set, '.' any number (zero or more) of the element before,
 * 'T' says the number is complete only after the short timer. */
enum tdm_analog_match {
	TDM_ANALOG_NOMATCH = 0, /* no alternative can match: reorder */
	TDM_ANALOG_PARTIAL,	/* more digits needed */
	TDM_ANALOG_TIMER,	/* complete after the short timer, or longer */
	TDM_ANALOG_FULL,	/* complete: dial now */
};

/* Match @digits against @map. -EINVAL if the map is malformed. */
int tdm_analog_map_match(const char *map, const char *digits);

#endif
