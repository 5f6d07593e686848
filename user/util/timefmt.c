// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Time formatting (see timefmt.h). */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "timefmt.h"

void time_format_clock(uint64_t realtime_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(realtime_ns / 1000000000u);
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06" PRIu64, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 realtime_ns % 1000000000u / 1000u);
}

void time_format_epoch(uint64_t realtime_ns, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, realtime_ns / 1000000000u,
		 realtime_ns % 1000000000u / 1000u);
}
