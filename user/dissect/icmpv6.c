// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ICMP for IPv6 and Neighbor Discovery. RFC 4443, RFC 4861, RFC 3810 (MLDv2). */
#include "proto.h"

void dx_icmpv6(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	p->protocol = "ICMPv6";
	dx_data(p, off, len);
}
