/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP messages (RFC 3261 section 7, grammar of section 25): a zero-copy
 * parser, typed access to the headers the stack uses, a printer and
 * builders, and stream framing for TCP/TLS.
 *
 * One parse is one allocation: a mem object holding the struct sip_msg,
 * its header array and a private copy of the received bytes. Every strv in
 * it (and in the typed structs it hands out) is a view into that copy, so
 * it lives as long as the message does; the caller's input buffer may be
 * reused as soon as sip_msg_parse() returns.
 *
 * Views are exactly the bytes on the wire. A header value keeps its line
 * folding (CRLF followed by SP/HTAB) and is flagged SIP_HDRF_FOLDED;
 * sip_unfold() copies an unfolded value into a caller buffer. URI parts
 * keep their %HEX escapes; sip_unescape() decodes them.
 */
#ifndef TL_SIP_MSG_H
#define TL_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/strv.h"

/* Headers known by name, long or compact form (lookup: sip_hdr_lookup).
 * Anything else is SIP_HDR_OTHER and kept verbatim. */
enum sip_hdr_id {
	SIP_HDR_OTHER = 0,
	SIP_HDR_ACCEPT,
	SIP_HDR_ACCEPT_CONTACT,	      /* a */
	SIP_HDR_ACCEPT_ENCODING,
	SIP_HDR_ACCEPT_LANGUAGE,
	SIP_HDR_ALERT_INFO,
	SIP_HDR_ALLOW,
	SIP_HDR_ALLOW_EVENTS,	      /* u */
	SIP_HDR_AUTHENTICATION_INFO,
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_CALL_ID,	      /* i */
	SIP_HDR_CALL_INFO,
	SIP_HDR_CONTACT,	      /* m */
	SIP_HDR_CONTENT_DISPOSITION,
	SIP_HDR_CONTENT_ENCODING,     /* e */
	SIP_HDR_CONTENT_LANGUAGE,
	SIP_HDR_CONTENT_LENGTH,	      /* l */
	SIP_HDR_CONTENT_TYPE,	      /* c */
	SIP_HDR_CSEQ,
	SIP_HDR_DATE,
	SIP_HDR_ERROR_INFO,
	SIP_HDR_EVENT,		      /* o */
	SIP_HDR_EXPIRES,
	SIP_HDR_FROM,		      /* f */
	SIP_HDR_IDENTITY,	      /* y */
	SIP_HDR_IDENTITY_INFO,	      /* n */
	SIP_HDR_IN_REPLY_TO,
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_MIME_VERSION,
	SIP_HDR_MIN_EXPIRES,
	SIP_HDR_MIN_SE,
	SIP_HDR_ORGANIZATION,
	SIP_HDR_P_ASSERTED_IDENTITY,
	SIP_HDR_P_PREFERRED_IDENTITY,
	SIP_HDR_PRIORITY,
	SIP_HDR_PRIVACY,
	SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_PROXY_REQUIRE,
	SIP_HDR_RACK,
	SIP_HDR_REASON,
	SIP_HDR_RECORD_ROUTE,
	SIP_HDR_REFER_TO,	      /* r */
	SIP_HDR_REFERRED_BY,	      /* b */
	SIP_HDR_REJECT_CONTACT,	      /* j */
	SIP_HDR_REPLACES,
	SIP_HDR_REPLY_TO,
	SIP_HDR_REQUEST_DISPOSITION,  /* d */
	SIP_HDR_REQUIRE,
	SIP_HDR_RETRY_AFTER,
	SIP_HDR_ROUTE,
	SIP_HDR_RSEQ,
	SIP_HDR_SERVER,
	SIP_HDR_SESSION_EXPIRES,      /* x */
	SIP_HDR_SUBJECT,	      /* s */
	SIP_HDR_SUBSCRIPTION_STATE,
	SIP_HDR_SUPPORTED,	      /* k */
	SIP_HDR_TIMESTAMP,
	SIP_HDR_TO,		      /* t */
	SIP_HDR_UNSUPPORTED,
	SIP_HDR_USER_AGENT,
	SIP_HDR_VIA,		      /* v */
	SIP_HDR_WARNING,
	SIP_HDR_WWW_AUTHENTICATE,
	SIP_HDR_NUM
};

enum sip_method {
	SIP_METHOD_OTHER = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
	SIP_METHOD_PRACK,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_PUBLISH,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_UPDATE,
};

enum sip_scheme {
	SIP_SCHEME_OTHER = 0, /* any absoluteURI: kept opaque */
	SIP_SCHEME_SIP,
	SIP_SCHEME_SIPS,
	SIP_SCHEME_TEL,
};

/* A URI. For SIP/SIPS every part is filled; for TEL and other schemes only
 * scheme and opaque (and params for TEL). Views keep their escapes. */
struct sip_uri {
	enum sip_scheme scheme;
	struct strv scheme_s;
	struct strv user;     /* empty if no userinfo */
	struct strv password;
	struct strv host;     /* IPv6 references without the brackets */
	bool host_v6;
	uint16_t port;	      /* 0 = absent */
	struct strv params;   /* "a=b;lr" (after the first ';'), up to '?' */
	struct strv headers;  /* "h=v&h2=v2" (after '?') */
	struct strv opaque;   /* TEL/other: everything after "scheme:" */
	struct strv raw;      /* the whole URI */
};

/* name-addr or addr-spec with the header parameters after it (From, To,
 * Contact, Route, Record-Route, Reply-To, Refer-To ...). */
struct sip_addr {
	struct strv dname;    /* display name: inside the quotes if quoted */
	bool dname_quoted;    /* then dname may hold \-escapes */
	bool bracketed;	      /* URI was inside <> */
	struct sip_uri uri;
	struct strv params;   /* "tag=x;q=0.5" (after the first ';') */
	struct strv tag;      /* value of the tag parameter, if any */
	struct strv raw;      /* the whole value */
};

/* One Via value (RFC 3261 20.42, RFC 3581 rport). */
struct sip_via {
	struct strv transport; /* "UDP", "TCP", "TLS", ... as received */
	struct strv host;      /* IPv6 without brackets */
	bool host_v6;
	uint16_t port;	       /* 0 = absent */
	struct strv branch;    /* value, may be empty (RFC 4475 3.2.1) */
	struct strv received;  /* as sent (IPv6 may be bracketed) */
	struct strv maddr;
	int32_t rport;	       /* -1 absent, 0 without value, else port */
	int16_t ttl;	       /* -1 absent */
	struct strv params;    /* all params (after the first ';') */
	struct strv raw;       /* the whole via-parm */
};

struct sip_cseq {
	uint32_t num;
	struct strv method;
	enum sip_method meth;
};

/* Header flags */
#define SIP_HDRF_FOLDED 0x1 /* val contains CRLF+WSP line folding */

struct sip_hdr {
	struct strv name;     /* as received (long or compact, any case) */
	struct strv val;      /* LWS-trimmed value; may be empty */
	uint32_t next;	      /* next same-id header (index+1), 0: none */
	uint16_t id;	      /* enum sip_hdr_id */
	uint16_t flags;	      /* SIP_HDRF_* */
};

struct sip_msg {
	struct strv raw;	/* start line, headers, body as parsed */
	bool req;
	/* request line */
	struct strv method;
	enum sip_method meth;
	struct sip_uri ruri;
	/* status line */
	uint16_t scode;
	struct strv reason;	/* may be empty, hold escapes, UTF-8 */

	struct sip_hdr *hdrv;	/* all headers in order (same block) */
	uint32_t hdrc;
	uint32_t hfirst[SIP_HDR_NUM]; /* index + 1 of the first of each id */
	uint16_t hcount[SIP_HDR_NUM]; /* instances (lines) of each id, capped */

	/* typed headers, valid after a successful sip_msg_parse() only;
	 * with several instances of a single-value header, the first */
	struct sip_via via;	/* the top Via value */
	uint32_t nvia;		/* Via values (over all Via lines) */
	struct sip_addr from, to;
	struct strv call_id;
	struct sip_cseq cseq;
	int16_t max_fwd;	/* -1 absent */
	bool has_expires;
	uint32_t expires;	/* malformed or overlarge: 3600 (RFC 4475) */
	bool has_clen;
	uint32_t clen;
	struct strv ctype;	/* Content-Type value, verbatim */
	uint32_t ncontact;	/* Contact values (over all Contact lines) */
	bool contact_star;	/* "Contact: *" */
	struct strv body;	/* CL bytes (datagram without CL: rest) */
};

/* Parse flags */
#define SIP_PARSE_STREAM 0x1 /* from TCP/TLS: Content-Length is mandatory */

/* Parse error detail: a short static text, usable as a 400 reason phrase
 * ("Bad CSeq", "Malformed Via" ...), and the status to answer with (400,
 * or 505 for an unsupported SIP version). */
struct sip_perr {
	const char *reason;
	uint16_t scode;
};

/*
 * Parse one message from @data/@len (one UDP datagram, or exactly one
 * message cut by sip_frame_next()). On success *@mp gets a new mem object
 * (release with mem_deref). A grammar violation returns -EBADMSG and fills
 * @err (may be NULL); -ENOMEM on allocation failure. Bytes after the body
 * (a datagram's trailing octets) are ignored, never parsed (RFC 3261 18.3).
 */
int sip_msg_parse(struct sip_msg **mp, const void *data, size_t len,
		  unsigned flags, struct sip_perr *err);

/*
 * For a message sip_msg_parse() refused: split it leniently (request line
 * and header lines only, nothing typed) so that a 400 can still be built
 * from it. 0 and *@mp set only if it is a request that carries Via, From,
 * To, Call-ID and CSeq lines (sip_msg_answerable() is then true); else
 * -EBADMSG. The result has hdrv/hfirst/method/raw and nothing typed.
 */
int sip_msg_salvage(struct sip_msg **mp, const void *data, size_t len);

/* True if @m is a request with Via, From, To, Call-ID and CSeq lines. */
bool sip_msg_answerable(const struct sip_msg *m);

/*
 * The checks a UA adds on top of the grammar (RFC 3261 8.1.1, 8.2.2): the
 * mandatory headers are present and the single-value ones appear once.
 * 0, or -EBADMSG with @err set ("Missing Call-ID", "Duplicate To" ...).
 */
int sip_msg_check(const struct sip_msg *m, struct sip_perr *err);

/* First header with @id, or NULL. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m,
				  enum sip_hdr_id id);
/* Next header with the same id as @h, or NULL. */
const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *h);
/* First header named @name (case-insensitive; for unknown headers). */
const struct sip_hdr *sip_msg_hdr_name(const struct sip_msg *m,
				       struct strv name);

/*
 * Iterate the comma-separated values of all @id headers of @m: *@pos starts
 * at 0; returns true and sets @val (trimmed) for each value. Commas inside
 * quoted strings and <> do not split. For Via, Contact, Route, Record-Route,
 * Allow, Supported, Require ... (not for headers whose values contain
 * commas, such as Date or Authorization).
 */
bool sip_msg_values(const struct sip_msg *m, enum sip_hdr_id id,
		    uint64_t *pos, struct strv *val);

/* Every Via value in order, decoded (valid after sip_msg_parse). */
bool sip_msg_via_next(const struct sip_msg *m, uint64_t *pos,
		      struct sip_via *via);
/* Every Contact (or Route, Record-Route) value in order, decoded. */
bool sip_msg_addr_next(const struct sip_msg *m, enum sip_hdr_id id,
		       uint64_t *pos, struct sip_addr *addr);

/* true if a token-list header (Require, Supported, Allow, Unsupported,
 * Proxy-Require) of @m names @tok (case-insensitive). */
bool sip_msg_has_token(const struct sip_msg *m, enum sip_hdr_id id,
		       const char *tok);

/* --- headers and values (hdr.c) ---------------------------------------- */

/* Header id of a header name (long or compact form, any case). */
enum sip_hdr_id sip_hdr_lookup(const char *name, size_t len);
/* Canonical long name of @id ("Call-ID"); "" for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr_id id);

/* Method enum of a method token (case-sensitive, RFC 3261 7.1). */
enum sip_method sip_method_lookup(struct strv m);
const char *sip_method_str(enum sip_method m);

/*
 * Copy @v into @dst (size @n, NUL-terminated), replacing each line fold
 * (optional WSP, CRLF, WSP) with one SP. Returns the length written, or
 * -ENOSPC if it does not fit.
 */
int sip_unfold(struct strv v, char *dst, size_t n);

/*
 * Decode %HEX HEX escapes of @v into @dst (size @n, NUL-terminated; the
 * result may hold NULs, so use the returned length). Not recursive.
 * Returns the length, -EBADMSG on a broken escape, -ENOSPC if cut.
 */
int sip_unescape(struct strv v, char *dst, size_t n);

/*
 * Walk a parameter list "a=b;c;d=\"q\"" (as in sip_uri.params,
 * sip_addr.params, sip_via.params): returns true with @name and @val
 * (empty if no value; quotes kept) for each, advancing @rest.
 */
bool sip_param_next(struct strv *rest, struct strv *name, struct strv *val);
/* Find parameter @name (case-insensitive): true and @val (may be NULL). */
bool sip_param_get(struct strv params, const char *name, struct strv *val);

/* --- typed decoders (uri.c, addr.c, via.c) ---------------------------- */

/* Decode a whole URI (no surrounding LWS). 0 or -EBADMSG. */
int sip_uri_decode(struct sip_uri *u, struct strv v);
/* Decode one name-addr/addr-spec with params (a whole value). */
int sip_addr_decode(struct sip_addr *a, struct strv v);
/* Decode one via-parm (a whole value). */
int sip_via_decode(struct sip_via *v, struct strv val);

/* --- printing and building (print.c) ---------------------------------- */

/* Re-print @m: start line, each header as "name: value" (folds kept), an
 * empty line and the body. Re-parsing gives the same message. */
int sip_msg_print(struct buf *b, const struct sip_msg *m);

struct sip_resp_params {
	uint16_t scode;
	const char *reason;	/* NULL: sip_reason(scode) */
	struct strv to_tag;	/* added to To unless To already has a tag */
	struct strv hdrs;	/* extra "Name: value\r\n" lines, verbatim */
	struct strv ctype;	/* Content-Type if body is set */
	struct strv body;
};

/*
 * Append a response to request @req (parsed or salvaged): Via lines,
 * From, To (+tag), Call-ID, CSeq copied as received (RFC 3261 8.2.6.2),
 * then @p->hdrs, Content-Type and Content-Length, the body.
 * 0, -EINVAL (not a request, or code outside 100-699), or a buf error.
 */
int sip_resp_print(struct buf *b, const struct sip_msg *req,
		   const struct sip_resp_params *p);

struct sip_req_params {
	struct strv method;
	struct strv ruri;
	struct strv transport;	/* Via transport: "UDP", "TCP", "TLS" */
	struct strv sent_by;	/* "host:port" or "[v6]:port" */
	struct strv branch;	/* full branch, "z9hG4bK..." */
	bool rport;		/* add ;rport (RFC 3581) */
	struct strv from;	/* name-addr, e.g. "<sip:a@b>" */
	struct strv from_tag;
	struct strv to;
	struct strv to_tag;	/* empty outside a dialog */
	struct strv call_id;
	uint32_t cseq;
	uint8_t max_fwd;
	struct strv contact;	/* name-addr or empty */
	struct strv hdrs;	/* extra "Name: value\r\n" lines */
	struct strv ctype;
	struct strv body;
};

/* Append a request built from @p (CSeq method = @p->method). 0, -EINVAL
 * on a missing mandatory part, or a buf error. */
int sip_req_print(struct buf *b, const struct sip_req_params *p);

/* Default reason phrase of a status code ("Not Found"); "" if unknown. */
const char *sip_reason(uint16_t scode);

/* --- stream framing (frame.c) ----------------------------------------- */

struct sip_frame {
	size_t skip;	/* leading CRLF keepalive bytes to drop first */
	unsigned pings; /* CRLFCRLF pings among them: answer each with CRLF
			 * (RFC 5626 4.4.1) */
	size_t len;	/* bytes of the complete message after @skip */
};

/*
 * Find the next message in a stream buffer (TCP/TLS): @data/@len is what
 * has been received and not consumed yet. Returns 0 with @f->len set when
 * data[skip, skip + len) is one whole message (headers + Content-Length
 * body); -EAGAIN if more bytes are needed (@f->skip may still be > 0);
 * -EMSGSIZE if the message is or will be larger than @max bytes;
 * -EBADMSG if Content-Length is missing, malformed, negative, repeated
 * with different values, or the header section is not CRLF-framed. The
 * last three are unrecoverable: close the connection.
 */
int sip_frame_next(const void *data, size_t len, size_t max,
		   struct sip_frame *f);

#endif
