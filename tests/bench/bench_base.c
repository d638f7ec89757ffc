// SPDX-License-Identifier: GPL-2.0
/* Micro-benchmarks of the base layer: timer heap and control dispatch.
 * Prints one line per case: name, operations, ns per operation. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/ctl.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void nop(void *arg)
{
	(void)arg;
}

static int ok_h(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	ctl_put_str(r, "state", "up");
	ctl_put_int(r, "calls", 42);
	return 0;
}

int main(void)
{
	enum { N = 100000, REQ = 200000 };
	static const struct ctl_cmd cmds[] = {
		{ "show calls", NULL, "", ok_h, 0, 0 },
	};
	struct loop *l = loop_new();
	struct tmr *t = calloc(N, sizeof(*t));
	struct ctl *ctl = ctl_new(l);
	struct buf out = { 0 };
	double t0;

	srand(1);
	t0 = now_ns();
	for (int i = 0; i < N; i++) {
		tmr_init(&t[i]);
		tmr_start(l, &t[i], (uint64_t)(rand() % 100000), nop, NULL);
	}
	for (int i = 0; i < N; i++)
		tmr_start(l, &t[i], (uint64_t)(rand() % 100000), nop, NULL);
	for (int i = 0; i < N; i++)
		tmr_cancel(&t[i]);
	printf("timer start+restart+cancel (%d live)  %d ops  %.0f ns/op\n",
	       N, 3 * N, (now_ns() - t0) / (3.0 * N));

	ctl_register(ctl, cmds, 1, NULL);
	t0 = now_ns();
	for (int i = 0; i < REQ; i++) {
		out.len = 0;
		ctl_exec(ctl, (i & 1) ? "-j show calls" : "show calls", &out);
	}
	printf("ctl request dispatch+render           %d ops  %.0f ns/op\n",
	       REQ, (now_ns() - t0) / REQ);
	buf_free(&out);
	free(t);
	mem_deref(ctl);
	mem_deref(l);
	return 0;
}
