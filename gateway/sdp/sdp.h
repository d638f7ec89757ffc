/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP (RFC 8866): the session description model, its parser and printer.
 *
 * A struct sdp_session owns a fixed arena that holds a copy of the parsed
 * body (or, for a session we build, the strings we format); every struct
 * strv in the model is a view into that arena, so the model lives exactly
 * as long as the session object and nothing is copied line by line.
 *
 * The generic part (lines and attributes in wire order) is what the printer
 * prints, so unknown attributes survive a parse/print round trip verbatim.
 * The typed part (rtpmap, fmtp, ptime, direction, rtcp, crypto ...) is
 * filled and validated by the parser for the offer/answer engine; a session
 * built with the sdp_*_add() helpers has only the generic part.
 */
#ifndef TL_SDP_SDP_H
#define TL_SDP_SDP_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/sa.h"
#include "../base/strv.h"

/* Limits: anything larger is refused as malformed, never truncated. */
#define SDP_MAX_SIZE   16384 /* bytes of body */
#define SDP_MAX_MEDIA  8     /* m= lines */
#define SDP_MAX_FMT    32    /* formats on one m= line */
#define SDP_MAX_ATTR   48    /* a= lines per level (session or media) */
#define SDP_MAX_BW     4     /* b= lines per level */
#define SDP_MAX_CRYPTO 8     /* a=crypto lines per media */

enum sdp_dir {
	SDP_DIR_UNSET = 0, /* no attribute at this level */
	SDP_SENDRECV,
	SDP_SENDONLY,
	SDP_RECVONLY,
	SDP_INACTIVE,
};

struct sdp_conn {
	bool set;
	int af;		 /* AF_INET or AF_INET6 */
	struct strv addr; /* as written, without a "/ttl" suffix */
	struct sa sa;	 /* numeric address, port 0; len 0 for an FQDN */
};

struct sdp_attr {
	struct strv name;
	struct strv value; /* STRV_NULL for a property attribute ("a=x") */
};

struct sdp_bw {
	struct strv type;
	uint32_t kbps;
};

struct sdp_rtpmap {
	uint8_t pt;
	struct strv enc; /* "PCMU", "telephone-event" ... */
	uint32_t rate;	 /* 0: none given ("a=rtpmap:31 LPC"), unusable */
	uint8_t chans; /* 1 unless given */
};

struct sdp_fmtp {
	struct strv fmt; /* the format it belongs to */
	struct strv params;
};

/* a=crypto (RFC 4568): the first key parameter is taken apart; the whole
 * key-params and session-params stay as written. */
struct sdp_crypto {
	uint32_t tag;
	struct strv suite;
	struct strv key_params;	 /* "inline:...|2^20|1:4;inline:..." */
	struct strv key;	 /* base64 key||salt of the first one */
	struct strv lifetime;	 /* "2^20" or STRV_NULL */
	uint32_t mki;		 /* valid when mki_len != 0 */
	uint8_t mki_len;	 /* bytes, 0 = no MKI */
	struct strv sess_params; /* rest of the line or STRV_NULL */
};

struct sdp_media {
	struct strv type;  /* "audio", "image" ... */
	uint16_t port;	   /* 0 = rejected or disabled stream */
	uint16_t nports;   /* the "/2" of "port/2"; 1 unless given */
	struct strv proto; /* "RTP/AVP", "RTP/SAVP", "udptl" ... */
	struct strv fmt[SDP_MAX_FMT];
	unsigned nfmt;
	struct strv info; /* i= */
	struct sdp_conn conn;
	struct sdp_bw bw[SDP_MAX_BW];
	unsigned nbw;
	struct sdp_attr attr[SDP_MAX_ATTR];
	unsigned nattr;

	/* typed, from the parser */
	struct sdp_rtpmap rtpmap[SDP_MAX_FMT];
	unsigned nrtpmap;
	struct sdp_fmtp fmtp[SDP_MAX_FMT];
	unsigned nfmtp;
	enum sdp_dir dir; /* this level only; see sdp_media_dir() */
	uint32_t ptime, maxptime; /* ms, 0 = not given */
	uint16_t rtcp_port;	  /* a=rtcp, 0 = not given */
	struct sdp_conn rtcp_conn;
	bool rtcp_mux;
	struct sdp_crypto crypto[SDP_MAX_CRYPTO];
	unsigned ncrypto;
};

struct sdp_origin {
	struct strv user;
	struct strv sess_id; /* digits, kept as written */
	uint64_t version;
	struct sdp_conn addr;
};

struct sdp_session {
	struct sdp_origin origin;
	struct strv name;  /* s= */
	struct strv info;  /* i= */
	struct strv times; /* t= value */
	struct sdp_conn conn;
	struct sdp_bw bw[SDP_MAX_BW];
	unsigned nbw;
	struct sdp_attr attr[SDP_MAX_ATTR];
	unsigned nattr;
	enum sdp_dir dir;
	struct sdp_media media[SDP_MAX_MEDIA];
	unsigned nmedia;

	size_t used; /* bytes of the arena in use */
	char arena[SDP_MAX_SIZE + 4096];
};

/* Why a parse failed: a constant string and the 1-based line number (0 when
 * the failure is not tied to a line). */
struct sdp_perr {
	const char *reason;
	unsigned line;
};

/*
 * Parse @len bytes of @body into a new session (*@sp, one mem reference).
 * Lines end in CRLF or LF. Returns 0, -EBADMSG (with @err filled if not
 * NULL) on malformed or over-limit input, or -ENOMEM. @body is copied.
 */
int sdp_parse(struct sdp_session **sp, const char *body, size_t len,
	      struct sdp_perr *err);

/* Print @s (its generic part) as an SDP body with CRLF line ends, appended
 * to @b. Returns 0 or -ENOMEM / -EMSGSIZE from the buffer. */
int sdp_print(struct buf *b, const struct sdp_session *s);

/* A new empty session to fill with the helpers below; *@sp holds one ref. */
int sdp_session_alloc(struct sdp_session **sp);

/* Format a string into @s's arena and return a view of it in *@out;
 * -ENOSPC when the arena is full. */
int sdp_strf(struct sdp_session *s, struct strv *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append a media description (type, port, proto, space-separated fmt list
 * copied into the arena); *@mp points at it. -ENOSPC / -E2BIG over limits. */
int sdp_media_add(struct sdp_session *s, struct sdp_media **mp,
		  const char *type, uint16_t port, const char *proto,
		  const char *fmts);

/* Append an attribute to @m (or to the session when @m is NULL); @fmt NULL
 * makes a property attribute. -ENOSPC / -E2BIG over limits. */
int sdp_attr_add(struct sdp_session *s, struct sdp_media *m,
		 const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Set a connection line (session level when @m is NULL) from a numeric
 * address; -EINVAL if it is not one. */
int sdp_conn_set(struct sdp_session *s, struct sdp_media *m, const char *ip);

/* The direction in force for @m: its own, else the session's, else
 * sendrecv (RFC 3264 5.1). */
enum sdp_dir sdp_media_dir(const struct sdp_session *s,
			   const struct sdp_media *m);

/* The connection in force for @m: its own, else the session's (may be
 * unset for a port-0 stream). */
const struct sdp_conn *sdp_media_conn(const struct sdp_session *s,
				      const struct sdp_media *m);

/* The rtpmap of payload type @pt in @m, or NULL. */
const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m,
					  unsigned pt);

/* The fmtp parameters of format @fmt in @m, or STRV_NULL. */
struct strv sdp_media_fmtp(const struct sdp_media *m, struct strv fmt);

/* The first attribute called @name in @m (session level if @m is NULL),
 * or NULL. */
const struct sdp_attr *sdp_attr_find(const struct sdp_session *s,
				     const struct sdp_media *m,
				     const char *name);

/* "sendrecv" ... for a direction (NULL for SDP_DIR_UNSET). */
const char *sdp_dir_name(enum sdp_dir d);

/* True when @c is the RFC 2543 hold address 0.0.0.0 (or ::). */
bool sdp_conn_is_hold(const struct sdp_conn *c);

#endif
