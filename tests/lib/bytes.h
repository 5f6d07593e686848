/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Big-endian stores, for tests and fuzz harnesses that build frames by hand. */
#ifndef GT_TESTS_BYTES_H
#define GT_TESTS_BYTES_H

#include <stdint.h>

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

#endif /* GT_TESTS_BYTES_H */
