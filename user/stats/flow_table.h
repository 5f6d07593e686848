/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The userspace flow table: a copy of the kernel's flow map (gt_flows), read
 * in one pass about once a second, with what the kernel does not keep: the
 * current rate, a TCP state hint, the application and whether it is encrypted,
 * and the export marks of IPFIX. Idle flows are retired: taken out of the
 * kernel map and reported one last time through a callback.
 */
#ifndef GT_FLOW_TABLE_H
#define GT_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotracer.h"

struct engine;

struct flow_stat {
	struct gt_flow_key key;
	struct gt_flow_value val;
	double bytes_per_s;		/* both ways, over the last update interval */
	double packets_per_s;
	const char *app;		/* "http", "tls", ...; never NULL after an update */
	bool encrypted;
	/* what an exporter has already reported (IPFIX deltas), per side */
	uint64_t exported_packets[2], exported_bytes[2];
	uint64_t export_start_ns;	/* CLOCK_BOOTTIME start of the unreported part */
};

enum flow_end_reason {
	FLOW_END_IDLE = 1,	/* nothing seen for the idle timeout: retired by us */
	FLOW_END_EVICTED = 2,	/* gone from the kernel map (LRU) between two reads */
	FLOW_END_FINAL = 3,	/* the program is stopping */
};

/* Called once for every flow that leaves the table. */
typedef void (*flow_end_fn)(void *user, const struct flow_stat *f, enum flow_end_reason why);

struct flow_table {
	struct flow_stat *v;		/* sorted by key */
	size_t n, cap;
	uint64_t idle_timeout_ns;	/* 0: never retire */
	uint64_t updated_ns;		/* CLOCK_BOOTTIME of the last update */
	uint64_t retired, evicted;	/* flows that left, by reason */
	flow_end_fn on_end;
	void *user;
};

void flow_table_init(struct flow_table *t, uint64_t idle_timeout_ns, flow_end_fn on_end,
		     void *user);
void flow_table_free(struct flow_table *t);

/* Read the kernel map of e (one pass), refresh rates, retire idle flows. */
int flow_table_update(struct flow_table *t, struct engine *e, uint64_t now_boot_ns);
/* Merge one (key, value) snapshot as flow_table_update does, for tests and for
 * sources other than an engine: entries must be sorted with flow_key_cmp. */
void flow_table_merge(struct flow_table *t, struct flow_stat *fresh, size_t n,
		      uint64_t now_boot_ns, struct engine *e);
/* Report every flow one last time (FLOW_END_FINAL) and empty the table. */
void flow_table_flush(struct flow_table *t);

int flow_key_cmp(const void *a, const void *b);
uint64_t flow_stat_bytes(const struct flow_stat *f);
uint64_t flow_stat_packets(const struct flow_stat *f);
/* Side of the initiator (who sent the first packet): GT_SIDE_A_TO_B or _B_TO_A. */
int flow_stat_initiator(const struct flow_stat *f);
/* "syn_sent", "established", "closing", "reset" for TCP; "" otherwise. */
const char *flow_tcp_state(const struct flow_stat *f);

enum flow_sort { FLOW_SORT_BYTES, FLOW_SORT_PACKETS, FLOW_SORT_RATE };
int flow_sort_parse(const char *name, enum flow_sort *out);
/* Pointers to the flows, heaviest first; free() the array. NULL when empty. */
const struct flow_stat **flow_table_sorted(const struct flow_table *t, enum flow_sort by,
					   size_t *n);

uint64_t boot_now_ns(void);

#endif /* GT_FLOW_TABLE_H */
