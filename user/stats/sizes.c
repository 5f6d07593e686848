// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The packet size histogram in JSON (see sizes.h). */
#include "sizes.h"

void size_hist_add(__u64 sum[GT_SIZE_BUCKETS], const struct gt_dir_counters *c)
{
	for (int i = 0; i < GT_SIZE_BUCKETS; i++)
		sum[i] += c->size_hist[i];
}

cJSON *size_bounds_json(void)
{
	cJSON *a = cJSON_CreateArray();

	for (unsigned int i = 0; a && i < GT_SIZE_BOUNDS; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(gt_size_bound(i)));
	return a;
}

cJSON *size_counts_json(const __u64 hist[GT_SIZE_BUCKETS])
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < GT_SIZE_BUCKETS; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)hist[i]));
	return a;
}
