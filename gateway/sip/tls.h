/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS for SIP streams (RFC 3261 26.3.1, RFC 5630): an OpenSSL context
 * limited to TLS 1.2 and 1.3, with our certificate and key, and optional
 * peer verification. Internal to the transport.
 */
#ifndef TL_SIP_TLS_H
#define TL_SIP_TLS_H

#include <stdbool.h>

#include <openssl/ssl.h>

struct sip_tls; /* mem object */

struct sip_tls_params {
	const char *cert; /* PEM: certificate (chain); NULL = client only */
	const char *key;  /* PEM: private key */
	const char *ca;	  /* PEM: trusted CAs; NULL = the system's */
	bool verify;	  /* servers: demand a client certificate too */
};

/* New context from @p. 0, or -EINVAL (files unusable, logged), -ENOMEM. */
int sip_tls_new(struct sip_tls **tlsp, const struct sip_tls_params *p);

/* An SSL for a connected non-blocking @fd, as server or client; NULL on
 * failure. The caller SSL_free()s it. */
SSL *sip_tls_ssl(struct sip_tls *tls, int fd, bool server);

/* True if the context has a certificate (can serve). */
bool sip_tls_can_serve(const struct sip_tls *tls);

/* Text of the last OpenSSL error on this thread (and clear the queue). */
const char *sip_tls_err(char *buf, size_t n);

#endif
