// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/call SIP leg: SDES-SRTP on calls (RFC 4568) and the checks an
 * INVITE passes before it becomes a call. One SIP module on loopback
 * calls itself: the UAC leg dials [peer self] (its srtp key), and as
 * [peer self] does not identify incoming requests, the UAS leg is
 * peer:unknown with [sip] unknown_srtp, so each side has a policy of its
 * own. Raw INVITEs from a plain UDP socket exercise the UAS checks
 * (406, 400 naming the SDP fault, 488, escaped numbers). Real sockets,
 * real loop, real libsrtp, T1 = 50 ms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/call/leg_sip.h"
#include "../../gateway/call/leg_sip_priv.h"
#include "../../gateway/media/mediaconf.h"
#include "../../gateway/media/rtp_srtp.h"
#include "../../gateway/media/stream.h"
#include "../../gateway/sip/module.h"
#include "../../gateway/sip/peer.h"
#include "../../gateway/sip/sipconf.h"
#include "leg_rig.h"
#include "tl_check.h"

static struct {
	struct loop *loop;
	struct conf *conf;
	struct sip_mod *sm;
	unsigned port;
	struct leg_side out, in;
	struct call_leg_setup in_setup;
	int raw; /* a UDP socket playing a foreign UAC */
	unsigned raw_port;
} T;

static void out_h(struct call_leg *leg, const struct call_leg_ev *ev,
		  void *arg)
{
	(void)leg;
	(void)arg;
	leg_side_record(&T.out, ev);
}

static void in_h(struct call_leg *leg, const struct call_leg_ev *ev,
		 void *arg)
{
	(void)leg;
	(void)arg;
	leg_side_record(&T.in, ev);
}

static void newcall(struct call_leg *leg, const struct call_leg_ev *ev,
		    void *arg)
{
	(void)arg;
	ck_assert_int_eq(ev->type, CALL_LEG_SETUP);
	T.in_setup = *ev->setup;
	ck_assert_ptr_null(T.in.leg);
	T.in.leg = mem_ref(leg);
	call_leg_bind(leg, in_h, NULL, NULL);
	leg_side_record(&T.in, ev);
}

static bool wait_ev(struct leg_side *s, enum call_leg_ev_type type)
{
	return leg_side_wait(T.loop, s, type, 3000);
}

static void spin(unsigned ms)
{
	leg_rig_spin(T.loop, ms);
}

/* [peer self] srtp = @uac, [sip] unknown_srtp = @uas */
static void setup(const char *uac, const char *uas)
{
	static const struct conf_sect_def *const defs[] = {
		&sip_conf_sect, &sip_peer_conf_sect, &media_conf_sect, NULL
	};
	unsigned rtp = 52000 + (unsigned)getpid() % 600 * 20;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	struct conf_errs errs;
	char text[1024];

	memset(&T, 0, sizeof(T));
	T.raw = -1;
	T.port = 21001 + (unsigned)getpid() % 8000 * 2;
	snprintf(text, sizeof(text),
		 "[sip]\nlisten = udp:127.0.0.1:%u\nt1 = 50ms\nt2 = 500ms\n"
		 "t4 = 500ms\nunknown_srtp = %s\n"
		 "[media]\nrtp_port_min = %u\nrtp_port_max = %u\n"
		 "[peer self]\naddress = 127.0.0.1:%u\nidentify = no\n"
		 "srtp = %s\n",
		 T.port, uas, rtp, rtp + 19, T.port, uac);
	conf_errs_init(&errs);
	T.loop = loop_new();
	ck_assert_ptr_nonnull(T.loop);
	if (conf_load_str("srtp.conf", text, defs, &T.conf, &errs)) {
		const struct conf_err *e = errs.l.head ? errs.l.head->data :
							 NULL;

		ck_abort_msg("config: %s", e ? e->msg : "?");
	}
	ck_assert_int_eq(sip_mod_alloc(&T.sm, T.loop, T.conf), 0);
	call_leg_sip_listen(newcall, NULL);
	T.raw = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(T.raw, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(T.raw, (struct sockaddr *)&sin, sizeof(sin)),
			 0);
	ck_assert_int_eq(getsockname(T.raw, (struct sockaddr *)&sin, &sl), 0);
	T.raw_port = ntohs(sin.sin_port);
}

static void teardown(void)
{
	call_leg_sip_listen(NULL, NULL);
	mem_deref(T.out.leg);
	mem_deref(T.in.leg);
	spin(150);
	mem_deref(T.sm);
	mem_deref(T.conf);
	mem_deref(T.loop);
	close(T.raw);
}

static void dial(const char *called)
{
	struct call_leg_setup s = { 0 };

	snprintf(s.called.num.digits, sizeof(s.called.num.digits), "%s",
		 called);
	strcpy(s.calling.num.digits, "5551234");
	ck_assert_int_eq(call_leg_sip_new(&T.out.leg, "self", T.sm), 0);
	call_leg_bind(T.out.leg, out_h, NULL, NULL);
	ck_assert_int_eq(T.out.leg->ops->dial(T.out.leg, &s), 0);
}

static void answer(void)
{
	ck_assert(wait_ev(&T.in, CALL_LEG_SETUP));
	ck_assert_int_eq(T.in.leg->ops->answer(T.in.leg), 0);
	ck_assert(wait_ev(&T.out, CALL_LEG_ANSWER));
	spin(100); /* the ACK */
}

static struct media_stream *stream_of(struct leg_side *s)
{
	struct media_stream *ms = s->leg->ops->stream(s->leg);

	ck_assert_ptr_nonnull(ms);
	return ms;
}

/* 25 frames (500 ms) of a 440-ish Hz square wave each way */
static void talk(void)
{
	int16_t pcm[MEDIA_STREAM_FRAME], got[MEDIA_STREAM_FRAME];

	for (int i = 0; i < MEDIA_STREAM_FRAME; i++)
		pcm[i] = (i / 9) % 2 ? 8000 : -8000;
	for (int f = 0; f < 25; f++) {
		ck_assert_int_eq(media_stream_put(stream_of(&T.out), pcm,
						  MEDIA_STREAM_FRAME), 0);
		ck_assert_int_eq(media_stream_put(stream_of(&T.in), pcm,
						  MEDIA_STREAM_FRAME), 0);
		spin(20);
		media_stream_get(stream_of(&T.out), got, MEDIA_STREAM_FRAME);
		media_stream_get(stream_of(&T.in), got, MEDIA_STREAM_FRAME);
	}
}

static void stats(struct leg_side *s, struct media_stream_stats *st)
{
	media_stream_stats(stream_of(s), st);
}

/* The UAC leg's offer holds @what (or not). */
static void offer_has(const char *what, bool want)
{
	struct leg_sip *out = (struct leg_sip *)T.out.leg;

	ck_assert_msg(!strstr(buf_cstr(&out->sdp), what) == !want,
		      "offer %s \"%s\":\n%s", want ? "lacks" : "has", what,
		      buf_cstr(&out->sdp));
}

/* A plain RTP packet (PCMU) from the raw socket to @s's RTP port. */
static void send_plain_rtp(struct leg_side *s)
{
	const struct sa *la = rtp_sess_local(media_stream_rtp(stream_of(s)));
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(sa_port(la)),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	uint8_t pkt[12 + 160] = { 0x80, 0x00, 0x12, 0x34, 0, 0, 0, 160,
				  0xde, 0xad, 0xbe, 0xef };

	memset(pkt + 12, 0xff, 160);
	ck_assert_int_eq(sendto(T.raw, pkt, sizeof(pkt), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(pkt));
}

/* Both sides negotiate SRTP; audio goes through both ways, every packet
 * authenticated; a cleartext packet is refused. */
START_TEST(srtp_call_both_ways)
{
	struct media_stream_stats a, b;
	struct call_leg_stats ls;

	setup("mandatory", "optional");
	dial("100");
	answer();
	/* our offer: RTP/SAVP with a key for each suite, 80-bit tag first */
	offer_has(" RTP/SAVP ", true);
	offer_has("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", true);
	offer_has("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:", true);
	offer_has("a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:", true);
	offer_has("a=crypto:4 AEAD_AES_128_GCM inline:", true);
	stats(&T.out, &a);
	stats(&T.in, &b);
	ck_assert(a.srtp);
	ck_assert(b.srtp);
	T.out.leg->ops->stats(T.out.leg, &ls);
	ck_assert(ls.srtp);
	T.in.leg->ops->stats(T.in.leg, &ls);
	ck_assert(ls.srtp);
	talk();
	stats(&T.out, &a);
	stats(&T.in, &b);
	ck_assert_uint_gt(a.rtp.pkts_in, 10);
	ck_assert_uint_gt(b.rtp.pkts_in, 10);
	ck_assert_uint_eq(a.rtp.srtp_fail, 0);
	ck_assert_uint_eq(b.rtp.srtp_fail, 0);
	send_plain_rtp(&T.in);
	spin(50);
	stats(&T.in, &b);
	ck_assert_uint_eq(b.rtp.srtp_fail, 1);
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

/* optional both sides: the offer is RTP/AVP with keys, and SRTP is
 * what both take */
START_TEST(srtp_optional_both)
{
	struct media_stream_stats a, b;

	setup("optional", "optional");
	dial("100");
	answer();
	offer_has(" RTP/AVP ", true);
	offer_has(" RTP/SAVP ", false);
	offer_has("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", true);
	stats(&T.out, &a);
	stats(&T.in, &b);
	ck_assert(a.srtp);
	ck_assert(b.srtp);
	talk();
	stats(&T.in, &b);
	ck_assert_uint_gt(b.rtp.pkts_in, 10);
	ck_assert_uint_eq(b.rtp.srtp_fail, 0);
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

/* optional on one side, off on the other: plain RTP that flows */
START_TEST(srtp_optional_meets_off)
{
	struct media_stream_stats a, b;

	setup("optional", "off");
	dial("100");
	answer();
	offer_has("a=crypto:", true);
	stats(&T.out, &a);
	stats(&T.in, &b);
	ck_assert(!a.srtp);
	ck_assert(!b.srtp);
	talk();
	stats(&T.in, &b);
	ck_assert_uint_gt(b.rtp.pkts_in, 10);
	send_plain_rtp(&T.in);
	spin(50);
	stats(&T.in, &b);
	ck_assert_uint_eq(b.rtp.srtp_fail, 0);
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

/* A mandatory UAS gets a plain offer: 488, and no call is offered. */
START_TEST(srtp_mandatory_refuses_plain)
{
	setup("off", "mandatory");
	dial("100");
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->sip_status, 488);
	ck_assert_ptr_null(T.in.leg);
	teardown();
}
END_TEST

/* RTP/SAVP to a UAS that does no SRTP: 488 as well. */
START_TEST(srtp_savp_to_off)
{
	setup("mandatory", "off");
	dial("100");
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->sip_status, 488);
	ck_assert_ptr_null(T.in.leg);
	teardown();
}
END_TEST

/* The offer the UAC made, with its a=crypto key replaced by @key. */
static void reoffer(struct leg_sip *in, const char *key, struct buf *ans)
{
	struct sa peer = *rtp_sess_local(media_stream_rtp(stream_of(&T.out)));
	static unsigned ver = 100;
	char body[512];

	snprintf(body, sizeof(body),
		 "v=0\r\no=- 1 %u IN IP4 127.0.0.1\r\ns=-\r\n"
		 "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		 "m=audio %u RTP/SAVP 0 101\r\na=rtpmap:101 "
		 "telephone-event/8000\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n",
		 ver++, sa_port(&peer), key);
	ck_assert_int_eq(sdp_oa_answer(in->oa, body, strlen(body), ans, NULL),
			 0);
	ck_assert_int_eq(leg_sip_media_apply(in), 0);
}

/* A re-offer with the same keys keeps the contexts; a new key makes a
 * new inbound context (what the UAC still sends under the old key now
 * fails), ours stays. */
START_TEST(srtp_rekey)
{
	uint8_t k[30];
	char k1[RTP_SRTP_INLINE_MAX], k2[RTP_SRTP_INLINE_MAX];
	struct rtp_srtp *in0, *out0, *in1, *out1;
	struct leg_sip *in;
	struct buf ans = { 0 };
	struct media_stream_stats st;

	setup("mandatory", "mandatory");
	dial("100");
	answer();
	in = (struct leg_sip *)T.in.leg;
	media_stream_srtp(stream_of(&T.in), &in0, &out0);
	ck_assert_ptr_nonnull(in0);
	ck_assert_ptr_nonnull(out0);

	ck_assert_int_eq(rtp_srtp_key_gen(RTP_SRTP_AES_CM_128_HMAC_SHA1_80, k),
			 0);
	ck_assert_int_eq(rtp_srtp_sdes_encode(RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
					      k, k1, sizeof(k1)), 0);
	reoffer(in, k1 + strlen("inline:"), &ans);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&ans), "a=crypto:1 "));
	media_stream_srtp(stream_of(&T.in), &in1, &out1);
	ck_assert_ptr_ne(in1, in0);
	ck_assert_ptr_eq(out1, out0);

	/* the same key again: nothing changes */
	buf_free(&ans);
	reoffer(in, k1 + strlen("inline:"), &ans);
	media_stream_srtp(stream_of(&T.in), &in0, &out0);
	ck_assert_ptr_eq(in0, in1);
	ck_assert_ptr_eq(out0, out1);

	/* the UAC was not told: its packets no longer authenticate */
	talk();
	stats(&T.in, &st);
	ck_assert_uint_gt(st.rtp.srtp_fail, 10);

	/* another new key: yet another context */
	k[0] ^= 0x55;
	ck_assert_int_eq(rtp_srtp_sdes_encode(RTP_SRTP_AES_CM_128_HMAC_SHA1_80,
					      k, k2, sizeof(k2)), 0);
	buf_free(&ans);
	reoffer(in, k2 + strlen("inline:"), &ans);
	media_stream_srtp(stream_of(&T.in), &in0, &out0);
	ck_assert_ptr_ne(in0, in1);
	ck_assert_ptr_eq(out0, out1);
	buf_free(&ans);
	T.out.leg->ops->release(T.out.leg, 16);
	ck_assert(wait_ev(&T.in, CALL_LEG_RELEASE));
	teardown();
}
END_TEST

/* The UAS leg remembers the final status it sent, for the CDR. */
START_TEST(final_status_in_stats)
{
	struct call_leg_stats st;

	setup("off", "off");
	dial("101");
	ck_assert(wait_ev(&T.in, CALL_LEG_SETUP));
	T.in.leg->ops->stats(T.in.leg, &st);
	ck_assert_uint_eq(st.sip_status, 0);
	T.in.leg->ops->release(T.in.leg, 17);
	T.in.leg->ops->stats(T.in.leg, &st);
	ck_assert_uint_eq(st.sip_status, 486);
	ck_assert(wait_ev(&T.out, CALL_LEG_RELEASE));
	ck_assert_uint_eq(leg_side_find(&T.out, CALL_LEG_RELEASE)->sip_status, 486);
	teardown();
}
END_TEST

/* --- raw INVITEs --------------------------------------------------------- */

static const char plain_sdp[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
				"c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
				"m=audio 40000 RTP/AVP 0\r\n";

static unsigned ncall;

/* Send an INVITE for @ruser with extra header lines @hdrs and @body from
 * the raw socket; wait for its final response into @resp (@n octets);
 * ACK it if it is a failure. Returns the status, 0 if none came. */
static int raw_invite(const char *ruser, const char *hdrs, const char *body,
		      char *resp, size_t n)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)T.port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	uint64_t end = loop_now_ms() + 3000;
	char msg[2048], tag[64] = "", cid[64];
	unsigned id = ++ncall;
	int status = 0;

	snprintf(cid, sizeof(cid), "raw%u-%d@127.0.0.1", id, (int)getpid());

	snprintf(msg, sizeof(msg),
		 "INVITE sip:%s@127.0.0.1:%u SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-raw%u\r\n"
		 "From: <sip:2125550199@127.0.0.1>;tag=raw%u\r\n"
		 "To: <sip:%s@127.0.0.1>\r\n"
		 "Call-ID: %s\r\nCSeq: 1 INVITE\r\n"
		 "Contact: <sip:raw@127.0.0.1:%u>\r\nMax-Forwards: 70\r\n"
		 "%sContent-Type: application/sdp\r\n"
		 "Content-Length: %zu\r\n\r\n%s",
		 ruser, T.port, T.raw_port, id, id, ruser, cid, T.raw_port,
		 hdrs, strlen(body), body);
	ck_assert_int_gt(sendto(T.raw, msg, strlen(msg), 0,
				(struct sockaddr *)&to, sizeof(to)), 0);
	while (!status && loop_now_ms() < end) {
		ssize_t l;

		loop_poll(T.loop, 10);
		/* the call may be offered: the test decides then */
		if (T.in.leg)
			return 0;
		l = recv(T.raw, resp, n - 1, 0);
		if (l < 12)
			continue;
		resp[l] = '\0';
		/* finals to earlier calls come again until they time out */
		if (!strstr(resp, cid) ||
		    sscanf(resp, "SIP/2.0 %d", &status) != 1 || status < 200)
			status = 0;
	}
	if (status >= 300) {
		const char *t = strstr(resp, "\r\nTo: ");
		const char *g = t ? strstr(t, ";tag=") : NULL;

		if (g)
			sscanf(g + 5, "%63[^\r\n;>]", tag);
		snprintf(msg, sizeof(msg),
			 "ACK sip:%s@127.0.0.1:%u SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:%u;"
			 "branch=z9hG4bK-raw%u\r\n"
			 "From: <sip:2125550199@127.0.0.1>;tag=raw%u\r\n"
			 "To: <sip:%s@127.0.0.1>;tag=%s\r\n"
			 "Call-ID: %s\r\nCSeq: 1 ACK\r\n"
			 "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			 ruser, T.port, T.raw_port, id, id, ruser, tag, cid);
		sendto(T.raw, msg, strlen(msg), 0, (struct sockaddr *)&to,
		       sizeof(to));
	}
	return status;
}

/* RFC 3261 21.4.7: 406 when Accept leaves out SDP; a present Accept that
 * lists it (or a wildcard) or no Accept at all is fine. */
START_TEST(accept_without_sdp_is_406)
{
	char r[4096];

	setup("off", "off");
	ck_assert_int_eq(raw_invite("100", "Accept: text/plain\r\n",
				    plain_sdp, r, sizeof(r)), 406);
	ck_assert_ptr_nonnull(strstr(r, "\r\nAccept: application/sdp\r\n"));
	ck_assert_int_eq(raw_invite("100", "Accept: application/sdp;q=0\r\n",
				    plain_sdp, r, sizeof(r)), 406);
	ck_assert_int_eq(raw_invite("100", "Accept:\r\n", plain_sdp, r,
				    sizeof(r)), 406);
	ck_assert_ptr_null(T.in.leg);
	ck_assert_int_eq(raw_invite("100",
				    "Accept: text/plain, Application/SDP;"
				    "q=0.5\r\n",
				    plain_sdp, r, sizeof(r)), 0);
	ck_assert_ptr_nonnull(T.in.leg);
	T.in.leg->ops->release(T.in.leg, 16);
	T.in.leg = mem_deref(T.in.leg);
	spin(100);
	ck_assert_int_eq(raw_invite("100", "Accept: application/*\r\n",
				    plain_sdp, r, sizeof(r)), 0);
	ck_assert_ptr_nonnull(T.in.leg);
	T.in.leg->ops->release(T.in.leg, 16);
	T.in.leg = mem_deref(T.in.leg);
	spin(100);
	teardown();
}
END_TEST

/* An offer that does not parse: 400 whose Warning names the fault. */
START_TEST(bad_sdp_is_400_with_warning)
{
	static const char bad[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
				  "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
				  "m=audio 99999 RTP/AVP 0\r\n";
	char r[4096];

	setup("off", "off");
	ck_assert_int_eq(raw_invite("100", "", bad, r, sizeof(r)), 400);
	ck_assert_ptr_nonnull(strstr(r, "\r\nWarning: 399 trunkline \"bad SDP: "
					"line 6: bad m= port\"\r\n"));
	ck_assert_ptr_null(strstr(r, "no common media"));
	ck_assert_ptr_null(T.in.leg);
	teardown();
}
END_TEST

/* Mandatory SRTP and a plain offer: 488 whose Warning says why. */
START_TEST(plain_offer_to_mandatory_is_488)
{
	char r[4096];

	setup("off", "mandatory");
	ck_assert_int_eq(raw_invite("100", "", plain_sdp, r, sizeof(r)), 488);
	ck_assert_ptr_nonnull(strstr(r, "\r\nWarning: 399 trunkline \"SRTP "
					"required"));
	teardown();
}
END_TEST

/* An offer with a=crypto to an optional UAS: answered under its tag. */
START_TEST(crypto_offer_answered_with_its_tag)
{
	static const char sdp[] =
		"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		"c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		"m=audio 40000 RTP/SAVP 0\r\n"
		"a=crypto:7 AES_CM_128_HMAC_SHA1_32 "
		"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
	struct leg_sip *in;
	struct media_stream_stats st;

	setup("off", "optional");
	ck_assert_int_eq(raw_invite("100", "", sdp, (char[64]){ 0 }, 64), 0);
	ck_assert_ptr_nonnull(T.in.leg);
	in = (struct leg_sip *)T.in.leg;
	ck_assert_ptr_nonnull(strstr(buf_cstr(&in->sdp),
				     "a=crypto:7 AES_CM_128_HMAC_SHA1_32 "
				     "inline:"));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&in->sdp), "RTP/SAVP"));
	stats(&T.in, &st);
	ck_assert(st.srtp);
	T.in.leg->ops->release(T.in.leg, 16);
	T.in.leg = mem_deref(T.in.leg);
	spin(100);
	teardown();
}
END_TEST

/* Called numbers: %HEX decoded, visual separators dropped, anything not
 * dialable makes no number at all. */
START_TEST(called_number_unescaped)
{
	static const struct {
		const char *user, *digits;
		bool intl;
	} v[] = {
		{ "%31%30%30", "100", false },
		{ "%2B1-212-555-0100", "12125550100", true },
		{ "*21%23", "*21#", false },
		{ "10a0", "", false },
		{ "alice", "", false },
		{ "1%000", "", false },
		{ "123;phone-context=example.com", "123", false },
	};
	char r[64];

	setup("off", "off");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		raw_invite(v[i].user, "", plain_sdp, r, sizeof(r));
		ck_assert_msg(T.in.leg, "%s: no call", v[i].user);
		ck_assert_str_eq(T.in_setup.called.num.digits, v[i].digits);
		ck_assert_int_eq(T.in_setup.called.num.ton ==
					 CALL_TON_INTERNATIONAL,
				 v[i].intl);
		T.in.leg->ops->release(T.in.leg, 16);
		T.in.leg = mem_deref(T.in.leg);
		T.in.nev = 0;
		spin(50);
	}
	teardown();
}
END_TEST

Suite *leg_sip_srtp_suite(void)
{
	Suite *s = suite_create("leg_sip_srtp");
	TCase *tc = tl_tcase(s, "srtp");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, srtp_call_both_ways);
	tcase_add_test(tc, srtp_optional_both);
	tcase_add_test(tc, srtp_optional_meets_off);
	tcase_add_test(tc, srtp_mandatory_refuses_plain);
	tcase_add_test(tc, srtp_savp_to_off);
	tcase_add_test(tc, srtp_rekey);
	tcase_add_test(tc, final_status_in_stats);
	tc = tl_tcase(s, "uas");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, accept_without_sdp_is_406);
	tcase_add_test(tc, bad_sdp_is_400_with_warning);
	tcase_add_test(tc, plain_offer_to_mandatory_is_488);
	tcase_add_test(tc, crypto_offer_answered_with_its_tag);
	tcase_add_test(tc, called_number_unescaped);
	return s;
}
