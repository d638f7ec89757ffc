/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP transports (RFC 3261 18, RFC 3581): UDP, TCP and TLS over IPv4 and
 * IPv6, on one event loop.
 *
 * Received bytes become parsed messages handed to one receive handler;
 * bytes that do not parse are answered 400 (or 505) when the request can
 * still be answered (sip_msg_salvage), else dropped and counted. Streams
 * are framed by Content-Length with a size limit: a message over the limit
 * or a framing error closes that connection and nothing else. Connections
 * are reused for sending: a response goes back on the connection its
 * request came in on (18.2.2), a request to a peer reuses any live
 * connection to that address before opening a new one.
 *
 * The transaction layer sits on top: it gets requests and responses from
 * the receive handler and sends through sip_transp_send() and
 * sip_transp_send_resp().
 */
#ifndef TL_SIP_TRANSP_H
#define TL_SIP_TRANSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/sa.h"
#include "msg.h"

struct loop;
struct sip_transp;
struct sip_conn; /* a stream connection (mem object) */

enum sip_tp {
	SIP_TP_UDP = 0,
	SIP_TP_TCP,
	SIP_TP_TLS,
	SIP_TP_NUM
};

#define SIP_TRANSP_MAX_MSG_DEFAULT (64u * 1024)
#define SIP_TRANSP_IDLE_MS_DEFAULT (300u * 1000)
#define SIP_TRANSP_MAX_CONNS_DEFAULT 1024u
#define SIP_UDP_MAX 65535u

/* Where a message came from. */
struct sip_src {
	enum sip_tp tp;
	struct sa src;		/* the peer's address and port */
	struct sa local;	/* our socket's address and port */
	struct sip_conn *conn;	/* borrowed (mem_ref to keep); NULL: UDP */
};

struct sip_transp_params {
	size_t max_msg;		/* stream message limit; 0 = 64 KiB */
	uint64_t idle_ms;	/* close idle streams after; 0 = 300 s */
	unsigned max_conns;	/* stream connections at once; 0 = 1024 */
	const char *tls_cert;	/* PEM file: our certificate (chain) */
	const char *tls_key;	/* PEM file: its private key */
	const char *tls_ca;	/* PEM file of trusted CAs; NULL = system */
	bool tls_verify;	/* verify peers (clients and servers) */
	const char *server;	/* Server header of our own 400s, or NULL */
};

struct sip_transp_stats {
	uint64_t rx_msgs;	/* messages parsed and handed up */
	uint64_t rx_bytes;
	uint64_t tx_msgs;
	uint64_t tx_bytes;
	uint64_t tx_err;	/* sends that failed */
	uint64_t parse_err;	/* messages that did not parse */
	uint64_t bad_answered;	/* ... of which answered 400/505 */
	uint64_t dropped;	/* ... of which dropped unanswered */
	uint64_t frame_err;	/* streams closed for framing or size */
	uint64_t conns;		/* stream connections open now */
	uint64_t conns_total;	/* stream connections ever opened */
	uint64_t conns_refused;	/* accepts refused over max_conns */
	uint64_t conns_idle;	/* closed for idleness */
	uint64_t tls_fail;	/* TLS handshakes that failed */
	uint64_t pings;		/* CRLFCRLF keepalives answered */
};

/* A parsed message. @msg is borrowed: mem_ref it to keep it. */
typedef void(sip_transp_recv_h)(struct sip_msg *msg,
				const struct sip_src *src, void *arg);
/* Bytes that did not parse (@err says why), before the transport answers
 * or drops them. For logging and counting; may be NULL. */
typedef void(sip_transp_bad_h)(const void *data, size_t len,
			       const struct sip_perr *err,
			       const struct sip_src *src, void *arg);

/* An outgoing stream connection to @peer over @tp could not be set up
 * (the connect or the TLS handshake failed; @err a negative errno):
 * what was queued on it is lost, and the requests sent on it will get
 * no response. May be NULL. */
typedef void(sip_transp_fail_h)(enum sip_tp tp, const struct sa *peer,
				int err, void *arg);

/*
 * New transport on @loop (mem object). @p is copied (strings too); TLS
 * files are loaded here if tls_cert is set, so a bad file fails now
 * (-EINVAL, logged). @rh gets every parsed message; @arg goes to the
 * handlers.
 */
int sip_transp_new(struct sip_transp **tpp, struct loop *loop,
		   const struct sip_transp_params *p, sip_transp_recv_h *rh,
		   void *arg);

/* Change the Server header of the transport's own 400s (NULL: none). */
int sip_transp_set_server(struct sip_transp *t, const char *server);

/* Set the handler for unparseable input (NULL to clear). */
void sip_transp_set_bad_h(struct sip_transp *t, sip_transp_bad_h *bh);

/* Set the handler for failed outgoing connections (NULL to clear). */
void sip_transp_set_fail_h(struct sip_transp *t, sip_transp_fail_h *fh);

/*
 * Listen on @addr (IPv4 or IPv6; port 0 picks a free one, see
 * sip_transp_listener()) with transport @tp. TLS needs tls_cert and
 * tls_key in the params. 0 or a negative errno (-EADDRINUSE ...).
 */
int sip_transp_listen(struct sip_transp *t, enum sip_tp tp,
		      const struct sa *addr);

/* Number of listeners, and the @i-th one's transport and bound address. */
size_t sip_transp_nlisteners(const struct sip_transp *t);
int sip_transp_listener(const struct sip_transp *t, size_t i,
			enum sip_tp *tp, struct sa *addr);

/*
 * Send @data/@len (one whole message) to @dst over @tp. UDP: from our
 * listener of @dst's address family. Streams: on @conn if it is alive,
 * else on a live connection to @dst, else on a new one (connect, and for
 * TLS the handshake, happen on the loop: bytes queue until then). 0 when
 * sent or queued, or a negative errno (-EMSGSIZE over the size limits,
 * -EAFNOSUPPORT with no UDP listener of that family, -EMFILE over
 * max_conns ...).
 */
int sip_transp_send(struct sip_transp *t, enum sip_tp tp,
		    const struct sa *dst, struct sip_conn *conn,
		    const void *data, size_t len);

/*
 * Where a response to @req (received from @src) goes, RFC 3261 18.2.2
 * with RFC 3581: streams: back on src->conn while it is alive, else a new
 * connection to the source address and the sent-by port; UDP: maddr (a
 * numeric one) with the sent-by port, else the source address with the
 * rport (the source port) if the Via asked for it, else the sent-by port
 * (default 5060, 5061 for TLS); a top Via that does not decode: the
 * source address and port. 0 with @dst set, or -EHOSTUNREACH (a maddr
 * that is not a numeric address: we do not resolve names here).
 */
int sip_transp_resp_dst(const struct sip_msg *req, const struct sip_src *src,
			struct sa *dst);

/* Send a response (one whole message) to @req per sip_transp_resp_dst. */
int sip_transp_send_resp(struct sip_transp *t, const struct sip_msg *req,
			 const struct sip_src *src, const void *data,
			 size_t len);

/*
 * Print a response to @req like sip_resp_print(), with the top Via
 * completed as RFC 3261 18.2.1 and RFC 3581 ask: "received=" the source
 * address when it differs from the sent-by host (or rport was asked) and
 * "rport=" the source port when the Via had a bare rport.
 */
int sip_transp_resp_print(struct buf *b, const struct sip_msg *req,
			  const struct sip_src *src,
			  const struct sip_resp_params *p);

/*
 * Our address towards @dst for transport @tp (gateway/sip/transp_local.c):
 * the first listener of @tp and @dst's family; for one bound to the
 * wildcard address, the source address the kernel routes @dst from, with
 * the listener's port. 0, -ENOENT (no such listener), or the socket
 * error of the route lookup.
 */
int sip_transp_local_for(const struct sip_transp *t, enum sip_tp tp,
			 const struct sa *dst, struct sa *out);

/* The SIP URI parameter naming @tp: "", ";transport=tcp", ";transport=tls". */
const char *sip_tp_uri_param(enum sip_tp tp);

/* Our sent-by ("host:port", "[v6]:port") for @tp and address family @af
 * (AF_UNSPEC: any), from the first matching listener. 0 or -ENOENT. */
int sip_transp_sent_by(const struct sip_transp *t, enum sip_tp tp, int af,
		       char *out, size_t n);

/*
 * A To tag for a response sent without transaction state (RFC 3261
 * 8.2.6.2, 8.2.7): the same request (and its retransmissions) always gets
 * the same tag; different requests get different ones. 16 hex digits into
 * @out (@n >= 17). 0 or -ENOSPC.
 */
int sip_stateless_tag(const struct sip_msg *req, char *out, size_t n);

/* A copy of the counters. */
void sip_transp_stats(const struct sip_transp *t,
		      struct sip_transp_stats *st);

/* True while @c can carry bytes. */
bool sip_conn_alive(const struct sip_conn *c);
/* Close @c now (its queued bytes are lost); a no-op when already closed. */
void sip_conn_close(struct sip_conn *c);

/* "UDP", "TCP", "TLS". */
const char *sip_tp_name(enum sip_tp tp);
/* "udp"/"UDP" ... -> transport; -EINVAL if unknown. */
int sip_tp_parse(struct strv s);
/* Default port of @tp: 5060, or 5061 for TLS. */
uint16_t sip_tp_port(enum sip_tp tp);

#endif
