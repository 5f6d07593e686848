// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS hello extensions (RFC 8446 4.2, RFC 6066 server_name, RFC 7301 ALPN,
 * RFC 8422 groups and point formats): each shown with Wireshark's field names.
 */
#include <stdio.h>

#include "proto.h"
#include "tls.h"

/* A list of 16-bit values: "<len field>" then one field each (fmt: "%u"/"0x%04x"). */
static void u16_list(const struct dx_buf *b, uint32_t i, uint32_t end, int len_bytes,
		     const char *len_name, const char *item_name, const char *fmt)
{
	uint32_t n = len_bytes == 1 ? dx_buf_u8(b, i) : dx_buf_be16(b, i);

	dx_buf_field(b, len_name, i, (uint32_t)len_bytes, "%u", n);
	i += (uint32_t)len_bytes;
	for (uint32_t k = 0; k + 1 < n && i + k + 2 <= end; k += 2) {
		if (!dx_buf_has(b, i + k, 2))
			return;
		dx_buf_field(b, item_name, i + k, 2, fmt, dx_buf_be16(b, i + k));
	}
}

static void ext_server_name(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char name[256];

	dx_buf_field(b, "tls.handshake.extensions_server_name_list_len", i, 2, "%u",
		     dx_buf_be16(b, i));
	for (i += 2; i + 3 <= end && dx_buf_has(b, i, 3);) {
		uint16_t len = dx_buf_be16(b, i + 1);

		dx_buf_field(b, "tls.handshake.extensions_server_name_type", i, 1, "%u",
			     dx_buf_u8(b, i));
		dx_buf_field(b, "tls.handshake.extensions_server_name_len", i + 1, 2, "%u", len);
		if (len > end - i - 3)
			break;
		dx_buf_str(b, i + 3, len, name, sizeof(name));
		dx_buf_field(b, "tls.handshake.extensions_server_name", i + 3, len, "%s", name);
		i += 3u + len;
	}
}

static void ext_alpn(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char s[256];

	dx_buf_field(b, "tls.handshake.extensions_alpn_len", i, 2, "%u", dx_buf_be16(b, i));
	for (i += 2; i < end && dx_buf_has(b, i, 1);) {
		uint8_t len = dx_buf_u8(b, i);

		dx_buf_field(b, "tls.handshake.extensions_alpn_str_len", i, 1, "%u", len);
		if (len > end - i - 1)
			break;
		dx_buf_field(b, "tls.handshake.extensions_alpn_str", i + 1, len, "%s",
			     dx_buf_str(b, i + 1, len, s, sizeof(s)));
		i += 1u + len;
	}
}

static void key_share_entry(const struct dx_buf *b, uint32_t i, uint32_t end, uint32_t *next)
{
	char hex[2 * 512 + 1];
	uint16_t len = dx_buf_be16(b, i + 2);

	*next = end;
	if (i + 4 > end || !dx_buf_has(b, i, 4))
		return;
	dx_buf_field(b, "tls.handshake.extensions_key_share_group", i, 2, "%u",
		     dx_buf_be16(b, i));
	dx_buf_field(b, "tls.handshake.extensions_key_share_key_exchange_length", i + 2, 2,
		     "%u", len);
	if (len > end - i - 4)
		return;
	dx_buf_field(b, "tls.handshake.extensions_key_share_key_exchange", i + 4, len, "%s",
		     dx_buf_hex(b, i + 4, len, hex, sizeof(hex)));
	*next = i + 4u + len;
}

static void ext_key_share(const struct dx_buf *b, uint32_t i, uint32_t end, bool client,
			  uint32_t ext_len)
{
	uint32_t next;

	if (!client) {
		/* ServerHello: one entry; HelloRetryRequest: only the group */
		if (ext_len == 2)
			dx_buf_field(b, "tls.handshake.extensions_key_share_selected_group", i, 2,
				     "%u", dx_buf_be16(b, i));
		else
			key_share_entry(b, i, end, &next);
		return;
	}
	dx_buf_field(b, "tls.handshake.extensions_key_share_client_length", i, 2, "%u",
		     dx_buf_be16(b, i));
	for (i += 2; i + 4 <= end; i = next)
		key_share_entry(b, i, end, &next);
}

static void extension(const struct dx_buf *b, uint16_t type, uint32_t i, uint32_t len,
		      bool client, struct tls_state *st)
{
	uint32_t end = i + len;
	char hex[2 * 256 + 1];

	switch (type) {
	case 0:
		if (len)
			ext_server_name(b, i, end);
		break;
	case 10:
		u16_list(b, i, end, 2, "tls.handshake.extensions_supported_groups_length",
			 "tls.handshake.extensions_supported_group", "0x%04x");
		break;
	case 11:
		dx_buf_field(b, "tls.handshake.extensions_ec_point_formats_length", i, 1, "%u",
			     dx_buf_u8(b, i));
		for (uint32_t k = 1; k < len && dx_buf_has(b, i + k, 1); k++)
			dx_buf_field(b, "tls.handshake.extensions_ec_point_format", i + k, 1, "%u",
				     dx_buf_u8(b, i + k));
		break;
	case 13:
		u16_list(b, i, end, 2, "tls.handshake.sig_hash_alg_len",
			 "tls.handshake.sig_hash_alg", "0x%04x");
		break;
	case 16:
		ext_alpn(b, i, end);
		break;
	case 43:
		if (client) {
			u16_list(b, i, end, 1, "tls.handshake.extensions.supported_versions_len",
				 "tls.handshake.extensions.supported_version", "0x%04x");
		} else if (len >= 2) {
			dx_buf_field(b, "tls.handshake.extensions.supported_version", i, 2,
				     "0x%04x", dx_buf_be16(b, i));
			st->version = dx_buf_be16(b, i);
		}
		break;
	case 51:
		ext_key_share(b, i, end, client, len);
		break;
	case 65281:
		dx_buf_field(b, "tls.handshake.extensions_reneg_info_len", i, 1, "%u",
			     dx_buf_u8(b, i));
		break;
	default:
		if (len)
			dx_buf_field(b, "tls.handshake.extension.data", i, len, "%s",
				     dx_buf_hex(b, i, len, hex, sizeof(hex)));
		break;
	}
}

void dx_tls_extensions(const struct dx_buf *b, uint32_t i, uint32_t end, bool client,
		       struct tls_state *st)
{
	uint16_t total;

	if (i + 2 > end)
		return;		/* no extensions: allowed before TLS 1.3 */
	total = dx_buf_be16(b, i);
	dx_buf_field(b, "tls.handshake.extensions_length", i, 2, "%u", total);
	if (total > end - i - 2)
		dx_tls_bad_length(b, st, "TLS extensions length past the message");
	end = i + 2 + (total < end - i - 2 ? total : end - i - 2);
	for (i += 2; i + 4 <= end && dx_buf_has(b, i, 4);) {
		uint16_t type = dx_buf_be16(b, i), len = dx_buf_be16(b, i + 2);

		dx_buf_text(b, i, 4u + len, "Extension: type %u (len=%u)", type, len);
		dx_push(b->p);
		dx_buf_field(b, "tls.handshake.extension.type", i, 2, "%u", type);
		dx_buf_field(b, "tls.handshake.extension.len", i + 2, 2, "%u", len);
		if (len <= end - i - 4)
			extension(b, type, i + 4, len, client, st);
		dx_pop(b->p);
		i += 4u + len;
	}
}

