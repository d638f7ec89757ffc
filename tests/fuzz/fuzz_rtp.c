// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the RTP header decoder (with an encode round trip
 * that must reproduce the header octets) and the RTCP compound walker,
 * as a packet from the network would reach them. The first input octet
 * picks the parser so one corpus covers both.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/media/rtcp.h"
#include "../../gateway/media/rtp.h"
#include "../../gateway/media/rtp_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_rtp(const uint8_t *p, size_t n)
{
	static struct rtp_stats st;
	struct rtp_hdr h;
	uint8_t out[RTP_HDR_MIN + 60 + 4 + 65535 * 4];
	int len;

	if (rtp_hdr_decode(&h, p, n))
		return;
	if (h.hdr_len + h.pay_len + h.pad_len != n)
		abort();
	len = rtp_hdr_encode(&h, out, sizeof(out));
	/* same header, minus the padding bit encode never sets */
	if (len < 0 || (size_t)len != h.hdr_len ||
	    (out[0] | (p[0] & 0x20)) != p[0] ||
	    memcmp(out + 1, p + 1, (size_t)len - 1))
		abort();
	if (st.clock_rate == 0)
		rtp_stats_init(&st, h.ssrc, 8000);
	rtp_stats_update(&st, h.seq, h.ts, (uint32_t)h.pay_len, h.ts * 125ull);
}

static void fuzz_rtcp(const uint8_t *p, size_t n)
{
	struct rtcp_iter it;
	struct rtcp_pkt pkt;
	size_t total = 0;
	int r;

	if (rtcp_iter_init(&it, p, n))
		return;
	while ((r = rtcp_iter_next(&it, &pkt)) == 1) {
		total += pkt.len;
		if (pkt.body + pkt.body_len > p + n)
			abort();
		for (unsigned i = 0; pkt.pt == RTCP_SDES && i < pkt.count; i++)
			if (pkt.chunk[i].cname &&
			    (const uint8_t *)pkt.chunk[i].cname +
					    pkt.chunk[i].cname_len > p + n)
				abort();
	}
	/* a compound that passed init must walk to its exact end */
	if (r == 0 && total != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_rtcp(data + 1, size - 1);
	else
		fuzz_rtp(data + 1, size - 1);
	return 0;
}
