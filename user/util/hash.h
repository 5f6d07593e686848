/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* FNV-1a over bytes: the hash of the dissector's small keyed tables. */
#ifndef GT_UTIL_HASH_H
#define GT_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t fnv1a(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

#endif /* GT_UTIL_HASH_H */
