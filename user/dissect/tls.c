// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS (RFC 5246 TLS 1.2, RFC 8446 TLS 1.3, SSL 3.0 records): the record layer,
 * the handshake messages that travel in clear (ClientHello and ServerHello with
 * their extensions, Certificate, ServerKeyExchange, NewSessionTicket, ...),
 * ChangeCipherSpec, Alert; everything after the keys change is marked encrypted.
 * Field names and value forms are Wireshark's (tshark -T fields). Records that
 * span TCP segments are rebuilt by stream.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "tls.h"
#include "x509.h"

#define CT_CCS 20
#define CT_ALERT 21
#define CT_HANDSHAKE 22
#define CT_APP_DATA 23
#define CT_HEARTBEAT 24

#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define HS_NEW_SESSION_TICKET 4
#define HS_CERTIFICATE 11
#define HS_SERVER_KEY_EXCHANGE 12

#define MAX_RECORD (16384 + 2048)	/* TLSCiphertext limit (RFC 5246 6.2.3) */
#define MAX_GATHERED (64 * 1024)	/* a handshake message gathered from records */

/* dx_stream_app.flags[dir]: this direction sent ChangeCipherSpec */
#define TLS_DIR_CCS 0x01


struct name {
	uint32_t v;
	const char *s;
};

static const struct name hs_names[] = {
	{ 0, "Hello Request" },	{ 1, "Client Hello" },	{ 2, "Server Hello" },
	{ 3, "Hello Verify Request" }, { 4, "New Session Ticket" },
	{ 5, "End of Early Data" }, { 6, "Hello Retry Request" },
	{ 8, "Encrypted Extensions" }, { 11, "Certificate" },
	{ 12, "Server Key Exchange" }, { 13, "Certificate Request" },
	{ 14, "Server Hello Done" }, { 15, "Certificate Verify" },
	{ 16, "Client Key Exchange" }, { 20, "Finished" }, { 24, "Key Update" },
	{ 254, "Message Hash" },
};

static const struct name ct_names[] = {
	{ CT_CCS, "Change Cipher Spec" }, { CT_ALERT, "Alert" },
	{ CT_HANDSHAKE, "Handshake" }, { CT_APP_DATA, "Application Data" },
	{ CT_HEARTBEAT, "Heartbeat" },
};

static const struct name alert_levels[] = { { 1, "Warning" }, { 2, "Fatal" } };

static const struct name alert_descs[] = {
	{ 0, "Close Notify" }, { 10, "Unexpected Message" }, { 20, "Bad Record MAC" },
	{ 22, "Record Overflow" }, { 40, "Handshake Failure" }, { 42, "Bad Certificate" },
	{ 43, "Unsupported Certificate" }, { 44, "Certificate Revoked" },
	{ 45, "Certificate Expired" }, { 46, "Certificate Unknown" },
	{ 47, "Illegal Parameter" }, { 48, "Unknown CA" }, { 49, "Access Denied" },
	{ 50, "Decode Error" }, { 51, "Decrypt Error" }, { 70, "Protocol Version" },
	{ 71, "Insufficient Security" }, { 80, "Internal Error" },
	{ 86, "Inappropriate Fallback" }, { 90, "User Canceled" },
	{ 109, "Missing Extension" }, { 110, "Unsupported Extension" },
	{ 112, "Unrecognized Name" }, { 116, "Certificate Required" },
	{ 120, "No Application Protocol" },
};

#define NAME_OF(table, v, dflt) name_of(table, sizeof(table) / sizeof(table[0]), v, dflt)

static const char *name_of(const struct name *t, size_t n, uint32_t v, const char *dflt)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return dflt;
}

/* The Protocol column and record-layer names: "TLSv1.2", "SSLv3". */
static const char *version_column(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1";
	case 0x0302: return "TLSv1.1";
	case 0x0303: return "TLSv1.2";
	case 0x0304: return "TLSv1.3";
	default: return "TLS";
	}
}

/* A length that contradicts its container: malformed, unless we lack the bytes. */
void dx_tls_bad_length(const struct dx_buf *b, const struct tls_state *st, const char *why)
{
	if (st->clipped)
		dx_mark(b->p, DX_F_TRUNCATED);
	else
		dx_malformed(b->p, b->frame_off, 0, why);
}

static void info_add(struct dx_packet *p, struct tls_state *st, const char *what)
{
	if (!st->info_started)
		dx_set_info(p, "%s", what);
	else
		dx_append_info(p, ", %s", what);
	st->info_started = true;
}

/* A record header at i: a known content type, SSL 3.0 to TLS 1.3, a sane length. */
static bool record_header_ok(const struct dx_buf *b, uint32_t i)
{
	uint8_t type;
	uint16_t version, len;

	if (i > b->len || b->len - i < 5)
		return false;
	type = dx_buf_u8(b, i);
	version = dx_buf_be16(b, i + 1);
	len = dx_buf_be16(b, i + 3);
	return type >= CT_CCS && type <= CT_HEARTBEAT && version >= 0x0300 &&
	       version <= TLS13 && len <= MAX_RECORD;
}

/* ClientHello and ServerHello share their start (RFC 8446 4.1.2, 4.1.3). */
static void hello(const struct dx_buf *b, uint32_t i, uint32_t end, bool client,
		  struct tls_state *st)
{
	char hex[2 * 32 + 1];
	uint8_t sid_len;

	if (!dx_buf_has(b, i, 2 + 32 + 1))
		return;
	dx_buf_field(b, "tls.handshake.version", i, 2, "0x%04x", dx_buf_be16(b, i));
	if (!client && !st->version)
		st->version = dx_buf_be16(b, i);
	dx_buf_field(b, "tls.handshake.random", i + 2, 32, "%s",
		     dx_buf_hex(b, i + 2, 32, hex, sizeof(hex)));
	i += 34;
	sid_len = dx_buf_u8(b, i);
	dx_buf_field(b, "tls.handshake.session_id_length", i, 1, "%u", sid_len);
	if (sid_len > 32) {
		dx_malformed(b->p, b->frame_off, 0, "TLS session ID longer than 32 bytes");
		return;
	}
	if (sid_len > end - i - 1) {
		dx_tls_bad_length(b, st, "TLS session ID past the message");
		return;
	}
	if (sid_len)
		dx_buf_field(b, "tls.handshake.session_id", i + 1, sid_len, "%s",
			     dx_buf_hex(b, i + 1, sid_len, hex, sizeof(hex)));
	i += 1u + sid_len;
	if (client) {
		uint16_t cs_len = dx_buf_be16(b, i);
		uint8_t cm_len;

		if (i + 2 > end || cs_len > end - i - 2)
			return;
		dx_buf_field(b, "tls.handshake.cipher_suites_length", i, 2, "%u", cs_len);
		for (uint32_t k = 0; k + 1 < cs_len; k += 2)
			dx_buf_field(b, "tls.handshake.ciphersuite", i + 2 + k, 2, "0x%04x",
				     dx_buf_be16(b, i + 2 + k));
		i += 2u + cs_len;
		cm_len = dx_buf_u8(b, i);
		if (i + 1 > end || cm_len > end - i - 1)
			return;
		dx_buf_field(b, "tls.handshake.comp_methods_length", i, 1, "%u", cm_len);
		for (uint32_t k = 0; k < cm_len; k++)
			dx_buf_field(b, "tls.handshake.comp_method", i + 1 + k, 1, "%u",
				     dx_buf_u8(b, i + 1 + k));
		i += 1u + cm_len;
	} else {
		if (i + 3 > end)
			return;
		dx_buf_field(b, "tls.handshake.ciphersuite", i, 2, "0x%04x", dx_buf_be16(b, i));
		dx_buf_field(b, "tls.handshake.comp_method", i + 2, 1, "%u", dx_buf_u8(b, i + 2));
		i += 3;
	}
	dx_tls_extensions(b, i, end, client, st);
}

static void certificates(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char hex[DX_BUF_VALUE_MAX];
	uint32_t total = dx_buf_be24(b, i);

	if (i + 3 > end)
		return;
	dx_buf_field(b, "tls.handshake.certificates_length", i, 3, "%u", total);
	if (total > end - i - 3)
		total = end - i - 3;
	end = i + 3 + total;
	for (i += 3; i + 3 <= end && dx_buf_has(b, i, 3);) {
		uint32_t len = dx_buf_be24(b, i);

		dx_buf_field(b, "tls.handshake.certificate_length", i, 3, "%u", len);
		if (len > end - i - 3)
			break;
		dx_buf_field(b, "tls.handshake.certificate", i + 3, len, "%s",
			     dx_buf_hex(b, i + 3, len, hex, sizeof(hex)));
		dx_push(b->p);
		dx_x509(b, i + 3, len, NULL, 0);
		dx_pop(b->p);
		i += 3 + len;
	}
}

/* ECDHE parameters (RFC 8422 5.4); other key exchanges are left as they are. */
static void server_key_exchange(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char hex[2 * 512 + 1];
	uint8_t plen;
	uint16_t slen;

	if (i + 4 > end || dx_buf_u8(b, i) != 3)
		return;
	plen = dx_buf_u8(b, i + 3);
	if (plen > end - i - 4)
		return;
	dx_buf_field(b, "tls.handshake.server_curve_type", i, 1, "0x%02x", 3);
	dx_buf_field(b, "tls.handshake.server_named_curve", i + 1, 2, "0x%04x",
		     dx_buf_be16(b, i + 1));
	dx_buf_field(b, "tls.handshake.server_point_len", i + 3, 1, "%u", plen);
	dx_buf_field(b, "tls.handshake.server_point", i + 4, plen, "%s",
		     dx_buf_hex(b, i + 4, plen, hex, sizeof(hex)));
	i += 4u + plen;
	if (i + 4 > end)
		return;
	slen = dx_buf_be16(b, i + 2);
	dx_buf_field(b, "tls.handshake.sig_hash_alg", i, 2, "0x%04x", dx_buf_be16(b, i));
	dx_buf_field(b, "tls.handshake.sig_len", i + 2, 2, "%u", slen);
	if (slen <= end - i - 4)
		dx_buf_field(b, "tls.handshake.sig", i + 4, slen, "%s",
			     dx_buf_hex(b, i + 4, slen, hex, sizeof(hex)));
}

static void new_session_ticket(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char hex[2 * 512 + 1];
	uint16_t len = dx_buf_be16(b, i + 4);

	if (i + 6 > end)
		return;
	dx_buf_field(b, "tls.handshake.session_ticket_lifetime_hint", i, 4, "%u",
		     dx_buf_be32(b, i));
	dx_buf_field(b, "tls.handshake.session_ticket_length", i + 4, 2, "%u", len);
	if (len <= end - i - 6)
		dx_buf_field(b, "tls.handshake.session_ticket", i + 6, len, "%s",
			     dx_buf_hex(b, i + 6, len, hex, sizeof(hex)));
}

/* One handshake message at [i, i + 4 + len), cut at end when it runs past it. */
static void message(const struct dx_buf *b, uint32_t i, uint32_t end, struct tls_state *st)
{
	uint8_t type = dx_buf_u8(b, i);
	uint32_t len = dx_buf_be24(b, i + 1);
	const char *name = NAME_OF(hs_names, type, "Unknown Handshake Message");
	uint32_t mend = len > end - i - 4 ? end : i + 4 + len;

	dx_buf_text(b, i, 4 + len, "Handshake Protocol: %s", name);
	dx_push(b->p);
	dx_buf_field(b, "tls.handshake.type", i, 1, "%u", type);
	dx_buf_field(b, "tls.handshake.length", i + 1, 3, "%u", len);
	if (type == HS_CLIENT_HELLO || type == HS_SERVER_HELLO)
		hello(b, i + 4, mend, type == HS_CLIENT_HELLO, st);
	else if (type == HS_CERTIFICATE)
		certificates(b, i + 4, mend);
	else if (type == HS_SERVER_KEY_EXCHANGE)
		server_key_exchange(b, i + 4, mend);
	else if (type == HS_NEW_SESSION_TICKET)
		new_session_ticket(b, i + 4, mend);
	dx_pop(b->p);
	/* tshark 4.0 says "Client Hello" (no SNI): the golden files follow it */
	info_add(b->p, st, name);
}

static void fragment_note(const struct dx_buf *b, struct tls_state *st)
{
	char what[96];

	snprintf(what, sizeof(what), "[%s Fragment]",
		 NAME_OF(hs_names, st->frag[0], "Unknown Handshake Message"));
	info_add(b->p, st, what);
}

/*
 * The handshake messages of one record body [i, end). A message longer than
 * its record is gathered from the next handshake records (RFC 8446 5.1) and
 * shown under the record that completes it, its fields with length 0 (its
 * bytes are not contiguous in the frame).
 */
static void handshakes(const struct dx_buf *b, uint32_t i, uint32_t end,
		       struct tls_state *st)
{
	/* after ChangeCipherSpec (or in TLS 1.3 after ServerHello) the content is opaque */
	if (st->ccs) {
		dx_buf_field(b, "tls.handshake", i, end - i, "Encrypted Handshake Message");
		info_add(b->p, st, "Encrypted Handshake Message");
		dx_mark(b->p, DX_F_ENCRYPTED);
		return;
	}
	if (st->frag) {
		uint32_t take = st->frag_len - st->frag_have;
		struct dx_buf whole;

		if (take > end - i)
			take = end - i;
		memcpy(st->frag + st->frag_have, b->data + i, take);
		st->frag_have += take;
		i += take;
		if (st->frag_have < st->frag_len) {
			fragment_note(b, st);
			return;
		}
		whole = *b;
		whole.data = st->frag;
		whole.len = st->frag_len;
		whole.frame_at = 0;
		whole.frame_n = 0;
		dx_buf_range(b, i, 0, &whole.frame_off, &take);
		message(&whole, 0, whole.len, st);
		free(st->frag);
		st->frag = NULL;
	}
	while (i + 4 <= end && dx_buf_has(b, i, 4)) {
		uint32_t len = dx_buf_be24(b, i + 1);

		if (len > end - i - 4 && !st->clipped && 4 + len <= MAX_GATHERED &&
		    (st->frag = malloc(4 + len)) != NULL) {
			/* continues in the next record */
			st->frag_len = 4 + len;
			st->frag_have = end - i;
			memcpy(st->frag, b->data + i, end - i);
			fragment_note(b, st);
			return;
		}
		message(b, i, end, st);
		i = len > end - i - 4 ? end : i + 4 + len;
	}
}

static void alert(const struct dx_buf *b, uint32_t i, uint32_t len, struct tls_state *st)
{
	uint8_t level, desc;
	char what[128];

	if (st->ccs || len != 2) {
		dx_buf_field(b, "tls.alert_message", i, len, "1");
		info_add(b->p, st, "Encrypted Alert");
		dx_mark(b->p, DX_F_ENCRYPTED);
		return;
	}
	level = dx_buf_u8(b, i);
	desc = dx_buf_u8(b, i + 1);
	dx_buf_field(b, "tls.alert_message.level", i, 1, "%u", level);
	dx_buf_field(b, "tls.alert_message.desc", i + 1, 1, "%u", desc);
	snprintf(what, sizeof(what), "Alert (Level: %s, Description: %s)",
		 NAME_OF(alert_levels, level, "Unknown"), NAME_OF(alert_descs, desc, "Unknown"));
	info_add(b->p, st, what);
}

/* One record at [i, i + 5 + length); the header was checked by record_header_ok. */
static void record(const struct dx_buf *b, uint32_t i, struct tls_state *st)
{
	char hex[DX_BUF_VALUE_MAX];
	uint8_t type = dx_buf_u8(b, i);
	uint16_t version = dx_buf_be16(b, i + 1), len = dx_buf_be16(b, i + 3);
	uint32_t body = i + 5, end = body + len;
	bool opaque = st->version == TLS13 && type == CT_APP_DATA;

	st->clipped = end > b->len;
	if (end > b->len)
		end = b->len;	/* stateless: the rest is in later segments */
	dx_buf_text(b, i, 5u + len, "%s Record Layer: %s Protocol", version_column(version),
		    NAME_OF(ct_names, type, "Unknown"));
	dx_push(b->p);
	dx_buf_field(b, opaque ? "tls.record.opaque_type" : "tls.record.content_type", i, 1,
		     "%u", type);
	dx_buf_field(b, "tls.record.version", i + 1, 2, "0x%04x", version);
	dx_buf_field(b, "tls.record.length", i + 3, 2, "%u", len);
	switch (type) {
	case CT_HANDSHAKE:
		handshakes(b, body, end, st);
		break;
	case CT_CCS:
		dx_buf_field(b, "tls.change_cipher_spec", body, len, "1");
		info_add(b->p, st, "Change Cipher Spec");
		st->ccs = true;
		break;
	case CT_ALERT:
		alert(b, body, end - body, st);
		break;
	case CT_APP_DATA:
		dx_buf_field(b, "tls.app_data", body, end - body, "%s",
			     dx_buf_hex(b, body, end - body, hex, sizeof(hex)));
		info_add(b->p, st, "Application Data");
		dx_mark(b->p, DX_F_ENCRYPTED);
		break;
	default:
		info_add(b->p, st, "Heartbeat");
		break;
	}
	dx_pop(b->p);
}

enum chain {
	CHAIN_COMPLETE,		/* the messages end within complete records of the view */
	CHAIN_PAST_VIEW,	/* a message goes on past the bytes we have */
	CHAIN_BROKEN,		/* a message is cut by a record of another type */
};

/* Where do the handshake messages that start in the record at i end? */
static enum chain hs_chain(const struct dx_buf *b, uint32_t i)
{
	uint32_t need = 0, hdr_have = 0, msg_len = 0;

	while (record_header_ok(b, i)) {
		uint32_t body = i + 5, end = body + dx_buf_be16(b, i + 3);

		if (dx_buf_u8(b, i) != CT_HANDSHAKE)
			return CHAIN_BROKEN;
		if (end > b->len)
			return CHAIN_PAST_VIEW;
		for (uint32_t k = body; k < end;) {
			if (need) {
				uint32_t take = need < end - k ? need : end - k;

				k += take;
				need -= take;
				continue;
			}
			/* a message header, which may itself be split between records */
			while (hdr_have < 4 && k < end) {
				if (hdr_have)
					msg_len = msg_len << 8 | dx_buf_u8(b, k);
				hdr_have++;
				k++;
			}
			if (hdr_have < 4)
				break;
			need = msg_len;
			hdr_have = 0;
			msg_len = 0;
		}
		if (!need && !hdr_have)
			return CHAIN_COMPLETE;
		i = end;
	}
	return i >= b->len || b->len - i < 5 ? CHAIN_PAST_VIEW : CHAIN_BROKEN;
}

/* Dissects the records of view b; returns the index where an incomplete one starts. */
static uint32_t records(struct dx_buf *b, struct tls_state *st)
{
	struct dx_packet *p = b->p;
	uint32_t i = 0;
	int layer = -1;
	uint16_t last_version = 0;

	while (i < b->len) {
		uint32_t rlen;

		if (!record_header_ok(b, i)) {
			if (b->len - i < 5 && dx_stream_can_hold(p, b, 5)) {
				if (layer < 0)
					dx_set_info(p, "%s", "");
				break;	/* the header continues in the next segment */
			}
			if (layer >= 0)
				dx_buf_text(b, i, b->len - i, "Ignored Unknown Record");
			i = b->len;
			break;
		}
		rlen = 5u + dx_buf_be16(b, i + 3);
		if (rlen > b->len - i) {
			if (dx_stream_can_hold(p, b, rlen)) {
				/* looked at here first: Wireshark shows only the reassembly note */
				if (layer < 0 && i >= b->frame_at)
					dx_set_info(p, "%s", "");
				break;
			}
			dx_mark(p, DX_F_TRUNCATED);	/* the rest is not in this packet */
		}
		/* a handshake message spanning records waits for all of them */
		if (dx_buf_u8(b, i) == CT_HANDSHAKE && !st->ccs && !st->frag &&
		    hs_chain(b, i) == CHAIN_PAST_VIEW && dx_stream_can_hold(p, b, b->len - i)) {
			if (layer < 0 && i >= b->frame_at)
				dx_set_info(p, "%s", "");
			break;
		}
		if (dx_buf_u8(b, i) != CT_HANDSHAKE && st->frag) {
			free(st->frag);		/* cut by another record: never completes */
			st->frag = NULL;
		}
		if (layer < 0) {
			dx_stream_mark(p, b, i, rlen);
			layer = dx_buf_proto(b, "tls", i, b->len - i, "Transport Layer Security");
			dx_push(p);
		}
		last_version = dx_buf_be16(b, i + 1);
		record(b, i, st);
		i = rlen > b->len - i ? b->len : i + rlen;
	}
	if (layer >= 0) {
		dx_pop(p);
		p->protocol = version_column(st->version ? st->version : last_version);
	}
	return i;
}

bool dx_tls(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	struct dx_stream_app *app;
	struct tls_state st = { 0 };
	struct dx_buf b;
	uint32_t used;
	int dir;

	if (!dx_stream_view(p, c, off, len, &b))
		return false;
	/* not a record boundary and nothing held: not TLS (or a lost start) */
	if (b.len >= 5 && !record_header_ok(&b, 0))
		return false;
	if (b.len < 5 && !(b.len && dx_buf_u8(&b, 0) >= CT_CCS && dx_buf_u8(&b, 0) <= CT_HEARTBEAT))
		return false;
	app = dx_stream_app(p, c);
	dir = dx_stream_dir(p, c);
	if (app) {
		st.version = app->version;
		st.ccs = app->flags[dir] & TLS_DIR_CCS;
	}
	used = records(&b, &st);
	free(st.frag);
	if (app) {
		if (st.version)
			app->version = st.version;
		if (st.ccs)
			app->flags[dir] |= TLS_DIR_CCS;
	}
	/* TLS 1.3 encrypts every handshake message after ServerHello */
	if (app && app->version == TLS13 && st.info_started)
		app->flags[0] |= TLS_DIR_CCS, app->flags[1] |= TLS_DIR_CCS;
	dx_stream_done(p, &b, used, dx_tls);
	return true;
}

/* Heuristic: a ClientHello or ServerHello record at the start of the payload. */
bool dx_tls_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		      uint32_t len)
{
	struct dx_buf b;

	dx_buf_frame(&b, p, off, len);
	if (b.len < 6 || !record_header_ok(&b, 0) || dx_buf_u8(&b, 0) != CT_HANDSHAKE ||
	    (dx_buf_u8(&b, 5) != HS_CLIENT_HELLO && dx_buf_u8(&b, 5) != HS_SERVER_HELLO))
		return false;
	return dx_tls(p, c, off, len);
}
