// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IP reassembly for the dissectors (see defrag.h): hands each fragment to the
 * store and, in the packet that completes a datagram, lets the upper layers
 * read a frame made of this frame's headers and the whole datagram, then maps
 * the byte ranges of what they added back into this frame.
 */
#include <stdio.h>
#include <string.h>

#include "defrag.h"
#include "proto.h"
#include "stream.h"

struct dx_defrag *dx_packet_defrag(const struct dx_packet *p)
{
	return p->streams ? dx_streams_defrag(p->streams) : NULL;
}

void dx_defrag_next_frame(struct dx_packet *p)
{
	struct dx_defrag *d = dx_packet_defrag(p);

	if (d)
		dx_defrag_frame_step(d);
}

/* "[3 IPv4 Fragments (3008 bytes): #3(1480), #4(1480), #5(48)]" and its fields. */
static void fragment_list(struct dx_packet *p, const struct dx_frag_key *k,
			  const struct dx_frag_whole *w, uint32_t off)
{
	bool v6 = k->family == 6;
	char text[240];
	size_t used;
	int n;

	used = (size_t)snprintf(text, sizeof(text), "[%u IPv%c Fragments (%u bytes): ",
				w->n_frags, v6 ? '6' : '4', w->len);
	for (uint32_t i = 0; i < w->n_frags && used < sizeof(text); i++) {
		n = snprintf(text + used, sizeof(text) - used, "%s#%llu(%u)", i ? ", " : "",
			     (unsigned long long)w->frags[i].frame, w->frags[i].len);
		used += n > 0 ? (size_t)n : 0;
	}
	if (used + 2 > sizeof(text))
		memcpy(text + sizeof(text) - 5, "...]", 5);
	else
		memcpy(text + used, "]", 2);
	if (dx_text(p, off, w->len, "%s", text) < 0)
		return;
	dx_push(p);
	for (uint32_t i = 0, end = 0; i < w->n_frags; i++) {
		const struct dx_frag *f = &w->frags[i];

		dx_field(p, v6 ? "ipv6.fragment" : "ip.fragment", off + f->offset, f->len,
			 "%llu", (unsigned long long)f->frame);
		/* as Wireshark: a fragment starting before the bytes listed above it end */
		if (f->offset < end) {
			dx_push(p);
			dx_field(p, v6 ? "ipv6.fragment.overlap" : "ip.fragment.overlap",
				 off + f->offset, f->len, "1");
			dx_pop(p);
		}
		if (f->offset + f->len > end)
			end = f->offset + f->len;
	}
	dx_field(p, v6 ? "ipv6.fragment.count" : "ip.fragment.count", off, w->len, "%u",
		 w->n_frags);
	dx_field(p, v6 ? "ipv6.reassembled.length" : "ip.reassembled.length", off, w->len,
		 "%u", w->len);
	dx_pop(p);
}

enum dx_frag_result dx_defrag_ip(struct dx_packet *p, const struct dx_frag_key *k,
				 uint32_t off, uint32_t len, uint32_t frag_off, bool more,
				 struct dx_defrag_view *v)
{
	struct dx_defrag *d = dx_packet_defrag(p);
	struct dx_frag_whole w;
	enum dx_frag_result r;
	uint8_t *frame;

	if (!d)
		return DX_FRAG_REFUSED;
	if (off > p->caplen || len > p->caplen - off) {
		dx_defrag_count_uncaptured(d);
		return DX_FRAG_REFUSED;
	}
	r = dx_defrag_add(d, k, dx_defrag_frame(d), p->ts_ns, frag_off, p->data + off, len,
			  more, &w);
	if (r != DX_FRAG_COMPLETE)
		return r;
	frame = dx_defrag_scratch(d, off + w.len);
	if (!frame)
		return DX_FRAG_REFUSED;
	memcpy(frame, p->data, off);
	memcpy(frame + off, w.data, w.len);
	*v = (struct dx_defrag_view){
		.len = w.len,
		.data = p->data,
		.caplen = p->caplen,
		.wirelen = p->wirelen,
		.first_node = p->n_nodes,
		.off = off,
		.frag_off = frag_off,
		.frag_len = len,
	};
	p->data = frame;
	p->caplen = off + w.len;
	p->wirelen = p->caplen;
	fragment_list(p, k, &w, off);
	dx_mark(p, DX_F_REASSEMBLED);
	return r;
}

void dx_defrag_leave(struct dx_packet *p, const struct dx_defrag_view *v)
{
	/* this frame's bytes are the datagram's [frag_off, frag_off + frag_len) */
	uint32_t lo = v->off + v->frag_off, hi = lo + v->frag_len;

	p->data = v->data;
	p->caplen = v->caplen;
	p->wirelen = v->wirelen;
	for (uint32_t i = v->first_node; i < p->n_nodes; i++) {
		struct dx_node *n = &p->nodes[i];
		uint32_t start = n->off, end = n->off + n->len;

		if (end <= v->off) {
			continue;	/* in this frame's headers, which the rebuilt one copies */
		} else if (start < v->off) {
			n->len = v->off - start;
			continue;
		}
		if (start < lo)
			start = lo;
		if (end > hi)
			end = hi;
		if (start < end) {
			n->off = start - v->frag_off;
			n->len = end - start;
		} else {
			n->off = v->off;	/* wholly in earlier frames */
			n->len = 0;
		}
	}
}
