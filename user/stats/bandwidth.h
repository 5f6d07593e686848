/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-interface bandwidth history: one sample a second, in and out, for the
 * last hour, in a fixed ring (3600 samples per interface and direction).
 */
#ifndef GT_BANDWIDTH_H
#define GT_BANDWIDTH_H

#include <stdint.h>

#include "gotracer.h"

#define BW_SAMPLES 3600

struct bw_sample {
	uint64_t bytes, packets;	/* in this second */
};

struct bw_history {
	uint32_t ifindex;
	struct bw_sample ring[GT_DIR_COUNT][BW_SAMPLES];
	uint32_t head;			/* index of the next sample */
	uint32_t count;			/* samples held, <= BW_SAMPLES */
	struct gt_if_counters last;	/* counters at the previous sample */
	uint64_t last_ns;
	int primed;
};

void bw_init(struct bw_history *h, uint32_t ifindex);
/* Record the counters read at now_ns: a sample per whole second since the last
 * (a late tick spreads its difference evenly, so the sum stays exact). */
void bw_record(struct bw_history *h, const struct gt_if_counters *c, uint64_t now_ns);
/* The i-th most recent sample (0 = the latest); NULL past what is held. */
const struct bw_sample *bw_recent(const struct bw_history *h, int dir, uint32_t i);

#endif /* GT_BANDWIDTH_H */
