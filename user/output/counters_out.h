/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Per-interface kernel counters (struct gt_if_counters) as text and JSON. */
#ifndef GT_COUNTERS_OUT_H
#define GT_COUNTERS_OUT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "gotracer.h"

/* {"packets":..,"bytes":..,"events":..,"ring_drops":..,...,"sizes":[..]} for one
 * direction; sizes counts frames in the buckets of gt_size_bucket(). */
cJSON *dir_counters_to_json(const struct gt_dir_counters *c);
/* {"iface":NAME,"in":{...},"out":{...}}. Caller frees. */
cJSON *if_counters_to_json(const char *iface, const struct gt_if_counters *c);
/* "gt0 in  packets 12 bytes 1180 ... sizes 2/10/0/0/0/0/0" one line per direction. */
void if_counters_print(FILE *out, const char *iface, const struct gt_if_counters *c);

#endif /* GT_COUNTERS_OUT_H */
