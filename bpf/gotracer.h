/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The contract between GoTracer's kernel programs and its userspace: every struct
 * and constant that crosses the boundary is defined here, once. Fixed-width types
 * only and no vmlinux.h include, so both sides can use it. Multi-byte fields are
 * host order unless their type says __be.
 */
#ifndef GOTRACER_H
#define GOTRACER_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Bumped whenever struct gt_event changes layout; userspace refuses other versions. */
#define GT_EVENT_VERSION 1

#define GT_SNAPLEN_DEFAULT 2048	  /* full Ethernet frames, a TLS ClientHello segment */
#define GT_SNAPLEN_MAX	   65535  /* "full frames": a whole GSO super-packet */
#define GT_MAX_RULES	   64	  /* kernel filter rules, OR-ed */
#define GT_FLOWS_DEFAULT   65536  /* entries in the flow LRU (resizable before load) */
#define GT_RINGBUF_DEFAULT (8u << 20)

enum gt_dir {
	GT_DIR_IN = 0,
	GT_DIR_OUT = 1,
	GT_DIR_COUNT = 2,
};

enum gt_hook {
	GT_HOOK_XDP = 0,    /* native or generic XDP: ingress */
	GT_HOOK_TC_IN = 1,  /* TC clsact ingress */
	GT_HOOK_TC_OUT = 2, /* TC clsact egress */
};

/* struct gt_event.flags */
enum gt_event_flags {
	GT_EV_TRUNCATED_PARSE = 1 << 0, /* a header ran past the end of the frame */
	GT_EV_FRAGMENT = 1 << 1,	/* IP fragment (L4 known only on the first) */
	GT_EV_VLAN = 1 << 2,		/* carried at least one VLAN tag */
	GT_EV_GSO = 1 << 3,		/* a GSO super-packet, see gso_segs */
};

/*
 * Ring-buffer record: this fixed header, then cap_len bytes of the frame.
 * The frame starts at the Ethernet header on every hook. A VLAN tag that the
 * device or the stack holds outside the frame (TC: skb->vlan_tci) is put back
 * after the MAC addresses, as on the wire; wire_len and the byte counters
 * include it. The record is sent whole or not at all (ring_drops).
 */
struct gt_event {
	__u16 version;	/* GT_EVENT_VERSION */
	__u16 hdr_len;	/* sizeof(struct gt_event): the frame starts here */
	__u8 dir;	/* enum gt_dir */
	__u8 hook;	/* enum gt_hook */
	__u16 flags;	/* enum gt_event_flags */
	__u32 ifindex;
	__u64 ts_ns;	/* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u32 wire_len; /* length on the wire (a GSO packet: all its segments) */
	__u32 cap_len;	/* bytes that follow this header */
	__u32 flow_hash; /* hash of the normalised flow key; 0 when not a flow */
	__u16 gso_segs;	/* segments in a GSO packet, else 1 */
	__u16 reserved;
};

/* Address families in the flow key and in rules. */
#define GT_AF_NONE 0
#define GT_AF_INET 4
#define GT_AF_INET6 6

/*
 * Direction-normalised flow key: both directions of a conversation share one entry.
 * Side "a" is the lower (address, port) pair compared as bytes; IPv4 addresses sit
 * in the first 4 bytes with the rest zero. Non-IP frames are not flows.
 */
struct gt_flow_key {
	__u8 addr_a[16];
	__u8 addr_b[16];
	__be16 port_a;	/* 0 when the protocol has no ports; ICMP: see below */
	__be16 port_b;
	__u32 ifindex;
	__u8 proto;	/* IPPROTO_* */
	__u8 family;	/* GT_AF_INET or GT_AF_INET6 */
	__u16 pad;
};

/*
 * ICMP/ICMPv6 in the flow key: an echo request and its reply carry the echo
 * identifier as both ports (one ping session, one entry); any other message
 * carries type << 8 | code as its sender's port and 0 as the other. Later IP
 * fragments carry ports 0 (their L4 header is in the first fragment).
 */

/*
 * The event's flow_hash: FNV-1a over the key's 32-bit words, so userspace can
 * match events to gt_flows entries. Never 0 for a flow (0 means "not a flow").
 */
static inline __u32 gt_flow_hash(const struct gt_flow_key *k)
{
	const __u8 *b = (const __u8 *)k;
	__u32 h = 2166136261u;

	for (unsigned int i = 0; i < sizeof(*k) / 4; i++) {
		__u32 w;

		__builtin_memcpy(&w, b + 4 * i, 4);
		h = (h ^ w) * 16777619u;
	}
	h ^= h >> 16;
	return h ? h : 1;
}

/* Index of the per-side arrays in struct gt_flow_value. */
enum gt_flow_side {
	GT_SIDE_A_TO_B = 0,
	GT_SIDE_B_TO_A = 1,
};

struct gt_flow_value {
	__u64 packets[2];	/* by enum gt_flow_side */
	__u64 bytes[2];		/* wire bytes */
	__u64 first_seen_ns;	/* CLOCK_BOOTTIME */
	__u64 last_seen_ns;
	__u8 tcp_flags;		/* OR of every TCP flag byte seen, both ways */
	__u8 first_side;	/* enum gt_flow_side of the first packet: who spoke first */
	__u8 first_dir;		/* enum gt_dir of the first packet */
	__u8 pad[5];
};

/*
 * The packet size histogram's buckets, as Wireshark's and RMON's: a frame of
 * wire length L goes in the first bucket whose upper bound is >= L; the last
 * bucket takes every frame above 1518 (a full VLAN-tagged Ethernet frame).
 */
#define GT_SIZE_BOUND_0 64
#define GT_SIZE_BOUND_1 128
#define GT_SIZE_BOUND_2 256
#define GT_SIZE_BOUND_3 512
#define GT_SIZE_BOUND_4 1024
#define GT_SIZE_BOUND_5 1518
#define GT_SIZE_BOUNDS	6			/* upper bounds: one fewer than buckets */
#define GT_SIZE_BUCKETS (GT_SIZE_BOUNDS + 1)	/* the last one has no upper bound */

/* The bucket of a frame of len wire bytes: a few compares, no loop, no table. */
static inline __u32 gt_size_bucket(__u32 len)
{
	if (len <= GT_SIZE_BOUND_2)
		return len <= GT_SIZE_BOUND_0 ? 0 : len <= GT_SIZE_BOUND_1 ? 1 : 2;
	if (len <= GT_SIZE_BOUND_4)
		return len <= GT_SIZE_BOUND_3 ? 3 : 4;
	return len <= GT_SIZE_BOUND_5 ? 5 : 6;
}

#ifndef __bpf__
/* Userspace: the upper bound of bucket i < GT_SIZE_BOUNDS. */
static inline __u32 gt_size_bound(unsigned int i)
{
	static const __u32 bounds[GT_SIZE_BOUNDS] = {
		GT_SIZE_BOUND_0, GT_SIZE_BOUND_1, GT_SIZE_BOUND_2,
		GT_SIZE_BOUND_3, GT_SIZE_BOUND_4, GT_SIZE_BOUND_5,
	};

	return i < GT_SIZE_BOUNDS ? bounds[i] : 0;
}
#endif

/*
 * Counters for one interface and one direction. What counts where:
 * - packets, bytes, gso_segs, truncated, non_ip count every frame the hook
 *   sees, whatever the filter says (packets and bytes agree with `ip -s link`,
 *   except that bytes counts a GSO super-packet at its wire length, and that a
 *   veth with native XDP on its peer counts 14 bytes a frame fewer itself);
 *   truncated also counts malformed headers (IPv4 ihl < 5, TCP doff < 5, an
 *   IP version that contradicts the ethertype);
 * - gt_flows counts every IP frame, filtered or not: accounting is independent
 *   of the capture filter; frames with truncated headers make no flow entry;
 * - filtered, sampled_out, events, ring_drops follow the capture path: filter
 *   first, then 1-in-N sampling, then the ring. With GT_CFG_ACCOUNT_ONLY or
 *   GT_CFG_CAPTURE_OFF none of them move (the filter is not even run);
 * - size_hist counts every frame the hook sees, as packets does, by its wire
 *   length (bytes above, VLAN tag held outside the frame included) into the
 *   buckets of gt_size_bucket(). A GSO super-packet counts gso_segs frames in
 *   the bucket of bytes / gso_segs (its segments' average size), so the
 *   buckets always add up to gso_segs, not to packets.
 */
struct gt_dir_counters {
	__u64 packets;
	__u64 bytes;		/* wire bytes */
	__u64 events;		/* records written to the ring */
	__u64 ring_drops;	/* ring reservation failed: the packet was not captured */
	__u64 filtered;		/* rejected by the kernel filter */
	__u64 sampled_out;	/* skipped by 1-in-N sampling */
	__u64 truncated;	/* a header ran past the end of the frame */
	__u64 non_ip;		/* ARP and other non-IP frames */
	__u64 gso_segs;		/* segments on the wire (a GSO packet counts several) */
	__u64 size_hist[GT_SIZE_BUCKETS]; /* frames by wire length, see gt_size_bucket() */
};

/* Value of the per-CPU interface map, keyed by __u32 ifindex. */
struct gt_if_counters {
	struct gt_dir_counters dir[GT_DIR_COUNT];
};

#ifndef __bpf__
/* Userspace: add one CPU's counters into a sum (every field is a __u64 count). */
static inline void gt_dir_counters_add(struct gt_dir_counters *sum,
				       const struct gt_dir_counters *cpu)
{
	__u64 *to = (__u64 *)sum;
	const __u64 *from = (const __u64 *)cpu;

	for (unsigned int i = 0; i < sizeof(*cpu) / sizeof(__u64); i++)
		to[i] += from[i];
}
#endif

/* struct gt_rule.match: which conditions of the rule apply (all must hold). */
enum gt_rule_match {
	GT_M_IFINDEX = 1 << 0,
	GT_M_DIR = 1 << 1,
	GT_M_PROTO = 1 << 2,	/* L4 protocol */
	GT_M_FAMILY = 1 << 3,	/* ip or ip6 */
	GT_M_ADDR0 = 1 << 4,	/* addr[0] */
	GT_M_ADDR1 = 1 << 5,	/* addr[1] */
	GT_M_PORT = 1 << 6,
};

enum gt_side_sel {
	GT_SEL_SRC = 1,
	GT_SEL_DST = 2,
	GT_SEL_EITHER = 3,
};

struct gt_addr_match {
	__u8 addr[16];		/* network order; IPv4 in the first 4 bytes */
	__u8 family;		/* GT_AF_INET or GT_AF_INET6 */
	__u8 prefix_len;	/* 0..32 or 0..128 */
	__u8 side;		/* enum gt_side_sel */
	__u8 pad;
};

/* One rule: an AND of the conditions named in match. Rules are OR-ed. */
struct gt_rule {
	__u32 match;		/* enum gt_rule_match */
	__u32 ifindex;
	__u8 dir;		/* enum gt_dir */
	__u8 proto;		/* IPPROTO_* */
	__u8 family;		/* GT_AF_* */
	__u8 port_side;		/* enum gt_side_sel */
	__u16 port_lo;		/* host order, inclusive */
	__u16 port_hi;
	struct gt_addr_match addr[2];
};

/* struct gt_config.flags */
enum gt_config_flags {
	GT_CFG_ACCOUNT_ONLY = 1 << 0, /* count, never send events */
	GT_CFG_CAPTURE_OFF = 1 << 1,  /* capture stopped: count only */
};

/* Run-time configuration: the single entry of the config array map. */
struct gt_config {
	__u32 flags;		/* enum gt_config_flags */
	__u32 snaplen;		/* bytes of each frame to send, <= GT_SNAPLEN_MAX */
	__u32 n_rules;		/* rules in use in the rules map; 0 = match all */
	__u32 sample_every;	/* send 1 in N matching packets; 0 or 1 = all */
};

#endif /* GOTRACER_H */
