// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Requests and their replies (pairs.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "defrag.h"
#include "pairs.h"
#include "stream.h"
#include "util/hash.h"

struct pair_key {
	uint8_t kind, family;
	uint16_t id, seq;
	uint16_t from_port, to_port;	/* the request's source and destination */
	uint8_t from[16], to[16];
};

struct pair_slot {
	struct pair_key key;
	bool used;
	uint64_t frame;
	uint64_t ts_ns;
};

struct dx_pairs {
	struct pair_slot *slots;	/* DX_PAIR_SLOTS, allocated on first use */
};

struct dx_pairs *dx_pairs_new(void)
{
	return calloc(1, sizeof(struct dx_pairs));
}

void dx_pairs_free(struct dx_pairs *e)
{
	if (!e)
		return;
	free(e->slots);
	free(e);
}


bool dx_pair(struct dx_packet *p, const struct dx_conv *c, enum dx_pair_kind kind,
	     bool reply, uint16_t id, uint16_t seq, uint64_t *req_frame, int64_t *dt_ns)
{
	struct dx_pairs *e;
	struct pair_slot *slot;
	struct pair_key k;
	uint64_t frame;

	if (!p->streams)
		return false;
	e = dx_streams_pairs(p->streams);
	frame = dx_defrag_frame(dx_streams_defrag(p->streams));
	memset(&k, 0, sizeof(k));
	k.kind = (uint8_t)kind;
	k.family = c->family;
	k.id = id;
	k.seq = seq;
	/* a reply goes the other way: key it as its request */
	memcpy(k.from, reply ? c->dst : c->src, sizeof(k.from));
	memcpy(k.to, reply ? c->src : c->dst, sizeof(k.to));
	k.from_port = reply ? c->dport : c->sport;
	k.to_port = reply ? c->sport : c->dport;
	if (!e->slots) {
		if (reply)
			return false;
		e->slots = calloc(DX_PAIR_SLOTS, sizeof(*e->slots));
		if (!e->slots)
			return false;
	}
	slot = &e->slots[fnv1a(&k, sizeof(k)) & (DX_PAIR_SLOTS - 1)];
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
	*dt_ns = p->ts_ns && slot->ts_ns ? (int64_t)(p->ts_ns - slot->ts_ns) : DX_PAIR_NO_TIME;
	return true;
}

void dx_echo_show(struct dx_packet *p, const struct dx_conv *c, bool v6, bool quoted,
		  bool reply, uint16_t id, uint16_t seq, uint32_t off)
{
	uint64_t req;
	int64_t dt;

	if (quoted || c->partial || !dx_pair(p, c, DX_PAIR_ICMP_ECHO, reply, id, seq, &req, &dt))
		return;
	dx_field(p, v6 ? "icmpv6.resp_to" : "icmp.resp_to", off, 0, "%" PRIu64, req);
	if (dt != DX_PAIR_NO_TIME)
		dx_field(p, v6 ? "icmpv6.resptime" : "icmp.resptime", off, 0, "%.15g",
			 (double)dt / 1e6);
	dx_append_info(p, " (request in %" PRIu64 ")", req);
}
