// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The helpers behind the command line's output and options: time formats,
 * strict numbers, hook names, and the default-route interface read from files
 * in the /proc/net/route and /proc/net/ipv6_route formats.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/runner.h"
#include "capture/engine.h"
#include "util/iface.h"
#include "util/numparse.h"
#include "util/timefmt.h"

TEST(util_time_formats)
{
	char buf[64];

	time_format_epoch(1732450000123456789ull, buf, sizeof(buf));
	CHECK_STR(buf, "1732450000.123456");
	time_format_epoch(999, buf, sizeof(buf));
	CHECK_STR(buf, "0.000000");
	setenv("TZ", "UTC", 1);
	tzset();
	time_format_clock(1732450000123456789ull, buf, sizeof(buf));
	CHECK_STR(buf, "12:06:40.123456");
}

TEST(util_numbers_are_strict)
{
	uint64_t v = 77;

	CHECK(parse_u64_range("10", 1, 100, &v));
	CHECK_INT(v, 10);
	CHECK(parse_u64_range("18446744073709551615", 0, UINT64_MAX, &v));
	CHECK(v == UINT64_MAX);
	v = 5;
	CHECK(!parse_u64_range("0", 1, 100, &v));
	CHECK(!parse_u64_range("101", 1, 100, &v));
	CHECK(!parse_u64_range("-1", 0, UINT64_MAX, &v));
	CHECK(!parse_u64_range(" 1", 0, 100, &v));
	CHECK(!parse_u64_range("1x", 0, 100, &v));
	CHECK(!parse_u64_range("", 0, 100, &v));
	CHECK(!parse_u64_range(NULL, 0, 100, &v));
	CHECK(!parse_u64_range("18446744073709551616", 0, UINT64_MAX, &v));
	CHECK_INT(v, 5); /* untouched on failure */
}

TEST(util_hook_names_round_trip)
{
	static const char *names[] = { "auto", "xdp", "xdp-generic", "tc" };
	enum engine_hook h;

	for (int i = 0; i < 4; i++) {
		CHECK_INT(engine_hook_parse(names[i], &h), 0);
		CHECK_STR(engine_hook_name(h), names[i]);
	}
	CHECK(engine_hook_parse("XDP", &h) < 0);
	CHECK(engine_hook_parse("", &h) < 0);
}

static char *fixture(const char *text)
{
	char *path = strdup("/tmp/gt-route-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static const char route_header[] =
	"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

/* ipv6_route lines: dst dstlen src srclen nexthop metric refcnt use flags iface */
#define V6_DEFAULT(metric, flags, dev)                                                     \
	"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "         \
	"fd000000000000000000000000000001 " metric " 00000001 00000000 " flags "     " dev "\n"
#define V6_LO_REJECT                                                                       \
	"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "         \
	"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"

TEST(util_default_route_ipv4_lowest_metric)
{
	char *v4 = fixture(
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
		"eth1\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		/* lower metric but down (flags without RTF_UP): not a route in use */
		"eth2\t00000000\t0100000A\t0002\t0\t0\t5\t00000000\t0\t0\t0\n");
	char *v6 = fixture(V6_DEFAULT("00000064", "00000003", "eth9"));
	char name[IFACE_NAME_MAX] = "";

	CHECK(iface_default_route_from(v4, v6, name, sizeof(name)));
	CHECK_STR(name, "eth1");
	unlink(v4);
	unlink(v6);
	free(v4);
	free(v6);
}

TEST(util_default_route_ipv6_only)
{
	char v4text[512];
	char *v4, *v6;
	char name[IFACE_NAME_MAX] = "";

	/* only a subnet route over IPv4: no default there */
	snprintf(v4text, sizeof(v4text), "%s%s", route_header,
		 "gt0\t0000C80A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	v4 = fixture(v4text);
	v6 = fixture(V6_LO_REJECT V6_DEFAULT("00000400", "00000003", "gt0")
		     V6_DEFAULT("00000100", "00000003", "gt7"));
	CHECK(iface_default_route_from(v4, v6, name, sizeof(name)));
	CHECK_STR(name, "gt7");
	unlink(v4);
	unlink(v6);
	free(v4);
	free(v6);
}

TEST(util_default_route_none)
{
	char *v4 = fixture(route_header);
	char *v6 = fixture(V6_LO_REJECT);
	char name[IFACE_NAME_MAX] = "";

	CHECK(!iface_default_route_from(v4, v6, name, sizeof(name)));
	CHECK(!iface_default_route_from("/nonexistent/route", "/nonexistent/ipv6_route", name,
					sizeof(name)));
	unlink(v4);
	unlink(v6);
	free(v4);
	free(v6);
}

TEST(util_iface_index_rejects_bad_names)
{
	CHECK_INT(iface_index(NULL), 0);
	CHECK_INT(iface_index(""), 0);
	CHECK_INT(iface_index("a-name-longer-than-ifnamsiz"), 0);
	CHECK_INT(iface_index("nosuch-if0"), 0);
	CHECK(iface_index("lo") > 0);
	CHECK(!iface_is_physical("lo"));
}
