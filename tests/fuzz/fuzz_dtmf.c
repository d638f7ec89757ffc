// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the RFC 4733 receiver, the RFC 3389 CN parser and the
 * jitter buffer on arbitrary packets. The input is a sequence of records:
 *
 *   flags(1) ts-delta(2, big endian) ms-delta(1) len(1) payload(len)
 *
 * flags bit 0 marker, bit 1 feeds the payload to the jitter buffer as CN,
 * bit 2 as audio (ssrc from bit 3), bit 4 polls the receiver, bit 5
 * resets it. Must never crash, hang or leak, and the receiver must pair
 * every START with one END.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/media/cn.h"
#include "../../gateway/media/dtmf.h"
#include "../../gateway/media/jb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ev_h(const struct media_dtmf_event *ev, void *arg)
{
	int *open = arg;

	if (ev->type == MEDIA_DTMF_EV_START) {
		if (*open)
			abort();
		*open = 1;
	} else {
		if (!*open)
			abort();
		*open = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct media_dtmf_rx *rx = NULL;
	struct media_jb *jb = NULL;
	struct media_jb_frame f;
	struct media_cn_info ci;
	uint32_t ts = 0;
	uint64_t now = 0;
	int open = 0;
	size_t pos = 0;

	if (media_dtmf_rx_alloc(&rx, NULL, ev_h, &open) ||
	    media_jb_alloc(&jb, NULL))
		goto out;
	while (size - pos >= 5) {
		uint8_t fl = data[pos];
		size_t len = data[pos + 4];
		const uint8_t *pl = data + pos + 5;

		ts += (uint32_t)(data[pos + 1] << 8 | data[pos + 2]);
		now += data[pos + 3];
		pos += 5;
		if (len > size - pos)
			len = size - pos;
		pos += len;
		media_dtmf_rx_put(rx, ts, fl & 1, pl, len, now);
		media_cn_parse(&ci, pl, len);
		if (fl & 6) {
			struct media_jb_pkt p = {
				.ssrc = (fl >> 3) & 1,
				.seq = (uint16_t)ts,
				.ts = ts,
				.marker = fl & 1,
				.cn = fl & 2,
				.units = (uint32_t)len,
				.payload = pl,
				.len = len,
				.arrival_ms = now,
			};

			media_jb_put(jb, &p);
			media_jb_get(jb, now, &f);
			if (f.len && !f.payload)
				abort();
		}
		if (fl & 0x10)
			media_dtmf_rx_poll(rx, now);
		if (fl & 0x20)
			media_dtmf_rx_reset(rx);
	}
	media_dtmf_rx_reset(rx);
	if (open)
		abort();
out:
	mem_deref(rx);
	mem_deref(jb);
	return 0;
}
