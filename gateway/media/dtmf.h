/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DTMF: RFC 4733 telephone-events (send and receive), in-band detection
 * and generation (spandsp), and the conversion between the two.
 *
 *   media_dtmf_tx    digit start/stop -> telephone-event payloads
 *   media_dtmf_rx    telephone-event payloads -> digit start/end events
 *   media_dtmf_gen   digit events -> tones written into an 8 kHz frame
 *   media_dtmf_det   8 kHz frames -> digit start/end, tone muted in the
 *                    forwarded audio (which is delayed by a few frames)
 *   media_dtmf_conv  both directions of one call leg joined together
 *
 * Events use the RFC 4733 codes 0-15 for 0-9 * # A-D; other event codes
 * (flash, modem tones) are parsed and ignored.
 */
#ifndef TL_MEDIA_DTMF_H
#define TL_MEDIA_DTMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One telephone-event payload block (RFC 4733 2.3). */
#define MEDIA_DTMF_PAYLOAD_LEN 4
/* Longest duration one segment may report (RFC 4733 2.5.1.3). */
#define MEDIA_DTMF_SEG_MAX 0xffffu

/* '0'-'9' '*' '#' 'A'-'D' ('a'-'d' too) -> event code 0-15, or -EINVAL. */
int media_dtmf_code(char digit);
/* Event code 0-15 -> digit character, or '\0'. */
char media_dtmf_digit(int code);

/* A telephone-event payload as on the wire. */
struct media_dtmf_payload {
	uint8_t event;
	bool end;
	uint8_t volume; /* 0-63, -dBm0 */
	uint16_t duration;
};

/* Parse one telephone-event payload (RFC 4733 2.3). @len must be a
 * positive multiple of 4; only the first block is read. 0 or -EBADMSG. */
int media_dtmf_parse(struct media_dtmf_payload *p, const uint8_t *buf,
		     size_t len);

/* ---- sender ---------------------------------------------------------- */

struct media_dtmf_tx_params {
	uint32_t clock_rate; /* RTP clock, 8000 if 0 */
	unsigned tick_ms;    /* how often tick() is called, 20 if 0 */
	unsigned update_ms;  /* interval between updates, 50 if 0 */
	uint8_t volume;      /* -dBm0 reported in the packets, 10 if 0 */
	unsigned min_ms;     /* shortest event sent, 40 if 0 */
};

/* One packet to send: the caller adds the RTP header (the event PT, its
 * stream's SSRC and next sequence number) around @payload. */
struct media_dtmf_pkt {
	uint32_t ts;
	bool marker;
	uint8_t payload[MEDIA_DTMF_PAYLOAD_LEN];
};

struct media_dtmf_tx;

/* Allocate a sender (mem object); @p may be NULL. 0, -EINVAL, -ENOMEM. */
int media_dtmf_tx_alloc(struct media_dtmf_tx **txp,
			const struct media_dtmf_tx_params *p);

/*
 * Start sending @digit as an event timestamped @ts (the RTP timestamp of
 * the audio frame where the tone begins; it stays fixed for the event,
 * but for segments of events longer than 0xffff units). The previous
 * event's end retransmissions, if any, go on beside it. -EINVAL for a
 * bad digit, -EBUSY while an event is active and not stopped (a stopped
 * one ends at once, its end packets still sent three times).
 */
int media_dtmf_tx_start(struct media_dtmf_tx *tx, char digit, uint32_t ts);

/* End the active event (after at least min_ms). The end packet goes out
 * three times on the next ticks. -ENOENT if no event is active. */
int media_dtmf_tx_stop(struct media_dtmf_tx *tx);

/* True while an event is active or its end packets are pending. */
bool media_dtmf_tx_busy(const struct media_dtmf_tx *tx);

/*
 * Advance the sender by one tick (tick_ms of media time) and write the
 * packets due now into @pkts (room for @max; 2 is always enough). Returns
 * how many were written.
 */
int media_dtmf_tx_tick(struct media_dtmf_tx *tx, struct media_dtmf_pkt *pkts,
		       size_t max);

/* ---- receiver -------------------------------------------------------- */

enum media_dtmf_ev_type {
	MEDIA_DTMF_EV_START,
	MEDIA_DTMF_EV_END,
};

struct media_dtmf_event {
	enum media_dtmf_ev_type type;
	char digit;
	uint8_t volume;
	uint32_t ts;	   /* RTP timestamp of the event's first segment */
	uint32_t duration; /* END: total duration in clock units */
};

typedef void(media_dtmf_event_h)(const struct media_dtmf_event *ev,
				 void *arg);

struct media_dtmf_rx_params {
	uint32_t clock_rate;	 /* 8000 if 0 */
	unsigned timeout_ms;	 /* end an event without updates, 500 if 0 */
};

struct media_dtmf_rx_stats {
	uint64_t packets;   /* valid telephone-event payloads */
	uint64_t bad;	    /* malformed payloads */
	uint64_t ignored;   /* duplicates, stale, non-DTMF events */
	uint64_t digits;    /* START events reported */
	uint64_t lost_ends; /* events ended by a newer one or a timeout */
};

struct media_dtmf_rx;

/* Allocate a receiver (mem object) reporting to @eh with @arg (borrowed);
 * @p may be NULL. 0, -EINVAL or -ENOMEM. */
int media_dtmf_rx_alloc(struct media_dtmf_rx **rxp,
			const struct media_dtmf_rx_params *p,
			media_dtmf_event_h *eh, void *arg);

/*
 * Feed one telephone-event RTP packet: its timestamp, marker bit and
 * payload, and the arrival time in ms (any monotonic origin). Reports each
 * digit exactly once: START when first seen (a lost start packet is
 * fine), END on the end bit, on a newer event (lost end packets) or on
 * timeout. Retransmitted end packets and stale packets are ignored.
 * Returns 0 or -EBADMSG (the state is unchanged).
 */
int media_dtmf_rx_put(struct media_dtmf_rx *rx, uint32_t ts, bool marker,
		      const uint8_t *payload, size_t len, uint64_t now_ms);

/* Call periodically: ends an event that got no packet for timeout_ms. */
void media_dtmf_rx_poll(struct media_dtmf_rx *rx, uint64_t now_ms);

/* Forget the stream (SSRC change): ends an active event, then accepts any
 * timestamp. */
void media_dtmf_rx_reset(struct media_dtmf_rx *rx);

void media_dtmf_rx_stats(const struct media_dtmf_rx *rx,
			 struct media_dtmf_rx_stats *st);

/* ---- in-band generation (8 kHz) ------------------------------------- */

struct media_dtmf_gen;

/* Allocate a tone generator (mem object). 0 or -ENOMEM. */
int media_dtmf_gen_alloc(struct media_dtmf_gen **gp);

/* Feed a receiver event. A START begins the tone (after the current one
 * and a 40 ms gap if one is playing); END fixes its length (at least
 * 40 ms). Up to 16 digits queue. 0, -EINVAL or -ENOSPC (queue full). */
int media_dtmf_gen_event(struct media_dtmf_gen *g,
			 const struct media_dtmf_event *ev);

/* Overwrite @pcm (@n samples at 8 kHz) with tone or gap while a digit is
 * playing; leave it untouched otherwise. Returns true if it wrote. */
bool media_dtmf_gen_frame(struct media_dtmf_gen *g, int16_t *pcm, size_t n);

/* ---- in-band detection (8 kHz) -------------------------------------- */

/* Forwarded audio lags the input by this many 20 ms frames, so a tone can
 * be muted from its very start once the detector confirms it. */
#define MEDIA_DTMF_DET_DELAY 3

struct media_dtmf_det;

/* Allocate a detector (mem object) reporting to @eh/@arg (borrowed);
 * events carry durations in 8 kHz samples and ts 0. 0 or -ENOMEM. */
int media_dtmf_det_alloc(struct media_dtmf_det **dp, media_dtmf_event_h *eh,
			 void *arg);

/*
 * Process one 20 ms frame (160 samples) in place: detect digits in it,
 * and replace it with the frame from MEDIA_DTMF_DET_DELAY frames ago,
 * silenced if it may carry (part of) a detected tone. -EINVAL if @n is not
 * 160.
 */
int media_dtmf_det_frame(struct media_dtmf_det *d, int16_t *pcm, size_t n);

/* ---- converter ------------------------------------------------------- */

struct media_dtmf_conv_params {
	struct media_dtmf_tx_params tx;
	struct media_dtmf_rx_params rx;
};

struct media_dtmf_conv;

/* Allocate a converter (mem object); @p may be NULL. 0, -EINVAL, -ENOMEM */
int media_dtmf_conv_alloc(struct media_dtmf_conv **cp,
			  const struct media_dtmf_conv_params *p);

/* RFC 4733 -> in-band: a telephone-event packet from the IP leg. */
int media_dtmf_conv_pkt_in(struct media_dtmf_conv *c, uint32_t ts,
			   bool marker, const uint8_t *payload, size_t len,
			   uint64_t now_ms);

/* RFC 4733 -> in-band: the next 20 ms frame (160 samples) toward the
 * in-band side; tones are written over it while a digit plays. */
void media_dtmf_conv_audio_out(struct media_dtmf_conv *c, int16_t *pcm,
			       size_t n, uint64_t now_ms);

/*
 * In-band -> RFC 4733: the next 20 ms frame (160 samples) from the in-band
 * side, whose RTP timestamp toward the IP leg is @ts. Rewrites @pcm into
 * the delayed, tone-muted audio to send, and writes into @pkts (room for
 * @max, 2 is enough) the telephone-event packets due. Returns the number
 * of packets, or -EINVAL.
 */
int media_dtmf_conv_audio_in(struct media_dtmf_conv *c, int16_t *pcm,
			     size_t n, uint32_t ts,
			     struct media_dtmf_pkt *pkts, size_t max);

/* The receiver inside (for its statistics). Borrowed. */
struct media_dtmf_rx *media_dtmf_conv_rx(struct media_dtmf_conv *c);

#endif
