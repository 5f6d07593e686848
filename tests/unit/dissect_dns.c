// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* DNS over UDP and TCP, and DHCP, against tshark's values for the same frames. */
#include "lib/runner.h"
#include "dissect_frames.h"

TEST(dissect_dns_query_udp)
{
	struct dx_packet *p = dissect_eth(frame_dns_query, sizeof(frame_dns_query));

	CHECK_STR(field(p, "dns.id"), "0x9982");
	CHECK_STR(field(p, "dns.flags"), "0x0120");
	CHECK_STR(field(p, "dns.flags.response"), "0");
	CHECK_STR(field(p, "dns.flags.recdesired"), "1");
	CHECK(dx_find(p, "dns.flags.rcode") == NULL);	/* tshark shows it on responses only */
	CHECK_STR(field(p, "dns.count.queries"), "1");
	CHECK_STR(field(p, "dns.count.add_rr"), "1");
	CHECK_STR(field(p, "dns.qry.name"), "www.example.org");
	CHECK_STR(field(p, "dns.qry.name.len"), "15");
	CHECK_STR(field(p, "dns.count.labels"), "3");
	CHECK_STR(field(p, "dns.qry.type"), "1");
	CHECK_STR(field(p, "dns.qry.class"), "0x0001");
	CHECK_INT(dx_find(p, "dns.qry.name")->off, 54);
	CHECK_INT(dx_find(p, "dns.qry.name")->len, 17);
	CHECK_STR(field(p, "dns.resp.name"), "<Root>");
	CHECK_STR(field(p, "dns.rr.udp_payload_size"), "1232");
	CHECK_STR(field(p, "dns.opt.code"), "10");
	CHECK_STR(p->protocol, "DNS");
	CHECK_STR(p->info, "Standard query 0x9982 A www.example.org OPT");
	CHECK(p->flags & DX_F_PLAINTEXT);
	free(p);
}

TEST(dissect_dns_responses)
{
	struct dx_packet *p = dissect_eth(frame_dns_response, sizeof(frame_dns_response));

	CHECK_STR(field(p, "dns.flags"), "0x8580");
	CHECK_STR(field(p, "dns.flags.response"), "1");
	CHECK_STR(field(p, "dns.flags.authoritative"), "1");
	CHECK_STR(field(p, "dns.flags.rcode"), "0");
	CHECK_STR(field(p, "dns.resp.name"), "www.example.org");	/* via a pointer */
	CHECK_INT(dx_find(p, "dns.resp.name")->len, 2);
	CHECK_STR(field(p, "dns.resp.ttl"), "0");
	CHECK_STR(field(p, "dns.a"), "10.200.0.9");
	CHECK_INT(dx_find(p, "dns.a")->off, 87);
	CHECK_STR(p->info, "Standard query response 0x9982 A www.example.org A 10.200.0.9 OPT");
	free(p);
	p = dissect_eth(frame_dns_cname, sizeof(frame_dns_cname));
	CHECK_STR(field(p, "dns.cname"), "www.example.org");
	CHECK_STR(field(p, "dns.a"), "10.200.0.9");
	CHECK_STR(p->info, "Standard query response 0xcc9a A alias.example.org CNAME "
			   "www.example.org A 10.200.0.9 OPT");
	free(p);
	p = dissect_eth(frame_dns_mx, sizeof(frame_dns_mx));
	CHECK_STR(field(p, "dns.mx.preference"), "10");
	CHECK_STR(field(p, "dns.mx.mail_exchange"), "mail.example.org");
	CHECK_INT(dx_find(p, "dns.mx.mail_exchange")->off, 85);
	free(p);
}

TEST(dissect_dns_over_tcp)
{
	struct dx_packet *p = dissect_eth(frame_dns_tcp_query, sizeof(frame_dns_tcp_query));

	CHECK_STR(field(p, "dns.length"), "56");
	CHECK_STR(field(p, "dns.id"), "0x5732");
	CHECK_STR(field(p, "dns.qry.name"), "www.example.org");
	CHECK_INT(dx_find(p, "dns.qry.name")->off, 80);
	CHECK_STR(p->info, "Standard query 0x5732 A www.example.org OPT");
	free(p);
}

/* The query's name replaced by a pointer to itself: a loop, malformed, no hang. */
TEST(dissect_dns_pointer_loop_and_bad_lengths)
{
	uint8_t f[sizeof(frame_dns_response)];
	struct dx_packet *p;

	memcpy(f, frame_dns_response, sizeof(f));
	f[54] = 0xc0;
	f[55] = 12;	/* points at offset 12 of the message: itself */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK(dx_find(p, "_ws.malformed") != NULL);
	CHECK_STR(field(p, "dns.id"), "0x9982");
	free(p);

	memcpy(f, frame_dns_response, sizeof(f));
	f[86] = 200;	/* A record rdlength past the message */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK_STR(field(p, "dns.qry.name"), "www.example.org");
	free(p);

	memcpy(f, frame_dns_response, sizeof(f));
	f[86] = 3;	/* rdlength 3 for an A record */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	free(p);
}

TEST(dissect_dns_long_name_is_bounded)
{
	/* a query whose name is 200 labels of one byte: over 255 octets */
	uint8_t f[42 + 12 + 400 + 1 + 4];
	struct dx_packet *p;

	memset(f, 0, sizeof(f));
	memcpy(f, frame_dns_query, 42 + 12);
	f[16] = (sizeof(f) - 14) >> 8;
	f[17] = (sizeof(f) - 14) & 0xff;
	f[38] = (sizeof(f) - 34) >> 8;
	f[39] = (sizeof(f) - 34) & 0xff;
	f[51] = 0;	/* no additional records */
	for (int i = 0; i < 200; i++) {
		f[54 + 2 * i] = 1;
		f[55 + 2 * i] = 'a';
	}
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK(dx_find(p, "dns.qry.name") == NULL);
	free(p);
}

TEST(dissect_dhcp_discover_and_offer)
{
	struct dx_packet *p = dissect_eth(frame_dhcp_discover, sizeof(frame_dhcp_discover));

	CHECK_STR(field(p, "dhcp.type"), "1");
	CHECK_STR(field(p, "dhcp.id"), "0x3903f326");
	CHECK_STR(field(p, "dhcp.flags"), "0x8000");
	CHECK_STR(field(p, "dhcp.flags.bc"), "1");
	CHECK_STR(field(p, "dhcp.hw.mac_addr"), "02:00:00:00:00:01");
	CHECK_INT(dx_find(p, "dhcp.hw.mac_addr")->off, 70);
	CHECK_STR(field(p, "dhcp.cookie"), "99.130.83.99");
	CHECK_STR(field(p, "dhcp.option.dhcp"), "1");
	CHECK_STR(field(p, "dhcp.option.requested_ip_address"), "10.200.0.120");
	CHECK_INT(dx_find(p, "dhcp.option.requested_ip_address")->off, 287);
	CHECK_STR(field(p, "dhcp.option.hostname"), "hosta");
	CHECK_STR(field_nth(p, "dhcp.option.request_list_item", 3), "51");
	CHECK_STR(p->protocol, "DHCP");
	CHECK_STR(p->info, "DHCP Discover - Transaction ID 0x3903f326");
	free(p);
	p = dissect_eth(frame_dhcp_offer, sizeof(frame_dhcp_offer));
	CHECK_STR(field(p, "dhcp.ip.your"), "10.200.0.120");
	CHECK_STR(field(p, "dhcp.option.dhcp"), "2");
	CHECK_STR(field(p, "dhcp.option.dhcp_server_id"), "10.200.0.2");
	CHECK_STR(field(p, "dhcp.option.ip_address_lease_time"), "43200");
	CHECK_STR(p->info, "DHCP Offer    - Transaction ID 0x3903f326");
	free(p);
}

TEST(dissect_dhcp_bad_option_length)
{
	uint8_t f[sizeof(frame_dhcp_discover)];
	struct dx_packet *p;

	memcpy(f, frame_dhcp_discover, sizeof(f));
	f[292] = 250;	/* hostname option claims 250 bytes */
	p = dissect_eth(f, sizeof(f));
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK_STR(field(p, "dhcp.option.requested_ip_address"), "10.200.0.120");
	free(p);
}

/* Two DNS messages in one TCP segment: both dissected, Info from the last, as tshark. */
TEST(dissect_dns_two_messages_in_a_segment)
{
	uint32_t msg = sizeof(frame_dns_tcp_query) - 66;
	uint8_t f[sizeof(frame_dns_tcp_query) + 60];
	struct dx_packet *p;

	CHECK(msg <= 60);
	memcpy(f, frame_dns_tcp_query, sizeof(frame_dns_tcp_query));
	memcpy(f + sizeof(frame_dns_tcp_query), frame_dns_tcp_query + 66, msg);
	f[68 + msg] = 0xbe;	/* second message's id: 0xbeef */
	f[69 + msg] = 0xef;
	f[17] = (uint8_t)(f[17] + msg);
	p = dissect_eth(f, sizeof(frame_dns_tcp_query) + msg);
	CHECK_STR(field_nth(p, "dns.id", 0), "0x5732");
	CHECK_STR(field_nth(p, "dns.id", 1), "0xbeef");
	CHECK_STR(field_nth(p, "dns.qry.name", 1), "www.example.org");
	CHECK_STR(p->info, "Standard query 0xbeef A www.example.org OPT");
	CHECK_INT(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
	free(p);
}

TEST(dissect_bootp_without_vendor_area)
{
	uint8_t f[42 + 236];
	struct dx_packet *p;

	memcpy(f, frame_dhcp_discover, sizeof(f));
	f[16] = (20 + 8 + 236) >> 8;	/* ip.len */
	f[17] = (20 + 8 + 236) & 0xff;
	f[38] = 0;			/* udp.length */
	f[39] = 8 + 236;
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(p->protocol, "BOOTP");
	CHECK_STR(p->info, "Boot Request from 02:00:00:00:00:01 (02:00:00:00:00:01)");
	CHECK_STR(field(p, "dhcp.hw.mac_addr"), "02:00:00:00:00:01");
	CHECK(p->flags & DX_F_MALFORMED);
	free(p);
}

/* Names as tshark shows them: spaces and UTF-8 kept, controls in octal, U+FFFD. */
TEST(dissect_dns_name_text)
{
	static const uint8_t name[] = { 3, 'a', ' ', 'b', 1, 1, 3, 0xc3, 0xa9, 'z', 2, 'x', 0xff, 0 };
	uint8_t f[54 + sizeof(name) + 4];
	struct dx_packet *p;

	memcpy(f, frame_dns_query, 54);
	memcpy(f + 54, name, sizeof(name));
	memcpy(f + 54 + sizeof(name), "\x00\x01\x00\x01", 4);
	f[53] = 0;	/* no additional records */
	f[16] = 0;
	f[17] = (uint8_t)(sizeof(f) - 14);
	f[38] = 0;
	f[39] = (uint8_t)(sizeof(f) - 34);
	p = dissect_eth(f, sizeof(f));
	CHECK_STR(field(p, "dns.qry.name"), "a b.\\001.\xc3\xa9z.x\xef\xbf\xbd");
	CHECK_STR(field(p, "dns.qry.name.len"), "12");	/* bytes before escaping */
	CHECK_STR(field(p, "dns.count.labels"), "4");
	CHECK_INT(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
	free(p);
}
