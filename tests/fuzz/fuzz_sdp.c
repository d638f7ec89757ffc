// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the SDP parser, printer and offer/answer engine on
 * arbitrary bytes. Whatever parses must print, the print must parse to a
 * description that prints the same again, and the engine must answer it,
 * take it as an answer and re-offer afterwards without crashing, leaking
 * or producing a description it cannot parse itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sdp/oa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

/* Caps varied by one input byte so every branch of the engine is fed. */
static void caps_pick(struct sdp_caps *c, uint8_t sel)
{
	memset(c, 0, sizeof(*c));
	c->sess_id = 42;
	c->addr = (sel & 1) ? "fd00::1" : "198.18.0.1";
	c->audio_port = 30000;
	c->image_port = (sel & 2) ? 30002 : 0;
	c->codecs[0] = SDP_PCMA;
	c->codecs[1] = SDP_G722;
	c->codecs[2] = SDP_PCMU;
	c->ncodecs = 3;
	c->prefer_ours = sel & 4;
	c->te_pt = (sel & 8) ? 0 : 101;
	c->cn = sel & 16;
	c->rtcp_mux = sel & 32;
	c->srtp = (enum sdp_srtp)((sel >> 6) % 3);
	c->t38 = (struct sdp_t38){ 0, 14400, 1024, 400, true };
	c->keys[0].suite = SDP_AES_CM_128_HMAC_SHA1_80;
	c->keys[0].len = 30;
	c->keys[1].suite = SDP_AEAD_AES_128_GCM;
	c->keys[1].len = 28;
	c->keys[1].mki_len = 1;
	c->nkeys = 2;
}

/* Our own output must always be acceptable to our own parser. */
static void check_ours(const struct buf *b, size_t from)
{
	struct sdp_session *s = NULL;

	CHECK(sdp_parse(&s, (const char *)b->data + from, b->len - from,
			NULL) == 0);
	mem_deref(s);
}

static void roundtrip(const struct sdp_session *s)
{
	struct buf p1 = { 0 }, p2 = { 0 };
	struct sdp_session *s2 = NULL;

	CHECK(sdp_print(&p1, s) == 0);
	/* canonical CRLF form may outgrow the size limit of a LF input */
	if (p1.len <= SDP_MAX_SIZE) {
		CHECK(sdp_parse(&s2, (const char *)p1.data, p1.len, NULL) ==
		      0);
		CHECK(sdp_print(&p2, s2) == 0);
		CHECK(p1.len == p2.len && !memcmp(p1.data, p2.data, p1.len));
		CHECK(s2->nmedia == s->nmedia);
	}
	mem_deref(s2);
	buf_free(&p1);
	buf_free(&p2);
}

static void engine(const char *text, size_t len, uint8_t sel)
{
	struct sdp_caps c;
	struct sdp_oa *oa = NULL;
	struct buf b = { 0 };
	size_t from;

	caps_pick(&c, sel);
	CHECK(sdp_oa_alloc(&oa, &c) == 0);
	/* as an offer, then a re-offer of ours on top of the answer */
	if (sdp_oa_answer(oa, text, len, &b, NULL) == 0) {
		check_ours(&b, 0);
		from = b.len;
		sdp_oa_set_dir(oa, SDP_SENDONLY);
		sdp_oa_set_t38(oa, sel & 1);
		CHECK(sdp_oa_offer(oa, &b) == 0);
		check_ours(&b, from);
		sdp_oa_rollback(oa);
	}
	oa = mem_deref(oa);
	buf_reset(&b);
	/* as the answer to our offer */
	CHECK(sdp_oa_alloc(&oa, &c) == 0);
	CHECK(sdp_oa_offer(oa, &b) == 0);
	if (sdp_oa_take_answer(oa, text, len, NULL) == 0) {
		from = b.len;
		CHECK(sdp_oa_offer(oa, &b) == 0);
		check_ours(&b, from);
	}
	mem_deref(oa);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdp_session *s = NULL;
	struct sdp_perr e;
	size_t live = mem_live();
	uint8_t sel = 0;
	/* a private copy: the parser must not read past @size */
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	/* the caps choice follows the whole input, so mutations move it */
	for (size_t i = 0; i < size; i++)
		sel = (uint8_t)((sel << 1 | sel >> 7) ^ data[i]);
	if (sdp_parse(&s, text, size, &e) == 0) {
		roundtrip(s);
		engine(text, size, sel);
	} else {
		CHECK(e.reason != NULL && s == NULL);
	}
	mem_deref(s);
	free(text);
	CHECK(mem_live() == live);
	return 0;
}
