// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Kernel interface counters as text and JSON (see counters_out.h). */
#include <inttypes.h>
#include <stddef.h>

#include "counters_out.h"
#include "stats/sizes.h"

/* One table, so the text and JSON forms never disagree on names or order. */
static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{ "packets", offsetof(struct gt_dir_counters, packets) },
	{ "bytes", offsetof(struct gt_dir_counters, bytes) },
	{ "events", offsetof(struct gt_dir_counters, events) },
	{ "ring_drops", offsetof(struct gt_dir_counters, ring_drops) },
	{ "filtered", offsetof(struct gt_dir_counters, filtered) },
	{ "sampled_out", offsetof(struct gt_dir_counters, sampled_out) },
	{ "truncated", offsetof(struct gt_dir_counters, truncated) },
	{ "non_ip", offsetof(struct gt_dir_counters, non_ip) },
	{ "gso_segs", offsetof(struct gt_dir_counters, gso_segs) },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t field(const struct gt_dir_counters *c, size_t i)
{
	return *(const uint64_t *)((const char *)c + fields[i].off);
}

cJSON *dir_counters_to_json(const struct gt_dir_counters *c)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; obj && i < N_FIELDS; i++)
		cJSON_AddNumberToObject(obj, fields[i].name, (double)field(c, i));
	if (obj)
		cJSON_AddItemToObject(obj, "sizes", size_counts_json(c->size_hist));
	return obj;
}

cJSON *if_counters_to_json(const char *iface, const struct gt_if_counters *c)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return NULL;
	cJSON_AddStringToObject(obj, "iface", iface);
	cJSON_AddItemToObject(obj, "in", dir_counters_to_json(&c->dir[GT_DIR_IN]));
	cJSON_AddItemToObject(obj, "out", dir_counters_to_json(&c->dir[GT_DIR_OUT]));
	return obj;
}

void if_counters_print(FILE *out, const char *iface, const struct gt_if_counters *c)
{
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		fprintf(out, "%s %-3s", iface, d == GT_DIR_IN ? "in" : "out");
		for (size_t i = 0; i < N_FIELDS; i++)
			fprintf(out, " %s %" PRIu64, fields[i].name, field(&c->dir[d], i));
		/* the size buckets of gt_size_bucket(), smallest first */
		for (int b = 0; b < GT_SIZE_BUCKETS; b++)
			fprintf(out, "%s%" PRIu64, b ? "/" : " sizes ", (uint64_t)c->dir[d].size_hist[b]);
		fputc('\n', out);
	}
}
