/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Strict number parsing for command-line options. */
#ifndef GT_NUMPARSE_H
#define GT_NUMPARSE_H

#include <stdbool.h>
#include <stdint.h>

/* The whole of s as a decimal in [min, max]; false on anything else. */
bool parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif /* GT_NUMPARSE_H */
