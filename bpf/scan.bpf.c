// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * SYN scan replies, taken at ingress: TC (tcx, ahead of the capture programs)
 * or XDP, one logic for both. A TCP segment to one of the scan's source ports that acknowledges the keyed
 * cookie of its 4-tuple is a reply to our probe: it goes to userspace through
 * the ring buffer and is dropped, so the local kernel, which has no socket for
 * it, does not answer with a reset. Everything else goes on untouched.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "scan.h"

#define ETH_P_IP 0x0800
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8

/* set by the scanner before load */
const volatile __u64 key0 = 0;
const volatile __u64 key1 = 0;
const volatile __u16 sport_lo = 0;	/* scan source ports: sport_lo .. sport_lo + SPAN - 1 */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} scan_replies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCAN_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} scan_counters SEC(".maps");

#define ICMP_DEST_UNREACH 3

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&scan_counters, &which);

	if (c)
		*c += 1;
}

static __always_inline bool ours(__be32 scanner, __be32 target, __u16 sport, __u16 dport,
				 __u32 seq)
{
	if (sport < sport_lo || sport >= sport_lo + SCAN_SPORT_SPAN)
		return false;
	if (seq != scan_cookie(key0, key1, scanner, target, sport, dport)) {
		count(SCAN_CNT_FORGED);
		return false;
	}
	return true;
}

static __always_inline void report(__u32 ifindex, const struct iphdr *ip, __be32 target,
				   __be32 scanner, __u16 tport, __u16 sport, __u32 seq, __u32 ack,
				   __u8 flags, __u8 icmp_type, __u8 icmp_code)
{
	struct scan_reply *r;

	count(SCAN_CNT_MATCHED);
	r = bpf_ringbuf_reserve(&scan_replies, sizeof(*r), 0);
	if (!r) {
		count(SCAN_CNT_RING_FULL);
		return;
	}
	r->version = SCAN_REPLY_VERSION;
	r->flags = flags;
	r->ttl = ip->ttl;
	r->saddr = target;
	r->daddr = scanner;
	r->sport = tport;
	r->dport = sport;
	r->seq = seq;
	r->ack = ack;
	r->ifindex = ifindex;
	r->icmp_type = icmp_type;
	r->icmp_code = icmp_code;
	r->pad = 0;
	bpf_ringbuf_submit(r, 0);
}

/* true when the frame is a reply to one of our probes: reported, to be dropped */
static __always_inline bool take_reply(void *data, void *data_end, __u32 ifindex)
{
	struct ethhdr *eth = data;
	struct iphdr *ip, *inner;
	struct tcphdr *tcp;
	struct icmphdr *icmp;
	__u16 proto;
	__u8 flags;
	bool taken = false;

	if ((void *)(eth + 1) > data_end)
		goto out;
	proto = eth->h_proto;
	ip = (void *)(eth + 1);
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			goto out;
		proto = vh->h_vlan_encapsulated_proto;
		ip = (void *)(vh + 1);
	}
	if (proto != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > data_end || ip->ihl < 5 ||
	    (ip->frag_off & bpf_htons(0x3fff)))	/* fragments carry no full header */
		goto out;

	if (ip->protocol == IPPROTO_TCP) {
		tcp = (void *)ip + ip->ihl * 4;
		if ((void *)(tcp + 1) > data_end)
			goto out;
		flags = ((__u8 *)tcp)[13];
		if (!(flags & SCAN_TCP_ACK) || !(flags & (SCAN_TCP_SYN | SCAN_TCP_RST)))
			goto out;
		/* a reply acknowledges our cookie + 1 */
		if (!ours(ip->daddr, ip->saddr, bpf_ntohs(tcp->dest), bpf_ntohs(tcp->source),
			  bpf_ntohl(tcp->ack_seq) - 1))
			goto out;
		report(ifindex, ip, ip->saddr, ip->daddr, bpf_ntohs(tcp->source), bpf_ntohs(tcp->dest),
		       bpf_ntohl(tcp->seq), bpf_ntohl(tcp->ack_seq), flags, 0, 0);
		taken = true;
	} else if (ip->protocol == IPPROTO_ICMP) {
		/* destination unreachable, quoting our probe: its IP header and 8 TCP bytes */
		icmp = (void *)ip + ip->ihl * 4;
		if ((void *)(icmp + 1) > data_end || icmp->type != ICMP_DEST_UNREACH)
			goto out;
		inner = (void *)(icmp + 1);
		if ((void *)(inner + 1) > data_end || inner->protocol != IPPROTO_TCP ||
		    inner->ihl < 5 || inner->saddr != ip->daddr)
			goto out;
		tcp = (void *)inner + inner->ihl * 4;
		if ((void *)tcp + 8 > data_end)
			goto out;
		/* the probe itself carries the cookie as its sequence number */
		if (!ours(inner->saddr, inner->daddr, bpf_ntohs(tcp->source), bpf_ntohs(tcp->dest),
			  bpf_ntohl(tcp->seq)))
			goto out;
		report(ifindex, ip, inner->daddr, inner->saddr, bpf_ntohs(tcp->dest),
		       bpf_ntohs(tcp->source), 0, 0, 0, icmp->type, icmp->code);
		taken = true;
	}
out:
	return taken;
}

SEC("tc")
int scan_tc_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;

	/* TCX_DROP is TC_ACT_SHOT; TCX_NEXT lets the next program (a capture) see it */
	return take_reply(data, data_end, skb->ifindex) ? TCX_DROP : TCX_NEXT;
}

SEC("xdp")
int scan_xdp_ingress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return take_reply(data, data_end, ctx->ingress_ifindex) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
