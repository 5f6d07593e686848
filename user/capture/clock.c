// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Event stamps are CLOCK_BOOTTIME (bpf_ktime_get_boot_ns); people read wall time. */
#include <time.h>

#include "engine.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t engine_boot_to_real_ns(uint64_t boot_ns)
{
	/* measured per call, so a wall-clock step (NTP) shows at once */
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME) + boot_ns;
}
