// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * BOOTP and DHCP for IPv4: the fixed BOOTP header and the DHCP options.
 * RFC 951 (BOOTP), RFC 2131 (DHCP), RFC 2132 (options and vendor extensions).
 */
#include <stdio.h>
#include <string.h>

#include "proto.h"

#define BOOTP_HLEN 236		/* up to the magic cookie */
#define DHCP_MAGIC 0x63825363
#define MAX_OPTIONS 255

enum opt_kind { K_BYTES, K_IP, K_IPS, K_U8, K_U16, K_U32, K_STR, K_LIST };

static const struct dhcp_option {
	uint8_t code;
	enum opt_kind kind;
	const char *field;
} dhcp_options[] = {
	{ 1, K_IP, "dhcp.option.subnet_mask" },
	{ 3, K_IPS, "dhcp.option.router" },
	{ 6, K_IPS, "dhcp.option.domain_name_server" },
	{ 12, K_STR, "dhcp.option.hostname" },
	{ 15, K_STR, "dhcp.option.domain_name" },
	{ 28, K_IP, "dhcp.option.broadcast_address" },
	{ 42, K_IPS, "dhcp.option.ntp_server" },
	{ 50, K_IP, "dhcp.option.requested_ip_address" },
	{ 51, K_U32, "dhcp.option.ip_address_lease_time" },
	{ 53, K_U8, "dhcp.option.dhcp" },
	{ 54, K_IP, "dhcp.option.dhcp_server_id" },
	{ 55, K_LIST, "dhcp.option.request_list_item" },
	{ 56, K_STR, "dhcp.option.message" },
	{ 57, K_U16, "dhcp.option.dhcp_max_message_size" },
	{ 58, K_U32, "dhcp.option.renewal_time_value" },
	{ 59, K_U32, "dhcp.option.rebinding_time_value" },
	{ 60, K_STR, "dhcp.option.vendor_class_id" },
};

static const char *const msg_types[] = {
	[1] = "Discover", [2] = "Offer", [3] = "Request", [4] = "Decline",
	[5] = "ACK", [6] = "NAK", [7] = "Release", [8] = "Inform",
};

static const struct dhcp_option *option_find(uint8_t code)
{
	for (size_t i = 0; i < sizeof(dhcp_options) / sizeof(dhcp_options[0]); i++)
		if (dhcp_options[i].code == code)
			return &dhcp_options[i];
	return NULL;
}

static void ip_field(struct dx_packet *p, const char *name, uint32_t off)
{
	char a[16];

	dx_fmt_ipv4(a, sizeof(a), p, off);
	dx_field(p, name, off, 4, "%s", a);
}

/* A printable copy of a string field (no NUL inside the tree text). */
static void str_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len)
{
	char s[256];
	uint32_t n = 0;

	for (uint32_t i = 0; i < len && n + 1 < sizeof(s); i++) {
		uint8_t ch = dx_u8(p, off + i);

		if (ch == 0)
			break;
		s[n++] = ch < 0x20 || ch > 0x7e ? '.' : (char)ch;
	}
	s[n] = '\0';
	dx_field(p, name, off, len, "%s", s);
}

static void option_value(struct dx_packet *p, const struct dhcp_option *o, uint32_t off,
			 uint8_t len)
{
	switch (o->kind) {
	case K_IP:
		if (len == 4)
			ip_field(p, o->field, off);
		break;
	case K_IPS:
		for (uint32_t i = 0; i + 4 <= len; i += 4)
			ip_field(p, o->field, off + i);
		break;
	case K_U8:
		if (len == 1)
			dx_field(p, o->field, off, 1, "%u", dx_u8(p, off));
		break;
	case K_U16:
		if (len == 2)
			dx_field(p, o->field, off, 2, "%u", dx_be16(p, off));
		break;
	case K_U32:
		if (len == 4)
			dx_field(p, o->field, off, 4, "%u", dx_be32(p, off));
		break;
	case K_STR:
		str_field(p, o->field, off, len);
		break;
	case K_LIST:
		for (uint32_t i = 0; i < len; i++)
			dx_field(p, o->field, off + i, 1, "%u", dx_u8(p, off + i));
		break;
	case K_BYTES:
		break;
	}
}

/* Options after the cookie (RFC 2132 2): code, length, value; 0 pads, 255 ends. */
static int options(struct dx_packet *p, uint32_t off, uint32_t end)
{
	int msg_type = -1;

	for (int n = 0; n < MAX_OPTIONS && off < end && dx_has(p, off, 1); n++) {
		uint8_t code = dx_u8(p, off), len;
		const struct dhcp_option *o;

		if (code == 0) {
			off++;
			continue;
		}
		if (code == 255) {
			/* tshark 4.0 prints 0 here, its End option has no type item */
			dx_field(p, "dhcp.option.type", off, 1, "0");
			dx_push(p);
			dx_field(p, "dhcp.option.end", off, 1, "%u", code);
			dx_pop(p);
			break;
		}
		if (!dx_has(p, off + 1, 1))
			break;
		len = dx_u8(p, off + 1);
		if (2u + len > end - off) {
			dx_malformed(p, off + 1, 1, "DHCP option length past the message");
			break;
		}
		dx_field(p, "dhcp.option.type", off, 2u + len, "%u", code);
		dx_push(p);
		dx_field(p, "dhcp.option.length", off + 1, 1, "%u", len);
		if (len) {
			dx_hex_field(p, "dhcp.option.value", off + 2, len);
		}
		o = option_find(code);
		if (o && dx_has(p, off + 2, len))
			option_value(p, o, off + 2, len);
		if (code == 53 && len == 1)
			msg_type = dx_u8(p, off + 2);
		dx_pop(p);
		off += 2u + len;
	}
	return msg_type;
}

bool dx_dhcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	uint8_t op = dx_u8(p, off), hlen = dx_u8(p, off + 2);
	uint16_t flags;
	uint32_t xid;
	char mac[18];
	int node, msg_type = -1;

	if (len < 4 || (op != 1 && op != 2))
		return false;
	p->protocol = "DHCP";
	dx_mark(p, DX_F_PLAINTEXT);
	node = dx_proto(p, "dhcp", off, len, "Dynamic Host Configuration Protocol");
	if (node < 0)
		return true;
	dx_push(p);
	dx_field(p, "dhcp.type", off, 1, "%u", op);
	dx_field(p, "dhcp.hw.type", off + 1, 1, "0x%02x", dx_u8(p, off + 1));
	dx_field(p, "dhcp.hw.len", off + 2, 1, "%u", hlen);
	dx_field(p, "dhcp.hops", off + 3, 1, "%u", dx_u8(p, off + 3));
	xid = dx_be32(p, off + 4);
	if (op == 2)
		dx_set_info(p, "Boot Reply");
	else
		dx_set_info(p, "Boot Request");
	if (len < BOOTP_HLEN || !dx_has(p, off, BOOTP_HLEN)) {
		if (len < BOOTP_HLEN)
			dx_malformed(p, off, len, "BOOTP message shorter than its header");
		goto out;
	}
	dx_field(p, "dhcp.id", off + 4, 4, "0x%08x", xid);
	dx_field(p, "dhcp.secs", off + 8, 2, "%u", dx_be16(p, off + 8));
	flags = dx_be16(p, off + 10);
	dx_field(p, "dhcp.flags", off + 10, 2, "0x%04x", flags);
	dx_push(p);
	dx_field(p, "dhcp.flags.bc", off + 10, 2, "%u", flags >> 15);
	dx_field(p, "dhcp.flags.reserved", off + 10, 2, "0x%04x", flags & 0x7fff);
	dx_pop(p);
	ip_field(p, "dhcp.ip.client", off + 12);
	ip_field(p, "dhcp.ip.your", off + 16);
	ip_field(p, "dhcp.ip.server", off + 20);
	ip_field(p, "dhcp.ip.relay", off + 24);
	if (dx_u8(p, off + 1) == 1 && hlen == 6) {
		dx_fmt_mac(mac, sizeof(mac), p, off + 28);
		dx_field(p, "dhcp.hw.mac_addr", off + 28, 6, "%s", mac);
		if (op == 1)	/* tshark: the address, then its (unresolved) name */
			dx_append_info(p, " from %s (%s)", mac, mac);
		dx_hex_field(p, "dhcp.hw.addr_padding", off + 34, 10);
	} else {
		dx_hex_field(p, "dhcp.hw.addr", off + 28, 16);
	}
	str_field(p, "dhcp.server", off + 44, 64);
	str_field(p, "dhcp.file", off + 108, 128);
	if (len >= BOOTP_HLEN + 4 && dx_be32(p, off + BOOTP_HLEN) == DHCP_MAGIC) {
		ip_field(p, "dhcp.cookie", off + BOOTP_HLEN);
		msg_type = options(p, off + BOOTP_HLEN + 4, off + len);
	} else {
		p->protocol = "BOOTP";
		/* RFC 951: a 64-byte vendor area follows the header */
		if (len < BOOTP_HLEN + 4)
			dx_malformed(p, off + len, 0, "BOOTP message without its vendor area");
	}
out:
	dx_pop(p);
	if (msg_type > 0) {
		const char *name = msg_type < 9 ? msg_types[msg_type] : NULL;

		if (name)
			dx_set_info(p, "DHCP %-8s - Transaction ID 0x%08x", name, xid);
		else
			dx_set_info(p, "DHCP Unknown Message Type (0x%02x) - Transaction ID 0x%08x",
				    msg_type, xid);
	}
	return true;
}
