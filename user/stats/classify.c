// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * nDPI per flow, bounded: a fixed table of flow slots keyed by the event's
 * flow_hash; a colliding flow takes the slot over. Each flow gets at most
 * CLASSIFY_MAX_PACKETS packets of nDPI, then nDPI gives up (and guesses).
 * When nDPI knows nothing, the dissector's protocol column names the flow,
 * if it is more than the transport.
 */
#include <stdlib.h>
#include <string.h>

#include <ndpi/ndpi_api.h>

#include "app.h"
#include "classify.h"
#include "dissect/dissect.h"

#define CLASSIFY_SLOTS 1024
#define CLASSIFY_MAX_PACKETS 24
#define NAME_POOL 128

struct slot {
	uint32_t hash;
	struct ndpi_flow_struct *flow;
	uint16_t packets;
	bool done;
};

struct classifier {
	struct ndpi_detection_module_struct *ndpi;
	struct slot slots[CLASSIFY_SLOTS];
};

/* The dissector's names are copied here once: app_note keeps pointers. */
static char name_pool[NAME_POOL][24];
static int n_names;

static const char *intern(const char *name)
{
	for (int i = 0; i < n_names; i++)
		if (!strcmp(name_pool[i], name))
			return name_pool[i];
	if (n_names == NAME_POOL || strlen(name) >= sizeof(name_pool[0]))
		return NULL;
	strcpy(name_pool[n_names], name);
	return name_pool[n_names++];
}

struct classifier *classifier_new(void)
{
	struct classifier *c = calloc(1, sizeof(*c));
	NDPI_PROTOCOL_BITMASK all;

	if (!c)
		return NULL;
	c->ndpi = ndpi_init_detection_module(ndpi_no_prefs);
	if (!c->ndpi) {
		free(c);
		return NULL;
	}
	NDPI_BITMASK_SET_ALL(all);
	ndpi_set_protocol_detection_bitmask2(c->ndpi, &all);
	ndpi_finalize_initialization(c->ndpi);
	return c;
}

static void slot_clear(struct slot *s)
{
	if (s->flow)
		ndpi_free_flow(s->flow);
	memset(s, 0, sizeof(*s));
}

void classifier_free(struct classifier *c)
{
	if (!c)
		return;
	for (int i = 0; i < CLASSIFY_SLOTS; i++)
		slot_clear(&c->slots[i]);
	ndpi_exit_detection_module(c->ndpi);
	free(c);
}

/* Offset of the IP header in an Ethernet frame (VLAN tags skipped), or -1. */
static int ip_offset(const uint8_t *frame, uint32_t len)
{
	uint32_t off = 12;

	for (int tags = 0; tags < 2 && off + 2 <= len; tags++) {
		uint16_t type = (uint16_t)(frame[off] << 8 | frame[off + 1]);

		if (type == 0x0800 || type == 0x86dd)
			return (int)off + 2;
		if (type != 0x8100 && type != 0x88a8)
			return -1;
		off += 4;
	}
	return -1;
}

static bool known(ndpi_protocol p)
{
	return p.app_protocol != NDPI_PROTOCOL_UNKNOWN || p.master_protocol != NDPI_PROTOCOL_UNKNOWN;
}

static void note_ndpi(struct classifier *c, uint32_t hash, ndpi_protocol p)
{
	uint16_t id = p.app_protocol != NDPI_PROTOCOL_UNKNOWN ? p.app_protocol : p.master_protocol;

	/* nDPI's names live as long as its module, which lives as long as we do */
	app_note(hash, ndpi_get_proto_name(c->ndpi, id), ndpi_is_encrypted_proto(c->ndpi, p));
}

static void note_dissector(uint32_t hash, const struct dx_packet *dx)
{
	const char *name;

	if (!dx || !dx->protocol || !strcmp(dx->protocol, "TCP") || !strcmp(dx->protocol, "UDP"))
		return;
	name = intern(dx->protocol);
	if (name)
		app_note(hash, name, dx->flags & DX_F_ENCRYPTED);
}

void classifier_packet(struct classifier *c, const struct gt_event *ev, const uint8_t *frame,
		       const struct dx_packet *dx)
{
	struct slot *s;
	ndpi_protocol p;
	int off;

	if (!ev->flow_hash)
		return;
	if (!c) {
		note_dissector(ev->flow_hash, dx);
		return;
	}
	s = &c->slots[ev->flow_hash % CLASSIFY_SLOTS];
	if (s->hash != ev->flow_hash) {
		slot_clear(s);
		s->hash = ev->flow_hash;
	}
	if (s->done)
		return;
	off = ip_offset(frame, ev->cap_len);
	if (off < 0)
		return;
	if (!s->flow) {
		s->flow = ndpi_flow_malloc(SIZEOF_FLOW_STRUCT);
		if (!s->flow)
			return;
		memset(s->flow, 0, SIZEOF_FLOW_STRUCT);
	}
	p = ndpi_detection_process_packet(c->ndpi, s->flow, frame + off,
					  (unsigned short)(ev->cap_len - (uint32_t)off),
					  ev->ts_ns / 1000000u);
	s->packets++;
	if (known(p) && !ndpi_extra_dissection_possible(c->ndpi, s->flow)) {
		note_ndpi(c, ev->flow_hash, p);
		s->done = true;
	} else if (s->packets >= CLASSIFY_MAX_PACKETS) {
		uint8_t guessed = 0;

		p = ndpi_detection_giveup(c->ndpi, s->flow, 1, &guessed);
		if (known(p))
			note_ndpi(c, ev->flow_hash, p);
		else
			note_dissector(ev->flow_hash, dx);
		s->done = true;
	} else if (known(p)) {
		note_ndpi(c, ev->flow_hash, p);	/* good already; more may refine it */
	} else {
		note_dissector(ev->flow_hash, dx);
	}
	if (s->done) {
		ndpi_free_flow(s->flow);
		s->flow = NULL;
	}
}

void classify_captured(const struct gt_event *ev, const uint8_t *frame,
		       const struct dx_packet *dx)
{
	static struct classifier *shared;
	static bool tried;

	if (!tried) {
		shared = classifier_new();	/* NULL: the dissector alone names flows */
		tried = true;
	}
	classifier_packet(shared, ev, frame, dx);
}
