/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dahdi backend (dahdi.c): spans of real /dev/dahdi channels with
 * analog or ISDN PRI signalling. tdm.c picks it for [span N] backend =
 * dahdi; this header is what the rest of the tree may ask of it.
 */
#ifndef TL_TDM_DAHDI_H
#define TL_TDM_DAHDI_H

#include <stdbool.h>
#include <stdint.h>

struct tdm_backend;
struct tdm_chan;
struct tdm_span;
struct tdm_analog;

extern const struct tdm_backend tdm_backend_dahdi;

/* A dahdi channel's state, for show channels and tests. */
struct tdm_dahdi_info {
	bool open;	 /* false: failed, out of service until reopened */
	int dahdi_span;	 /* DAHDI's span number */
	int span_alarms; /* DAHDI_ALARM_* bits of the span, 0 = fine */
	uint64_t reads, short_reads, write_errs, events;
	const char *analog_state;
};

/* 0, or -ENOENT if @ch is not a dahdi channel. */
int tdm_dahdi_chan_info(const struct tdm_chan *ch, struct tdm_dahdi_info *inf);

/* An ISDN span's D channel layer 2: "up", "down" or "alarm"; "-" for
 * other spans. */
const char *tdm_dahdi_span_link(const struct tdm_span *sp);

/* The analog signalling of dahdi channel @ch (borrowed), or NULL. */
struct tdm_analog *tdm_dahdi_analog(struct tdm_chan *ch);

#endif
