// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Address Resolution Protocol. RFC 826; RFC 5227 (probes and announcements). */
#include "proto.h"

void dx_arp(struct dx_packet *p, uint32_t off, uint32_t len)
{
	p->protocol = "ARP";
	dx_data(p, off, len);
}
