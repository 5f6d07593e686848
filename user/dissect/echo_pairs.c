// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Echo request/reply pairing (echo_pairs.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "defrag.h"
#include "echo_pairs.h"
#include "stream.h"

struct echo_key {
	uint8_t family;
	uint8_t pad;
	uint16_t id, seq;
	uint8_t from[16], to[16];	/* the request's source and destination */
};

struct echo_slot {
	struct echo_key key;
	bool used;
	uint64_t frame;
	uint64_t ts_ns;
};

struct dx_echo_pairs {
	struct echo_slot *slots;	/* DX_ECHO_SLOTS, allocated on first use */
};

struct dx_echo_pairs *dx_echo_pairs_new(void)
{
	return calloc(1, sizeof(struct dx_echo_pairs));
}

void dx_echo_pairs_free(struct dx_echo_pairs *e)
{
	if (!e)
		return;
	free(e->slots);
	free(e);
}

static uint32_t key_hash(const struct echo_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 16777619u;
	return h & (DX_ECHO_SLOTS - 1);
}

bool dx_echo_pair(struct dx_packet *p, const struct dx_conv *c, bool reply, uint16_t id,
		  uint16_t seq, uint64_t *req_frame, double *ms)
{
	struct dx_echo_pairs *e;
	struct echo_slot *slot;
	struct echo_key k;
	uint64_t frame;

	if (!p->streams)
		return false;
	e = dx_streams_echo(p->streams);
	frame = dx_defrag_frame(dx_streams_defrag(p->streams));
	memset(&k, 0, sizeof(k));
	k.family = c->family;
	k.id = id;
	k.seq = seq;
	/* a reply goes the other way: key it as its request */
	memcpy(k.from, reply ? c->dst : c->src, sizeof(k.from));
	memcpy(k.to, reply ? c->src : c->dst, sizeof(k.to));
	if (!e->slots) {
		if (reply)
			return false;
		e->slots = calloc(DX_ECHO_SLOTS, sizeof(*e->slots));
		if (!e->slots)
			return false;
	}
	slot = &e->slots[key_hash(&k)];
	if (!reply) {
		slot->key = k;
		slot->used = true;
		slot->frame = frame;
		slot->ts_ns = p->ts_ns;
		return false;
	}
	if (!slot->used || memcmp(&slot->key, &k, sizeof(k)) || slot->frame >= frame)
		return false;
	*req_frame = slot->frame;
	*ms = p->ts_ns && slot->ts_ns && p->ts_ns >= slot->ts_ns ?
	      (double)(p->ts_ns - slot->ts_ns) / 1e6 : -1;
	return true;
}

void dx_echo_show(struct dx_packet *p, const struct dx_conv *c, bool v6, bool quoted,
		  bool reply, uint16_t id, uint16_t seq, uint32_t off)
{
	uint64_t req;
	double ms;

	if (quoted || c->partial || !dx_echo_pair(p, c, reply, id, seq, &req, &ms))
		return;
	dx_field(p, v6 ? "icmpv6.resp_to" : "icmp.resp_to", off, 0, "%" PRIu64, req);
	if (ms >= 0)
		dx_field(p, v6 ? "icmpv6.resptime" : "icmp.resptime", off, 0, "%.15g", ms);
	dx_append_info(p, " (request in %" PRIu64 ")", req);
}
