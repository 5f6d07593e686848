// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Internet Protocol version 6: fixed header, extension headers (hop-by-hop,
 * routing, fragment, destination options), fragments (reassembled with a
 * store, see defrag.h; else the first one is dissected as far as it goes).
 * RFC 8200 (IPv6), RFC 2711 (router alert), RFC 6437 (flow label).
 */
#include <stdio.h>
#include <string.h>

#include "defrag.h"
#include "proto.h"

#define IPV6_HLEN 40
#define IPV6_MAX_EXT 8		/* extension headers followed before giving up */

enum {
	NH_HOPOPTS = 0,
	NH_ROUTING = 43,
	NH_FRAGMENT = 44,
	NH_DSTOPTS = 60,
};

/* Options of hop-by-hop and destination headers: type-length-value (RFC 8200 4.2). */
static void tlv_options(struct dx_packet *p, uint32_t off, uint32_t end)
{
	while (off < end && dx_has(p, off, 1)) {
		uint8_t type = dx_u8(p, off), olen;

		if (type == 0) {
			dx_field(p, "ipv6.opt", off, 1, "%s", "");
			dx_push(p);
			dx_field(p, "ipv6.opt.type", off, 1, "0x%02x", type);
			dx_field(p, "ipv6.opt.pad1", off, 1, "%s", "");
			dx_pop(p);
			off++;
			continue;
		}
		if (!dx_has(p, off + 1, 1))
			return;
		olen = dx_u8(p, off + 1);
		if (2u + olen > end - off) {
			dx_malformed(p, off + 1, 1, "IPv6 option length past the header");
			return;
		}
		dx_field(p, "ipv6.opt", off, 2u + olen, "%s", "");
		dx_push(p);
		dx_field(p, "ipv6.opt.type", off, 1, "0x%02x", type);
		dx_field(p, "ipv6.opt.length", off + 1, 1, "%u", olen);
		if (type == 5 && olen == 2)
			dx_field(p, "ipv6.opt.router_alert", off + 2, 2, "%u", dx_be16(p, off + 2));
		else if (type == 1)
			dx_hex_field(p, "ipv6.opt.padn", off + 2, olen);
		dx_pop(p);
		off += 2u + olen;
	}
}

/*
 * With segments left, a routing header names the packet's final destination:
 * the one upper-layer checksums cover (RFC 8200 8.1), and the one Wireshark shows.
 * Type 0 (deprecated) and 2 (Mobile IPv6) list it last, type 4 (SRH) first.
 */
static void final_destination(struct dx_packet *p, struct dx_conv *c, uint32_t off,
			      uint32_t hlen)
{
	uint8_t type = dx_u8(p, off + 2), segleft = dx_u8(p, off + 3);
	uint32_t at;

	if (!segleft || hlen < 24)
		return;
	if (type == 0 || type == 2)
		at = off + hlen - 16;
	else if (type == 4)
		at = off + 8;
	else
		return;
	if (dx_copy(p, at, c->dst, 16))
		dx_fmt_ipv6(p->dst, sizeof(p->dst), p, at);
}

/* Wireshark's Info line for a fragment shown alone. */
static void info_fragment(struct dx_packet *p, uint16_t fo, uint32_t ident, uint8_t next)
{
	dx_set_info(p, "IPv6 fragment (off=%u more=%c ident=0x%08x nxt=%u)", (fo >> 3) * 8u,
		    fo & 1 ? 'y' : 'n', ident, next);
}

/* One extension header; returns its length, or 0 to stop. */
static uint32_t ext_header(struct dx_packet *p, struct dx_conv *c, uint8_t nh, uint32_t off,
			   uint32_t left, uint8_t *next)
{
	static const char *const names[][2] = {
		[0] = { "ipv6.hopopts", "IPv6 Hop-by-Hop Option" },
		[1] = { "ipv6.routing", "Routing Header for IPv6" },
		[2] = { "ipv6.dstopts", "Destination Options for IPv6" },
	};
	static const char *const sub[][3] = {
		[0] = { "ipv6.hopopts.nxt", "ipv6.hopopts.len", "ipv6.hopopts.len_oct" },
		[1] = { "ipv6.routing.nxt", "ipv6.routing.len", "ipv6.routing.len_oct" },
		[2] = { "ipv6.dstopts.nxt", "ipv6.dstopts.len", "ipv6.dstopts.len_oct" },
	};
	uint32_t hlen;
	int k;

	if (!dx_has(p, off, 2))
		return 0;
	*next = dx_u8(p, off);
	if (nh == NH_FRAGMENT) {
		uint16_t fo = dx_be16(p, off + 2);

		if (left < 8) {
			dx_malformed(p, off, left, "IPv6 fragment header past the payload");
			return 0;
		}
		dx_field(p, "ipv6.fraghdr", off, 8, "%s", "Fragment Header for IPv6");
		dx_push(p);
		dx_field(p, "ipv6.fraghdr.nxt", off, 1, "%u", *next);
		dx_field(p, "ipv6.fraghdr.reserved_octet", off + 1, 1, "0x%02x", dx_u8(p, off + 1));
		if (dx_has(p, off + 2, 2)) {
			dx_field(p, "ipv6.fraghdr.offset", off + 2, 2, "%u", fo >> 3);
			dx_field(p, "ipv6.fraghdr.reserved_bits", off + 2, 2, "%u", fo >> 1 & 3);
			dx_field(p, "ipv6.fraghdr.more", off + 2, 2, "%u", fo & 1);
		}
		if (dx_has(p, off + 4, 4))
			dx_field(p, "ipv6.fraghdr.ident", off + 4, 4, "0x%08x",
				 dx_be32(p, off + 4));
		dx_pop(p);
		c->partial = (fo & 0xfff8) == 0 && (fo & 1);
		if (fo & 0xfff8) {
			/* only a first fragment holds the upper header */
			c->fragment = true;
			info_fragment(p, fo, dx_be32(p, off + 4), *next);
		}
		return 8;
	}
	k = nh == NH_HOPOPTS ? 0 : nh == NH_ROUTING ? 1 : 2;
	hlen = (dx_u8(p, off + 1) + 1u) * 8;
	if (hlen > left) {
		dx_malformed(p, off + 1, 1, "IPv6 extension header length past the payload");
		return 0;
	}
	dx_field(p, names[k][0], off, hlen, "%s", names[k][1]);
	dx_push(p);
	dx_field(p, sub[k][0], off, 1, "%u", *next);
	dx_field(p, sub[k][1], off + 1, 1, "%u", dx_u8(p, off + 1));
	dx_field(p, sub[k][2], off + 1, 1, "%u", hlen);
	if (nh == NH_ROUTING) {
		if (dx_has(p, off + 2, 2)) {
			dx_field(p, "ipv6.routing.type", off + 2, 1, "%u", dx_u8(p, off + 2));
			dx_field(p, "ipv6.routing.segleft", off + 3, 1, "%u", dx_u8(p, off + 3));
			final_destination(p, c, off, hlen);
		}
	} else {
		tlv_options(p, off + 2, off + hlen);
	}
	dx_pop(p);
	return hlen;
}

static void addr_fields(struct dx_packet *p, uint32_t off, const char *name,
			const char *host, char *out, size_t size)
{
	char a[64];

	dx_fmt_ipv6(a, sizeof(a), p, off);
	dx_field(p, name, off, 16, "%s", a);
	dx_field(p, "ipv6.addr", off, 16, "%s", a);
	dx_field(p, host, off, 16, "%s", a);
	dx_field(p, "ipv6.host", off, 16, "%s", a);
	snprintf(out, size, "%s", a);
}

/*
 * A fragment header at hoff whose fragment ends at end: hands the fragment to
 * the reassembly store, keyed as RFC 8200 says (addresses, identification).
 */
static enum dx_frag_result defragment(struct dx_packet *p, struct dx_conv *c, uint32_t off,
				      uint32_t hoff, uint32_t end, uint8_t next,
				      struct dx_defrag_view *v)
{
	struct dx_frag_key k = { .family = 6 };
	uint16_t fo = dx_be16(p, hoff + 2);
	enum dx_frag_result r;

	if (!(fo & 0xfff9) || !dx_has(p, hoff, 8) || end <= hoff + 8)
		return DX_FRAG_REFUSED;
	k.id = dx_be32(p, hoff + 4);
	/* the original source and destination, not a routing header's final one */
	dx_copy(p, off + 8, k.src, 16);
	dx_copy(p, off + 24, k.dst, 16);
	r = dx_defrag_ip(p, &k, hoff + 8, end - hoff - 8, fo & 0xfff8, fo & 1, v);
	if (r == DX_FRAG_HELD) {
		c->fragment = true;
		c->partial = false;
		info_fragment(p, fo, k.id, next);
	} else if (r == DX_FRAG_COMPLETE) {
		c->fragment = false;
		c->partial = false;
	}
	return r;
}

void dx_ipv6(struct dx_packet *p, uint32_t off, uint32_t len)
{
	struct dx_conv c = { .family = 6 };
	bool quoted = dx_in_error(p);
	enum dx_frag_result defrag = DX_FRAG_REFUSED;
	struct dx_defrag_view view;
	uint32_t w, plen, hoff, end;
	bool plen_ok = true;
	uint8_t nh;
	int node;

	p->protocol = "IPv6";
	node = dx_proto(p, "ipv6", off, IPV6_HLEN, "Internet Protocol Version 6");
	if (node < 0 || !dx_has(p, off, 1))
		return;
	dx_push(p);
	w = dx_u8(p, off);
	dx_field(p, "ipv6.version", off, 1, "%u", w >> 4);
	dx_field(p, "ip.version", off, 1, "%u", w >> 4);
	if (w >> 4 != 6) {
		dx_malformed(p, off, 1, "Bogus IPv6 version");
		goto out;
	}
	if (!dx_has(p, off, 4))
		goto out;
	w = dx_be32(p, off);
	dx_field(p, "ipv6.tclass", off, 4, "0x%08x", w >> 20 & 0xff);
	dx_push(p);
	dx_field(p, "ipv6.tclass.dscp", off, 4, "%u", w >> 22 & 0x3f);
	dx_field(p, "ipv6.tclass.ecn", off, 4, "%u", w >> 20 & 3);
	dx_pop(p);
	dx_field(p, "ipv6.flow", off + 1, 3, "0x%06x", w & 0xfffff);
	plen = dx_be16(p, off + 4);
	if (dx_has(p, off + 4, 2))
		dx_field(p, "ipv6.plen", off + 4, 2, "%u", plen);
	nh = dx_u8(p, off + 6);
	if (dx_has(p, off + 6, 1))
		dx_field(p, "ipv6.nxt", off + 6, 1, "%u", nh);
	c.ttl = dx_u8(p, off + 7);
	if (dx_has(p, off + 7, 1))
		dx_field(p, "ipv6.hlim", off + 7, 1, "%u", c.ttl);
	if (!dx_has(p, off + 8, 16))
		goto out;
	addr_fields(p, off + 8, "ipv6.src", "ipv6.src_host", p->src, sizeof(p->src));
	dx_copy(p, off + 8, c.src, 16);
	if (!dx_has(p, off + 24, 16))
		goto out;
	addr_fields(p, off + 24, "ipv6.dst", "ipv6.dst_host", p->dst, sizeof(p->dst));
	dx_copy(p, off + 24, c.dst, 16);

	end = off + IPV6_HLEN + plen;
	if (len < IPV6_HLEN || plen > len - IPV6_HLEN) {
		dx_malformed(p, off + 4, 2, "IPv6 payload length exceeds packet length");
		end = off + (len < IPV6_HLEN ? IPV6_HLEN : len);
		plen_ok = false;
	}
	hoff = off + IPV6_HLEN;
	for (int i = 0; i < IPV6_MAX_EXT; i++) {
		uint8_t next = 0;
		uint32_t hlen;

		if (nh != NH_HOPOPTS && nh != NH_ROUTING && nh != NH_FRAGMENT &&
		    nh != NH_DSTOPTS)
			break;
		hlen = ext_header(p, &c, nh, hoff, end - hoff, &next);
		if (hlen == 0)
			goto out;
		if (nh == NH_FRAGMENT && defrag == DX_FRAG_REFUSED && plen_ok && !quoted) {
			defrag = defragment(p, &c, off, hoff, end, next, &view);
			/* the rest of the datagram is read from the rebuilt frame */
			if (defrag == DX_FRAG_COMPLETE)
				end = hoff + hlen + view.len;
		}
		hoff += hlen;
		/* Wireshark's IPv6 layer ends before a fragment header */
		if (nh != NH_FRAGMENT && defrag != DX_FRAG_COMPLETE)
			dx_set_len(p, node, hoff - off);
		nh = next;
		if (defrag == DX_FRAG_HELD)
			break;
	}
	dx_pop(p);
	c.l4proto = nh;
	dx_ip_payload(p, &c, hoff, end - hoff);
	if (defrag == DX_FRAG_COMPLETE)
		dx_defrag_leave(p, &view);
	return;
out:
	dx_pop(p);
	if (defrag == DX_FRAG_COMPLETE)
		dx_defrag_leave(p, &view);
}
