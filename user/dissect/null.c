// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Loopback encapsulations: BSD "null" (LINKTYPE_NULL, 4-byte address family in
 * the capturing host's byte order), OpenBSD "loop" (LINKTYPE_LOOP, network order),
 * and raw IP (LINKTYPE_RAW/IPV4/IPV6: the frame starts at the IP header, the
 * version nibble says which). See https://www.tcpdump.org/linktypes.html.
 */
#include "proto.h"

#define NULL_HLEN 4

/* AF_INET is 2 everywhere; AF_INET6 differs: Linux 10, OpenBSD/NetBSD 24, FreeBSD 28, Darwin 30. */
static dx_layer_fn family_fn(uint32_t family)
{
	switch (family) {
	case 2:
		return dx_ipv4;
	case 10: case 24: case 28: case 30:
		return dx_ipv6;
	default:
		return NULL;
	}
}

static void loopback(struct dx_packet *p, uint32_t off, uint32_t len, const char *proto,
		     const char *field, uint32_t family)
{
	dx_layer_fn fn = family_fn(family);
	int node = dx_proto(p, proto, off, NULL_HLEN, "Null/Loopback");

	if (node < 0)
		return;
	dx_push(p);
	if (dx_has(p, off, NULL_HLEN))
		dx_field(p, field, off, NULL_HLEN, "%u", family);
	dx_pop(p);
	if (!dx_has(p, off, NULL_HLEN))
		return;
	p->protocol = "NULL";
	off += NULL_HLEN;
	len = len > NULL_HLEN ? len - NULL_HLEN : 0;
	if (fn)
		fn(p, off, len);
	else
		dx_data(p, off, len);
}

void dx_null(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint32_t family = dx_le32(p, off);

	/* written in the capturing host's order: a family never needs the high half */
	if (family & 0xffff0000)
		family = dx_be32(p, off);
	loopback(p, off, len, "null", "null.family", family);
}

void dx_loop(struct dx_packet *p, uint32_t off, uint32_t len)
{
	loopback(p, off, len, "null", "null.family", dx_be32(p, off));
}

void dx_raw(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint8_t version = dx_u8(p, off) >> 4;

	p->protocol = "Raw";
	if (version == 4)
		dx_ipv4(p, off, len);
	else if (version == 6)
		dx_ipv6(p, off, len);
	else if (dx_has(p, off, 1))
		dx_data(p, off, len);
}
