// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 4733 telephone-event receiver.
 *
 * An event is identified by its RTP timestamp: every packet of one event
 * carries the same one (2.5.1.1), so the receiver remembers the newest
 * timestamp it has seen and ignores anything at or before it once that
 * event is over. That drops the retransmitted end packets and late
 * updates, and makes each digit come out once whatever is lost:
 *
 *   - lost start packets: the first packet seen starts the event;
 *   - lost end packets: a newer event, or timeout_ms of silence, ends it
 *     with the last duration heard;
 *   - long events (2.5.1.3): a packet at exactly ts + 0xffff with the same
 *     code continues the event instead of starting a new digit.
 */
#include <errno.h>

#include "../base/mem.h"
#include "dtmf.h"

struct media_dtmf_rx {
	uint32_t clock;
	unsigned timeout_ms;
	media_dtmf_event_h *eh;
	void *arg; /* borrowed */

	bool have_last;
	uint32_t last_ts; /* newest segment timestamp seen */
	uint8_t last_code;

	bool active;
	uint8_t code;
	uint8_t volume;
	uint32_t first_ts; /* first segment's timestamp */
	uint32_t base;	   /* durations of the finished segments */
	uint32_t dur;	   /* duration within the current segment */
	uint64_t seen_ms;  /* last packet of the active event */

	struct media_dtmf_rx_stats st;
};

int media_dtmf_rx_alloc(struct media_dtmf_rx **rxp,
			const struct media_dtmf_rx_params *p,
			media_dtmf_event_h *eh, void *arg)
{
	struct media_dtmf_rx *rx;
	uint32_t clock = p && p->clock_rate ? p->clock_rate : 8000;
	unsigned tmo = p && p->timeout_ms ? p->timeout_ms : 500;

	if (!eh || clock > 96000 || tmo > 60000)
		return -EINVAL;
	rx = mem_zalloc(sizeof(*rx), NULL);
	if (!rx)
		return -ENOMEM;
	rx->clock = clock;
	rx->timeout_ms = tmo;
	rx->eh = eh;
	rx->arg = arg;
	*rxp = rx;
	return 0;
}

static void rx_report(struct media_dtmf_rx *rx, enum media_dtmf_ev_type type)
{
	struct media_dtmf_event ev = {
		.type = type,
		.digit = media_dtmf_digit(rx->code),
		.volume = rx->volume,
		.ts = rx->first_ts,
		.duration = type == MEDIA_DTMF_EV_END ? rx->base + rx->dur : 0,
	};

	rx->eh(&ev, rx->arg);
}

static void rx_end(struct media_dtmf_rx *rx, bool lost)
{
	rx->active = false;
	if (lost)
		rx->st.lost_ends++;
	rx_report(rx, MEDIA_DTMF_EV_END);
}

static void rx_start(struct media_dtmf_rx *rx, uint32_t ts,
		     const struct media_dtmf_payload *p, uint64_t now_ms)
{
	rx->active = true;
	rx->code = p->event;
	rx->volume = p->volume;
	rx->first_ts = ts;
	rx->base = 0;
	rx->dur = p->duration;
	rx->seen_ms = now_ms;
	rx->st.digits++;
	rx_report(rx, MEDIA_DTMF_EV_START);
	if (p->end)
		rx_end(rx, false);
}

int media_dtmf_rx_put(struct media_dtmf_rx *rx, uint32_t ts, bool marker,
		      const uint8_t *payload, size_t len, uint64_t now_ms)
{
	struct media_dtmf_payload p;
	int32_t diff;
	int err;

	err = media_dtmf_parse(&p, payload, len);
	if (err) {
		rx->st.bad++;
		return err;
	}
	rx->st.packets++;
	if (p.event > 15) {
		rx->st.ignored++;
		return 0;
	}
	diff = rx->have_last ? (int32_t)(ts - rx->last_ts) : 1;
	/* far in the past is a new timeline (a restarted sender), not a
	 * stale packet */
	if (diff < 0 && (uint32_t)-(int64_t)diff < 10 * rx->clock) {
		rx->st.ignored++;
		return 0;
	}
	if (diff == 0) {
		if (!rx->active || p.event != rx->code) {
			rx->st.ignored++;
			return 0;
		}
		if (p.duration > rx->dur)
			rx->dur = p.duration;
		rx->seen_ms = now_ms;
		if (p.end)
			rx_end(rx, false);
		return 0;
	}
	if (diff == (int32_t)MEDIA_DTMF_SEG_MAX && !marker &&
	    p.event == rx->last_code) {
		rx->last_ts = ts;
		if (!rx->active) {
			/* a segment of an event already ended (timeout) */
			rx->st.ignored++;
			return 0;
		}
		rx->base += MEDIA_DTMF_SEG_MAX;
		rx->dur = p.duration;
		rx->seen_ms = now_ms;
		if (p.end)
			rx_end(rx, false);
		return 0;
	}
	if (rx->active)
		rx_end(rx, true);
	rx->have_last = true;
	rx->last_ts = ts;
	rx->last_code = p.event;
	rx_start(rx, ts, &p, now_ms);
	return 0;
}

void media_dtmf_rx_poll(struct media_dtmf_rx *rx, uint64_t now_ms)
{
	if (rx->active && now_ms - rx->seen_ms >= rx->timeout_ms)
		rx_end(rx, true);
}

void media_dtmf_rx_reset(struct media_dtmf_rx *rx)
{
	if (rx->active)
		rx_end(rx, true);
	rx->have_last = false;
}

void media_dtmf_rx_stats(const struct media_dtmf_rx *rx,
			 struct media_dtmf_rx_stats *st)
{
	*st = rx->st;
}
