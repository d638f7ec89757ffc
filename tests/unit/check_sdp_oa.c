// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sdp offer/answer flows, modelled on the RFC 4317 examples
 * (values and wording our own): rejected video, two audio streams, hold
 * and resume from either side, codec and address changes, adding and
 * removing streams, dynamic telephone-event PTs, rtcp-mux, legacy hold,
 * delayed offer, answers that do not fit the offer, the o= version rule.
 */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sdp/oa.h"
#include "tl_check.h"

#define L(x) x "\r\n"

static void caps_init(struct sdp_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->user = "tl";
	c->sess_id = 1000;
	c->addr = "192.0.2.1";
	c->audio_port = 20000;
	c->codecs[0] = SDP_PCMU;
	c->codecs[1] = SDP_PCMA;
	c->codecs[2] = SDP_G722;
	c->ncodecs = 3;
	c->te_pt = 101;
	c->ptime = 20;
	c->rtcp_mux = true;
}

static struct sdp_oa *oa_new(void)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;

	caps_init(&c);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	return oa;
}

static void answer_eq(struct sdp_oa *oa, const char *offer, const char *want)
{
	struct buf b = { 0 };
	struct sdp_perr e = { 0 };
	int err = sdp_oa_answer(oa, offer, strlen(offer), &b, &e);

	ck_assert_msg(err == 0, "answer: %d %s", err,
		      e.reason ? e.reason : "");
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_free(&b);
}

static void offer_eq(struct sdp_oa *oa, const char *want)
{
	struct buf b = { 0 };

	ck_assert_int_eq(sdp_oa_offer(oa, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_free(&b);
}

static int take(struct sdp_oa *oa, const char *answer)
{
	return sdp_oa_take_answer(oa, answer, strlen(answer), NULL);
}

static void sa_is(const struct sa *sa, const char *want)
{
	char s[SA_STRLEN];

	ck_assert_str_eq(sa_str(sa, s, sizeof(s)), want);
}

static const struct sdp_stream *st0(const struct sdp_oa *oa)
{
	ck_assert_ptr_nonnull(sdp_oa_neg(oa));
	return &sdp_oa_neg(oa)->s[0];
}

#define HEAD(ver) L("v=0") L("o=tl 1000 " #ver " IN IP4 192.0.2.1") \
	L("s=Trunkline") L("c=IN IP4 192.0.2.1") L("t=0 0")

#define PEER(ver, ip) L("v=0") L("o=bob 2808844564 " #ver " IN IP4 " ip) \
	L("s=-") L("c=IN IP4 " ip) L("t=0 0")

#define ANS_PCMU(dir) L("m=audio 20000 RTP/AVP 0") \
	L("a=rtpmap:0 PCMU/8000") L("a=ptime:20") L("a=" dir)

/* The offer we make with the default caps, in direction @dir. */
#define OUR_AUDIO(port, dir) L("m=audio " #port " RTP/AVP 0 8 9 101") \
	L("a=rtpmap:0 PCMU/8000") L("a=rtpmap:8 PCMA/8000") \
	L("a=rtpmap:9 G722/8000") L("a=rtpmap:101 telephone-event/8000") \
	L("a=fmtp:101 0-16") L("a=ptime:20") L("a=rtcp-mux") L("a=" dir)

/* RFC 4317 2.1 in spirit: audio and video offered, we take the audio
 * and reject the video with port 0, keeping its formats. */
START_TEST(rfc4317_reject_video)
{
	struct sdp_oa *oa = oa_new();
	const struct sdp_neg *n;

	answer_eq(oa, PEER(1, "198.18.0.2")
		  L("m=audio 49170 RTP/AVP 0 8 97")
		  L("a=rtpmap:97 iLBC/8000")
		  L("m=video 51372 RTP/AVP 31 32")
		  L("a=rtpmap:31 H261/90000") L("a=rtpmap:32 MPV/90000"),
		  HEAD(1000) ANS_PCMU("sendrecv")
		  L("m=video 0 RTP/AVP 31 32"));
	n = sdp_oa_neg(oa);
	ck_assert_uint_eq(n->nstreams, 2);
	ck_assert(n->s[0].active);
	ck_assert(!n->s[1].active);
	ck_assert_int_eq(n->s[1].kind, SDP_KIND_OTHER);
	mem_deref(oa);
}
END_TEST

/* RFC 4317 2.4 in spirit: two audio streams; a gateway leg carries one,
 * so the second is refused while its place is kept. */
START_TEST(rfc4317_two_audio)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2")
		  L("m=audio 49170 RTP/AVP 0")
		  L("m=audio 49172 RTP/AVP 97")
		  L("a=rtpmap:97 telephone-event/8000"),
		  HEAD(1000) ANS_PCMU("sendrecv")
		  L("m=audio 0 RTP/AVP 97"));
	ck_assert(!sdp_oa_neg(oa)->s[1].active);
	ck_assert_int_eq(sdp_oa_neg(oa)->s[1].kind, SDP_KIND_AUDIO);
	mem_deref(oa);
}
END_TEST

/* RFC 4317 3.1 in spirit: the peer holds (sendonly), resumes, and a
 * repeated offer leaves our version alone (RFC 3264 8). */
START_TEST(rfc4317_peer_hold_resume)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	ck_assert_int_eq(st0(oa)->dir, SDP_SENDRECV);
	answer_eq(oa, PEER(2, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("a=sendonly"),
		  HEAD(1001) ANS_PCMU("recvonly"));
	ck_assert_int_eq(st0(oa)->dir, SDP_RECVONLY);
	answer_eq(oa, PEER(3, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("a=inactive"),
		  HEAD(1002) ANS_PCMU("inactive"));
	ck_assert_int_eq(st0(oa)->dir, SDP_INACTIVE);
	answer_eq(oa, PEER(4, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("a=recvonly"),
		  HEAD(1003) ANS_PCMU("sendonly"));
	ck_assert_int_eq(st0(oa)->dir, SDP_SENDONLY);
	answer_eq(oa, PEER(5, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("a=sendrecv"),
		  HEAD(1004) ANS_PCMU("sendrecv"));
	answer_eq(oa, PEER(5, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("a=sendrecv"),
		  HEAD(1004) ANS_PCMU("sendrecv"));
	ck_assert_int_eq(st0(oa)->dir, SDP_SENDRECV);
	mem_deref(oa);
}
END_TEST

/* RFC 2543 hold: c=0.0.0.0. We must not send; we answer recvonly. */
START_TEST(legacy_hold)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	answer_eq(oa, PEER(2, "0.0.0.0") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1001) ANS_PCMU("recvonly"));
	ck_assert_int_eq(st0(oa)->dir, SDP_RECVONLY);
	ck_assert_uint_eq(st0(oa)->remote.len, 0);
	ck_assert_uint_eq(st0(oa)->remote_rtcp.len, 0);
	answer_eq(oa, PEER(3, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1002) ANS_PCMU("sendrecv"));
	sa_is(&st0(oa)->remote, "198.18.0.2:49170");
	mem_deref(oa);
}
END_TEST

/* We hold the peer (sendonly), it answers recvonly; we resume. */
START_TEST(rfc4317_our_hold_resume)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0 100")
		  L("a=rtpmap:100 telephone-event/8000"),
		  HEAD(1000) L("m=audio 20000 RTP/AVP 0 100")
		  L("a=rtpmap:0 PCMU/8000")
		  L("a=rtpmap:100 telephone-event/8000")
		  L("a=fmtp:100 0-16") L("a=ptime:20") L("a=sendrecv"));
	sdp_oa_set_dir(oa, SDP_SENDONLY);
	/* the re-offer keeps the peer's telephone-event PT 100 */
	offer_eq(oa, HEAD(1001) L("m=audio 20000 RTP/AVP 0 8 9 100")
		 L("a=rtpmap:0 PCMU/8000") L("a=rtpmap:8 PCMA/8000")
		 L("a=rtpmap:9 G722/8000")
		 L("a=rtpmap:100 telephone-event/8000") L("a=fmtp:100 0-16")
		 L("a=ptime:20") L("a=rtcp-mux") L("a=sendonly"));
	ck_assert_int_eq(take(oa, PEER(2, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0 100")
			      L("a=rtpmap:100 telephone-event/8000")
			      L("a=recvonly")), 0);
	ck_assert_int_eq(st0(oa)->dir, SDP_SENDONLY);
	ck_assert_int_eq(st0(oa)->te_pt, 100);
	sdp_oa_set_dir(oa, SDP_SENDRECV);
	offer_eq(oa, HEAD(1002) L("m=audio 20000 RTP/AVP 0 8 9 100")
		 L("a=rtpmap:0 PCMU/8000") L("a=rtpmap:8 PCMA/8000")
		 L("a=rtpmap:9 G722/8000")
		 L("a=rtpmap:100 telephone-event/8000") L("a=fmtp:100 0-16")
		 L("a=ptime:20") L("a=rtcp-mux") L("a=sendrecv"));
	ck_assert_int_eq(take(oa, PEER(3, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")), 0);
	ck_assert_int_eq(st0(oa)->dir, SDP_SENDRECV);
	ck_assert_int_eq(st0(oa)->te_pt, SDP_PT_NONE);
	mem_deref(oa);
}
END_TEST

/* A re-offer changes codec, then address and port; an answer identical
 * to the last one keeps our version. */
START_TEST(reoffer_codec_and_address)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0 8"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	answer_eq(oa, PEER(2, "198.18.0.2") L("m=audio 49170 RTP/AVP 8"),
		  HEAD(1001) L("m=audio 20000 RTP/AVP 8")
		  L("a=rtpmap:8 PCMA/8000") L("a=ptime:20") L("a=sendrecv"));
	ck_assert_int_eq(st0(oa)->codec, SDP_PCMA);
	answer_eq(oa, PEER(3, "198.18.0.9") L("m=audio 30000 RTP/AVP 8"),
		  HEAD(1001) L("m=audio 20000 RTP/AVP 8")
		  L("a=rtpmap:8 PCMA/8000") L("a=ptime:20") L("a=sendrecv"));
	sa_is(&st0(oa)->remote, "198.18.0.9:30000");
	sa_is(&st0(oa)->remote_rtcp, "198.18.0.9:30001");
	mem_deref(oa);
}
END_TEST

/* Our own address/port change goes out as a re-offer with a new version;
 * a repeated identical offer keeps it. */
START_TEST(our_address_change)
{
	struct sdp_oa *oa = oa_new();
	struct sdp_caps c;

	offer_eq(oa, HEAD(1000) OUR_AUDIO(20000, "sendrecv"));
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")), 0);
	caps_init(&c);
	c.addr = "192.0.2.77";
	c.audio_port = 20100;
	ck_assert_int_eq(sdp_oa_set_caps(oa, &c), 0);
	offer_eq(oa, L("v=0") L("o=tl 1000 1001 IN IP4 192.0.2.77")
		 L("s=Trunkline") L("c=IN IP4 192.0.2.77") L("t=0 0")
		 OUR_AUDIO(20100, "sendrecv"));
	/* no answer came (e.g. 408): retrying sends the same offer */
	sdp_oa_rollback(oa);
	offer_eq(oa, L("v=0") L("o=tl 1000 1001 IN IP4 192.0.2.77")
		 L("s=Trunkline") L("c=IN IP4 192.0.2.77") L("t=0 0")
		 OUR_AUDIO(20100, "sendrecv"));
	ck_assert_int_eq(take(oa, PEER(2, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")), 0);
	ck_assert_uint_eq(st0(oa)->local_port, 20100);
	c.addr = "not-an-address";
	ck_assert_int_eq(sdp_oa_set_caps(oa, &c), -EINVAL);
	mem_deref(oa);
}
END_TEST

/* RFC 4317 4.x in spirit: the peer adds a video stream (refused), then
 * removes it with port 0; dropping the m-line altogether is an error. */
START_TEST(rfc4317_add_remove_streams)
{
	struct sdp_oa *oa = oa_new();
	struct buf b = { 0 };
	static const char shrunk[] = PEER(4, "198.18.0.2")
		L("m=audio 49170 RTP/AVP 0");

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	answer_eq(oa, PEER(2, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("m=video 49172 RTP/AVP 31"),
		  HEAD(1001) ANS_PCMU("sendrecv") L("m=video 0 RTP/AVP 31"));
	ck_assert_uint_eq(sdp_oa_neg(oa)->nstreams, 2);
	answer_eq(oa, PEER(3, "198.18.0.2") L("m=audio 49170 RTP/AVP 0")
		  L("m=video 0 RTP/AVP 31"),
		  HEAD(1001) ANS_PCMU("sendrecv") L("m=video 0 RTP/AVP 31"));
	ck_assert_int_eq(sdp_oa_answer(oa, shrunk, strlen(shrunk), &b, NULL),
			 -EPROTO);
	ck_assert_uint_eq(b.len, 0);
	/* our re-offer keeps both m-lines, the refused one at port 0 */
	offer_eq(oa, HEAD(1002) OUR_AUDIO(20000, "sendrecv")
		 L("m=video 0 RTP/AVP 31"));
	ck_assert_int_eq(take(oa, PEER(5, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")), -EPROTO);
	ck_assert_int_eq(take(oa, PEER(5, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")
			      L("m=video 0 RTP/AVP 31")), 0);
	mem_deref(oa);
}
END_TEST

/* The peer's audio stream is disabled with port 0 and another added. */
START_TEST(stream_replaced)
{
	struct sdp_oa *oa = oa_new();

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	answer_eq(oa, PEER(2, "198.18.0.2") L("m=audio 0 RTP/AVP 0")
		  L("m=audio 49180 RTP/AVP 8"),
		  HEAD(1001) L("m=audio 0 RTP/AVP 0")
		  L("m=audio 20000 RTP/AVP 8") L("a=rtpmap:8 PCMA/8000")
		  L("a=ptime:20") L("a=sendrecv"));
	ck_assert(!sdp_oa_neg(oa)->s[0].active);
	ck_assert(sdp_oa_neg(oa)->s[1].active);
	sa_is(&sdp_oa_neg(oa)->s[1].remote, "198.18.0.2:49180");
	mem_deref(oa);
}
END_TEST

/* Every m-line refused: our next offer reuses the first one rather than
 * adding a line, even when the session is at its m-line limit (a fuzzer
 * find: the ninth m-line made the re-offer fail). */
START_TEST(reoffer_reuses_rejected_slot)
{
	struct sdp_oa *oa = oa_new();
	struct buf off = { 0 }, want = { 0 };

	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 0 RTP/AVP 0")
		  L("m=video 0 RTP/AVP 31"),
		  HEAD(1000) L("m=audio 0 RTP/AVP 0")
		  L("m=video 0 RTP/AVP 31"));
	ck_assert(!sdp_oa_neg(oa)->s[0].active);
	offer_eq(oa, HEAD(1001) OUR_AUDIO(20000, "sendrecv")
		 L("m=video 0 RTP/AVP 31"));
	mem_deref(oa);

	oa = oa_new();
	buf_puts(&off, PEER(1, "198.18.0.2"));
	buf_puts(&want, HEAD(1000));
	for (int i = 0; i < SDP_MAX_MEDIA; i++) {
		buf_printf(&off, "m=x%d 0 RTP/AVP 0\r\n", i);
		buf_printf(&want, "m=x%d 0 RTP/AVP 0\r\n", i);
	}
	answer_eq(oa, buf_cstr(&off), buf_cstr(&want));
	buf_reset(&want);
	buf_puts(&want, HEAD(1001) OUR_AUDIO(20000, "sendrecv"));
	for (int i = 1; i < SDP_MAX_MEDIA; i++)
		buf_printf(&want, "m=x%d 0 RTP/AVP 0\r\n", i);
	offer_eq(oa, buf_cstr(&want));
	buf_free(&off);
	buf_free(&want);
	mem_deref(oa);
}
END_TEST

/* rtcp-mux offered: answered when we do it, else RTCP on port + 1. */
START_TEST(rtcp_mux)
{
	static const char o[] = PEER(1, "198.18.0.2")
		L("m=audio 49170 RTP/AVP 0") L("a=rtcp-mux");
	struct sdp_oa *oa = oa_new();
	struct sdp_caps c;

	answer_eq(oa, o, HEAD(1000) L("m=audio 20000 RTP/AVP 0")
		  L("a=rtpmap:0 PCMU/8000") L("a=ptime:20") L("a=rtcp-mux")
		  L("a=sendrecv"));
	ck_assert(st0(oa)->rtcp_mux);
	sa_is(&st0(oa)->remote_rtcp, "198.18.0.2:49170");
	mem_deref(oa);

	caps_init(&c);
	c.rtcp_mux = false;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	answer_eq(oa, o, HEAD(1000) ANS_PCMU("sendrecv"));
	ck_assert(!st0(oa)->rtcp_mux);
	sa_is(&st0(oa)->remote_rtcp, "198.18.0.2:49171");
	mem_deref(oa);
}
END_TEST

/* Delayed offer: INVITE without SDP, our offer in the 200, the answer in
 * the ACK picks PCMA and its own telephone-event number. */
START_TEST(delayed_offer)
{
	struct sdp_oa *oa = oa_new();
	const struct sdp_stream *st;

	ck_assert_ptr_null(sdp_oa_neg(oa));
	offer_eq(oa, HEAD(1000) OUR_AUDIO(20000, "sendrecv"));
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 8 96")
			      L("a=rtpmap:96 telephone-event/8000")
			      L("a=ptime:30") L("a=rtcp-mux")), 0);
	st = st0(oa);
	ck_assert(st->active);
	ck_assert_int_eq(st->codec, SDP_PCMA);
	ck_assert_uint_eq(st->pt, 8);
	ck_assert_int_eq(st->te_pt, 96);
	ck_assert_uint_eq(st->ptime, 30);
	ck_assert(st->rtcp_mux);
	ck_assert_int_eq(st->dir, SDP_SENDRECV);
	sa_is(&st->remote, "198.18.0.2:49170");
	ck_assert_uint_eq(st->local_port, 20000);
	/* no second answer without a new offer */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 8")), -EPROTO);
	mem_deref(oa);
}
END_TEST

/* Answers that do not fit our offer are refused and leave the offer
 * outstanding; a peer offer during ours is glare. */
START_TEST(bad_answers)
{
	static const char peer_offer[] = PEER(1, "198.18.0.2")
		L("m=audio 49170 RTP/AVP 0");
	struct sdp_oa *oa = oa_new();
	struct sdp_perr e = { 0 };
	struct buf b = { 0 };

	ck_assert_int_eq(take(oa, peer_offer), -EPROTO);
	offer_eq(oa, HEAD(1000) OUR_AUDIO(20000, "sendrecv"));
	/* a format we never offered */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 18")), -EPROTO);
	/* two m-lines for our one */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")
			      L("m=audio 49172 RTP/AVP 0")), -EPROTO);
	/* another media type in our m-line's place */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=video 49170 RTP/AVP 0")), -EPROTO);
	/* RTP/SAVP answer to RTP/AVP */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/SAVP 0")), -EPROTO);
	/* malformed */
	ck_assert_int_eq(sdp_oa_take_answer(oa, "v=0\r\n", 5, &e), -EBADMSG);
	ck_assert_str_eq(e.reason, "truncated before s=");
	/* everything rejected */
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 0 RTP/AVP 0")), -ENOTSUP);
	ck_assert_ptr_null(sdp_oa_neg(oa));
	ck_assert_int_eq(sdp_oa_answer(oa, peer_offer, strlen(peer_offer),
				       &b, NULL), -EBUSY);
	sdp_oa_rollback(oa);
	answer_eq(oa, peer_offer, HEAD(1001) ANS_PCMU("sendrecv"));
	buf_free(&b);
	mem_deref(oa);
}
END_TEST

#define PEERKEY "ycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm" /* 201..230 */

/* We offer SRTP (mandatory: RTP/SAVP with every key); the answer picks
 * our second key by its tag. Unknown tags and missing crypto fail. */
START_TEST(srtp_offer)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	const struct sdp_stream *st;
	static const char ans_tag2[] = PEER(1, "198.18.0.2")
		L("m=audio 49170 RTP/SAVP 0")
		L("a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" PEERKEY);

	caps_init(&c);
	c.srtp = SDP_SRTP_MANDATORY;
	c.rtcp_mux = false;
	c.te_pt = 0;
	c.ncodecs = 1;
	c.nkeys = 2;
	c.keys[0].suite = SDP_AES_256_CM_HMAC_SHA1_80;
	c.keys[0].len = 46;
	c.keys[1].suite = SDP_AES_CM_128_HMAC_SHA1_80;
	c.keys[1].len = 30;
	c.keys[1].mki = 5;
	c.keys[1].mki_len = 2;
	for (int i = 0; i < 46; i++)
		c.keys[0].key[i] = (uint8_t)(i + 1);
	for (int i = 0; i < 30; i++)
		c.keys[1].key[i] = (uint8_t)(i + 1);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	offer_eq(oa, HEAD(1000) L("m=audio 20000 RTP/SAVP 0")
		 L("a=rtpmap:0 PCMU/8000") L("a=ptime:20")
		 L("a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:AQIDBAUGBwgJCgsM"
		   "DQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg==")
		 L("a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:AQIDBAUGBwgJCgsM"
		   "DQ4PEBESExQVFhcYGRobHB0e|5:2")
		 L("a=sendrecv"));
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/SAVP 0")), -EPROTO);
	ck_assert_int_eq(take(oa, PEER(1, "198.18.0.2")
			      L("m=audio 49170 RTP/SAVP 0")
			      L("a=crypto:3 AES_CM_128_HMAC_SHA1_80 "
				"inline:" PEERKEY)),
			 -EPROTO);
	ck_assert_int_eq(take(oa, ans_tag2), 0);
	st = st0(oa);
	ck_assert(st->srtp);
	ck_assert_int_eq(st->local_key.suite, SDP_AES_CM_128_HMAC_SHA1_80);
	ck_assert_uint_eq(st->local_key.len, 30);
	ck_assert_uint_eq(st->local_key.key[29], 30);
	ck_assert_uint_eq(st->local_key.mki, 5);
	ck_assert_uint_eq(st->local_key.mki_len, 2);
	ck_assert_uint_eq(st->remote_key.key[0], 201);
	ck_assert_uint_eq(st->remote_key.tag, 2);
	mem_deref(oa);
}
END_TEST

/* We switch an audio call to T.38 and back, in place. */
START_TEST(t38_switch)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;

	caps_init(&c);
	c.image_port = 20002;
	c.t38 = (struct sdp_t38){ 0, 14400, 1024, 400, false };
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	answer_eq(oa, PEER(1, "198.18.0.2") L("m=audio 49170 RTP/AVP 0"),
		  HEAD(1000) ANS_PCMU("sendrecv"));
	sdp_oa_set_t38(oa, true);
	offer_eq(oa, HEAD(1001) L("m=image 20002 udptl t38")
		 L("a=T38FaxVersion:0") L("a=T38MaxBitRate:14400")
		 L("a=T38FaxRateManagement:transferredTCF")
		 L("a=T38FaxMaxBuffer:1024") L("a=T38FaxMaxDatagram:400"));
	ck_assert_int_eq(take(oa, PEER(2, "198.18.0.2")
			      L("m=image 4000 udptl t38")
			      L("a=T38FaxVersion:0")
			      L("a=T38FaxMaxDatagram:200")), 0);
	ck_assert_int_eq(st0(oa)->kind, SDP_KIND_IMAGE);
	ck_assert_uint_eq(st0(oa)->t38.max_datagram, 200);
	sa_is(&st0(oa)->remote, "198.18.0.2:4000");
	sdp_oa_set_t38(oa, false);
	offer_eq(oa, HEAD(1002) OUR_AUDIO(20000, "sendrecv"));
	ck_assert_int_eq(take(oa, PEER(3, "198.18.0.2")
			      L("m=audio 49170 RTP/AVP 0")), 0);
	ck_assert_int_eq(st0(oa)->kind, SDP_KIND_AUDIO);
	mem_deref(oa);
}
END_TEST

START_TEST(caps_checked)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;

	caps_init(&c);
	c.ncodecs = 0;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
	caps_init(&c);
	c.codecs[1] = SDP_PCMU;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
	caps_init(&c);
	c.te_pt = 13;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
	caps_init(&c);
	c.srtp = SDP_SRTP_OPTIONAL;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
	c.nkeys = 1;
	c.keys[0].suite = SDP_AES_CM_128_HMAC_SHA1_80;
	c.keys[0].len = 16;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
	c.keys[0].len = 30;
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_ptr_null(oa = mem_deref(oa));
	caps_init(&c);
	c.user = "two words";
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), -EINVAL);
}
END_TEST

Suite *sdp_oa_suite(void)
{
	Suite *s = suite_create("sdp_oa");
	TCase *tc = tl_tcase(s, "sdp_oa");

	tcase_add_test(tc, rfc4317_reject_video);
	tcase_add_test(tc, rfc4317_two_audio);
	tcase_add_test(tc, rfc4317_peer_hold_resume);
	tcase_add_test(tc, legacy_hold);
	tcase_add_test(tc, rfc4317_our_hold_resume);
	tcase_add_test(tc, reoffer_codec_and_address);
	tcase_add_test(tc, our_address_change);
	tcase_add_test(tc, rfc4317_add_remove_streams);
	tcase_add_test(tc, stream_replaced);
	tcase_add_test(tc, reoffer_reuses_rejected_slot);
	tcase_add_test(tc, rtcp_mux);
	tcase_add_test(tc, delayed_offer);
	tcase_add_test(tc, bad_answers);
	tcase_add_test(tc, srtp_offer);
	tcase_add_test(tc, t38_switch);
	tcase_add_test(tc, caps_checked);
	return s;
}
