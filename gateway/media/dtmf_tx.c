// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 4733 telephone-event sender.
 *
 * The event's timestamp is fixed at its start and the duration grows by a
 * tick each tick; an update goes out every update_ms, the first packet
 * carries the marker bit, and the end packet goes out three times, one per
 * tick, so a burst of loss cannot take all three (2.5.1.4). An event
 * longer than 0xffff units is sent as segments (2.5.1.3): the segment's
 * last packet reports 0xffff, and the next segment starts at ts + 0xffff
 * without the marker bit.
 */
#include <errno.h>
#include <string.h>

#include "../base/mem.h"
#include "dtmf.h"

/* The end packet is sent this many times in all. */
#define DTMF_TX_END_COPIES 3

struct media_dtmf_tx {
	uint32_t tick_units;
	uint32_t update_units;
	uint32_t min_units;
	uint8_t volume;

	/* the active event */
	bool active;
	bool started;	/* first packet sent */
	bool stopping;	/* stop() called, end once min_units reached */
	uint8_t code;
	uint32_t ts;	 /* current segment's timestamp */
	uint32_t dur;	 /* duration within the segment */
	uint32_t total;	 /* duration over all segments */
	uint32_t unsent; /* units since the last packet */

	/* retransmissions of the last event's end packet */
	unsigned end_left;
	struct media_dtmf_pkt end_pkt;
};

int media_dtmf_tx_alloc(struct media_dtmf_tx **txp,
			const struct media_dtmf_tx_params *p)
{
	struct media_dtmf_tx_params d = { 0 };
	struct media_dtmf_tx *tx;
	uint32_t clock;

	if (p)
		d = *p;
	clock = d.clock_rate ? d.clock_rate : 8000;
	if (!d.tick_ms)
		d.tick_ms = 20;
	if (!d.update_ms)
		d.update_ms = 50;
	if (!d.volume)
		d.volume = 10;
	if (!d.min_ms)
		d.min_ms = 40;
	if (clock > 96000 || d.tick_ms > 1000 || d.update_ms > 1000 ||
	    d.volume > 63 || d.min_ms > 1000)
		return -EINVAL;
	tx = mem_zalloc(sizeof(*tx), NULL);
	if (!tx)
		return -ENOMEM;
	tx->tick_units = clock / 1000 * d.tick_ms;
	tx->update_units = clock / 1000 * d.update_ms;
	tx->min_units = clock / 1000 * d.min_ms;
	tx->volume = d.volume;
	*txp = tx;
	return 0;
}

static void tx_fill(const struct media_dtmf_tx *tx, struct media_dtmf_pkt *pk,
		    bool marker, bool end, uint32_t dur)
{
	pk->ts = tx->ts;
	pk->marker = marker;
	pk->payload[0] = tx->code;
	pk->payload[1] = (uint8_t)((end ? 0x80 : 0) | tx->volume);
	pk->payload[2] = (uint8_t)(dur >> 8);
	pk->payload[3] = (uint8_t)dur;
}

int media_dtmf_tx_start(struct media_dtmf_tx *tx, char digit, uint32_t ts)
{
	int code = media_dtmf_code(digit);

	if (code < 0)
		return code;
	if (tx->active && !tx->stopping)
		return -EBUSY;
	if (tx->active) {
		/* stopped but not yet ended: all its end copies go out on
		 * the next ticks, beside the new event */
		tx_fill(tx, &tx->end_pkt, false, true, tx->dur);
		tx->end_left = DTMF_TX_END_COPIES;
	}
	tx->active = true;
	tx->started = false;
	tx->stopping = false;
	tx->code = (uint8_t)code;
	tx->ts = ts;
	tx->dur = 0;
	tx->total = 0;
	tx->unsent = 0;
	return 0;
}

int media_dtmf_tx_stop(struct media_dtmf_tx *tx)
{
	if (!tx->active)
		return -ENOENT;
	tx->stopping = true;
	return 0;
}

bool media_dtmf_tx_busy(const struct media_dtmf_tx *tx)
{
	return tx->active || tx->end_left;
}

/* Packets of the active event due this tick. */
static size_t tx_event(struct media_dtmf_tx *tx, struct media_dtmf_pkt *pkts,
		       size_t max)
{
	size_t n = 0;

	if (tx->stopping && tx->total >= tx->min_units && tx->started) {
		tx_fill(tx, &tx->end_pkt, false, true, tx->dur);
		pkts[n++] = tx->end_pkt;
		tx->end_left = DTMF_TX_END_COPIES - 1;
		tx->active = false;
		return n;
	}
	tx->dur += tx->tick_units;
	tx->total += tx->tick_units;
	tx->unsent += tx->tick_units;
	if (tx->dur >= MEDIA_DTMF_SEG_MAX) {
		/* close this segment at exactly 0xffff, go on in the next */
		tx_fill(tx, &pkts[n++], !tx->started, false,
			MEDIA_DTMF_SEG_MAX);
		tx->started = true;
		tx->ts += MEDIA_DTMF_SEG_MAX;
		tx->dur -= MEDIA_DTMF_SEG_MAX;
		tx->unsent = 0;
		/* the next segment's first report goes out at once, so the
		 * receiver sees it continue the same event */
		if (tx->dur && n < max)
			tx_fill(tx, &pkts[n++], false, false, tx->dur);
		return n;
	}
	if (!tx->started || tx->unsent >= tx->update_units) {
		tx_fill(tx, &pkts[n++], !tx->started, false, tx->dur);
		tx->started = true;
		tx->unsent = 0;
	}
	return n;
}

int media_dtmf_tx_tick(struct media_dtmf_tx *tx, struct media_dtmf_pkt *pkts,
		       size_t max)
{
	size_t n = 0;

	if (!max)
		return 0;
	/* a new event may start while the last one's end is repeated */
	if (tx->end_left) {
		pkts[n++] = tx->end_pkt;
		tx->end_left--;
	}
	if (tx->active && n < max)
		n += tx_event(tx, pkts + n, max - n);
	return (int)n;
}
