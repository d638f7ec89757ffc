// SPDX-License-Identifier: GPL-2.0
/* Stream framing for TCP/TLS (RFC 3261 18.3, RFC 5626 4.4.1 keepalives). */
#include <errno.h>
#include <string.h>

#include "scan.h"

static bool is_clen(const char *p, size_t n)
{
	static const char lc[] = "content-length";

	if (n == 1)
		return (p[0] | 0x20) == 'l';
	if (n != sizeof(lc) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) != lc[i])
			return false;
	return true;
}

/* Content-Length of the header lines [p, e) (each ends in CRLF). 0, or
 * -EBADMSG (missing, malformed, conflicting), -EMSGSIZE (> 4 GiB). */
static int find_clen(const char *p, const char *e, uint64_t *clen)
{
	bool seen = false;

	while (p < e) {
		const char *lend = memchr(p, '\n', (size_t)(e - p)), *q = p;
		struct sc s;
		uint64_t n;
		int r;

		if (!lend)
			return -EBADMSG;
		while (lend + 1 < e && (lend[1] == ' ' || lend[1] == '\t')) {
			lend = memchr(lend + 1, '\n', (size_t)(e - lend - 1));
			if (!lend)
				return -EBADMSG;
		}
		while (q < lend && sip_cis(*q, SIP_C_TOKEN))
			q++;
		if (is_clen(p, (size_t)(q - p))) {
			s = (struct sc){ q, lend };
			while (sc_more(&s) && (*s.p == ' ' || *s.p == '\t'))
				s.p++;
			if (!sc_eat(&s, ':'))
				return -EBADMSG;
			sc_lws(&s);
			r = strv_u64(sc_span(&s, SIP_C_DIGIT), UINT32_MAX, &n);
			if (r == -ERANGE)
				return -EMSGSIZE;
			sc_lws(&s);
			if (r || sc_more(&s) || (seen && n != *clen))
				return -EBADMSG;
			seen = true;
			*clen = n;
		}
		p = lend + 1;
	}
	return seen ? 0 : -EBADMSG;
}

int sip_frame_next(const void *data, size_t len, size_t max,
		   struct sip_frame *f)
{
	const char *b = data, *p = b, *e = b + len, *hend, *lf;
	size_t hlen, avail;
	uint64_t clen = 0;
	int r;

	memset(f, 0, sizeof(*f));
	/* CRLF keepalives between messages: CRLFCRLF pings, CRLF pongs */
	while (e - p >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	f->skip = (size_t)(p - b);
	f->pings = (unsigned)(f->skip / 4);
	avail = (size_t)(e - p);
	if (!avail || (avail == 1 && *p == '\r'))
		return -EAGAIN;
	hend = memmem(p, avail, "\r\n\r\n", 4);
	if (!hend)
		return avail > max ? -EMSGSIZE : -EAGAIN;
	hlen = (size_t)(hend + 4 - p);
	if (hlen > max)
		return -EMSGSIZE;
	/* skip the start line; header lines run up to hend + 2 */
	lf = memchr(p, '\n', hlen);
	r = find_clen(lf + 1, hend + 2, &clen);
	if (r)
		return r;
	if (clen > max - hlen)
		return -EMSGSIZE;
	if (avail - hlen < clen)
		return -EAGAIN;
	f->len = hlen + (size_t)clen;
	return 0;
}
