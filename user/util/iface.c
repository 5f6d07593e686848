// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Network interface helpers (see iface.h). */
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iface.h"

uint32_t iface_index(const char *name)
{
	if (!name || !*name || strlen(name) >= IFACE_NAME_MAX)
		return 0;
	return if_nametoindex(name);
}

bool iface_name(uint32_t ifindex, char *buf)
{
	return if_indextoname(ifindex, buf) != NULL;
}

bool iface_is_physical(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", name);
	return access(path, F_OK) == 0;
}

void iface_driver(const char *name, char *buf, size_t len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = {};
	int fd;

	if (len)
		buf[0] = '\0';
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
		snprintf(buf, len, "%s", info.driver);
	close(fd);
}

/* /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex) */
static bool default_route_v4(const char *path, char *best, size_t len,
			     unsigned long *best_metric)
{
	char line[256], name[IFACE_NAME_MAX];
	unsigned long dest, flags, metric, mask;
	bool found = false;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %lx %*x %lx %*d %*d %lu %lx", name, &dest, &flags,
			   &metric, &mask) != 5)
			continue; /* the header line */
		if (dest || mask || !(flags & 1 /* RTF_UP */) || metric >= *best_metric)
			continue;
		snprintf(best, len, "%s", name);
		*best_metric = metric;
		found = true;
	}
	fclose(f);
	return found;
}

/* /proc/net/ipv6_route: dst dstlen src srclen nexthop metric refcnt use flags iface */
static bool default_route_v6(const char *path, char *best, size_t len,
			     unsigned long *best_metric)
{
	char line[512], dst[33], name[IFACE_NAME_MAX];
	unsigned int dstlen;
	unsigned long metric, flags;
	bool found = false;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%32s %x %*s %*x %*s %lx %*x %*x %lx %15s", dst, &dstlen,
			   &metric, &flags, name) != 5)
			continue;
		if (dstlen || strcmp(dst, "00000000000000000000000000000000") ||
		    !(flags & 1 /* RTF_UP */) || (flags & 0x200 /* RTF_REJECT */) ||
		    !strcmp(name, "lo") || metric >= *best_metric)
			continue;
		snprintf(best, len, "%s", name);
		*best_metric = metric;
		found = true;
	}
	fclose(f);
	return found;
}

bool iface_default_route_from(const char *route, const char *ipv6_route, char *buf, size_t len)
{
	unsigned long metric = ULONG_MAX;

	if (default_route_v4(route, buf, len, &metric))
		return true;
	metric = ULONG_MAX;
	return default_route_v6(ipv6_route, buf, len, &metric);
}

bool iface_default_route(char *buf, size_t len)
{
	return iface_default_route_from("/proc/net/route", "/proc/net/ipv6_route", buf, len);
}
