/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an accounting program does once a second, whoever runs the loop
 * (`capture --account` here, the server's stats tick there): read the flow map
 * into the flow table (idle flows retired), record each interface's bandwidth
 * into its hour-long ring, and export flows over IPFIX when asked.
 */
#ifndef GT_FLOW_EXPORT_H
#define GT_FLOW_EXPORT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bandwidth.h"
#include "capture/engine.h"
#include "flow_table.h"

struct ipfix_exporter;

/* Flow timeouts of the accounting commands (`--idle-timeout`, `--active-timeout`). */
#define FLOW_IDLE_TIMEOUT_DEFAULT_S 30
#define FLOW_ACTIVE_TIMEOUT_DEFAULT_S 60
#define FLOW_TIMEOUT_MAX_S 86400

/* A timeout option's value: whole seconds, 1..FLOW_TIMEOUT_MAX_S, into *ns.
 * 0, or -EINVAL with one line printed naming the option. */
int flow_timeout_parse(const char *option, const char *arg, uint64_t *ns);

struct flow_export {
	struct flow_table flows;
	struct ipfix_exporter *ipfix;	/* NULL: no export */
	struct bw_history *bw;		/* ENGINE_MAX_IFACES rings, by ifindex */
	int n_bw;
};

/* ipfix: HOST:PORT or NULL. 0 or -errno (one line printed). */
int flow_export_init(struct flow_export *x, const char *ipfix, uint64_t idle_timeout_ns,
		     uint64_t active_timeout_ns);
/* The once-a-second work on engine e (NULL: nothing attached right now). */
void flow_export_tick(struct flow_export *x, struct engine *e, uint64_t now_boot_ns);
/* The engine is about to go (re-attach, stop): its flows are read one last time
 * and reported (exported); the bandwidth rings stay. */
void flow_export_flush(struct flow_export *x, struct engine *e);
void flow_export_free(struct flow_export *x);
/* The last seconds of bandwidth of ifindex: {"in":[bytes...],"out":[...]},
 * oldest first, one entry a second. */
cJSON *flow_export_bandwidth_json(const struct flow_export *x, uint32_t ifindex,
				  uint32_t seconds);

/* Every interface of e with its whole history (up to an hour):
 * {"interval":1,"interfaces":[{"name":..,"index":..,"in":[..],"out":[..]}]}. */
cJSON *flow_export_history_json(const struct flow_export *x, struct engine *e);

#endif /* GT_FLOW_EXPORT_H */
