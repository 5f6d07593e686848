// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ring-buffer records: snap length on every hook (cap_len = min(len,
 * snaplen), the bytes equal the frame), XDP multi-buffer frames copied across
 * their fragments, and a full ring counted as drops.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "frames.h"

/* A UDP frame of len bytes whose payload is a byte pattern, so any misplaced byte shows. */
static uint8_t *udp_frame(uint32_t len)
{
	const struct v4_udp head = {
		.eth = ETH(ETH_P_IP),
		.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 0),
		.udp = UDP(9000, 9001, 0),
	};
	const uint32_t hdrs = offsetof(struct v4_udp, payload);
	uint8_t *f = malloc(len);

	if (!f || len < hdrs)
		return f;
	memcpy(f, &head, hdrs);
	for (uint32_t i = hdrs; i < len; i++)
		f[i] = (uint8_t)(i * 7 + i / 251);
	return f;
}

static bool check_snap(struct harness *h, enum gt_hook hook, const uint8_t *frame, uint32_t len,
		       uint32_t snaplen, uint32_t want_cap)
{
	const char *hn = harness_hook_name(hook);
	const struct gt_event *ev;

	EXPECT_EQ(harness_set_config(h, 0, snaplen, 0), 0, "%s", hn);
	EXPECT_EQ(harness_run(h, hook, frame, len, NULL) >= 0, 1, "%s len %u", hn, len);
	EXPECT_EQ(harness_drain(h), 1, "%s len %u snaplen %u", hn, len, snaplen);
	EXPECT_EQ(h->bad_record, 0, "%s len %u snaplen %u", hn, len, snaplen);
	ev = &h->events[0].ev;
	EXPECT_EQ(ev->cap_len, want_cap, "%s len %u snaplen %u", hn, len, snaplen);
	EXPECT_EQ(ev->wire_len, len, "%s len %u snaplen %u", hn, len, snaplen);
	EXPECT_EQ(ev->reserved, 0, "%s", hn);
	EXPECT_EQ(memcmp(h->events[0].data, frame, want_cap), 0, "%s len %u snaplen %u bytes", hn,
		  len, snaplen);
	return true;
}

TEST(bpf_events_snap_length)
{
	const uint32_t len = 3000;
	uint8_t *frame = udp_frame(len);
	struct harness h;

	CHECK(frame != NULL);
	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	for (int k = 0; k < 3; k++) {
		enum gt_hook hook = harness_hooks[k];

		if (!check_snap(&h, hook, frame, len, 0, GT_SNAPLEN_DEFAULT) ||
		    !check_snap(&h, hook, frame, len, 1, 1) ||
		    !check_snap(&h, hook, frame, len, 64, 64) ||
		    !check_snap(&h, hook, frame, len, 1499, 1499) ||
		    !check_snap(&h, hook, frame, len, len - 1, len - 1) ||
		    !check_snap(&h, hook, frame, len, len, len) ||
		    !check_snap(&h, hook, frame, len, len + 1, len) ||
		    !check_snap(&h, hook, frame, len, GT_SNAPLEN_MAX, len) ||
		    !check_snap(&h, hook, frame, len, 1u << 30, len) ||
		    !check_snap(&h, hook, frame, 60, 0, 60) ||
		    /* The shortest IPv4 frame the kernel's TC test run accepts. */
		    !check_snap(&h, hook, frame, ETH_HLEN + 20, 0, ETH_HLEN + 20) ||
		    (hook == GT_HOOK_XDP && !check_snap(&h, hook, frame, ETH_HLEN, 0, ETH_HLEN)))
			break;
	}
	harness_close(&h);
	free(frame);
}

/*
 * XDP multi-buffer: the kernel's test run spreads a frame longer than a page
 * over fragments; the copy must follow them, up to GT_SNAPLEN_MAX.
 */
TEST(bpf_events_xdp_multi_buffer)
{
	const uint32_t big = 70000;
	uint8_t *frame = udp_frame(big);
	struct gt_dir_counters dc;
	struct harness h;

	CHECK(frame != NULL);
	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	if (!check_snap(&h, GT_HOOK_XDP, frame, 9000, 0, GT_SNAPLEN_DEFAULT) ||
	    !check_snap(&h, GT_HOOK_XDP, frame, 9000, GT_SNAPLEN_MAX, 9000) ||
	    !check_snap(&h, GT_HOOK_XDP, frame, 9000, 4097, 4097) ||
	    !check_snap(&h, GT_HOOK_XDP, frame, big, GT_SNAPLEN_MAX, GT_SNAPLEN_MAX) ||
	    !check_snap(&h, GT_HOOK_XDP, frame, big, 100000, GT_SNAPLEN_MAX))
		goto out;
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.packets, 5);
	CHECK_INT(dc.bytes, 3 * 9000 + 2 * big);
	CHECK_INT(dc.truncated, 0);
out:
	harness_close(&h);
	free(frame);
}

/*
 * A ring of one page, never read while packets arrive: the records that do
 * not fit are counted as ring_drops, the others all arrive intact.
 */
TEST(bpf_events_ring_full_counts_drops)
{
	const uint32_t len = 100, runs = 100;
	uint8_t *frame = udp_frame(len);
	struct gt_dir_counters dc;
	struct harness h;
	int got;

	CHECK(frame != NULL);
	CHECK_INT(harness_open(&h, 4096), 0);
	CHECK_INT(harness_reset(&h), 0);
	for (uint32_t i = 0; i < runs; i++)
		CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, frame, len, NULL), 0);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.packets, runs);
	CHECK_INT(dc.events + dc.ring_drops, runs);
	/* 8 bytes of ring header + 40 + 100, rounded to 8: 152 bytes, 26 records a page. */
	CHECK_INT(dc.events, 4096 / 152);
	got = harness_drain(&h);
	CHECK_INT(got, dc.events);
	CHECK(!h.bad_record);
	for (int i = 0; i < got && i < HARNESS_MAX_EVENTS; i++)
		CHECK(!memcmp(h.events[i].data, frame, len));
	/* Read: room again. */
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, frame, len, NULL), 0);
	CHECK_INT(harness_drain(&h), 1);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.ring_drops, runs - 4096 / 152);
	harness_close(&h);
	free(frame);
}
