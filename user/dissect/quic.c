// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * QUIC (RFC 9000 section 17, RFC 8999 invariants): long headers (Initial,
 * 0-RTT, Handshake, Retry, Version Negotiation) with version and connection
 * IDs, several packets coalesced in one datagram; short headers on a QUIC port.
 * Payloads are protected (RFC 9001) and shown as encrypted, not decrypted.
 * Field names are Wireshark's.
 */
#include <stdio.h>
#include <string.h>

#include "stream.h"

#define QUIC_PORT 443
#define LONG_HEADER 0x80
#define FIXED_BIT 0x40
#define MAX_CID 20

static const char *const long_types_v1[] = { "Initial", "0-RTT", "Handshake", "Retry" };

/* A variable-length integer (RFC 9000 16); false when it runs past end. */
static bool varint(const struct dx_buf *b, uint32_t i, uint32_t end, uint64_t *v,
		   uint32_t *n)
{
	uint8_t first;

	if (i >= end || !dx_buf_has(b, i, 1))
		return false;
	first = dx_buf_u8(b, i);
	*n = 1u << (first >> 6);
	if (*n > end - i || !dx_buf_has(b, i, *n))
		return false;
	*v = first & 0x3f;
	for (uint32_t k = 1; k < *n; k++)
		*v = *v << 8 | dx_buf_u8(b, i + k);
	return true;
}

static bool is_known_version(uint32_t v)
{
	/* v1, v2, drafts 29-34 (0xff00001d-22), Version Negotiation (0) */
	return v == 1 || v == 0x6b3343cf || v == 0 || (v >= 0xff00001d && v <= 0xff000022);
}

/* A connection ID: its length byte then the ID; returns the index past it, or 0. */
static uint32_t cid(const struct dx_buf *b, uint32_t i, uint32_t end, const char *len_name,
		    const char *name, char *hex, size_t hex_size)
{
	uint8_t len = dx_buf_u8(b, i);

	hex[0] = '\0';
	if (i >= end || len > MAX_CID || len > end - i - 1)
		return 0;
	dx_buf_field(b, len_name, i, 1, "%u", len);
	if (len)
		dx_buf_field(b, name, i + 1, len, "%s", dx_buf_hex(b, i + 1, len, hex, hex_size));
	return i + 1 + len;
}

/* One long-header packet at i; returns the index past it (the datagram's end if unknown). */
static uint32_t long_packet(const struct dx_buf *b, uint32_t i, bool *first)
{
	struct dx_packet *p = b->p;
	uint32_t end = b->len, version, at;
	uint8_t h = dx_buf_u8(b, i), type = (h >> 4) & 3;
	char dcid[2 * MAX_CID + 1], scid[2 * MAX_CID + 1];
	const char *tname;
	uint64_t v, len;
	uint32_t n;

	version = dx_buf_be32(b, i + 1);
	tname = version == 0 ? "Version Negotiation" : long_types_v1[type];
	dx_buf_text(b, i, end - i, "QUIC IETF: %s", tname);
	dx_push(p);
	dx_buf_field(b, "quic.header_form", i, 1, "1");
	dx_buf_field(b, "quic.fixed_bit", i, 1, "%u", !!(h & FIXED_BIT));
	if (version != 0)
		dx_buf_field(b, "quic.long.packet_type", i, 1, "%u", type);
	dx_buf_field(b, "quic.version", i + 1, 4, "0x%08x", version);
	at = cid(b, i + 5, end, "quic.dcil", "quic.dcid", dcid, sizeof(dcid));
	if (at)
		at = cid(b, at, end, "quic.scil", "quic.scid", scid, sizeof(scid));
	if (!at) {
		if (b->clipped)
			dx_mark(p, DX_F_TRUNCATED);
		else
			dx_malformed(p, b->frame_off, 0,
				     "QUIC connection ID over 20 bytes or past the datagram");
		dx_pop(p);
		return end;
	}
	if (*first)
		dx_set_info(p, "%s, DCID=%s, SCID=%s", tname, dcid, scid);
	else
		dx_append_info(p, ", %s, DCID=%s, SCID=%s", tname, dcid, scid);
	*first = false;
	if (version == 0) {
		for (; at + 4 <= end; at += 4)
			dx_buf_field(b, "quic.supported_version", at, 4, "0x%08x",
				     dx_buf_be32(b, at));
		dx_pop(p);
		return end;
	}
	if (type == 3) {	/* Retry: token then integrity tag, no length */
		dx_pop(p);
		return end;
	}
	if (type == 0) {
		if (!varint(b, at, end, &v, &n))
			goto truncated;
		dx_buf_field(b, "quic.token_length", at, n, "%llu", (unsigned long long)v);
		at += n;
		if (v > end - at)
			goto truncated;
		if (v) {
			char hex[2 * 256 + 1];

			dx_buf_field(b, "quic.token", at, (uint32_t)v, "%s",
				     dx_buf_hex(b, at, (uint32_t)v, hex, sizeof(hex)));
		}
		at += (uint32_t)v;
	}
	if (!varint(b, at, end, &len, &n))
		goto truncated;
	dx_buf_field(b, "quic.length", at, n, "%llu", (unsigned long long)len);
	at += n;
	if (len > end - at) {
		if (b->clipped)
			dx_mark(p, DX_F_TRUNCATED);
		else
			dx_malformed(p, b->frame_off, 0, "QUIC length past the datagram");
		dx_pop(p);
		return end;
	}
	/* the packet number and payload are protected: shown, not decrypted */
	dx_buf_field(b, "quic.remaining_payload", at, (uint32_t)len, "%llu bytes",
		     (unsigned long long)len);
	dx_mark(p, DX_F_ENCRYPTED);
	dx_pop(p);
	return at + (uint32_t)len;
truncated:
	dx_pop(p);
	return end;
}

static bool looks_long(const struct dx_buf *b)
{
	return b->len >= 7 && (dx_buf_u8(b, 0) & LONG_HEADER) &&
	       is_known_version(dx_buf_be32(b, 1));
}

bool dx_quic(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	struct dx_buf b;
	bool first_packet = true;
	uint32_t i = 0;
	uint8_t first;

	dx_buf_frame(&b, p, off, len);
	if (b.len == 0)
		return false;
	first = dx_buf_u8(&b, 0);
	/* a short header only on the QUIC port: it has no version to recognise it by */
	if (!looks_long(&b) && !((first & FIXED_BIT) && !(first & LONG_HEADER) &&
				 (c->sport == QUIC_PORT || c->dport == QUIC_PORT)))
		return false;
	dx_buf_proto(&b, "quic", 0, b.len, "QUIC IETF");
	dx_push(p);
	p->protocol = "QUIC";
	dx_mark(p, DX_F_ENCRYPTED);
	if (!(first & LONG_HEADER)) {
		/* the DCID length is only known to the endpoints: show the header bits */
		dx_buf_field(&b, "quic.header_form", 0, 1, "0");
		dx_buf_field(&b, "quic.fixed_bit", 0, 1, "1");
		dx_buf_field(&b, "quic.remaining_payload", 1, b.len - 1, "%u bytes", b.len - 1);
		dx_set_info(p, "Protected Payload");
		dx_pop(p);
		return true;
	}
	while (i < b.len && (dx_buf_u8(&b, i) & LONG_HEADER) && b.len - i >= 7) {
		uint32_t next = long_packet(&b, i, &first_packet);

		if (next <= i)
			break;
		i = next;
	}
	dx_pop(p);
	return true;
}

/* Heuristic: a long header with a known version. */
bool dx_quic_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len)
{
	struct dx_buf b;

	dx_buf_frame(&b, p, off, len);
	/* Version Negotiation (version 0) is too plain to claim a datagram by */
	if (!looks_long(&b) || dx_buf_be32(&b, 1) == 0)
		return false;
	return dx_quic(p, c, off, len);
}
