// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the programs count: one flow entry per conversation with the right sides,
 * first speaker and flags; interface counters per direction; GSO wire lengths;
 * 1-in-N sampling; accounting mode sending nothing.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "frames.h"

#define CLIENT V4(10, 0, 0, 2) /* the higher address: side b */
#define SERVER V4(10, 0, 0, 1)

struct v4_tcp_data {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr tcp;
	__u8 payload[200];
} __packed;

static const struct v4_tcp syn = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, CLIENT, SERVER, 56),
	.tcp = { .source = bpf_htons(40000), .dest = bpf_htons(80), .doff = 5, .syn = 1 },
};

static const struct v4_tcp synack = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, SERVER, CLIENT, 56),
	.tcp = { .source = bpf_htons(80), .dest = bpf_htons(40000), .doff = 5, .syn = 1, .ack = 1 },
};

static const struct v4_tcp ack = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, CLIENT, SERVER, 56),
	.tcp = { .source = bpf_htons(40000), .dest = bpf_htons(80), .doff = 5, .ack = 1 },
};

static const struct v4_tcp_data response = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, SERVER, CLIENT, 240),
	.tcp = { .source = bpf_htons(80), .dest = bpf_htons(40000), .doff = 5, .ack = 1, .psh = 1 },
	.payload = "HTTP/1.1 200 OK\r\n",
};

/*
 * A TCP handshake and a response on gtk0: client packets leave (TC egress),
 * server packets arrive (TC ingress). One flow entry, the server on side a.
 */
TEST(bpf_counters_one_flow_both_directions)
{
	const uint32_t veth = harness_veth_ifindex(0);
	const struct run_opts on_veth = { .ifindex = veth };
	struct gt_dir_counters in, out;
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;
	uint8_t server[16] = { 10, 0, 0, 1 }, client[16] = { 10, 0, 0, 2 };

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK(veth > 1);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &syn, sizeof(syn), &on_veth), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &synack, sizeof(synack), &on_veth), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &ack, sizeof(ack), &on_veth), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &response, sizeof(response), &on_veth), 0);

	CHECK_INT(harness_only_flow(&h, &key, &val), 1);
	CHECK(!memcmp(key.addr_a, server, 16));
	CHECK(!memcmp(key.addr_b, client, 16));
	CHECK_INT(bpf_ntohs(key.port_a), 80);
	CHECK_INT(bpf_ntohs(key.port_b), 40000);
	CHECK_INT(key.ifindex, veth);
	CHECK_INT(key.proto, IPPROTO_TCP);
	CHECK_INT(key.family, GT_AF_INET);
	CHECK_INT(val.packets[GT_SIDE_A_TO_B], 2);
	CHECK_INT(val.packets[GT_SIDE_B_TO_A], 2);
	CHECK_INT(val.bytes[GT_SIDE_A_TO_B], sizeof(synack) + sizeof(response));
	CHECK_INT(val.bytes[GT_SIDE_B_TO_A], sizeof(syn) + sizeof(ack));
	CHECK_INT(val.first_side, GT_SIDE_B_TO_A); /* the client spoke first */
	CHECK_INT(val.first_dir, GT_DIR_OUT);
	CHECK_INT(val.tcp_flags, 0x02 | 0x10 | 0x08); /* SYN, ACK, PSH */
	CHECK(val.first_seen_ns > 0);
	CHECK(val.last_seen_ns >= val.first_seen_ns);

	CHECK_INT(harness_dir_counters(&h, veth, GT_DIR_OUT, &out), 0);
	CHECK_INT(harness_dir_counters(&h, veth, GT_DIR_IN, &in), 0);
	CHECK_INT(out.packets, 2);
	CHECK_INT(out.bytes, sizeof(syn) + sizeof(ack));
	CHECK_INT(in.packets, 2);
	CHECK_INT(in.bytes, sizeof(synack) + sizeof(response));
	CHECK_INT(in.gso_segs + out.gso_segs, 4);
	CHECK_INT(in.non_ip + in.truncated + in.filtered + in.sampled_out + in.ring_drops, 0);
	CHECK_INT(in.events + out.events, 4);
	/* Nothing landed on lo. */
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &in), 0);
	CHECK_INT(in.packets, 0);

	/* Every event of the conversation carries the entry's hash and its direction. */
	CHECK_INT(harness_drain(&h), 4);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(h.events[i].ev.flow_hash, gt_flow_hash(&key));
		CHECK_INT(h.events[i].ev.dir, i % 2 ? GT_DIR_IN : GT_DIR_OUT);
		CHECK_INT(h.events[i].ev.hook, i % 2 ? GT_HOOK_TC_IN : GT_HOOK_TC_OUT);
		CHECK_INT(h.events[i].ev.ifindex, veth);
	}
	harness_close(&h);
}

static const struct v6_udp query6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_UDP, V6(1), V6(0x20), 8),
	.udp = UDP(53000, 53, 8),
};

static const struct v6_udp answer6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_UDP, V6(0x20), V6(1), 8),
	.udp = UDP(53, 53000, 8),
};

/* Side a (the lower address) speaks first; XDP sees the answer. */
TEST(bpf_counters_ipv6_flow_lower_side_first)
{
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &query6, sizeof(query6), NULL), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_XDP, &answer6, sizeof(answer6), NULL), 2 /* XDP_PASS */);
	CHECK_INT(harness_only_flow(&h, &key, &val), 1);
	CHECK_INT(key.family, GT_AF_INET6);
	CHECK_INT(key.addr_a[15], 1);
	CHECK_INT(key.addr_b[15], 0x20);
	CHECK_INT(bpf_ntohs(key.port_a), 53000);
	CHECK_INT(val.first_side, GT_SIDE_A_TO_B);
	CHECK_INT(val.first_dir, GT_DIR_OUT);
	CHECK_INT(val.packets[GT_SIDE_A_TO_B], 1);
	CHECK_INT(val.packets[GT_SIDE_B_TO_A], 1);
	CHECK_INT(val.tcp_flags, 0);
	harness_close(&h);
}

static const struct v4_udp same_host_a = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(127, 0, 0, 1), V4(127, 0, 0, 1), 28),
	.udp = UDP(5000, 4000, 8),
};

static const struct v4_udp same_host_b = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(127, 0, 0, 1), V4(127, 0, 0, 1), 28),
	.udp = UDP(4000, 5000, 8),
};

/* Equal addresses: the ports decide the sides. Other interface: another entry. */
TEST(bpf_counters_ports_break_ties_and_interfaces_split)
{
	const struct run_opts on_veth = { .ifindex = harness_veth_ifindex(0) };
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_OUT, &same_host_a, sizeof(same_host_a), NULL), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &same_host_b, sizeof(same_host_b), NULL), 0);
	CHECK_INT(harness_only_flow(&h, &key, &val), 1);
	CHECK_INT(bpf_ntohs(key.port_a), 4000);
	CHECK_INT(bpf_ntohs(key.port_b), 5000);
	CHECK_INT(val.first_side, GT_SIDE_B_TO_A);
	CHECK_INT(val.packets[GT_SIDE_A_TO_B], 1);
	CHECK_INT(val.packets[GT_SIDE_B_TO_A], 1);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &same_host_b, sizeof(same_host_b), &on_veth), 0);
	CHECK_INT(harness_only_flow(&h, &key, &val), 2);
	harness_close(&h);
}

/*
 * A GSO super-packet on TC counts as gso_segs frames on the wire, each with its
 * own copy of the 54 bytes of Ethernet, IPv4 and TCP headers.
 */
TEST(bpf_counters_gso_wire_length)
{
	const struct run_opts gso = { .gso_segs = 4, .gso_size = 50 };
	const uint32_t len = sizeof(response), hdrs = 14 + 20 + 20;
	const uint32_t wire = len + 3 * hdrs;
	struct gt_dir_counters dc;
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (int k = 1; k < 3; k++) {
		enum gt_hook hook = harness_hooks[k];
		enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(harness_run(&h, hook, &response, len, &gso), 0);
		CHECK_INT(harness_dir_counters(&h, 1, dir, &dc), 0);
		CHECK_INT(dc.packets, 1);
		CHECK_INT(dc.gso_segs, 4);
		CHECK_INT(dc.bytes, wire);
		CHECK_INT(harness_drain(&h), 1);
		CHECK_INT(h.events[0].ev.wire_len, wire);
		CHECK_INT(h.events[0].ev.cap_len, len);
		CHECK_INT(h.events[0].ev.gso_segs, 4);
		CHECK_INT(h.events[0].ev.flags, GT_EV_GSO);
		CHECK_INT(harness_only_flow(&h, &key, &val), 1);
		CHECK_INT(val.bytes[GT_SIDE_A_TO_B], wire);
		CHECK_INT(val.packets[GT_SIDE_A_TO_B], 1);
	}
	harness_close(&h);
}

/* 1 in N of the packets that pass the filter; the others are counted, not sent. */
TEST(bpf_counters_sampling)
{
	const struct gt_rule tcp_only = { .match = GT_M_PROTO, .proto = IPPROTO_TCP };
	struct gt_dir_counters dc;
	struct harness h;
	int sent;

	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_set_config(&h, 0, 0, 3), 0);
	for (int i = 0; i < 10; i++)
		CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &ack, sizeof(ack), NULL), 0);
	sent = harness_drain(&h);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.packets, 10);
	CHECK_INT(dc.events, sent);
	CHECK_INT(dc.sampled_out, 10 - sent);
	/* A fresh per-CPU counter on the CPU the suite is pinned to: packets 0, 3, 6, 9. */
	CHECK_INT(sent, 4);

	/* After the filter: the filtered ones do not move the sampling counter. */
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_set_rules(&h, &tcp_only, 1), 0);
	CHECK_INT(harness_set_config(&h, 0, 0, 2), 0);
	for (int i = 0; i < 8; i++) {
		CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &ack, sizeof(ack), NULL), 0);
		CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &query6, sizeof(query6), NULL), 0);
	}
	CHECK_INT(harness_drain(&h), 4);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.filtered, 8);
	CHECK_INT(dc.sampled_out, 4);
	CHECK_INT(dc.events, 4);
	for (int i = 0; i < 4; i++)
		CHECK_INT(h.events[i].ev.cap_len, sizeof(ack));

	/* sample_every 1 and 0: everything. */
	for (uint32_t every = 0; every < 2; every++) {
		CHECK_INT(harness_set_config(&h, 0, 0, every), 0);
		for (int i = 0; i < 5; i++)
			CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &ack, sizeof(ack), NULL), 0);
		CHECK_INT(harness_drain(&h), 5);
	}
	harness_close(&h);
}

/* Accounting mode and capture off: counters and flows move, the ring stays empty. */
TEST(bpf_counters_accounting_mode_sends_nothing)
{
	const uint32_t modes[] = { GT_CFG_ACCOUNT_ONLY, GT_CFG_CAPTURE_OFF };
	const struct gt_rule nothing = { .match = GT_M_PROTO, .proto = IPPROTO_SCTP };
	struct gt_dir_counters dc;
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (int m = 0; m < 2; m++) {
		for (int k = 0; k < 3; k++) {
			enum gt_hook hook = harness_hooks[k];
			enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;

			CHECK_INT(harness_reset(&h), 0);
			CHECK_INT(harness_set_rules(&h, &nothing, 1), 0);
			CHECK_INT(harness_set_config(&h, modes[m], 0, 0), 0);
			for (int i = 0; i < 5; i++)
				CHECK(harness_run(&h, hook, &synack, sizeof(synack), NULL) >= 0);
			CHECK_INT(harness_drain(&h), 0);
			CHECK_INT(harness_dir_counters(&h, 1, dir, &dc), 0);
			CHECK_INT(dc.packets, 5);
			CHECK_INT(dc.bytes, 5 * sizeof(synack));
			CHECK_INT(dc.events + dc.filtered + dc.sampled_out + dc.ring_drops, 0);
			CHECK_INT(harness_only_flow(&h, &key, &val), 1);
			CHECK_INT(val.packets[0] + val.packets[1], 5);
		}
	}
	harness_close(&h);
}

/* A full interface table loses that interface's counters, never its flows or events. */
TEST(bpf_counters_full_interface_table)
{
	const struct run_opts on_veth = { .ifindex = harness_veth_ifindex(0) };
	struct gt_dir_counters dc;
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK_INT(harness_open_sized(&h, 0, 1), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &syn, sizeof(syn), NULL), 0);
	CHECK_INT(harness_run(&h, GT_HOOK_TC_IN, &synack, sizeof(synack), &on_veth), 0);
	CHECK_INT(harness_drain(&h), 2);
	CHECK_INT(h.events[1].ev.ifindex, on_veth.ifindex);
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.packets, 1);
	CHECK_INT(harness_dir_counters(&h, on_veth.ifindex, GT_DIR_IN, &dc), 0);
	CHECK_INT(dc.packets, 0);
	CHECK_INT(harness_only_flow(&h, &key, &val), 2);
	harness_close(&h);
}
