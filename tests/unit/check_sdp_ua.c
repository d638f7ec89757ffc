// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sdp: offers shaped like the ones real user agents send (SIPp,
 * baresip, Asterisk, FreeSWITCH, a carrier SBC, IPv6, SRTP SDES, T.38),
 * each parsed and answered; the answers are compared byte for byte and
 * the negotiated streams field by field.
 */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sdp/oa.h"
#include "tl_check.h"

#define L(x) x "\r\n"

/* Our side in these tests: 192.0.2.1, audio on 20000, T.38 on 20002. */
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

static void key_fill(struct sdp_key *k, enum sdp_suite su, uint8_t first)
{
	memset(k, 0, sizeof(*k));
	k->suite = su;
	k->len = (uint8_t)sdp_suite_keylen(su);
	for (unsigned i = 0; i < k->len; i++)
		k->key[i] = (uint8_t)(first + i);
}

/* Answer @offer with @caps; the answer must be @want exactly. */
static struct sdp_oa *answer_eq(const struct sdp_caps *caps,
				const char *offer, const char *want)
{
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };
	struct sdp_perr e = { 0 };
	int err;

	ck_assert_int_eq(sdp_oa_alloc(&oa, caps), 0);
	err = sdp_oa_answer(oa, offer, strlen(offer), &b, &e);
	ck_assert_msg(err == 0, "answer: %d %s", err,
		      e.reason ? e.reason : "");
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_free(&b);
	return oa;
}

static void sa_is(const struct sa *sa, const char *want)
{
	char s[SA_STRLEN];

	ck_assert_str_eq(sa_str(sa, s, sizeof(s)), want);
}

#define ANS_HEAD L("v=0") L("o=tl 1000 1000 IN IP4 192.0.2.1") \
	L("s=Trunkline") L("c=IN IP4 192.0.2.1") L("t=0 0")

/* SIPp's built-in uac scenario: PCMU only. */
START_TEST(ua_sipp_uac)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	oa = answer_eq(&c,
		L("v=0") L("o=user1 53655765 2353687637 IN IP4 127.0.0.1")
		L("s=-") L("c=IN IP4 127.0.0.1") L("t=0 0")
		L("m=audio 6000 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000"),
		ANS_HEAD L("m=audio 20000 RTP/AVP 0")
		L("a=rtpmap:0 PCMU/8000") L("a=ptime:20") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_uint_eq(sdp_oa_neg(oa)->nstreams, 1);
	ck_assert(st->active);
	ck_assert_int_eq(st->kind, SDP_KIND_AUDIO);
	ck_assert_int_eq(st->codec, SDP_PCMU);
	ck_assert_uint_eq(st->pt, 0);
	ck_assert_uint_eq(st->rate, 8000);
	ck_assert_int_eq(st->te_pt, SDP_PT_NONE);
	ck_assert_int_eq(st->cn_pt, SDP_PT_NONE);
	sa_is(&st->remote, "127.0.0.1:6000");
	sa_is(&st->remote_rtcp, "127.0.0.1:6001");
	ck_assert_int_eq(st->dir, SDP_SENDRECV);
	ck_assert_uint_eq(st->ptime, 20);
	ck_assert(!st->rtcp_mux);
	ck_assert(!st->srtp);
	ck_assert_uint_eq(st->local_port, 20000);
	mem_deref(oa);
}
END_TEST

/* SIPp uac_pcap: PCMA with telephone-event. */
START_TEST(ua_sipp_uac_pcap)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	oa = answer_eq(&c,
		L("v=0") L("o=user1 53655765 2353687637 IN IP4 127.0.0.1")
		L("s=-") L("c=IN IP4 127.0.0.1") L("t=0 0")
		L("m=audio 6000 RTP/AVP 8 101") L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-11,16"),
		ANS_HEAD L("m=audio 20000 RTP/AVP 8 101")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->codec, SDP_PCMA);
	ck_assert_uint_eq(st->pt, 8);
	ck_assert_int_eq(st->te_pt, 101);
	mem_deref(oa);
}
END_TEST

/* baresip: opus first (not ours), G.722 next; rtcp-mux and extras. */
START_TEST(ua_baresip)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	oa = answer_eq(&c,
		L("v=0") L("o=- 1858330283 1183283464 IN IP4 198.18.0.10")
		L("s=-") L("c=IN IP4 198.18.0.10") L("t=0 0")
		L("m=audio 10208 RTP/AVP 96 9 0 8 101") L("b=AS:128")
		L("a=rtpmap:96 opus/48000/2")
		L("a=fmtp:96 stereo=1;sprop-stereo=1")
		L("a=rtpmap:9 G722/8000") L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15") L("a=rtcp-mux") L("a=sendrecv")
		L("a=label:1") L("a=ssrc:1947360122 cname:a1b2c3d4")
		L("a=rtcp-rsize") L("a=ptime:20"),
		ANS_HEAD L("m=audio 20000 RTP/AVP 9 101")
		L("a=rtpmap:9 G722/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20") L("a=rtcp-mux") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->codec, SDP_G722);
	ck_assert_uint_eq(st->pt, 9);
	ck_assert(st->rtcp_mux);
	sa_is(&st->remote, "198.18.0.10:10208");
	sa_is(&st->remote_rtcp, "198.18.0.10:10208");
	mem_deref(oa);
}
END_TEST

/* Asterisk (chan_pjsip): GSM we lack, ptime and maxptime. */
START_TEST(ua_asterisk)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	c.codecs[0] = SDP_PCMA;
	c.codecs[1] = SDP_PCMU;
	c.ncodecs = 2;
	c.maxptime = 40;
	oa = answer_eq(&c,
		L("v=0") L("o=- 1543329153 1543329153 IN IP4 198.51.100.5")
		L("s=Asterisk") L("c=IN IP4 198.51.100.5") L("t=0 0")
		L("m=audio 13980 RTP/AVP 3 0 8 101")
		L("a=rtpmap:3 GSM/8000") L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-16") L("a=ptime:30") L("a=maxptime:150")
		L("a=sendrecv"),
		/* offerer's order wins by default: PCMU before PCMA */
		ANS_HEAD L("m=audio 20000 RTP/AVP 0 101")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20") L("a=maxptime:40") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->codec, SDP_PCMU);
	ck_assert_uint_eq(st->ptime, 30);
	mem_deref(oa);
}
END_TEST

/* FreeSWITCH: opus, G.722, G.711, telephone-event at two rates, CN;
 * answered in our order (prefer_ours) with comfort noise on. */
START_TEST(ua_freeswitch)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	c.codecs[0] = SDP_PCMA;
	c.codecs[1] = SDP_G722;
	c.codecs[2] = SDP_PCMU;
	c.prefer_ours = true;
	c.cn = true;
	c.rtcp_mux = false;
	oa = answer_eq(&c,
		L("v=0")
		L("o=FreeSWITCH 1700000000 1700000001 IN IP4 203.0.113.7")
		L("s=FreeSWITCH") L("c=IN IP4 203.0.113.7") L("t=0 0")
		L("m=audio 24580 RTP/AVP 102 9 0 8 103 101 13")
		L("a=rtpmap:102 opus/48000/2")
		L("a=fmtp:102 useinbandfec=1; maxplaybackrate=48000")
		L("a=rtpmap:9 G722/8000") L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:103 telephone-event/48000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-16") L("a=rtpmap:13 CN/8000")
		L("a=ptime:20") L("a=rtcp-mux")
		L("a=rtcp:24581 IN IP4 203.0.113.7"),
		ANS_HEAD L("m=audio 20000 RTP/AVP 8 101 13")
		L("a=rtpmap:8 PCMA/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=rtpmap:13 CN/8000") L("a=ptime:20") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->codec, SDP_PCMA);
	ck_assert_int_eq(st->te_pt, 101);
	ck_assert_int_eq(st->cn_pt, 13);
	ck_assert(!st->rtcp_mux);
	sa_is(&st->remote_rtcp, "203.0.113.7:24581");
	mem_deref(oa);
}
END_TEST

/* A carrier SBC: G.729 first, c= differs from o=, a second t= and
 * session bandwidth. */
START_TEST(ua_carrier_sbc)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	oa = answer_eq(&c,
		L("v=0") L("o=Sonus_UAC 31460 28315 IN IP4 192.0.2.200")
		L("s=SIP Media Capabilities") L("c=IN IP4 192.0.2.201")
		L("b=AS:64") L("t=0 0")
		L("m=audio 17386 RTP/AVP 18 0 101")
		L("a=rtpmap:18 G729/8000") L("a=fmtp:18 annexb=no")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=fmtp:101 0-15") L("a=sendrecv") L("a=ptime:20")
		L("a=maxptime:20"),
		ANS_HEAD L("m=audio 20000 RTP/AVP 0 101")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->codec, SDP_PCMU);
	sa_is(&st->remote, "192.0.2.201:17386");
	ck_assert_uint_eq(st->ptime, 20);
	mem_deref(oa);
}
END_TEST

/* IPv6 end to end, with RTCP on another address (RFC 3605). */
START_TEST(ua_ipv6)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	c.addr = "fd00::1";
	oa = answer_eq(&c,
		L("v=0") L("o=- 2890844526 2890842807 IN IP6 fd00::10")
		L("s=-") L("c=IN IP6 fd00::10") L("t=0 0")
		L("m=audio 49170 RTP/AVP 0 101")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=rtcp:49181 IN IP6 fd00::11"),
		L("v=0") L("o=tl 1000 1000 IN IP6 fd00::1") L("s=Trunkline")
		L("c=IN IP6 fd00::1") L("t=0 0")
		L("m=audio 20000 RTP/AVP 0 101") L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20") L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	sa_is(&st->remote, "[fd00::10]:49170");
	sa_is(&st->remote_rtcp, "[fd00::11]:49181");
	mem_deref(oa);
}
END_TEST

#define KEY80 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e"   /* 1..30 */
#define KEY32 "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ent8fX5/gIGC"   /* 101..130 */
#define PEERKEY "ycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm" /* 201..230 */

static void srtp_caps(struct sdp_caps *c, enum sdp_srtp pol)
{
	caps_init(c);
	c->srtp = pol;
	key_fill(&c->keys[0], SDP_AES_CM_128_HMAC_SHA1_32, 101);
	key_fill(&c->keys[1], SDP_AES_CM_128_HMAC_SHA1_80, 1);
	c->nkeys = 2;
}

/* A phone with SDES: RTP/SAVP, two suites, lifetime and MKI. We answer
 * the first offered suite we have, under the peer's tag, with our key. */
START_TEST(ua_srtp_sdes)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	srtp_caps(&c, SDP_SRTP_MANDATORY);
	oa = answer_eq(&c,
		L("v=0") L("o=- 3 4 IN IP4 198.18.0.20") L("s=-")
		L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/SAVP 0 8 101")
		L("a=rtpmap:101 telephone-event/8000")
		L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" PEERKEY
		  "|2^20|1:4")
		L("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" PEERKEY
		  "|2^20|1:4"),
		ANS_HEAD L("m=audio 20000 RTP/SAVP 0 101")
		L("a=rtpmap:0 PCMU/8000")
		L("a=rtpmap:101 telephone-event/8000") L("a=fmtp:101 0-16")
		L("a=ptime:20")
		L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY80)
		L("a=sendrecv"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert(st->srtp);
	ck_assert_int_eq(st->local_key.suite, SDP_AES_CM_128_HMAC_SHA1_80);
	ck_assert_uint_eq(st->local_key.len, 30);
	ck_assert_uint_eq(st->local_key.key[0], 1);
	ck_assert_uint_eq(st->local_key.key[29], 30);
	ck_assert_uint_eq(st->local_key.tag, 1);
	ck_assert_int_eq(st->remote_key.suite, SDP_AES_CM_128_HMAC_SHA1_80);
	ck_assert_uint_eq(st->remote_key.len, 30);
	ck_assert_uint_eq(st->remote_key.key[0], 201);
	ck_assert_uint_eq(st->remote_key.key[29], 230);
	ck_assert_uint_eq(st->remote_key.mki, 1);
	ck_assert_uint_eq(st->remote_key.mki_len, 4);
	mem_deref(oa);
}
END_TEST

/* SRTP policy: off refuses RTP/SAVP, mandatory refuses plain RTP,
 * optional takes best-effort crypto on RTP/AVP. */
START_TEST(ua_srtp_policy)
{
	static const char savp[] = L("v=0") L("o=- 3 4 IN IP4 198.18.0.20")
		L("s=-") L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/SAVP 0")
		L("a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" PEERKEY);
	static const char avp[] = L("v=0") L("o=- 3 4 IN IP4 198.18.0.20")
		L("s=-") L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/AVP 0");
	static const char avp_crypto[] = L("v=0")
		L("o=- 3 4 IN IP4 198.18.0.20") L("s=-")
		L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/AVP 0")
		L("a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" PEERKEY)
		L("a=crypto:8 AES_256_CM_HMAC_SHA1_80 inline:" PEERKEY);
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };

	caps_init(&c);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_int_eq(sdp_oa_answer(oa, savp, strlen(savp), &b, NULL),
			 -ENOTSUP);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_null(sdp_oa_neg(oa));
	oa = mem_deref(oa);

	srtp_caps(&c, SDP_SRTP_MANDATORY);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_int_eq(sdp_oa_answer(oa, avp, strlen(avp), &b, NULL),
			 -ENOTSUP);
	oa = mem_deref(oa);

	srtp_caps(&c, SDP_SRTP_OPTIONAL);
	oa = answer_eq(&c, avp_crypto,
		ANS_HEAD L("m=audio 20000 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000")
		L("a=ptime:20")
		L("a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" KEY32)
		L("a=sendrecv"));
	ck_assert(sdp_oa_neg(oa)->s[0].srtp);
	ck_assert_int_eq(sdp_oa_neg(oa)->s[0].remote_key.suite,
			 SDP_AES_CM_128_HMAC_SHA1_32);
	oa = mem_deref(oa);
	/* optional and no crypto offered: plain RTP */
	oa = answer_eq(&c, avp,
		ANS_HEAD L("m=audio 20000 RTP/AVP 0") L("a=rtpmap:0 PCMU/8000")
		L("a=ptime:20") L("a=sendrecv"));
	ck_assert(!sdp_oa_neg(oa)->s[0].srtp);
	mem_deref(oa);
	buf_free(&b);
}
END_TEST

/* A crypto key of the wrong length for its suite is not usable. */
START_TEST(ua_srtp_bad_key)
{
	static const char o[] = L("v=0") L("o=- 3 4 IN IP4 198.18.0.20")
		L("s=-") L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/SAVP 0")
		L("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJDRA==");
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };

	srtp_caps(&c, SDP_SRTP_MANDATORY);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_int_eq(sdp_oa_answer(oa, o, strlen(o), &b, NULL),
			 -ENOTSUP);
	mem_deref(oa);
	buf_free(&b);
}
END_TEST

static const char t38_offer[] =
	L("v=0") L("o=- 10 11 IN IP4 198.18.0.30") L("s=-")
	L("c=IN IP4 198.18.0.30") L("t=0 0")
	L("m=image 4400 udptl t38") L("a=T38FaxVersion:1")
	L("a=T38MaxBitRate:9600") L("a=T38FaxFillBitRemoval:0")
	L("a=T38FaxRateManagement:transferredTCF")
	L("a=T38FaxMaxBuffer:262") L("a=T38FaxMaxDatagram:176")
	L("a=T38FaxUdpEC:t38UDPRedundancy");

/* A fax ATA switching to T.38: accepted when we have an image port. */
START_TEST(ua_t38)
{
	struct sdp_caps c;
	struct sdp_oa *oa;
	const struct sdp_stream *st;

	caps_init(&c);
	c.image_port = 20002;
	c.t38 = (struct sdp_t38){ 0, 14400, 1024, 400, true };
	oa = answer_eq(&c, t38_offer,
		ANS_HEAD L("m=image 20002 udptl t38") L("a=T38FaxVersion:0")
		L("a=T38MaxBitRate:9600")
		L("a=T38FaxRateManagement:transferredTCF")
		L("a=T38FaxMaxBuffer:1024") L("a=T38FaxMaxDatagram:400")
		L("a=T38FaxUdpEC:t38UDPRedundancy"));
	st = &sdp_oa_neg(oa)->s[0];
	ck_assert_int_eq(st->kind, SDP_KIND_IMAGE);
	ck_assert(st->active);
	ck_assert_uint_eq(st->local_port, 20002);
	sa_is(&st->remote, "198.18.0.30:4400");
	ck_assert_uint_eq(st->t38.version, 0);
	ck_assert_uint_eq(st->t38.max_bitrate, 9600);
	ck_assert_uint_eq(st->t38.max_datagram, 176);
	ck_assert(st->t38.redundancy);
	mem_deref(oa);
}
END_TEST

START_TEST(ua_t38_refused)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };

	caps_init(&c);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_int_eq(sdp_oa_answer(oa, t38_offer, strlen(t38_offer), &b,
				       NULL), -ENOTSUP);
	mem_deref(oa);
	buf_free(&b);
}
END_TEST

/* Nothing we can use at all: G.729 only. */
START_TEST(ua_no_common_codec)
{
	static const char o[] = L("v=0") L("o=- 3 4 IN IP4 198.18.0.20")
		L("s=-") L("c=IN IP4 198.18.0.20") L("t=0 0")
		L("m=audio 7078 RTP/AVP 18") L("a=rtpmap:18 G729/8000");
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };

	caps_init(&c);
	ck_assert_int_eq(sdp_oa_alloc(&oa, &c), 0);
	ck_assert_int_eq(sdp_oa_answer(oa, o, strlen(o), &b, NULL),
			 -ENOTSUP);
	mem_deref(oa);
	buf_free(&b);
}
END_TEST

Suite *sdp_ua_suite(void)
{
	Suite *s = suite_create("sdp_ua");
	TCase *tc = tl_tcase(s, "sdp_ua");

	tcase_add_test(tc, ua_sipp_uac);
	tcase_add_test(tc, ua_sipp_uac_pcap);
	tcase_add_test(tc, ua_baresip);
	tcase_add_test(tc, ua_asterisk);
	tcase_add_test(tc, ua_freeswitch);
	tcase_add_test(tc, ua_carrier_sbc);
	tcase_add_test(tc, ua_ipv6);
	tcase_add_test(tc, ua_srtp_sdes);
	tcase_add_test(tc, ua_srtp_policy);
	tcase_add_test(tc, ua_srtp_bad_key);
	tcase_add_test(tc, ua_t38);
	tcase_add_test(tc, ua_t38_refused);
	tcase_add_test(tc, ua_no_common_codec);
	return s;
}
