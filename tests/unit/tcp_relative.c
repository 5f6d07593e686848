// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Wireshark's relative sequence numbers and window scaling (tcp.c, stream.c) on
 * crafted connections dissected in order with a stream store. Expected values
 * are what tshark 4.0 shows on the same segments (tests/golden/tcp_edges.py
 * writes them as a pcap; golden.test.sh compares the whole capture with tshark).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "lib/runner.h"
#include "lib/bytes.h"

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };
#define NO_WS (-1)
#define CLIENT 1
#define SERVER 2

struct seg {
	uint8_t data[128];
	uint32_t len;
};

/* Ethernet, IPv4 10.0.0.FROM to the other end, TCP 40000 <-> 5001, payload of n 'x'. */
static void build(struct seg *s, int from, uint32_t seq, uint32_t ack, uint8_t flags,
		  uint16_t win, int ws, uint32_t n)
{
	uint8_t *ip = s->data + 14, *tcp = ip + 20;
	uint32_t hlen = ws >= 0 ? 24 : 20;

	memset(s, 0, sizeof(*s));
	put_be16(s->data + 12, 0x0800);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(20 + hlen + n));
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = ip[16] = 10;
	ip[15] = (uint8_t)from;
	ip[19] = (uint8_t)(from == CLIENT ? SERVER : CLIENT);
	put_be16(tcp, from == CLIENT ? 40000 : 5001);
	put_be16(tcp + 2, from == CLIENT ? 5001 : 40000);
	put_be32(tcp + 4, seq);
	put_be32(tcp + 8, ack);
	tcp[12] = (uint8_t)(hlen / 4 << 4);
	tcp[13] = flags;
	put_be16(tcp + 14, win);
	if (ws >= 0) {
		tcp[20] = 1;		/* NOP, then window scale */
		tcp[21] = 3;
		tcp[22] = 3;
		tcp[23] = (uint8_t)ws;
	}
	memset(tcp + hlen, 'x', n);
	s->len = 14 + 20 + hlen + n;
}

struct run {
	struct dx_streams *streams;
	struct dx_packet *p;
	struct seg seg;
};

static struct dx_packet *next(struct run *r, int from, uint32_t seq, uint32_t ack,
			      uint8_t flags, uint16_t win, int ws, uint32_t n)
{
	build(&r->seg, from, seq, ack, flags, win, ws, n);
	dx_set_capture(r->p, DX_DIR_UNKNOWN, 0, r->streams);
	dx_init(r->p, r->seg.data, r->seg.len, r->seg.len, DX_LINK_ETHERNET);
	dx_dissect(r->p);
	return r->p;
}

static const char *field(const struct dx_packet *p, const char *name)
{
	const struct dx_node *n = dx_find(p, name);

	return n ? dx_value(p, n) : "";
}

/* "seq ack nxtseq window scalefactor" of the packet, as tshark -T fields prints them. */
static const char *numbers(const struct dx_packet *p)
{
	static char out[128];

	snprintf(out, sizeof(out), "%s %s %s %s %s", field(p, "tcp.seq"), field(p, "tcp.ack"),
		 field(p, "tcp.nxtseq"), field(p, "tcp.window_size"),
		 field(p, "tcp.window_size_scalefactor"));
	return out;
}

static bool run_start(struct run *r)
{
	r->streams = dx_streams_new();
	r->p = calloc(1, sizeof(*r->p));
	return r->streams && r->p;
}

static void run_end(struct run *r)
{
	dx_streams_free(r->streams);
	free(r->p);
}

TEST(tcp_relative_handshake_scales_after_it)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	p = next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	/* a SYN is never scaled and has no scale factor */
	CHECK_STR(numbers(p), "0 0 1 64240 ");
	CHECK_STR(p->info, "40000 \u2192 5001 [SYN] Seq=0 Win=64240 Len=0 WS=128");
	p = next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	CHECK_STR(numbers(p), "0 1 1 65000 ");
	p = next(&r, CLIENT, 1001, 5001, ACK | PSH, 100, NO_WS, 10);
	CHECK_STR(numbers(p), "1 1 11 12800 128");
	CHECK_STR(field(p, "tcp.seq_raw"), "1001");
	CHECK_STR(field(p, "tcp.window_size_value"), "100");
	CHECK_STR(p->info, "40000 \u2192 5001 [PSH, ACK] Seq=1 Ack=1 Win=12800 Len=10");
	p = next(&r, SERVER, 5001, 1011, ACK | FIN, 300, NO_WS, 0);
	CHECK_STR(numbers(p), "1 11 2 1200 4");
	run_end(&r);
}

TEST(tcp_relative_without_handshake)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	/* the first number seen in each direction less one: Seq=1, Ack=1 */
	p = next(&r, CLIENT, 1000, 5000, ACK | PSH, 100, NO_WS, 10);
	CHECK_STR(numbers(p), "1 1 11 100 -1");
	CHECK_STR(p->info, "40000 \u2192 5001 [PSH, ACK] Seq=1 Ack=1 Win=100 Len=10");
	p = next(&r, SERVER, 5000, 1010, ACK, 200, NO_WS, 0);
	CHECK_STR(numbers(p), "1 11 1 200 -1");
	run_end(&r);
}

TEST(tcp_relative_without_ack_flag)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	/* no ACK flag: tcp.ack is the raw field and sets no base */
	p = next(&r, CLIENT, 1000, 5000, PSH, 100, NO_WS, 4);
	CHECK_STR(numbers(p), "1 5000 5 100 -1");
	CHECK_STR(p->info, "40000 \u2192 5001 [PSH] Seq=1 Win=100 Len=4");
	p = next(&r, SERVER, 5000, 0, PSH, 200, NO_WS, 3);
	CHECK_STR(numbers(p), "1 0 4 200 -1");
	p = next(&r, CLIENT, 1004, 5003, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "5 4 5 100 -1");
	run_end(&r);
}

TEST(tcp_relative_one_side_without_window_scale)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, NO_WS, 0);
	p = next(&r, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 100 -2");
	run_end(&r);

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, NO_WS, 0);
	next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 7, 0);
	p = next(&r, SERVER, 5001, 1001, ACK, 300, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 300 -2");
	run_end(&r);

	/* only the SYN seen: its side scales, the other is unknown */
	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	p = next(&r, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 12800 128");
	p = next(&r, SERVER, 5001, 1001, ACK, 300, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 300 -1");
	run_end(&r);
}

TEST(tcp_relative_rst_keeps_the_numbering)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	p = next(&r, SERVER, 0, 1001, RST | ACK, 0, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 0 -1");
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	p = next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	CHECK_STR(numbers(p), "0 1 1 65000 ");
	p = next(&r, CLIENT, 1001, 0, RST, 0, NO_WS, 0);
	CHECK_STR(numbers(p), "1 0 1 0 128");
	CHECK_STR(p->info, "40000 \u2192 5001 [RST] Seq=1 Win=0 Len=0");
	p = next(&r, SERVER, 5001, 1001, ACK, 300, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 1200 4");
	run_end(&r);
}

TEST(tcp_relative_new_connection_on_the_same_ports)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	next(&r, CLIENT, 1001, 5001, ACK, 100, NO_WS, 3);
	p = next(&r, CLIENT, 90000, 0, SYN, 64240, 3, 0);
	CHECK_STR(numbers(p), "0 0 1 64240 ");
	p = next(&r, SERVER, 777777, 90001, SYN | ACK, 65000, NO_WS, 0);
	CHECK_STR(numbers(p), "0 1 1 65000 ");
	p = next(&r, CLIENT, 90001, 777778, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 100 -2");
	run_end(&r);
}

TEST(tcp_relative_wraps_around)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 0xfffffff0u, 0, SYN, 64240, 7, 0);
	next(&r, SERVER, 0xfffffffau, 0xfffffff1u, SYN | ACK, 65000, 2, 0);
	p = next(&r, CLIENT, 0xfffffff1u, 0xfffffffbu, ACK | PSH, 100, NO_WS, 20);
	CHECK_STR(numbers(p), "1 1 21 12800 128");
	p = next(&r, SERVER, 0xfffffffbu, 0x5, ACK | PSH, 300, NO_WS, 10);
	CHECK_STR(numbers(p), "1 21 11 1200 4");
	p = next(&r, CLIENT, 0x5, 0x5, ACK | FIN, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "21 11 22 12800 128");
	run_end(&r);
}

TEST(tcp_relative_late_window_scale_counts_from_the_next_segment)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	p = next(&r, CLIENT, 1001, 5001, ACK, 100, 3, 0);
	CHECK_STR(numbers(p), "1 1 1 12800 128");
	p = next(&r, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "1 1 1 800 8");
	run_end(&r);
}

TEST(tcp_relative_stateless_keeps_raw_numbers)
{
	struct run r;
	struct dx_packet *p;

	CHECK(run_start(&r));
	next(&r, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&r, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	dx_streams_free(r.streams);
	r.streams = NULL;
	p = next(&r, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	CHECK_STR(numbers(p), "    ");
	CHECK_STR(p->info, "40000 \u2192 5001 [ACK] Seq=1001 Ack=5001 Win=100 Len=0");
	run_end(&r);
}

TEST(tcp_relative_summary_only_same_info)
{
	struct run full, rows;
	struct dx_packet *p;
	char info[sizeof(p->info)];

	CHECK(run_start(&full));
	CHECK(run_start(&rows));
	rows.p->summary_only = true;
	next(&full, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&rows, CLIENT, 1000, 0, SYN, 64240, 7, 0);
	next(&full, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	next(&rows, SERVER, 5000, 1001, SYN | ACK, 65000, 2, 0);
	p = next(&full, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	snprintf(info, sizeof(info), "%s", p->info);
	CHECK_STR(info, "40000 \u2192 5001 [ACK] Seq=1 Ack=1 Win=12800 Len=0");
	p = next(&rows, CLIENT, 1001, 5001, ACK, 100, NO_WS, 0);
	CHECK_STR(p->info, info);
	run_end(&full);
	run_end(&rows);
}
