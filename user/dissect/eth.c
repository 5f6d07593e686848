// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Ethernet II (DIX) and IEEE 802.3 with an 802.2 LLC header (minimal).
 * IEEE Std 802.3, IEEE Std 802.2; RFC 894 (IP over Ethernet).
 */
#include <stdio.h>

#include "proto.h"

#define ETH_HLEN 14
#define ETH_MIN_FRAME 60	/* without FCS: shorter frames were padded by the sender */

/* 802.2 LLC: DSAP, SSAP, control; a SNAP header carries an ethertype after it. */
static void llc(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint8_t dsap = dx_u8(p, off), ssap = dx_u8(p, off + 1), ctrl = dx_u8(p, off + 2);
	int node = dx_proto(p, "llc", off, 3, "Logical-Link Control");

	if (node < 0)
		return;
	dx_push(p);
	dx_field(p, "llc.dsap", off, 1, "0x%02x", dsap);
	dx_field(p, "llc.ssap", off + 1, 1, "0x%02x", ssap);
	dx_field(p, "llc.control", off + 2, 1, "0x%02x", ctrl);
	if (dsap == 0xaa && ssap == 0xaa && len >= 8) {
		dx_set_len(p, node, 8);
		dx_field(p, "llc.oui", off + 3, 3, "%u", dx_be24(p, off + 3));
		dx_field(p, "llc.type", off + 6, 2, "0x%04x", dx_be16(p, off + 6));
		dx_pop(p);
		dx_ethertype(p, dx_be16(p, off + 6), off + 8, len - 8);
		return;
	}
	dx_pop(p);
	p->protocol = "LLC";
	dx_set_info(p, "DSAP 0x%02x, SSAP 0x%02x", dsap, ssap);
	if (len > 3)
		dx_data(p, off + 3, len - 3);
}

void dx_eth(struct dx_packet *p, uint32_t off, uint32_t len)
{
	char dst[18], src[18];
	uint16_t type;
	int node;

	node = dx_proto(p, "eth", off, ETH_HLEN, "Ethernet II");
	if (node < 0)
		return;
	dx_push(p);
	dx_fmt_mac(dst, sizeof(dst), p, off);
	dx_fmt_mac(src, sizeof(src), p, off + 6);
	if (dx_has(p, off, 6))
		dx_field(p, "eth.dst", off, 6, "%s", dst);
	if (dx_has(p, off + 6, 6))
		dx_field(p, "eth.src", off + 6, 6, "%s", src);
	if (!dx_has(p, off + 12, 2)) {
		dx_pop(p);
		p->protocol = "Ethernet";
		return;
	}
	type = dx_be16(p, off + 12);
	snprintf(p->src, sizeof(p->src), "%s", src);
	snprintf(p->dst, sizeof(p->dst), "%s", dst);
	if (type <= 1500) {
		/* 802.3: a length, then LLC */
		dx_field(p, "eth.len", off + 12, 2, "%u", type);
		dx_pop(p);
		if (len < ETH_HLEN)
			return;
		if (type > len - ETH_HLEN)
			dx_malformed(p, off + 12, 2, "802.3 length past the end of the frame");
		else
			len = ETH_HLEN + type;
		llc(p, off + ETH_HLEN, len - ETH_HLEN);
		return;
	}
	dx_field(p, "eth.type", off + 12, 2, "0x%04x", type);
	dx_pop(p);
	p->protocol = "Ethernet";
	if (!dx_ethertype_name(type))
		dx_set_info(p, "Ethernet II, type 0x%04x", type);
	dx_ethertype(p, type, off + ETH_HLEN, len > ETH_HLEN ? len - ETH_HLEN : 0);
}
