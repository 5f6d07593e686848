/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Prometheus text exposition (format 0.0.4) of GoTracer's counters, for
 * GET /metrics: interface bytes and packets by direction, kernel and userspace
 * drops, the packet size histogram, active flows, the top flows as a bounded
 * set of series, TCP and IP reassembly, build info.
 */
#ifndef GT_METRICS_H
#define GT_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gotracer.h"
#include "stats/flow_table.h"

#define METRICS_TOP_FLOWS 10
#define SIZE_METRIC "gotracer_interface_packet_size_bytes"
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct engine;
struct dx_streams;

struct metrics_source {
	struct engine *engine;
	/* the flow table to rank; NULL: the kernel map is read for this request */
	const struct flow_table *flows;
	uint64_t userspace_drops;	/* packets lost after the ring: store, clients */
	int top_flows;			/* 0..METRICS_TOP_FLOWS; 0 means the maximum */
	struct dx_streams *streams;	/* TCP and IP reassembly of the live packets, or NULL */
};

/*
 * One interface's size histograms, both directions, without HELP/TYPE:
 * cumulative _bucket{le} series (the bounds of gt_size_bucket(), then +Inf),
 * _sum (the wire bytes) and _count.
 */
void metrics_size_histogram(FILE *f, const char *iface, const struct gt_if_counters *c);

/* The whole exposition as a malloc'ed string, or NULL when out of memory. */
char *metrics_render(const struct metrics_source *src);

#endif /* GT_METRICS_H */
