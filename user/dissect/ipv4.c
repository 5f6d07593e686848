// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Internet Protocol version 4: header, options, fragments.
 * RFC 791 (IPv4), RFC 2474 and RFC 3168 (DS field, ECN), RFC 2113 (router alert).
 * Fragments are reassembled when the packet has a store (defrag.h): those that
 * do not complete a datagram are data with Wireshark's "Fragmented IP protocol"
 * Info line, the one that does shows the whole datagram. Without a store, or
 * for a fragment not all captured, the first fragment is dissected as far as
 * it goes and later ones are data, as tshark without reassembly.
 */
#include <stdio.h>
#include <string.h>

#include "defrag.h"
#include "proto.h"

#define IPV4_MIN_HLEN 20

struct ipv4_option {
	uint8_t type;
	const char *field;	/* Wireshark's subtree field for this option */
};

static const struct ipv4_option ipv4_options[] = {
	{ 0, "ip.options.eol" },
	{ 1, "ip.options.nop" },
	{ 7, "ip.options.record_route" },
	{ 11, "ip.options.mtu_probe" },
	{ 12, "ip.options.mtu_reply" },
	{ 25, "ip.options.qs" },
	{ 68, "ip.options.timestamp" },
	{ 82, "ip.options.traceroute" },
	{ 130, "ip.options.security" },
	{ 131, "ip.options.route" },
	{ 133, "ip.options.ext_security" },
	{ 134, "ip.options.cipso" },
	{ 136, "ip.options.sid" },
	{ 137, "ip.options.route" },
	{ 148, "ip.options.routeralert" },
	{ 149, "ip.options.sdb" },
};

static const struct ipv4_option *option_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(ipv4_options) / sizeof(ipv4_options[0]); i++)
		if (ipv4_options[i].type == type)
			return &ipv4_options[i];
	return NULL;
}

/* Recorded/source routes: a list of addresses after a pointer (RFC 791 3.1). */
static void option_route(struct dx_packet *p, uint32_t off, uint8_t olen, uint8_t type)
{
	uint8_t ptr = dx_u8(p, off + 2);
	char a[16];

	dx_field(p, "ip.opt.ptr", off + 2, 1, "%u", ptr);
	for (uint32_t i = 3; i + 4 <= olen; i += 4) {
		const char *name;

		if (!dx_has(p, off + i, 4))
			return;
		dx_fmt_ipv4(a, sizeof(a), p, off + i);
		if (type == 7)
			name = i + 1 < ptr ? "ip.rec_rt" : "ip.empty_rt";
		else
			name = i + 1 < ptr ? "ip.rec_rt" : "ip.src_rt";
		dx_field(p, name, off + i, 4, "%s", a);
	}
}

/* Internet timestamp (RFC 791 3.1): stamps alone, or each after an address. */
static void option_timestamp(struct dx_packet *p, uint32_t off, uint8_t olen)
{
	uint8_t of = dx_u8(p, off + 3), flag = of & 0xf;
	uint32_t step = flag ? 8 : 4;
	char a[16];

	dx_field(p, "ip.opt.ptr", off + 2, 1, "%u", dx_u8(p, off + 2));
	dx_field(p, "ip.opt.overflow", off + 3, 1, "%u", of >> 4);
	dx_field(p, "ip.opt.flag", off + 3, 1, "0x%02x", flag);
	for (uint32_t i = 4; i + step <= olen && dx_has(p, off + i, step); i += step) {
		if (flag) {
			dx_fmt_ipv4(a, sizeof(a), p, off + i);
			dx_field(p, "ip.opt.time_stamp_addr", off + i, 4, "%s", a);
		}
		dx_field(p, "ip.opt.time_stamp", off + i + step - 4, 4, "%u",
			 dx_be32(p, off + i + step - 4));
	}
}

static void options(struct dx_packet *p, uint32_t off, uint32_t end)
{
	int node = dx_text(p, off, end - off, "Options: (%u bytes)", end - off);

	if (node < 0)
		return;
	dx_push(p);
	while (off < end && dx_has(p, off, 1)) {
		uint8_t type = dx_u8(p, off), olen = 1;
		char hex[2 * 40 + 1];
		const struct ipv4_option *o = option_find(type);

		if (type > 1) {
			if (!dx_has(p, off + 1, 1))
				break;
			olen = dx_u8(p, off + 1);
			if (olen < 2 || olen > end - off) {
				dx_malformed(p, off + 1, 1, "IPv4 option length bogus");
				break;
			}
		}
		dx_fmt_hex(hex, sizeof(hex), p, off, olen);
		if (o)
			dx_field(p, o->field, off, olen, "%s", hex);
		else
			dx_text(p, off, olen, "Unknown option (%u)", type);
		dx_push(p);
		dx_field(p, "ip.opt.type", off, 1, "%u", type);
		dx_push(p);
		dx_field(p, "ip.opt.type.copy", off, 1, "%u", type >> 7);
		dx_field(p, "ip.opt.type.class", off, 1, "%u", type >> 5 & 3);
		dx_field(p, "ip.opt.type.number", off, 1, "%u", type & 0x1f);
		dx_pop(p);
		if (type > 1)
			dx_field(p, "ip.opt.len", off + 1, 1, "%u", olen);
		if ((type == 7 || type == 131 || type == 137) && olen >= 3)
			option_route(p, off, olen, type);
		else if (type == 68 && olen >= 4)
			option_timestamp(p, off, olen);
		else if (type == 148 && olen == 4)
			dx_field(p, "ip.opt.ra", off + 2, 2, "%u", dx_be16(p, off + 2));
		dx_pop(p);
		off += olen;
		if (type == 0)
			break;
	}
	dx_pop(p);
}

/* One address: its own field, the either-way ip.addr, the host forms, the summary. */
static bool addr_fields(struct dx_packet *p, uint32_t off, const char *name,
			const char *host, char *summary, size_t size, uint8_t conv[16])
{
	char a[16];

	if (!dx_copy(p, off, conv, 4))
		return false;
	dx_fmt_ipv4(a, sizeof(a), p, off);
	dx_field(p, name, off, 4, "%s", a);
	dx_field(p, "ip.addr", off, 4, "%s", a);
	dx_field(p, host, off, 4, "%s", a);
	dx_field(p, "ip.host", off, 4, "%s", a);
	snprintf(summary, size, "%s", a);
	return true;
}

static void info_fragment(struct dx_packet *p, uint8_t proto, uint32_t frag_bytes,
			  uint16_t id)
{
	const char *name = dx_ip_proto_name(proto);

	dx_set_info(p, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)",
		    name ? name : "Unknown", proto, frag_bytes, id);
}

/* Hands a fragment to the reassembly store, keyed as RFC 791 says. */
static enum dx_frag_result defragment(struct dx_packet *p, const struct dx_conv *c,
				      uint16_t id, uint16_t frag, uint32_t off, uint32_t len,
				      struct dx_defrag_view *v)
{
	struct dx_frag_key k = { .family = 4, .proto = c->l4proto, .id = id };

	memcpy(k.src, c->src, 4);
	memcpy(k.dst, c->dst, 4);
	return dx_defrag_ip(p, &k, off, len, (frag & 0x1fff) * 8u, frag & 0x2000, v);
}

void dx_ipv4(struct dx_packet *p, uint32_t off, uint32_t len)
{
	struct dx_conv c = { .family = 4 };
	bool quoted = dx_in_error(p);
	enum dx_frag_result defrag = DX_FRAG_REFUSED;
	struct dx_defrag_view view;
	uint8_t vihl, hlen, flags, proto;
	uint16_t tot_len, id, frag;
	int node;

	p->protocol = "IPv4";
	if (!dx_has(p, off, 1)) {
		dx_proto(p, "ip", off, 0, "Internet Protocol Version 4");
		return;
	}
	vihl = dx_u8(p, off);
	hlen = (vihl & 0x0f) * 4;
	node = dx_proto(p, "ip", off, hlen, "Internet Protocol Version 4");
	if (node < 0)
		return;
	dx_push(p);
	dx_field(p, "ip.version", off, 1, "%u", vihl >> 4);
	if (vihl >> 4 != 4) {
		dx_set_len(p, node, 0);
		dx_set_info(p, "Bogus IPv4 version (%u, must be 4)", vihl >> 4);
		dx_malformed(p, off, 1, "Bogus IP version");
		goto out;
	}
	dx_field(p, "ip.hdr_len", off, 1, "%u", hlen);
	if (hlen < IPV4_MIN_HLEN) {
		dx_set_len(p, node, 1);
		dx_set_info(p, "Bogus IP header length (%u, must be at least 20)", hlen);
		dx_malformed(p, off, 1, "Bogus IP header length, must be at least 20");
		goto out;
	}
	if (dx_has(p, off + 1, 1)) {
		uint8_t ds = dx_u8(p, off + 1);

		dx_field(p, "ip.dsfield", off + 1, 1, "0x%02x", ds);
		dx_push(p);
		dx_field(p, "ip.dsfield.dscp", off + 1, 1, "%u", ds >> 2);
		dx_field(p, "ip.dsfield.ecn", off + 1, 1, "%u", ds & 3);
		dx_pop(p);
	}
	tot_len = dx_be16(p, off + 2);
	if (dx_has(p, off + 2, 2))
		dx_field(p, "ip.len", off + 2, 2, "%u", tot_len);
	id = dx_be16(p, off + 4);
	if (dx_has(p, off + 4, 2))
		dx_field(p, "ip.id", off + 4, 2, "0x%04x", id);
	frag = dx_be16(p, off + 6);
	flags = frag >> 13;
	if (dx_has(p, off + 6, 2)) {
		dx_field(p, "ip.flags", off + 6, 1, "0x%02x", flags);
		dx_push(p);
		dx_field(p, "ip.flags.rb", off + 6, 1, "%u", flags >> 2 & 1);
		dx_field(p, "ip.flags.df", off + 6, 1, "%u", flags >> 1 & 1);
		dx_field(p, "ip.flags.mf", off + 6, 1, "%u", flags & 1);
		dx_pop(p);
		dx_field(p, "ip.frag_offset", off + 6, 2, "%u", frag & 0x1fff);
	}
	c.ttl = dx_u8(p, off + 8);
	if (dx_has(p, off + 8, 1))
		dx_field(p, "ip.ttl", off + 8, 1, "%u", c.ttl);
	proto = dx_u8(p, off + 9);
	c.l4proto = proto;
	if (dx_has(p, off + 9, 1))
		dx_field(p, "ip.proto", off + 9, 1, "%u", proto);
	if (dx_has(p, off + 10, 2)) {
		dx_field(p, "ip.checksum", off + 10, 2, "0x%04x", dx_be16(p, off + 10));
		dx_field(p, "ip.checksum.status", off + 10, 0, "2");
	}
	if (!addr_fields(p, off + 12, "ip.src", "ip.src_host", p->src, sizeof(p->src), c.src) ||
	    !addr_fields(p, off + 16, "ip.dst", "ip.dst_host", p->dst, sizeof(p->dst), c.dst))
		goto out;
	if (hlen > IPV4_MIN_HLEN)
		options(p, off + IPV4_MIN_HLEN, off + hlen);
	if (tot_len < hlen) {
		dx_malformed(p, off + 2, 2, "Bogus IP length, less than header length");
		goto out;
	}
	if (tot_len > len) {
		/* the frame ends first: dissect what it holds (TSO: ip.len may be 0) */
		dx_malformed(p, off + 2, 2, "IPv4 total length exceeds packet length");
		tot_len = (uint16_t)(len < hlen ? hlen : (len > 0xffff ? 0xffff : len));
	} else if ((frag & 0x3fff) && tot_len > hlen && !quoted) {
		defrag = defragment(p, &c, id, frag, off + hlen, tot_len - hlen, &view);
	}
	dx_pop(p);
	if (defrag == DX_FRAG_COMPLETE) {
		dx_ip_payload(p, &c, off + hlen, view.len);
		dx_defrag_leave(p, &view);
		return;
	}
	if (!dx_has(p, off, hlen))
		return;
	/* not reassembled: as tshark without, a first fragment shows its upper header */
	c.fragment = (frag & 0x1fff) != 0 || defrag == DX_FRAG_HELD;
	c.partial = !c.fragment && (flags & 1);
	if (c.fragment)
		info_fragment(p, proto, (frag & 0x1fff) * 8u, id);
	dx_ip_payload(p, &c, off + hlen, tot_len - hlen);
	return;
out:
	dx_pop(p);
}
