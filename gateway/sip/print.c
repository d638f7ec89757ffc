// SPDX-License-Identifier: GPL-2.0
/* Printing messages: a parsed one back to bytes, a response to a request
 * (RFC 3261 8.2.6), a request from its parts (8.1.1). */
#include <errno.h>
#include <string.h>

#include "scan.h"

/* A print in progress: the first error sticks and later puts do nothing,
 * so builders read straight through; on error the buffer is rolled back. */
struct pb {
	struct buf *b;
	size_t len0;
	int err;
};

static void put(struct pb *pb, struct strv v)
{
	if (!pb->err)
		pb->err = buf_append(pb->b, v.p, v.l);
}

static void puts_(struct pb *pb, const char *s)
{
	put(pb, strv_of(s));
}

static void putu(struct pb *pb, unsigned long n)
{
	if (!pb->err)
		pb->err = buf_printf(pb->b, "%lu", n);
}

static void hdr(struct pb *pb, const char *name, struct strv val)
{
	puts_(pb, name);
	puts_(pb, ": ");
	put(pb, val);
	puts_(pb, "\r\n");
}

static int done(struct pb *pb)
{
	if (pb->err)
		pb->b->len = pb->len0;
	return pb->err;
}

static struct strv start_line(const struct sip_msg *m)
{
	const char *cr = memchr(m->raw.p, '\r', m->raw.l);

	return (struct strv){ m->raw.p, cr ? (size_t)(cr - m->raw.p) : 0 };
}

int sip_msg_print(struct buf *b, const struct sip_msg *m)
{
	struct pb pb = { b, b->len, 0 };

	/* the start line was checked by the parser: print it as received */
	put(&pb, start_line(m));
	puts_(&pb, "\r\n");
	for (uint32_t i = 0; i < m->hdrc; i++) {
		put(&pb, m->hdrv[i].name);
		puts_(&pb, ": ");
		put(&pb, m->hdrv[i].val);
		puts_(&pb, "\r\n");
	}
	puts_(&pb, "\r\n");
	put(&pb, m->body);
	return done(&pb);
}

static void body(struct pb *pb, struct strv ctype, struct strv b)
{
	if (b.l && ctype.l)
		hdr(pb, "Content-Type", ctype);
	puts_(pb, "Content-Length: ");
	putu(pb, b.l);
	puts_(pb, "\r\n\r\n");
	put(pb, b);
}

int sip_resp_print(struct buf *b, const struct sip_msg *req,
		   const struct sip_resp_params *p)
{
	struct pb pb = { b, b->len, 0 };
	const char *reason = p->reason ? p->reason : sip_reason(p->scode);
	const struct sip_hdr *h;

	if (!req->req || p->scode < 100 || p->scode > 699)
		return -EINVAL;
	puts_(&pb, "SIP/2.0 ");
	putu(&pb, p->scode);
	puts_(&pb, " ");
	puts_(&pb, reason);
	puts_(&pb, "\r\n");
	/* every Via line, in order (8.2.6.2) */
	for (h = sip_msg_hdr(req, SIP_HDR_VIA); h; h = sip_msg_hdr_next(req, h))
		hdr(&pb, "Via", h->val);
	h = sip_msg_hdr(req, SIP_HDR_FROM);
	if (h)
		hdr(&pb, "From", h->val);
	h = sip_msg_hdr(req, SIP_HDR_TO);
	if (h) {
		struct sip_addr to;

		puts_(&pb, "To: ");
		put(&pb, h->val);
		/* decoded here, not taken from req->to, so that a salvaged
		 * request works too; a broken To gets no tag */
		if (p->to_tag.l && !sip_addr_decode(&to, h->val) &&
		    !to.tag.p) {
			puts_(&pb, ";tag=");
			put(&pb, p->to_tag);
		}
		puts_(&pb, "\r\n");
	}
	h = sip_msg_hdr(req, SIP_HDR_CALL_ID);
	if (h)
		hdr(&pb, "Call-ID", h->val);
	h = sip_msg_hdr(req, SIP_HDR_CSEQ);
	if (h)
		hdr(&pb, "CSeq", h->val);
	put(&pb, p->hdrs);
	body(&pb, p->ctype, p->body);
	return done(&pb);
}

int sip_req_print(struct buf *b, const struct sip_req_params *p)
{
	struct pb pb = { b, b->len, 0 };

	if (!p->method.l || !p->ruri.l || !p->transport.l || !p->sent_by.l ||
	    !p->branch.l || !p->from.l || !p->from_tag.l || !p->to.l ||
	    !p->call_id.l)
		return -EINVAL;
	put(&pb, p->method);
	puts_(&pb, " ");
	put(&pb, p->ruri);
	puts_(&pb, " SIP/2.0\r\nVia: SIP/2.0/");
	put(&pb, p->transport);
	puts_(&pb, " ");
	put(&pb, p->sent_by);
	puts_(&pb, ";branch=");
	put(&pb, p->branch);
	if (p->rport)
		puts_(&pb, ";rport");
	puts_(&pb, "\r\nMax-Forwards: ");
	putu(&pb, p->max_fwd);
	puts_(&pb, "\r\nFrom: ");
	put(&pb, p->from);
	puts_(&pb, ";tag=");
	put(&pb, p->from_tag);
	puts_(&pb, "\r\nTo: ");
	put(&pb, p->to);
	if (p->to_tag.l) {
		puts_(&pb, ";tag=");
		put(&pb, p->to_tag);
	}
	puts_(&pb, "\r\nCall-ID: ");
	put(&pb, p->call_id);
	puts_(&pb, "\r\nCSeq: ");
	putu(&pb, p->cseq);
	puts_(&pb, " ");
	put(&pb, p->method);
	puts_(&pb, "\r\n");
	if (p->contact.l)
		hdr(&pb, "Contact", p->contact);
	put(&pb, p->hdrs);
	body(&pb, p->ctype, p->body);
	return done(&pb);
}

const char *sip_reason(uint16_t scode)
{
	switch (scode) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 181: return "Call Is Being Forwarded";
	case 182: return "Queued";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 202: return "Accepted";
	case 300: return "Multiple Choices";
	case 301: return "Moved Permanently";
	case 302: return "Moved Temporarily";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 407: return "Proxy Authentication Required";
	case 408: return "Request Timeout";
	case 410: return "Gone";
	case 413: return "Request Entity Too Large";
	case 415: return "Unsupported Media Type";
	case 416: return "Unsupported URI Scheme";
	case 420: return "Bad Extension";
	case 421: return "Extension Required";
	case 423: return "Interval Too Brief";
	case 480: return "Temporarily Unavailable";
	case 481: return "Call/Transaction Does Not Exist";
	case 482: return "Loop Detected";
	case 483: return "Too Many Hops";
	case 484: return "Address Incomplete";
	case 485: return "Ambiguous";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 488: return "Not Acceptable Here";
	case 491: return "Request Pending";
	case 500: return "Server Internal Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Server Time-out";
	case 505: return "Version Not Supported";
	case 513: return "Message Too Large";
	case 600: return "Busy Everywhere";
	case 603: return "Decline";
	case 604: return "Does Not Exist Anywhere";
	case 606: return "Not Acceptable";
	default: return "";
	}
}
