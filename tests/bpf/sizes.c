// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The packet size histogram of the interface counters: every frame the hook
 * sees lands in one bucket by its wire length, on each side of every bound,
 * whatever the filter, sampling or accounting mode say; a GSO super-packet
 * counts its segments at their average size.
 */
#include <stdio.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <string.h>

#include "harness.h"
#include "frames.h"

/* An IPv4/UDP frame of any length up to sizeof(buf), headers consistent with it. */
struct sized_frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__u8 payload[3100];
} __packed;

static const struct sized_frame *frame_of_len(uint32_t len)
{
	static struct sized_frame f = {
		.eth = ETH(ETH_P_IP),
		.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 0),
		.udp = UDP(40000, 9, 0),
	};
	const uint32_t l2 = sizeof(f.eth), l3 = l2 + sizeof(f.ip);

	f.ip.tot_len = bpf_htons(len > l2 ? len - l2 : 0);
	f.udp.len = bpf_htons(len > l3 ? len - l3 : 0);
	return &f;
}

/*
 * Frame lengths on both sides of every bound, and the bucket each must land
 * in, written out by hand (not computed with gt_size_bucket()).
 */
static const struct {
	uint32_t len;
	int bucket;
} cases[] = {
	/* from 34: the kernel's test run wants a whole IPv4 header after an IPv4 ethertype */
	{ 34, 0 },   { 42, 0 },   { 60, 0 },   { 64, 0 },   { 65, 1 },   { 128, 1 },
	{ 129, 2 },  { 256, 2 },  { 257, 3 },  { 512, 3 },  { 513, 4 },  { 1024, 4 },
	{ 1025, 5 }, { 1514, 5 }, { 1518, 5 }, { 1519, 6 }, { 3000, 6 },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static uint64_t hist_sum(const struct gt_dir_counters *dc)
{
	uint64_t n = 0;

	for (int b = 0; b < GT_SIZE_BUCKETS; b++)
		n += dc->size_hist[b];
	return n;
}

/* One frame of each length, one at a time: only its own bucket moves, by one. */
static bool each_length_in_its_bucket(struct harness *h, enum gt_hook hook, const char *mode)
{
	enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;
	struct gt_dir_counters was, now;

	EXPECT_EQ(harness_dir_counters(h, 1, dir, &was), 0, "%s %s", harness_hook_name(hook), mode);
	for (size_t i = 0; i < N_CASES; i++) {
		uint32_t len = cases[i].len;

		EXPECT_EQ(harness_run(h, hook, frame_of_len(len), len, NULL),
			  hook == GT_HOOK_XDP ? XDP_PASS : TC_ACT_OK,
			  "%s %s: run %u bytes", harness_hook_name(hook), mode, len);
		EXPECT_EQ(harness_dir_counters(h, 1, dir, &now), 0, "%s %s", harness_hook_name(hook),
			  mode);
		for (int b = 0; b < GT_SIZE_BUCKETS; b++)
			EXPECT_EQ(now.size_hist[b] - was.size_hist[b], b == cases[i].bucket,
				  "%s %s: %u bytes, bucket %d", harness_hook_name(hook), mode, len, b);
		EXPECT_EQ(now.bytes - was.bytes, len, "%s %s: %u bytes", harness_hook_name(hook),
			  mode, len);
		was = now;
	}
	EXPECT_EQ(hist_sum(&now), now.packets, "%s %s: buckets add up to packets",
		  harness_hook_name(hook), mode);
	return true;
}

/*
 * On every hook, with everything captured, with a filter that rejects all,
 * with 1-in-3 sampling and in accounting mode: the histogram counts every
 * frame the hook saw, not the ones sent to userspace.
 */
TEST(bpf_sizes_every_bound_every_hook_every_mode)
{
	const struct gt_rule nothing = { .match = GT_M_PROTO, .proto = IPPROTO_SCTP };
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (int k = 0; k < 3; k++) {
		enum gt_hook hook = harness_hooks[k];

		CHECK_INT(harness_reset(&h), 0);
		CHECK(each_length_in_its_bucket(&h, hook, "capture"));
		CHECK_INT(harness_drain(&h), (int)N_CASES);

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(harness_set_rules(&h, &nothing, 1), 0);
		CHECK(each_length_in_its_bucket(&h, hook, "filtered"));
		CHECK_INT(harness_drain(&h), 0);

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(harness_set_config(&h, 0, 0, 3), 0);
		CHECK(each_length_in_its_bucket(&h, hook, "sampled"));
		CHECK(harness_drain(&h) < (int)N_CASES);

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(harness_set_config(&h, GT_CFG_ACCOUNT_ONLY, 0, 0), 0);
		CHECK(each_length_in_its_bucket(&h, hook, "account"));
		CHECK_INT(harness_drain(&h), 0);
	}
	harness_close(&h);
}

/*
 * A GSO super-packet leaves as gso_segs frames, each with its own 42 bytes of
 * Ethernet, IPv4 and UDP headers: they count in the bucket of their average
 * size, gso_segs times, so the buckets add up to gso_segs, not to packets.
 */
TEST(bpf_sizes_gso_counts_segments)
{
	const uint32_t hdrs = 14 + 20 + 8;
	static const struct {
		uint32_t len;
		uint16_t segs;
		int bucket;
	} gso[] = {
		{ 254, 4, 1 },	 /* (254 + 3 * 42) / 4 = 95 */
		{ 2994, 2, 5 },	 /* (2994 + 42) / 2 = 1518 */
		{ 2996, 2, 6 },	 /* (2996 + 42) / 2 = 1519 */
		{ 3000, 40, 1 }, /* (3000 + 39 * 42) / 40 = 115 (of 115.95: integer division) */
	};
	struct gt_dir_counters was, now;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (int k = 1; k < 3; k++) {
		enum gt_hook hook = harness_hooks[k];
		enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(harness_set_config(&h, GT_CFG_ACCOUNT_ONLY, 0, 0), 0);
		CHECK_INT(harness_dir_counters(&h, 1, dir, &was), 0);
		for (size_t i = 0; i < sizeof(gso) / sizeof(gso[0]); i++) {
			const struct run_opts opts = { .gso_segs = gso[i].segs, .gso_size = 100 };
			uint32_t len = gso[i].len;

			CHECK_INT(harness_run(&h, hook, frame_of_len(len), len, &opts), 0);
			CHECK_INT(harness_dir_counters(&h, 1, dir, &now), 0);
			CHECK_INT(now.bytes - was.bytes, len + (gso[i].segs - 1u) * hdrs);
			for (int b = 0; b < GT_SIZE_BUCKETS; b++)
				CHECK_INT(now.size_hist[b] - was.size_hist[b],
					  b == gso[i].bucket ? gso[i].segs : 0);
			was = now;
		}
		CHECK_INT(now.packets, 4);
		CHECK_INT(hist_sum(&now), now.gso_segs);
	}
	harness_close(&h);
}
