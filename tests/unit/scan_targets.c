// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Scan targets and ports: the parser decides who gets probed, so it is strict. */
#include <arpa/inet.h>
#include <errno.h>

#include "lib/runner.h"
#include "scan/scan.h"

static const char *addr_at(const struct scan_targets *t, size_t i)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &t->addrs[i], buf, sizeof(buf));
}

TEST(scan_targets_cidr_skips_network_and_broadcast)
{
	struct scan_targets t = { 0 };

	CHECK_INT(scan_targets_add(&t, "192.0.2.77/30"), 0);
	CHECK_INT(t.n, 2);
	CHECK_STR(addr_at(&t, 0), "192.0.2.77");
	CHECK_STR(addr_at(&t, 1), "192.0.2.78");
	scan_targets_free(&t);
	CHECK_INT(scan_targets_add(&t, "192.0.2.5/32"), 0);
	CHECK_INT(t.n, 1);
	CHECK_INT(scan_targets_add(&t, "198.51.100.0/31"), 0);
	CHECK_INT(t.n, 3);	/* a /31 has two hosts and no broadcast (RFC 3021) */
	scan_targets_free(&t);
	CHECK_INT(scan_targets_add(&t, "10.1.0.0/16"), 0);
	CHECK_INT(t.n, 65534);
	scan_targets_free(&t);
}

TEST(scan_targets_ranges_and_lists)
{
	struct scan_targets t = { 0 };

	CHECK_INT(scan_targets_add(&t, "10.0.0.1-3,10.0.0.250-10.0.1.2,10.9.9.9"), 0);
	CHECK_INT(t.n, 3 + 9 + 1);
	CHECK_STR(addr_at(&t, 2), "10.0.0.3");
	CHECK_STR(addr_at(&t, 3), "10.0.0.250");
	CHECK_STR(addr_at(&t, 11), "10.0.1.2");
	CHECK_STR(addr_at(&t, 12), "10.9.9.9");
	scan_targets_free(&t);
}

TEST(scan_targets_duplicates_removed_in_order)
{
	struct scan_targets t = { 0 };
	uint32_t a;

	CHECK_INT(scan_targets_add(&t, "10.0.0.5,10.0.0.4-6,0.0.0.0,10.0.0.5,0.0.0.0"), 0);
	CHECK_INT(scan_targets_finish(&t), 0);
	CHECK_INT(t.n, 4);
	CHECK_STR(addr_at(&t, 0), "10.0.0.5");
	CHECK_STR(addr_at(&t, 1), "10.0.0.4");
	CHECK_STR(addr_at(&t, 2), "10.0.0.6");
	CHECK_STR(addr_at(&t, 3), "0.0.0.0");
	inet_pton(AF_INET, "10.0.0.6", &a);
	CHECK_INT(scan_targets_index(&t, a), 2);
	inet_pton(AF_INET, "10.0.0.7", &a);
	CHECK_INT(scan_targets_index(&t, a), -1);
	scan_targets_free(&t);
}

TEST(scan_targets_reject_bad_forms)
{
	static const char *const bad[] = {
		"", "10.0.0", "10.0.0.256", "10.0.0.1/33", "10.0.0.1/", "10.0.0.5-3",
		"10.0.0.1-256", "10.0.0.1-", "host.example", "10.0.0.1,,", "-1", "10.0.0.1/8x",
	};
	struct scan_targets t = { 0 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = scan_targets_add(&t, bad[i]);

		if (err == 0) {
			test_fail(__FILE__, __LINE__, "accepted '%s'", bad[i]);
			break;
		}
	}
	scan_targets_free(&t);
	CHECK_INT(scan_targets_add(&t, "10.0.0.0/8"), -E2BIG);
	scan_targets_free(&t);
}

TEST(scan_ports_lists_and_ranges)
{
	struct scan_ports p = { 0 };

	CHECK_INT(scan_ports_add(&p, "22,80,1000-1002,80,65535"), 0);
	CHECK_INT(p.n, 6);
	CHECK_INT(p.ports[0], 22);
	CHECK_INT(p.ports[2], 1000);
	CHECK_INT(p.ports[4], 1002);
	CHECK_INT(p.ports[5], 65535);
	scan_ports_free(&p);
	CHECK_INT(scan_ports_add(&p, "1-65535"), 0);
	CHECK_INT(p.n, 65535);
	scan_ports_free(&p);
	CHECK(scan_ports_add(&p, "0") != 0);
	CHECK(scan_ports_add(&p, "65536") != 0);
	CHECK(scan_ports_add(&p, "90-80") != 0);
	CHECK(scan_ports_add(&p, "http") != 0);
	CHECK(scan_ports_add(&p, "") != 0);
	scan_ports_free(&p);
}

TEST(scan_top_ports_most_frequent_first)
{
	struct scan_ports p = { 0 };

	CHECK_INT(scan_ports_add_top(&p, 10), 0);
	CHECK_INT(p.n, 10);
	/* by nmap's frequency table (or the built-in copy of its order) 80 leads */
	CHECK_INT(p.ports[0], 80);
	CHECK_STR(scan_service_name(22), "ssh");
	CHECK_STR(scan_service_name(443), "https");
	scan_ports_free(&p);
}
