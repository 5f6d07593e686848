// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IEEE 802.1Q VLAN tag and IEEE 802.1ad service tag (Q-in-Q): priority, DEI,
 * VLAN ID, then the encapsulated ethertype. IEEE Std 802.1Q-2018 9.6.
 */
#include "proto.h"

#define VLAN_HLEN 4
#define VLAN_MAX_TAGS 8		/* stacked tags followed; more is not a real frame */

static bool is_vlan_type(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/* An 802.1ad service tag, named as Wireshark does (its own protocol). */
static void service_tag(struct dx_packet *p, uint32_t off, uint16_t tci)
{
	if (dx_proto(p, "ieee8021ad", off, VLAN_HLEN, "IEEE 802.1ad, ID: %u", tci & 0xfff) < 0)
		return;
	dx_push(p);
	if (dx_has(p, off, 2)) {
		dx_field(p, "ieee8021ad.priority", off, 1, "%u", tci >> 13);
		dx_field(p, "ieee8021ad.dei", off, 1, "%u", tci >> 12 & 1);
		dx_field(p, "ieee8021ad.id", off, 2, "%u", tci & 0xfff);
	}
	if (dx_has(p, off + 2, 2))
		dx_field(p, "ieee8021ah.etype", off + 2, 2, "0x%04x", dx_be16(p, off + 2));
	dx_pop(p);
}

void dx_vlan(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint16_t type = 0, outer = 0;

	/* the tag's own ethertype sits just before it */
	if (off >= 2)
		outer = dx_be16(p, off - 2);
	for (int tags = 0; tags < VLAN_MAX_TAGS; tags++) {
		uint16_t tci = dx_be16(p, off);
		int node;

		if (outer == 0x88a8) {
			type = dx_be16(p, off + 2);
			service_tag(p, off, tci);
			if (!dx_has(p, off, VLAN_HLEN) || len < VLAN_HLEN)
				return;
			off += VLAN_HLEN;
			len -= VLAN_HLEN;
			outer = type;
			if (!is_vlan_type(type))
				break;
			continue;
		}
		outer = 0;

		type = dx_be16(p, off + 2);
		node = dx_proto(p, "vlan", off, VLAN_HLEN,
				"802.1Q Virtual LAN, PRI: %u, DEI: %u, ID: %u", tci >> 13,
				tci >> 12 & 1, tci & 0xfff);
		if (node < 0)
			return;
		dx_push(p);
		if (dx_has(p, off, 2)) {
			dx_field(p, "vlan.priority", off, 2, "%u", tci >> 13);
			dx_field(p, "vlan.dei", off, 2, "%u", tci >> 12 & 1);
			dx_field(p, "vlan.id", off, 2, "%u", tci & 0xfff);
		}
		if (!dx_has(p, off + 2, 2)) {
			dx_pop(p);
			return;
		}
		if (type <= 1500)
			dx_field(p, "vlan.len", off + 2, 2, "%u", type);
		else
			dx_field(p, "vlan.etype", off + 2, 2, "0x%04x", type);
		dx_pop(p);
		if (len < VLAN_HLEN)
			return;
		off += VLAN_HLEN;
		len -= VLAN_HLEN;
		outer = type;
		if (!is_vlan_type(type))
			break;
	}
	p->protocol = "802.1Q";
	if (is_vlan_type(type)) {
		dx_malformed(p, off, 0, "too many stacked VLAN tags");
		return;
	}
	dx_ethertype(p, type, off, len);
}
