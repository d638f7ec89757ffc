// SPDX-License-Identifier: GPL-2.0
/* [media]: the RTP port range and the defaults of every media stream. */
#include <stddef.h>

#include "mediaconf.h"

static const char *const latch_names[] = { "symmetric", "strict", NULL };
static const char *const dtmf_names[] = { "rfc4733", "inband", "both",
					  NULL };
/* in the order of enum media_relay_io */
static const char *const relay_io_names[] = { "auto", "uring", "epoll",
					      NULL };

static void check_sect(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	const struct media_conf *mc = sect;

	(void)name;
	/* at least one even port with its odd neighbour */
	if (mc->rtp_port_max < ((mc->rtp_port_min + 1) & ~1) + 1)
		conf_err_add(errs, file, line, "rtp_port_max",
			     "the range must hold an even port and the "
			     "odd one above it");
	if (mc->jb_max < mc->jb_min)
		conf_err_add(errs, file, line, "jb_max",
			     "must not be less than jb_min");
	if (mc->ptime % 20)
		conf_err_add(errs, file, line, "ptime",
			     "must be a multiple of 20");
}

static const struct conf_kw media_kws[] = {
	{ "rtp_port_min", CONF_INT, offsetof(struct media_conf, rtp_port_min),
	  "10000", 1024, 65534, NULL, NULL, 0,
	  "lowest RTP/RTCP port (RTP on even ports)" },
	{ "rtp_port_max", CONF_INT, offsetof(struct media_conf, rtp_port_max),
	  "20000", 1025, 65535, NULL, NULL, 0, "highest RTP/RTCP port" },
	{ "latching", CONF_ENUM, offsetof(struct media_conf, latching),
	  "symmetric", 0, 0, latch_names, NULL, CONF_RELOAD,
	  "symmetric: send to where media comes from (NAT); strict: only "
	  "the SDP address" },
	{ "relatch_packets", CONF_INT,
	  offsetof(struct media_conf, relatch_packets), "5", 1, 1000, NULL,
	  NULL, CONF_RELOAD,
	  "packets in a row from a new source before moving to it" },
	{ "relatch_silence", CONF_MS,
	  offsetof(struct media_conf, relatch_silence), "500ms", 20, 60000,
	  NULL, NULL, CONF_RELOAD,
	  "how long the latched source must be silent before a move" },
	{ "rtcp_interval", CONF_MS, offsetof(struct media_conf, rtcp_interval),
	  "5s", 1000, 60000, NULL, NULL, CONF_RELOAD,
	  "minimum RTCP report interval (RFC 3550: 5s)" },
	{ "jb_min", CONF_MS, offsetof(struct media_conf, jb_min), "20ms", 20,
	  1000, NULL, NULL, CONF_RELOAD, "lowest jitter buffer delay" },
	{ "jb_max", CONF_MS, offsetof(struct media_conf, jb_max), "300ms", 20,
	  1000, NULL, NULL, CONF_RELOAD, "highest jitter buffer delay" },
	{ "dtmf_mode", CONF_ENUM, offsetof(struct media_conf, dtmf_mode),
	  "rfc4733", 0, 0, dtmf_names, NULL, CONF_RELOAD,
	  "how digits are sent: rfc4733, inband or both" },
	{ "comfort_noise", CONF_BOOL, offsetof(struct media_conf, comfort_noise),
	  "no", 0, 0, NULL, NULL, CONF_RELOAD,
	  "send CN (RFC 3389) and nothing else in silence" },
	{ "ptime", CONF_INT, offsetof(struct media_conf, ptime), "20", 20, 120,
	  NULL, NULL, CONF_RELOAD, "packet time we send, ms" },
	{ "relay_io", CONF_ENUM, offsetof(struct media_conf, relay_io), "auto",
	  0, 0, relay_io_names, NULL, 0,
	  "the userspace relay's I/O: auto (io_uring if it can be set up, "
	  "else epoll), uring or epoll" },
	{ "relay_coalesce_us", CONF_INT,
	  offsetof(struct media_conf, relay_coalesce_us), "1000", 0, 10000,
	  NULL, NULL, CONF_RELOAD,
	  "io_uring relay: when packets come faster than this, run every "
	  "this many microseconds instead of once per arrival (0: off)" },
};

const struct conf_sect_def media_conf_sect = {
	.name = "media",
	.size = sizeof(struct media_conf),
	.kws = media_kws,
	.nkws = sizeof(media_kws) / sizeof(media_kws[0]),
	.check = check_sect,
	.help = "RTP ports, latching, RTCP, jitter buffer, DTMF",
};

void media_conf_apply(const struct media_conf *c,
		      struct media_stream_params *p)
{
	p->rtp.strict = c->latching == MEDIA_CONF_LATCH_STRICT;
	p->rtp.relatch_pkts = (unsigned)c->relatch_packets;
	p->rtp.relatch_silence_ms = (unsigned)c->relatch_silence;
	p->rtp.rtcp_min_ms = (unsigned)c->rtcp_interval;
	p->jb_min_ms = (unsigned)c->jb_min;
	p->jb_max_ms = (unsigned)c->jb_max;
	p->dtmf = (enum media_stream_dtmf)c->dtmf_mode;
	p->cn = c->comfort_noise;
	p->ptime = (unsigned)c->ptime;
}

enum media_relay_io media_conf_relay_io(const struct media_conf *c)
{
	return (enum media_relay_io)c->relay_io;
}

unsigned media_conf_relay_coalesce(const struct media_conf *c)
{
	return (unsigned)c->relay_coalesce_us;
}
