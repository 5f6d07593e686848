// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Probe pacing and RTT-based timeouts, on a clock the test drives. */
#include "lib/runner.h"
#include "scan/scan.h"
#include "scan/timing.h"

TEST(scan_pacer_never_exceeds_the_rate)
{
	struct pacer p;
	uint64_t now = 1000000, wait = 0;
	int sent = 0;

	pacer_init(&p, 100);	/* one probe per 10 ms, 10 ms saved up at most */
	/* over one simulated second, asking every millisecond */
	for (int ms = 0; ms < 1000; ms++, now += 1000)
		if (pacer_take(&p, now, &wait))
			sent++;
	CHECK(sent >= 100 && sent <= 100 + 1 + 1);
	/* a long idle spell saves up 10 ms worth, no more */
	now += 5000000;
	CHECK(pacer_take(&p, now, &wait));
	CHECK(pacer_take(&p, now, &wait));
	CHECK(!pacer_take(&p, now, &wait));
	CHECK_INT(wait, 10000);

	/* a loop that wakes every 5 ms at 50000/s keeps the rate, in bursts */
	pacer_init(&p, 50000);
	sent = 0;
	for (int ms = 0; ms < 1000; ms += 5, now += 5000)
		while (pacer_take(&p, now, &wait))
			sent++;
	CHECK(sent >= 49000 && sent <= 50000 + 500 + 1);
	/* zero and absurd rates are clamped, never unbounded */
	pacer_init(&p, 0);
	CHECK_INT(p.interval_us, 1000000 / SCAN_RATE_DEFAULT);
	pacer_init(&p, 10000000);
	CHECK_INT(p.interval_us, 1000000 / SCAN_RATE_MAX);
}

TEST(scan_rtt_timeout_adapts_within_bounds)
{
	struct rtt_est r;

	rtt_init(&r, 1000);
	CHECK_INT(rtt_timeout_us(&r), 1000000);	/* nothing measured yet */
	for (int i = 0; i < 20; i++)
		rtt_sample(&r, 200);		/* 0.2 ms LAN */
	CHECK_INT(rtt_timeout_us(&r), 100000);	/* floored at 100 ms */
	for (int i = 0; i < 20; i++)
		rtt_sample(&r, 150000);		/* a slow path */
	CHECK(rtt_timeout_us(&r) > 150000);
	CHECK(rtt_timeout_us(&r) <= 1000000);	/* never past the first timeout */
	for (int i = 0; i < 5; i++)
		rtt_sample(&r, 5000000);
	CHECK_INT(rtt_timeout_us(&r), 1000000);
}
