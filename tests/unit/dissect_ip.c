// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* IPv4, IPv6, ICMP, ICMPv6, TCP and UDP against tshark's values for the same frames. */
#include "lib/runner.h"
#include "dissect_frames.h"

#define DOT "\u00b7"

TEST(dissect_ipv4_tcp_syn)
{
	struct dx_packet *p = dissect_eth(frame_tcp_syn, sizeof(frame_tcp_syn));

	CHECK_STR(field(p, "ip.version"), "4");
	CHECK_STR(field(p, "ip.hdr_len"), "20");
	CHECK_STR(field(p, "ip.dsfield"), "0x00");
	CHECK_STR(field(p, "ip.len"), "60");
	CHECK_STR(field(p, "ip.id"), "0xefe8");
	CHECK_STR(field(p, "ip.flags"), "0x02");
	CHECK_STR(field(p, "ip.flags.df"), "1");
	CHECK_STR(field(p, "ip.frag_offset"), "0");
	CHECK_STR(field(p, "ip.ttl"), "64");
	CHECK_STR(field(p, "ip.proto"), "6");
	CHECK_STR(field(p, "ip.checksum"), "0x3541");
	CHECK_STR(field_nth(p, "ip.addr", 1), "10.200.0.2");
	CHECK_STR(field(p, "tcp.srcport"), "33937");
	CHECK_STR(field(p, "tcp.dstport"), "53");
	CHECK_STR(field_nth(p, "tcp.port", 1), "53");
	CHECK_STR(field(p, "tcp.seq_raw"), "689378342");
	CHECK_STR(field(p, "tcp.hdr_len"), "40");
	CHECK_STR(field(p, "tcp.flags"), "0x0002");
	CHECK_STR(field(p, "tcp.flags.syn"), "1");
	CHECK_STR(field(p, "tcp.flags.ack"), "0");
	/* one middle dot per clear flag, as tshark */
	CHECK_STR(field(p, "tcp.flags.str"), DOT DOT DOT DOT DOT DOT DOT DOT DOT DOT "S" DOT);
	CHECK_STR(field(p, "tcp.window_size_value"), "64660");
	CHECK_STR(field(p, "tcp.options.mss_val"), "1220");
	CHECK_STR(field(p, "tcp.options.wscale.shift"), "10");
	CHECK_STR(field(p, "tcp.options.wscale.multiplier"), "1024");
	CHECK_STR(field(p, "tcp.options.timestamp.tsval"), "2440671782");
	CHECK(dx_find(p, "tcp.options.sack_perm") != NULL);
	CHECK_STR(field(p, "tcp.len"), "0");
	CHECK_INT(dx_find(p, "tcp.options.mss_val")->off, 56);
	CHECK_INT(dx_find(p, "tcp.options.timestamp.tsval")->off, 62);
	CHECK_STR(p->protocol, "TCP");
	CHECK_STR(p->info, "33937 \u2192 53 [SYN] Seq=689378342 Win=64660 Len=0 MSS=1220 SACK_PERM "
			   "TSval=2440671782 TSecr=0 WS=1024");
	CHECK_STR(p->src, "10.200.0.1");
	CHECK_INT(p->sport, 33937);
	CHECK_INT(p->dport, 53);
	CHECK_INT(p->l4proto, 6);
	free(p);
}

TEST(dissect_tcp_payload_is_handed_on)
{
	struct dx_packet *p = dissect_eth(frame_tcp_data, sizeof(frame_tcp_data));

	CHECK_STR(field(p, "tcp.flags"), "0x0018");
	CHECK_STR(field(p, "tcp.len"), "6");
	CHECK_STR(field(p, "tcp.payload"), "68656c6c6f0a");
	/* the next layer (an application's or "data") starts at the payload */
	CHECK(p->nodes[p->n_nodes - 1].depth >= 0);
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].kind == DX_NODE_PROTO && i > 0 &&
		    !strcmp(p->nodes[i - 1].name ? p->nodes[i - 1].name : "", "tcp.payload"))
			CHECK_INT(p->nodes[i].off, 66);
	free(p);
}

TEST(dissect_udp_and_icmp_unreachable)
{
	struct dx_packet *p = dissect_eth(frame_udp_plain, sizeof(frame_udp_plain));

	CHECK_STR(field(p, "udp.length"), "10");
	CHECK_STR(field(p, "udp.checksum"), "0x15ae");
	CHECK_STR(p->info, "36234 \u2192 9999 Len=2");
	free(p);
	p = dissect_eth(frame_icmp_unreach, sizeof(frame_icmp_unreach));
	CHECK_STR(field(p, "icmp.type"), "3");
	CHECK_STR(field(p, "icmp.code"), "3");
	CHECK_STR(field(p, "icmp.checksum.status"), "1");
	/* the quoted packet is dissected, the summary stays the outer one */
	CHECK_STR(field_nth(p, "ip.src", 1), "10.200.0.1");
	CHECK_STR(field(p, "udp.dstport"), "9999");
	CHECK_INT(dx_find(p, "udp.dstport")->off, 64);
	CHECK_STR(p->protocol, "ICMP");
	CHECK_STR(p->info, "Destination unreachable (Port unreachable)");
	CHECK_STR(p->src, "10.200.0.2");
	CHECK_INT(p->flags & DX_F_MALFORMED, 0);
	free(p);
}

TEST(dissect_icmp_echo_and_options)
{
	struct dx_packet *p = dissect_eth(frame_icmp_echo, sizeof(frame_icmp_echo));

	CHECK_STR(field(p, "icmp.ident"), "11119");
	CHECK_STR(field(p, "icmp.seq"), "1");
	CHECK_STR(field(p, "icmp.seq_le"), "256");
	CHECK_STR(p->info, "Echo (ping) request  id=0x2b6f, seq=1/256, ttl=64");
	CHECK(p->flags & DX_F_PLAINTEXT);
	free(p);
	p = dissect_eth(frame_icmp_rr, sizeof(frame_icmp_rr));
	CHECK_STR(field(p, "ip.hdr_len"), "60");
	CHECK_STR(field(p, "ip.opt.ptr"), "8");
	CHECK_STR(field(p, "ip.rec_rt"), "10.200.0.1");
	CHECK_STR(field(p, "ip.empty_rt"), "0.0.0.0");
	CHECK_STR(field(p, "icmp.type"), "8");
	CHECK_INT(dx_find(p, "icmp")->off, 74);
	free(p);
}

TEST(dissect_ipv4_later_fragment)
{
	struct dx_packet *p = dissect_eth(frame_ipv4_frag2, sizeof(frame_ipv4_frag2));

	CHECK_STR(field(p, "ip.flags"), "0x01");
	CHECK_STR(field(p, "ip.flags.mf"), "1");
	CHECK_STR(field(p, "ip.frag_offset"), "185");
	CHECK(dx_find(p, "icmp") == NULL);
	CHECK_STR(p->info, "Fragmented IP protocol (proto=ICMP 1, off=1480, ID=b0bb)");
	free(p);
}

TEST(dissect_ipv6_icmpv6_nd)
{
	struct dx_packet *p = dissect_eth(frame_icmpv6_na, sizeof(frame_icmpv6_na));

	CHECK_STR(field(p, "ipv6.version"), "6");
	CHECK_STR(field(p, "ipv6.tclass"), "0x00000000");
	CHECK_STR(field(p, "ipv6.flow"), "0x000000");
	CHECK_STR(field(p, "ipv6.plen"), "32");
	CHECK_STR(field(p, "ipv6.nxt"), "58");
	CHECK_STR(field(p, "ipv6.hlim"), "255");
	CHECK_STR(field(p, "ipv6.src"), "fd00:200::2");
	CHECK_STR(field(p, "icmpv6.type"), "136");
	CHECK_STR(field(p, "icmpv6.checksum.status"), "1");
	CHECK_STR(field(p, "icmpv6.nd.na.flag"), "0x60000000");
	CHECK_STR(field(p, "icmpv6.nd.na.target_address"), "fd00:200::2");
	CHECK_STR(field(p, "icmpv6.opt.linkaddr"), "02:00:00:00:00:02");
	CHECK_STR(field(p, "icmpv6.opt.target_linkaddr"), "02:00:00:00:00:02");
	CHECK_INT(dx_find(p, "icmpv6.opt.linkaddr")->off, 80);
	CHECK_STR(p->info, "Neighbor Advertisement fd00:200::2 (sol, ovr) is at 02:00:00:00:00:02");
	free(p);
}

TEST(dissect_ipv6_hopopts_and_fragment)
{
	struct dx_packet *p = dissect_eth(frame_icmpv6_mld, sizeof(frame_icmpv6_mld));

	CHECK_STR(field(p, "ipv6.nxt"), "0");
	CHECK_STR(field(p, "ipv6.hopopts.nxt"), "58");
	CHECK_STR(field(p, "ipv6.hopopts.len_oct"), "8");
	CHECK_STR(field(p, "ipv6.opt.router_alert"), "0");
	CHECK_INT(dx_find(p, "ipv6")->len, 48);
	CHECK_STR(field(p, "icmpv6.mldr.mar.multicast_address"), "ff02::1:ff00:1");
	CHECK_STR(p->info, "Multicast Listener Report Message v2");
	free(p);
	p = dissect_eth(frame_ipv6_frag1, sizeof(frame_ipv6_frag1));
	CHECK_STR(field(p, "ipv6.flow"), "0x073266");
	CHECK_STR(field(p, "ipv6.fraghdr.nxt"), "58");
	CHECK_STR(field(p, "ipv6.fraghdr.offset"), "0");
	CHECK_STR(field(p, "ipv6.fraghdr.more"), "1");
	CHECK_STR(field(p, "ipv6.fraghdr.ident"), "0x3bb11ea9");
	CHECK_INT(dx_find(p, "ipv6")->len, 40);
	/* a first fragment shows its upper header, as tshark without reassembly */
	CHECK_STR(field(p, "icmpv6.echo.identifier"), "0x2bd1");
	free(p);
}

TEST(dissect_ip_malformed_headers)
{
	uint8_t f[sizeof(frame_tcp_syn)];
	struct dx_packet *p;

	memcpy(f, frame_tcp_syn, sizeof(f));
	f[14] = 0x44;	/* IHL 4: 16 bytes, below the minimum */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK(dx_find(p, "_ws.malformed") != NULL);
	CHECK_STR(field(p, "ip.hdr_len"), "16");
	CHECK(dx_find(p, "tcp") == NULL);
	CHECK_INT(p->flags & DX_F_TRUNCATED, 0);
	free(p);

	memcpy(f, frame_tcp_syn, sizeof(f));
	f[46] = 0x30;	/* TCP data offset 3: 12 bytes */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK_STR(field(p, "tcp.hdr_len"), "12");
	free(p);

	memcpy(f, frame_tcp_syn, sizeof(f));
	f[72] = 0;	/* window-scale option length 0: would loop forever if trusted */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK_STR(field(p, "tcp.options.mss_val"), "1220");
	free(p);
}

/* The ACK of the DNS/TCP exchange with a SACK block added (NOP NOP SACK 1000-2000). */
TEST(dissect_tcp_sack_blocks)
{
	static const uint8_t sack[] = { 1, 1, 5, 10, 0, 0, 0x03, 0xe8, 0, 0, 0x07, 0xd0 };
	uint8_t f[sizeof(frame_tcp_syn) + 12];
	struct dx_packet *p;

	/* the SYN's 40-byte header: MSS, SACK_PERM, TS, NOP, WS, then the SACK block */
	memcpy(f, frame_tcp_syn, sizeof(frame_tcp_syn));
	memcpy(f + sizeof(frame_tcp_syn), sack, sizeof(sack));
	f[17] = 60 + 12;	/* ip.len */
	f[46] = 0xd0;		/* data offset 13: 52 bytes */
	f[47] = 0x10;		/* ACK */
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(field(p, "tcp.hdr_len"), "52");
	CHECK_STR(field(p, "tcp.options.sack_le"), "1000");
	CHECK_STR(field(p, "tcp.options.sack_re"), "2000");
	CHECK_INT(dx_find(p, "tcp.options.sack_le")->off, 78);
	CHECK(strstr(p->info, "SLE=1000 SRE=2000") != NULL);
	CHECK_INT(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
	free(p);
}

/*
 * The ICMPv6 echo behind destination options (PadN) and a type 0 routing header
 * whose last address is the final destination: the checksum covers that one.
 */
TEST(dissect_ipv6_routing_and_dstopts)
{
	static const uint8_t ext[] = {
		43, 0, 1, 4, 0, 0, 0, 0,		/* dstopts: next routing, PadN 4 */
		58, 2, 0, 1, 0, 0, 0, 0,		/* routing type 0, 1 segment left */
		0xfd, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	};
	uint8_t f[sizeof(frame_icmpv6_na) + sizeof(ext)];
	uint32_t icmp = sizeof(frame_icmpv6_na) - 54;
	struct dx_packet *p;

	/* the NA from fd00:200::2 to ::1, rerouted through ::1 to its real target ::1 */
	memcpy(f, frame_icmpv6_na, 54);
	memcpy(f + 54, ext, sizeof(ext));
	memcpy(f + 54 + sizeof(ext), frame_icmpv6_na + 54, icmp);
	memcpy(f + 38 + 15, "\x02", 1);		/* header destination ::2 */
	memcpy(f + 54 + 16 + 15, "\x01", 1);	/* final destination ::1 */
	f[19] = (uint8_t)(sizeof(ext) + icmp);
	f[20] = 60;
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(field(p, "ipv6.dst"), "fd00:200::2");
	CHECK_STR(field(p, "ipv6.dstopts.nxt"), "43");
	CHECK_STR(field(p, "ipv6.opt.padn"), "00000000");
	CHECK_STR(field(p, "ipv6.routing.type"), "0");
	CHECK_STR(field(p, "ipv6.routing.segleft"), "1");
	CHECK_STR(field(p, "icmpv6.type"), "136");
	CHECK_STR(field(p, "icmpv6.checksum.status"), "1");
	CHECK_STR(p->dst, "fd00:200::1");
	CHECK_INT(dx_find(p, "icmpv6")->off, 54 + sizeof(ext));
	free(p);
}

/* IP protocols without a dissector: named in the columns, payload as data. */
TEST(dissect_ip_protocols_without_a_dissector)
{
	uint8_t f[sizeof(frame_icmp_echo)];
	struct dx_packet *p;

	memcpy(f, frame_icmp_echo, sizeof(f));
	f[23] = 200;
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(p->protocol, "IPv4");
	CHECK_STR(p->info, "Unassigned (200)");	/* as tshark */
	CHECK_INT(p->l4proto, 200);
	CHECK_INT(dx_find(p, "data")->off, 34);
	free(p);
	f[23] = 50;
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(p->protocol, "ESP");
	CHECK(p->flags & DX_F_ENCRYPTED);
	CHECK_INT(p->flags & DX_F_PLAINTEXT, 0);
	free(p);
}

TEST(dissect_icmp_error_code_names)
{
	uint8_t f[sizeof(frame_icmpv6_na)];
	uint8_t g[sizeof(frame_icmp_unreach)];
	struct dx_packet *p;

	memcpy(f, frame_icmpv6_na, sizeof(f));
	f[54] = 3;	/* ICMPv6 time exceeded, in transit */
	f[55] = 0;
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(p->info, "Time Exceeded (hop limit exceeded in transit)");	/* tshark 4.0 */
	CHECK_STR(field(p, "icmpv6.checksum.status"), "0");	/* the NA's checksum */
	free(p);
	f[54] = 1;	/* ICMPv6 unreachable, no route */
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(p->info, "Destination Unreachable (no route to destination)");
	free(p);
	memcpy(g, frame_icmp_unreach, sizeof(g));
	g[34] = 12;	/* ICMP parameter problem, option missing */
	g[35] = 1;
	p = dissect_eth(g, sizeof(g));
	CHECK_STR(p->info, "Parameter problem    (Required option missing)");
	CHECK_STR(field(p, "icmp.pointer"), "0");
	free(p);
}
