// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Filter expressions to kernel rules: a table of expression => rules (as
 * filter_rule_str text, joined by " | ") or "" for "userspace only".
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/runner.h"
#include "filter/filter.h"

static const struct {
	const char *expr;
	const char *rules;
} cases[] = {
	{ "host 10.0.0.1", "10.0.0.1/32 | non-ip" },
	{ "src host 10.0.0.1", "src 10.0.0.1/32 | non-ip" },
	{ "dst 10.0.0.1", "dst 10.0.0.1/32 | non-ip" },
	{ "host fd00:200::1", "fd00:200::1/128 | non-ip" },
	{ "net 10.0.0.0/8", "10.0.0.0/8 | non-ip" },
	{ "src net 10.1", "src 10.1.0.0/16 | non-ip" },
	{ "dst net fd00::/64", "dst fd00::/64 | non-ip" },
	{ "port 53", "port 53" },
	{ "src port 53", "src port 53" },
	{ "tcp dst port 443", "proto 6 dst port 443" },
	{ "portrange 1000-2000", "port 1000-2000" },
	{ "udp portrange 2000-1000", "proto 17 port 1000-2000" },
	{ "tcp", "proto 6" },
	{ "udp", "proto 17" },
	{ "icmp", "ip4 proto 1" },
	{ "icmp6", "ip6 proto 58" },
	{ "ip", "ip4" },
	{ "ip6", "ip6" },
	{ "inbound", "in" },
	{ "outbound and tcp", "proto 6 out" },
	{ "tcp or udp", "proto 6 | proto 17" },
	{ "port 80 or 443", "port 80 | port 443" },
	{ "host 10.0.0.1 or 10.0.0.2", "10.0.0.1/32 | non-ip | 10.0.0.2/32" },
	{ "host 10.0.0.1 and host 10.0.0.2", "10.0.0.1/32 10.0.0.2/32 | non-ip" },
	{ "ip and tcp port 80", "ip4 proto 6 port 80" },
	{ "(tcp or udp) and port 53", "proto 6 port 53 | proto 17 port 53" },
	/* pcap: and/or have equal precedence, left to right */
	{ "tcp or udp and port 53", "proto 6 port 53 | proto 17 port 53" },
	{ "host 10.0.0.1 and (port 80 or port 443) and inbound",
	  "10.0.0.1/32 port 80 in | 10.0.0.1/32 port 443 in" },
	{ "tcp && src 10.0.0.1 || udp", "proto 6 src 10.0.0.1/32 | proto 17" },
	/* contradictions vanish; all gone means no kernel filtering */
	{ "(tcp or udp) and tcp", "proto 6" },
	{ "tcp and udp", "" },
	/* what the rules cannot say: userspace only */
	{ "not port 22", "" },
	{ "tcp and not port 22", "" },
	{ "! tcp", "" },
	{ "ether host 02:00:00:00:00:01", "" },
	{ "vlan", "" },
	{ "vlan and tcp", "" },
	{ "tcp[13] & 2 != 0", "" },
	{ "ip proto 1", "" },
	{ "host example.org", "" },
	/* service names as libpcap resolves them (/etc/services): tcp, udp or both */
	{ "port domain", "port 53" },
	{ "port http", "proto 6 port 80" },
	{ "udp src port domain", "proto 17 src port 53" },
	{ "port no-such-service", "" },
	{ "src port 1 and dst port 2", "" },
	{ "host 1.1.1.1 and host 2.2.2.2 and host 3.3.3.3", "" },
	/* libpcap's host also matches ARP: non-IP frames pass, unless ip/ip6 is asked */
	{ "ip host 10.0.0.1", "ip4 10.0.0.1/32" },
	{ "ip6 net fd00::/8", "ip6 fd00::/8" },
	{ "inbound and host 10.0.0.1", "10.0.0.1/32 in | non-ip in" },
	{ "tcp and src 10.0.0.1", "proto 6 src 10.0.0.1/32" },
	{ "src or dst host 10.0.0.1", "" },
	{ "net 10.0.0.0 mask 255.0.0.0", "" },
	{ "arp", "" },
	{ "", "" },
	{ "port", "" },
	{ "(tcp", "" },
};

static void rules_text(const char *expr, char *out, size_t len, uint32_t max)
{
	struct gt_rule rules[GT_MAX_RULES];
	uint32_t n = filter_translate(expr, rules, max);
	size_t used = 0;

	out[0] = '\0';
	for (uint32_t i = 0; i < n && used < len; i++) {
		char one[200];

		filter_rule_str(&rules[i], one, sizeof(one));
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " | " : "", one);
	}
}

TEST(filter_translate_table)
{
	char got[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rules_text(cases[i].expr, got, sizeof(got), GT_MAX_RULES);
		if (strcmp(got, cases[i].rules)) {
			test_fail(__FILE__, __LINE__, "'%s' => '%s', expected '%s'", cases[i].expr,
				  got, cases[i].rules);
			return;
		}
	}
}

TEST(filter_translate_bounded_by_max_rules)
{
	char got[1024];

	/* 2 x 2 = 4 rules: fits in 4, not in 3 (then userspace only) */
	rules_text("(tcp or udp) and (port 1 or port 2)", got, sizeof(got), 4);
	CHECK_STR(got, "proto 6 port 1 | proto 6 port 2 | proto 17 port 1 | proto 17 port 2");
	rules_text("(tcp or udp) and (port 1 or port 2)", got, sizeof(got), 3);
	CHECK_STR(got, "");
	rules_text("port 1 or port 2 or port 3", got, sizeof(got), 2);
	CHECK_STR(got, "");
}

TEST(filter_translate_fields)
{
	struct gt_rule r[2];

	CHECK_INT(filter_translate("src net 10.1.0.0/16 and udp dst port 53", r, 2), 1);
	CHECK_INT(r[0].match, GT_M_ADDR0 | GT_M_PROTO | GT_M_PORT);
	CHECK_INT(r[0].addr[0].family, GT_AF_INET);
	CHECK_INT(r[0].addr[0].prefix_len, 16);
	CHECK_INT(r[0].addr[0].side, GT_SEL_SRC);
	CHECK_INT(r[0].addr[0].addr[0], 10);
	CHECK_INT(r[0].addr[0].addr[1], 1);
	CHECK_INT(r[0].proto, 17);
	CHECK_INT(r[0].port_side, GT_SEL_DST);
	CHECK_INT(r[0].port_lo, 53);
	CHECK_INT(r[0].port_hi, 53);
}
