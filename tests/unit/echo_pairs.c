// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The echo pairing store (dissect/echo_pairs.h) on its own: which reply finds
 * which request. The ICMP and ICMPv6 fields it feeds are compared with tshark's
 * on real pings by the golden tests (icmp.pcap, frag.pcap, any.pcap).
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/defrag.h"
#include "dissect/echo_pairs.h"
#include "dissect/stream.h"
#include "lib/runner.h"

struct echo_run {
	struct dx_streams *s;
	struct dx_packet *p;
	struct dx_conv a_to_b, b_to_a;
};

static void run_init(struct echo_run *r)
{
	memset(r, 0, sizeof(*r));
	r->s = dx_streams_new();
	r->p = calloc(1, sizeof(*r->p));
	r->a_to_b.family = r->b_to_a.family = 4;
	memcpy(r->a_to_b.src, "\x0a\x00\x00\x01", 4);
	memcpy(r->a_to_b.dst, "\x0a\x00\x00\x02", 4);
	memcpy(r->b_to_a.src, "\x0a\x00\x00\x02", 4);
	memcpy(r->b_to_a.dst, "\x0a\x00\x00\x01", 4);
}

static void run_free(struct echo_run *r)
{
	dx_streams_free(r->s);
	free(r->p);
}

/* The next frame at ts_ns: an echo request (reply false) or reply; its pairing. */
static bool frame(struct echo_run *r, uint64_t ts_ns, const struct dx_conv *c, bool reply,
		  uint16_t id, uint16_t seq, uint64_t *req, double *ms)
{
	r->p->streams = r->s;
	r->p->ts_ns = ts_ns;
	dx_defrag_next_frame(r->p);
	return dx_echo_pair(r->p, c, reply, id, seq, req, ms);
}

TEST(echo_reply_finds_its_request_and_the_time)
{
	struct echo_run r;
	uint64_t req = 0;
	double ms = 0;

	run_init(&r);
	CHECK(!frame(&r, 1000000000, &r.a_to_b, false, 7, 1, &req, &ms));	/* #1 */
	CHECK(!frame(&r, 1000100000, &r.a_to_b, false, 7, 2, &req, &ms));	/* #2 */
	CHECK(frame(&r, 1000250000, &r.b_to_a, true, 7, 1, &req, &ms));		/* #3 */
	CHECK_INT(req, 1);
	CHECK(ms > 0.2499 && ms < 0.2501);
	CHECK(frame(&r, 1000300000, &r.b_to_a, true, 7, 2, &req, &ms));		/* #4 */
	CHECK_INT(req, 2);
	/* a duplicate reply still names the request */
	CHECK(frame(&r, 1000400000, &r.b_to_a, true, 7, 2, &req, &ms));
	CHECK_INT(req, 2);
	run_free(&r);
}

TEST(echo_reply_must_match_direction_id_and_sequence)
{
	struct echo_run r;
	uint64_t req = 0;
	double ms = 0;

	run_init(&r);
	CHECK(!frame(&r, 0, &r.b_to_a, true, 7, 1, &req, &ms));	/* no request yet */
	CHECK(!frame(&r, 0, &r.a_to_b, false, 7, 1, &req, &ms));
	CHECK(!frame(&r, 0, &r.a_to_b, true, 7, 1, &req, &ms));	/* same way as the request */
	CHECK(!frame(&r, 0, &r.b_to_a, true, 8, 1, &req, &ms));	/* another identifier */
	CHECK(!frame(&r, 0, &r.b_to_a, true, 7, 2, &req, &ms));	/* another sequence */
	/* without capture times the pair is known, the time is not */
	CHECK(frame(&r, 0, &r.b_to_a, true, 7, 1, &req, &ms));
	CHECK_INT(req, 2);
	CHECK(ms < 0);
	run_free(&r);
}

TEST(echo_newer_request_takes_the_key_and_stateless_pairs_nothing)
{
	struct echo_run r;
	uint64_t req = 0;
	double ms = 0;

	run_init(&r);
	CHECK(!frame(&r, 1, &r.a_to_b, false, 9, 5, &req, &ms));
	CHECK(!frame(&r, 2, &r.a_to_b, false, 9, 5, &req, &ms));	/* sent again */
	CHECK(frame(&r, 3, &r.b_to_a, true, 9, 5, &req, &ms));
	CHECK_INT(req, 2);
	/* a packet dissected without the store (a stored packet's detail) */
	r.p->streams = NULL;
	CHECK(!dx_echo_pair(r.p, &r.b_to_a, true, 9, 5, &req, &ms));
	run_free(&r);
}

TEST(echo_table_is_bounded)
{
	struct echo_run r;
	uint64_t req = 0, paired = 0;
	double ms = 0;

	run_init(&r);
	/* far more requests than slots: memory stays at the table, recent ones pair */
	for (uint32_t i = 0; i < 4 * DX_ECHO_SLOTS; i++)
		frame(&r, 1, &r.a_to_b, false, (uint16_t)(i >> 16), (uint16_t)i, &req, &ms);
	for (uint32_t i = 3 * DX_ECHO_SLOTS; i < 4 * DX_ECHO_SLOTS; i++)
		paired += frame(&r, 2, &r.b_to_a, true, (uint16_t)(i >> 16), (uint16_t)i, &req, &ms);
	/* hash collisions among the last batch lose some, most are there */
	CHECK(paired > DX_ECHO_SLOTS / 2);
	CHECK(paired < DX_ECHO_SLOTS);
	run_free(&r);
}
