// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Filter expressions matched in userspace through libpcap, direction included. */
#include <stdlib.h>

#include "lib/runner.h"
#include "dissect/dissect.h"
#include "filter/filter.h"

/* Ethernet / IPv4 10.200.0.1 -> 10.200.0.2 / TCP 40000 -> 80, SYN */
static const uint8_t tcp_syn[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 200, 0, 1, 10, 200, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
	0, 0, 0, 0,
};

/* The same segment as Linux cooked v2 (SLL2), packet type "outgoing" (4). */
static const uint8_t sll2_out[] = {
	0x08, 0x00, 0, 0, 0, 0, 0, 2, 0x00, 0x01, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 200, 0, 1, 10, 200, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
	0, 0, 0, 0,
};

static bool match(const char *expr, int linktype, const uint8_t *pkt, uint32_t len,
		  uint8_t dir)
{
	struct gt_filter *f;
	char err[256];
	bool m;

	if (filter_compile(&f, expr, linktype, err, sizeof(err))) {
		test_fail(__FILE__, __LINE__, "'%s' does not compile: %s", expr, err);
		return false;
	}
	m = filter_match(f, pkt, len, len, dir);
	filter_free(f);
	return m;
}

#define ETH(expr, dir) match(expr, DX_LINK_ETHERNET, tcp_syn, sizeof(tcp_syn), dir)

TEST(filter_match_basic)
{
	CHECK(ETH("", DX_DIR_UNKNOWN));
	CHECK(ETH("tcp port 80", DX_DIR_UNKNOWN));
	CHECK(!ETH("udp", DX_DIR_UNKNOWN));
	CHECK(ETH("src host 10.200.0.1 and dst port 80", DX_DIR_UNKNOWN));
	CHECK(!ETH("src port 80", DX_DIR_UNKNOWN));
	CHECK(ETH("tcp[tcpflags] & tcp-syn != 0", DX_DIR_UNKNOWN));
	CHECK(ETH("ether src 02:00:00:00:00:01", DX_DIR_UNKNOWN));
	CHECK(ETH("not icmp", DX_DIR_UNKNOWN));
	CHECK(ETH("net 10.200.0.0/24", DX_DIR_UNKNOWN));
	CHECK(!ETH("net 10.201.0.0/24", DX_DIR_UNKNOWN));
	CHECK(ETH("portrange 70-90", DX_DIR_UNKNOWN));
}

TEST(filter_match_direction_on_ethernet)
{
	CHECK(ETH("inbound", GT_DIR_IN));
	CHECK(!ETH("outbound", GT_DIR_IN));
	CHECK(ETH("outbound", GT_DIR_OUT));
	CHECK(!ETH("inbound", GT_DIR_OUT));
	CHECK(ETH("outbound and tcp port 80", GT_DIR_OUT));
	CHECK(!ETH("outbound and udp", GT_DIR_OUT));
	CHECK(ETH("udp or outbound", GT_DIR_OUT));
	/* libpcap's inbound is "not outbound" */
	CHECK(ETH("inbound", DX_DIR_UNKNOWN));
	CHECK(!ETH("outbound", DX_DIR_UNKNOWN));
}

TEST(filter_match_direction_on_cooked)
{
	/* on SLL2 libpcap reads the packet type from the header itself */
	CHECK(match("outbound and tcp port 80", DX_LINK_SLL2, sll2_out, sizeof(sll2_out),
		    DX_DIR_UNKNOWN));
	CHECK(!match("inbound", DX_LINK_SLL2, sll2_out, sizeof(sll2_out), DX_DIR_UNKNOWN));
}

TEST(filter_match_raw_ip)
{
	/* LINKTYPE_RAW frames start at the IP header */
	const uint8_t *ip = tcp_syn + 14;
	uint32_t len = sizeof(tcp_syn) - 14;

	CHECK(match("tcp dst port 80 and host 10.200.0.1", DX_LINK_RAW, ip, len, DX_DIR_UNKNOWN));
	CHECK(!match("udp", DX_LINK_RAW, ip, len, DX_DIR_UNKNOWN));
	CHECK(match("outbound", DX_LINK_RAW, ip, len, GT_DIR_OUT));
}

TEST(filter_match_same_filter_both_directions)
{
	struct gt_filter *f;
	char err[256];

	CHECK_INT(filter_compile(&f, "outbound", DX_LINK_ETHERNET, err, sizeof(err)), 0);
	CHECK(filter_match(f, tcp_syn, sizeof(tcp_syn), sizeof(tcp_syn), GT_DIR_OUT));
	CHECK(!filter_match(f, tcp_syn, sizeof(tcp_syn), sizeof(tcp_syn), GT_DIR_IN));
	CHECK(filter_match(f, tcp_syn, sizeof(tcp_syn), sizeof(tcp_syn), GT_DIR_OUT));
	filter_free(f);
}

TEST(filter_match_truncated_frame)
{
	/* 20 bytes: the IP header is cut; libpcap's filter rejects, nothing crashes */
	CHECK(!match("tcp port 80", DX_LINK_ETHERNET, tcp_syn, 20, DX_DIR_UNKNOWN));
	CHECK(match("ether src 02:00:00:00:00:01", DX_LINK_ETHERNET, tcp_syn, 20,
		    DX_DIR_UNKNOWN));
}

TEST(filter_bad_expression_message)
{
	struct gt_filter *f = (struct gt_filter *)1;
	char err[256] = "";

	CHECK(filter_compile(&f, "port 80 and", DX_LINK_ETHERNET, err, sizeof(err)) < 0);
	CHECK(f == NULL);
	CHECK_STR(err, "can't parse filter expression: syntax error");
	CHECK(filter_compile(&f, "port 99999", DX_LINK_ETHERNET, err, sizeof(err)) < 0);
	CHECK_STR(err, "illegal port number 99999 > 65535");
	CHECK(filter_compile(&f, "foo bar", DX_LINK_ETHERNET, err, sizeof(err)) < 0);
}

TEST(filter_kernel_rules_follow_expression)
{
	struct gt_filter *f;
	struct gt_rule r[GT_MAX_RULES];
	char err[256];

	CHECK_INT(filter_compile(&f, "udp port 53 or icmp", DX_LINK_ETHERNET, err, sizeof(err)), 0);
	CHECK_INT(filter_kernel_rules(f, r, GT_MAX_RULES), 2);
	filter_free(f);
	CHECK_INT(filter_compile(&f, "", DX_LINK_ETHERNET, err, sizeof(err)), 0);
	CHECK_INT(filter_kernel_rules(f, r, GT_MAX_RULES), 0);
	CHECK_STR(filter_expr(f), "");
	filter_free(f);
}

TEST(filter_join_args_like_tcpdump)
{
	char *argv[] = { "tcp", "port", "80" };
	char *s = filter_join_args(3, argv);

	CHECK_STR(s, "tcp port 80");
	free(s);
}
