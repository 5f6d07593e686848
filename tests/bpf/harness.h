/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Running GoTracer's kernel programs on crafted frames with BPF_PROG_TEST_RUN
 * (kernel selftests style) and reading back what they left: the events in the
 * ring, the interface counters and the flow entries.
 *
 * The suite runs in a network namespace of its own (two veth ends, gtk0 and
 * gtk1, for interface rules and live traffic) and on one CPU, so the per-CPU
 * sampling counter is the one the next run sees.
 */
#ifndef GT_TEST_BPF_HARNESS_H
#define GT_TEST_BPF_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "gotracer.h"
#include "lib/runner.h"

/*
 * For helpers that check one case of a table: on failure, report with the
 * case's own words and return false (the TEST then stops with CHECK).
 */
#define EXPECT_EQ(a, b, fmt, ...)                                                      \
	do {                                                                           \
		long long _a = (long long)(a), _b = (long long)(b);                    \
		if (_a != _b) {                                                        \
			test_fail(__FILE__, __LINE__, fmt ": %s == %lld, expected %lld", \
				  ##__VA_ARGS__, #a, _a, _b);                          \
			return false;                                                  \
		}                                                                      \
	} while (0)

#define HARNESS_MAX_EVENTS 64

/* Each hook once; the table tests loop over these. */
extern const enum gt_hook harness_hooks[3];
const char *harness_hook_name(enum gt_hook hook);

struct harness_event {
	struct gt_event ev;
	uint8_t *data; /* ev.cap_len bytes, malloc'ed */
};

struct harness {
	struct gotracer_bpf *skel;
	struct ring_buffer *rb;
	struct harness_event events[HARNESS_MAX_EVENTS]; /* the first ones since the last drain */
	int n_events;					  /* every one since the last drain */
	bool bad_record;				  /* a record whose sizes disagree */
	/* When set, also called with every record (the frame follows the header). */
	void (*on_event)(void *user, const struct gt_event *ev, const uint8_t *frame);
	void *user;
};

/* Extras for one run; zero = defaults (lo, no GSO). */
struct run_opts {
	uint32_t ifindex;
	uint16_t gso_segs;
	uint16_t gso_size;
};

/* The suite's private namespace and CPU; idempotent. Returns 0 or -errno. */
int harness_setup_env(void);
/* ifindex of the suite's veth ends (0: gtk0, 1: gtk1); 0 when missing. */
uint32_t harness_veth_ifindex(int end);

/* The kernel's counters for an interface of this namespace (what `ip -s link` shows). */
struct harness_link_stats {
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes;
};
int harness_link_stats(const char *name, struct harness_link_stats *out);

/*
 * Attach a TC program; *made says whether the suite created the device's clsact
 * (pass it again for the other direction of the same device), and remove it.
 */
struct bpf_tc_hook;
int harness_tc_attach(struct bpf_tc_hook *hook, bool *made, uint32_t ifindex,
		      enum bpf_tc_attach_point point, int prog_fd);
void harness_tc_detach(struct bpf_tc_hook *hook, bool made);

/* Load the programs; ring_bytes 0 keeps the default ring. 0 or -errno. */
int harness_open(struct harness *h, uint32_t ring_bytes);
/* The same with the interface table cut to ifstats_entries (0: default). */
int harness_open_sized(struct harness *h, uint32_t ring_bytes, uint32_t ifstats_entries);
void harness_close(struct harness *h);

/*
 * Run one frame through a hook; returns the program's verdict or -errno from
 * the test run. Events are not consumed: call harness_drain().
 */
int harness_run(struct harness *h, enum gt_hook hook, const void *frame, uint32_t len,
		const struct run_opts *opts);

/* Consume the ring into h->events (after freeing the previous ones); returns how many. */
int harness_drain(struct harness *h);
/*
 * For live traffic, whose events arrive from softirq: poll (50 ms at a time, at
 * most max_polls times) until want events are in; returns how many.
 */
int harness_collect(struct harness *h, int want, int max_polls);
/* Forget flows and interface counters, drain the ring, reset config and rules. */
int harness_reset(struct harness *h);

int harness_set_config(struct harness *h, uint32_t flags, uint32_t snaplen, uint32_t sample_every);
/* Writes the rules and sets n_rules (keeping the other config fields). */
int harness_set_rules(struct harness *h, const struct gt_rule *rules, uint32_t n);

/* One direction's counters for an interface, summed over CPUs (zero if absent). */
int harness_dir_counters(struct harness *h, uint32_t ifindex, enum gt_dir dir,
			 struct gt_dir_counters *out);
/* The only flow entry; returns how many entries there are (key/val filled if >= 1). */
int harness_only_flow(struct harness *h, struct gt_flow_key *key, struct gt_flow_value *val);

#endif /* GT_TEST_BPF_HARNESS_H */
