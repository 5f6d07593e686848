// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-interface bandwidth history at 1 s resolution, bounded to the last hour. */
#include <string.h>

#include "bandwidth.h"

void bw_init(struct bw_history *h, uint32_t ifindex)
{
	memset(h, 0, sizeof(*h));
	h->ifindex = ifindex;
}

static void push(struct bw_history *h, const uint64_t bytes[GT_DIR_COUNT],
		 const uint64_t packets[GT_DIR_COUNT])
{
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		h->ring[d][h->head].bytes = bytes[d];
		h->ring[d][h->head].packets = packets[d];
	}
	h->head = (h->head + 1) % BW_SAMPLES;
	if (h->count < BW_SAMPLES)
		h->count++;
}

void bw_record(struct bw_history *h, const struct gt_if_counters *c, uint64_t now_ns)
{
	uint64_t db[GT_DIR_COUNT], dp[GT_DIR_COUNT], secs;

	if (!h->primed) {
		h->last = *c;
		h->last_ns = now_ns;
		h->primed = 1;
		return;
	}
	secs = (now_ns - h->last_ns + 500000000u) / 1000000000u;
	if (!secs)
		return;	/* less than half a second: wait for the next tick */
	if (secs > BW_SAMPLES)
		secs = BW_SAMPLES;
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		/* counters that went back (a re-attach): count from zero */
		db[d] = c->dir[d].bytes >= h->last.dir[d].bytes ?
				c->dir[d].bytes - h->last.dir[d].bytes : c->dir[d].bytes;
		dp[d] = c->dir[d].packets >= h->last.dir[d].packets ?
				c->dir[d].packets - h->last.dir[d].packets : c->dir[d].packets;
	}
	for (uint64_t s = 0; s < secs; s++) {
		uint64_t b[GT_DIR_COUNT], p[GT_DIR_COUNT];

		for (int d = 0; d < GT_DIR_COUNT; d++) {
			/* the last sample takes the remainder */
			b[d] = s + 1 < secs ? db[d] / secs : db[d] - db[d] / secs * (secs - 1);
			p[d] = s + 1 < secs ? dp[d] / secs : dp[d] - dp[d] / secs * (secs - 1);
		}
		push(h, b, p);
	}
	h->last = *c;
	h->last_ns += secs * 1000000000u;
}

const struct bw_sample *bw_recent(const struct bw_history *h, int dir, uint32_t i)
{
	if (dir < 0 || dir >= GT_DIR_COUNT || i >= h->count)
		return NULL;
	return &h->ring[dir][(h->head + BW_SAMPLES - 1 - i) % BW_SAMPLES];
}
