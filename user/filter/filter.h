/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Filter expressions: the pcap-filter language (tcpdump's syntax), compiled by
 * libpcap. Two halves:
 *   - filter_compile/filter_match: the whole expression, matched in userspace with
 *     pcap_offline_filter on each frame. This is always the final word.
 *   - filter_kernel_rules: the part the kernel programs can check (struct gt_rule,
 *     bpf/gotracer.h), so uninteresting packets never reach the ring buffer. The
 *     rules may let more through than the expression; when the expression has
 *     anything they cannot say (not, byte offsets, ether host, vlan, host names...)
 *     there are no rules and everything goes to userspace. Rules see IP only,
 *     so "host X" and "net N" (which in libpcap also match ARP) also pass
 *     every non-IP frame.
 *
 * inbound/outbound: libpcap compiles them for Linux savefiles only on cooked link
 * types; on other link types (an Ethernet frame) it emits a load of the socket's
 * packet type, which we answer from the packet's direction (enum gt_dir).
 */
#ifndef GT_FILTER_H
#define GT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotracer.h"

struct gt_filter;

/*
 * Compile expr for frames of this link type (DX_LINK_*). An empty or NULL
 * expression matches everything. On error returns -EINVAL and leaves libpcap's
 * message in err ("can't parse filter expression: syntax error").
 */
int filter_compile(struct gt_filter **out, const char *expr, int linktype, char *err,
		   size_t errlen);
void filter_free(struct gt_filter *f);

/*
 * Does the frame match? dir is enum gt_dir, or DX_DIR_UNKNOWN which, as in
 * libpcap ("inbound" is "not outbound"), counts as inbound. A filter is patched
 * while it matches: share one between threads only under a lock.
 */
bool filter_match(const struct gt_filter *f, const uint8_t *data, uint32_t caplen,
		  uint32_t wirelen, uint8_t dir);

/* The expression as given ("" when it matches everything). */
const char *filter_expr(const struct gt_filter *f);

/*
 * Kernel rules for the expression: an OR of up to max rules, each an AND of
 * conditions. Returns the number of rules written; 0 means "no kernel filtering"
 * (the expression is empty, or not expressible: userspace does all the work).
 */
uint32_t filter_kernel_rules(const struct gt_filter *f, struct gt_rule *rules, uint32_t max);

/* The translation alone, without libpcap: for tests and the server's preview. */
uint32_t filter_translate(const char *expr, struct gt_rule *rules, uint32_t max);

/* One rule as text ("ip4 tcp src 10.0.0.1/32 dport 80 in"), for tests and logs. */
void filter_rule_str(const struct gt_rule *r, char *buf, size_t len);

/* Join argv words into one expression, as tcpdump does ("port", "53" -> "port 53"). */
char *filter_join_args(int argc, char **argv);

#endif /* GT_FILTER_H */
