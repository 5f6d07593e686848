// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* User Datagram Protocol. RFC 768; RFC 8200 8.1 (zero checksum over IPv6). */
#include <stdio.h>

#include "proto.h"

#define UDP_HLEN 8

static const struct dx_port_names udp_ports = { "udp.srcport", "udp.dstport", "udp.port" };

void dx_udp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	uint16_t ulen;
	int node;

	p->protocol = "UDP";
	node = dx_proto(p, "udp", off, UDP_HLEN, "User Datagram Protocol");
	if (node < 0)
		return;
	dx_push(p);
	if (!dx_l4_ports(p, c, off, &udp_ports))
		goto out;
	if (!dx_has(p, off + 4, 2))
		goto out;
	ulen = dx_be16(p, off + 4);
	dx_field(p, "udp.length", off + 4, 2, "%u", ulen);
	if (dx_has(p, off + 6, 2)) {
		dx_field(p, "udp.checksum", off + 6, 2, "0x%04x", dx_be16(p, off + 6));
		dx_field(p, "udp.checksum.status", off + 6, 0, "%u",
			 dx_be16(p, off + 6) ? 2 : 3);
	}
	if (ulen < UDP_HLEN) {
		dx_malformed(p, off + 4, 2, "Bogus UDP length, must be at least 8");
		goto out;
	}
	if (ulen > len) {
		dx_malformed(p, off + 4, 2, "Bogus UDP length, past the IP payload");
		ulen = (uint16_t)(len < UDP_HLEN ? UDP_HLEN : len);
	}
	dx_set_info(p, "%u \u2192 %u Len=%u", c->sport, c->dport, ulen - UDP_HLEN);
	dx_l4_payload(p, "udp.payload", off + UDP_HLEN, ulen - UDP_HLEN);
	dx_pop(p);
	if (!dx_has(p, off, UDP_HLEN))
		return;
	dx_app_payload(p, c, off + UDP_HLEN, ulen - UDP_HLEN);
	return;
out:
	dx_pop(p);
}
