// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ICMP for IPv6, Neighbor Discovery and MLDv2 reports.
 * RFC 4443 (ICMPv6), RFC 4861 (Neighbor Discovery and its options), RFC 3810
 * (MLDv2), RFC 8106 (RDNSS option), RFC 3971 (nonce option).
 */
#include <stdio.h>
#include <string.h>

#include "pairs.h"
#include "proto.h"

#define ICMPV6_HLEN 4
#define MAX_ND_OPTIONS 64	/* a frame holds fewer; bounds the walk anyway */

static const struct {
	uint8_t type;
	const char *name;
} icmpv6_types[] = {
	{ 1, "Destination Unreachable" }, { 2, "Packet Too Big" },
	{ 3, "Time Exceeded" }, { 4, "Parameter Problem" },
	{ 128, "Echo (ping) request" }, { 129, "Echo (ping) reply" },
	{ 130, "Multicast Listener Query" }, { 131, "Multicast Listener Report" },
	{ 132, "Multicast listener done" }, { 133, "Router Solicitation" },
	{ 134, "Router Advertisement" }, { 135, "Neighbor Solicitation" },
	{ 136, "Neighbor Advertisement" }, { 137, "Redirect" },
	{ 143, "Multicast Listener Report Message v2" },
};

/* Code names of the error types 1, 3 and 4, as tshark 4.0's Info shows them. */
static const char *const unreach_codes[] = {
	"no route to destination", "Administratively prohibited",
	"Beyond scope of source address", "Address unreachable", "Port unreachable",
	"Source address failed ingress/egress policy", "Reject route to destination",
	"Error in Source Routing Header",
};
static const char *const time_codes[] = {
	"hop limit exceeded in transit", "fragment reassembly time exceeded",
};
static const char *const param_codes[] = {
	"erroneous header field encountered", "unrecognized Next Header type encountered",
	"unrecognized IPv6 option encountered",
	"IPv6 First Fragment has incomplete IPv6 Header Chain",
};

static const char *code_name(uint8_t type, uint8_t code)
{
#define CODE(table) (code < sizeof(table) / sizeof(table[0]) ? table[code] : NULL)
	switch (type) {
	case 1:
		return CODE(unreach_codes);
	case 3:
		return CODE(time_codes);
	case 4:
		return CODE(param_codes);
	default:
		return NULL;
	}
#undef CODE
}

static const char *type_name(uint8_t type)
{
	for (size_t i = 0; i < sizeof(icmpv6_types) / sizeof(icmpv6_types[0]); i++)
		if (icmpv6_types[i].type == type)
			return icmpv6_types[i].name;
	return NULL;
}

static void addr_field(struct dx_packet *p, const char *name, uint32_t off, char *out,
		       size_t size)
{
	char a[64];

	dx_fmt_ipv6(a, sizeof(a), p, off);
	if (dx_has(p, off, 16))
		dx_field(p, name, off, 16, "%s", a);
	if (out)
		snprintf(out, size, "%s", a);
}

/* ND options (RFC 4861 4.6): type, length in units of 8 bytes, value. */
static void nd_options(struct dx_packet *p, uint32_t off, uint32_t end, char *lladdr,
		       size_t size)
{
	for (int n = 0; n < MAX_ND_OPTIONS && off < end && dx_has(p, off, 2); n++) {
		uint8_t type = dx_u8(p, off);
		uint32_t olen = dx_u8(p, off + 1) * 8u;
		char mac[18];

		if (olen == 0 || olen > end - off) {
			dx_malformed(p, off + 1, 1, "ICMPv6 option length invalid");
			return;
		}
		dx_field(p, "icmpv6.opt", off, olen, "%s", "");
		dx_push(p);
		dx_field(p, "icmpv6.opt.type", off, 1, "%u", type);
		dx_field(p, "icmpv6.opt.length", off + 1, 1, "%u", olen / 8);
		switch (type) {
		case 1:
		case 2:
			if (olen != 8 || !dx_has(p, off + 2, 6))
				break;
			dx_fmt_mac(mac, sizeof(mac), p, off + 2);
			dx_field(p, "icmpv6.opt.linkaddr", off + 2, 6, "%s", mac);
			dx_field(p, type == 1 ? "icmpv6.opt.src_linkaddr" :
				 "icmpv6.opt.target_linkaddr", off + 2, 6, "%s", mac);
			snprintf(lladdr, size, "%s", mac);
			break;
		case 3:
			if (olen != 32)
				break;
			dx_field(p, "icmpv6.opt.prefix.length", off + 2, 1, "%u",
				 dx_u8(p, off + 2));
			dx_field(p, "icmpv6.opt.prefix.flag", off + 3, 1, "0x%02x",
				 dx_u8(p, off + 3));
			dx_field(p, "icmpv6.opt.prefix.valid_lifetime", off + 4, 4, "%u",
				 dx_be32(p, off + 4));
			dx_field(p, "icmpv6.opt.prefix.preferred_lifetime", off + 8, 4, "%u",
				 dx_be32(p, off + 8));
			addr_field(p, "icmpv6.opt.prefix", off + 16, NULL, 0);
			break;
		case 5:
			if (olen == 8)
				dx_field(p, "icmpv6.opt.mtu", off + 4, 4, "%u",
					 dx_be32(p, off + 4));
			break;
		case 14:
			dx_hex_field(p, "icmpv6.opt.nonce", off + 2, olen - 2);
			break;
		case 25:
			dx_field(p, "icmpv6.opt.rdnss.lifetime", off + 4, 4, "%u",
				 dx_be32(p, off + 4));
			for (uint32_t a = 8; a + 16 <= olen; a += 16)
				addr_field(p, "icmpv6.opt.rdnss", off + a, NULL, 0);
			break;
		}
		dx_pop(p);
		off += olen;
	}
}

/* MLDv2 report (RFC 3810 5.2): multicast address records. */
static void mldv2_report(struct dx_packet *p, uint32_t off, uint32_t end)
{
	uint16_t n = dx_be16(p, off + 2);

	dx_hex_field(p, "icmpv6.reserved", off, 2);
	if (!dx_has(p, off + 2, 2))
		return;
	dx_field(p, "icmpv6.mldr.nb_mcast_records", off + 2, 2, "%u", n);
	off += 4;
	for (uint16_t i = 0; i < n && off + 20 <= end && dx_has(p, off, 20); i++) {
		uint16_t nsrc = dx_be16(p, off + 2);
		uint32_t rlen = 20u + 16u * nsrc + dx_u8(p, off + 1) * 4u;

		dx_field(p, "icmpv6.mldr.mar", off, rlen, "%s", "");
		dx_push(p);
		dx_field(p, "icmpv6.mldr.mar.record_type", off, 1, "%u", dx_u8(p, off));
		dx_field(p, "icmpv6.mldr.mar.aux_data_len", off + 1, 1, "%u", dx_u8(p, off + 1));
		dx_field(p, "icmpv6.mldr.mar.nb_sources", off + 2, 2, "%u", nsrc);
		addr_field(p, "icmpv6.mldr.mar.multicast_address", off + 4, NULL, 0);
		for (uint32_t s = 0; s < nsrc && off + 20 + 16 * s + 16 <= end; s++)
			addr_field(p, "icmpv6.mldr.mar.source_address", off + 20 + 16 * s, NULL, 0);
		dx_pop(p);
		if (rlen > end - off)
			return;
		off += rlen;
	}
}

static void checksum(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len,
		     bool quoted)
{
	/* pseudo-header (RFC 8200 8.1): addresses, upper-layer length, next header */
	uint32_t sum = 0;

	for (int i = 0; i < 16; i += 2)
		sum += (uint32_t)(c->src[i] << 8 | c->src[i + 1]) +
		       (uint32_t)(c->dst[i] << 8 | c->dst[i + 1]);
	sum += (len >> 16) + (len & 0xffff) + 58;
	dx_field(p, "icmpv6.checksum", off + 2, 2, "0x%04x", dx_be16(p, off + 2));
	/* a first fragment or a quoted packet is incomplete: unverified */
	if (!c->partial && !quoted && dx_csum_add(p, off, len, &sum))
		dx_field(p, "icmpv6.checksum.status", off + 2, 0, "%u", dx_csum_fold(sum) ? 0 : 1);
	else
		dx_field(p, "icmpv6.checksum.status", off + 2, 0, "2");
}

void dx_icmpv6(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	uint32_t end = off + len;
	char target[64] = "", lladdr[18] = "";
	const char *name;
	uint8_t type, code;
	int node;

	/* asked before this layer nests its own fields */
	bool quoted = dx_in_error(p);

	p->protocol = "ICMPv6";
	dx_mark(p, DX_F_PLAINTEXT);
	node = dx_proto(p, "icmpv6", off, len, "Internet Control Message Protocol v6");
	if (node < 0 || !dx_has(p, off, 1))
		return;
	dx_push(p);
	type = dx_u8(p, off);
	code = dx_u8(p, off + 1);
	name = type_name(type);
	dx_field(p, "icmpv6.type", off, 1, "%u", type);
	dx_set_info(p, "%s", name ? name : "Unknown ICMPv6 type");
	if (!dx_has(p, off + 1, 1))
		goto out;
	dx_field(p, "icmpv6.code", off + 1, 1, "%u", code);
	if (!dx_has(p, off + 2, 2))
		goto out;
	checksum(p, c, off, len, quoted);
	if (len < 8) {
		dx_malformed(p, off, len, "ICMPv6 message shorter than its header");
		goto out;
	}
	switch (type) {
	case 1: case 2: case 3: case 4:
		if (type == 2) {
			dx_field(p, "icmpv6.mtu", off + 4, 4, "%u", dx_be32(p, off + 4));
		} else if (type == 4) {
			dx_field(p, "icmpv6.pointer", off + 4, 4, "%u", dx_be32(p, off + 4));
		} else if (dx_u8(p, off + 4)) {
			/* RFC 4884: the quoted datagram's length, in 8-byte words */
			dx_field(p, "icmpv6.length", off + 4, 1, "%u", dx_u8(p, off + 4));
			dx_hex_field(p, "icmpv6.reserved", off + 5, 3);
			if (dx_u8(p, off + 4) * 8u > len - 8)
				dx_malformed(p, off + 4, 1, "ICMPv6 original datagram length too long");
		} else {
			dx_hex_field(p, "icmpv6.reserved", off + 4, 4);
		}
		if (code_name(type, code))
			dx_set_info(p, "%s (%s)", name, code_name(type, code));
		dx_pop(p);
		if (len > 8 && dx_has(p, off + 8, 1)) {
			dx_push(p);
			/* as tshark: the quoted packet when it looks like IPv6, else data */
			if (dx_u8(p, off + 8) >> 4 == 6)
				dx_inner_ip(p, dx_ipv6, off + 8, len - 8);
			else
				dx_data(p, off + 8, len - 8);
			dx_pop(p);
		}
		return;
	case 128: case 129:
		dx_field(p, "icmpv6.echo.identifier", off + 4, 2, "0x%04x", dx_be16(p, off + 4));
		dx_field(p, "icmpv6.echo.sequence_number", off + 6, 2, "%u", dx_be16(p, off + 6));
		dx_set_info(p, "%s id=0x%04x, seq=%u, hop limit=%u", name, dx_be16(p, off + 4),
			    dx_be16(p, off + 6), c->ttl);
		dx_echo_show(p, c, true, quoted, type == 129, dx_be16(p, off + 4),
			     dx_be16(p, off + 6), off);
		dx_pop(p);
		if (len > 8 && dx_has(p, off + 8, 1))
			dx_data(p, off + 8, len - 8);
		return;
	case 133:
		dx_hex_field(p, "icmpv6.reserved", off + 4, 4);
		nd_options(p, off + 8, end, lladdr, sizeof(lladdr));
		if (lladdr[0])
			dx_append_info(p, " from %s", lladdr);
		break;
	case 134:
		dx_field(p, "icmpv6.nd.ra.cur_hop_limit", off + 4, 1, "%u", dx_u8(p, off + 4));
		dx_field(p, "icmpv6.nd.ra.flag", off + 5, 1, "0x%02x", dx_u8(p, off + 5));
		dx_field(p, "icmpv6.nd.ra.router_lifetime", off + 6, 2, "%u", dx_be16(p, off + 6));
		if (len >= 16) {
			dx_field(p, "icmpv6.nd.ra.reachable_time", off + 8, 4, "%u",
				 dx_be32(p, off + 8));
			dx_field(p, "icmpv6.nd.ra.retrans_timer", off + 12, 4, "%u",
				 dx_be32(p, off + 12));
			nd_options(p, off + 16, end, lladdr, sizeof(lladdr));
		}
		if (lladdr[0])
			dx_append_info(p, " from %s", lladdr);
		break;
	case 135:
		dx_hex_field(p, "icmpv6.reserved", off + 4, 4);
		if (len < 24)
			break;
		addr_field(p, "icmpv6.nd.ns.target_address", off + 8, target, sizeof(target));
		nd_options(p, off + 24, end, lladdr, sizeof(lladdr));
		dx_append_info(p, " for %s", target);
		if (lladdr[0])
			dx_append_info(p, " from %s", lladdr);
		break;
	case 136: {
		uint32_t f = dx_be32(p, off + 4);
		char flags[32];

		dx_field(p, "icmpv6.nd.na.flag", off + 4, 4, "0x%08x", f);
		dx_push(p);
		dx_field(p, "icmpv6.nd.na.flag.r", off + 4, 4, "%u", f >> 31 & 1);
		dx_field(p, "icmpv6.nd.na.flag.s", off + 4, 4, "%u", f >> 30 & 1);
		dx_field(p, "icmpv6.nd.na.flag.o", off + 4, 4, "%u", f >> 29 & 1);
		dx_field(p, "icmpv6.nd.na.flag.rsv", off + 4, 4, "%u", f & 0x1fffffff);
		dx_pop(p);
		if (len < 24)
			break;
		addr_field(p, "icmpv6.nd.na.target_address", off + 8, target, sizeof(target));
		nd_options(p, off + 24, end, lladdr, sizeof(lladdr));
		snprintf(flags, sizeof(flags), "%s%s%s", f >> 31 & 1 ? "rtr, " : "",
			 f >> 30 & 1 ? "sol, " : "", f >> 29 & 1 ? "ovr, " : "");
		if (flags[0])
			flags[strlen(flags) - 2] = '\0';
		dx_append_info(p, " %s", target);
		if (flags[0])
			dx_append_info(p, " (%s)", flags);
		if (lladdr[0])
			dx_append_info(p, " is at %s", lladdr);
		break;
	}
	case 137:
		dx_hex_field(p, "icmpv6.reserved", off + 4, 4);
		if (len < 40)
			break;
		addr_field(p, "icmpv6.nd.rd.target_address", off + 8, NULL, 0);
		addr_field(p, "icmpv6.nd.rd.destination_address", off + 24, NULL, 0);
		nd_options(p, off + 40, end, lladdr, sizeof(lladdr));
		break;
	case 143:
		mldv2_report(p, off + 4, end);
		break;
	}
out:
	dx_pop(p);
}
