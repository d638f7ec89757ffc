// SPDX-License-Identifier: GPL-2.0
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define MEM_MAGIC 0x7e1c0de5u

struct mem_hdr {
	mem_destroy_h *dh;
	unsigned nrefs;
	unsigned magic;
	/* keep the payload aligned for any type */
	_Alignas(max_align_t) unsigned char data[];
};

/* Objects are never shared between threads (threads talk through queues),
 * but the live counter is global, so it is atomic. */
static atomic_size_t mem_nlive;

static struct mem_hdr *hdr_of(const void *data)
{
	return (struct mem_hdr *)((const unsigned char *)data -
				  offsetof(struct mem_hdr, data));
}

void *mem_zalloc(size_t size, mem_destroy_h *dh)
{
	struct mem_hdr *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->dh = dh;
	h->nrefs = 1;
	h->magic = MEM_MAGIC;
	atomic_fetch_add(&mem_nlive, 1);
	return h->data;
}

void *mem_ref(void *data)
{
	if (data)
		hdr_of(data)->nrefs++;
	return data;
}

void *mem_deref(void *data)
{
	struct mem_hdr *h;

	if (!data)
		return NULL;
	h = hdr_of(data);
	if (h->magic != MEM_MAGIC || h->nrefs == 0)
		abort(); /* double free or foreign pointer: a bug, not input */
	if (--h->nrefs > 0)
		return NULL;
	if (h->dh)
		h->dh(data);
	/* a destructor must not resurrect the object */
	if (h->nrefs != 0)
		abort();
	h->magic = 0;
	free(h);
	atomic_fetch_sub(&mem_nlive, 1);
	return NULL;
}

unsigned mem_nrefs(const void *data)
{
	return data ? hdr_of(data)->nrefs : 0;
}

char *mem_strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = mem_zalloc(n + 1, NULL);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *mem_strdup(const char *s)
{
	return s ? mem_strndup(s, strlen(s)) : NULL;
}

size_t mem_live(void)
{
	return atomic_load(&mem_nlive);
}
