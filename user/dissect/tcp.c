// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Transmission Control Protocol: header, flags, options (MSS, window scale, SACK
 * permitted, SACK blocks, timestamps). RFC 9293 (TCP), RFC 7323 (window scale,
 * timestamps), RFC 2018 (SACK), RFC 3168 (ECN), RFC 9000-era AE bit (RFC 9768).
 * In capture order with a stream store, Wireshark's relative sequence numbers
 * and calculated window (tcp.seq, tcp.ack, tcp.nxtseq, tcp.window_size; see
 * stream.h); stateless, the raw ones only. No other analysis.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "stream.h"

#define TCP_MIN_HLEN 20

static const struct dx_port_names tcp_ports = { "tcp.srcport", "tcp.dstport", "tcp.port" };

enum {
	TH_FIN = 0x001, TH_SYN = 0x002, TH_RST = 0x004, TH_PSH = 0x008,
	TH_ACK = 0x010, TH_URG = 0x020, TH_ECE = 0x040, TH_CWR = 0x080,
	TH_AE = 0x100,
};

/* Flag names in Wireshark's Info order (lowest bit first) and their filter names. */
static const struct {
	uint16_t bit;
	const char *info;
	const char *field;
} tcp_flags[] = {
	{ TH_FIN, "FIN", "tcp.flags.fin" },
	{ TH_SYN, "SYN", "tcp.flags.syn" },
	{ TH_RST, "RST", "tcp.flags.reset" },
	{ TH_PSH, "PSH", "tcp.flags.push" },
	{ TH_ACK, "ACK", "tcp.flags.ack" },
	{ TH_URG, "URG", "tcp.flags.urg" },
	{ TH_ECE, "ECE", "tcp.flags.ece" },
	{ TH_CWR, "CWR", "tcp.flags.cwr" },
	{ TH_AE, "AE", "tcp.flags.ae" },
};

#define N_FLAGS (sizeof(tcp_flags) / sizeof(tcp_flags[0]))

static void flag_fields(struct dx_packet *p, uint32_t off, uint16_t flags)
{
	/* tshark's 12-character flag string, one UTF-8 middle dot per clear bit */
	static const char letters[] = "RRRACEUAPRSF";
	char str[12 * 2 + 1];
	size_t o = 0;

	dx_field(p, "tcp.flags", off, 2, "0x%04x", flags);
	dx_push(p);
	dx_field(p, "tcp.flags.res", off, 1, "%u", flags >> 9 & 7);
	/* tshark lists them from the high bit down */
	for (int i = (int)N_FLAGS - 1; i >= 0; i--)
		dx_field(p, tcp_flags[i].field, off + (tcp_flags[i].bit == TH_AE ? 0 : 1), 1,
			 "%u", flags & tcp_flags[i].bit ? 1 : 0);
	for (int bit = 11; bit >= 0; bit--) {
		if (flags & (1u << bit)) {
			str[o++] = letters[11 - bit];
		} else {
			str[o++] = (char)0xc2;
			str[o++] = (char)0xb7;
		}
	}
	str[o] = '\0';
	dx_field(p, "tcp.flags.str", off, 2, "%s", str);
	dx_pop(p);
}

/* Wireshark's subtree field for each option kind (IANA TCP option kinds). */
static const struct {
	uint8_t kind;
	const char *field;
} option_fields[] = {
	{ 2, "tcp.options.mss" }, { 3, "tcp.options.wscale" }, { 4, "tcp.options.sack_perm" },
	{ 5, "tcp.options.sack" }, { 6, "tcp.options.echo" }, { 7, "tcp.options.echoreply" },
	{ 8, "tcp.options.timestamp" }, { 11, "tcp.options.cc" }, { 12, "tcp.options.ccnew" },
	{ 13, "tcp.options.ccecho" }, { 19, "tcp.options.md5" }, { 27, "tcp.options.qs" },
	{ 28, "tcp.options.user_to" }, { 29, "tcp.options.ao" }, { 34, "tcp.options.tfo" },
	{ 172, "tcp.options.acc_ecn" }, { 174, "tcp.options.acc_ecn" },
	{ 253, "tcp.options.experimental" }, { 254, "tcp.options.experimental" },
};

static const char *option_field(uint8_t kind)
{
	for (size_t i = 0; i < sizeof(option_fields) / sizeof(option_fields[0]); i++)
		if (option_fields[i].kind == kind)
			return option_fields[i].field;
	return "tcp.options.unknown";
}

/* Options: TLVs after the fixed header (RFC 9293 3.2); summary goes to Info. */
static void options(struct dx_packet *p, uint32_t off, uint32_t end, char *info,
		    size_t info_size)
{
	size_t used = 0;

	dx_hex_field(p, "tcp.options", off, end - off);
	dx_push(p);
	info[0] = '\0';
	while (off < end && dx_has(p, off, 1)) {
		uint8_t kind = dx_u8(p, off), olen = 1;

		if (kind == 0 || kind == 1) {
			dx_field(p, kind ? "tcp.options.nop" : "tcp.options.eol", off, 1,
				 "%02x", kind);
			dx_push(p);
			dx_field(p, "tcp.option_kind", off, 1, "%u", kind);
			dx_pop(p);
			off++;
			if (kind == 0)
				break;
			continue;
		}
		if (!dx_has(p, off + 1, 1))
			break;
		olen = dx_u8(p, off + 1);
		if (olen < 2 || olen > end - off) {
			dx_malformed(p, off + 1, 1, "TCP option length bogus");
			break;
		}
		dx_hex_field(p, option_field(kind), off, olen);
		dx_push(p);
		dx_field(p, "tcp.option_kind", off, 1, "%u", kind);
		dx_field(p, "tcp.option_len", off + 1, 1, "%u", olen);
		if (kind == 2 && olen == 4 && dx_has(p, off + 2, 2)) {
			dx_field(p, "tcp.options.mss_val", off + 2, 2, "%u", dx_be16(p, off + 2));
			used += snprintf(info + used, info_size - used, " MSS=%u",
					 dx_be16(p, off + 2));
		} else if (kind == 3 && olen == 3 && dx_has(p, off + 2, 1)) {
			uint8_t shift = dx_u8(p, off + 2);

			dx_field(p, "tcp.options.wscale.shift", off + 2, 1, "%u", shift);
			dx_field(p, "tcp.options.wscale.multiplier", off + 2, 1, "%u",
				 shift > 14 ? 1u << 14 : 1u << shift);
			used += snprintf(info + used, info_size - used, " WS=%u",
					 shift > 14 ? 1u << 14 : 1u << shift);
		} else if (kind == 4) {
			used += snprintf(info + used, info_size - used, " SACK_PERM");
		} else if (kind == 5) {
			for (uint32_t b = 2; b + 8 <= olen && dx_has(p, off + b, 8); b += 8) {
				dx_field(p, "tcp.options.sack_le", off + b, 4, "%u",
					 dx_be32(p, off + b));
				dx_field(p, "tcp.options.sack_re", off + b + 4, 4, "%u",
					 dx_be32(p, off + b + 4));
				used += snprintf(info + used, info_size - used, " SLE=%u SRE=%u",
						 dx_be32(p, off + b), dx_be32(p, off + b + 4));
			}
		} else if (kind == 8 && olen == 10 && dx_has(p, off + 2, 8)) {
			dx_field(p, "tcp.options.timestamp.tsval", off + 2, 4, "%u",
				 dx_be32(p, off + 2));
			dx_field(p, "tcp.options.timestamp.tsecr", off + 6, 4, "%u",
				 dx_be32(p, off + 6));
			used += snprintf(info + used, info_size - used, " TSval=%u TSecr=%u",
					 dx_be32(p, off + 2), dx_be32(p, off + 6));
		}
		dx_pop(p);
		if (used >= info_size)
			used = info_size - 1;
		off += olen;
	}
	dx_pop(p);
}

/* The window scale shift the options offer, -1 when none (read before the tree). */
static int8_t wscale_option(struct dx_packet *p, uint32_t off, uint32_t end)
{
	while (off < end && dx_has(p, off, 1)) {
		uint8_t kind = dx_u8(p, off), olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			off++;
			continue;
		}
		if (!dx_has(p, off + 1, 1))
			break;
		olen = dx_u8(p, off + 1);
		if (olen < 2 || olen > end - off)
			break;
		if (kind == 3 && olen == 3 && dx_has(p, off + 2, 1))
			return (int8_t)(dx_u8(p, off + 2) & 0x7f);
		off += olen;
	}
	return -1;
}

/* Wireshark's numbers from the stream store, after the observers saw the segment. */
static bool observe(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t hlen,
		    uint32_t payload, bool quoted, struct dx_tcp_numbers *n)
{
	if (!p->streams)
		return false;
	if (quoted)	/* in an ICMP error: no part of its flow's stream */
		return dx_stream_tcp_quoted(p, c, n);
	c->tcp_wscale = wscale_option(p, off + TCP_MIN_HLEN, off + hlen);
	c->tcp_options_cut = !dx_has(p, off, hlen);
	for (const dx_observer_fn *o = dx_tcp_observers; *o; o++)
		(*o)(p, c, off + hlen, payload);
	return dx_stream_tcp_numbers(p, c, n);
}

static void number_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len,
			 bool numbered, uint32_t value)
{
	if (numbered)
		dx_field(p, name, off, len, "%u", value);
}

static void set_info(struct dx_packet *p, const struct dx_conv *c, uint32_t payload,
		     const char *opts, const struct dx_tcp_numbers *n)
{
	char names[64];
	size_t o = 0;

	names[0] = '\0';
	for (size_t i = 0; i < N_FLAGS; i++)
		if (c->tcp_flags & tcp_flags[i].bit)
			o += snprintf(names + o, sizeof(names) - o, "%s%s", o ? ", " : "",
				      tcp_flags[i].info);
	dx_set_info(p, "%u \u2192 %u [%s] Seq=%u", c->sport, c->dport, names,
		    n ? n->seq : c->seq);
	if (c->tcp_flags & TH_ACK)
		dx_append_info(p, " Ack=%u", n ? n->ack : c->ack);
	dx_append_info(p, " Win=%u Len=%u%s", n ? n->window : c->window, payload, opts);
}

void dx_tcp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	char opts[160] = "";
	struct dx_tcp_numbers n;
	uint32_t hlen, payload;
	bool quoted = dx_in_error(p), seen, numbered = false;
	int node;

	p->protocol = "TCP";
	node = dx_proto(p, "tcp", off, TCP_MIN_HLEN, "Transmission Control Protocol");
	if (node < 0)
		return;
	dx_push(p);
	if (!dx_l4_ports(p, c, off, &tcp_ports))
		goto out;
	hlen = (dx_u8(p, off + 12) >> 4) * 4u;
	payload = len > hlen ? len - hlen : 0;
	c->tcp_wscale = -1;
	c->seq = dx_be32(p, off + 4);
	c->ack = dx_be32(p, off + 8);
	c->tcp_flags = dx_be16(p, off + 12) & 0x0fff;
	c->window = dx_be16(p, off + 14);
	/* the store numbers the segment before its fields are shown */
	if (dx_has(p, off, TCP_MIN_HLEN) && hlen >= TCP_MIN_HLEN && hlen <= len)
		numbered = observe(p, c, off, hlen, payload, quoted, &n);
	/* tshark shows neither tcp.len nor tcp.seq_raw in a quoted segment */
	if (dx_has(p, off + 12, 1) && hlen >= TCP_MIN_HLEN && hlen <= len && !quoted)
		dx_field(p, "tcp.len", off, 0, "%u", payload);
	if (!dx_has(p, off + 4, 4))
		goto out;
	number_field(p, "tcp.seq", off + 4, 4, numbered, n.seq);
	if (!quoted)
		dx_field(p, "tcp.seq_raw", off + 4, 4, "%u", c->seq);
	number_field(p, "tcp.nxtseq", off, 0, numbered && !quoted, n.nxtseq);
	if (!dx_has(p, off + 8, 4))
		goto out;
	number_field(p, "tcp.ack", off + 8, 4, numbered, n.ack);
	dx_field(p, "tcp.ack_raw", off + 8, 4, "%u", c->ack);
	if (!dx_has(p, off + 12, 1))
		goto out;
	dx_field(p, "tcp.hdr_len", off + 12, 1, "%u", hlen);
	if (hlen < TCP_MIN_HLEN) {
		dx_malformed(p, off + 12, 1, "Bogus TCP header length, must be at least 20");
		goto out;
	}
	if (hlen > len) {
		dx_malformed(p, off + 12, 1, "TCP header length past the segment");
		goto out;
	}
	dx_set_len(p, node, hlen);
	if (!dx_has(p, off + 12, 2))
		goto out;
	flag_fields(p, off + 12, c->tcp_flags);
	if (!dx_has(p, off + 14, 2))
		goto out;
	dx_field(p, "tcp.window_size_value", off + 14, 2, "%u", c->window);
	number_field(p, "tcp.window_size", off + 14, 2, numbered, n.window);
	if (numbered && !(c->tcp_flags & TH_SYN))
		dx_field(p, "tcp.window_size_scalefactor", off + 14, 2, "%d", n.scalefactor);
	if (!dx_has(p, off + 16, 2))
		goto out;
	dx_field(p, "tcp.checksum", off + 16, 2, "0x%04x", dx_be16(p, off + 16));
	dx_field(p, "tcp.checksum.status", off + 16, 0, "2");
	if (!dx_has(p, off + 18, 2))
		goto out;
	dx_field(p, "tcp.urgent_pointer", off + 18, 2, "%u", dx_be16(p, off + 18));
	if (hlen > TCP_MIN_HLEN)
		options(p, off + TCP_MIN_HLEN, off + hlen, opts, sizeof(opts));
	set_info(p, c, payload, opts, numbered ? &n : NULL);
	dx_l4_payload(p, "tcp.payload", off + hlen, payload);
	seen = payload && dx_stream_seen(p, c);
	if (seen)
		dx_text(p, off + hlen, payload, "Retransmitted TCP segment data (%u byte%s)",
			payload, payload == 1 ? "" : "s");
	dx_pop(p);
	if (!dx_has(p, off, hlen) || seen)
		return;
	dx_app_payload(p, c, off + hlen, payload);
	return;
out:
	dx_pop(p);
}
