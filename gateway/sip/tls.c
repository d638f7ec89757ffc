// SPDX-License-Identifier: GPL-2.0
/* TLS contexts for SIP streams: TLS 1.2 and 1.3 only (RFC 8996 deprecates
 * 1.0 and 1.1), certificate and key from PEM files, optional verification. */
#include <errno.h>
#include <stdio.h>

#include <openssl/err.h>

#define LOG_TAG "sip-tls"
#include "../base/log.h"
#include "../base/mem.h"
#include "tls.h"

struct sip_tls {
	SSL_CTX *ctx;
	bool has_cert;
};

const char *sip_tls_err(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();

	if (!e)
		snprintf(buf, n, "unknown error");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

static void tls_destroy(void *arg)
{
	struct sip_tls *tls = arg;

	SSL_CTX_free(tls->ctx);
}

static int load_files(struct sip_tls *tls, const struct sip_tls_params *p)
{
	char eb[256];

	if (p->cert && *p->cert) {
		if (SSL_CTX_use_certificate_chain_file(tls->ctx, p->cert) !=
		    1) {
			LOGE("certificate %s: %s", p->cert,
			     sip_tls_err(eb, sizeof(eb)));
			return -EINVAL;
		}
		if (SSL_CTX_use_PrivateKey_file(tls->ctx,
						p->key && *p->key ? p->key :
								    p->cert,
						SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(tls->ctx) != 1) {
			LOGE("private key %s: %s", p->key ? p->key : p->cert,
			     sip_tls_err(eb, sizeof(eb)));
			return -EINVAL;
		}
		tls->has_cert = true;
	}
	if (p->ca && *p->ca) {
		if (SSL_CTX_load_verify_locations(tls->ctx, p->ca, NULL) != 1) {
			LOGE("CA file %s: %s", p->ca,
			     sip_tls_err(eb, sizeof(eb)));
			return -EINVAL;
		}
	} else if (p->verify &&
		   SSL_CTX_set_default_verify_paths(tls->ctx) != 1) {
		LOGW("no system CA store: %s", sip_tls_err(eb, sizeof(eb)));
	}
	return 0;
}

int sip_tls_new(struct sip_tls **tlsp, const struct sip_tls_params *p)
{
	struct sip_tls *tls = mem_zalloc(sizeof(*tls), tls_destroy);
	int err;

	if (!tls)
		return -ENOMEM;
	tls->ctx = SSL_CTX_new(TLS_method());
	if (!tls->ctx) {
		err = -ENOMEM;
		goto out;
	}
	if (SSL_CTX_set_min_proto_version(tls->ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(tls->ctx, TLS1_3_VERSION) != 1) {
		err = -EINVAL;
		goto out;
	}
	/* the transport keeps unsent bytes in its own buffer, which may
	 * move as it grows; a write may complete in parts */
	SSL_CTX_set_mode(tls->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
				   SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_options(tls->ctx, SSL_OP_NO_RENEGOTIATION);
	err = load_files(tls, p);
	if (err)
		goto out;
	SSL_CTX_set_verify(tls->ctx,
			   p->verify ? SSL_VERIFY_PEER |
					       SSL_VERIFY_FAIL_IF_NO_PEER_CERT :
				       SSL_VERIFY_NONE,
			   NULL);
	*tlsp = tls;
	return 0;
out:
	mem_deref(tls);
	return err;
}

SSL *sip_tls_ssl(struct sip_tls *tls, int fd, bool server)
{
	SSL *ssl = SSL_new(tls->ctx);

	if (!ssl)
		return NULL;
	if (SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		return NULL;
	}
	if (server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	return ssl;
}

bool sip_tls_can_serve(const struct sip_tls *tls)
{
	return tls->has_cert;
}
