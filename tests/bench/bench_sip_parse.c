// SPDX-License-Identifier: GPL-2.0
/*
 * SIP parse throughput: Trunkline's parser against osip2's
 * (osip_message_parse) and sofia-sip's (msg_make with sip_default_mclass)
 * on the same bytes, one core (pinned to the first allowed CPU), in one
 * run. Each parser builds and frees its own message object per parse.
 * Prints messages/s and the ratio of ours to each of theirs.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ours first: sofia-sip's sip.h defines SIP_METHOD_* macros that would
 * rewrite our enum; nothing below uses either after this point */
#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"

#include <osipparser2/osip_parser.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef" /* sofia-sip's #if FOO */
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#pragma GCC diagnostic pop

static const char invite[] =
	"INVITE sip:+4930123456@gw.example.net:5060;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---"
	"9f3c0e1a2b;rport\r\n"
	"Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK77e1;"
	"received=198.51.100.7\r\n"
	"Max-Forwards: 69\r\n"
	"Record-Route: <sip:192.0.2.10;lr;ftag=as3f8a>\r\n"
	"Contact: <sip:alice@198.51.100.7:5060;transport=udp>\r\n"
	"To: <sip:+4930123456@gw.example.net;user=phone>\r\n"
	"From: \"Alice Example\" <sip:alice@pbx.example.com>;tag=as3f8a\r\n"
	"Call-ID: 4a9b7c2d1e0f3a5b6c7d8e9f@pbx.example.com\r\n"
	"CSeq: 102 INVITE\r\n"
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, "
	"NOTIFY, INFO, PUBLISH, MESSAGE, PRACK, UPDATE\r\n"
	"Supported: replaces, timer, 100rel\r\n"
	"Session-Expires: 1800;refresher=uac\r\n"
	"Min-SE: 90\r\n"
	"P-Asserted-Identity: \"Alice Example\" <sip:+4930987654@pbx."
	"example.com>\r\n"
	"User-Agent: Example PBX 18.2\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 297\r\n"
	"\r\n"
	"v=0\r\n"
	"o=root 1193312745 1193312745 IN IP4 198.51.100.7\r\n"
	"s=Example PBX\r\n"
	"c=IN IP4 198.51.100.7\r\n"
	"t=0 0\r\n"
	"m=audio 17268 RTP/AVP 8 0 18 101\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:18 G729/8000\r\n"
	"a=fmtp:18 annexb=no\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

static const char ok200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---"
	"9f3c0e1a2b;rport=5060;received=192.0.2.10\r\n"
	"Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK77e1;"
	"received=198.51.100.7\r\n"
	"Record-Route: <sip:192.0.2.10;lr;ftag=as3f8a>\r\n"
	"From: \"Alice Example\" <sip:alice@pbx.example.com>;tag=as3f8a\r\n"
	"To: <sip:+4930123456@gw.example.net;user=phone>;tag=tl-8c1f2e\r\n"
	"Call-ID: 4a9b7c2d1e0f3a5b6c7d8e9f@pbx.example.com\r\n"
	"CSeq: 102 INVITE\r\n"
	"Contact: <sip:gw@192.0.2.20:5060>\r\n"
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, PRACK, UPDATE\r\n"
	"Supported: timer, 100rel\r\n"
	"Session-Expires: 1800;refresher=uac\r\n"
	"Server: Trunkline\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

typedef int(parse_fn)(const char *s, size_t n);

static int tl_parse(const char *s, size_t n)
{
	struct sip_msg *m = NULL;
	int err = sip_msg_parse(&m, s, n, 0, NULL);

	mem_deref(m);
	return err;
}

static int osip_parse(const char *s, size_t n)
{
	osip_message_t *m = NULL;
	int err;

	if (osip_message_init(&m))
		return -1;
	err = osip_message_parse(m, s, n);
	osip_message_free(m);
	return err;
}

static int sofia_parse(const char *s, size_t n)
{
	msg_t *m = msg_make(sip_default_mclass(), 0, s, (ssize_t)n);
	int err = (!m || !sip_object(m) || sip_object(m)->sip_error) ? -1 : 0;

	msg_destroy(m);
	return err;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Best of 5 rounds of at least @secs each: messages per second. The
 * clock is read every 64 parses so it costs nothing measurable. */
static double rate(parse_fn *fn, const char *s, size_t n, double secs)
{
	double best = 0;

	for (int round = 0; round < 5; round++) {
		double t0 = now(), dt;
		long done = 0;

		do {
			for (int i = 0; i < 64; i++)
				fn(s, n);
			done += 64;
			dt = now() - t0;
		} while (dt < secs);
		if (done / dt > best)
			best = done / dt;
	}
	return best;
}

static void pin(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			sched_setaffinity(0, sizeof(set), &set);
			printf("pinned to CPU %d\n", c);
			return;
		}
	}
}

int main(void)
{
	static const struct {
		const char *name;
		const char *msg;
		size_t len;
	} msgs[] = {
		{ "INVITE+SDP", invite, sizeof(invite) - 1 },
		{ "200 OK", ok200, sizeof(ok200) - 1 },
	};
	static const struct {
		const char *name;
		parse_fn *fn;
	} parsers[] = {
		{ "trunkline", tl_parse },
		{ "osip2", osip_parse },
		{ "sofia-sip", sofia_parse },
	};
	/* seconds per round (BENCH_SECS), 5 rounds per parser and message */
	double secs = getenv("BENCH_SECS") ? atof(getenv("BENCH_SECS")) : 0.3;
	int rc = 0;

	pin();
	parser_init();
	printf("%-11s %-10s %6s %12s %9s %9s\n", "message", "parser", "bytes",
	       "msgs/s", "ns/msg", "ours/x");
	for (size_t i = 0; i < 2; i++) {
		double r[3];

		for (size_t p = 0; p < 3; p++) {
			/* each parser must accept the message, or the
			 * figure means nothing */
			if (parsers[p].fn(msgs[i].msg, msgs[i].len)) {
				printf("%s: %s refuses the message\n",
				       msgs[i].name, parsers[p].name);
				rc = 1;
			}
			r[p] = rate(parsers[p].fn, msgs[i].msg, msgs[i].len,
				    secs);
			printf("%-11s %-10s %6zu %12.0f %9.0f %8.2fx\n",
			       msgs[i].name, parsers[p].name, msgs[i].len,
			       r[p], 1e9 / r[p], r[0] / r[p]);
		}
	}
	return rc;
}
