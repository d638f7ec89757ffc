/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to the transport files (transp*.c). */
#ifndef TL_SIP_TRANSP_PRIV_H
#define TL_SIP_TRANSP_PRIV_H

#include <openssl/ssl.h>

#include "../base/list.h"
#include "../base/loop.h"
#include "tls.h"
#include "transp.h"

/* UDP datagrams read per recvmmsg() call */
#define SIP_UDP_BATCH 16

struct sip_lsnr {
	struct le le;
	struct sip_transp *t;	/* borrowed: the owner */
	enum sip_tp tp;
	int fd;
	struct sa addr;		/* bound address (real port) */
};

struct sip_transp {
	struct loop *loop;	/* borrowed: outlives the transport */
	struct sip_transp_params p;	/* strings below are owned */
	char *cert, *key, *ca, *server;
	struct sip_tls *tls;	/* owned; NULL until TLS is needed */
	sip_transp_recv_h *rh;
	sip_transp_bad_h *bh;
	sip_transp_fail_h *fh;
	void *arg;
	struct list lsnrs;	/* struct sip_lsnr, owned */
	struct list conns;	/* struct sip_conn: the list holds one ref */
	struct sip_transp_stats st;
	uint8_t *udp_buf;	/* SIP_UDP_BATCH x (SIP_UDP_MAX + 1) */
};

struct sip_conn {
	struct le le;		/* in t->conns while alive */
	struct sip_transp *t;	/* borrowed; NULL once closed */
	enum sip_tp tp;
	int fd;			/* -1 once closed */
	bool server;		/* accepted (else we connected) */
	bool connecting;	/* TCP connect() in progress */
	bool handshaking;	/* TLS handshake in progress */
	bool want_write;	/* EPOLLOUT requested */
	SSL *ssl;		/* owned; TLS only */
	struct sa peer, local;
	struct buf rx, tx;
	struct tmr idle;
};

/* transp.c: hand received bytes up (parse, answer or drop). */
void sip_transp_input(struct sip_transp *t, const void *data, size_t len,
		      unsigned flags, const struct sip_src *src);
/* transp.c: set a socket non-blocking and close-on-exec. */
int sip_transp_fd_setup(int fd);

/* transp_udp.c */
int sip_udp_listen(struct sip_transp *t, struct sip_lsnr *l);
int sip_udp_send(struct sip_transp *t, const struct sa *from,
		 const struct sa *dst, const void *data, size_t len);

/* transp_tcp.c (TCP and TLS) */
int sip_stream_listen(struct sip_transp *t, struct sip_lsnr *l);
int sip_stream_send(struct sip_transp *t, enum sip_tp tp,
		    const struct sa *dst, struct sip_conn *conn,
		    const void *data, size_t len);
/* Close every connection (transport teardown). */
void sip_stream_close_all(struct sip_transp *t);

#endif
