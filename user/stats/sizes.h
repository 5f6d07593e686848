/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's packet size histogram (struct gt_dir_counters.size_hist, the
 * buckets of gt_size_bucket() in bpf/gotracer.h) summed and put in JSON, the
 * one form the stats message and `gotracer stats` share: "bounds" holds the
 * GT_SIZE_BOUNDS upper bounds, a counts array one entry more (the last counts
 * the frames above the last bound).
 */
#ifndef GT_STATS_SIZES_H
#define GT_STATS_SIZES_H

#include <cjson/cJSON.h>

#include "gotracer.h"

/* sum[i] += c->size_hist[i] for every bucket. */
void size_hist_add(__u64 sum[GT_SIZE_BUCKETS], const struct gt_dir_counters *c);

/* [64,128,256,512,1024,1518] */
cJSON *size_bounds_json(void);

/* The GT_SIZE_BUCKETS counts as a JSON array. */
cJSON *size_counts_json(const __u64 hist[GT_SIZE_BUCKETS]);

#endif /* GT_STATS_SIZES_H */
