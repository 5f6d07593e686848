// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The request/reply store (dissect/pairs.h) on its own: which reply finds which
 * request. The ICMP, ICMPv6 and DNS fields it feeds are compared with tshark's
 * on real traffic by the golden tests (icmp.pcap, frag.pcap, any.pcap, dns.pcap).
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/defrag.h"
#include "dissect/pairs.h"
#include "dissect/stream.h"
#include "lib/runner.h"

struct pair_run {
	struct dx_streams *s;
	struct dx_packet *p;
	struct dx_conv a_to_b, b_to_a;
};

static void run_init(struct pair_run *r)
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

static void run_free(struct pair_run *r)
{
	dx_streams_free(r->s);
	free(r->p);
}

/* The next frame at ts_ns: an echo request (reply false) or reply; its pairing. */
static bool frame(struct pair_run *r, uint64_t ts_ns, const struct dx_conv *c, bool reply,
		  uint16_t id, uint16_t seq, uint64_t *req, int64_t *dt)
{
	r->p->streams = r->s;
	r->p->ts_ns = ts_ns;
	dx_defrag_next_frame(r->p);
	return dx_pair(r->p, c, DX_PAIR_ICMP_ECHO, reply, id, seq, req, dt);
}

TEST(pairs_echo_reply_finds_its_request_and_the_time)
{
	struct pair_run r;
	uint64_t req = 0;
	int64_t dt = 0;

	run_init(&r);
	CHECK(!frame(&r, 1000000000, &r.a_to_b, false, 7, 1, &req, &dt));	/* #1 */
	CHECK(!frame(&r, 1000100000, &r.a_to_b, false, 7, 2, &req, &dt));	/* #2 */
	CHECK(frame(&r, 1000250000, &r.b_to_a, true, 7, 1, &req, &dt));		/* #3 */
	CHECK_INT(req, 1);
	CHECK_INT(dt, 250000);
	CHECK(frame(&r, 1000300000, &r.b_to_a, true, 7, 2, &req, &dt));		/* #4 */
	CHECK_INT(req, 2);
	/* a duplicate reply still names the request */
	CHECK(frame(&r, 1000400000, &r.b_to_a, true, 7, 2, &req, &dt));
	CHECK_INT(req, 2);
	run_free(&r);
}

TEST(pairs_echo_reply_must_match_direction_id_and_sequence)
{
	struct pair_run r;
	uint64_t req = 0;
	int64_t dt = 0;

	run_init(&r);
	CHECK(!frame(&r, 0, &r.b_to_a, true, 7, 1, &req, &dt));	/* no request yet */
	CHECK(!frame(&r, 0, &r.a_to_b, false, 7, 1, &req, &dt));
	CHECK(!frame(&r, 0, &r.a_to_b, true, 7, 1, &req, &dt));	/* same way as the request */
	CHECK(!frame(&r, 0, &r.b_to_a, true, 8, 1, &req, &dt));	/* another identifier */
	CHECK(!frame(&r, 0, &r.b_to_a, true, 7, 2, &req, &dt));	/* another sequence */
	/* without capture times the pair is known, the time is not */
	CHECK(frame(&r, 0, &r.b_to_a, true, 7, 1, &req, &dt));
	CHECK_INT(req, 2);
	CHECK(dt == DX_PAIR_NO_TIME);
	run_free(&r);
}

TEST(pairs_echo_newer_request_takes_the_key_and_stateless_pairs_nothing)
{
	struct pair_run r;
	uint64_t req = 0;
	int64_t dt = 0;

	run_init(&r);
	CHECK(!frame(&r, 1, &r.a_to_b, false, 9, 5, &req, &dt));
	CHECK(!frame(&r, 2, &r.a_to_b, false, 9, 5, &req, &dt));	/* sent again */
	CHECK(frame(&r, 3, &r.b_to_a, true, 9, 5, &req, &dt));
	CHECK_INT(req, 2);
	/* a packet dissected without the store (a stored packet's detail) */
	r.p->streams = NULL;
	CHECK(!dx_pair(r.p, &r.b_to_a, DX_PAIR_ICMP_ECHO, true, 9, 5, &req, &dt));
	run_free(&r);
}

TEST(pairs_echo_table_is_bounded)
{
	struct pair_run r;
	uint64_t req = 0, paired = 0;
	int64_t dt = 0;

	run_init(&r);
	/* far more requests than slots: memory stays at the table, recent ones pair */
	for (uint32_t i = 0; i < 4 * DX_PAIR_SLOTS; i++)
		frame(&r, 1, &r.a_to_b, false, (uint16_t)(i >> 16), (uint16_t)i, &req, &dt);
	for (uint32_t i = 3 * DX_PAIR_SLOTS; i < 4 * DX_PAIR_SLOTS; i++)
		paired += frame(&r, 2, &r.b_to_a, true, (uint16_t)(i >> 16), (uint16_t)i, &req, &dt);
	/* hash collisions among the last batch lose some, most are there */
	CHECK(paired > DX_PAIR_SLOTS / 2);
	CHECK(paired < DX_PAIR_SLOTS);
	run_free(&r);
}

TEST(pairs_dns_by_ports_and_id_apart_from_echo)
{
	struct pair_run r;
	struct dx_conv q, resp;
	uint64_t req = 0;
	int64_t dt = 0;

	run_init(&r);
	q = r.a_to_b;
	resp = r.b_to_a;
	q.sport = resp.dport = 40000;
	q.dport = resp.sport = 53;
	r.p->streams = r.s;
	dx_defrag_next_frame(r.p);
	CHECK(!dx_pair(r.p, &q, DX_PAIR_DNS, false, 0xaefd, 0, &req, &dt));
	dx_defrag_next_frame(r.p);
	/* an echo reply with the same numbers is not the DNS answer */
	CHECK(!dx_pair(r.p, &resp, DX_PAIR_ICMP_ECHO, true, 0xaefd, 0, &req, &dt));
	/* nor is an answer to another port */
	resp.dport = 40001;
	CHECK(!dx_pair(r.p, &resp, DX_PAIR_DNS, true, 0xaefd, 0, &req, &dt));
	resp.dport = 40000;
	CHECK(dx_pair(r.p, &resp, DX_PAIR_DNS, true, 0xaefd, 0, &req, &dt));
	CHECK_INT(req, 1);
	run_free(&r);
}
