/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP transaction layer (RFC 3261 section 17, RFC 6026 Accepted state).
 *
 * The layer sits between a transport and the transaction user (TU: dialogs,
 * registration, the call layer). The transport hands every parsed message
 * to sip_tsx_input(); the layer matches it to a client or server
 * transaction (17.1.3, 17.2.3, with the RFC 2543 fallback), runs the state
 * machines and their timers on the loop, and sends through two callbacks:
 * one for requests (to an address, or on a stream connection) and one for
 * responses, which the transport routes per RFC 3261 18.2.2 from the
 * request's top Via and where it came from.
 *
 * Requests that match no transaction create a server transaction and go to
 * the TU's request handler, except those the layer answers itself: CANCEL
 * (200 and a cancel event to the INVITE's TU, or 481; 9.2), merged
 * requests (482; 8.2.2.2) and Max-Forwards 0 (483; OPTIONS excepted, 11).
 *
 * Transactions are mem objects owned by the layer. Pointers handed to the
 * TU are borrowed; mem_ref() one to keep it past its documented lifetime.
 * Calls on a transaction that has terminated return -ESRCH.
 */
#ifndef TL_SIP_TSX_H
#define TL_SIP_TSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/loop.h"
#include "../base/sa.h"
#include "msg.h"
#include "transp.h" /* enum sip_tp, struct sip_src, struct sip_conn */

struct sip_tsx_layer;
struct sip_ctrans;
struct sip_strans;

/* Send @data/@len to @dst over @tp (on @conn if set, a borrowed stream
 * connection). 0 or a negative errno: an error is a transport error
 * (8.1.3.1, 17.1.4, 17.2.4). */
typedef int(sip_tsx_send_h)(void *arg, enum sip_tp tp, const struct sa *dst,
			    struct sip_conn *conn, const void *data,
			    size_t len);

/* Send response bytes for request @req received from @src, choosing the
 * destination per RFC 3261 18.2.2 (and RFC 3581 rport). 0 or -errno. */
typedef int(sip_tsx_resp_h)(void *arg, const struct sip_msg *req,
			    const struct sip_src *src, const void *data,
			    size_t len);

/* Print a response to @req from @src (sip_transp_resp_print() adds the
 * received and rport of 18.2.1 and RFC 3581). 0 or -errno. */
typedef int(sip_tsx_print_h)(struct buf *b, const struct sip_msg *req,
			     const struct sip_src *src,
			     const struct sip_resp_params *p);

/* A new server transaction for request @req. @st is borrowed for the
 * duration of the call; to answer later, mem_ref() it. Every request must
 * eventually get a final response through sip_strans_reply(). */
typedef void(sip_tsx_req_h)(struct sip_strans *st, const struct sip_msg *req,
			    const struct sip_src *src, void *arg);

struct sip_tsx_params {
	uint32_t t1, t2, t4;	/* ms; 0 = 500, 4000, 5000 (RFC 3261 17) */
	uint32_t td;		/* Timer D over UDP, ms; 0 = 32000 */
	sip_tsx_send_h *send;	/* required */
	sip_tsx_resp_h *send_resp; /* required */
	sip_tsx_req_h *reqh;	/* NULL: requests are left unconsumed */
	sip_tsx_print_h *print;	/* NULL: sip_resp_print() */
	void *arg;		/* for send, send_resp and reqh */
};

/*
 * Create a layer on @loop (borrowed; must outlive the layer). *@lp gets a
 * mem object; mem_deref() terminates every transaction without further
 * callbacks. 0, -EINVAL (no callbacks, or T1 > T2) or -ENOMEM.
 */
int sip_tsx_layer_new(struct sip_tsx_layer **lp, struct loop *loop,
		      const struct sip_tsx_params *p);

/*
 * Hand a message received from @src to the layer: @msg must come from
 * sip_msg_parse() (a mem object; server transactions keep a reference to
 * their request). Returns true if
 * the layer consumed it: a response matching a client transaction, a
 * request matching a server transaction (retransmission, ACK for non-2xx,
 * ACK for a 2xx the layer retransmits), or a new request that became a
 * server transaction. False: a response for no transaction, an ACK for no
 * transaction (the dialog layer's), a request without a usable top Via,
 * Call-ID or CSeq, or any new request when there is no request handler.
 */
bool sip_tsx_input(struct sip_tsx_layer *l, const struct sip_msg *msg,
		   const struct sip_src *src);

/* Change T1, T2, T4 (ms; 0 = the RFC default) on a config reload: new
 * timers use them, running transactions from their next step. 0, or
 * -EINVAL if T1 > T2 (nothing changed). */
int sip_tsx_set_timers(struct sip_tsx_layer *l, uint32_t t1, uint32_t t2,
		       uint32_t t4);

/* Transactions alive (client + server), for status and tests. */
size_t sip_tsx_count(const struct sip_tsx_layer *l);

/*
 * The transport could not reach @dst over @tp (a stream connection that
 * never came up): every client transaction sent there that has no
 * response yet fails at once with 503 to its TU (RFC 3261 8.1.3.1,
 * 17.1.4) instead of waiting for Timer B or F. Returns how many failed.
 */
unsigned sip_tsx_transport_failed(struct sip_tsx_layer *l, enum sip_tp tp,
				  const struct sa *dst);

/* Write a fresh branch ("z9hG4bK" + 16 random hex) into @buf (size >= 24).
 * Returns @buf. */
char *sip_tsx_branch(struct sip_tsx_layer *l, char *buf, size_t n);
/* Write a fresh tag (16 random hex) into @buf (size >= 17). Returns @buf. */
char *sip_tsx_tag(struct sip_tsx_layer *l, char *buf, size_t n);

/* --- client transactions (ctrans.c) ----------------------------------- */

/*
 * A response for client transaction @ct. @scode is the status code; @resp
 * is the response, or NULL when the layer made the result up: 408 on Timer
 * B or F (or 64*T1 after a CANCEL with no final answer; 9.1), 503 on a
 * transport error (8.1.3.1). After a final scode the handler is called
 * again only for further 2xx to an INVITE (RFC 6026: retransmissions and
 * forked answers, each to be ACKed by the TU).
 */
typedef void(sip_ctrans_h)(struct sip_ctrans *ct, uint16_t scode,
			   const struct sip_msg *resp, void *arg);

/* Where a client transaction sends its request. */
struct sip_ctrans_dest {
	enum sip_tp tp;
	struct sa dst;
	struct sip_conn *conn;	/* stream connection or NULL; ref taken */
};

/*
 * Start a client transaction sending request @data/@len (a complete
 * request, e.g. from sip_req_print(), whose top Via carries a z9hG4bK
 * branch unique to it; not ACK: an ACK for a 2xx is sent by the TU
 * directly). *@ctp (may be NULL) gets a borrowed pointer valid until the
 * handler has seen a final response; mem_ref() it to keep it longer.
 * 0, -EINVAL (not a parsable request, ACK, no branch), -ENOMEM, or the
 * send callback's error (then no transaction exists and @h is not called).
 */
int sip_ctrans_send(struct sip_ctrans **ctp, struct sip_tsx_layer *l,
		    const struct sip_ctrans_dest *d, const void *data,
		    size_t len, sip_ctrans_h *h, void *arg);

/*
 * Cancel the INVITE of @ct (RFC 3261 9.1): a CANCEL with the INVITE's
 * Request-URI, top Via, Route, Call-ID, From, To and CSeq number, sent in
 * its own non-INVITE client transaction. Before any provisional response
 * it is only remembered and goes out when the first one arrives. If no
 * final response follows within 64*T1, the handler gets 408. @hdrs: NULL,
 * or complete header lines ("Reason: ...\r\n") the CANCEL carries too
 * (RFC 3326); copied.
 * 0; -EINVAL (not an INVITE); -EALREADY (a final response has arrived or
 * a CANCEL was already asked for); -ESRCH (terminated); -ENOMEM.
 */
int sip_ctrans_cancel(struct sip_ctrans *ct, const char *hdrs);

/* Stop calling the handler of @ct (the TU is gone); the transaction keeps
 * running to absorb retransmissions and ACK non-2xx answers. */
void sip_ctrans_abandon(struct sip_ctrans *ct);

/* The request @ct sends (owned by @ct). */
const struct sip_msg *sip_ctrans_req(const struct sip_ctrans *ct);

/* --- server transactions (strans.c) ----------------------------------- */

enum sip_strans_ev {
	SIP_STRANS_CANCELLED,	/* a CANCEL matched (it got 200): answer 487 */
	SIP_STRANS_ACK,		/* the ACK for our 2xx arrived (@msg) */
	SIP_STRANS_NOACK,	/* no ACK for our final answer within 64*T1 */
	SIP_STRANS_TPERR,	/* the transport failed to send a response */
};

/* An event on server transaction @st; @msg is the CANCEL or ACK request,
 * or NULL. */
typedef void(sip_strans_h)(struct sip_strans *st, enum sip_strans_ev ev,
			   const struct sip_msg *msg, void *arg);

/* Receive events of @st (set in the request handler). Without a handler a
 * cancelled INVITE is answered 487 by the layer. */
void sip_strans_set_handler(struct sip_strans *st, sip_strans_h *h,
			    void *arg);

/*
 * Answer the request of @st with @p (built by the print callback). Every
 * answer but 100 carries a To tag (8.2.6.2): the request's own inside a
 * dialog, else @p->to_tag, else the one used before (also by the 200 to a
 * CANCEL), else a fresh one. A provisional keeps the transaction open; a
 * final one moves it to Completed (retransmitted with Timer G over UDP for
 * INVITE, held for Timer J for others) or, for a 2xx to INVITE, to
 * Accepted, where the layer retransmits the 2xx (T1 doubling to T2,
 * 13.3.1.4) until the ACK arrives (SIP_STRANS_ACK) or 64*T1 pass
 * (SIP_STRANS_NOACK).
 * 0; -EINVAL (code outside 100-699); -EALREADY (a final response was
 * sent); -ESRCH (terminated); -ENOMEM; or the send callback's error (the
 * transaction then terminates, 17.2.4).
 */
int sip_strans_reply(struct sip_strans *st, const struct sip_resp_params *p);

/* The request of @st (owned by @st) and where it came from. */
const struct sip_msg *sip_strans_req(const struct sip_strans *st);
const struct sip_src *sip_strans_src(const struct sip_strans *st);

#endif
