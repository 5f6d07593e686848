// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * "data": payload no dissector claimed, shown as Wireshark does (data.data as hex,
 * data.len). Minimal version by "dis" so the dispatch links; "app" owns this file.
 */
#include "proto.h"

void dx_data(struct dx_packet *p, uint32_t off, uint32_t len)
{
	char hex[2 * 64 + 1];
	int node;

	if (len == 0)
		return;
	if (off > p->caplen)
		return;
	/* the value holds the first bytes; the node's range covers the whole payload */
	dx_fmt_hex(hex, sizeof(hex), p, off, len);
	node = dx_proto(p, "data", off, len, "Data (%u bytes)", len);
	if (node < 0)
		return;
	dx_push(p);
	dx_field(p, "data.data", off, len, "%s", hex);
	dx_field(p, "data.len", off, 0, "%u", len);
	dx_pop(p);
	if (!p->protocol || !p->info[0])
		p->protocol = p->protocol ? p->protocol : "DATA";
}
