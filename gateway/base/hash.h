/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hashing for the daemon's in-memory tables (transactions, sockets,
 * flows): FNV-1a over bytes. Not for anything an attacker must not
 * collide on purpose; the tables it serves stay correct, only slower.
 */
#ifndef TL_BASE_HASH_H
#define TL_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t hash_fnv1a(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

#endif
