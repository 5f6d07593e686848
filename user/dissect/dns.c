// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Domain Name System, over UDP and over TCP (a 2-byte length before each message).
 * RFC 1035 (messages, name compression). Names are read with a bound on pointer
 * jumps, labels and length: a pointer loop or an over-long name is malformed,
 * never a hang. The data of each record type is in dns_rdata.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dns.h"
#include "pairs.h"

#define DNS_HLEN 12
#define DNS_MAX_JUMPS 32	/* compression pointers followed for one name */
#define DNS_MAX_TCP_MSGS 16	/* messages dissected per TCP segment */

enum name_status { NAME_OK = 0, NAME_TRUNCATED, NAME_MALFORMED };

static const struct {
	uint16_t type;
	const char *name;
} rr_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" },
	{ 35, "NAPTR" }, { 41, "OPT" }, { 43, "DS" }, { 46, "RRSIG" }, { 47, "NSEC" },
	{ 48, "DNSKEY" }, { 50, "NSEC3" }, { 64, "SVCB" }, { 65, "HTTPS" },
	{ 99, "SPF" }, { 250, "TSIG" }, { 251, "IXFR" }, { 252, "AXFR" }, { 255, "ANY" },
	{ 257, "CAA" },
};

static const char *const opcodes[16] = {
	[0] = "Standard query", [1] = "Inverse query", [2] = "Server status request",
	[4] = "Zone change notification", [5] = "Dynamic update",
};

static const char *const rcodes[16] = {
	[0] = "No error", [1] = "Format error", [2] = "Server failure",
	[3] = "No such name", [4] = "Not implemented", [5] = "Refused",
	[6] = "Name exists", [7] = "RRset exists", [8] = "RRset does not exist",
	[9] = "Not authoritative", [10] = "Name out of zone",
};

static const char *type_name(uint16_t type, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(rr_types) / sizeof(rr_types[0]); i++)
		if (rr_types[i].type == type)
			return rr_types[i].name;
	snprintf(buf, size, "Unknown (%u)", type);
	return buf;
}

static const char *class_name(uint16_t class)
{
	switch (class & 0x7fff) {
	case 1: return "IN";
	case 3: return "CH";
	case 4: return "HS";
	case 254: return "NONE";
	case 255: return "ANY";
	default: return "Unknown";
	}
}

/* The length of the well-formed UTF-8 sequence at off (RFC 3629), or 0. */
static uint32_t utf8_seq(struct dx_packet *p, uint32_t off, uint32_t left)
{
	uint8_t c = dx_u8(p, off);
	uint32_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
		     (c & 0xf8) == 0xf0 ? 3 : 4;

	if (n == 4 || (n == 1 && c < 0xc2) || 1 + n > left)
		return 0;
	for (uint32_t k = 1; k <= n; k++)
		if ((dx_u8(p, off + k) & 0xc0) != 0x80)
			return 0;
	return 1 + n;
}

/*
 * A domain name at off. text gets the dotted form ("<Root>" for the root),
 * *in_place the bytes it takes at off (up to and with the first pointer).
 */
static enum name_status read_name(struct dx_packet *p, const struct dns_msg *m, uint32_t off,
				  char *text, size_t size, uint32_t *in_place,
				  uint16_t *labels, uint32_t *raw_len)
{
	uint32_t pos = off, wire = 0, o = 0;
	int jumps = 0;

	*in_place = 0;
	*labels = 0;
	text[0] = '\0';
	for (;;) {
		uint8_t l;

		if (pos >= m->end || !dx_has(p, pos, 1))
			return NAME_TRUNCATED;
		l = dx_u8(p, pos);
		if ((l & 0xc0) == 0xc0) {
			uint32_t target;

			if (pos + 1 >= m->end || !dx_has(p, pos + 1, 1))
				return NAME_TRUNCATED;
			target = m->start + ((l & 0x3fu) << 8 | dx_u8(p, pos + 1));
			if (!jumps)
				*in_place = pos + 2 - off;
			if (++jumps > DNS_MAX_JUMPS || target >= m->end)
				return NAME_MALFORMED;
			pos = target;
			continue;
		}
		if (l & 0xc0)	/* 0x40, 0x80: extended label types, obsolete */
			return NAME_MALFORMED;
		if (l == 0) {
			if (!jumps)
				*in_place = pos + 1 - off;
			break;
		}
		wire += l + 1u;
		if (wire > DNS_NAME_MAX)
			return NAME_MALFORMED;
		if (pos + 1 + l > m->end || !dx_has(p, pos + 1, l))
			return NAME_TRUNCATED;
		if (o && o + 1 < size)
			text[o++] = '.';
		for (uint32_t i = 0; i < l;) {
			uint8_t ch = dx_u8(p, pos + 1 + i);
			uint32_t n = ch >= 0x80 ? utf8_seq(p, pos + 1 + i, l - i) : 0;

			/* as tshark: text and UTF-8 as they are, controls in octal, U+FFFD
			 * for bytes that are not UTF-8 */
			if (n && o + n < size) {
				for (uint32_t k = 0; k < n; k++)
					text[o++] = (char)dx_u8(p, pos + 1 + i + k);
				i += n;
				continue;
			}
			if (ch >= 0x20 && ch < 0x7f && o + 1 < size)
				text[o++] = (char)ch;
			else if (ch >= 0x80 && o + 3 < size)
				o += (uint32_t)snprintf(text + o, size - o, "\xef\xbf\xbd");
			else if (ch < 0x80 && o + 4 < size)
				o += (uint32_t)snprintf(text + o, size - o, "\\%03o", ch);
			i++;
		}
		text[o < size ? o : size - 1] = '\0';
		(*labels)++;
		pos += 1u + l;
	}
	if (!o)
		snprintf(text, size, "<Root>");
	/* the name's length before escaping, as tshark counts it ("<Root>": 6) */
	if (raw_len)
		*raw_len = wire ? wire - 1 : 6;
	return NAME_OK;
}

/* A name field; false (and the packet marked) when it could not be read. */
bool dns_name_field(struct dx_packet *p, const struct dns_msg *m, const char *field,
		    uint32_t off, char *text, size_t size, uint32_t *in_place)
{
	uint16_t labels;
	enum name_status st = read_name(p, m, off, text, size, in_place, &labels, NULL);

	if (st == NAME_MALFORMED) {
		dx_malformed(p, off, 0, DNS_BAD_NAME);
		return false;
	}
	if (st == NAME_TRUNCATED) {
		dx_mark(p, DX_F_TRUNCATED);
		return false;
	}
	dx_field(p, field, off, *in_place, "%s", text);
	return true;
}

/* One resource record at off; returns its length, or 0 to stop. */
static uint32_t rr(struct dx_packet *p, const struct dns_msg *m, uint32_t off)
{
	char name[DNS_NAME_MAX * 4 + 8], tbuf[24], info[DNS_NAME_MAX * 4 + 32];
	uint32_t used, rlen;
	uint16_t type, class, labels;
	const char *tname;
	char *dot1, *dot2;
	enum name_status st;
	int node;

	st = read_name(p, m, off, name, sizeof(name), &used, &labels, NULL);
	if (st != NAME_OK) {
		if (st == NAME_MALFORMED)
			dx_malformed(p, off, 0, DNS_BAD_NAME);
		else
			dx_mark(p, DX_F_TRUNCATED);
		return 0;
	}
	if (!dx_has(p, off + used, 10) || off + used + 10 > m->end) {
		dx_mark(p, DX_F_TRUNCATED);
		return 0;
	}
	type = dx_be16(p, off + used);
	class = dx_be16(p, off + used + 2);
	rlen = dx_be16(p, off + used + 8);
	tname = type_name(type, tbuf, sizeof(tbuf));
	if (type == 41)
		node = dx_text(p, off, used + 10 + rlen, "%s: type OPT", name);
	else
		node = dx_text(p, off, used + 10 + rlen, "%s: type %s, class %s", name, tname,
			       class_name(class));
	if (node < 0)
		return 0;
	dx_push(p);
	dot1 = strchr(name, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (type == 33 && name[0] == '_' && dot2) {
		/* _service._proto.name, split as Wireshark does */
		dx_field(p, "dns.srv.service", off, used, "%.*s", (int)(dot1 - name), name);
		dx_field(p, "dns.srv.proto", off, used, "%.*s", (int)(dot2 - dot1 - 1), dot1 + 1);
		dx_field(p, "dns.srv.name", off, used, "%s", dot2 + 1);
	} else {
		dx_field(p, "dns.resp.name", off, used, "%s", name);
	}
	off += used;
	dx_field(p, "dns.resp.type", off, 2, "%u", type);
	if (type == 41) {
		uint16_t z = dx_be16(p, off + 6);

		dx_field(p, "dns.rr.udp_payload_size", off + 2, 2, "%u", class);
		dx_field(p, "dns.resp.ext_rcode", off + 4, 1, "0x%02x", dx_u8(p, off + 4));
		dx_field(p, "dns.resp.edns0_version", off + 5, 1, "%u", dx_u8(p, off + 5));
		dx_field(p, "dns.resp.z", off + 6, 2, "0x%04x", z);
		dx_push(p);
		dx_field(p, "dns.resp.z.do", off + 6, 2, "%u", z >> 15);
		dx_field(p, "dns.resp.z.reserved", off + 6, 2, "0x%04x", z & 0x7fff);
		dx_pop(p);
	} else {
		dx_field(p, "dns.resp.class", off + 2, 2, "0x%04x", class);
		dx_field(p, "dns.resp.ttl", off + 4, 4, "%d", (int32_t)dx_be32(p, off + 4));
	}
	dx_field(p, "dns.resp.len", off + 8, 2, "%u", rlen);
	off += 10;
	if (rlen > m->end - off) {
		dx_malformed(p, off - 2, 2, "DNS record data past the message");
		dx_pop(p);
		return 0;
	}
	dns_rdata(p, m, type, off, rlen, info, sizeof(info));
	dx_pop(p);
	dx_append_info(p, " %s%s", tname, info);
	return used + 10 + rlen;
}

static void flag_fields(struct dx_packet *p, uint32_t off, uint16_t f)
{
	bool response = f >> 15;

	dx_field(p, "dns.flags", off, 2, "0x%04x", f);
	dx_push(p);
	dx_field(p, "dns.flags.response", off, 2, "%u", f >> 15);
	dx_field(p, "dns.flags.opcode", off, 2, "%u", f >> 11 & 0xf);
	if (response)
		dx_field(p, "dns.flags.authoritative", off, 2, "%u", f >> 10 & 1);
	dx_field(p, "dns.flags.truncated", off, 2, "%u", f >> 9 & 1);
	dx_field(p, "dns.flags.recdesired", off, 2, "%u", f >> 8 & 1);
	if (response)
		dx_field(p, "dns.flags.recavail", off, 2, "%u", f >> 7 & 1);
	dx_field(p, "dns.flags.z", off, 2, "%u", f >> 6 & 1);
	dx_field(p, "dns.flags.authenticated", off, 2, "%u", f >> 5 & 1);
	dx_field(p, "dns.flags.checkdisable", off, 2, "%u", f >> 4 & 1);
	if (response)
		dx_field(p, "dns.flags.rcode", off, 2, "%u", f & 0xf);
	dx_pop(p);
}

/* One DNS message at [off, off + len), after any TCP length prefix. */
static void message(struct dx_packet *p, uint32_t off, uint32_t len)
{
	static const char *const sections[] = { "Answers", "Authoritative nameservers",
						"Additional records" };
	struct dns_msg m = { off, off + len };
	uint16_t id, f, counts[4];
	uint32_t pos;
	int rrs = 0;

	id = dx_be16(p, off);
	if (!dx_has(p, off, 2))
		return;
	dx_field(p, "dns.id", off, 2, "0x%04x", id);
	if (!dx_has(p, off + 2, 2))
		return;
	f = dx_be16(p, off + 2);
	flag_fields(p, off + 2, f);
	if (opcodes[f >> 11 & 0xf])
		dx_append_info(p, "%s%s", p->info[0] ? "; " : "", opcodes[f >> 11 & 0xf]);
	else
		dx_append_info(p, "%sUnknown operation (%u)", p->info[0] ? "; " : "",
			       f >> 11 & 0xf);
	if (f >> 15)
		dx_append_info(p, " response");
	dx_append_info(p, " 0x%04x", id);
	if (f >> 15 && (f & 0xf))
		dx_append_info(p, " %s", rcodes[f & 0xf] ? rcodes[f & 0xf] : "Unknown error");
	if (len < DNS_HLEN || !dx_has(p, off, DNS_HLEN)) {
		if (len < DNS_HLEN)
			dx_malformed(p, off, len, "DNS message shorter than its header");
		return;
	}
	for (int i = 0; i < 4; i++)
		counts[i] = dx_be16(p, off + 4 + 2u * i);
	dx_field(p, "dns.count.queries", off + 4, 2, "%u", counts[0]);
	dx_field(p, "dns.count.answers", off + 6, 2, "%u", counts[1]);
	dx_field(p, "dns.count.auth_rr", off + 8, 2, "%u", counts[2]);
	dx_field(p, "dns.count.add_rr", off + 10, 2, "%u", counts[3]);
	pos = off + DNS_HLEN;
	if (counts[0]) {
		int sect = dx_text(p, pos, 0, "Queries");

		dx_push(p);
		for (uint16_t q = 0; q < counts[0] && rrs < DNS_MAX_RRS; q++, rrs++) {
			char name[DNS_NAME_MAX * 4 + 8], tbuf[24];
			uint32_t used, raw_len;
			uint16_t labels, type, class;
			enum name_status st = read_name(p, &m, pos, name, sizeof(name), &used,
							&labels, &raw_len);
			int node;

			if (st == NAME_MALFORMED)
				dx_malformed(p, pos, 0, DNS_BAD_NAME);
			if (st != NAME_OK || pos + used + 4 > m.end || !dx_has(p, pos + used, 4)) {
				dx_mark(p, DX_F_TRUNCATED);
				dx_pop(p);
				return;
			}
			type = dx_be16(p, pos + used);
			class = dx_be16(p, pos + used + 2);
			node = dx_text(p, pos, used + 4, "%s: type %s, class %s", name,
				       type_name(type, tbuf, sizeof(tbuf)), class_name(class));
			if (node < 0)
				break;
			dx_push(p);
			dx_field(p, "dns.qry.name", pos, used, "%s", name);
			dx_field(p, "dns.qry.name.len", pos, used, "%u", raw_len);
			dx_field(p, "dns.count.labels", pos, used, "%u", labels);
			dx_field(p, "dns.qry.type", pos + used, 2, "%u", type);
			dx_field(p, "dns.qry.class", pos + used + 2, 2, "0x%04x", class);
			dx_pop(p);
			dx_append_info(p, " %s %s", type_name(type, tbuf, sizeof(tbuf)), name);
			pos += used + 4;
		}
		dx_pop(p);
		dx_set_len(p, sect, pos - (off + DNS_HLEN));
	}
	for (int s = 0; s < 3; s++) {
		uint32_t start = pos;
		int sect;

		if (!counts[s + 1])
			continue;
		sect = dx_text(p, pos, 0, "%s", sections[s]);
		dx_push(p);
		for (uint16_t r = 0; r < counts[s + 1] && rrs < DNS_MAX_RRS; r++, rrs++) {
			uint32_t n = rr(p, &m, pos);

			if (n == 0) {
				dx_pop(p);
				dx_set_len(p, sect, pos - start);
				return;
			}
			pos += n;
		}
		dx_pop(p);
		dx_set_len(p, sect, pos - start);
	}
}

/*
 * The query this response answers, as Wireshark's [Request In] and [Time]
 * (dns.response_to, dns.time in seconds): same addresses, ports and ID.
 */
static void pair(struct dx_packet *p, const struct dx_conv *c, bool quoted, uint32_t off,
		 uint32_t len)
{
	uint64_t req;
	int64_t dt;
	bool response;

	if (quoted || len < 4 || !dx_has(p, off, 4))
		return;
	response = dx_u8(p, off + 2) >> 7;
	if (!dx_pair(p, c, DX_PAIR_DNS, response, dx_be16(p, off), 0, &req, &dt))
		return;
	dx_field(p, "dns.response_to", off, 0, "%" PRIu64, req);
	if (dt != DX_PAIR_NO_TIME)
		dx_field(p, "dns.time", off, 0, "%s%" PRIu64 ".%09" PRIu64, dt < 0 ? "-" : "",
			 (uint64_t)(dt < 0 ? -dt : dt) / 1000000000u,
			 (uint64_t)(dt < 0 ? -dt : dt) % 1000000000u);
}

static int dns_layer(struct dx_packet *p, uint32_t off, uint32_t len, bool response)
{
	p->protocol = "DNS";
	dx_mark(p, DX_F_PLAINTEXT);
	return dx_proto(p, "dns", off, len, "Domain Name System (%s)",
			response ? "response" : "query");
}

bool dx_dns_udp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	bool quoted = dx_in_error(p);

	if (len < 2)
		return false;
	p->info[0] = '\0';
	if (dns_layer(p, off, len, dx_u8(p, off + 2) >> 7) < 0)
		return true;
	dx_push(p);
	message(p, off, len);
	pair(p, c, quoted, off, len);
	dx_pop(p);
	return true;
}

bool dx_dns_tcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	uint32_t end = off + len;
	bool quoted = dx_in_error(p);

	if (len < 2)
		return false;
	p->info[0] = '\0';
	for (int n = 0; n < DNS_MAX_TCP_MSGS && end - off >= 2 && dx_has(p, off, 2); n++) {
		uint16_t mlen = dx_be16(p, off);
		uint32_t have = end - off - 2;

		/* each message sets the columns anew, as in tshark */
		p->info[0] = '\0';
		if (dns_layer(p, off, 2u + (mlen < have ? mlen : have),
			      dx_u8(p, off + 4) >> 7) < 0)
			break;
		dx_push(p);
		dx_field(p, "dns.length", off, 2, "%u", mlen);
		/* a message longer than the segment: dissect the part that is here */
		message(p, off + 2, mlen < have ? mlen : have);
		pair(p, c, quoted, off + 2, mlen < have ? mlen : have);
		dx_pop(p);
		off += 2u + mlen;
		if (mlen >= have)
			break;
	}
	return true;
}
