/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Network interface helpers shared by the loader, the CLI and the server:
 * name <-> index, physical or virtual, driver name, and the interface that
 * carries the default route.
 */
#ifndef GT_IFACE_H
#define GT_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IFACE_NAME_MAX 16 /* IFNAMSIZ */

/* ifindex of name, or 0 when there is no such interface (or the name is too long). */
uint32_t iface_index(const char *name);
/* Name of ifindex into buf (IFACE_NAME_MAX bytes); false when unknown. */
bool iface_name(uint32_t ifindex, char *buf);
/* A device backed by hardware (it has /sys/class/net/IF/device); veth, bridge,
 * tun, dummy, loopback and the like have none. */
bool iface_is_physical(const char *name);
/* Driver name as ethtool reports it ("veth", "virtio_net"); "" when unknown. */
void iface_driver(const char *name, char *buf, size_t len);
/*
 * The interface of the default route: IPv4 first (/proc/net/route), then IPv6
 * (/proc/net/ipv6_route); the lowest metric wins. Returns false when there is none.
 */
bool iface_default_route(char *buf, size_t len);
/* The same from other files in the /proc formats (for tests). */
bool iface_default_route_from(const char *route, const char *ipv6_route, char *buf, size_t len);

#endif /* GT_IFACE_H */
