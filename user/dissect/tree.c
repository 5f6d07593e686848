// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The dissection tree and the bounds-checked frame accessors (see dissect.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect.h"

void dx_init(struct dx_packet *p, const uint8_t *data, uint32_t caplen,
	     uint32_t wirelen, int linktype)
{
	struct dx_streams *streams = p->streams;
	uint64_t ts_ns = p->ts_ns;
	bool summary_only = p->summary_only;
	uint8_t dir = p->dir;

	/* only the header part; nodes and text are written before they are read */
	memset(p, 0, offsetof(struct dx_packet, nodes));
	p->n_nodes = 0;
	p->text_used = 0;
	p->depth = 0;
	memset(&p->protocol, 0, sizeof(*p) - offsetof(struct dx_packet, protocol));
	p->data = data;
	p->caplen = caplen;
	p->wirelen = wirelen < caplen ? caplen : wirelen;
	p->linktype = linktype;
	p->streams = streams;
	p->dir = dir;
	p->ts_ns = ts_ns;
	p->summary_only = summary_only;
}

bool dx_has(struct dx_packet *p, uint32_t off, uint32_t len)
{
	if (off <= p->caplen && len <= p->caplen - off)
		return true;
	p->flags |= DX_F_TRUNCATED;
	return false;
}

uint8_t dx_u8(struct dx_packet *p, uint32_t off)
{
	return dx_has(p, off, 1) ? p->data[off] : 0;
}

uint16_t dx_be16(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 2))
		return 0;
	return (uint16_t)(p->data[off] << 8 | p->data[off + 1]);
}

uint32_t dx_be24(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 3))
		return 0;
	return (uint32_t)p->data[off] << 16 | (uint32_t)p->data[off + 1] << 8 | p->data[off + 2];
}

uint32_t dx_be32(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 4))
		return 0;
	return (uint32_t)p->data[off] << 24 | (uint32_t)p->data[off + 1] << 16 |
	       (uint32_t)p->data[off + 2] << 8 | p->data[off + 3];
}

uint64_t dx_be64(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 8))
		return 0;
	return (uint64_t)dx_be32(p, off) << 32 | dx_be32(p, off + 4);
}

uint16_t dx_le16(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 2))
		return 0;
	return (uint16_t)(p->data[off] | p->data[off + 1] << 8);
}

uint32_t dx_le32(struct dx_packet *p, uint32_t off)
{
	if (!dx_has(p, off, 4))
		return 0;
	return (uint32_t)p->data[off] | (uint32_t)p->data[off + 1] << 8 |
	       (uint32_t)p->data[off + 2] << 16 | (uint32_t)p->data[off + 3] << 24;
}

/* Append formatted text to the arena; returns its offset, or UINT32_MAX when full. */
static uint32_t text_vadd(struct dx_packet *p, const char *fmt, va_list ap)
{
	uint32_t room = DX_TEXT_BYTES - p->text_used;
	int n;

	if (room < 2)
		goto full;
	n = vsnprintf(p->text + p->text_used, room, fmt, ap);
	if (n < 0 || (uint32_t)n >= room)
		goto full;
	p->text_used += (uint32_t)n + 1;
	return p->text_used - (uint32_t)n - 1;
full:
	p->flags |= DX_F_TREE_FULL;
	return UINT32_MAX;
}

static int node_vadd(struct dx_packet *p, uint8_t kind, const char *name, uint32_t off,
		     uint32_t len, const char *fmt, va_list ap)
{
	struct dx_node *n;
	uint32_t value;

	if (p->n_nodes >= DX_MAX_NODES) {
		p->flags |= DX_F_TREE_FULL;
		return -1;
	}
	/*
	 * The live list wants the columns, which dissectors set apart from the
	 * tree: the node is still counted (dissectors see the same indexes and the
	 * same node limit), but its text, most of a dissection's cost, is not
	 * formatted. Only the text limit cannot be hit then: a packet whose full
	 * tree overflows it may get a fuller Info column this way.
	 */
	value = p->summary_only ? UINT32_MAX : text_vadd(p, fmt, ap);
	if (value == UINT32_MAX && !p->summary_only)
		return -1;
	/* a range reaching past the captured bytes is clipped, never trusted */
	if (off > p->caplen)
		off = p->caplen, len = 0;
	if (len > p->caplen - off)
		len = p->caplen - off;
	n = &p->nodes[p->n_nodes];
	n->name = name;
	n->value = value;
	n->off = off;
	n->len = len;
	n->depth = p->depth;
	n->kind = kind;
	return (int)p->n_nodes++;
}

int dx_proto(struct dx_packet *p, const char *name, uint32_t off, uint32_t len,
	     const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = node_vadd(p, DX_NODE_PROTO, name, off, len, fmt, ap);
	va_end(ap);
	return r;
}

int dx_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len,
	     const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = node_vadd(p, DX_NODE_FIELD, name, off, len, fmt, ap);
	va_end(ap);
	return r;
}

int dx_text(struct dx_packet *p, uint32_t off, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = node_vadd(p, DX_NODE_TEXT, NULL, off, len, fmt, ap);
	va_end(ap);
	return r;
}

void dx_set_len(struct dx_packet *p, int node, uint32_t len)
{
	struct dx_node *n;

	if (node < 0 || (uint32_t)node >= p->n_nodes)
		return;
	n = &p->nodes[node];
	n->len = len > p->caplen - n->off ? p->caplen - n->off : len;
}

void dx_push(struct dx_packet *p)
{
	p->depth++;
}

void dx_pop(struct dx_packet *p)
{
	if (p->depth > 0)
		p->depth--;
}

const char *dx_value(const struct dx_packet *p, const struct dx_node *n)
{
	return n->value < DX_TEXT_BYTES ? p->text + n->value : "";
}

void dx_set_info(struct dx_packet *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->info, sizeof(p->info), fmt, ap);
	va_end(ap);
}

void dx_append_info(struct dx_packet *p, const char *fmt, ...)
{
	size_t used = strlen(p->info);
	va_list ap;

	if (used + 1 >= sizeof(p->info))
		return;
	va_start(ap, fmt);
	vsnprintf(p->info + used, sizeof(p->info) - used, fmt, ap);
	va_end(ap);
}

void dx_mark(struct dx_packet *p, uint32_t flags)
{
	p->flags |= flags;
}

const struct dx_node *dx_find(const struct dx_packet *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].name && strcmp(p->nodes[i].name, name) == 0)
			return &p->nodes[i];
	return NULL;
}
