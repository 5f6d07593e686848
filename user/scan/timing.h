/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Shared by the scan techniques: a monotonic clock, a pacer that keeps probes
 * under the rate cap, and an RTT estimator for adaptive timeouts (RFC 6298's
 * smoothed RTT and variance, as nmap's timing code does).
 */
#ifndef GT_SCAN_TIMING_H
#define GT_SCAN_TIMING_H

#include <stdbool.h>
#include <stdint.h>

uint64_t scan_now_us(void);

/*
 * A token bucket: rate probes a second, with at most 10 ms worth saved up, so a
 * loop that wakes late catches up instead of losing its share, yet no window of
 * time T ever carries more than rate x T + rate / 100 + 1 probes.
 */
struct pacer {
	uint64_t interval_us;	/* 1e6 / rate */
	uint64_t burst_us;	/* how much unused time may be saved up */
	uint64_t next_us;	/* the time of the next probe's token */
};

void pacer_init(struct pacer *p, unsigned int rate);
/* true when a probe may go now (and takes its token); else how long to wait in *wait_us */
bool pacer_take(struct pacer *p, uint64_t now, uint64_t *wait_us);

struct rtt_est {
	uint64_t srtt_us;
	uint64_t rttvar_us;
	uint64_t initial_us;	/* timeout until the first sample */
	bool have_sample;
};

void rtt_init(struct rtt_est *r, unsigned int initial_ms);
void rtt_sample(struct rtt_est *r, uint64_t rtt_us);
/* srtt + 4 * rttvar, bounded to [min, initial] */
uint64_t rtt_timeout_us(const struct rtt_est *r);

/* progress reporting, rate-limited to a few calls a second */
struct scan_opts;
void scan_progress(struct scan_opts *o, uint64_t *last_us, size_t done, size_t total, bool force);

#endif /* GT_SCAN_TIMING_H */
