// SPDX-License-Identifier: GPL-2.0
/* spandsp's PLC behind the media_ names. */
#include <errno.h>

#include <spandsp.h>

#include "../base/mem.h"
#include "plc.h"

struct media_plc {
	plc_state_t *s; /* owned (spandsp) */
};

static void plc_destroy(void *arg)
{
	struct media_plc *p = arg;

	if (p->s)
		plc_free(p->s);
}

int media_plc_alloc(struct media_plc **pp)
{
	struct media_plc *p = mem_zalloc(sizeof(*p), plc_destroy);

	if (!p)
		return -ENOMEM;
	p->s = plc_init(NULL);
	if (!p->s) {
		mem_deref(p);
		return -ENOMEM;
	}
	*pp = p;
	return 0;
}

void media_plc_good(struct media_plc *p, int16_t *pcm, size_t n)
{
	plc_rx(p->s, pcm, (int)n);
}

void media_plc_conceal(struct media_plc *p, int16_t *pcm, size_t n)
{
	plc_fillin(p->s, pcm, (int)n);
}
