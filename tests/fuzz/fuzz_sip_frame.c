// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: TCP/TLS stream framing. The input is consumed as a
 * stream in chunks; every frame found must lie inside the data, agree with
 * framing the whole buffer at once, and parse or fail cleanly. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* first byte: max size and chunking, so both are explored */
	size_t max = size ? 64u + (size_t)data[0] * 16u : 64;
	size_t off = 0;

	while (off < size) {
		struct sip_frame f, g;
		struct sip_msg *m = NULL;
		int r = sip_frame_next(data + off, size - off, max, &f);

		if (r == -EAGAIN) {
			/* more data can only complete it, never change skip */
			if (f.skip > size - off)
				abort();
			break;
		}
		if (r)
			break;
		if (f.skip + f.len > size - off || f.len > max || !f.len)
			abort();
		/* the same frame, given exactly its bytes */
		if (sip_frame_next(data + off, f.skip + f.len, max, &g) ||
		    g.len != f.len || g.skip != f.skip)
			abort();
		if (sip_msg_parse(&m, data + off + f.skip, f.len,
				  SIP_PARSE_STREAM, NULL) == 0) {
			if (m->raw.l != f.len)
				abort();
			mem_deref(m);
		}
		off += f.skip + f.len;
	}
	return 0;
}
