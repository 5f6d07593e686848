// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The programs on real interfaces: the suite's veth pair gtk0 <-> gtk1 (in its
 * own network namespace), TC egress on gtk0, and on gtk1 TC ingress, native XDP
 * or generic XDP. Frames sent with a packet socket on gtk0 must come out of the
 * ring byte for byte on both ends (a VLAN tag the stack took out of the frame
 * put back), and the counters must agree with the kernel's own link statistics.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "frames.h"
#include "gotracer.skel.h"

static int mac_of(int sock, const char *name, uint8_t mac[6])
{
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr))
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

#define N_FRAMES 3
struct sent {
	uint8_t bytes[N_FRAMES][1514];
	uint32_t len[N_FRAMES];
	bool tagged[N_FRAMES];
};

/* A plain UDP frame, one with an 802.1Q tag, one of a full 1500-byte MTU. */
static void make_frames(struct sent *s, const uint8_t dst[6], const uint8_t src[6])
{
	static const uint32_t lens[N_FRAMES] = { 100, 104, 1514 };

	for (int f = 0; f < N_FRAMES; f++) {
		uint8_t *b = s->bytes[f];
		uint32_t off = ETH_HLEN, ip_len;
		struct iphdr ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 0);
		struct udphdr udp = UDP(9000 + f, 9100, 0);

		s->len[f] = lens[f];
		s->tagged[f] = f == 1;
		memcpy(b, dst, 6);
		memcpy(b + 6, src, 6);
		if (s->tagged[f]) {
			const struct vlan_tag tag = { bpf_htons(10), bpf_htons(ETH_P_IP) };

			b[12] = 0x81, b[13] = 0x00;
			memcpy(b + 14, &tag, sizeof(tag));
			off += sizeof(tag);
		} else {
			b[12] = 0x08, b[13] = 0x00;
		}
		ip_len = lens[f] - off;
		ip.tot_len = htons(ip_len);
		udp.len = htons(ip_len - sizeof(ip));
		memcpy(b + off, &ip, sizeof(ip));
		memcpy(b + off + sizeof(ip), &udp, sizeof(udp));
		for (uint32_t i = off + sizeof(ip) + sizeof(udp); i < lens[f]; i++)
			b[i] = (uint8_t)(i ^ f);
	}
}

enum ingress { INGRESS_TC, INGRESS_XDP_NATIVE, INGRESS_XDP_GENERIC };

struct live {
	struct harness h;
	uint32_t if0, if1;
	enum ingress ingress;
	struct bpf_tc_hook tc0, tc1;
	bool tc0_made, tc1_made, xdp_attached;
};

static void live_detach(struct live *l)
{
	if (l->xdp_attached)
		bpf_xdp_detach((int)l->if1, l->ingress == INGRESS_XDP_NATIVE ? XDP_FLAGS_DRV_MODE :
							       XDP_FLAGS_SKB_MODE, NULL);
	harness_tc_detach(&l->tc0, l->tc0_made);
	harness_tc_detach(&l->tc1, l->tc1_made);
	l->xdp_attached = l->tc0_made = l->tc1_made = false;
}

static int live_attach(struct live *l)
{
	int err;

	err = harness_tc_attach(&l->tc0, &l->tc0_made, l->if0, BPF_TC_EGRESS,
			bpf_program__fd(l->h.skel->progs.gt_tc_egress));
	if (err)
		return err;
	if (l->ingress == INGRESS_TC)
		return harness_tc_attach(&l->tc1, &l->tc1_made, l->if1, BPF_TC_INGRESS,
				 bpf_program__fd(l->h.skel->progs.gt_tc_ingress));
	err = bpf_xdp_attach((int)l->if1, bpf_program__fd(l->h.skel->progs.gt_xdp),
			     l->ingress == INGRESS_XDP_NATIVE ? XDP_FLAGS_DRV_MODE :
								XDP_FLAGS_SKB_MODE,
			     NULL);
	l->xdp_attached = !err;
	return err;
}

static bool check_event(const struct harness_event *e, const struct sent *s, int f,
			uint32_t ifindex, enum gt_hook hook, const char *what)
{
	enum gt_dir dir = hook == GT_HOOK_TC_OUT ? GT_DIR_OUT : GT_DIR_IN;

	EXPECT_EQ(e->ev.ifindex, ifindex, "%s frame %d", what, f);
	EXPECT_EQ(e->ev.hook, hook, "%s frame %d", what, f);
	EXPECT_EQ(e->ev.dir, dir, "%s frame %d", what, f);
	EXPECT_EQ(e->ev.wire_len, s->len[f], "%s frame %d", what, f);
	EXPECT_EQ(e->ev.cap_len, s->len[f], "%s frame %d", what, f);
	EXPECT_EQ(!!(e->ev.flags & GT_EV_VLAN), s->tagged[f], "%s frame %d", what, f);
	EXPECT_EQ(e->ev.flags & GT_EV_TRUNCATED_PARSE, 0, "%s frame %d", what, f);
	EXPECT_EQ(memcmp(e->data, s->bytes[f], s->len[f]), 0, "%s frame %d: bytes differ", what, f);
	return true;
}

static bool live_round(struct live *l, const char *what)
{
	enum gt_hook in_hook = l->ingress == INGRESS_TC ? GT_HOOK_TC_IN : GT_HOOK_XDP;
	struct harness_link_stats s0a, s0b, s1a, s1b;
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct gt_dir_counters out0, in1;
	uint8_t mac0[6], mac1[6];
	struct sent sent;
	int sock, seen_out = 0, seen_in = 0;
	uint64_t short_by;

	sock = socket(AF_PACKET, SOCK_RAW, 0);
	EXPECT_EQ(sock >= 0, 1, "%s: packet socket", what);
	EXPECT_EQ(mac_of(sock, "gtk0", mac0) || mac_of(sock, "gtk1", mac1), 0, "%s", what);
	make_frames(&sent, mac1, mac0);
	to.sll_ifindex = (int)l->if0;
	memcpy(to.sll_addr, mac1, 6);

	EXPECT_EQ(harness_reset(&l->h), 0, "%s", what);
	EXPECT_EQ(live_attach(l), 0, "%s: attach", what);
	EXPECT_EQ(harness_link_stats("gtk0", &s0a) || harness_link_stats("gtk1", &s1a), 0, "%s",
		  what);
	for (int f = 0; f < N_FRAMES; f++)
		EXPECT_EQ(sendto(sock, sent.bytes[f], sent.len[f], 0, (struct sockaddr *)&to,
				 sizeof(to)),
			  sent.len[f], "%s: send frame %d", what, f);
	close(sock);
	/* Each frame leaves gtk0 and arrives on gtk1: two events each. */
	EXPECT_EQ(harness_collect(&l->h, 2 * N_FRAMES, 40), 2 * N_FRAMES, "%s: events", what);
	EXPECT_EQ(harness_link_stats("gtk0", &s0b) || harness_link_stats("gtk1", &s1b), 0, "%s",
		  what);
	live_detach(l);

	for (int i = 0; i < l->h.n_events; i++) {
		const struct harness_event *e = &l->h.events[i];

		if (e->ev.hook == GT_HOOK_TC_OUT) {
			if (!check_event(e, &sent, seen_out, l->if0, GT_HOOK_TC_OUT, what))
				return false;
			seen_out++;
		} else {
			if (!check_event(e, &sent, seen_in, l->if1, in_hook, what))
				return false;
			seen_in++;
		}
	}
	EXPECT_EQ(seen_out, N_FRAMES, "%s", what);

	/*
	 * The programs' counters and the kernel's agree, frame for frame, byte for
	 * byte. Except one kernel quirk: with native XDP on its peer, a veth counts
	 * the frames its NAPI receives after eth_type_trans(), 14 bytes short (both
	 * gtk0's tx and gtk1's rx come from that count).
	 */
	EXPECT_EQ(harness_dir_counters(&l->h, l->if0, GT_DIR_OUT, &out0), 0, "%s", what);
	EXPECT_EQ(harness_dir_counters(&l->h, l->if1, GT_DIR_IN, &in1), 0, "%s", what);
	short_by = l->ingress == INGRESS_XDP_NATIVE ? ETH_HLEN * N_FRAMES : 0;
	EXPECT_EQ(out0.packets, s0b.tx_packets - s0a.tx_packets, "%s: gtk0 tx packets", what);
	EXPECT_EQ(out0.bytes, s0b.tx_bytes - s0a.tx_bytes + short_by, "%s: gtk0 tx bytes", what);
	EXPECT_EQ(in1.packets, s1b.rx_packets - s1a.rx_packets, "%s: gtk1 rx packets", what);
	EXPECT_EQ(in1.bytes, s1b.rx_bytes - s1a.rx_bytes + short_by, "%s: gtk1 rx bytes", what);
	EXPECT_EQ(in1.packets, N_FRAMES, "%s", what);
	EXPECT_EQ(in1.events, N_FRAMES, "%s", what);
	return true;
}

static void live_test(enum ingress ingress, const char *what)
{
	struct live l = { .ingress = ingress };

	CHECK_INT(harness_open(&l.h, 0), 0);
	l.if0 = harness_veth_ifindex(0);
	l.if1 = harness_veth_ifindex(1);
	CHECK(l.if0 > 1 && l.if1 > 1);
	live_round(&l, what);
	live_detach(&l);
	harness_close(&l.h);
}

TEST(bpf_live_tc_egress_and_tc_ingress_on_veth)
{
	live_test(INGRESS_TC, "tc");
}

TEST(bpf_live_tc_egress_and_native_xdp_on_veth)
{
	live_test(INGRESS_XDP_NATIVE, "native xdp");
}

TEST(bpf_live_tc_egress_and_generic_xdp_on_veth)
{
	live_test(INGRESS_XDP_GENERIC, "generic xdp");
}

/*
 * Headers outside the linear area: a packet socket with a virtio-net header
 * whose hdr_len is 14 builds an skb with only the Ethernet header linear and
 * the rest in page fragments (the frame must pass a page, hence MTU 9000).
 * TC on both ends still parses IP and UDP (the programs pull the headers in)
 * and the event holds the frame byte for byte.
 */
TEST(bpf_live_headers_outside_linear_area)
{
	struct virtio_hdr {
		uint8_t flags, gso_type;
		uint16_t hdr_len, gso_size, csum_start, csum_offset;
	} __attribute__((packed)) vnet = { .hdr_len = ETH_HLEN };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	static uint8_t frame[sizeof(struct virtio_hdr) + 6000];
	const uint32_t len = 6000;
	uint8_t *f = frame + sizeof(vnet), mac0[6], mac1[6];
	struct iphdr ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 6000 - ETH_HLEN);
	struct udphdr udp = UDP(7777, 8888, 6000 - ETH_HLEN - 20);
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct live l = { .ingress = INGRESS_TC };
	int sock, one = 1;

	CHECK_INT(harness_open(&l.h, 0), 0);
	CHECK_INT(system("ip link set gtk0 mtu 9000 && ip link set gtk1 mtu 9000"), 0);
	l.if0 = harness_veth_ifindex(0);
	l.if1 = harness_veth_ifindex(1);
	sock = socket(AF_PACKET, SOCK_RAW, 0);
	CHECK(sock >= 0);
	CHECK_INT(setsockopt(sock, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	CHECK_INT(mac_of(sock, "gtk0", mac0) || mac_of(sock, "gtk1", mac1), 0);
	memcpy(frame, &vnet, sizeof(vnet));
	memcpy(f, mac1, 6);
	memcpy(f + 6, mac0, 6);
	f[12] = 0x08, f[13] = 0x00;
	memcpy(f + ETH_HLEN, &ip, sizeof(ip));
	memcpy(f + ETH_HLEN + sizeof(ip), &udp, sizeof(udp));
	for (uint32_t i = ETH_HLEN + sizeof(ip) + sizeof(udp); i < len; i++)
		f[i] = (uint8_t)(i * 13);
	to.sll_ifindex = (int)l.if0;

	CHECK_INT(harness_reset(&l.h), 0);
	CHECK_INT(harness_set_config(&l.h, 0, GT_SNAPLEN_MAX, 0), 0);
	CHECK_INT(live_attach(&l), 0);
	CHECK_INT(sendto(sock, frame, sizeof(frame), 0, (struct sockaddr *)&to, sizeof(to)),
		  sizeof(frame));
	close(sock);
	CHECK_INT(harness_collect(&l.h, 2, 40), 2);
	live_detach(&l);
	CHECK_INT(system("ip link set gtk0 mtu 1500 && ip link set gtk1 mtu 1500"), 0);
	for (int i = 0; i < 2; i++) {
		const struct harness_event *e = &l.h.events[i];

		CHECK_INT(e->ev.flags, 0);
		CHECK_INT(e->ev.cap_len, len);
		CHECK(!memcmp(e->data, f, len));
	}
	/* One entry on each interface; the first one found has the ports. */
	CHECK_INT(harness_only_flow(&l.h, &key, &val), 2);
	CHECK_INT(bpf_ntohs(key.port_a), 7777);
	CHECK_INT(bpf_ntohs(key.port_b), 8888);
	harness_close(&l.h);
}
