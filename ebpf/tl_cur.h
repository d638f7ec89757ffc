/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The header cursor of the BPF programs in ebpf/ (BPF side only).
 */
#ifndef TL_EBPF_CUR_H
#define TL_EBPF_CUR_H

#include <linux/types.h>

/*
 * A parse position with its end. Every read goes through tl_cur_take(),
 * which checks the bounds first: the verifier sees the check, and a short
 * packet yields NULL, never a read past data_end.
 */
struct tl_cur {
	void *pos;
	void *end;
};

static __always_inline void *tl_cur_take(struct tl_cur *c, __u32 len)
{
	void *p = c->pos;

	if (p + len > c->end)
		return (void *)0;
	c->pos = p + len;
	return p;
}

#endif
