// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Every parser branch, on every hook: a table of crafted frames and what the
 * programs must make of them (event flags, counters, the flow entry), then a
 * frame cut at every byte offset.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "harness.h"
#include "frames.h"

static const struct arp_frame arp = {
	.eth = ETH(ETH_P_ARP),
	.arp = { .ar_hrd = bpf_htons(ARPHRD_ETHER), .ar_pro = bpf_htons(ETH_P_IP),
		 .ar_hln = 6, .ar_pln = 4, .ar_op = bpf_htons(ARPOP_REQUEST) },
	.sha = MAC_A, .sip = { 10, 0, 0, 1 }, .tip = { 10, 0, 0, 2 },
};

static const struct v4_tcp v4_tcp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 56),
	.tcp = TCP(40000, 80),
};

static const struct v4_udp v4_udp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 36),
	.udp = UDP(5353, 53, 16),
};

static const struct v4opt_udp v4_options = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 7, .ttl = 64, .protocol = IPPROTO_UDP,
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2), .tot_len = bpf_htons(36) },
	.options = { 0x94, 0x04, 0, 0, 1, 1, 1, 0 }, /* router alert, NOPs, end */
	.udp = UDP(1000, 2000, 8),
};

static const struct v4_udp v4_bad_ihl = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 4, .protocol = IPPROTO_UDP,
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2) },
	.udp = UDP(1, 2, 16),
};

/* ihl says 60 bytes of header: more than the frame holds. */
static const struct v4_udp v4_long_ihl = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 15, .protocol = IPPROTO_UDP,
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2) },
	.udp = UDP(1, 2, 16),
};

static const struct v4_udp v4_not_v4 = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 6, .ihl = 5, .protocol = IPPROTO_UDP },
	.udp = UDP(1, 2, 16),
};

static const struct v4_tcp v4_bad_doff = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 56),
	.tcp = { .source = bpf_htons(1), .dest = bpf_htons(2), .doff = 4 },
};

/* doff = 15: 60 bytes of TCP header, the frame has 36. */
static const struct v4_tcp v4_long_doff = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 56),
	.tcp = { .source = bpf_htons(1), .dest = bpf_htons(2), .doff = 15 },
};

static const struct v4_udp v4_frag_first = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 5, .protocol = IPPROTO_UDP, .frag_off = bpf_htons(0x2000),
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2) },
	.udp = UDP(4000, 4001, 1000),
};

/* A later fragment: its first bytes look like a UDP header but are payload. */
static const struct v4_udp v4_frag_later = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 5, .protocol = IPPROTO_UDP, .frag_off = bpf_htons(185),
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2) },
	.udp = UDP(4000, 4001, 1000),
};

static const struct v4_icmp v4_echo = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_ICMP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 28),
	.icmp = { .type = ICMP_ECHO, .un.echo = { .id = bpf_htons(77), .sequence = bpf_htons(1) } },
};

static const struct v4_icmp v4_unreach = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_ICMP, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 28),
	.icmp = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH },
};

static const struct v4_tcp v4_gre = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_GRE, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 56),
};

/* SCTP: only the ports of its common header matter here (as a UDP header's). */
static const struct v4_udp v4_sctp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_SCTP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 36),
	.udp = UDP(3868, 2905, 0),
};

static const struct v6_tcp v6_tcp = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_TCP, V6(1), V6(2), 20),
	.tcp = TCP(40000, 443),
};

static const struct v6_udp v6_udp = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_UDP, V6(1), V6(2), 8),
	.udp = UDP(546, 547, 8),
};

static const struct v6_icmp v6_echo = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_ICMPV6, V6(1), V6(2), 8),
	.icmp6 = { .icmp6_type = ICMPV6_ECHO_REQUEST,
		   .icmp6_dataun.u_echo = { .identifier = bpf_htons(99) } },
};

static const struct v6_icmp v6_icmp_ns = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_ICMPV6, V6(1), V6(2), 8),
	.icmp6 = { .icmp6_type = 135 }, /* neighbour solicitation */
};

static const struct v6_icmp v6_bad_version = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = { .version = 4, .nexthdr = IPPROTO_ICMPV6 },
};

#define V6_EXT(name, type)                                                        \
	static const struct v6_ext_udp name = {                                   \
		.eth = ETH(ETH_P_IPV6),                                           \
		.ip6 = IP6(type, V6(1), V6(2), 16),                               \
		.ext = { .nexthdr = IPPROTO_UDP },                                \
		.udp = UDP(7000, 7001, 8),                                        \
	}
V6_EXT(v6_hop, IPPROTO_HOPOPTS);
V6_EXT(v6_routing, IPPROTO_ROUTING);
V6_EXT(v6_dstopts, IPPROTO_DSTOPTS);

/* hdrlen 3: the header claims 32 bytes, the frame has 16 after it. */
static const struct v6_ext_udp v6_ext_too_long = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_DSTOPTS, V6(1), V6(2), 16),
	.ext = { .nexthdr = IPPROTO_UDP, .hdrlen = 3 },
	.udp = UDP(7000, 7001, 8),
};

static const struct v6_ah_udp v6_ah = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_AH, V6(1), V6(2), 24),
	.ah = { .nexthdr = IPPROTO_UDP, .hdrlen = 2 },
	.udp = UDP(7100, 7101, 8),
};

static const struct v6_frag_udp v6_frag_first = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_FRAGMENT, V6(1), V6(2), 16),
	.frag = { .nexthdr = IPPROTO_UDP, .frag_off = bpf_htons(1) /* M */ },
	.udp = UDP(7200, 7201, 2000),
};

static const struct v6_frag_udp v6_frag_later = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_FRAGMENT, V6(1), V6(2), 16),
	.frag = { .nexthdr = IPPROTO_UDP, .frag_off = bpf_htons(1448) },
	.udp = UDP(7200, 7201, 2000),
};

#define CHAIN_EXT { .nexthdr = IPPROTO_DSTOPTS }
/* Six extension headers: the most the programs walk; UDP still found. */
static const struct v6_ext6_udp v6_ext6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_DSTOPTS, V6(1), V6(2), 72),
	.ext = { CHAIN_EXT, CHAIN_EXT, CHAIN_EXT, CHAIN_EXT, CHAIN_EXT,
		 { .nexthdr = IPPROTO_UDP } },
	.udp = UDP(7300, 7301, 8),
};

/* Seven: too many; the walk stops at a destination-options header. */
static const struct v6_ext7_udp v6_ext7 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_DSTOPTS, V6(1), V6(2), 72),
	.ext = { CHAIN_EXT, CHAIN_EXT, CHAIN_EXT, CHAIN_EXT, CHAIN_EXT, CHAIN_EXT,
		 { .nexthdr = IPPROTO_UDP } },
	.udp = UDP(7300, 7301, 8),
};

static const struct vlan_v4_udp vlan_udp = {
	.eth = ETH(ETH_P_8021Q),
	.tag = { .tci = bpf_htons(10), .proto = bpf_htons(ETH_P_IP) },
	.ip = IP4(IPPROTO_UDP, V4(192, 168, 10, 1), V4(192, 168, 10, 2), 28),
	.udp = UDP(123, 123, 8),
};

static const struct qinq_v6_tcp qinq_tcp = {
	.eth = ETH(ETH_P_8021AD),
	.outer = { .tci = bpf_htons(100), .proto = bpf_htons(ETH_P_8021Q) },
	.inner = { .tci = bpf_htons(200), .proto = bpf_htons(ETH_P_IPV6) },
	.ip6 = IP6(IPPROTO_TCP, V6(3), V6(4), 20),
	.tcp = TCP(22, 50000),
};

static const struct vlan3_v4_udp vlan3_udp = {
	.eth = ETH(ETH_P_8021AD),
	.tag = { { .tci = bpf_htons(1), .proto = bpf_htons(ETH_P_8021Q) },
		 { .tci = bpf_htons(2), .proto = bpf_htons(ETH_P_8021Q) },
		 { .tci = bpf_htons(3), .proto = bpf_htons(ETH_P_IP) } },
	.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 28),
	.udp = UDP(1, 2, 8),
};

static const struct v4_udp lldp = { .eth = ETH(0x88cc) };

#define TRUNC GT_EV_TRUNCATED_PARSE
#define FRAG GT_EV_FRAGMENT
#define VLAN GT_EV_VLAN

struct parse_case {
	const char *name;
	const void *frame;
	uint32_t len;
	uint16_t flags;	 /* GT_EV_* the event must carry */
	bool non_ip;
	uint8_t family;	 /* of the flow entry; 0: no flow */
	uint8_t proto;
	uint16_t sport, dport; /* as the packet travels (host order) */
};

#define FRAME(f) .frame = &(f), .len = sizeof(f)

static const struct parse_case cases[] = {
	{ "arp", FRAME(arp), .non_ip = true },
	{ "arp cut in the addresses", .frame = &arp, .len = sizeof(arp) - 4, .flags = TRUNC,
	  .non_ip = true },
	{ "unknown ethertype", FRAME(lldp), .non_ip = true },
	{ "ipv4 tcp", FRAME(v4_tcp), .family = 4, .proto = 6, .sport = 40000, .dport = 80 },
	{ "ipv4 udp", FRAME(v4_udp), .family = 4, .proto = 17, .sport = 5353, .dport = 53 },
	{ "ipv4 with options", FRAME(v4_options), .family = 4, .proto = 17, .sport = 1000,
	  .dport = 2000 },
	{ "ipv4 ihl 4", FRAME(v4_bad_ihl), .flags = TRUNC },
	{ "ipv4 ihl past the end", FRAME(v4_long_ihl), .flags = TRUNC },
	{ "ipv4 ethertype, version 6", FRAME(v4_not_v4), .flags = TRUNC },
	{ "ipv4 sctp", FRAME(v4_sctp), .family = 4, .proto = IPPROTO_SCTP, .sport = 3868,
	  .dport = 2905 },
	{ "ipv4 other protocol (gre)", FRAME(v4_gre), .family = 4, .proto = IPPROTO_GRE },
	{ "ipv4 first fragment", FRAME(v4_frag_first), .flags = FRAG, .family = 4, .proto = 17,
	  .sport = 4000, .dport = 4001 },
	{ "ipv4 later fragment", FRAME(v4_frag_later), .flags = FRAG, .family = 4, .proto = 17 },
	{ "ipv4 icmp echo", FRAME(v4_echo), .family = 4, .proto = 1, .sport = 77, .dport = 77 },
	{ "ipv4 icmp unreachable", FRAME(v4_unreach), .family = 4, .proto = 1, .sport = 0x0303 },
	{ "tcp doff 4", FRAME(v4_bad_doff), .flags = TRUNC },
	{ "tcp doff past the end", FRAME(v4_long_doff), .flags = TRUNC },
	{ "ipv6 tcp", FRAME(v6_tcp), .family = 6, .proto = 6, .sport = 40000, .dport = 443 },
	{ "ipv6 udp", FRAME(v6_udp), .family = 6, .proto = 17, .sport = 546, .dport = 547 },
	{ "ipv6 bad version", FRAME(v6_bad_version), .flags = TRUNC },
	{ "icmpv6 echo", FRAME(v6_echo), .family = 6, .proto = 58, .sport = 99, .dport = 99 },
	{ "icmpv6 neighbour solicitation", FRAME(v6_icmp_ns), .family = 6, .proto = 58,
	  .sport = 135 << 8 },
	{ "ipv6 hop-by-hop", FRAME(v6_hop), .family = 6, .proto = 17, .sport = 7000,
	  .dport = 7001 },
	{ "ipv6 routing", FRAME(v6_routing), .family = 6, .proto = 17, .sport = 7000,
	  .dport = 7001 },
	{ "ipv6 destination options", FRAME(v6_dstopts), .family = 6, .proto = 17, .sport = 7000,
	  .dport = 7001 },
	{ "ipv6 extension past the end", FRAME(v6_ext_too_long), .flags = TRUNC },
	{ "ipv6 authentication header", FRAME(v6_ah), .family = 6, .proto = 17, .sport = 7100,
	  .dport = 7101 },
	{ "ipv6 first fragment", FRAME(v6_frag_first), .flags = FRAG, .family = 6, .proto = 17,
	  .sport = 7200, .dport = 7201 },
	{ "ipv6 later fragment", FRAME(v6_frag_later), .flags = FRAG, .family = 6, .proto = 17 },
	{ "ipv6 six extension headers", FRAME(v6_ext6), .family = 6, .proto = 17, .sport = 7300,
	  .dport = 7301 },
	{ "ipv6 seven extension headers", FRAME(v6_ext7), .family = 6, .proto = IPPROTO_DSTOPTS },
	{ "802.1q", FRAME(vlan_udp), .flags = VLAN, .family = 4, .proto = 17, .sport = 123,
	  .dport = 123 },
	{ "802.1ad + 802.1q", FRAME(qinq_tcp), .flags = VLAN, .family = 6, .proto = 6, .sport = 22,
	  .dport = 50000 },
	{ "three tags: the third is not looked through", FRAME(vlan3_udp), .flags = VLAN,
	  .non_ip = true },
};

static int pass_verdict(enum gt_hook hook)
{
	return hook == GT_HOOK_XDP ? XDP_PASS : TC_ACT_OK;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool addr_pair_is(const struct gt_flow_key *k, const void *frame, int family)
{
	uint8_t src[16] = {}, dst[16] = {};
	const uint8_t *ip = (const uint8_t *)frame + sizeof(struct ethhdr);
	size_t n = family == 4 ? 4 : 16;

	/* Past any VLAN tags. */
	while (ip[-2] == 0x81 || ip[-2] == 0x88)
		ip += 4;
	memcpy(src, ip + (family == 4 ? 12 : 8), n);
	memcpy(dst, ip + (family == 4 ? 16 : 24), n);
	return (!memcmp(k->addr_a, src, 16) && !memcmp(k->addr_b, dst, 16)) ||
	       (!memcmp(k->addr_a, dst, 16) && !memcmp(k->addr_b, src, 16));
}

static bool check_case(struct harness *h, const struct parse_case *c, enum gt_hook hook)
{
	const char *hn = harness_hook_name(hook);
	enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;
	struct gt_dir_counters dc;
	struct gt_flow_key key;
	struct gt_flow_value val;
	const struct gt_event *ev;
	uint64_t before, after;
	int n;

	EXPECT_EQ(harness_reset(h), 0, "%s/%s reset", c->name, hn);
	before = boot_ns();
	EXPECT_EQ(harness_run(h, hook, c->frame, c->len, NULL), pass_verdict(hook), "%s/%s verdict",
		  c->name, hn);
	after = boot_ns();
	EXPECT_EQ(harness_drain(h), 1, "%s/%s events", c->name, hn);
	ev = &h->events[0].ev;
	EXPECT_EQ(ev->version, GT_EVENT_VERSION, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->hdr_len, sizeof(*ev), "%s/%s", c->name, hn);
	EXPECT_EQ(ev->flags, c->flags, "%s/%s event flags", c->name, hn);
	EXPECT_EQ(ev->dir, dir, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->hook, hook, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->ifindex, 1, "%s/%s (lo)", c->name, hn);
	EXPECT_EQ(ev->wire_len, c->len, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->cap_len, c->len, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->gso_segs, 1, "%s/%s", c->name, hn);
	EXPECT_EQ(ev->ts_ns >= before && ev->ts_ns <= after, 1, "%s/%s CLOCK_BOOTTIME stamp",
		  c->name, hn);
	EXPECT_EQ(memcmp(h->events[0].data, c->frame, c->len), 0, "%s/%s frame bytes", c->name, hn);

	EXPECT_EQ(harness_dir_counters(h, 1, dir, &dc), 0, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.packets, 1, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.bytes, c->len, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.events, 1, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.truncated, !!(c->flags & TRUNC), "%s/%s", c->name, hn);
	EXPECT_EQ(dc.non_ip, c->non_ip, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.gso_segs, 1, "%s/%s", c->name, hn);
	EXPECT_EQ(harness_dir_counters(h, 1, !dir, &dc), 0, "%s/%s", c->name, hn);
	EXPECT_EQ(dc.packets, 0, "%s/%s other direction", c->name, hn);

	n = harness_only_flow(h, &key, &val);
	EXPECT_EQ(n, c->family ? 1 : 0, "%s/%s flow entries", c->name, hn);
	if (!c->family) {
		EXPECT_EQ(ev->flow_hash, 0, "%s/%s not a flow", c->name, hn);
		return true;
	}
	EXPECT_EQ(key.family, c->family, "%s/%s", c->name, hn);
	EXPECT_EQ(key.proto, c->proto, "%s/%s", c->name, hn);
	EXPECT_EQ(key.ifindex, 1, "%s/%s", c->name, hn);
	EXPECT_EQ(addr_pair_is(&key, c->frame, c->family), 1, "%s/%s flow addresses", c->name, hn);
	/* The ports, whichever side the normalisation put them on. */
	if (key.port_a == bpf_htons(c->sport)) {
		EXPECT_EQ(bpf_ntohs(key.port_b), c->dport, "%s/%s", c->name, hn);
	} else {
		EXPECT_EQ(bpf_ntohs(key.port_a), c->dport, "%s/%s", c->name, hn);
		EXPECT_EQ(bpf_ntohs(key.port_b), c->sport, "%s/%s", c->name, hn);
	}
	EXPECT_EQ(val.packets[0] + val.packets[1], 1, "%s/%s", c->name, hn);
	EXPECT_EQ(val.bytes[0] + val.bytes[1], c->len, "%s/%s", c->name, hn);
	EXPECT_EQ(val.first_dir, dir, "%s/%s", c->name, hn);
	EXPECT_EQ(val.first_seen_ns == ev->ts_ns && val.last_seen_ns == ev->ts_ns, 1,
		  "%s/%s flow stamps are the packet's", c->name, hn);
	EXPECT_EQ(ev->flow_hash, gt_flow_hash(&key), "%s/%s event flow hash", c->name, hn);
	return true;
}

TEST(bpf_parse_every_branch_on_every_hook)
{
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!check_case(&h, &cases[i], harness_hooks[k]))
				goto out;
out:
	harness_close(&h);
}

/*
 * The deepest frame the parsers know, cut at every length: always the pass
 * verdict, one packet counted, "truncated" exactly when the cut falls inside
 * the headers, and the event holds exactly the bytes that were there.
 */
static const struct deep_frame deep = {
	.eth = ETH(ETH_P_8021AD),
	.outer = { .tci = bpf_htons(100), .proto = bpf_htons(ETH_P_8021Q) },
	.inner = { .tci = bpf_htons(200), .proto = bpf_htons(ETH_P_IPV6) },
	.ip6 = IP6(IPPROTO_HOPOPTS, V6(1), V6(2), 8 + 8 + 32 + 20),
	.hop = { .nexthdr = IPPROTO_FRAGMENT, .data = { 1, 4, 0, 0, 0, 0 } },
	.frag = { .nexthdr = IPPROTO_TCP, .frag_off = bpf_htons(1), .id = bpf_htonl(7) },
	.tcp = { .source = bpf_htons(443), .dest = bpf_htons(51000), .doff = 8, .ack = 1,
		 .psh = 1 },
	.tcp_options = { 1, 1, 8, 10 },
	.payload = "twenty bytes of data",
};

/* The flags appear once their header is whole. */
#define VLAN_SEEN (offsetof(struct deep_frame, outer) + sizeof(struct vlan_tag))
#define FRAG_SEEN (offsetof(struct deep_frame, frag) + sizeof(struct ext_frag))

static bool check_cut(struct harness *h, enum gt_hook hook, uint32_t len, uint64_t *truncated)
{
	const char *hn = harness_hook_name(hook);
	bool cut_in_headers = len < DEEP_HEADERS;
	enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;
	struct gt_dir_counters dc;

	EXPECT_EQ(harness_run(h, hook, &deep, len, NULL), pass_verdict(hook), "%s len %u", hn, len);
	EXPECT_EQ(harness_drain(h), 1, "%s len %u", hn, len);
	EXPECT_EQ(h->events[0].ev.cap_len, len, "%s len %u", hn, len);
	EXPECT_EQ(memcmp(h->events[0].data, &deep, len), 0, "%s len %u frame bytes", hn, len);
	EXPECT_EQ(!!(h->events[0].ev.flags & TRUNC), cut_in_headers, "%s len %u", hn, len);
	EXPECT_EQ(h->events[0].ev.flags & VLAN, len >= VLAN_SEEN ? VLAN : 0, "%s len %u", hn, len);
	EXPECT_EQ(h->events[0].ev.flags & FRAG, len >= FRAG_SEEN ? FRAG : 0, "%s len %u", hn, len);
	*truncated += cut_in_headers;
	EXPECT_EQ(harness_dir_counters(h, 1, dir, &dc), 0, "%s", hn);
	EXPECT_EQ(dc.truncated, *truncated, "%s len %u", hn, len);
	EXPECT_EQ(dc.packets, len - ETH_HLEN + 1, "%s len %u", hn, len);
	return true;
}

TEST(bpf_parse_frame_cut_at_every_byte)
{
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (int k = 0; k < 3; k++) {
		uint64_t truncated = 0;

		CHECK_INT(harness_reset(&h), 0);
		/* The kernel's test run refuses frames shorter than an Ethernet header. */
		for (uint32_t len = ETH_HLEN; len <= sizeof(deep); len++)
			if (!check_cut(&h, harness_hooks[k], len, &truncated))
				goto out;
		CHECK_INT(truncated, DEEP_HEADERS - ETH_HLEN);
		/* Only whole headers made a flow: one entry, the complete frames. */
		CHECK_INT(harness_only_flow(&h, &key, &val), 1);
		CHECK_INT(val.packets[0] + val.packets[1], sizeof(deep) - DEEP_HEADERS + 1);
		CHECK_INT(key.proto, IPPROTO_TCP);
		CHECK(key.port_a == bpf_htons(443) || key.port_b == bpf_htons(443));
	}
out:
	harness_close(&h);
}

/* xorshift32: the same "random" frames on every run, so a failure reproduces. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/*
 * Garbage in the headers: the deep frame with a few bytes changed at random and
 * cut at a random length. Whatever the parsers make of it, the verdict is pass,
 * one event carries the frame unchanged, and every run is counted.
 */
TEST(bpf_parse_mangled_frames)
{
	uint32_t seed = 0x6774726b, runs[3] = {};
	uint8_t frame[sizeof(deep)];
	struct gt_dir_counters dc;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	for (int i = 0; i < 3000; i++) {
		int k = i % 3, ret;
		enum gt_hook hook = harness_hooks[k];
		uint32_t len = ETH_HLEN + next_random(&seed) % (sizeof(deep) - ETH_HLEN + 1);

		memcpy(frame, &deep, sizeof(deep));
		for (uint32_t n = 1 + next_random(&seed) % 4; n; n--)
			frame[next_random(&seed) % DEEP_HEADERS] = (uint8_t)next_random(&seed);
		ret = harness_run(&h, hook, frame, len, NULL);
		/* The kernel's TC test run refuses an IP ethertype without a whole IP header. */
		if (ret == -EINVAL && hook != GT_HOOK_XDP)
			continue;
		CHECK_INT(ret, pass_verdict(hook));
		runs[k]++;
		CHECK_INT(harness_drain(&h), 1);
		CHECK_INT(h.events[0].ev.cap_len, len);
		CHECK(!memcmp(h.events[0].data, frame, len));
	}
	for (int k = 0; k < 3; k++) {
		enum gt_dir dir = harness_hooks[k] == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;

		CHECK_INT(harness_dir_counters(&h, 1, dir, &dc), 0);
		if (dir == GT_DIR_IN)
			CHECK_INT(dc.packets, runs[0] + runs[1]);
		else
			CHECK_INT(dc.packets, runs[2]);
		CHECK(runs[k] > 500);
	}
	harness_close(&h);
}
