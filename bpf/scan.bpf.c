// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * SYN scan replies, taken at TC ingress (tcx, ahead of the capture programs).
 * A TCP segment to one of the scan's source ports that acknowledges the keyed
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

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&scan_counters, &which);

	if (c)
		*c += 1;
}

SEC("tc")
int scan_tc_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;
	struct scan_reply *r;
	__u16 proto, dport;
	__u8 flags;
	int verdict = TCX_NEXT;

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
	if (proto != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > data_end)
		goto out;
	if (ip->protocol != IPPROTO_TCP || ip->ihl < 5 ||
	    (ip->frag_off & bpf_htons(0x3fff)))	/* fragments carry no full header */
		goto out;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > data_end)
		goto out;
	dport = bpf_ntohs(tcp->dest);
	if (dport < sport_lo || dport >= sport_lo + SCAN_SPORT_SPAN)
		goto out;
	flags = ((__u8 *)tcp)[13];
	if (!(flags & SCAN_TCP_ACK) || !(flags & (SCAN_TCP_SYN | SCAN_TCP_RST)))
		goto out;
	if (bpf_ntohl(tcp->ack_seq) - 1 !=
	    scan_cookie(key0, key1, ip->daddr, ip->saddr, dport, bpf_ntohs(tcp->source))) {
		count(SCAN_CNT_FORGED);
		goto out;
	}
	count(SCAN_CNT_MATCHED);
	verdict = TCX_DROP;	/* TC_ACT_SHOT */
	r = bpf_ringbuf_reserve(&scan_replies, sizeof(*r), 0);
	if (!r) {
		count(SCAN_CNT_RING_FULL);
		goto out;
	}
	r->version = SCAN_REPLY_VERSION;
	r->flags = flags;
	r->ttl = ip->ttl;
	r->saddr = ip->saddr;
	r->daddr = ip->daddr;
	r->sport = bpf_ntohs(tcp->source);
	r->dport = dport;
	r->seq = bpf_ntohl(tcp->seq);
	r->ack = bpf_ntohl(tcp->ack_seq);
	r->ifindex = skb->ifindex;
	bpf_ringbuf_submit(r, 0);
out:
	return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
