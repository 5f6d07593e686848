// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for TCP reassembly and the application dissectors: the input
 * is a sequence of segments of one conversation, each turned into a real
 * Ethernet/IPv4/TCP (or UDP) frame and dissected in order through one stream
 * store with small limits (so eviction and give-up paths run), then once more
 * without a store. Each segment is:
 *
 *   ctl (1)       bit 0 direction, bit 1 SYN, bit 2 FIN, bit 3 RST, bit 4 UDP,
 *                 bits 5-7 the server port (443 80 22 8000 4433 53 993 8080)
 *   seq (2)       signed offset from the next expected sequence number of that
 *                 direction: 0 in order, < 0 overlap/retransmission, > 0 a gap
 *   len (2)       payload length (cut to what is left of the input)
 *   payload (len)
 *
 * tests/fuzz/corpus/streams/ holds real conversations in this form (TLS 1.2
 * and 1.3 handshakes, HTTP, SSH, over a small MTU), made from the captures in
 * tests/fixtures/app by tests/fixtures/app/make_fuzz_seeds.py.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "../lib/bytes.h"

#define HDR (14 + 20 + 20)
#define MAX_PAYLOAD 1460

static const uint16_t ports[8] = { 443, 80, 22, 8000, 4433, 53, 993, 8080 };

/* An Ethernet + IPv4 + TCP/UDP frame around payload; returns its length. */
static uint32_t frame(uint8_t *f, int dir, bool udp, uint16_t server_port, uint32_t seq,
		      uint8_t flags, const uint8_t *payload, uint32_t len)
{
	static const uint8_t mac[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };
	static const uint8_t ip[2][4] = { { 10, 200, 0, 1 }, { 10, 200, 0, 2 } };
	uint16_t cport = 40000;
	uint16_t sport = dir ? server_port : cport, dport = dir ? cport : server_port;
	uint32_t l4 = udp ? 8 : 20;

	memset(f, 0, HDR);
	memcpy(f, mac[!dir], 6);
	memcpy(f + 6, mac[dir], 6);
	put_be16(f + 12, 0x0800);
	f[14] = 0x45;
	put_be16(f + 16, (uint16_t)(20 + l4 + len));
	f[22] = 64;
	f[23] = udp ? 17 : 6;
	memcpy(f + 26, ip[dir], 4);
	memcpy(f + 30, ip[!dir], 4);
	put_be16(f + 34, sport);
	put_be16(f + 36, dport);
	if (udp) {
		put_be16(f + 38, (uint16_t)(8 + len));
	} else {
		put_be32(f + 38, seq);
		f[46] = 5 << 4;
		f[47] = flags | 0x10;	/* ACK */
		put_be16(f + 48, 65535);
	}
	memcpy(f + 14 + 20 + l4, payload, len);
	return 14 + 20 + l4 + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dx_packet p;
	static uint8_t f[HDR + MAX_PAYLOAD];
	struct dx_streams *s = dx_streams_new_limits(8192, 16384, 4);
	struct dx_streams_stats st;
	uint32_t next[2] = { 1000, 500000 };
	size_t i = 0;

	if (!s)
		return 0;
	while (i + 5 <= size) {
		uint8_t ctl = data[i], flags = 0;
		int dir = ctl & 1;
		bool udp = ctl & 0x10;
		int16_t delta = (int16_t)(data[i + 1] << 8 | data[i + 2]);
		uint32_t len = (uint32_t)(data[i + 3] << 8 | data[i + 4]), seq, n;

		i += 5;
		if (len > size - i)
			len = (uint32_t)(size - i);
		if (len > MAX_PAYLOAD)
			len = MAX_PAYLOAD;
		flags |= ctl & 2 ? 0x02 : 0;
		flags |= ctl & 4 ? 0x01 : 0;
		flags |= ctl & 8 ? 0x04 : 0;
		seq = next[dir] + (uint32_t)(int32_t)delta;
		n = frame(f, dir, udp, ports[ctl >> 5], seq, flags, data + i, len);
		i += len;
		if (!udp) {
			uint32_t end = seq + len + !!(flags & 0x03);

			if ((int32_t)(end - next[dir]) > 0)
				next[dir] = end;
		}
		/* with the store, as a capture does */
		p.streams = s;
		dx_init(&p, f, n, n, DX_LINK_ETHERNET);
		dx_dissect(&p);
		/* and alone, as the detail of a stored packet is */
		p.streams = NULL;
		dx_init(&p, f, n, n, DX_LINK_ETHERNET);
		dx_dissect(&p);
		/* a short capture of the same frame */
		dx_init(&p, f, n > 60 ? 60 : n, n, DX_LINK_ETHERNET);
		dx_dissect(&p);
		/* the store keeps its bounds whatever the input */
		dx_streams_stats(s, &st);
		if (st.flows > 4 || st.bytes > 16384)
			abort();
	}
	dx_streams_free(s);
	return 0;
}
