// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What TCP and UDP share: the port pair at the start of the header, the payload field. */
#include "proto.h"

bool dx_l4_ports(struct dx_packet *p, struct dx_conv *c, uint32_t off,
		 const struct dx_port_names *names)
{
	if (!dx_has(p, off, 4))
		return false;
	c->sport = dx_be16(p, off);
	c->dport = dx_be16(p, off + 2);
	p->sport = c->sport;
	p->dport = c->dport;
	dx_field(p, names->src, off, 2, "%u", c->sport);
	dx_field(p, names->dst, off + 2, 2, "%u", c->dport);
	dx_field(p, names->any, off, 2, "%u", c->sport);
	dx_field(p, names->any, off + 2, 2, "%u", c->dport);
	dx_set_info(p, "%u \u2192 %u", c->sport, c->dport);
	return true;
}

void dx_l4_payload(struct dx_packet *p, const char *name, uint32_t off, uint32_t len)
{
	if (len && dx_has(p, off, 1))
		dx_hex_field(p, name, off, len);
}
