/* SPDX-License-Identifier: GPL-2.0 */
/* The [media] configuration section: RTP ports, latching, RTCP, jitter
 * buffer and DTMF defaults for media streams. */
#ifndef TL_MEDIA_MEDIACONF_H
#define TL_MEDIA_MEDIACONF_H

#include <stdbool.h>
#include <stdint.h>

#include "../ctl/conf.h"
#include "relay.h"
#include "stream.h"

enum media_conf_latch {
	MEDIA_CONF_LATCH_SYMMETRIC, /* latch to the first valid source */
	MEDIA_CONF_LATCH_STRICT,    /* only the SDP address */
};

struct media_conf {
	int64_t rtp_port_min, rtp_port_max;
	int latching;		  /* enum media_conf_latch */
	int64_t relatch_packets;
	uint64_t relatch_silence; /* ms */
	uint64_t rtcp_interval;	  /* ms, the minimum RFC 3550 interval */
	uint64_t jb_min, jb_max;  /* ms */
	int dtmf_mode;		  /* enum media_stream_dtmf */
	bool comfort_noise;
	int64_t ptime;
	int relay_io;		  /* enum media_relay_io [restart] */
	int64_t relay_coalesce_us; /* media_relay_set_coalesce() */
};

/* The [media] section definition (for the module's sects[]). */
extern const struct conf_sect_def media_conf_sect;

/* Copy the configured defaults into stream parameters @p (latching,
 * RTCP interval, jitter buffer, DTMF mode, CN, ptime); the rest of @p is
 * left alone. */
void media_conf_apply(const struct media_conf *c,
		      struct media_stream_params *p);

/* The relay I/O path [media] relay_io asks for, for media_relay_new_io()
 * (read once, when the relay is made: a reload keeps the running one). */
enum media_relay_io media_conf_relay_io(const struct media_conf *c);

/* [media] relay_coalesce_us, for media_relay_set_coalesce(). */
unsigned media_conf_relay_coalesce(const struct media_conf *c);

#endif
