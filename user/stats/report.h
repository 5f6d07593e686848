/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Traffic analysis over the flow table, as JSON: one flow, top talkers
 * (endpoints), the protocol hierarchy (IP version > transport > application),
 * and the encrypted share by bytes.
 */
#ifndef GT_STATS_REPORT_H
#define GT_STATS_REPORT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "flow_table.h"

/* Only the flows of ifindex are counted (0: all). */
cJSON *flow_stat_json(const struct flow_stat *f, const char *iface);
cJSON *talkers_report(const struct flow_table *t, uint32_t ifindex, int top);
cJSON *protocol_hierarchy(const struct flow_table *t, uint32_t ifindex);
cJSON *encrypted_share(const struct flow_table *t, uint32_t ifindex);
/* Flows of ifindex in the table. */
uint64_t flows_active(const struct flow_table *t, uint32_t ifindex);

#endif /* GT_STATS_REPORT_H */
