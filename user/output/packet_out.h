/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How a dissected packet is shown: the one-line text form (tcpdump-like), the
 * JSON line of ARCHITECTURE.md ("layers" keyed by Wireshark field names, repeated
 * fields as arrays), and the detail tree the browser's detail pane reads (every
 * node with its name, value, byte offset and length). `capture`, `read` and the
 * server all print through here, so the forms are the same everywhere.
 */
#ifndef GT_PACKET_OUT_H
#define GT_PACKET_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "dissect/dissect.h"
#include "output/json_writer.h"

struct packet_meta {
	uint64_t no;		/* 1-based packet number */
	uint64_t ts_ns;		/* CLOCK_REALTIME, ns */
	const char *iface;	/* interface name, or NULL (files without one) */
	uint8_t dir;		/* enum gt_dir, or DX_DIR_UNKNOWN */
};

/* "15:04:05.123456 veth0 in  IP 10.0.0.1.53 > 10.0.0.2.40000: UDP DNS ..., length 98" */
void packet_print_line(FILE *out, const struct packet_meta *m, const struct dx_packet *p);
/* One JSON object and a newline. */
void packet_print_json(FILE *out, const struct packet_meta *m, const struct dx_packet *p);
/* The same object written into w (after what w holds, with a comma if needed). */
void packet_write_json(struct json_writer *w, const struct packet_meta *m,
		       const struct dx_packet *p);
/* The JSON-line object, for callers that send it elsewhere. Caller frees. */
cJSON *packet_to_json(const struct packet_meta *m, const struct dx_packet *p);
/* The detail tree: [{"name","value","off","len","children":[...]}...]. Caller frees. */
cJSON *packet_tree_to_json(const struct dx_packet *p);

#endif /* GT_PACKET_OUT_H */
