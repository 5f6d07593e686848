// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The packet store: numbering, lookups, the byte cap and evictions. */
#include <stdio.h>

#include "lib/runner.h"
#include "store/packet_store.h"

static const struct store_packet *add_sized(struct packet_store *s, uint32_t caplen,
					    const char *info)
{
	static uint8_t bytes[4096];
	struct store_packet pkt = { .caplen = caplen, .wirelen = caplen, .sport = 53 };

	for (uint32_t i = 0; i < caplen; i++)
		bytes[i] = (uint8_t)i;
	snprintf(pkt.proto, sizeof(pkt.proto), "DNS");
	return store_add(s, &pkt, bytes, info);
}

TEST(store_numbers_and_lookups)
{
	struct packet_store *s = store_new(1 << 20);
	const struct store_packet *p;

	CHECK(s);
	CHECK_INT(store_count(s), 0);
	CHECK(store_last_no(s) < store_first_no(s));
	CHECK(store_get(s, 0) == NULL);
	CHECK(store_get(s, 1) == NULL);
	for (int i = 0; i < 3000; i++)	/* past the first slot array: it grows */
		CHECK(add_sized(s, 60, "query"));
	CHECK_INT(store_first_no(s), 1);
	CHECK_INT(store_last_no(s), 3000);
	p = store_get(s, 2500);
	CHECK(p);
	CHECK_INT(p->no, 2500);
	CHECK_INT(p->caplen, 60);
	CHECK_INT(p->data[59], 59);
	CHECK_STR(p->info, "query");
	CHECK_STR(p->proto, "DNS");
	CHECK(store_get(s, 3001) == NULL);
	CHECK_INT(store_evicted(s), 0);
	store_free(s);
}

TEST(store_cap_evicts_oldest_and_counts)
{
	size_t one = sizeof(struct store_packet) + 100 + 1;
	struct packet_store *s = store_new(10 * one);

	for (int i = 0; i < 25; i++)
		CHECK(add_sized(s, 100, ""));
	CHECK_INT(store_count(s), 10);
	CHECK_INT(store_first_no(s), 16);
	CHECK_INT(store_last_no(s), 25);
	CHECK_INT(store_evicted(s), 15);
	CHECK(store_bytes(s) <= store_cap_bytes(s));
	CHECK(store_get(s, 15) == NULL);
	CHECK_INT(store_get(s, 16)->no, 16);
	/* a bigger packet pushes out as many as it needs */
	size_t big = sizeof(struct store_packet) + 350 + 1;
	size_t pushed_out = (big + one - 1) / one;

	CHECK(add_sized(s, 350, ""));
	CHECK_INT(store_count(s), 10 - pushed_out + 1);
	CHECK_INT(store_evicted(s), 15 + pushed_out);
	CHECK(store_bytes(s) <= store_cap_bytes(s));
	store_free(s);
}

TEST(store_oversized_packet_is_counted_not_stored)
{
	struct packet_store *s = store_new(sizeof(struct store_packet) + 64);

	CHECK(add_sized(s, 32, "a"));
	CHECK(add_sized(s, 4000, "too big") == NULL);
	CHECK_INT(store_evicted(s), 2);	/* it and the one before: numbers stay consecutive */
	CHECK_INT(store_last_no(s), 2);	/* the number is used: clients see the gap */
	CHECK_INT(store_count(s), 0);
	CHECK(store_get(s, 1) == NULL);
	CHECK(add_sized(s, 32, "b"));
	CHECK_INT(store_last_no(s), 3);
	CHECK_INT(store_first_no(s), 3);
	store_free(s);
}

TEST(store_clear_keeps_numbering)
{
	struct packet_store *s = store_new(1 << 20);

	for (int i = 0; i < 5; i++)
		add_sized(s, 10, "x");
	store_clear(s);
	CHECK_INT(store_count(s), 0);
	CHECK_INT(store_bytes(s), 0);
	CHECK_INT(store_evicted(s), 0);
	CHECK(store_get(s, 5) == NULL);
	CHECK(add_sized(s, 10, "y"));
	CHECK_INT(store_first_no(s), 6);
	CHECK_INT(store_get(s, 6)->no, 6);
	store_free(s);
}
