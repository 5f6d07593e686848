// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The packet store (see packet_store.h): a growable circular array of pointers
 * to one allocation per packet. Numbers are consecutive, so finding a packet is
 * an index computation; the oldest packets go first when the byte cap is hit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "packet_store.h"

struct packet_store {
	struct store_packet **slots;
	size_t n_slots;		/* a power of two, or 0 */
	size_t head;		/* slot of the oldest packet */
	size_t count;
	uint64_t next_no;
	size_t bytes;
	size_t cap_bytes;
	uint64_t evicted;
};

static size_t packet_size(const struct store_packet *p)
{
	return sizeof(*p) + p->caplen + strlen(p->info) + 1;
}

struct packet_store *store_new(size_t cap_bytes)
{
	struct packet_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cap_bytes = cap_bytes;
	s->next_no = 1;
	return s;
}

static void drop_oldest(struct packet_store *s)
{
	struct store_packet *p = s->slots[s->head];

	s->bytes -= packet_size(p);
	free(p);
	s->slots[s->head] = NULL;
	s->head = (s->head + 1) & (s->n_slots - 1);
	s->count--;
}

void store_clear(struct packet_store *s)
{
	while (s->count)
		drop_oldest(s);
}

void store_free(struct packet_store *s)
{
	if (!s)
		return;
	store_clear(s);
	free(s->slots);
	free(s);
}

/* Double the slot array, unrolling the ring so the oldest packet is at 0. */
static int grow(struct packet_store *s)
{
	size_t n = s->n_slots ? s->n_slots * 2 : 1024;
	struct store_packet **slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->count; i++)
		slots[i] = s->slots[(s->head + i) & (s->n_slots - 1)];
	free(s->slots);
	s->slots = slots;
	s->n_slots = n;
	s->head = 0;
	return 0;
}

const struct store_packet *store_add(struct packet_store *s, const struct store_packet *pkt,
				     const uint8_t *data, const char *info)
{
	size_t info_len = info ? strlen(info) : 0;
	size_t size = sizeof(*pkt) + pkt->caplen + info_len + 1;
	struct store_packet *p;
	char *text;

	if (size > s->cap_bytes) {
		/*
		 * It could never fit: it takes a number and is counted as evicted. The
		 * store empties too, as held numbers must stay consecutive.
		 */
		s->evicted += s->count + 1;
		store_clear(s);
		s->next_no++;
		return NULL;
	}
	while (s->count && s->bytes + size > s->cap_bytes) {
		drop_oldest(s);
		s->evicted++;
	}
	if (s->count == s->n_slots && grow(s))
		return NULL;
	p = malloc(size);
	if (!p)
		return NULL;
	*p = *pkt;
	memcpy(p->data, data, pkt->caplen);
	text = (char *)p->data + pkt->caplen;
	memcpy(text, info ? info : "", info_len + 1);
	p->info = text;
	p->no = s->next_no++;
	s->slots[(s->head + s->count) & (s->n_slots - 1)] = p;
	s->count++;
	s->bytes += size;
	return p;
}

const struct store_packet *store_get(const struct packet_store *s, uint64_t no)
{
	uint64_t first = store_first_no(s);

	if (no < first || no >= s->next_no)
		return NULL;
	return s->slots[(s->head + (size_t)(no - first)) & (s->n_slots - 1)];
}

uint64_t store_first_no(const struct packet_store *s)
{
	return s->next_no - s->count;
}

uint64_t store_last_no(const struct packet_store *s)
{
	return s->next_no - 1;
}

uint64_t store_count(const struct packet_store *s)
{
	return s->count;
}

size_t store_bytes(const struct packet_store *s)
{
	return s->bytes;
}

size_t store_cap_bytes(const struct packet_store *s)
{
	return s->cap_bytes;
}

uint64_t store_evicted(const struct packet_store *s)
{
	return s->evicted;
}
