/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The maps shared by GoTracer's programs; userspace finds them by these names. */
#ifndef GT_MAPS_H
#define GT_MAPS_H

#include "gotracer.h"

/* Run-time configuration (struct gt_config), one entry, changeable while running. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gt_config);
} gt_config_map SEC(".maps");

/* Filter rules 0..n_rules-1, OR-ed; each an AND of its conditions. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GT_MAX_RULES);
	__type(key, __u32);
	__type(value, struct gt_rule);
} gt_rules SEC(".maps");

/* Per-flow counters, both directions of a conversation in one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, GT_FLOWS_DEFAULT);
	__type(key, struct gt_flow_key);
	__type(value, struct gt_flow_value);
} gt_flows SEC(".maps");

/* Per-interface, per-direction counters, keyed by ifindex, one copy per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct gt_if_counters);
} gt_ifstats SEC(".maps");

/* Captured packets: struct gt_event followed by cap_len bytes. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GT_RINGBUF_DEFAULT);
} gt_events SEC(".maps");

/* Kernel-internal: per-CPU count of packets that passed the filter, for 1-in-N sampling. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} gt_sample_count SEC(".maps");

#endif /* GT_MAPS_H */
