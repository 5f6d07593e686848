/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* This host's side of a scan: which interface, address, subnet and MAC face the targets. */
#ifndef GT_SCAN_LOCAL_ADDR_H
#define GT_SCAN_LOCAL_ADDR_H

#include <stdbool.h>
#include <stdint.h>

struct local_if {
	char name[16];
	uint32_t ifindex;
	uint32_t addr;		/* IPv4, network order */
	uint32_t prefix_len;
	uint8_t mac[6];
	bool loopback;
};

/* the interface called name, with its first IPv4 address; -errno (logged) if none */
int local_if_by_name(const char *name, struct local_if *li);
/* the interface whose IPv4 subnet holds addr (network order); -ENOENT if none */
int local_if_by_subnet(uint32_t addr, struct local_if *li);
/* the interface and source address the kernel would use to reach dst */
int local_if_by_route(uint32_t dst, struct local_if *li);

#endif /* GT_SCAN_LOCAL_ADDR_H */
