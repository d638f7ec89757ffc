/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP offer/answer (RFC 3264) for one SIP dialog.
 *
 * struct sdp_oa holds our capabilities, our last session description (for
 * the o= version rule of RFC 3264 8 and for re-offers that must keep the
 * m-line count and order), the state of an outstanding offer and the
 * negotiated result the media layer uses.
 *
 * The gateway carries one audio stream and one T.38 (image) stream per
 * call; further audio streams in an offer are rejected with port 0.
 *
 * Flows:
 *   offer in INVITE     -> sdp_oa_answer() -> answer in 200
 *   INVITE without SDP  -> sdp_oa_offer() in 200, sdp_oa_take_answer() on ACK
 *   our (re-)INVITE     -> sdp_oa_offer(), then sdp_oa_take_answer(), or
 *                          sdp_oa_rollback() on a failure response
 */
#ifndef TL_SDP_OA_H
#define TL_SDP_OA_H

#include "sdp.h"

enum sdp_codec {
	SDP_PCMU,
	SDP_PCMA,
	SDP_G722,
	SDP_NCODECS
};

enum sdp_srtp {
	SDP_SRTP_OFF,
	SDP_SRTP_OPTIONAL,  /* offer RTP/AVP with crypto; accept either */
	SDP_SRTP_MANDATORY, /* offer RTP/SAVP; refuse plain RTP */
};

enum sdp_suite {
	SDP_SUITE_NONE,
	SDP_AES_CM_128_HMAC_SHA1_80,
	SDP_AES_CM_128_HMAC_SHA1_32,
	SDP_AES_256_CM_HMAC_SHA1_80,
	SDP_AEAD_AES_128_GCM,
};

#define SDP_KEY_MAX 46 /* master key + salt of AES_256_CM */
#define SDP_MAX_KEYS 4

/* One SRTP master key and salt with its suite (and MKI, if any). */
struct sdp_key {
	enum sdp_suite suite;
	uint8_t key[SDP_KEY_MAX];
	uint8_t len;
	uint32_t tag; /* a=crypto tag it was offered or answered under */
	uint32_t mki;
	uint8_t mki_len;
};

/* T.38 parameters (ITU-T T.38 Annex D) we offer, accept or agreed on. */
struct sdp_t38 {
	uint32_t version;
	uint32_t max_bitrate;
	uint32_t max_buffer;
	uint32_t max_datagram;
	bool redundancy; /* T38FaxUdpEC:t38UDPRedundancy */
};

/* What we can do; the media layer fills it (ports, keys) before a call. */
struct sdp_caps {
	const char *user;  /* o= user name; "-" when NULL */
	uint64_t sess_id;  /* o= session id; also the first version */
	const char *addr;  /* our numeric media address */
	uint16_t audio_port;
	uint16_t image_port; /* 0 = no T.38 */
	enum sdp_codec codecs[SDP_NCODECS]; /* preference order */
	unsigned ncodecs;
	bool prefer_ours; /* answer in our order, not the offerer's */
	uint8_t te_pt;	  /* telephone-event PT we offer; 0 = none */
	bool cn;	  /* comfort noise, PT 13 */
	uint32_t ptime;	  /* ms; 0 = 20 */
	uint32_t maxptime; /* ms; 0 = not sent */
	enum sdp_srtp srtp;
	struct sdp_key keys[SDP_MAX_KEYS]; /* one per suite, preferred first */
	unsigned nkeys;
	bool rtcp_mux;
	struct sdp_t38 t38;
};

enum sdp_kind { SDP_KIND_OTHER, SDP_KIND_AUDIO, SDP_KIND_IMAGE };

/* "No such payload type" in te_pt / cn_pt below. */
#define SDP_PT_NONE (-1)

/* One m-line of the negotiated session, from our point of view. */
struct sdp_stream {
	enum sdp_kind kind;
	bool active;	     /* false: rejected or disabled (port 0) */
	uint16_t local_port;
	enum sdp_codec codec; /* audio: the codec we send and receive */
	uint8_t pt;	      /* its payload type */
	uint32_t rate;	      /* its RTP clock rate */
	int te_pt;	      /* telephone-event PT or SDP_PT_NONE */
	int cn_pt;	      /* CN PT or SDP_PT_NONE */
	struct sa remote;     /* RTP; len 0 when the peer holds (0.0.0.0) */
	struct sa remote_rtcp;
	enum sdp_dir dir; /* sendonly = we send and do not receive */
	uint32_t ptime;	  /* ms of audio per packet we send */
	bool rtcp_mux;
	bool srtp;
	struct sdp_key local_key;  /* we protect with it */
	struct sdp_key remote_key; /* we unprotect with it */
	struct sdp_t38 t38;	   /* image: what both sides agreed */
};

struct sdp_neg {
	unsigned nstreams; /* equals the m-line count of the exchange */
	struct sdp_stream s[SDP_MAX_MEDIA];
};

struct sdp_oa;

/* A new offer/answer state with a copy of @caps (its strings too); *@oap
 * holds one mem reference. -EINVAL for unusable caps, -ENOMEM. */
int sdp_oa_alloc(struct sdp_oa **oap, const struct sdp_caps *caps);

/* Replace the capabilities (address, port, codecs, keys ...); the next
 * offer or answer uses them. -EINVAL for unusable caps. */
int sdp_oa_set_caps(struct sdp_oa *oa, const struct sdp_caps *caps);

/* The direction we want: SDP_SENDRECV (normal, resume), SDP_SENDONLY
 * (we hold the peer) or SDP_INACTIVE. Applies to the next offer/answer. */
void sdp_oa_set_dir(struct sdp_oa *oa, enum sdp_dir dir);

/* Ask the next offer to switch the audio stream to T.38 (or back). */
void sdp_oa_set_t38(struct sdp_oa *oa, bool on);

/* Make an offer (initial, delayed-offer 200 or re-offer) into @out.
 * 0 or -ENOMEM. An offer already outstanding is replaced (a retry
 * after 491). */
int sdp_oa_offer(struct sdp_oa *oa, struct buf *out);

/* Answer the peer's offer @body; the answer goes to @out and the result to
 * sdp_oa_neg(). -EBADMSG (malformed, @err says why), -EPROTO (not a valid
 * offer for this session, e.g. fewer m-lines than before), -ENOTSUP (no
 * acceptable media: reply 488), -EBUSY (our own offer is outstanding). */
int sdp_oa_answer(struct sdp_oa *oa, const char *body, size_t len,
		  struct buf *out, struct sdp_perr *err);

/* Take the peer's answer to our outstanding offer. -EBADMSG, -EPROTO
 * (m-line count or formats do not match our offer; no offer outstanding),
 * -ENOTSUP (every stream rejected). On error the offer stays outstanding;
 * the caller decides (sdp_oa_rollback(), BYE ...). */
int sdp_oa_take_answer(struct sdp_oa *oa, const char *body, size_t len,
		       struct sdp_perr *err);

/* Forget an outstanding offer (its transaction failed): the previous
 * negotiated session stays in force. */
void sdp_oa_rollback(struct sdp_oa *oa);

/* The negotiated session, or NULL before the first complete exchange. */
const struct sdp_neg *sdp_oa_neg(const struct sdp_oa *oa);

/* Suite name as in a=crypto, or NULL; and the other way round. */
const char *sdp_suite_name(enum sdp_suite s);
enum sdp_suite sdp_suite_of(struct strv name);
/* Bytes of master key + salt for @s (0 for an unknown suite). */
unsigned sdp_suite_keylen(enum sdp_suite s);

/* Base64 (RFC 4648) of @n bytes into @dst (size @dn, NUL-terminated);
 * -ENOSPC if it does not fit. */
int sdp_b64_enc(const uint8_t *src, size_t n, char *dst, size_t dn);
/* Decode @v into @dst (room @dn); the length in *@outn. -EBADMSG for bad
 * base64, -ENOSPC when too long. */
int sdp_b64_dec(struct strv v, uint8_t *dst, size_t dn, size_t *outn);

#endif
