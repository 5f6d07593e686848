/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Time formatting shared by the text and JSON outputs. */
#ifndef GT_TIMEFMT_H
#define GT_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* "15:04:05.123456" in local time, as tcpdump prints it. */
void time_format_clock(uint64_t realtime_ns, char *buf, size_t len);
/* "1732450000.123456": seconds since the epoch with microseconds (JSON "ts"). */
void time_format_epoch(uint64_t realtime_ns, char *buf, size_t len);

#endif /* GT_TIMEFMT_H */
