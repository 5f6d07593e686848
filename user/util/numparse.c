// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Strict number parsing (see numparse.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "numparse.h"

bool parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts " -1" and wraps it: only digits are numbers here */
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}
