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
	dx_field(p, "llc.control", off + 2, 1, "0x%04x", ctrl);
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

/*
 * The length the network header says its packet has, or len when unknown: bytes
 * past it are the sender's padding to the 60-byte minimum, a trailer, an FCS.
 */
static uint32_t network_length(struct dx_packet *p, uint16_t type, uint32_t off,
			       uint32_t len)
{
	uint32_t n = len;

	if (type == 0x0800 && dx_has(p, off, 4) && dx_be16(p, off + 2) >= 20)
		n = dx_be16(p, off + 2);
	else if (type == 0x86dd && dx_has(p, off, 6))
		n = 40u + dx_be16(p, off + 4);
	else if (type == 0x0806 && dx_has(p, off, 6))
		n = 8u + 2u * dx_u8(p, off + 4) + 2u * dx_u8(p, off + 5);
	return n < len ? n : len;
}

static bool all_zero(struct dx_packet *p, uint32_t off, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (dx_u8(p, off + i))
			return false;
	return true;
}

/* Padding of zeros to the minimum size, then a trailer; an FCS in frames of 64+ bytes. */
static void trailer(struct dx_packet *p, uint32_t frame_end, uint32_t off, uint32_t extra)
{
	uint32_t pad = 0;

	if (!dx_has(p, off, extra))
		return;
	if (off < ETH_MIN_FRAME) {
		pad = ETH_MIN_FRAME - off < extra ? ETH_MIN_FRAME - off : extra;
		if (!all_zero(p, off, pad))
			pad = 0;
	}
	if (pad) {
		dx_hex_field(p, "eth.padding", off, pad);
	}
	off += pad;
	extra -= pad;
	if (frame_end >= ETH_MIN_FRAME + 4 && extra >= 4) {
		if (extra > 4) {
			dx_hex_field(p, "eth.trailer", off, extra - 4);
		}
		dx_field(p, "eth.fcs", frame_end - 4, 4, "0x%08x", dx_be32(p, frame_end - 4));
		dx_field(p, "eth.fcs.status", frame_end - 4, 0, "2");
	} else if (extra) {
		dx_hex_field(p, "eth.trailer", off, extra);
	}
}

void dx_eth(struct dx_packet *p, uint32_t off, uint32_t len)
{
	char dst[18], src[18];
	uint32_t net;
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
	len = len > ETH_HLEN ? len - ETH_HLEN : 0;
	net = network_length(p, type, off + ETH_HLEN, len);
	if (net < len)
		trailer(p, off + ETH_HLEN + len, off + ETH_HLEN + net, len - net);
	dx_pop(p);
	p->protocol = "Ethernet";
	if (!dx_ethertype_name(type))
		dx_set_info(p, "Ethernet II, type 0x%04x", type);
	dx_ethertype(p, type, off + ETH_HLEN, net);
}
