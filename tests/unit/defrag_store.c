// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IP fragment reassembly (user/dissect/defrag.c): the store on its own (order,
 * duplicates, overlaps, the length fixed by the last fragment, ageing, the
 * memory and count bounds, everything given up counted), then through the
 * dissector: a 3000-byte ping in three IPv4 fragments, last one first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dissect/defrag.h"
#include "dissect/stream.h"
#include "lib/runner.h"

#define SEC 1000000000ull

static struct dx_frag_key key4(uint16_t id)
{
	struct dx_frag_key k = { .family = 4, .proto = 17, .id = id };

	k.src[0] = 10, k.src[3] = 1;
	k.dst[0] = 10, k.dst[3] = 2;
	return k;
}

/* n bytes of the datagram pattern from offset off (byte i is i % 251). */
static const uint8_t *pattern(uint32_t off)
{
	static uint8_t buf[70000];

	for (uint32_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i % 251);
	return buf + off;
}

static bool is_pattern(const uint8_t *data, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (data[i] != (uint8_t)(i % 251))
			return false;
	return true;
}

static enum dx_frag_result add(struct dx_defrag *d, uint16_t id, uint64_t frame,
			       uint32_t off, uint32_t len, bool more,
			       struct dx_frag_whole *w)
{
	struct dx_frag_key k = key4(id);

	return dx_defrag_add(d, &k, frame, frame * SEC / 10, off, pattern(off), len, more, w);
}

TEST(defrag_out_of_order)
{
	struct dx_defrag *d = dx_defrag_new();
	struct dx_defrag_stats st;
	struct dx_frag_whole w;

	CHECK(d != NULL);
	CHECK_INT(add(d, 1, 1, 2960, 48, false, &w), DX_FRAG_HELD);
	CHECK_INT(add(d, 1, 2, 1480, 1480, true, &w), DX_FRAG_HELD);
	CHECK_INT(add(d, 1, 3, 0, 1480, true, &w), DX_FRAG_COMPLETE);
	CHECK_INT(w.len, 3008);
	CHECK(is_pattern(w.data, w.len));
	/* listed by offset, as Wireshark: #3(1480), #2(1480), #1(48) */
	CHECK_INT(w.n_frags, 3);
	CHECK_INT(w.frags[0].frame, 3);
	CHECK_INT(w.frags[1].frame, 2);
	CHECK_INT(w.frags[2].frame, 1);
	CHECK_INT(w.frags[2].len, 48);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.reassembled, 1);
	CHECK_INT(st.datagrams, 0);
	CHECK_INT(st.bytes, 0);
	CHECK_INT(st.fragments, 3);
	/* a copy of the last fragment after completion starts a new datagram */
	CHECK_INT(add(d, 1, 4, 2960, 48, false, &w), DX_FRAG_HELD);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.datagrams, 1);
	dx_defrag_free(d);
}

TEST(defrag_first_copy_wins)
{
	struct dx_defrag *d = dx_defrag_new();
	struct dx_frag_key k = key4(7);
	struct dx_frag_whole w;
	uint8_t a[16], b[16], z[16], c[8];

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(z, 'z', sizeof(z));
	memset(c, 'c', sizeof(c));
	CHECK_INT(dx_defrag_add(d, &k, 1, 0, 0, a, 16, true, &w), DX_FRAG_HELD);
	/* a duplicate with other bytes, and an overlap: only new bytes count */
	CHECK_INT(dx_defrag_add(d, &k, 2, 0, 0, z, 16, true, &w), DX_FRAG_HELD);
	CHECK_INT(dx_defrag_add(d, &k, 3, 0, 8, b, 16, true, &w), DX_FRAG_HELD);
	CHECK_INT(dx_defrag_add(d, &k, 4, 0, 24, c, 8, false, &w), DX_FRAG_COMPLETE);
	CHECK_INT(w.len, 32);
	CHECK(!memcmp(w.data, "aaaaaaaaaaaaaaaabbbbbbbbcccccccc", 32));
	CHECK_INT(w.n_frags, 4);
	CHECK_INT(w.frags[0].frame, 1);
	CHECK_INT(w.frags[1].frame, 2);	/* equal offsets: in arrival order */
	CHECK_INT(w.frags[2].frame, 3);
	dx_defrag_free(d);
}

TEST(defrag_first_last_fragment_fixes_the_length)
{
	struct dx_defrag *d = dx_defrag_new();
	struct dx_frag_whole w;

	CHECK_INT(add(d, 2, 1, 16, 8, false, &w), DX_FRAG_HELD);
	/* another "last" fragment, further on: its bytes are kept, the end is not */
	CHECK_INT(add(d, 2, 2, 24, 16, false, &w), DX_FRAG_HELD);
	CHECK_INT(add(d, 2, 3, 0, 16, true, &w), DX_FRAG_COMPLETE);
	CHECK_INT(w.len, 24);
	CHECK(is_pattern(w.data, w.len));
	dx_defrag_free(d);
}

TEST(defrag_keys_apart)
{
	struct dx_defrag *d = dx_defrag_new();
	struct dx_frag_key k = key4(9), other = key4(9);
	struct dx_frag_whole w;

	/* RFC 791: the protocol is part of the key; RFC 8200: another family */
	other.proto = 1;
	CHECK_INT(dx_defrag_add(d, &k, 1, 0, 0, pattern(0), 8, true, &w), DX_FRAG_HELD);
	CHECK_INT(dx_defrag_add(d, &other, 2, 0, 8, pattern(8), 8, false, &w), DX_FRAG_HELD);
	other = key4(9);
	other.family = 6;
	CHECK_INT(dx_defrag_add(d, &other, 3, 0, 8, pattern(8), 8, false, &w), DX_FRAG_HELD);
	CHECK_INT(dx_defrag_add(d, &k, 4, 0, 8, pattern(8), 8, false, &w), DX_FRAG_COMPLETE);
	dx_defrag_free(d);
}

TEST(defrag_missing_fragment_ages_out)
{
	struct dx_defrag *d = dx_defrag_new_limits(0, 0, 30 * SEC);
	struct dx_frag_key k = key4(3), other = key4(4);
	struct dx_defrag_stats st;
	struct dx_frag_whole w;

	CHECK_INT(dx_defrag_add(d, &k, 1, 100 * SEC, 0, pattern(0), 8, true, &w), DX_FRAG_HELD);
	/* 29 s later the datagram still waits */
	CHECK_INT(dx_defrag_add(d, &other, 2, 129 * SEC, 0, pattern(0), 8, true, &w),
		  DX_FRAG_HELD);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.datagrams, 2);
	CHECK_INT(st.timed_out, 0);
	/* 31 s after it was last touched: given up, counted */
	CHECK_INT(dx_defrag_add(d, &other, 3, 131 * SEC, 8, pattern(8), 8, true, &w),
		  DX_FRAG_HELD);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.timed_out, 1);
	CHECK_INT(st.datagrams, 1);
	/* its missing fragment, late: a new datagram, not a completion */
	CHECK_INT(dx_defrag_add(d, &k, 4, 132 * SEC, 8, pattern(8), 8, false, &w), DX_FRAG_HELD);
	/* a datagram touched often but first seen more than 30 s ago is given up too */
	for (uint64_t t = 140; t <= 170; t += 10)
		CHECK_INT(dx_defrag_add(d, &other, 5, t * SEC, 16, pattern(16), 8, true, &w),
			  DX_FRAG_HELD);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.timed_out, 3);
	dx_defrag_free(d);
}

TEST(defrag_memory_is_bounded)
{
	struct dx_defrag *d = dx_defrag_new_limits(64 * 1024, 0, 0);
	struct dx_defrag_stats st;
	struct dx_frag_whole w;

	CHECK(d != NULL);
	/* 100 datagrams each hold a 1480-byte first fragment: at most 64 KiB stay */
	for (uint16_t id = 0; id < 100; id++) {
		CHECK_INT(add(d, id, id + 1u, 0, 1480, true, &w), DX_FRAG_HELD);
		dx_defrag_stats(d, &st);
		CHECK(st.bytes <= 64 * 1024);
	}
	CHECK(st.evicted >= 50);
	CHECK_INT(st.datagrams + st.evicted, 100);
	/* the most recent ones are still there and complete */
	CHECK_INT(add(d, 99, 200, 1480, 8, false, &w), DX_FRAG_COMPLETE);
	CHECK(is_pattern(w.data, w.len));
	/* the oldest was evicted: its last fragment alone does not complete it */
	CHECK_INT(add(d, 0, 201, 1480, 8, false, &w), DX_FRAG_HELD);
	dx_defrag_free(d);
}

TEST(defrag_datagram_count_is_bounded)
{
	struct dx_defrag *d = dx_defrag_new_limits(0, 8, 0);
	struct dx_defrag_stats st;
	struct dx_frag_whole w;

	for (uint16_t id = 0; id < 20; id++)
		CHECK_INT(add(d, id, id + 1u, 0, 8, true, &w), DX_FRAG_HELD);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.datagrams, 8);
	CHECK_INT(st.evicted, 12);
	dx_defrag_free(d);
}

TEST(defrag_too_long_or_too_many_given_up)
{
	struct dx_defrag *d = dx_defrag_new();
	struct dx_defrag_stats st;
	struct dx_frag_whole w;

	/* past 65535 bytes: no IP datagram is that long */
	CHECK_INT(add(d, 5, 1, 0, 8, true, &w), DX_FRAG_HELD);
	CHECK_INT(add(d, 5, 2, 65528, 16, false, &w), DX_FRAG_REFUSED);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.given_up, 1);
	CHECK_INT(st.datagrams, 0);
	CHECK_INT(st.bytes, 0);
	/* more fragments than DX_DEFRAG_MAX_FRAGS */
	for (uint32_t i = 0; i < DX_DEFRAG_MAX_FRAGS; i++)
		CHECK_INT(add(d, 6, i + 10, i * 8, 8, true, &w), DX_FRAG_HELD);
	CHECK_INT(add(d, 6, DX_DEFRAG_MAX_FRAGS + 10, DX_DEFRAG_MAX_FRAGS * 8, 8, false, &w),
		  DX_FRAG_REFUSED);
	dx_defrag_stats(d, &st);
	CHECK_INT(st.given_up, 2);
	CHECK_INT(st.datagrams, 0);
	/* an empty fragment is not kept */
	CHECK_INT(add(d, 7, DX_DEFRAG_MAX_FRAGS + 11, 0, 0, true, &w), DX_FRAG_REFUSED);
	dx_defrag_free(d);
}

/* Ethernet + IPv4 fragment of a 3000-byte ICMP echo request (3008 bytes of ICMP). */
static uint32_t icmp_fragment(uint8_t *f, uint32_t off, uint32_t len, bool more)
{
	static uint8_t icmp[3008];
	uint32_t sum = 0;

	memset(f, 0, 14 + 20);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)((20 + len) >> 8);
	f[17] = (uint8_t)(20 + len);
	f[18] = 0x12, f[19] = 0x34;
	f[20] = (uint8_t)((more ? 0x20 : 0) | (off / 8) >> 8);
	f[21] = (uint8_t)(off / 8);
	f[22] = 64, f[23] = 1;
	f[26] = 10, f[29] = 1, f[30] = 10, f[33] = 2;
	for (uint32_t i = 8; i < sizeof(icmp); i++)
		icmp[i] = (uint8_t)i;
	icmp[0] = 8, icmp[1] = 0, icmp[2] = icmp[3] = 0;
	icmp[4] = 0x15, icmp[5] = 0x6a, icmp[6] = 0, icmp[7] = 1;
	for (uint32_t i = 0; i < sizeof(icmp); i += 2)
		sum += (uint32_t)icmp[i] << 8 | icmp[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	icmp[2] = (uint8_t)(~sum >> 8), icmp[3] = (uint8_t)~sum;
	memcpy(f + 34, icmp + off, len);
	return 34 + len;
}

static struct dx_packet *dissect(struct dx_streams *s, const uint8_t *f, uint32_t len,
				 uint32_t caplen)
{
	struct dx_packet *p = calloc(1, sizeof(*p));

	dx_set_capture(p, DX_DIR_UNKNOWN, 0, s);
	dx_init(p, f, caplen, len, DX_LINK_ETHERNET);
	dx_dissect(p);
	return p;
}

static const char *list_of(const struct dx_packet *p, const char *name, char *out, size_t n)
{
	size_t used = 0;

	out[0] = 0;
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].name && !strcmp(p->nodes[i].name, name))
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "",
						 dx_value(p, &p->nodes[i]));
	return out;
}

TEST(defrag_dissects_the_whole_datagram)
{
	static uint8_t f1[1514], f2[1514], f3[82];
	struct dx_streams *s = dx_streams_new();
	struct dx_defrag_stats st;
	struct dx_packet *p;
	const struct dx_node *n;
	uint32_t l1, l2, l3;
	char buf[128];

	l1 = icmp_fragment(f1, 0, 1480, true);
	l2 = icmp_fragment(f2, 1480, 1480, true);
	l3 = icmp_fragment(f3, 2960, 48, false);
	/* the last fragment first, then one cut by the snap length (not kept) */
	p = dissect(s, f3, l3, l3);
	CHECK_STR(p->info, "Fragmented IP protocol (proto=ICMP 1, off=2960, ID=1234)");
	CHECK(!dx_find(p, "icmp.type"));
	free(p);
	p = dissect(s, f1, l1, 100);
	CHECK(dx_find(p, "icmp.type") != NULL);	/* not kept: shown as it goes */
	free(p);
	dx_defrag_stats(dx_streams_defrag(s), &st);
	CHECK_INT(st.uncaptured, 1);
	p = dissect(s, f1, l1, l1);
	CHECK_STR(p->info, "Fragmented IP protocol (proto=ICMP 1, off=0, ID=1234)");
	CHECK_STR(p->protocol, "IPv4");
	CHECK(!dx_find(p, "icmp.type"));
	free(p);
	p = dissect(s, f2, l2, l2);
	CHECK_STR(p->protocol, "ICMP");
	CHECK(!strncmp(p->info, "Echo (ping) request", 19));
	CHECK_STR(list_of(p, "ip.fragment", buf, sizeof(buf)), "3,4,1");
	CHECK_STR(dx_value(p, dx_find(p, "ip.fragment.count")), "3");
	CHECK_STR(dx_value(p, dx_find(p, "ip.reassembled.length")), "3008");
	CHECK(p->flags & DX_F_REASSEMBLED);
	CHECK(!(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED)));
	CHECK_STR(dx_value(p, dx_find(p, "icmp.checksum.status")), "1");
	/* the ICMP header is wholly in an earlier frame: length 0 at the payload */
	n = dx_find(p, "icmp.type");
	CHECK(n != NULL);
	CHECK_INT(n->off, 34);
	CHECK_INT(n->len, 0);
	/* every node lies within this frame */
	for (uint32_t i = 0; i < p->n_nodes; i++)
		CHECK(p->nodes[i].off + p->nodes[i].len <= l2);
	/* the data spans all three: this frame's part of it */
	n = dx_find(p, "data.data");
	CHECK(n != NULL);
	CHECK_INT(n->off, 34);
	CHECK_INT(n->len, 1480);
	free(p);
	/* a stateless pass over the completing frame: the fragment alone */
	p = dissect(NULL, f2, l2, l2);
	CHECK_STR(p->info, "Fragmented IP protocol (proto=ICMP 1, off=1480, ID=1234)");
	CHECK(!dx_find(p, "ip.fragment"));
	free(p);
	dx_streams_free(s);
}
