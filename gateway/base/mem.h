/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference-counted memory.
 *
 * Every object the gateway shares is allocated with mem_zalloc() and carries
 * a hidden header with a reference count and an optional destructor. The
 * destructor runs when the last reference is dropped, before the memory is
 * freed: it unlinks the object, cancels its timers and drops the references
 * the object owns. A pointer field either owns a reference (dropped in the
 * destructor) or borrows one (and says so in a comment).
 */
#ifndef TL_BASE_MEM_H
#define TL_BASE_MEM_H

#include <stddef.h>

typedef void(mem_destroy_h)(void *data);

/* Allocate @size zeroed bytes with refcount 1; NULL on ENOMEM. */
void *mem_zalloc(size_t size, mem_destroy_h *dh);

/* Take a reference; returns @data (NULL-safe). */
void *mem_ref(void *data);

/* Drop a reference; frees on the last one. Always returns NULL, so
 * "p = mem_deref(p);" both releases and clears the pointer. */
void *mem_deref(void *data);

/* Current reference count (for tests and assertions). */
unsigned mem_nrefs(const void *data);

/* Duplicate a string (or @n bytes of it) into a new refcounted buffer. */
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);

/* Number of live mem_zalloc() objects; tests check it returns to its start
 * value so a leaking test fails. */
size_t mem_live(void);

#endif
