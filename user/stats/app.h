/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The application of a flow. Best first: what nDPI or GoTracer's own
 * dissectors said about the flow's captured packets (app_note), else the
 * well-known port. Accounting mode captures nothing, so there the port decides.
 */
#ifndef GT_STATS_APP_H
#define GT_STATS_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "gotracer.h"

struct app_guess {
	const char *name;	/* static string: nDPI's name ("HTTP", "TLS"), else "tcp", "udp", ... */
	bool encrypted;
};

/* "tcp", "udp", "icmp", "icmpv6", "sctp", "gre", "esp", else "other". */
const char *ip_proto_name(uint8_t proto);
/* By the lower well-known port of the two ends; "tcp", "udp", ... when none is known. */
struct app_guess app_by_port(const struct gt_flow_key *key);

/* Remember what the packets of the flow with this gt_flow_hash were (dissector's
 * protocol column or nDPI's name); static or long-lived name. Bounded table. */
void app_note(uint32_t flow_hash, const char *name, bool encrypted);
/* Forget every note (a new capture). */
void app_notes_clear(void);
/* The noted application of a flow, or app_by_port. */
struct app_guess app_of(const struct gt_flow_key *key);

#endif /* GT_STATS_APP_H */
