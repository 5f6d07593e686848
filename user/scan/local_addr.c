// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Interface, address and MAC facing the scan targets, from getifaddrs(3). */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "local_addr.h"
#include "../util/iface.h"
#include "../util/log.h"

static uint32_t mask_len(uint32_t mask_be)
{
	return (uint32_t)__builtin_popcount(mask_be);
}

/* the first IPv4 address that match() accepts, with its interface and that interface's MAC */
typedef bool (*if_match_fn)(const struct ifaddrs *ifa, const void *arg);

static int find(if_match_fn match, const void *arg, struct local_if *li)
{
	struct ifaddrs *all, *ifa;
	bool found = false;

	if (getifaddrs(&all))
		return -errno;
	for (ifa = all; ifa; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET || !match(ifa, arg))
			continue;
		memset(li, 0, sizeof(*li));
		snprintf(li->name, sizeof(li->name), "%s", ifa->ifa_name);
		li->addr = ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr.s_addr;
		li->prefix_len = ifa->ifa_netmask ?
			mask_len(((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr.s_addr) : 32;
		li->loopback = ifa->ifa_flags & IFF_LOOPBACK;
		found = true;
		break;
	}
	for (ifa = all; found && ifa; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr && ifa->ifa_addr->sa_family == AF_PACKET &&
		    !strcmp(ifa->ifa_name, li->name)) {
			const struct sockaddr_ll *ll = (const void *)ifa->ifa_addr;

			if (ll->sll_halen == 6)
				memcpy(li->mac, ll->sll_addr, 6);
		}
	}
	freeifaddrs(all);
	if (!found)
		return -ENOENT;
	li->ifindex = iface_index(li->name);
	return li->ifindex ? 0 : -ENODEV;
}

static bool match_name(const struct ifaddrs *ifa, const void *arg)
{
	return !strcmp(ifa->ifa_name, arg);
}

static bool match_subnet(const struct ifaddrs *ifa, const void *arg)
{
	uint32_t addr = *(const uint32_t *)arg;
	uint32_t mine = ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr.s_addr;
	uint32_t mask = ifa->ifa_netmask ? ((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr.s_addr :
					   0xffffffff;

	return (addr & mask) == (mine & mask);
}

static bool match_addr(const struct ifaddrs *ifa, const void *arg)
{
	return ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr.s_addr == *(const uint32_t *)arg;
}

int local_if_by_name(const char *name, struct local_if *li)
{
	int err;

	if (!iface_index(name)) {
		pr_warn("no interface '%s'\n", name);
		return -ENODEV;
	}
	err = find(match_name, name, li);
	if (err)
		pr_warn("interface '%s' has no IPv4 address\n", name);
	return err;
}

int local_if_by_subnet(uint32_t addr, struct local_if *li)
{
	return find(match_subnet, &addr, li);
}

int local_if_by_route(uint32_t dst, struct local_if *li)
{
	/* a connected UDP socket asks the routing table without sending anything */
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = dst };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		err = -errno;
	close(fd);
	if (err)
		return err;
	return find(match_addr, &sin.sin_addr.s_addr, li);
}
