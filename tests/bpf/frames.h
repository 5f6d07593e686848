/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Crafted frames for the BPF tests: __packed header stacks filled with
 * designated initialisers (kernel selftests' pkt_v4/pkt_v6 style). Checksums are
 * left zero: the programs never look at them.
 */
#ifndef GT_TEST_BPF_FRAMES_H
#define GT_TEST_BPF_FRAMES_H

#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>

#ifndef __packed
#define __packed __attribute__((packed))
#endif

#define MAC_A { 0x02, 0, 0, 0, 0, 0x0a }
#define MAC_B { 0x02, 0, 0, 0, 0, 0x0b }
#define ETH(proto) { .h_dest = MAC_B, .h_source = MAC_A, .h_proto = bpf_htons(proto) }

#define V4(a, b, c, d) bpf_htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define V6(last) { .in6_u.u6_addr8 = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last } }

#define IP4(proto_, src, dst, tot) \
	{ .version = 4, .ihl = 5, .ttl = 64, .protocol = proto_, .saddr = src, .daddr = dst, \
	  .tot_len = bpf_htons(tot) }
#define IP6(next, src, dst, payload) \
	{ .version = 6, .hop_limit = 64, .nexthdr = next, .saddr = src, .daddr = dst, \
	  .payload_len = bpf_htons(payload) }
#define TCP(sp, dp) { .source = bpf_htons(sp), .dest = bpf_htons(dp), .doff = 5, .ack = 1 }
#define UDP(sp, dp, len_) { .source = bpf_htons(sp), .dest = bpf_htons(dp), .len = bpf_htons(len_) }

struct vlan_tag {
	__be16 tci;
	__be16 proto;
} __packed;

/* An IPv6 extension header of 8 bytes (hop-by-hop, routing, destination options). */
struct ext8 {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-byte units, not counting the first */
	__u8 data[6];
} __packed;

struct ext_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset << 3 | M */
	__be32 id;
} __packed;

/* Authentication header with a 4-byte ICV: (hdrlen + 2) * 4 = 16 bytes. */
struct ext_ah {
	__u8 nexthdr;
	__u8 hdrlen;
	__be16 reserved;
	__be32 spi;
	__be32 seq;
	__be32 icv;
} __packed;

struct arp_frame {
	struct ethhdr eth;
	struct arphdr arp;
	__u8 sha[6];
	__u8 sip[4];
	__u8 tha[6];
	__u8 tip[4];
} __packed;

struct v4_tcp {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr tcp;
	__u8 payload[16];
} __packed;

struct v4_udp {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__u8 payload[8];
} __packed;

struct v4opt_udp {
	struct ethhdr eth;
	struct iphdr ip;
	__u8 options[8]; /* ihl = 7 */
	struct udphdr udp;
} __packed;

struct v4_icmp {
	struct ethhdr eth;
	struct iphdr ip;
	struct icmphdr icmp;
} __packed;

struct v6_tcp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct tcphdr tcp;
} __packed;

struct v6_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct udphdr udp;
} __packed;

struct v6_icmp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct icmp6hdr icmp6;
} __packed;

struct v6_ext_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct ext8 ext;
	struct udphdr udp;
} __packed;

struct v6_frag_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct ext_frag frag;
	struct udphdr udp;
} __packed;

struct v6_ah_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct ext_ah ah;
	struct udphdr udp;
} __packed;

/* Chains of 8-byte destination-options headers, then UDP. */
struct v6_ext6_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct ext8 ext[6];
	struct udphdr udp;
} __packed;

struct v6_ext7_udp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct ext8 ext[7];
	struct udphdr udp;
} __packed;

struct vlan_v4_udp {
	struct ethhdr eth;
	struct vlan_tag tag;
	struct iphdr ip;
	struct udphdr udp;
} __packed;

struct qinq_v6_tcp {
	struct ethhdr eth;
	struct vlan_tag outer;
	struct vlan_tag inner;
	struct ipv6hdr ip6;
	struct tcphdr tcp;
} __packed;

/* Three tags: one more than the programs look through. */
struct vlan3_v4_udp {
	struct ethhdr eth;
	struct vlan_tag tag[3];
	struct iphdr ip;
	struct udphdr udp;
} __packed;

/*
 * Everything at once, for the truncation sweep: QinQ, IPv6, hop-by-hop, first
 * fragment, TCP with options.
 */
struct deep_frame {
	struct ethhdr eth;
	struct vlan_tag outer;
	struct vlan_tag inner;
	struct ipv6hdr ip6;
	struct ext8 hop;
	struct ext_frag frag;
	struct tcphdr tcp;
	__u8 tcp_options[12]; /* doff = 8 */
	__u8 payload[20];
} __packed;

#define DEEP_HEADERS (sizeof(struct deep_frame) - 20)

#endif /* GT_TEST_BPF_FRAMES_H */
