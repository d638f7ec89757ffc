/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISDN PRI signalling for one DAHDI span, with libpri (pri.c), and the
 * pure mappings between the TDM layer's values and libpri's (pri_map.c).
 *
 * The dahdi backend (dahdi.c) owns the B channels' files and audio; this
 * driver owns the D channel: it opens it in HDLC mode, runs libpri on the
 * event loop (its reads and writes through our callbacks, its timers on
 * one loop timer, no threads), keeps a call per B channel, and turns
 * Q.931 messages into channel events and the core's commands into Q.931
 * messages. B channels are in service only while layer 2 is up.
 *
 * Everything runs on the event loop thread.
 */
#ifndef TL_TDM_ISDN_PRI_H
#define TL_TDM_ISDN_PRI_H

#include <stdbool.h>
#include <stdint.h>

#include "../tdm.h"

struct tdm_span;
struct tdm_pri;

/* The [span] switchtype names, NULL-terminated, in config order. */
extern const char *const tdm_pri_switch_names[];

/* --- mappings (pri_map.c) ---------------------------------------------- */

/* Switchtype index (config order) -> libpri's PRI_SWITCH_*, or -EINVAL. */
int tdm_pri_switch(int idx);
/* Does the switchtype run on an E1 (A-law, D channel on timeslot 16)? */
bool tdm_pri_switch_e1(int idx);
/* Q.931 type of number and numbering plan -> libpri's plan octet
 * ((ton << 4) | npi); out-of-range codes become unknown (0). */
int tdm_pri_plan(unsigned ton, unsigned npi);
/* libpri's plan octet -> type of number and numbering plan. */
void tdm_pri_plan_split(int plan, uint8_t *ton, uint8_t *npi);
/*
 * A number to send (the TDM layer marks an international number with a
 * leading '+'): its digits into @out (@n octets, cut to fit) and the plan
 * octet to send them with: international / E.164 for a '+', else @ton and
 * @npi.
 */
int tdm_pri_num_out(const char *num, unsigned ton, unsigned npi, char *out,
		    size_t n);
/* A received number: @digits of plan @plan into @out (@n octets, cut to
 * fit), with a leading '+' when the type of number is international;
 * *@ton and *@npi get the plan's codes. */
void tdm_pri_num_in(const char *digits, int plan, char *out, size_t n,
		    uint8_t *ton, uint8_t *npi);
/* Presentation and screening -> libpri's presentation octet. */
int tdm_pri_pres(enum tdm_pres pres, unsigned screen);
/* libpri's presentation octet -> presentation; *@screen gets the
 * screening indicator. */
enum tdm_pres tdm_pri_pres_split(int pripres, uint8_t *screen);
/* A Q.850 cause to send: 1..127 as is, anything else normal, unspecified
 * (31). */
int tdm_pri_cause_out(int cause);
/* A received cause (libpri gives -1 or 0 when the message had none):
 * 1..127 as is, anything else normal clearing (16). */
int tdm_pri_cause_in(int pricause);
/* A progress indicator mask (PRI_PROG_*): is there in-band audio to
 * hear (indicator 1 "not end-to-end ISDN" or 8 "in-band available")? */
bool tdm_pri_inband(int progressmask);
/* libpri's channel value (span in bits 8-15, explicit flag in bit 16)
 * -> the timeslot, or 0 when no channel was given. */
unsigned tdm_pri_timeslot(int channel);

/* --- the driver (pri.c) ------------------------------------------------ */

struct tdm_pri_params {
	bool net;	 /* network side (pri_net), else user side (pri_cpe) */
	int switchtype;	 /* index in tdm_pri_switch_names */
	unsigned dchan;	 /* the D channel's DAHDI channel number */
};

/* PRI signalling on span @sp (borrowed; its channels are the B channels,
 * opened by the backend). Opens the D channel and starts layer 2. A mem
 * object. 0, -EINVAL (D channel among the B channels), -ENOMEM or the
 * error opening the D channel. */
int tdm_pri_alloc(struct tdm_pri **pp, struct tdm_span *sp,
		  const struct tdm_pri_params *p);

/* The backend's share of struct tdm_backend for a PRI B channel. */
int tdm_pri_dial(struct tdm_pri *p, struct tdm_chan *ch,
		 const struct tdm_setup *s);
int tdm_pri_alerting(struct tdm_pri *p, struct tdm_chan *ch);
int tdm_pri_progress(struct tdm_pri *p, struct tdm_chan *ch, bool inband);
int tdm_pri_answer(struct tdm_pri *p, struct tdm_chan *ch);
void tdm_pri_release(struct tdm_pri *p, struct tdm_chan *ch, int cause);

/* The span's alarms changed (DAHDI_ALARM_* bits, 0: clear). */
void tdm_pri_alarms(struct tdm_pri *p, int alarms);
/* May B channel @ch carry calls (layer 2 up, not restarting)? */
bool tdm_pri_chan_usable(const struct tdm_pri *p, const struct tdm_chan *ch);
/* "up", "down" or "alarm": the D channel's layer 2, for show spans. */
const char *tdm_pri_link_state(const struct tdm_pri *p);
/* "idle", "restart", "call" or "clearing": @ch's Q.931 side. */
const char *tdm_pri_chan_state(const struct tdm_pri *p,
			       const struct tdm_chan *ch);

#endif
