/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Accounting, independent of the capture filter: the per-interface counters
 * (gt_ifstats, per CPU, so plain increments) and the per-flow counters
 * (gt_flows, shared by every CPU, so atomic adds on an existing entry).
 */
#ifndef GT_ACCOUNT_H
#define GT_ACCOUNT_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.h"
#include "parse.h"

/*
 * Bytes on the wire. A VLAN tag the device holds outside the frame is on the
 * wire (and in a veth's rx_bytes). A GSO super-packet leaves as gso_segs
 * frames, each with its own copy of the L2..L4 headers.
 */
static __always_inline __u32 wire_length(const struct gt_ctx *c, const struct gt_pkt *p)
{
	__u32 tag = c->vlan_proto ? GT_VLAN_HLEN : 0;
	__u32 len = c->len + tag;

	if (c->gso_segs > 1 && p->has_l4)
		len += (__u32)(c->gso_segs - 1) * (p->hdr_len + tag);
	return len;
}

/* This interface's counters for this direction, created on first sight. */
static __always_inline struct gt_dir_counters *ifstats_get(const struct gt_ctx *c)
{
	struct gt_if_counters *ifc;
	__u32 key = c->ifindex;

	ifc = bpf_map_lookup_elem(&gt_ifstats, &key);
	if (!ifc) {
		/* Zeroed here, not on every packet's path. */
		struct gt_if_counters zero = {};

		bpf_map_update_elem(&gt_ifstats, &key, &zero, BPF_NOEXIST);
		ifc = bpf_map_lookup_elem(&gt_ifstats, &key);
		if (!ifc)
			return NULL; /* the map is full */
	}
	return c->dir == GT_DIR_OUT ? &ifc->dir[GT_DIR_OUT] : &ifc->dir[GT_DIR_IN];
}

/*
 * Every frame the hook sees, before the filter. The size histogram: a GSO
 * super-packet leaves as gso_segs frames, counted at their average size (the
 * division only on that path).
 */
static __always_inline void ifstats_count(struct gt_dir_counters *dc, const struct gt_ctx *c,
					  const struct gt_pkt *p, __u32 wire_len)
{
	__u32 frame_len = c->gso_segs > 1 ? wire_len / c->gso_segs : wire_len;

	dc->packets++;
	dc->bytes += wire_len;
	dc->gso_segs += c->gso_segs;
	dc->size_hist[gt_size_bucket(frame_len)] += c->gso_segs;
	if (p->flags & GT_EV_TRUNCATED_PARSE)
		dc->truncated++;
	if (p->family == GT_AF_NONE)
		dc->non_ip++;
}

/* Is (a, pa) above (b, pb), comparing addresses as bytes, then ports? */
static __always_inline bool endpoint_above(const __u32 *a, __be16 pa, const __u32 *b, __be16 pb)
{
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u32 x = bpf_ntohl(a[i]), y = bpf_ntohl(b[i]);

		if (x != y)
			return x > y;
	}
	return bpf_ntohs(pa) > bpf_ntohs(pb);
}

/* The direction-normalised key; returns the side this packet travels. */
static __always_inline __u8 flow_key_make(struct gt_flow_key *k, const struct gt_ctx *c,
					  const struct gt_pkt *p)
{
	__u8 side = GT_SIDE_A_TO_B;

	if (endpoint_above(p->saddr, p->sport, p->daddr, p->dport)) {
		side = GT_SIDE_B_TO_A;
		__builtin_memcpy(k->addr_a, p->daddr, 16);
		__builtin_memcpy(k->addr_b, p->saddr, 16);
		k->port_a = p->dport;
		k->port_b = p->sport;
	} else {
		__builtin_memcpy(k->addr_a, p->saddr, 16);
		__builtin_memcpy(k->addr_b, p->daddr, 16);
		k->port_a = p->sport;
		k->port_b = p->dport;
	}
	k->ifindex = c->ifindex;
	k->proto = p->proto;
	k->family = p->family;
	k->pad = 0;
	return side;
}

/*
 * Packets and bytes: atomic adds, the entry is shared by every CPU. The flags
 * byte has no atomic OR (BPF atomics are 32/64-bit, and -mcpu=v1 has only
 * add): it is written only when it grows, so two CPUs adding different new
 * flags in the same instant is the only way to lose one, until the next packet
 * carrying it. last_seen: a plain store, the later value wins.
 */
static __always_inline void flow_add(struct gt_flow_value *v, __u8 side, __u32 wire_len,
				     __u8 tcp_flags, __u64 now)
{
	if (side == GT_SIDE_B_TO_A) {
		__sync_fetch_and_add(&v->packets[GT_SIDE_B_TO_A], 1);
		__sync_fetch_and_add(&v->bytes[GT_SIDE_B_TO_A], wire_len);
	} else {
		__sync_fetch_and_add(&v->packets[GT_SIDE_A_TO_B], 1);
		__sync_fetch_and_add(&v->bytes[GT_SIDE_A_TO_B], wire_len);
	}
	if (now > v->last_seen_ns)
		v->last_seen_ns = now;
	if ((v->tcp_flags | tcp_flags) != v->tcp_flags)
		v->tcp_flags |= tcp_flags;
}

/* Is this packet a flow? Truncated headers would give garbage ports. */
static __always_inline bool is_flow(const struct gt_pkt *p)
{
	return p->family != GT_AF_NONE && !(p->flags & GT_EV_TRUNCATED_PARSE);
}

/*
 * Count an IP packet in its flow (the caller checked is_flow(): frames with
 * truncated headers are not flows; later fragments are, with ports 0).
 * Returns the flow hash for the event.
 */
static __always_inline __u32 flow_account(const struct gt_ctx *c, const struct gt_pkt *p,
					  __u32 wire_len, __u64 now)
{
	struct gt_flow_value *v;
	struct gt_flow_key key;
	__u8 side;

	side = flow_key_make(&key, c, p);
	v = bpf_map_lookup_elem(&gt_flows, &key);
	if (!v) {
		struct gt_flow_value init = {};

		init.packets[side & 1] = 1;
		init.bytes[side & 1] = wire_len;
		init.first_seen_ns = now;
		init.last_seen_ns = now;
		init.tcp_flags = p->tcp_flags;
		init.first_side = side;
		init.first_dir = c->dir;
		if (bpf_map_update_elem(&gt_flows, &key, &init, BPF_NOEXIST) == 0)
			goto out;
		/* Another CPU created it meanwhile: add to theirs. */
		v = bpf_map_lookup_elem(&gt_flows, &key);
		if (!v)
			goto out;
	}
	flow_add(v, side, wire_len, p->tcp_flags, now);
out:
	return gt_flow_hash(&key);
}

#endif /* GT_ACCOUNT_H */
