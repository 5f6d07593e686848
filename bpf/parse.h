/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Header parsing with a cursor (xdp-tutorial's common/parsing_helpers.h): each
 * parse_* checks its header against data_end, moves the cursor past it and
 * returns the next protocol, or -1 when the header runs past the end of the
 * frame or is malformed (both count as "truncated"). parse_frame() walks
 * Ethernet -> VLAN x2 -> ARP | IPv4 | IPv6 (+extension headers) -> TCP | UDP |
 * SCTP | ICMP | ICMPv6 and fills struct gt_pkt, the summary the filter and the
 * counters work on.
 */
#ifndef GT_PARSE_H
#define GT_PARSE_H

#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include "ctx.h"

#define GT_ETH_P_IP	0x0800
#define GT_ETH_P_ARP	0x0806
#define GT_ETH_P_8021Q	0x8100
#define GT_ETH_P_8021AD 0x88A8
#define GT_ETH_P_IPV6	0x86DD

#define GT_IPPROTO_HOPOPTS  0
#define GT_IPPROTO_ICMP	    1
#define GT_IPPROTO_TCP	    6
#define GT_IPPROTO_UDP	    17
#define GT_IPPROTO_ROUTING  43
#define GT_IPPROTO_FRAGMENT 44
#define GT_IPPROTO_AH	    51
#define GT_IPPROTO_ICMPV6   58
#define GT_IPPROTO_DSTOPTS  60
#define GT_IPPROTO_SCTP	    132

#define GT_VLAN_MAX	2 /* 802.1ad outer + 802.1Q inner */
#define GT_IPV6_EXT_MAX 6 /* more extension headers than this: L4 unknown */

#define GT_IP_MF     0x2000
#define GT_IP_OFFSET 0x1fff

/* What the parsers learnt about one frame. */
struct gt_pkt {
	__u32 saddr[4];	 /* network order; IPv4 in saddr[0], the rest zero */
	__u32 daddr[4];
	__be16 sport;	 /* TCP/UDP ports; ICMP: see parse_icmp_ports() */
	__be16 dport;
	__u8 family;	 /* GT_AF_NONE for non-IP frames */
	__u8 proto;	 /* L4 protocol (last next-header reached for IPv6) */
	__u8 has_ports;	 /* a TCP, UDP or SCTP header was parsed: ports are real */
	__u8 has_l4;	 /* an L4 header (those, ICMP, ICMPv6) was parsed */
	__u8 tcp_flags;
	__u8 pad;
	__u16 flags;	 /* enum gt_event_flags */
	__u32 hdr_len;	 /* bytes from the Ethernet header to the end of L4's header */
};

struct hdr_cursor {
	void *pos;
};

/* Ethernet and up to GT_VLAN_MAX tags; returns the inner ethertype (host order). */
static __always_inline int parse_ethhdr_vlan(struct hdr_cursor *nh, void *data_end,
					     struct gt_pkt *p)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_hdr *vlh;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return -1;
	nh->pos = eth + 1;
	proto = bpf_ntohs(eth->h_proto);
#pragma unroll
	for (int i = 0; i < GT_VLAN_MAX; i++) {
		if (proto != GT_ETH_P_8021Q && proto != GT_ETH_P_8021AD)
			break;
		vlh = nh->pos;
		if ((void *)(vlh + 1) > data_end)
			return -1;
		p->flags |= GT_EV_VLAN;
		proto = bpf_ntohs(vlh->h_vlan_encapsulated_proto);
		nh->pos = vlh + 1;
	}
	return proto;
}

/* ARP: the fixed header and the addresses it announces must be present. */
static __always_inline int parse_arp(struct hdr_cursor *nh, void *data_end)
{
	struct arphdr *arp = nh->pos;
	__u32 addrs;

	if ((void *)(arp + 1) > data_end)
		return -1;
	addrs = 2 * ((__u32)arp->ar_hln + arp->ar_pln);
	if (nh->pos + sizeof(*arp) + addrs > data_end)
		return -1;
	nh->pos += sizeof(*arp) + addrs;
	return 0;
}

static __always_inline int parse_ipv4(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p)
{
	struct iphdr *iph = nh->pos;
	__u32 hdrsize;
	__u16 frag;

	if ((void *)(iph + 1) > data_end)
		return -1;
	/* Filled before the checks: pcap's primitives read them even from a bad header. */
	p->proto = iph->protocol;
	p->saddr[0] = iph->saddr;
	p->daddr[0] = iph->daddr;
	hdrsize = iph->ihl * 4;
	if (iph->version != 4 || hdrsize < sizeof(*iph))
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	frag = bpf_ntohs(iph->frag_off);
	if (frag & (GT_IP_MF | GT_IP_OFFSET))
		p->flags |= GT_EV_FRAGMENT;
	if (frag & GT_IP_OFFSET)
		return -2; /* a later fragment: no L4 header here */
	return iph->protocol;
}

static __always_inline bool ipv6_is_ext(__u8 nexthdr)
{
	return nexthdr == GT_IPPROTO_HOPOPTS || nexthdr == GT_IPPROTO_ROUTING ||
	       nexthdr == GT_IPPROTO_FRAGMENT || nexthdr == GT_IPPROTO_DSTOPTS ||
	       nexthdr == GT_IPPROTO_AH;
}

/*
 * IPv6 and its extension headers (bounded: GT_IPV6_EXT_MAX); returns the L4
 * protocol, -2 for a later fragment or too many extension headers (proto
 * records where the walk stopped), -1 when truncated.
 */
static __always_inline int parse_ipv6(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p)
{
	struct ipv6hdr *ip6h = nh->pos;
	__u8 nexthdr;

	if ((void *)(ip6h + 1) > data_end)
		return -1;
	__builtin_memcpy(p->saddr, &ip6h->saddr, 16);
	__builtin_memcpy(p->daddr, &ip6h->daddr, 16);
	nexthdr = ip6h->nexthdr;
	p->proto = nexthdr;
	if (ip6h->version != 6)
		return -1;
	nh->pos = ip6h + 1;

#pragma unroll
	for (int i = 0; i < GT_IPV6_EXT_MAX; i++) {
		struct ipv6_opt_hdr *opt = nh->pos;
		__u32 len;

		if (!ipv6_is_ext(nexthdr))
			return nexthdr;
		if ((void *)(opt + 1) > data_end)
			return -1;
		if (nexthdr == GT_IPPROTO_FRAGMENT) {
			struct frag_hdr *fh = nh->pos;

			if ((void *)(fh + 1) > data_end)
				return -1;
			p->flags |= GT_EV_FRAGMENT;
			nexthdr = fh->nexthdr;
			p->proto = nexthdr;
			if (bpf_ntohs(fh->frag_off) & ~7)
				return -2; /* offset != 0: a later fragment */
			nh->pos = fh + 1;
			continue;
		}
		if (nexthdr == GT_IPPROTO_AH)
			len = ((__u32)opt->hdrlen + 2) * 4;
		else
			len = ((__u32)opt->hdrlen + 1) * 8;
		if (nh->pos + len > data_end)
			return -1;
		nexthdr = opt->nexthdr;
		p->proto = nexthdr;
		nh->pos += len;
	}
	return ipv6_is_ext(nexthdr) ? -2 : nexthdr;
}

/*
 * TCP, UDP and SCTP headers start with the two ports; take them as soon as they
 * are there, before the rest of the header is checked, because pcap's "port"
 * reads them at fixed offsets from a header cut short or bad, and the kernel
 * filter must not refuse what the expression accepts. Then check the header:
 * hdrsize bytes, or -1.
 */
static __always_inline int parse_ports(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p,
				       __u32 hdrsize)
{
	__be16 *ports = nh->pos;

	if ((void *)(ports + 2) > data_end)
		return -1;
	p->sport = ports[0];
	p->dport = ports[1];
	p->has_ports = 1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	return 0;
}

static __always_inline int parse_tcp(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p)
{
	struct tcphdr *th = nh->pos;
	__u32 hdrsize;

	if (parse_ports(nh, data_end, p, 0) || (void *)(th + 1) > data_end)
		return -1;
	hdrsize = th->doff * 4;
	if (hdrsize < sizeof(*th))
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	p->tcp_flags = ((__u8 *)th)[13];
	return 0;
}

static __always_inline int parse_udp(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p)
{
	return parse_ports(nh, data_end, p, sizeof(struct udphdr));
}

/* SCTP's common header: ports (what pcap's "port" also matches), tag, checksum. */
static __always_inline int parse_sctp(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p)
{
	return parse_ports(nh, data_end, p, 12);
}

/*
 * ICMP and ICMPv6 have no ports. For the flow key, an echo request and its reply
 * both use the echo identifier on each side (conntrack's choice), so one ping
 * session is one flow entry; any other message puts type<<8|code on the sender's
 * side and 0 on the other.
 */
static __always_inline int parse_icmp(struct hdr_cursor *nh, void *data_end, struct gt_pkt *p,
				      __u8 echo_req, __u8 echo_rep)
{
	__u8 *h = nh->pos;
	__be16 id;

	if ((void *)(h + 8) > data_end)
		return -1;
	nh->pos = h + 8;
	if (h[0] == echo_req || h[0] == echo_rep) {
		__builtin_memcpy(&id, h + 4, sizeof(id));
		p->sport = id;
		p->dport = id;
	} else {
		p->sport = bpf_htons(((__u16)h[0] << 8) | h[1]);
		p->dport = 0;
	}
	return 0;
}

/* Fill p from the frame in c; never fails: odd frames set GT_EV_TRUNCATED_PARSE. */
static __always_inline void parse_frame(const struct gt_ctx *c, struct gt_pkt *p)
{
	void *data_end = c->data_end;
	struct hdr_cursor nh = { .pos = c->data };
	int proto, ret;

	if (c->vlan_proto)
		p->flags |= GT_EV_VLAN; /* the device holds the tag outside the frame */
	proto = parse_ethhdr_vlan(&nh, data_end, p);
	if (proto < 0)
		goto truncated;
	/* The ethertype makes it IP, even if the header turns out truncated or bad. */
	if (proto == GT_ETH_P_IP) {
		p->family = GT_AF_INET;
		ret = parse_ipv4(&nh, data_end, p);
	} else if (proto == GT_ETH_P_IPV6) {
		p->family = GT_AF_INET6;
		ret = parse_ipv6(&nh, data_end, p);
	} else if (proto == GT_ETH_P_ARP)
		ret = parse_arp(&nh, data_end) ? -1 : -2;
	else
		return; /* another ethertype: counted as non-IP, nothing to check */
	if (ret == -1)
		goto truncated;
	if (ret == -2)
		return;

	if (ret == GT_IPPROTO_TCP)
		ret = parse_tcp(&nh, data_end, p);
	else if (ret == GT_IPPROTO_UDP)
		ret = parse_udp(&nh, data_end, p);
	else if (ret == GT_IPPROTO_SCTP)
		ret = parse_sctp(&nh, data_end, p);
	else if (ret == GT_IPPROTO_ICMP && p->family == GT_AF_INET)
		ret = parse_icmp(&nh, data_end, p, 8, 0);
	else if (ret == GT_IPPROTO_ICMPV6 && p->family == GT_AF_INET6)
		ret = parse_icmp(&nh, data_end, p, 128, 129);
	else
		return; /* an L4 protocol we do not look into */
	if (ret < 0)
		goto truncated;
	p->has_l4 = 1;
	p->hdr_len = nh.pos - c->data;
	return;
truncated:
	p->flags |= GT_EV_TRUNCATED_PARSE;
}

#endif /* GT_PARSE_H */
