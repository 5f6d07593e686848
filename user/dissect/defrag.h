/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * IP fragment reassembly, as Wireshark does by default (ip.defragment and
 * ipv6.defragment on): the fragments of a datagram are kept until the last
 * hole is filled, and the packet that fills it shows the whole datagram
 * (UDP, ICMP, DNS, ...) with a "[N IPv4 Fragments (M bytes): #a(x), ...]"
 * node (ip.fragment, ip.fragment.count, ip.reassembled.length; ipv6.* for
 * IPv6). The fragments before it show "Fragmented IP protocol (...)" or
 * "IPv6 fragment (...)" and their bytes as data.
 *
 * Datagrams are keyed as RFC 791 and RFC 8200 say: IPv4 by source,
 * destination, protocol and identification; IPv6 by source, destination and
 * the fragment header's identification. Fragments may come in any order; a
 * byte already held keeps its first copy (duplicates and overlaps add
 * nothing, as stream.c does for TCP); the first fragment without "more
 * fragments" fixes the length; the datagram is complete when no hole is left.
 * Only fragments whose bytes were all captured are kept (as Wireshark).
 *
 * Memory is bounded: DX_DEFRAG_MAX_LEN bytes per datagram (an IP datagram can
 * be no longer) and DX_DEFRAG_MAX_FRAGS fragments; DX_DEFRAG_TOTAL_BYTES and
 * DX_DEFRAG_MAX_DATAGRAMS in progress in total, the least recently used
 * evicted first; a datagram still incomplete DX_DEFRAG_TIMEOUT_NS of capture
 * time after its first fragment is given up (Linux's ipfrag_time). Everything
 * given up is counted (dx_defrag_stats).
 *
 * The store hangs on the TCP stream store (dx_streams_defrag), so every
 * caller that dissects in capture order with p->streams set gets it; a
 * stateless pass (p->streams NULL) shows each fragment alone, as tshark with
 * defragmentation off. Frame numbers in the fragment list count the packets
 * dissected with the store, from 1. One pass cannot know, in an earlier
 * fragment, which later frame will complete its datagram: Wireshark's
 * "[Reassembled in #N]" and ip.reassembled_in need its second pass (tshark
 * -2), and are not shown (tshark's default single pass does not show them
 * either).
 */
#ifndef GT_DISSECT_DEFRAG_H
#define GT_DISSECT_DEFRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

#define DX_DEFRAG_MAX_LEN 65535u		/* bytes of one rebuilt datagram */
#define DX_DEFRAG_MAX_FRAGS 256u		/* fragments kept per datagram */
#define DX_DEFRAG_TOTAL_BYTES (4u * 1024 * 1024)
#define DX_DEFRAG_MAX_DATAGRAMS 1024u
#define DX_DEFRAG_TIMEOUT_NS (30ull * 1000000000ull)

struct dx_defrag;

struct dx_defrag_stats {
	uint32_t datagrams;	/* in progress now */
	uint64_t bytes;		/* held now */
	uint64_t fragments;	/* fragments kept */
	uint64_t reassembled;	/* datagrams rebuilt */
	uint64_t evicted;	/* datagrams dropped for the total limits */
	uint64_t timed_out;	/* datagrams incomplete after the age limit */
	uint64_t given_up;	/* datagrams too long or of too many fragments */
	uint64_t uncaptured;	/* fragments not kept: bytes missing from the capture */
};

/* The key of a datagram (RFC 791: proto is part of it; IPv6: proto 0). */
struct dx_frag_key {
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;
	uint8_t pad[2];
	uint32_t id;
	uint8_t src[16];	/* IPv4 in the first 4 bytes, the rest zero */
	uint8_t dst[16];
};

/* One fragment of a datagram, as Wireshark lists it: "#frame(len)". */
struct dx_frag {
	uint64_t frame;
	uint32_t offset, len;
};

/* A rebuilt datagram: valid until the next call into the store. */
struct dx_frag_whole {
	const uint8_t *data;
	uint32_t len;
	const struct dx_frag *frags;	/* by offset, in arrival order at equal ones */
	uint32_t n_frags;
};

enum dx_frag_result {
	DX_FRAG_REFUSED,	/* not kept (counted when given up): show it alone */
	DX_FRAG_HELD,		/* kept: the datagram is still incomplete */
	DX_FRAG_COMPLETE,	/* this fragment completed the datagram: see whole */
};

/* A store with the default limits, or with these (0 keeps a default). */
struct dx_defrag *dx_defrag_new(void);
struct dx_defrag *dx_defrag_new_limits(uint64_t total_bytes, uint32_t max_datagrams,
				       uint64_t timeout_ns);
void dx_defrag_free(struct dx_defrag *d);
void dx_defrag_stats(const struct dx_defrag *d, struct dx_defrag_stats *st);

/*
 * Adds the fragment at byte offset in the datagram k, seen in frame number
 * frame at capture time ts_ns (0: unknown, no ageing by time).
 */
enum dx_frag_result dx_defrag_add(struct dx_defrag *d, const struct dx_frag_key *k,
				  uint64_t frame, uint64_t ts_ns, uint32_t offset,
				  const uint8_t *data, uint32_t len, bool more,
				  struct dx_frag_whole *whole);

/* The store of p (NULL when dissecting statelessly). */
struct dx_defrag *dx_packet_defrag(const struct dx_packet *p);
/* Counts one more frame dissected with the store (dx_dissect calls it). */
void dx_defrag_next_frame(struct dx_packet *p);

/*
 * For the IP dissectors. A fragment whose payload is the frame range
 * [off, off + len), at byte offset frag_off of datagram k: keeps it. On
 * DX_FRAG_COMPLETE, p now reads a frame made of this frame's bytes up to off
 * followed by the whole datagram, the fragment list node was added at the
 * current depth, and the caller dissects [off, off + v->len) and then calls
 * dx_defrag_leave: the nodes added meanwhile get this frame's byte ranges (a
 * field wholly in earlier frames: length 0 at off, as buf.h does). Not for a
 * packet quoted in an ICMP error: that one is never part of a datagram here.
 */
struct dx_defrag_view {
	uint32_t len;		/* the datagram's length */
	/* internal: what to restore and how to map */
	const uint8_t *data;
	uint32_t caplen, wirelen;
	uint32_t first_node, off, frag_off, frag_len;
};
enum dx_frag_result dx_defrag_ip(struct dx_packet *p, const struct dx_frag_key *k,
				 uint32_t off, uint32_t len, uint32_t frag_off, bool more,
				 struct dx_defrag_view *v);
void dx_defrag_leave(struct dx_packet *p, const struct dx_defrag_view *v);

/* Internal to defrag.c and defrag_view.c. */
void dx_defrag_count_uncaptured(struct dx_defrag *d);
uint64_t dx_defrag_frame(const struct dx_defrag *d);
void dx_defrag_frame_step(struct dx_defrag *d);
uint8_t *dx_defrag_scratch(struct dx_defrag *d, uint32_t size);

#endif /* GT_DISSECT_DEFRAG_H */
