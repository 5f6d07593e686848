// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Clock, probe pacing and RTT-based timeouts for the scanners. */
#include <stddef.h>
#include <time.h>

#include "scan.h"
#include "timing.h"

#define RTT_MIN_TIMEOUT_US 100000	/* nmap's min-rtt-timeout: 100 ms */
#define PACER_BURST_US 10000		/* 10 ms of probes may be sent late, at once */

uint64_t scan_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void pacer_init(struct pacer *p, unsigned int rate)
{
	if (rate == 0)
		rate = SCAN_RATE_DEFAULT;
	if (rate > SCAN_RATE_MAX)
		rate = SCAN_RATE_MAX;
	p->interval_us = 1000000 / rate;
	p->burst_us = PACER_BURST_US > p->interval_us ? PACER_BURST_US : p->interval_us;
	p->next_us = 0;
}

bool pacer_take(struct pacer *p, uint64_t now, uint64_t *wait_us)
{
	if (now < p->next_us) {
		*wait_us = p->next_us - now;
		return false;
	}
	/* an idle spell saves up at most burst_us of probes */
	if (p->next_us + p->burst_us < now)
		p->next_us = now - p->burst_us;
	p->next_us += p->interval_us;
	*wait_us = 0;
	return true;
}

void rtt_init(struct rtt_est *r, unsigned int initial_ms)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->initial_us = (uint64_t)(initial_ms ? initial_ms : 1000) * 1000;
	r->have_sample = false;
}

void rtt_sample(struct rtt_est *r, uint64_t rtt_us)
{
	if (!r->have_sample) {
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us / 2;
		r->have_sample = true;
		return;
	}
	uint64_t diff = rtt_us > r->srtt_us ? rtt_us - r->srtt_us : r->srtt_us - rtt_us;

	r->rttvar_us = (3 * r->rttvar_us + diff) / 4;
	r->srtt_us = (7 * r->srtt_us + rtt_us) / 8;
}

uint64_t rtt_timeout_us(const struct rtt_est *r)
{
	uint64_t t;

	if (!r->have_sample)
		return r->initial_us;
	t = r->srtt_us + 4 * r->rttvar_us;
	if (t < RTT_MIN_TIMEOUT_US)
		t = RTT_MIN_TIMEOUT_US;
	if (t > r->initial_us)
		t = r->initial_us;
	return t;
}

void scan_progress(struct scan_opts *o, uint64_t *last_us, size_t done, size_t total, bool force)
{
	uint64_t now = scan_now_us();

	if (!o->on_progress || (!force && now - *last_us < 200000))
		return;
	*last_us = now;
	o->on_progress(done, total, o->ctx);
}
