// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Not a test but a measure, skipped unless GT_BPF_COST=1: nanoseconds per
 * packet of the capture programs next to the empty ones (bpf/empty.bpf.c), by
 * BPF_PROG_TEST_RUN with repeat, which times the runs in the kernel. Nothing is
 * asserted on the figures.
 *
 *   GT_BPF_COST=1 build/tests/bpf-tests bpf_cost_per_packet
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "frames.h"
#include "gotracer.skel.h"
#include "empty.skel.h"

#define REPEAT 200000

static const struct v4_tcp tcp_head = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 40),
	.tcp = TCP(40000, 443),
};

/* Mean ns of one run, over repeat runs; negative on error. */
static double ns_per_run(int prog_fd, bool xdp, const uint8_t *frame, uint32_t len, int repeat)
{
	struct __sk_buff skb = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = repeat);

	if (!xdp) {
		opts.ctx_in = &skb;
		opts.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -1;
	return opts.duration;
}

TEST(bpf_cost_per_packet)
{
	static const uint32_t lens[] = { 64, 1514 };
	static struct gt_rule port9[GT_MAX_RULES];
	static uint8_t frame[1514];
	struct empty_bpf *empty;
	struct harness h;

	if (!getenv("GT_BPF_COST"))
		SKIP("a measure, not a test: set GT_BPF_COST=1");
	CHECK_INT(harness_open(&h, 0), 0);
	empty = empty_bpf__open_and_load();
	CHECK(empty != NULL);
	memcpy(frame, &tcp_head, offsetof(struct v4_tcp, payload));
	/* The filter's worst case: every rule looked at, none matching. */
	for (int r = 0; r < GT_MAX_RULES; r++)
		port9[r] = (struct gt_rule){ .match = GT_M_PORT, .port_side = GT_SEL_EITHER,
					     .port_lo = 9, .port_hi = 9 };

	printf("    ns/packet       empty  count-only  64-rule miss  event snap 64"
	       "  event snap 2048\n");
	for (int l = 0; l < 2; l++) {
		for (int xdp = 1; xdp >= 0; xdp--) {
			int gt = bpf_program__fd(xdp ? h.skel->progs.gt_xdp :
						       h.skel->progs.gt_tc_ingress);
			int none = bpf_program__fd(xdp ? empty->progs.gt_empty_xdp :
							 empty->progs.gt_empty_tc);
			double e, acct, miss, snap64, snap2k;

			e = ns_per_run(none, xdp, frame, lens[l], REPEAT);
			harness_set_config(&h, GT_CFG_ACCOUNT_ONLY, 0, 0);
			acct = ns_per_run(gt, xdp, frame, lens[l], REPEAT);
			harness_set_rules(&h, port9, GT_MAX_RULES);
			harness_set_config(&h, 0, 64, 0);
			miss = ns_per_run(gt, xdp, frame, lens[l], REPEAT);
			harness_set_rules(&h, port9, 0);
			/* Few enough events that the ring never fills, read in between. */
			harness_drain(&h);
			snap64 = ns_per_run(gt, xdp, frame, lens[l], 20000);
			harness_drain(&h);
			harness_set_config(&h, 0, 2048, 0);
			snap2k = ns_per_run(gt, xdp, frame, lens[l], 2000);
			harness_drain(&h);
			printf("    %-4s len %4u %6.0f %11.0f %13.0f %14.0f %16.0f\n",
			       xdp ? "xdp" : "tc", lens[l], e, acct, miss, snap64, snap2k);
		}
	}
	empty_bpf__destroy(empty);
	harness_close(&h);
}
