// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Address Resolution Protocol (Ethernet/IPv4 in full, other pairs by their sizes).
 * RFC 826 (ARP), RFC 5227 (probes and announcements), RFC 903 (RARP opcodes).
 */
#include <stdio.h>
#include <string.h>

#include "proto.h"

#define ARP_FIXED 8

static const char *const opcodes[] = {
	[1] = "request", [2] = "reply", [3] = "reverse request", [4] = "reverse reply",
	[8] = "inverse request", [9] = "inverse reply",
};

static void hw_field(struct dx_packet *p, const char *mac_name, const char *other,
		     uint32_t off, uint8_t hlen, char *out, size_t size)
{
	char hex[2 * 32 + 1];

	if (hlen == 6) {
		dx_fmt_mac(out, size, p, off);
		dx_field(p, mac_name, off, 6, "%s", out);
		return;
	}
	dx_fmt_hex(hex, sizeof(hex), p, off, hlen);
	snprintf(out, size, "%s", hex);
	dx_field(p, other, off, hlen, "%s", hex);
}

static void proto_field(struct dx_packet *p, const char *v4_name, const char *other,
			uint32_t off, uint8_t plen, char *out, size_t size)
{
	char hex[2 * 32 + 1];

	if (plen == 4) {
		dx_fmt_ipv4(out, size, p, off);
		dx_field(p, v4_name, off, 4, "%s", out);
		return;
	}
	dx_fmt_hex(hex, sizeof(hex), p, off, plen);
	snprintf(out, size, "%s", hex);
	dx_field(p, other, off, plen, "%s", hex);
}

void dx_arp(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint8_t hlen = dx_u8(p, off + 4), plen = dx_u8(p, off + 5);
	uint16_t op = dx_be16(p, off + 6);
	char sha[70], spa[70], tha[70], tpa[70];
	uint32_t o, total;
	int node;

	p->protocol = "ARP";
	dx_mark(p, DX_F_PLAINTEXT);
	total = ARP_FIXED + 2u * hlen + 2u * plen;
	node = dx_proto(p, "arp", off, total, "Address Resolution Protocol");
	if (node < 0)
		return;
	dx_push(p);
	if (!dx_has(p, off, ARP_FIXED))
		goto out;
	dx_field(p, "arp.hw.type", off, 2, "%u", dx_be16(p, off));
	dx_field(p, "arp.proto.type", off + 2, 2, "0x%04x", dx_be16(p, off + 2));
	dx_field(p, "arp.hw.size", off + 4, 1, "%u", hlen);
	dx_field(p, "arp.proto.size", off + 5, 1, "%u", plen);
	dx_field(p, "arp.opcode", off + 6, 2, "%u", op);
	if (hlen > 32 || plen > 32 || total > len) {
		dx_malformed(p, off + 4, 2, "ARP address sizes past the packet");
		goto out;
	}
	o = off + ARP_FIXED;
	if (!dx_has(p, o, total - ARP_FIXED))
		goto out;
	hw_field(p, "arp.src.hw_mac", "arp.src.hw", o, hlen, sha, sizeof(sha));
	proto_field(p, "arp.src.proto_ipv4", "arp.src.proto", o + hlen, plen, spa, sizeof(spa));
	o += hlen + plen;
	hw_field(p, "arp.dst.hw_mac", "arp.dst.hw", o, hlen, tha, sizeof(tha));
	proto_field(p, "arp.dst.proto_ipv4", "arp.dst.proto", o + hlen, plen, tpa, sizeof(tpa));
	switch (op) {
	case 1:
		if (spa[0] && !strcmp(spa, tpa))
			dx_set_info(p, "ARP Announcement for %s", spa);
		else if (!strcmp(spa, "0.0.0.0"))
			dx_set_info(p, "Who has %s? (ARP Probe)", tpa);
		else
			dx_set_info(p, "Who has %s? Tell %s", tpa, spa);
		break;
	case 2:
		if (!strcmp(spa, tpa))
			dx_set_info(p, "Gratuitous ARP for %s (Reply)", spa);
		else
			dx_set_info(p, "%s is at %s", spa, sha);
		break;
	case 3:
		p->protocol = "RARP";
		dx_set_info(p, "Who is %s? Tell %s", tha, sha);
		break;
	case 4:
		p->protocol = "RARP";
		dx_set_info(p, "%s is at %s", tha, tpa);
		break;
	default:
		dx_set_info(p, "ARP %s", op < sizeof(opcodes) / sizeof(opcodes[0]) && opcodes[op] ?
				       opcodes[op] : "unknown opcode");
		break;
	}
out:
	dx_pop(p);
}
