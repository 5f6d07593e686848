/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * IPFIX export (RFC 7011) of the flow table over UDP with libfixbuf: one
 * uniflow record per direction with IANA elements (addresses, ports,
 * protocolIdentifier, octet/packetDeltaCount, flowStart/EndMilliseconds,
 * flowDirection, ingressInterface). A flow is exported when it ends (idle, LRU
 * eviction, program stop) and every active timeout while it lasts; the
 * templates are sent again every refresh period, as UDP collectors need.
 */
#ifndef GT_IPFIX_H
#define GT_IPFIX_H

#include <stdint.h>

#include "stats/flow_table.h"

#define IPFIX_TEMPLATE_REFRESH_S 30

struct ipfix_exporter;

/* "HOST:PORT" ("[V6]:PORT" for IPv6). Prints one line and returns -errno on failure. */
int ipfix_open(struct ipfix_exporter **out, const char *dest, uint64_t active_timeout_ns,
	       uint64_t template_refresh_ns);
void ipfix_close(struct ipfix_exporter *x);
/* Export what f carries beyond its export marks, and move the marks. */
int ipfix_export_flow(struct ipfix_exporter *x, struct flow_stat *f, uint64_t end_boot_ns);
/* Once a tick: flows past the active timeout, template refresh, send the message. */
int ipfix_tick(struct ipfix_exporter *x, struct flow_table *t, uint64_t now_boot_ns);
/* A flow_end_fn for flow_table_init (user: the exporter). */
void ipfix_on_flow_end(void *user, const struct flow_stat *f, enum flow_end_reason why);
uint64_t ipfix_records(const struct ipfix_exporter *x);

/* Split "HOST:PORT" / "[V6]:PORT" into host and port strings; 0 or -EINVAL. */
int ipfix_parse_dest(const char *dest, char *host, size_t hostlen, char *port, size_t portlen);

#endif /* GT_IPFIX_H */
