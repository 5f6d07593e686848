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

	pacer_init(&p, 100);	/* one probe per 10 ms */
	/* over one simulated second, asking every millisecond */
	for (int ms = 0; ms < 1000; ms++, now += 1000)
		if (pacer_take(&p, now, &wait))
			sent++;
	CHECK_INT(sent, 100);
	/* an idle spell does not save up a burst */
	now += 5000000;
	CHECK(pacer_take(&p, now, &wait));
	CHECK(!pacer_take(&p, now, &wait));
	CHECK_INT(wait, 10000);
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
