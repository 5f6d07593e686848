/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Event emission: 1-in-N sampling, then one ring-buffer record per packet,
 * struct gt_event followed by the first cap_len bytes of the frame.
 *
 * The record is reserved at its exact size with bpf_ringbuf_reserve_dynptr and
 * the frame copied straight into it (no scratch buffer, no second copy) in two
 * overlapping slices of a constant power-of-two size (the verifier wants
 * constant sizes), filled by bpf_{skb,xdp}_load_bytes, which read non-linear
 * skbs and XDP multi-buffer frames alike.
 */
#ifndef GT_EMIT_H
#define GT_EMIT_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.h"
#include "parse.h"

#define GT_ETH_ADDRS 12 /* destination and source MAC: a VLAN tag goes after them */

/* 1-in-N over the packets that passed the filter, counted per CPU. */
static __always_inline bool sample_pass(const struct gt_config *cfg)
{
	__u32 zero = 0, n = cfg->sample_every;
	__u64 *count;

	if (n <= 1)
		return true;
	count = bpf_map_lookup_elem(&gt_sample_count, &zero);
	if (!count)
		return true;
	return (*count)++ % n == 0;
}

static __always_inline __u32 snaplen_of(const struct gt_config *cfg)
{
	__u32 snaplen = cfg->snaplen;

	if (snaplen == 0)
		return GT_SNAPLEN_DEFAULT;
	return snaplen > GT_SNAPLEN_MAX ? GT_SNAPLEN_MAX : snaplen;
}

/*
 * A length in [n, 2n) is covered by two constant-size slices of n bytes: one
 * at the start, one ending at the end. They overlap, with the same bytes.
 */
#define COPY_TWO(bit)                                                                   \
	do {                                                                            \
		const __u32 n = 1u << (bit);                                            \
		void *dst;                                                              \
		if (len >= n) {                                                         \
			dst = bpf_dynptr_data(dp, dst_off, n);                          \
			if (!dst || ctx_load_bytes(c, src_off, dst, n))                 \
				return -1;                                              \
			if (len == n)                                                   \
				return 0;                                               \
			dst = bpf_dynptr_data(dp, dst_off + len - n, n);                \
			if (!dst || ctx_load_bytes(c, src_off + len - n, dst, n))       \
				return -1;                                              \
			return 0;                                                       \
		}                                                                       \
	} while (0)

/* Copy len (< 64 KiB) bytes of the frame from src_off into the record at dst_off. */
static __always_inline int copy_frame(const struct gt_ctx *c, struct bpf_dynptr *dp, __u32 dst_off,
				      __u32 src_off, __u32 len)
{
	COPY_TWO(15);
	COPY_TWO(14);
	COPY_TWO(13);
	COPY_TWO(12);
	COPY_TWO(11);
	COPY_TWO(10);
	COPY_TWO(9);
	COPY_TWO(8);
	COPY_TWO(7);
	COPY_TWO(6);
	COPY_TWO(5);
	COPY_TWO(4);
	COPY_TWO(3);
	COPY_TWO(2);
	COPY_TWO(1);
	COPY_TWO(0);
	return 0;
}

/*
 * Fill the record: header, then the frame. A VLAN tag that the device keeps
 * outside the frame (TC, hardware-accelerated VLAN) is put back after the MAC
 * addresses so the capture shows the frame as it is on the wire: the frame is
 * copied 4 bytes further on, then the addresses and the tag are written over
 * the start.
 */
static __always_inline int fill_record(const struct gt_ctx *c, struct bpf_dynptr *dp,
				       const struct gt_pkt *p, __u32 wire_len, __u32 cap_len,
				       __u32 tag_len, __u32 flow_hash, __u64 now)
{
	struct gt_event *ev = bpf_dynptr_data(dp, 0, sizeof(*ev));
	__u32 hdr = sizeof(*ev);

	if (!ev)
		return -1;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->version = GT_EVENT_VERSION;
	ev->hdr_len = sizeof(*ev);
	ev->dir = c->dir;
	ev->hook = c->hook;
	ev->flags = p->flags;
	if (c->gso_segs > 1)
		ev->flags |= GT_EV_GSO;
	ev->ifindex = c->ifindex;
	ev->ts_ns = now;
	ev->wire_len = wire_len;
	ev->cap_len = cap_len;
	ev->flow_hash = flow_hash;
	ev->gso_segs = c->gso_segs;
	if (!tag_len)
		return copy_frame(c, dp, hdr, 0, cap_len);

	if (copy_frame(c, dp, hdr + GT_VLAN_HLEN, 0, cap_len - GT_VLAN_HLEN))
		return -1;
	{
		__u8 *start = bpf_dynptr_data(dp, hdr, GT_ETH_ADDRS + GT_VLAN_HLEN);
		__be16 tci = bpf_htons(c->vlan_tci);

		if (!start || ctx_load_bytes(c, 0, start, GT_ETH_ADDRS))
			return -1;
		__builtin_memcpy(start + GT_ETH_ADDRS, &c->vlan_proto, 2);
		__builtin_memcpy(start + GT_ETH_ADDRS + 2, &tci, 2);
	}
	return 0;
}

/* Send one packet to the ring; non-zero when the ring had no room. */
static __always_inline int emit_event(const struct gt_config *cfg, const struct gt_ctx *c,
				      const struct gt_pkt *p, __u32 wire_len, __u32 flow_hash,
				      __u64 now)
{
	__u32 snaplen = snaplen_of(cfg), tag_len = 0, frame_len = c->len, cap_len;
	struct bpf_dynptr dp;
	int ret = -1;

	/* A tag held outside the frame goes back in when the addresses fit before it. */
	if (c->vlan_proto && c->len >= GT_ETH_ADDRS &&
	    snaplen >= GT_ETH_ADDRS + GT_VLAN_HLEN) {
		tag_len = GT_VLAN_HLEN;
		frame_len += GT_VLAN_HLEN;
	}
	cap_len = frame_len < snaplen ? frame_len : snaplen;
	cap_len &= 0xffff; /* <= GT_SNAPLEN_MAX already; tells the verifier */

	if (bpf_ringbuf_reserve_dynptr(&gt_events, sizeof(struct gt_event) + cap_len, 0, &dp))
		goto discard;
	ret = fill_record(c, &dp, p, wire_len, cap_len, tag_len, flow_hash, now);
	if (ret)
		goto discard;
	bpf_ringbuf_submit_dynptr(&dp, 0);
	return 0;
discard:
	/* Required even when the reservation failed. */
	bpf_ringbuf_discard_dynptr(&dp, 0);
	return -1;
}

#endif /* GT_EMIT_H */
