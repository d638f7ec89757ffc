// SPDX-License-Identifier: GPL-2.0
/*
 * The relay engine: the offload ops over gateway/media/relay.c. Its state
 * is the borrowed relay itself; without one (the media layer has not made
 * it yet) every flow operation is -ENODEV.
 */
#include <errno.h>
#include <string.h>

#include "../media/relay.h"
#include "ofl.h"

static int relay_init(void **statep, const struct ofl_params *p)
{
	*statep = p->relay;
	return 0;
}

static int relay_flow_add(void *st, const struct tl_flow *f)
{
	return st ? media_relay_flow_set(st, f) : -ENODEV;
}

static int relay_flow_del(void *st, const struct tl_flow_ep *local,
			  struct tl_flow_counters *final)
{
	if (!st)
		return -ENODEV;
	/* one thread: nothing is forwarded between the two calls */
	if (final && media_relay_flow_counters(st, local, final))
		memset(final, 0, sizeof(*final));
	return media_relay_flow_del(st, local);
}

static int relay_counters(void *st, const struct tl_flow_ep *local,
			  struct tl_flow_counters *c)
{
	return st ? media_relay_flow_counters(st, local, c) : -ENODEV;
}

static int relay_flush(void *st, const struct tl_flow_ep *local)
{
	return st ? media_relay_flush(st, local) : -ENODEV;
}

static void relay_close(void *st)
{
	(void)st;
}

const struct ofl_ops ofl_relay_ops = {
	.name = "relay",
	.init = relay_init,
	.flow_add = relay_flow_add,
	.flow_del = relay_flow_del,
	.counters = relay_counters,
	.flush = relay_flush,
	.close = relay_close,
};
