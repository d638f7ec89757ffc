/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-channel DSP on 20 ms frames of 16-bit linear audio at 8 kHz, built
 * on spandsp: call-progress tones per zone, DTMF, caller ID (Bell 202 FSK,
 * ETSI V.23 FSK, DTMF CLIP), busy/reorder and fax tone detection, and a
 * userspace echo canceller that measures its own ERLE.
 *
 * spandsp owns the dtmf_, tone_, echo_can_, fax_, adsi_ names; ours are
 * tdm_dsp_. Nothing here knows of channels or calls: tdm/chan.c feeds it
 * one receive and one transmit frame per 20 ms tick.
 *
 * Levels are in dBm0 with a full-scale sine at +3.14 dBm0 (G.711 A-law's
 * overload point), the convention spandsp uses.
 */
#ifndef TL_TDM_DSP_H
#define TL_TDM_DSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TDM_DSP_RATE 8000
#define TDM_DSP_FRAME 160 /* samples: 20 ms */
#define TDM_DSP_FRAME_MS 20

/* The call-progress tones the call layer can ask for. */
enum tdm_tone {
	TDM_TONE_SILENCE = 0,
	TDM_TONE_DIAL,
	TDM_TONE_RINGBACK,
	TDM_TONE_BUSY,
	TDM_TONE_CONGESTION,
	TDM_TONE_CALLWAIT,
	TDM_TONE_NUM,
};

/* "dial", "ringback", ... or NULL for an out-of-range value. */
const char *tdm_tone_name(enum tdm_tone t);
/* Parse a tone name; -EINVAL if unknown. */
int tdm_tone_parse(const char *s);

/* --- tone zones (tone.c) ------------------------------------------------ */

/* One tone: up to two frequencies and an on/off cadence that repeats.
 * cad[] = { on, off, on, off } in ms; cad[0] == 0 means steady; a zero
 * after the first pair means a two-segment cycle. */
struct tdm_dsp_tone_def {
	uint16_t f1, f2; /* Hz; f2 = 0 for a single frequency */
	int8_t level;	 /* dBm0 of each frequency */
	uint16_t cad[4];
};

struct tdm_dsp_zone {
	const char *name; /* "us", "uk", "de", "fr", "nl" */
	const char *desc;
	struct tdm_dsp_tone_def tone[TDM_TONE_NUM];
};

/* The zone called @name, or NULL. */
const struct tdm_dsp_zone *tdm_dsp_zone_find(const char *name);
/* The @i-th zone of the table (for listings), NULL past the end. */
const struct tdm_dsp_zone *tdm_dsp_zone_at(size_t i);

/* A cadenced tone generator (mem object). */
struct tdm_dsp_tonegen;

/* New generator for @tone of @zone; silence for TDM_TONE_SILENCE.
 * 0, -EINVAL or -ENOMEM. */
int tdm_dsp_tonegen_alloc(struct tdm_dsp_tonegen **tgp,
			  const struct tdm_dsp_zone *zone, enum tdm_tone tone);
/* New generator for any tone (f1 = 0: silence). */
int tdm_dsp_tonegen_alloc_def(struct tdm_dsp_tonegen **tgp,
			      const struct tdm_dsp_tone_def *def);
/* Fill @n samples; the cadence continues across calls. */
void tdm_dsp_tonegen_fill(struct tdm_dsp_tonegen *tg, int16_t *amp, size_t n);

/* --- DTMF (dtmf.c) -------------------------------------------------------- */

struct tdm_dsp_dtmf_tx;
struct tdm_dsp_dtmf_rx;

typedef void(tdm_dsp_digit_h)(char digit, void *arg);

/* Generator: 80 ms tones, 80 ms gaps, -10 dBm0 per tone. */
int tdm_dsp_dtmf_tx_alloc(struct tdm_dsp_dtmf_tx **txp);
/* Queue @digits (0-9 * # A-D); -EINVAL on any other character (nothing
 * queued), -ENOSPC when not all fit the 128-digit queue (those that fit
 * are sent). */
int tdm_dsp_dtmf_tx_put(struct tdm_dsp_dtmf_tx *tx, const char *digits);
/* Fill @n samples; returns how many were tone (the rest are zero). */
size_t tdm_dsp_dtmf_tx_fill(struct tdm_dsp_dtmf_tx *tx, int16_t *amp,
			    size_t n);
bool tdm_dsp_dtmf_tx_busy(const struct tdm_dsp_dtmf_tx *tx);
/* Drop every queued digit. */
void tdm_dsp_dtmf_tx_flush(struct tdm_dsp_dtmf_tx *tx);

/* Detector: reports each digit once, when it starts. */
int tdm_dsp_dtmf_rx_alloc(struct tdm_dsp_dtmf_rx **rxp, tdm_dsp_digit_h *h,
			  void *arg);
void tdm_dsp_dtmf_rx_feed(struct tdm_dsp_dtmf_rx *rx, const int16_t *amp,
			  size_t n);

/* --- caller ID (cid.c) -------------------------------------------------- */

enum tdm_dsp_cid_std {
	TDM_DSP_CID_BELL = 0, /* Bell 202 FSK, MDMF (North America) */
	TDM_DSP_CID_V23,      /* ETSI EN 300 659 V.23 FSK, MDMF */
	TDM_DSP_CID_DTMF,     /* DTMF CLIP (ETSI EN 300 659-1 annex B) */
};

/* Why a number or name is absent. */
enum tdm_dsp_cid_absent {
	TDM_DSP_CID_PRESENT = 0,
	TDM_DSP_CID_PRIVATE,	 /* withheld by the caller */
	TDM_DSP_CID_UNAVAILABLE, /* out of area / not available */
};

struct tdm_dsp_cid {
	char number[21];
	char name[51];
	enum tdm_dsp_cid_absent number_absent, name_absent;
	bool has_time;
	uint8_t month, day, hour, minute;
};

const char *tdm_dsp_cid_std_name(enum tdm_dsp_cid_std s);
int tdm_dsp_cid_std_parse(const char *s);

struct tdm_dsp_cid_tx;
struct tdm_dsp_cid_rx;

typedef void(tdm_dsp_cid_h)(const struct tdm_dsp_cid *cid, void *arg);

/* A caller ID burst for @cid in @std (mem object). -EINVAL if @cid does
 * not fit the standard, -ENOMEM. */
int tdm_dsp_cid_tx_alloc(struct tdm_dsp_cid_tx **txp, enum tdm_dsp_cid_std std,
			 const struct tdm_dsp_cid *cid);
/* Fill @n samples; returns how many were signal (0 once finished). */
size_t tdm_dsp_cid_tx_fill(struct tdm_dsp_cid_tx *tx, int16_t *amp,
			   size_t n);
bool tdm_dsp_cid_tx_done(const struct tdm_dsp_cid_tx *tx);

/* Receiver: calls @h with each complete, well-formed message. */
int tdm_dsp_cid_rx_alloc(struct tdm_dsp_cid_rx **rxp, enum tdm_dsp_cid_std std,
			 tdm_dsp_cid_h *h, void *arg);
void tdm_dsp_cid_rx_feed(struct tdm_dsp_cid_rx *rx, const int16_t *amp,
			 size_t n);

/* Decode one received message body (as adsi_rx delivers it) into @cid.
 * A wire parser: 0, or -EBADMSG for anything malformed. */
int tdm_dsp_cid_decode(enum tdm_dsp_cid_std std, const uint8_t *msg,
		       size_t len, struct tdm_dsp_cid *cid);

/* --- echo canceller (ec.c) ---------------------------------------------- */

struct tdm_dsp_ec;

struct tdm_dsp_ec_stats {
	double erle_db;	     /* echo return loss enhancement, smoothed */
	double residual_dbm0; /* level left after cancellation */
	double in_dbm0;	     /* level of the echo before cancellation */
	uint64_t frames;     /* frames measured (far end talking) */
	double delay_ms;     /* echo path bulk delay found, 0: none yet */
	uint64_t moves;	     /* times the filter's window was moved */
};

/* @tail_ms of echo path the filter covers: 8, 16, 32, 64, 128 or 256
 * (spandsp needs a power-of-two tap count). 0, -EINVAL or -ENOMEM. */
int tdm_dsp_ec_alloc(struct tdm_dsp_ec **ecp, unsigned tail_ms);
/* Cancel the echo of @ref (the frame sent) in @rx (received, in place). */
void tdm_dsp_ec_process(struct tdm_dsp_ec *ec, const int16_t *ref,
			int16_t *rx, size_t n);
void tdm_dsp_ec_stats(const struct tdm_dsp_ec *ec,
		      struct tdm_dsp_ec_stats *st);
unsigned tdm_dsp_ec_tail_ms(const struct tdm_dsp_ec *ec);

/* --- detectors (detect.c) ----------------------------------------------- */

enum tdm_dsp_det {
	TDM_DSP_DET_BUSY = 1,	    /* the zone's busy cadence */
	TDM_DSP_DET_CONGESTION = 2, /* the zone's reorder cadence */
	TDM_DSP_DET_CNG = 3,	    /* fax calling tone, 1100 Hz */
	TDM_DSP_DET_CED = 4,	    /* fax/modem answer tone, 2100 Hz */
};

const char *tdm_dsp_det_name(enum tdm_dsp_det d);

typedef void(tdm_dsp_det_h)(enum tdm_dsp_det what, void *arg);

struct tdm_dsp_busy;
struct tdm_dsp_fax;

/* Busy/reorder detector for @zone's tones: reports once after two full
 * cadence cycles, then again only after the tone has stopped. */
int tdm_dsp_busy_alloc(struct tdm_dsp_busy **bp,
		       const struct tdm_dsp_zone *zone, tdm_dsp_det_h *h,
		       void *arg);
/* Feed exactly one 20 ms frame. */
void tdm_dsp_busy_feed(struct tdm_dsp_busy *b, const int16_t *frame);

/* CNG and CED detector: each is reported once per detector lifetime. */
int tdm_dsp_fax_alloc(struct tdm_dsp_fax **fp, tdm_dsp_det_h *h, void *arg);
void tdm_dsp_fax_feed(struct tdm_dsp_fax *f, const int16_t *amp, size_t n);

/* --- the per-channel pipeline (pipe.c) ---------------------------------- */

struct tdm_dsp_params {
	const struct tdm_dsp_zone *zone; /* borrowed: the static table */
	unsigned ec_tail_ms;		 /* 0: no echo canceller */
	double rx_gain_db, tx_gain_db;
	bool dtmf_detect;
	bool busy_detect; /* FXO disconnect supervision */
	bool fax_detect;
	enum tdm_dsp_cid_std cid_std;
};

enum tdm_dsp_ev_type {
	TDM_DSP_EV_DIGIT,  /* .digit */
	TDM_DSP_EV_DETECT, /* .det */
	TDM_DSP_EV_CID,	   /* .cid */
};

struct tdm_dsp_ev {
	enum tdm_dsp_ev_type type;
	char digit;
	enum tdm_dsp_det det;
	const struct tdm_dsp_cid *cid; /* borrowed for the call */
};

typedef void(tdm_dsp_ev_h)(const struct tdm_dsp_ev *ev, void *arg);

struct tdm_dsp;

/* A channel's DSP (mem object); @h gets detections. 0, -EINVAL, -ENOMEM. */
int tdm_dsp_alloc(struct tdm_dsp **dp, const struct tdm_dsp_params *p,
		  tdm_dsp_ev_h *h, void *arg);
/* One received frame, in place: rx gain, echo cancellation against the
 * last frame tdm_dsp_tx() produced, then the detectors. */
void tdm_dsp_rx(struct tdm_dsp *d, int16_t *frame);
/* One frame to send, in place: @frame holds the call's audio (or
 * silence); a caller ID burst, queued digits or a tone replace it, in
 * that order; then tx gain. The result is kept as the echo reference. */
void tdm_dsp_tx(struct tdm_dsp *d, int16_t *frame);
/* Play @tone of the zone until tdm_dsp_tone_stop(); restarts the cadence. */
int tdm_dsp_tone(struct tdm_dsp *d, enum tdm_tone tone);
void tdm_dsp_tone_stop(struct tdm_dsp *d);
/* The tone playing, or -1. */
int tdm_dsp_tone_playing(const struct tdm_dsp *d);
/* Queue DTMF digits (see tdm_dsp_dtmf_tx_put). */
int tdm_dsp_digits(struct tdm_dsp *d, const char *digits);
/* Send a caller ID burst in the channel's standard. */
int tdm_dsp_cid_send(struct tdm_dsp *d, const struct tdm_dsp_cid *cid);
/* Start or stop listening for caller ID (FXO, between rings). */
int tdm_dsp_cid_listen(struct tdm_dsp *d, bool on);
/* Stop every generator and rearm the detectors (end of a call). */
void tdm_dsp_reset(struct tdm_dsp *d);
/* Echo canceller statistics; false if the channel has none. */
bool tdm_dsp_ec_get(const struct tdm_dsp *d, struct tdm_dsp_ec_stats *st);

/* --- levels (level.c) ---------------------------------------------------- */

/* Mean power of @n samples in dBm0 (-99 for digital silence). */
double tdm_dsp_level_dbm0(const int16_t *amp, size_t n);
/* Mean square of @n samples. */
double tdm_dsp_power(const int16_t *amp, size_t n);
/* dBm0 of a mean square. */
double tdm_dsp_power_dbm0(double power);
/* Scale @n samples by @db, saturating. */
void tdm_dsp_gain(int16_t *amp, size_t n, double db);

#endif
