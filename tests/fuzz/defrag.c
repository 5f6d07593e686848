// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for IP fragment reassembly (user/dissect/defrag.c): the
 * input is a sequence of fragments of a few datagrams, each turned into a real
 * Ethernet/IPv4 or Ethernet/IPv6 frame and dissected in order with a stream
 * store (which carries the fragment store), then alone and cut short; the same
 * fragments also go straight into a store with small limits, whose bounds must
 * hold whatever the input. Each fragment is:
 *
 *   ctl (1)       bit 0 IPv6, bits 1-2 the datagram (identification), bit 3 more
 *                 fragments, bit 4 UDP (else ICMP/ICMPv6), bit 5 captured short,
 *                 bits 6-7 capture time step (0, 1 s, 10 s, 40 s)
 *   offset (2)    fragment offset in 8-byte units (13 bits used)
 *   len (2)       payload length (cut to what is left of the input, and 1480)
 *   payload (len)
 *
 * tests/fuzz/corpus/defrag/ holds the real fragments of tests/golden/captures
 * (frag.pcap, defrag.pcap, defrag-reordered.pcap) in this form, made by
 * tests/fuzz/make_defrag_seeds.py.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/defrag.h"
#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "../lib/bytes.h"

#define MAX_PAYLOAD 1480
#define HDR6 (14 + 40 + 8)
#define LIMIT_BYTES (32u * 1024)
#define LIMIT_DATAGRAMS 4u

/* The frame of one fragment; returns its length. */
static uint32_t frame(uint8_t *f, bool v6, uint8_t which, bool more, bool udp,
		      uint16_t offset, const uint8_t *payload, uint32_t len)
{
	uint32_t h = v6 ? HDR6 : 14 + 20;

	memset(f, 0, h);
	f[0] = 2, f[5] = 2, f[6] = 2, f[11] = 1;
	if (v6) {
		put_be16(f + 12, 0x86dd);
		f[14] = 0x60;
		put_be16(f + 18, (uint16_t)(8 + len));
		f[20] = 44;
		f[21] = 64;
		f[22] = 0xfd, f[37] = 1;
		f[38] = 0xfd, f[53] = 2;
		f[54] = udp ? 17 : 58;
		put_be16(f + 56, (uint16_t)(offset << 3 | more));
		f[61] = which;
	} else {
		put_be16(f + 12, 0x0800);
		f[14] = 0x45;
		put_be16(f + 16, (uint16_t)(20 + len));
		put_be16(f + 18, which);
		put_be16(f + 20, (uint16_t)((more ? 0x2000 : 0) | offset));
		f[22] = 64;
		f[23] = udp ? 17 : 1;
		f[26] = 10, f[29] = 1;
		f[30] = 10, f[33] = 2;
	}
	memcpy(f + h, payload, len);
	return h + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t steps[4] = { 0, 1000000000ull, 10000000000ull, 40000000000ull };
	static struct dx_packet p;
	static uint8_t f[HDR6 + MAX_PAYLOAD];
	struct dx_streams *s = dx_streams_new();
	struct dx_defrag *d = dx_defrag_new_limits(LIMIT_BYTES, LIMIT_DATAGRAMS, 0);
	uint64_t ts = 1000000000ull, frame_no = 0;
	struct dx_defrag_stats st;
	struct dx_frag_whole w;
	size_t i = 0;

	if (!s || !d)
		goto out;
	while (i + 5 <= size) {
		uint8_t ctl = data[i];
		bool v6 = ctl & 1, more = ctl & 8, udp = ctl & 0x10;
		uint8_t which = (ctl >> 1) & 3;
		uint16_t offset = (uint16_t)((data[i + 1] << 8 | data[i + 2]) & 0x1fff);
		uint32_t len = (uint32_t)(data[i + 3] << 8 | data[i + 4]), n;
		struct dx_frag_key k = { .family = v6 ? 6 : 4, .proto = udp ? 17 : 1, .id = which };

		i += 5;
		if (len > size - i)
			len = (uint32_t)(size - i);
		if (len > MAX_PAYLOAD)
			len = MAX_PAYLOAD;
		ts += steps[ctl >> 6];
		n = frame(f, v6, which, more, udp, offset, data + i, len);
		/* with the store, as a capture does; possibly cut by the snap length */
		dx_set_capture(&p, DX_DIR_UNKNOWN, ts, s);
		dx_init(&p, f, ctl & 0x20 ? n / 2 : n, n, DX_LINK_ETHERNET);
		dx_dissect(&p);
		/* and alone, as the detail of a stored packet is */
		dx_set_capture(&p, DX_DIR_UNKNOWN, ts, NULL);
		dx_init(&p, f, n, n, DX_LINK_ETHERNET);
		dx_dissect(&p);
		/* the store alone, with small limits: its bounds hold */
		if (dx_defrag_add(d, &k, ++frame_no, ts, offset * 8u, data + i, len, more, &w) ==
		    DX_FRAG_COMPLETE) {
			if (w.len > DX_DEFRAG_MAX_LEN || w.n_frags == 0 ||
			    w.n_frags > DX_DEFRAG_MAX_FRAGS)
				abort();
			for (uint32_t j = 0; j + 1 < w.n_frags; j++)
				if (w.frags[j].offset > w.frags[j + 1].offset)
					abort();
		}
		dx_defrag_stats(d, &st);
		if (st.datagrams > LIMIT_DATAGRAMS || st.bytes > LIMIT_BYTES)
			abort();
		i += len;
	}
out:
	dx_defrag_free(d);
	dx_streams_free(s);
	return 0;
}
