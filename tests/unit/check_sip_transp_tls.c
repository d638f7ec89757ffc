// SPDX-License-Identifier: GPL-2.0
/* gateway/sip/transp over TLS: a certificate made at test time, a
 * handshake and a request/response both ways, TLS 1.1 refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/sip/transp.h"
#include "tl_check.h"

static char cert_path[128], key_path[128];

/* a self-signed P-256 certificate for CN=trunkline.test */
static void make_cert(void)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	FILE *f;

	ck_assert_ptr_nonnull(pk);
	ck_assert_ptr_nonnull(x);
	snprintf(cert_path, sizeof(cert_path), "%s/sip-cert.pem", tl_tmpdir());
	snprintf(key_path, sizeof(key_path), "%s/sip-key.pem", tl_tmpdir());
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)"trunkline.test", -1,
				   -1, 0);
	X509_set_issuer_name(x, n);
	ck_assert_int_gt(X509_sign(x, pk, EVP_sha256()), 0);
	f = fopen(cert_path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_X509(f, x), 1);
	fclose(f);
	f = fopen(key_path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL),
			 1);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(pk);
}

struct got {
	int n, resp;
	struct sip_transp *t; /* borrowed */
	const char *version;
};

static void on_msg(struct sip_msg *m, const struct sip_src *src, void *arg)
{
	struct got *g = arg;
	struct buf b = { 0 };
	struct sip_resp_params rp = { .scode = 200, .to_tag = STRV("x") };

	if (!m->req) {
		g->resp++;
		return;
	}
	g->n++;
	ck_assert_int_eq(src->tp, SIP_TP_TLS);
	ck_assert_ptr_nonnull(src->conn);
	ck_assert(sip_conn_alive(src->conn));
	ck_assert_int_eq(sip_transp_resp_print(&b, m, src, &rp), 0);
	ck_assert_int_eq(sip_transp_send_resp(g->t, m, src, b.data, b.len), 0);
	buf_free(&b);
}

static struct sip_transp *mk(struct loop *l, struct got *g, bool server)
{
	struct sip_transp_params p = { .tls_cert = server ? cert_path : NULL,
				       .tls_key = server ? key_path : NULL };
	struct sip_transp *t = NULL;

	ck_assert_int_eq(sip_transp_new(&t, l, &p, on_msg, g), 0);
	g->t = t;
	return t;
}

static void pump(struct loop *l, const int *n, int want, int max_ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)max_ms;

	while (*n < want && loop_now_ms() < end)
		loop_poll(l, 5);
}

static const char opt[] =
	"OPTIONS sip:gw@trunkline.test SIP/2.0\r\n"
	"Via: SIP/2.0/TLS client.invalid;branch=z9hG4bK-tls1\r\n"
	"Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:gw@x>\r\n"
	"Call-ID: tls1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

START_TEST(tls_roundtrip)
{
	struct loop *l = loop_new();
	struct got gs = { 0 }, gc = { 0 };
	struct sip_transp *ts, *tc;
	struct sa a;
	enum sip_tp tp;
	struct sip_transp_stats st;

	make_cert();
	ts = mk(l, &gs, true);
	tc = mk(l, &gc, false);
	ck_assert_int_eq(sa_set_ip(&a, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(ts, SIP_TP_TLS, &a), 0);
	ck_assert_int_eq(sip_transp_listener(ts, 0, &tp, &a), 0);
	/* queued until connect and handshake are done */
	ck_assert_int_eq(sip_transp_send(tc, SIP_TP_TLS, &a, NULL, opt,
					 strlen(opt)),
			 0);
	pump(l, &gc.resp, 1, 3000);
	ck_assert_int_eq(gs.n, 1);
	ck_assert_int_eq(gc.resp, 1);
	sip_transp_stats(ts, &st);
	ck_assert_uint_eq(st.tls_fail, 0);
	ck_assert_uint_eq(st.conns, 1);
	mem_deref(tc);
	mem_deref(ts);
	mem_deref(l);
	unlink(cert_path);
	unlink(key_path);
}
END_TEST

/* a client that offers at most TLS 1.1 fails the handshake */
START_TEST(tls11_refused)
{
	struct loop *l = loop_new();
	struct got gs = { 0 };
	struct sip_transp *ts;
	struct sa a;
	enum sip_tp tp;
	SSL_CTX *ctx;
	SSL *ssl;
	int fd, r, zero = 0;
	bool ok = false;
	uint64_t end;
	struct sip_transp_stats st;

	make_cert();
	ts = mk(l, &gs, true);
	ck_assert_int_eq(sa_set_ip(&a, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(ts, SIP_TP_TLS, &a), 0);
	ck_assert_int_eq(sip_transp_listener(ts, 0, &tp, &a), 0);
	ctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(ctx);
	SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
	/* OpenSSL 3 needs level 0 to even offer TLS 1.1 */
	SSL_CTX_set_security_level(ctx, 0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert(!connect(fd, &a.u.sa, a.len) || errno == EINPROGRESS);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	SSL_set_connect_state(ssl);
	end = loop_now_ms() + 3000;
	while (loop_now_ms() < end) {
		loop_poll(l, 5);
		r = SSL_do_handshake(ssl);
		if (r == 1) {
			ok = true;
			break;
		}
		r = SSL_get_error(ssl, r);
		if (r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE)
			break;
	}
	ck_assert(!ok);
	pump(l, &zero, 1, 100);
	sip_transp_stats(ts, &st);
	ck_assert_uint_eq(st.tls_fail, 1);
	ck_assert_uint_eq(st.conns, 0);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	mem_deref(ts);
	mem_deref(l);
	unlink(cert_path);
	unlink(key_path);
}
END_TEST

/* a TLS listener without a certificate, or a bad file: refused */
START_TEST(tls_config_errors)
{
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct sip_transp *t = mk(l, &g, false);
	struct sip_transp_params p = { .tls_cert = "/nonexistent.pem",
				       .tls_key = "/nonexistent.pem" };
	struct sip_transp *bad = NULL;
	struct sa a;

	ck_assert_int_eq(sa_set_ip(&a, "127.0.0.1", 0), 0);
	ck_assert_int_eq(sip_transp_listen(t, SIP_TP_TLS, &a), -EINVAL);
	ck_assert_int_eq(sip_transp_new(&bad, l, &p, on_msg, &g), -EINVAL);
	ck_assert_ptr_null(bad);
	mem_deref(t);
	mem_deref(l);
}
END_TEST

Suite *sip_transp_tls_suite(void)
{
	Suite *s = suite_create("sip_transp_tls");
	TCase *tc = tl_tcase(s, "tls");

	tcase_add_test(tc, tls_roundtrip);
	tcase_add_test(tc, tls11_refused);
	tcase_add_test(tc, tls_config_errors);
	return s;
}
