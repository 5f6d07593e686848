// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * "data": payload no dissector claimed, shown as Wireshark does (data.data as
 * lower-case hex without separators, data.len), with a readable ASCII line so a
 * person sees at a glance what the bytes carry.
 */
#include "proto.h"

#define DATA_ASCII_MAX 128	/* bytes shown in the ASCII line */

void dx_data(struct dx_packet *p, uint32_t off, uint32_t len)
{
	char ascii[DATA_ASCII_MAX + 1];
	uint32_t have, n;
	int node;

	if (len == 0 || off > p->caplen)
		return;
	have = p->caplen - off < len ? p->caplen - off : len;
	if (have < len)
		dx_mark(p, DX_F_TRUNCATED);
	node = dx_proto(p, "data", off, len, "Data (%u bytes)", len);
	if (node < 0)
		return;
	dx_push(p);
	dx_hex_field(p, "data.data", off, len);
	dx_field(p, "data.len", off, 0, "%u", len);
	n = have > DATA_ASCII_MAX ? DATA_ASCII_MAX : have;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = dx_u8(p, off + i);

		ascii[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	ascii[n] = '\0';
	dx_text(p, off, n, "ASCII: %s%s", ascii, have > n ? "..." : "");
	dx_pop(p);
	if (!p->protocol)
		p->protocol = "DATA";
}
