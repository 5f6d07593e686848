// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The in-kernel filter: each rule kind alone, AND within a rule, OR across
 * rules, the empty rule set, all GT_MAX_RULES rules, and rules changed while
 * loaded. Eight packets go through three placements (TC ingress and egress on
 * lo, XDP on the veth gtk0); each case says which ones must produce an event.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "frames.h"

static const struct v4_tcp p_tcp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 56),
	.tcp = TCP(40000, 80),
};

static const struct v4_tcp p_tcp_reply = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 56),
	.tcp = TCP(80, 40000),
};

static const struct v4_udp p_udp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 3), V4(10, 0, 1, 4), 36),
	.udp = UDP(53, 5353, 16),
};

static const struct v6_tcp p_tcp6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_TCP, V6(1), V6(2), 20),
	.tcp = TCP(40000, 443),
};

static const struct arp_frame p_arp = {
	.eth = ETH(ETH_P_ARP),
	.arp = { .ar_hrd = bpf_htons(ARPHRD_ETHER), .ar_pro = bpf_htons(ETH_P_IP),
		 .ar_hln = 6, .ar_pln = 4, .ar_op = bpf_htons(ARPOP_REQUEST) },
	.sip = { 10, 0, 0, 1 }, .tip = { 10, 0, 0, 2 },
};

static const struct v6_icmp p_echo6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_ICMPV6, V6(1), V6(2), 8),
	.icmp6 = { .icmp6_type = ICMPV6_ECHO_REQUEST,
		   .icmp6_dataun.u_echo = { .identifier = bpf_htons(53) } },
};

/* A later fragment whose payload happens to read "53 -> 53" where ports would be. */
static const struct v4_udp p_frag = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 5, .protocol = IPPROTO_UDP, .frag_off = bpf_htons(100),
		.saddr = V4(10, 0, 0, 1), .daddr = V4(10, 0, 0, 2) },
	.udp = UDP(53, 53, 16),
};

/* pcap's "port" means TCP, UDP or SCTP: the kernel rules must let SCTP through too. */
static const struct v4_udp p_sctp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_SCTP, V4(10, 0, 0, 9), V4(10, 0, 0, 10), 36),
	.udp = UDP(80, 38412, 0),
};

enum { TCP4, TCP4R, UDP4, TCP6, ARP, ECHO6, FRAG4, SCTP4, N_PKTS };

static const struct {
	const void *frame;
	uint32_t len;
} pkts[N_PKTS] = {
	[TCP4] = { &p_tcp, sizeof(p_tcp) },	   [TCP4R] = { &p_tcp_reply, sizeof(p_tcp_reply) },
	[UDP4] = { &p_udp, sizeof(p_udp) },	   [TCP6] = { &p_tcp6, sizeof(p_tcp6) },
	[ARP] = { &p_arp, sizeof(p_arp) },	   [ECHO6] = { &p_echo6, sizeof(p_echo6) },
	[FRAG4] = { &p_frag, sizeof(p_frag) }, [SCTP4] = { &p_sctp, sizeof(p_sctp) },
};

#define B(p) (1u << (p))
#define ALL (B(N_PKTS) - 1)
#define EVERYWHERE(set) { set, set, set }

/* Where the packets are run: hook, and the interface. */
enum { LO_IN, LO_OUT, VETH_XDP, N_PLACES };
static const enum gt_hook place_hook[N_PLACES] = { GT_HOOK_TC_IN, GT_HOOK_TC_OUT, GT_HOOK_XDP };

#define VETH 0xfffffff0u /* replaced by gtk0's ifindex */

#define A4(a, b, c, d, plen, sel) \
	{ .addr = { a, b, c, d }, .family = GT_AF_INET, .prefix_len = plen, .side = sel }
#define A6(last, plen, sel)                                                            \
	{ .addr = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last },          \
	  .family = GT_AF_INET6, .prefix_len = plen, .side = sel }
#define ADDR0(a) .match = GT_M_ADDR0, .addr = { a }
#define PORTS(sel, lo, hi) .match = GT_M_PORT, .port_side = sel, .port_lo = lo, .port_hi = hi

struct filter_case {
	const char *name;
	struct gt_rule rules[3];
	uint32_t n_rules;
	uint32_t expect[N_PLACES]; /* packets (bit per enum) that must make an event */
};

static const struct filter_case cases[] = {
	{ "no rules: everything", .n_rules = 0, .expect = EVERYWHERE(ALL) },
	{ "interface", { { .match = GT_M_IFINDEX, .ifindex = VETH } }, 1, { 0, 0, ALL } },
	{ "direction out", { { .match = GT_M_DIR, .dir = GT_DIR_OUT } }, 1, { 0, ALL, 0 } },
	{ "direction in", { { .match = GT_M_DIR, .dir = GT_DIR_IN } }, 1, { ALL, 0, ALL } },
	{ "proto tcp", { { .match = GT_M_PROTO, .proto = IPPROTO_TCP } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(TCP6)) },
	{ "proto udp (fragments too)", { { .match = GT_M_PROTO, .proto = IPPROTO_UDP } }, 1,
	  EVERYWHERE(B(UDP4) | B(FRAG4)) },
	{ "proto icmpv6", { { .match = GT_M_PROTO, .proto = IPPROTO_ICMPV6 } }, 1,
	  EVERYWHERE(B(ECHO6)) },
	{ "family ip", { { .match = GT_M_FAMILY, .family = GT_AF_INET } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(UDP4) | B(FRAG4) | B(SCTP4)) },
	{ "family ip6", { { .match = GT_M_FAMILY, .family = GT_AF_INET6 } }, 1,
	  EVERYWHERE(B(TCP6) | B(ECHO6)) },
	{ "src host", { { ADDR0(A4(10, 0, 0, 1, 32, GT_SEL_SRC)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(FRAG4)) },
	{ "dst host", { { ADDR0(A4(10, 0, 0, 1, 32, GT_SEL_DST)) } }, 1, EVERYWHERE(B(TCP4R)) },
	{ "either host", { { ADDR0(A4(10, 0, 0, 2, 32, GT_SEL_EITHER)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(FRAG4)) },
	{ "src net /24", { { ADDR0(A4(10, 0, 0, 0, 24, GT_SEL_SRC)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(UDP4) | B(FRAG4) | B(SCTP4)) },
	{ "dst net /24", { { ADDR0(A4(10, 0, 0, 0, 24, GT_SEL_DST)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(FRAG4) | B(SCTP4)) },
	{ "dst net /23", { { ADDR0(A4(10, 0, 0, 0, 23, GT_SEL_DST)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(UDP4) | B(FRAG4) | B(SCTP4)) },
	{ "net 0/0 is any ip", { { ADDR0(A4(0, 0, 0, 0, 0, GT_SEL_EITHER)) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(UDP4) | B(FRAG4) | B(SCTP4)) },
	{ "src net6 /16", { { ADDR0(A6(0, 16, GT_SEL_SRC)) } }, 1, EVERYWHERE(B(TCP6) | B(ECHO6)) },
	{ "dst host6", { { ADDR0(A6(2, 128, GT_SEL_DST)) } }, 1, EVERYWHERE(B(TCP6) | B(ECHO6)) },
	{ "src host6 not matching", { { ADDR0(A6(2, 128, GT_SEL_SRC)) } }, 1, EVERYWHERE(0) },
	{ "net6 /127 holds ::2 and ::3", { { ADDR0(A6(3, 127, GT_SEL_DST)) } }, 1,
	  EVERYWHERE(B(TCP6) | B(ECHO6)) },
	{ "net6 /127 of ::4", { { ADDR0(A6(4, 127, GT_SEL_EITHER)) } }, 1, EVERYWHERE(0) },
	{ "dst port", { { PORTS(GT_SEL_DST, 80, 80) } }, 1, EVERYWHERE(B(TCP4)) },
	{ "src port (tcp and sctp)", { { PORTS(GT_SEL_SRC, 80, 80) } }, 1,
	  EVERYWHERE(B(TCP4R) | B(SCTP4)) },
	{ "either port", { { PORTS(GT_SEL_EITHER, 80, 80) } }, 1,
	  EVERYWHERE(B(TCP4) | B(TCP4R) | B(SCTP4)) },
	{ "port 53: not icmp ids, not later fragments", { { PORTS(GT_SEL_EITHER, 53, 53) } }, 1,
	  EVERYWHERE(B(UDP4)) },
	{ "dst port range", { { PORTS(GT_SEL_DST, 5000, 6000) } }, 1, EVERYWHERE(B(UDP4)) },
	{ "src port range", { { PORTS(GT_SEL_SRC, 50, 60) } }, 1, EVERYWHERE(B(UDP4)) },
	{ "port range 1-65535: every tcp/udp/sctp header", { { PORTS(GT_SEL_EITHER, 1, 65535) } },
	  1, EVERYWHERE(B(TCP4) | B(TCP4R) | B(UDP4) | B(TCP6) | B(SCTP4)) },
	{ "and: tcp and port 443",
	  { { .match = GT_M_PROTO | GT_M_PORT, .proto = IPPROTO_TCP, .port_side = GT_SEL_EITHER,
	      .port_lo = 443, .port_hi = 443 } }, 1, EVERYWHERE(B(TCP6)) },
	{ "and: out and tcp", { { .match = GT_M_DIR | GT_M_PROTO, .dir = GT_DIR_OUT,
				   .proto = IPPROTO_TCP } }, 1,
	  { 0, B(TCP4) | B(TCP4R) | B(TCP6), 0 } },
	{ "and: src host and dst host",
	  { { .match = GT_M_ADDR0 | GT_M_ADDR1, .addr = { A4(10, 0, 0, 1, 32, GT_SEL_SRC),
							    A4(10, 0, 0, 2, 32, GT_SEL_DST) } } },
	  1, EVERYWHERE(B(TCP4) | B(FRAG4)) },
	{ "and: ip and an ip6 address",
	  { { .match = GT_M_FAMILY | GT_M_ADDR0, .family = GT_AF_INET,
	      .addr = { A6(1, 128, GT_SEL_EITHER) } } }, 1, EVERYWHERE(0) },
	{ "and: interface, in, udp, port range",
	  { { .match = GT_M_IFINDEX | GT_M_DIR | GT_M_PROTO | GT_M_PORT, .ifindex = VETH,
	      .dir = GT_DIR_IN, .proto = IPPROTO_UDP, .port_side = GT_SEL_DST, .port_lo = 5353,
	      .port_hi = 5353 } }, 1, { 0, 0, B(UDP4) } },
	{ "or: port 53 or ip6",
	  { { PORTS(GT_SEL_EITHER, 53, 53) }, { .match = GT_M_FAMILY, .family = GT_AF_INET6 } },
	  2, EVERYWHERE(B(UDP4) | B(TCP6) | B(ECHO6)) },
	{ "or: interface or udp",
	  { { .match = GT_M_IFINDEX, .ifindex = VETH }, { .match = GT_M_PROTO,
							   .proto = IPPROTO_UDP } },
	  2, { B(UDP4) | B(FRAG4), B(UDP4) | B(FRAG4), ALL } },
	{ "or of three, the first matching sctp",
	  { { .match = GT_M_PROTO, .proto = IPPROTO_SCTP }, { PORTS(GT_SEL_EITHER, 9, 9) },
	    { ADDR0(A4(192, 0, 2, 0, 24, GT_SEL_EITHER)) } },
	  3, EVERYWHERE(B(SCTP4)) },
	{ "or of two, none matching",
	  { { PORTS(GT_SEL_EITHER, 9, 9) }, { ADDR0(A4(192, 0, 2, 0, 24, GT_SEL_EITHER)) } },
	  2, EVERYWHERE(0) },
};

static bool check_filter_case(struct harness *h, const struct filter_case *c)
{
	uint32_t veth = harness_veth_ifindex(0), ifindex[N_PLACES] = { 1, 1, veth };
	struct gt_rule rules[3];

	memcpy(rules, c->rules, sizeof(rules));
	for (int i = 0; i < 3; i++)
		if (rules[i].ifindex == VETH)
			rules[i].ifindex = veth;
	EXPECT_EQ(harness_reset(h), 0, "%s", c->name);
	EXPECT_EQ(harness_set_rules(h, rules, c->n_rules), 0, "%s", c->name);
	for (int pl = 0; pl < N_PLACES; pl++) {
		const struct run_opts opts = { .ifindex = ifindex[pl] };
		enum gt_dir dir = place_hook[pl] == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;
		struct gt_dir_counters dc;
		int misses = 0;

		for (int p = 0; p < N_PKTS; p++) {
			bool want = c->expect[pl] & B(p);

			const char *hn = harness_hook_name(place_hook[pl]);
			int ret = harness_run(h, place_hook[pl], pkts[p].frame, pkts[p].len, &opts);

			EXPECT_EQ(ret >= 0, 1, "%s: place %d packet %d", c->name, pl, p);
			EXPECT_EQ(harness_drain(h), want, "%s: place %d (%s) packet %d events",
				  c->name, pl, hn, p);
			misses += !want;
		}
		EXPECT_EQ(harness_dir_counters(h, ifindex[pl], dir, &dc), 0, "%s", c->name);
		EXPECT_EQ(dc.filtered, misses, "%s: place %d filtered", c->name, pl);
		EXPECT_EQ(dc.events, N_PKTS - misses, "%s: place %d events", c->name, pl);
		/* Filtering never touches the interface counters. */
		EXPECT_EQ(dc.packets, N_PKTS, "%s: place %d packets", c->name, pl);
	}
	return true;
}

TEST(bpf_filter_rule_kinds)
{
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK(harness_veth_ifindex(0) > 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!check_filter_case(&h, &cases[i]))
			break;
	harness_close(&h);
}

/* Every one of the GT_MAX_RULES slots is looked at; the last one matches. */
TEST(bpf_filter_all_rule_slots)
{
	static struct gt_rule rules[GT_MAX_RULES];
	struct gt_dir_counters dc;
	struct harness h;

	for (int i = 0; i < GT_MAX_RULES; i++)
		rules[i] = (struct gt_rule){ .match = GT_M_PORT, .port_side = GT_SEL_EITHER,
					     .port_lo = 1000 + i, .port_hi = 1000 + i };
	rules[GT_MAX_RULES - 1].port_lo = rules[GT_MAX_RULES - 1].port_hi = 443;
	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_set_rules(&h, rules, GT_MAX_RULES), 0);
	for (int p = 0; p < N_PKTS; p++)
		CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, pkts[p].frame, pkts[p].len, NULL), 0);
	CHECK_INT(harness_drain(&h), 1);
	CHECK_INT(h.events[0].ev.cap_len, sizeof(p_tcp6));
	/* Only the first 63: the packet on 443 is filtered out. */
	CHECK_INT(harness_set_rules(&h, rules, GT_MAX_RULES - 1), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &p_tcp6, sizeof(p_tcp6), NULL), 0);
	CHECK_INT(harness_drain(&h), 0);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.filtered, N_PKTS);
	CHECK_INT(dc.events, 1);
	harness_close(&h);
}

/* Userspace rewrites the maps while the programs stay loaded. */
TEST(bpf_filter_changes_at_run_time)
{
	const struct gt_rule tcp = { .match = GT_M_PROTO, .proto = IPPROTO_TCP };
	const struct gt_rule udp = { .match = GT_M_PROTO, .proto = IPPROTO_UDP };
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_set_rules(&h, &tcp, 1), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &p_udp, sizeof(p_udp), NULL), 0);
	CHECK_INT(harness_drain(&h), 0);
	CHECK_INT(harness_set_rules(&h, &udp, 1), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &p_udp, sizeof(p_udp), NULL), 0);
	CHECK_INT(harness_drain(&h), 1);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &p_tcp, sizeof(p_tcp), NULL), 0);
	CHECK_INT(harness_drain(&h), 0);
	CHECK_INT(harness_set_rules(&h, &udp, 0), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &p_tcp, sizeof(p_tcp), NULL), 0);
	CHECK_INT(harness_drain(&h), 1);
	harness_close(&h);
}

/*
 * pcap's primitives read fields at fixed offsets, even from a header that is
 * cut short or bad, and the userspace filter has the last word: the kernel
 * rules must not refuse those frames.
 */
static const struct v4_tcp bad_doff = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 40),
	.tcp = { .source = bpf_htons(1), .dest = bpf_htons(80), .doff = 4 },
};

static const struct v4_udp udp_cut = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 28),
	.udp = UDP(5353, 53, 8),
};

static const struct v4_tcp bad_ihl = {
	.eth = ETH(ETH_P_IP),
	.ip = { .version = 4, .ihl = 4, .protocol = IPPROTO_TCP, .saddr = V4(10, 0, 0, 1),
		.daddr = V4(10, 0, 0, 2) },
};

static const struct v6_icmp bad_version6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = { .version = 4, .nexthdr = IPPROTO_ICMPV6, .saddr = V6(1), .daddr = V6(2) },
};

static const struct {
	const char *name;
	const void *frame;
	uint32_t len;
	struct gt_rule rule;
} bad_headers[] = {
	{ "tcp doff 4, dst port 80", &bad_doff, sizeof(bad_doff), { PORTS(GT_SEL_DST, 80, 80) } },
	{ "udp header of 4 bytes, dst port 53", &udp_cut, ETH_HLEN + 20 + 4,
	  { PORTS(GT_SEL_DST, 53, 53) } },
	{ "ipv4 ihl 4, tcp", &bad_ihl, sizeof(bad_ihl),
	  { .match = GT_M_PROTO, .proto = IPPROTO_TCP } },
	{ "ipv4 ihl 4, dst host", &bad_ihl, sizeof(bad_ihl),
	  { ADDR0(A4(10, 0, 0, 2, 32, GT_SEL_DST)) } },
	{ "ipv6 version 4, dst host6", &bad_version6, sizeof(bad_version6),
	  { ADDR0(A6(2, 128, GT_SEL_DST)) } },
};

TEST(bpf_filter_reads_bad_headers_like_pcap)
{
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		for (int k = 0; k < 3; k++) {
			CHECK_INT(harness_reset(&h), 0);
			CHECK_INT(harness_set_rules(&h, &bad_headers[i].rule, 1), 0);
			CHECK(harness_run(&h, harness_hooks[k], bad_headers[i].frame,
					  bad_headers[i].len, NULL) >= 0);
			if (harness_drain(&h) != 1) {
				test_fail(__FILE__, __LINE__, "%s on %s: filtered out",
					  bad_headers[i].name, harness_hook_name(harness_hooks[k]));
				goto out;
			}
			CHECK(h.events[0].ev.flags & GT_EV_TRUNCATED_PARSE);
		}
	}
out:
	harness_close(&h);
}
