// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the Digest header parsers. The input is a header
 * value: every challenge in it is parsed (views must stay inside the
 * input), and it is parsed as credentials. Then it goes into a 401 for
 * the client (which must either refuse or answer with lines the
 * credentials parser accepts) and into an Authorization header for the
 * server (which must not authenticate a made-up answer). Never crashes or
 * leaks.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct strv v, const char *p, size_t n)
{
	if (v.p && (v.p < p || v.p + v.l > p + n))
		abort();
}

static int lookup(const char *user, const char *realm, enum sip_auth_alg alg,
		  struct sip_auth_secret *s, void *arg)
{
	(void)user;
	(void)realm;
	(void)alg;
	(void)arg;
	memcpy(s->password, "pw", 3);
	return 0;
}

static void parsers(const char *p, size_t n)
{
	struct strv rest = { p, n };
	struct sip_auth_chal c;
	struct sip_auth_cred cr;
	char tmp[64];
	int err, guard = 0;

	while ((err = sip_auth_chal_next(&rest, &c)) == 0) {
		inside(c.realm, p, n);
		inside(c.nonce, p, n);
		inside(c.opaque, p, n);
		inside(rest, p, n);
		(void)sip_auth_unq(c.realm, tmp, sizeof(tmp));
		if (++guard > (int)n + 1)
			abort();	/* no progress: an endless loop */
	}
	if (err != -ENOENT && err != -EBADMSG)
		abort();
	err = sip_auth_cred_parse((struct strv){ p, n }, &cr);
	if (err == 0) {
		inside(cr.username, p, n);
		inside(cr.response, p, n);
		if (cr.response.l == 0 || (cr.has_qop && !cr.cnonce.p))
			abort();
	} else if (err != -EBADMSG && err != -ENOTSUP) {
		abort();
	}
}

/* Only header-safe bytes go into a message, so that it parses. */
static bool line_safe(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\r' || p[i] == '\n' || p[i] == '\0')
			return false;
	return true;
}

static void client(const char *p, size_t n)
{
	struct sip_auth_cli *c = NULL;
	struct sip_msg *m = NULL;
	struct buf b = { 0 }, h = { 0 };

	buf_printf(&b,
		   "SIP/2.0 401 Unauthorized\r\n"
		   "Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-f\r\n"
		   "From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>;tag=2\r\n"
		   "Call-ID: f\r\nCSeq: 1 INVITE\r\n"
		   "WWW-Authenticate: %.*s\r\nContent-Length: 0\r\n\r\n",
		   (int)n, p);
	if (sip_msg_parse(&m, b.data, b.len, 0, NULL))
		goto out;
	if (sip_auth_cli_alloc(&c, "u", "pw"))
		goto out;
	if (sip_auth_cli_challenge(c, m) == 0) {
		struct sip_auth_cred cr;
		const char *e;

		if (sip_auth_cli_hdrs(c, &h, STRV("INVITE"), STRV("sip:b@b")))
			abort();
		e = memchr(h.data, '\r', h.len);
		if (!e || h.len < 15 ||
		    sip_auth_cred_parse((struct strv){ (char *)h.data + 15,
					(size_t)(e - (char *)h.data) - 15 },
					&cr))
			abort();
	}
out:
	mem_deref(c);
	mem_deref(m);
	buf_free(&b);
	buf_free(&h);
}

static void server(const char *p, size_t n)
{
	static struct sip_auth_srv *s;
	struct sip_auth_srv_params sp = { .realm = "r", .lookup = lookup };
	struct sip_msg *m = NULL;
	struct buf b = { 0 };

	if (!s && sip_auth_srv_alloc(&s, &sp))
		abort();
	buf_printf(&b,
		   "INVITE sip:b@b SIP/2.0\r\n"
		   "Via: SIP/2.0/UDP 198.18.0.1;branch=z9hG4bK-f\r\n"
		   "From: <sip:a@b>;tag=1\r\nTo: <sip:b@b>\r\n"
		   "Call-ID: f\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
		   "Authorization: %.*s\r\nContent-Length: 0\r\n\r\n",
		   (int)n, p);
	/* no nonce of ours can be guessed: never authenticated */
	if (!sip_msg_parse(&m, b.data, b.len, 0, NULL) &&
	    sip_auth_srv_verify(s, m, false, NULL) == 0)
		abort();
	mem_deref(m);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	/* a private copy: an overread past the value is caught by ASan */
	if (!p)
		return 0;
	memcpy(p, data, size);
	parsers(p, size);
	if (size < 2048 && line_safe(p, size)) {
		client(p, size);
		server(p, size);
	}
	free(p);
	return 0;
}
