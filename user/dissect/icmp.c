// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Internet Control Message Protocol (for IPv4). RFC 792, RFC 1122, RFC 1191
 * (next-hop MTU), RFC 4884 (extended messages: not parsed). Errors quote the
 * invoking IP header and the first bytes of its payload: dissected as such.
 */
#include <inttypes.h>

#include "pairs.h"
#include "proto.h"

#define ICMP_HLEN 8

struct code_name {
	uint8_t code;
	const char *name;
};

static const struct code_name unreach_codes[] = {
	{ 0, "Network unreachable" }, { 1, "Host unreachable" },
	{ 2, "Protocol unreachable" }, { 3, "Port unreachable" },
	{ 4, "Fragmentation needed" }, { 5, "Source route failed" },
	{ 6, "Destination network unknown" }, { 7, "Destination host unknown" },
	{ 8, "Source host isolated" }, { 9, "Network administratively prohibited" },
	{ 10, "Host administratively prohibited" }, { 11, "Network unreachable for TOS" },
	{ 12, "Host unreachable for TOS" }, { 13, "Communication administratively filtered" },
	{ 14, "Host precedence violation" }, { 15, "Precedence cutoff in effect" },
	{ 0, NULL },
};

static const struct code_name redirect_codes[] = {
	{ 0, "Redirect for network" }, { 1, "Redirect for host" },
	{ 2, "Redirect for TOS and network" }, { 3, "Redirect for TOS and host" },
	{ 0, NULL },
};

static const struct code_name param_codes[] = {
	{ 0, "Pointer indicates the error" }, { 1, "Required option missing" },
	{ 2, "Bad length" },
	{ 0, NULL },
};

static const struct code_name rtradvert_codes[] = {
	{ 0, "Normal router advertisement" }, { 16, "Does not route common traffic" },
	{ 0, NULL },
};

static const struct code_name time_codes[] = {
	{ 0, "Time to live exceeded in transit" },
	{ 1, "Fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct icmp_type {
	uint8_t type;
	const char *name;
	const struct code_name *codes;
	bool error;		/* quotes the invoking packet */
	bool echo;		/* identifier and sequence number */
} icmp_types[] = {
	{ 0, "Echo (ping) reply", NULL, false, true },
	{ 3, "Destination unreachable", unreach_codes, true, false },
	{ 4, "Source quench (flow control)", NULL, true, false },
	{ 5, "Redirect", redirect_codes, true, false },
	{ 8, "Echo (ping) request", NULL, false, true },
	{ 9, "Router advertisement", rtradvert_codes, false, false },
	{ 10, "Router solicitation", NULL, false, false },
	{ 11, "Time-to-live exceeded", time_codes, true, false },
	{ 12, "Parameter problem", param_codes, true, false },
	{ 13, "Timestamp request", NULL, false, true },
	{ 14, "Timestamp reply", NULL, false, true },
	{ 17, "Address mask request", NULL, false, true },
	{ 18, "Address mask reply", NULL, false, true },
};

/*
 * ping's send time, a struct timeval in the first 8 data bytes, in either byte
 * order: kept when within a day of the capture time, as tshark 4.0 decides.
 * Returns the bytes it took (8) or 0.
 */
static uint32_t data_time(struct dx_packet *p, uint32_t off)
{
	int64_t frame_s, diff, secs, usecs;
	char when[64];

	if (!p->ts_ns || !dx_has(p, off, 8))
		return 0;
	frame_s = (int64_t)(p->ts_ns / 1000000000u);
	secs = dx_be32(p, off);
	usecs = dx_be32(p, off + 4);
	diff = (int32_t)(uint32_t)(secs - frame_s);
	if (diff >= 86400 || diff <= -86400 || usecs >= 1000000) {
		secs = dx_le32(p, off);
		usecs = dx_le32(p, off + 4);
		diff = (int32_t)(uint32_t)(secs - frame_s);
	}
	if (diff >= 86400 || diff <= -86400 || usecs >= 1000000)
		return 0;
	dx_fmt_time(when, sizeof(when), secs, (uint32_t)usecs * 1000);
	dx_field(p, "icmp.data_time", off, 8, "%s", when);
	/* frame time minus the sent time, as tshark's signed seconds.nanoseconds */
	diff = (int64_t)p->ts_ns - (secs * 1000000000 + usecs * 1000);
	dx_field(p, "icmp.data_time_relative", off, 8, "%s%" PRId64 ".%09" PRId64,
		 diff < 0 ? "-" : "", (diff < 0 ? -diff : diff) / 1000000000,
		 (diff < 0 ? -diff : diff) % 1000000000);
	return 8;
}

/* RFC 1256: router addresses with their preference levels; returns the bytes used. */
static uint32_t router_advertisement(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint8_t n = dx_u8(p, off + 4), size = dx_u8(p, off + 5);
	char a[16];
	uint32_t i;

	dx_field(p, "icmp.num_addrs", off + 4, 1, "%u", n);
	dx_field(p, "icmp.addr_entry_size", off + 5, 1, "%u", size);
	dx_field(p, "icmp.lifetime", off + 6, 2, "%u", dx_be16(p, off + 6));
	if (size != 2)
		return ICMP_HLEN;
	for (i = 0; i < n && 8 + 8 * i + 8 <= len; i++) {
		dx_fmt_ipv4(a, sizeof(a), p, off + 8 + 8 * i);
		dx_field(p, "icmp.router_address", off + 8 + 8 * i, 4, "%s", a);
		dx_field(p, "icmp.pref_level", off + 12 + 8 * i, 4, "%d",
			 (int32_t)dx_be32(p, off + 12 + 8 * i));
	}
	return ICMP_HLEN + 8 * i;
}

/* A redirect quotes the IP header and 8 bytes (RFC 792); tshark shows no more. */
static uint32_t quoted_length(struct dx_packet *p, uint8_t type, uint32_t off, uint32_t len)
{
	uint32_t n = len - ICMP_HLEN, ihl = (dx_u8(p, off + ICMP_HLEN) & 0xf) * 4u;

	return type == 5 && ihl + 8 < n ? ihl + 8 : n;
}

static const struct icmp_type *type_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(icmp_types) / sizeof(icmp_types[0]); i++)
		if (icmp_types[i].type == type)
			return &icmp_types[i];
	return NULL;
}

static const char *code_find(const struct code_name *codes, uint8_t code)
{
	for (; codes && codes->name; codes++)
		if (codes->code == code)
			return codes->name;
	return NULL;
}

void dx_icmp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	const struct icmp_type *t;
	const char *code_name, *name;
	uint8_t type, code;
	uint32_t sum = 0, data_off = ICMP_HLEN;
	int node;

	/* asked before this layer nests its own fields */
	bool quoted = dx_in_error(p);

	p->protocol = "ICMP";
	dx_mark(p, DX_F_PLAINTEXT);
	node = dx_proto(p, "icmp", off, len, "Internet Control Message Protocol");
	if (node < 0 || !dx_has(p, off, 1))
		return;
	dx_push(p);
	type = dx_u8(p, off);
	code = dx_u8(p, off + 1);
	t = type_find(type);
	code_name = t ? code_find(t->codes, code) : NULL;
	dx_field(p, "icmp.type", off, 1, "%u", type);
	if (!dx_has(p, off + 1, 1))
		goto out;
	dx_field(p, "icmp.code", off + 1, 1, "%u", code);
	/* tshark pads the type name to 20 columns, then adds the code's */
	name = !t ? "Unknown ICMP (obsolete or malformed?)" :
	       type == 9 && code_name ? "Mobile IP Advertisement" : t->name;
	dx_set_info(p, "%-20s", name);
	if (code_name)
		dx_append_info(p, " (%s)", code_name);
	if (!dx_has(p, off + 2, 2))
		goto out;
	dx_field(p, "icmp.checksum", off + 2, 2, "0x%04x", dx_be16(p, off + 2));
	/* a first fragment or a quoted packet is incomplete: unverified */
	if (!c->partial && !quoted && dx_csum_add(p, off, len, &sum))
		dx_field(p, "icmp.checksum.status", off + 2, 0, "%u", dx_csum_fold(sum) ? 0 : 1);
	else
		dx_field(p, "icmp.checksum.status", off + 2, 0, "2");
	if (len < ICMP_HLEN) {
		dx_malformed(p, off, len, "ICMP message shorter than its header");
		goto out;
	}
	if (t && t->echo) {
		uint16_t id = dx_be16(p, off + 4), seq = dx_be16(p, off + 6);

		if (!dx_has(p, off + 4, 4))
			goto out;
		dx_field(p, "icmp.ident", off + 4, 2, "%u", id);
		dx_field(p, "icmp.ident_le", off + 4, 2, "%u", (uint16_t)(id >> 8 | id << 8));
		dx_field(p, "icmp.seq", off + 6, 2, "%u", seq);
		dx_field(p, "icmp.seq_le", off + 6, 2, "%u", (uint16_t)(seq >> 8 | seq << 8));
		dx_append_info(p, " id=0x%04x, seq=%u/%u, ttl=%u", id, seq,
			       (uint16_t)(seq >> 8 | seq << 8), c->ttl);
		if (type == 0 || type == 8)
			dx_echo_show(p, c, false, quoted, type == 0, id, seq, off);
		if (type == 13 || type == 14) {
			static const char *const names[] = { "icmp.originate_timestamp",
				"icmp.receive_timestamp", "icmp.transmit_timestamp" };

			for (uint32_t i = 0; i < 3 && 8 + 4 * i + 4 <= len; i++)
				dx_field(p, names[i], off + 8 + 4 * i, 4, "%u",
					 dx_be32(p, off + 8 + 4 * i));
			data_off = len;	/* nothing follows the three stamps */
		} else if (type == 17 || type == 18) {
			char mask[16];

			dx_fmt_ipv4(mask, sizeof(mask), p, off + 8);
			if (dx_has(p, off + 8, 4))
				dx_field(p, "icmp.address_mask", off + 8, 4, "%s", mask);
			data_off = len;
		}
	} else if (type == 3 && code == 4) {
		dx_field(p, "icmp.unused", off + 4, 2, "%04x", dx_be16(p, off + 4));
		dx_field(p, "icmp.mtu", off + 6, 2, "%u", dx_be16(p, off + 6));
	} else if (type == 5) {
		char gw[16];

		dx_fmt_ipv4(gw, sizeof(gw), p, off + 4);
		dx_field(p, "icmp.redir_gw", off + 4, 4, "%s", gw);
	} else if (type == 12) {
		dx_field(p, "icmp.pointer", off + 4, 1, "%u", dx_u8(p, off + 4));
		dx_hex_field(p, "icmp.unused", off + 5, 3);
	} else if (type == 3 || type == 11) {
		dx_hex_field(p, "icmp.unused", off + 4, 4);
	} else if (type == 9) {
		data_off = router_advertisement(p, off, len);
	} else if (type == 10) {
		data_off = len;	/* a reserved word, nothing tshark shows */
	}
	if ((type == 0 || type == 8) && len >= ICMP_HLEN + 8)
		data_off += data_time(p, off + ICMP_HLEN);
	dx_pop(p);
	if (len > data_off && dx_has(p, off + data_off, 1)) {
		dx_push(p);
		if (t && t->error && (dx_u8(p, off + ICMP_HLEN) >> 4) == 4)
			dx_inner_ip(p, dx_ipv4, off + ICMP_HLEN, quoted_length(p, type, off, len));
		else
			dx_data(p, off + data_off, len - data_off);
		dx_pop(p);
	}
	return;
out:
	dx_pop(p);
}
