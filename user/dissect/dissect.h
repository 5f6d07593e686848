/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The dissection tree: what every protocol dissector writes and what the CLI, the
 * JSON lines, the packet store and the browser's detail pane read.
 *
 * A dissected packet is a flat array of nodes in pre-order. A node is a protocol
 * ("ip") or a field ("ip.src") named with its Wireshark display-filter name, with
 * a text value and the byte range it covers in the frame, so a hex view can
 * highlight it. Values are text, as in tshark's JSON. Memory for one packet is
 * bounded: past the node or text limit, further fields are dropped and the packet
 * is marked DX_F_TREE_FULL.
 *
 * Reads from the frame go only through the bounds-checked accessors below
 * (tcpdump's GET_U_1 idea): a read past the captured bytes returns 0 and marks the
 * packet truncated, so a dissector can never read out of bounds.
 */
#ifndef GT_DISSECT_H
#define GT_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DX_MAX_NODES 1024
#define DX_TEXT_BYTES 32768

/* Link types of the frames handed to dx_dissect (libpcap DLT_ values). */
#define DX_LINK_ETHERNET 1	/* DLT_EN10MB */
#define DX_LINK_RAW 101		/* LINKTYPE_RAW: starts at the IP header */
#define DX_LINK_NULL 0		/* BSD loopback: 4-byte host-order family */
#define DX_LINK_LOOP 108	/* OpenBSD loopback: network-order family */
#define DX_LINK_SLL 113		/* Linux cooked v1 */
#define DX_LINK_SLL2 276	/* Linux cooked v2 */

/* struct dx_packet.flags */
enum dx_flags {
	DX_F_TRUNCATED = 1 << 0, /* a header or field ran past the captured bytes */
	DX_F_MALFORMED = 1 << 1, /* a field's value contradicts the protocol */
	DX_F_ENCRYPTED = 1 << 2, /* payload is encrypted (TLS, QUIC, SSH after KEX, ...) */
	DX_F_PLAINTEXT = 1 << 3, /* payload carries readable application data */
	DX_F_TREE_FULL = 1 << 4, /* node or text limit reached: tree incomplete */
	DX_F_REASSEMBLED = 1 << 5, /* an application message was rebuilt from segments */
};

enum dx_node_kind {
	DX_NODE_PROTO = 0, /* a protocol layer: "eth", "ip", "tcp", "dns" */
	DX_NODE_FIELD = 1, /* a named field: "ip.src" */
	DX_NODE_TEXT = 2,  /* a descriptive line without a filter name ("Queries") */
};

struct dx_node {
	const char *name;   /* Wireshark field or protocol name; static storage */
	uint32_t value;	    /* offset of the value text in dx_packet.text */
	uint32_t off;	    /* byte range in the frame */
	uint32_t len;
	int16_t depth;	    /* 0 for layers; children are deeper */
	uint8_t kind;	    /* enum dx_node_kind */
	uint8_t pad;
};

/* A stream reassembler is optional: stateless dissection passes NULL. */
struct dx_streams;

struct dx_packet {
	/* input */
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	int linktype;
	uint8_t dir;		/* enum gt_dir, or DX_DIR_UNKNOWN */
	struct dx_streams *streams;
	uint64_t ts_ns;		/* capture time, CLOCK_REALTIME ns; 0 unknown (ICMP data time) */
	bool summary_only;	/* the columns only: nodes counted, no text (see tree.c) */

	/* output: the tree */
	struct dx_node nodes[DX_MAX_NODES];
	uint32_t n_nodes;
	char text[DX_TEXT_BYTES];
	uint32_t text_used;
	int16_t depth;		/* depth new nodes get */

	/* output: the summary columns */
	const char *protocol;	/* Wireshark's Protocol column: "TCP", "DNS", "TLSv1.3" */
	char info[256];		/* Wireshark's Info column */
	char src[64];		/* network source/destination, or link-layer when no IP */
	char dst[64];
	uint16_t sport, dport;	/* 0 when no ports */
	uint8_t l4proto;	/* IPPROTO_*, 0 when none */
	uint32_t flags;		/* enum dx_flags */
};

#define DX_DIR_UNKNOWN 0xff

/*
 * Dissect one frame; p must be zeroed or reset by dx_init first. dx_init keeps
 * p->dir, p->streams, p->ts_ns and p->summary_only: set them before it.
 */
void dx_init(struct dx_packet *p, const uint8_t *data, uint32_t caplen,
	     uint32_t wirelen, int linktype);
/* What dx_init keeps, set in one call by every caller that knows it: the
 * direction, the capture time (CLOCK_REALTIME ns) and the stream store (NULL:
 * this packet alone). */
static inline void dx_set_capture(struct dx_packet *p, uint8_t dir, uint64_t ts_ns,
				  struct dx_streams *streams)
{
	p->dir = dir;
	p->ts_ns = ts_ns;
	p->streams = streams;
}
void dx_dissect(struct dx_packet *p);

/* Bounds-checked reads at absolute frame offsets. Past caplen: 0, and truncated. */
bool dx_has(struct dx_packet *p, uint32_t off, uint32_t len);
uint8_t dx_u8(struct dx_packet *p, uint32_t off);
uint16_t dx_be16(struct dx_packet *p, uint32_t off);
uint32_t dx_be24(struct dx_packet *p, uint32_t off);
uint32_t dx_be32(struct dx_packet *p, uint32_t off);
uint64_t dx_be64(struct dx_packet *p, uint32_t off);
uint16_t dx_le16(struct dx_packet *p, uint32_t off);
uint32_t dx_le32(struct dx_packet *p, uint32_t off);

/* Tree building. Each returns the node index, or -1 when the tree is full. */
int dx_proto(struct dx_packet *p, const char *name, uint32_t off, uint32_t len,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int dx_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int dx_text(struct dx_packet *p, uint32_t off, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void dx_set_len(struct dx_packet *p, int node, uint32_t len);
/* Children of the next nodes: dx_push after adding a parent, dx_pop when done. */
void dx_push(struct dx_packet *p);
void dx_pop(struct dx_packet *p);
const char *dx_value(const struct dx_packet *p, const struct dx_node *n);

void dx_set_info(struct dx_packet *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dx_append_info(struct dx_packet *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dx_mark(struct dx_packet *p, uint32_t flags);

/* First node with this name, or NULL. */
const struct dx_node *dx_find(const struct dx_packet *p, const char *name);

#endif /* GT_DISSECT_H */
