/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Shared by the scan techniques, not part of the library's API. */
#ifndef GT_SCAN_INTERNAL_H
#define GT_SCAN_INTERNAL_H

#include "scan.h"
#include "timing.h"

struct open_port {
	uint32_t addr;
	uint16_t port;
};

/* open ports found by a port scan, for service detection afterwards */
struct open_ports {
	struct open_port *v;
	size_t n, cap;
};

/* hands one result to the caller; safe from several threads */
void scan_emit(struct scan_opts *o, const struct scan_result *r);
void scan_emit_port(struct scan_opts *o, struct open_ports *open, uint32_t addr, uint16_t port,
		    enum port_state state, const char *reason, uint8_t ttl);
/* probes every open port (a few at a time), then frees the list */
void scan_detect_services(struct scan_opts *o, struct open_ports *open);

/* service.c: GoTracer's own naming of a banner (tests reach it directly) */
bool service_name_banner(const unsigned char *b, size_t len, uint16_t port, struct scan_result *r);

static inline bool scan_cancelled(const struct scan_opts *o)
{
	return o->cancel && *o->cancel;
}

#endif /* GT_SCAN_INTERNAL_H */
