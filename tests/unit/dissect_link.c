// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Link layers and ARP: Ethernet, 802.1Q/802.1ad, SLL/SLL2, null/loop, raw IP. */
#include "lib/runner.h"
#include "dissect_frames.h"

#define LINKTYPE_NULL 0

TEST(dissect_eth_arp_request)
{
	struct dx_packet *p = dissect_frame(frame_arp_request, sizeof(frame_arp_request),
					    sizeof(frame_arp_request), DX_LINK_ETHERNET);
	const struct dx_node *n;

	CHECK_STR(field(p, "eth.dst"), "ff:ff:ff:ff:ff:ff");
	CHECK_STR(field(p, "eth.src"), "02:00:00:00:00:02");
	CHECK_STR(field(p, "eth.type"), "0x0806");
	CHECK_STR(field(p, "arp.opcode"), "1");
	CHECK_STR(field(p, "arp.src.hw_mac"), "02:00:00:00:00:02");
	CHECK_STR(field(p, "arp.src.proto_ipv4"), "10.200.0.2");
	CHECK_STR(field(p, "arp.dst.hw_mac"), "00:00:00:00:00:00");
	CHECK_STR(field(p, "arp.dst.proto_ipv4"), "10.200.0.120");
	n = dx_find(p, "arp.dst.proto_ipv4");
	CHECK_INT(n->off, 38);
	CHECK_INT(n->len, 4);
	CHECK_STR(p->protocol, "ARP");
	CHECK_STR(p->info, "Who has 10.200.0.120? Tell 10.200.0.2");
	CHECK_STR(p->src, "02:00:00:00:00:02");
	CHECK(p->flags & DX_F_PLAINTEXT);
	CHECK_INT(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
	free(p);
}

TEST(dissect_arp_reply_and_announcement)
{
	uint8_t f[sizeof(frame_arp_request)];
	struct dx_packet *p;

	memcpy(f, frame_arp_request, sizeof(f));
	f[21] = 2;	/* opcode: reply */
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(p->info, "10.200.0.2 is at 02:00:00:00:00:02");
	free(p);
	f[21] = 1;
	memcpy(f + 38, f + 28, 4);	/* target = sender: a gratuitous announcement */
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(p->info, "ARP Announcement for 10.200.0.2");
	free(p);
	f[21] = 2;	/* the same as a reply: gratuitous */
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(p->info, "Gratuitous ARP for 10.200.0.2 (Reply)");
	free(p);
	memset(f + 28, 0, 4);	/* sender 0.0.0.0: a probe */
	f[21] = 1;
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(p->info, "Who has 10.200.0.2? (ARP Probe)");
	free(p);
	f[21] = 3;	/* RARP request: who is this MAC? */
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(p->protocol, "RARP");
	CHECK_STR(p->info, "Who is 00:00:00:00:00:00? Tell 02:00:00:00:00:02");
	free(p);
}

/* The ICMP echo frame with an 802.1Q tag (PCP 1, VLAN 100) built in by hand. */
TEST(dissect_vlan_8021q_and_qinq)
{
	uint8_t f[sizeof(frame_icmp_echo) + 8];
	struct dx_packet *p;
	const struct dx_node *n;

	memcpy(f, frame_icmp_echo, 12);
	memcpy(f + 12, "\x81\x00\x20\x64", 4);
	memcpy(f + 16, frame_icmp_echo + 12, sizeof(frame_icmp_echo) - 12);
	p = dissect_frame(f, sizeof(frame_icmp_echo) + 4, sizeof(frame_icmp_echo) + 4,
			  DX_LINK_ETHERNET);
	CHECK_STR(field(p, "eth.type"), "0x8100");
	CHECK_STR(field(p, "vlan.id"), "100");
	CHECK_STR(field(p, "vlan.priority"), "1");
	CHECK_STR(field(p, "vlan.etype"), "0x0800");
	CHECK_STR(field(p, "ip.src"), "10.200.0.1");
	n = dx_find(p, "ip.src");
	CHECK_INT(n->off, 30);
	CHECK_STR(p->protocol, "ICMP");
	free(p);

	/* 802.1ad service tag 10 around the same customer tag */
	memcpy(f + 12, "\x88\xa8\x00\x0a\x81\x00\x20\x64", 8);
	memcpy(f + 20, frame_icmp_echo + 12, sizeof(frame_icmp_echo) - 12);
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK_STR(field(p, "ieee8021ad.id"), "10");
	CHECK_STR(field(p, "vlan.id"), "100");
	CHECK_STR(field(p, "icmp.type"), "8");
	free(p);
}

TEST(dissect_vlan_stack_is_bounded)
{
	uint8_t f[14 + 4 * 40];
	struct dx_packet *p;

	memset(f, 0, sizeof(f));
	f[12] = 0x81;
	for (size_t o = 14; o + 4 <= sizeof(f); o += 4)
		f[o + 2] = 0x81;	/* every tag says another tag follows */
	p = dissect_frame(f, sizeof(f), sizeof(f), DX_LINK_ETHERNET);
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK(dx_find(p, "_ws.malformed") != NULL);
	free(p);
}

TEST(dissect_sll_and_sll2)
{
	/* cooked headers built from the spec around the ICMP echo's IP packet */
	uint8_t f[20 + sizeof(frame_icmp_echo)];
	uint32_t ip_len = sizeof(frame_icmp_echo) - 14;
	struct dx_packet *p;

	memcpy(f, "\x00\x04\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01\x00\x00\x08\x00", 16);
	memcpy(f + 16, frame_icmp_echo + 14, ip_len);
	p = dissect_frame(f, 16 + ip_len, 16 + ip_len, DX_LINK_SLL);
	CHECK_STR(field(p, "sll.pkttype"), "4");
	CHECK_STR(field(p, "sll.src.eth"), "02:00:00:00:00:01");
	CHECK_STR(field(p, "sll.etype"), "0x0800");
	CHECK_STR(field(p, "ip.dst"), "10.200.0.2");
	CHECK_INT(dx_find(p, "ip.dst")->off, 16 + 16);
	CHECK_STR(p->protocol, "ICMP");
	free(p);

	memcpy(f, "\x08\x00\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06"
		  "\x02\x00\x00\x00\x00\x01\x00\x00", 20);
	memcpy(f + 20, frame_icmp_echo + 14, ip_len);
	p = dissect_frame(f, 20 + ip_len, 20 + ip_len, DX_LINK_SLL2);
	CHECK_STR(field(p, "sll.ifindex"), "2");
	CHECK_STR(field(p, "sll.etype"), "0x0800");
	CHECK_STR(field(p, "icmp.seq"), "1");
	free(p);
}

TEST(dissect_null_loop_raw)
{
	uint8_t f[4 + sizeof(frame_ipv6_frag1)];
	uint32_t v6 = sizeof(frame_ipv6_frag1) - 14;
	struct dx_packet *p;

	/* BSD null, little-endian AF_INET6 of OpenBSD (24) */
	memcpy(f, "\x18\x00\x00\x00", 4);
	memcpy(f + 4, frame_ipv6_frag1 + 14, v6);
	p = dissect_frame(f, 4 + v6, 4 + v6, LINKTYPE_NULL);
	CHECK_STR(field(p, "null.family"), "24");
	CHECK_STR(field(p, "ipv6.src"), "fd00:200::1");
	free(p);
	/* OpenBSD loop: network order */
	memcpy(f, "\x00\x00\x00\x18", 4);
	p = dissect_frame(f, 4 + v6, 4 + v6, DX_LINK_LOOP);
	CHECK_STR(field(p, "ipv6.dst"), "fd00:200::2");
	free(p);
	/* raw IP: the version nibble decides */
	p = dissect_frame(frame_dns_query + 14, sizeof(frame_dns_query) - 14,
			  sizeof(frame_dns_query) - 14, DX_LINK_RAW);
	CHECK_STR(field(p, "dns.qry.name"), "www.example.org");
	CHECK_INT(dx_find(p, "ip.src")->off, 12);
	free(p);
}

TEST(dissect_unknown_link_type_is_data)
{
	struct dx_packet *p = dissect_frame(frame_arp_request, sizeof(frame_arp_request),
					    sizeof(frame_arp_request), 9999);

	CHECK(dx_find(p, "frame") != NULL);
	CHECK(dx_find(p, "eth") == NULL);
	CHECK(p->protocol != NULL);
	free(p);
}

/* tshark's reading of bytes after the network packet: zero padding, trailer, FCS. */
TEST(dissect_eth_padding_trailer_fcs)
{
	uint8_t f[sizeof(frame_arp_request) + 22];
	struct dx_packet *p;

	memset(f, 0, sizeof(f));
	memcpy(f, frame_arp_request, sizeof(frame_arp_request));
	p = dissect_frame(f, 60, 60, DX_LINK_ETHERNET);
	CHECK_STR(field(p, "eth.padding"), "000000000000000000000000000000000000");
	CHECK_INT(dx_find(p, "eth.padding")->off, 42);
	CHECK_INT(dx_find(p, "eth.padding")->len, 18);
	CHECK(dx_find(p, "eth.fcs") == NULL);
	CHECK_INT(dx_find(p, "arp")->len, 28);
	CHECK_STR(p->info, "Who has 10.200.0.120? Tell 10.200.0.2");
	free(p);
	memcpy(f + 60, "\x01\x02\x03\x04", 4);
	p = dissect_frame(f, 64, 64, DX_LINK_ETHERNET);
	CHECK_STR(field(p, "eth.fcs"), "0x01020304");
	CHECK_INT(dx_find(p, "eth.fcs")->off, 60);
	free(p);
	/* non-zero bytes after a 44-byte UDP frame: a trailer, not padding */
	memcpy(f, frame_udp_plain, sizeof(frame_udp_plain));
	memset(f + sizeof(frame_udp_plain), 0xaa, 16);
	p = dissect_frame(f, 60, 60, DX_LINK_ETHERNET);
	CHECK(dx_find(p, "eth.padding") == NULL);
	CHECK_STR(field(p, "eth.trailer"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	CHECK_STR(field(p, "udp.length"), "10");
	CHECK_INT(p->flags & DX_F_MALFORMED, 0);
	free(p);
}

/* IEEE 802.3 with LLC (a spanning-tree BPDU), and LLC/SNAP carrying IPv4. */
TEST(dissect_8023_llc_and_snap)
{
	static const uint8_t bpdu[] = {
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x26, 0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00,
	};
	uint8_t f[sizeof(frame_icmp_echo) + 8];
	struct dx_packet *p = dissect_frame(bpdu, sizeof(bpdu), 14 + 0x26, DX_LINK_ETHERNET);

	CHECK_STR(field(p, "eth.len"), "38");
	CHECK_STR(field(p, "llc.dsap"), "0x42");
	CHECK_STR(field(p, "llc.control"), "0x0003");
	CHECK_STR(p->protocol, "LLC");
	CHECK(p->flags & DX_F_TRUNCATED);	/* the BPDU was cut after 7 bytes */
	CHECK_INT(p->flags & DX_F_MALFORMED, 0);
	free(p);

	memcpy(f, frame_icmp_echo, 12);
	f[12] = 0;
	f[13] = (uint8_t)(8 + sizeof(frame_icmp_echo) - 14);
	memcpy(f + 14, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
	memcpy(f + 22, frame_icmp_echo + 14, sizeof(frame_icmp_echo) - 14);
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(field(p, "llc.type"), "0x0800");
	CHECK_STR(field(p, "icmp.seq"), "1");
	CHECK_INT(dx_find(p, "ip")->off, 22);
	free(p);
}
