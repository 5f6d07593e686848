// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The packet size histogram in the Prometheus exposition: cumulative buckets
 * at the kernel's bounds, +Inf, _sum (the wire bytes) and _count, each
 * direction of an interface; and the JSON form the stats message and
 * `gotracer stats` share (bounds, counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/runner.h"
#include "export/metrics.h"
#include "stats/sizes.h"

TEST(metrics_size_histogram_cumulative)
{
	struct gt_if_counters c = {};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	/* in: 3 of 60 bytes, 1 of 100, 2 of 1500, 4 of 9000 (a jumbo link) */
	c.dir[GT_DIR_IN].size_hist[0] = 3;
	c.dir[GT_DIR_IN].size_hist[1] = 1;
	c.dir[GT_DIR_IN].size_hist[5] = 2;
	c.dir[GT_DIR_IN].size_hist[6] = 4;
	c.dir[GT_DIR_IN].bytes = 3 * 60 + 100 + 2 * 1500 + 4 * 9000;
	/* out: one frame of exactly 1518 bytes */
	c.dir[GT_DIR_OUT].size_hist[5] = 1;
	c.dir[GT_DIR_OUT].bytes = 1518;
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	metrics_size_histogram(f, "gt\"0", &c);
	CHECK(fclose(f) == 0);
	CHECK_STR(text,
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"64\"} 3\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"128\"} 4\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"256\"} 4\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"512\"} 4\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"1024\"} 4\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"1518\"} 6\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"in\",le=\"+Inf\"} 10\n"
		  "gotracer_interface_packet_size_bytes_sum{interface=\"gt\\\"0\",direction=\"in\"} 39280\n"
		  "gotracer_interface_packet_size_bytes_count{interface=\"gt\\\"0\",direction=\"in\"} 10\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"64\"} 0\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"128\"} 0\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"256\"} 0\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"512\"} 0\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"1024\"} 0\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"1518\"} 1\n"
		  "gotracer_interface_packet_size_bytes_bucket{interface=\"gt\\\"0\",direction=\"out\",le=\"+Inf\"} 1\n"
		  "gotracer_interface_packet_size_bytes_sum{interface=\"gt\\\"0\",direction=\"out\"} 1518\n"
		  "gotracer_interface_packet_size_bytes_count{interface=\"gt\\\"0\",direction=\"out\"} 1\n");
	free(text);
}

/* The shared header's bounds and bucketing agree at every bound and past it. */
TEST(size_bucket_bounds)
{
	static const unsigned int want[] = { 64, 128, 256, 512, 1024, 1518 };

	CHECK_INT(GT_SIZE_BUCKETS, GT_SIZE_BOUNDS + 1);
	CHECK_INT(sizeof(want) / sizeof(want[0]), GT_SIZE_BOUNDS);
	for (unsigned int i = 0; i < GT_SIZE_BOUNDS; i++) {
		CHECK_INT(gt_size_bound(i), want[i]);
		CHECK_INT(gt_size_bucket(want[i]), i);
		CHECK_INT(gt_size_bucket(want[i] + 1), i + 1);
	}
	CHECK_INT(gt_size_bucket(0), 0);
	CHECK_INT(gt_size_bucket(65535), GT_SIZE_BUCKETS - 1);
	CHECK_INT(gt_size_bound(GT_SIZE_BOUNDS), 0);
}

TEST(size_hist_json_form)
{
	struct gt_dir_counters in = { .size_hist = { 1, 2, 3, 4, 5, 6, 7 } };
	struct gt_dir_counters out = { .size_hist = { 10, 0, 0, 0, 0, 0, 1 } };
	__u64 sum[GT_SIZE_BUCKETS] = { 0 };
	cJSON *bounds = size_bounds_json(), *counts;
	char *b, *c;

	size_hist_add(sum, &in);
	size_hist_add(sum, &out);
	counts = size_counts_json(sum);
	b = cJSON_PrintUnformatted(bounds);
	c = cJSON_PrintUnformatted(counts);
	CHECK_STR(b, "[64,128,256,512,1024,1518]");
	CHECK_STR(c, "[11,2,3,4,5,6,8]");
	cJSON_free(b);
	cJSON_free(c);
	cJSON_Delete(bounds);
	cJSON_Delete(counts);
}
