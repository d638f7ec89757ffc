// SPDX-License-Identifier: GPL-2.0
/* The receive path's last step: a jitter buffer frame decoded to PCM. */
#include <errno.h>
#include <string.h>

#include "cn.h"
#include "codec.h"
#include "jb.h"
#include "plc.h"

int media_jb_play(struct media_jb *jb, struct media_codec *dec,
		  struct media_plc *plc, struct media_cn_gen *cn,
		  uint64_t now_ms, int16_t *pcm, size_t n)
{
	size_t fs = media_codec_frame_samples(dec);
	struct media_jb_frame f;
	struct media_cn_info ci;
	int got;

	if (n < fs)
		return -ENOSPC;
	media_jb_get(jb, now_ms, &f);
	switch (f.kind) {
	case MEDIA_JB_AUDIO:
		got = media_codec_decode(dec, pcm, fs, f.payload, f.len);
		if (got < 0)
			got = 0;
		/* a short frame is padded; PLC smooths what it can */
		memset(pcm + got, 0, (fs - (size_t)got) * sizeof(*pcm));
		media_plc_good(plc, pcm, fs);
		break;
	case MEDIA_JB_LOSS:
		media_plc_conceal(plc, pcm, fs);
		break;
	case MEDIA_JB_CN:
		/* a malformed CN payload plays as silence */
		if (media_cn_parse(&ci, f.payload, f.len))
			ci.level = 127;
		media_cn_gen_frame(cn, ci.level, pcm, fs);
		break;
	case MEDIA_JB_EMPTY:
		memset(pcm, 0, fs * sizeof(*pcm));
		break;
	}
	return (int)f.kind;
}
