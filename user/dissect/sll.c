// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Linux "cooked" capture headers, SLL (LINKTYPE_LINUX_SLL, 16 bytes) and SLL2
 * (LINKTYPE_LINUX_SLL2, 20 bytes), as written by libpcap for "any" captures.
 * See https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html.
 */
#include <stdio.h>

#include "proto.h"

#define SLL_HLEN 16
#define SLL2_HLEN 20
#define ARPHRD_ETHER 1
#define ARPHRD_IEEE802 6
#define ARPHRD_LOOPBACK 772
#define ARPHRD_IPGRE 778

/* The link-layer source address: a MAC when it is one, hex otherwise. */
static void sll_addr(struct dx_packet *p, uint32_t off, uint16_t hatype, uint16_t halen)
{
	char hex[24];

	if (halen > 8)
		halen = 8;
	if (halen < 8 && dx_has(p, off + halen, 8u - halen)) {
		/* the address field is 8 bytes whatever the address length */
		dx_hex_field(p, "sll.unused", off + halen, 8u - halen);
	}
	if ((hatype == ARPHRD_ETHER || hatype == ARPHRD_IEEE802 || hatype == ARPHRD_LOOPBACK) &&
	    halen == 6) {
		dx_fmt_mac(hex, sizeof(hex), p, off);
		if (dx_has(p, off, 6)) {
			dx_field(p, "sll.src.eth", off, 6, "%s", hex);
			snprintf(p->src, sizeof(p->src), "%s", hex);
		}
		return;
	}
	if (hatype == ARPHRD_IPGRE && halen == 4) {
		dx_fmt_ipv4(hex, sizeof(hex), p, off);
		if (dx_has(p, off, 4))
			dx_field(p, "sll.src.ipv4", off, 4, "%s", hex);
		return;
	}
	dx_fmt_hex(hex, sizeof(hex), p, off, halen);
	if (halen && dx_has(p, off, halen))
		dx_field(p, "sll.src.other", off, halen, "%s", hex);
}

static void sll_payload(struct dx_packet *p, uint16_t proto, uint32_t off, uint32_t len)
{
	p->protocol = "SLL";
	dx_ethertype(p, proto, off, len);
}

void dx_sll(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint16_t hatype = dx_be16(p, off + 2), halen = dx_be16(p, off + 4);
	int node = dx_proto(p, "sll", off, SLL_HLEN, "Linux cooked capture v1");

	if (node < 0)
		return;
	dx_push(p);
	if (dx_has(p, off, 2))
		dx_field(p, "sll.pkttype", off, 2, "%u", dx_be16(p, off));
	if (dx_has(p, off + 2, 2))
		dx_field(p, "sll.hatype", off + 2, 2, "%u", hatype);
	if (dx_has(p, off + 4, 2))
		dx_field(p, "sll.halen", off + 4, 2, "%u", halen);
	sll_addr(p, off + 6, hatype, halen);
	if (!dx_has(p, off + 14, 2)) {
		dx_pop(p);
		return;
	}
	dx_field(p, "sll.etype", off + 14, 2, "0x%04x", dx_be16(p, off + 14));
	dx_pop(p);
	sll_payload(p, dx_be16(p, off + 14), off + SLL_HLEN, len > SLL_HLEN ? len - SLL_HLEN : 0);
}

void dx_sll2(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint16_t hatype = dx_be16(p, off + 8);
	uint8_t halen = dx_u8(p, off + 11);
	int node = dx_proto(p, "sll", off, SLL2_HLEN, "Linux cooked capture v2");

	if (node < 0)
		return;
	dx_push(p);
	if (dx_has(p, off, 2))
		dx_field(p, "sll.etype", off, 2, "0x%04x", dx_be16(p, off));
	if (dx_has(p, off + 4, 4))
		dx_field(p, "sll.ifindex", off + 4, 4, "%u", dx_be32(p, off + 4));
	if (dx_has(p, off + 8, 2))
		dx_field(p, "sll.hatype", off + 8, 2, "%u", hatype);
	if (dx_has(p, off + 10, 1))
		dx_field(p, "sll.pkttype", off + 10, 1, "%u", dx_u8(p, off + 10));
	if (dx_has(p, off + 11, 1))
		dx_field(p, "sll.halen", off + 11, 1, "%u", halen);
	sll_addr(p, off + 12, hatype, halen);
	dx_pop(p);
	if (!dx_has(p, off, SLL2_HLEN))
		return;
	sll_payload(p, dx_be16(p, off), off + SLL2_HLEN, len > SLL2_HLEN ? len - SLL2_HLEN : 0);
}
