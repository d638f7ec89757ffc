/* SPDX-License-Identifier: GPL-2.0 */
/* The offer/answer state and helpers shared by oa.c, answer.c, take.c. */
#ifndef TL_SDP_OA_PRIV_H
#define TL_SDP_OA_PRIV_H

#include <netinet/in.h>

#include "oa.h"

struct sdp_oa {
	struct sdp_caps caps;	/* .user and .addr point into the arrays */
	char user[64];
	char addr[INET6_ADDRSTRLEN];
	uint64_t version;	/* o= version of our last description */
	enum sdp_dir dir;	/* what we want: sendrecv, sendonly, inactive */
	bool t38;		/* next offer carries T.38 instead of audio */
	bool offer_out;		/* our offer awaits an answer */
	struct sdp_session *local;   /* last description we sent (owned) */
	struct sdp_session *offer;   /* our outstanding offer (owned) */
	struct buf last;	/* @local printed, for RFC 3264 8 versions */
	struct sdp_neg neg;
	bool have_neg;
};

/* An audio m-line we write (offer or answer). */
struct sdp_aline {
	uint16_t port;
	const char *proto;
	enum sdp_codec codec[SDP_NCODECS];
	uint8_t pt[SDP_NCODECS];
	unsigned ncodec;
	int te_pt; /* or SDP_PT_NONE */
	int cn_pt; /* or SDP_PT_NONE */
	const struct sdp_key *keys;
	unsigned nkeys;
	bool rtcp_mux;
	enum sdp_dir dir;
};

/* Codec table: wire name and static payload type. */
const char *sdp_codec_name(enum sdp_codec c);
uint8_t sdp_codec_pt(enum sdp_codec c);

/* Payload type, encoding and clock rate of format @fmt of @m (rtpmap, else
 * the RFC 3551 static table); false when it is not an RTP format we can
 * name (an rtpmap without a clock rate included). */
bool sdp_fmt_info(const struct sdp_media *m, struct strv fmt, unsigned *pt,
		  struct strv *enc, uint32_t *rate);

/* The codec a format carries, or -ENOENT. */
int sdp_fmt_codec(const struct sdp_media *m, struct strv fmt, unsigned *pt);

/* What kind of stream an m-line is for us. */
enum sdp_kind sdp_media_kind(const struct sdp_media *m);

/* Start a description of ours: o=, s=, c=, t=. */
int sdp_oa_begin(struct sdp_oa *oa, struct sdp_session **sp);
/* Append an audio m-line / a T.38 m-line / a rejected copy of @from. */
int sdp_oa_put_audio(struct sdp_oa *oa, struct sdp_session *s,
		     const struct sdp_aline *a);
int sdp_oa_put_image(struct sdp_oa *oa, struct sdp_session *s,
		     const struct sdp_t38 *t);
int sdp_oa_put_rejected(struct sdp_session *s, const struct sdp_media *from);
/* Print @s into @out under the version rule and make it our last one. */
int sdp_oa_emit(struct sdp_oa *oa, struct sdp_session *s, struct buf *out);

/* Remote RTP and RTCP addresses of @m into @st (hold address: unset). */
void sdp_oa_remote(const struct sdp_session *s, const struct sdp_media *m,
		   struct sdp_stream *st);
/* T.38 parameters of an image m-line, defaults for absent ones. */
void sdp_t38_read(const struct sdp_media *m, struct sdp_t38 *t);

#endif
