// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer ifaces [--json]: the interfaces with index, state, MAC, addresses,
 * driver, and what GoTracer has on each (programs, and whether a live gotracer
 * owns them or they are leftovers for `gotracer cleanup`).
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "capture/engine.h"
#include "util/iface.h"
#include "util/log.h"

static int prefix_len(const struct sockaddr *mask)
{
	const uint8_t *b;
	size_t n;
	int bits = 0;

	if (!mask)
		return 0;
	if (mask->sa_family == AF_INET) {
		b = (const uint8_t *)&((const struct sockaddr_in *)mask)->sin_addr;
		n = 4;
	} else {
		b = (const uint8_t *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		bits += __builtin_popcount(b[i]);
	return bits;
}

/* "10.0.0.1/24" or "fd00::1/64" */
static void addr_text(const struct ifaddrs *ifa, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "";
	const void *a = ifa->ifa_addr->sa_family == AF_INET ?
				(const void *)&((struct sockaddr_in *)ifa->ifa_addr)->sin_addr :
				(const void *)&((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr;

	inet_ntop(ifa->ifa_addr->sa_family, a, ip, sizeof(ip));
	snprintf(buf, len, "%s/%d", ip, prefix_len(ifa->ifa_netmask));
}

static void read_operstate(const char *name, char *buf, size_t len)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	snprintf(buf, len, "unknown");
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static cJSON *iface_to_json(const char *name, unsigned int index, struct ifaddrs *all)
{
	cJSON *obj = cJSON_CreateObject(), *v4, *v6, *gt;
	struct engine_iface_status st;
	char buf[96], mac[24] = "";

	cJSON_AddNumberToObject(obj, "index", index);
	cJSON_AddStringToObject(obj, "name", name);
	read_operstate(name, buf, sizeof(buf));
	cJSON_AddStringToObject(obj, "state", buf);
	v4 = cJSON_CreateArray();
	v6 = cJSON_CreateArray();
	for (struct ifaddrs *ifa = all; ifa; ifa = ifa->ifa_next) {
		int fam;

		if (!ifa->ifa_addr || strcmp(ifa->ifa_name, name))
			continue;
		fam = ifa->ifa_addr->sa_family;
		if (fam == AF_PACKET) {
			const struct sockaddr_ll *ll = (const struct sockaddr_ll *)ifa->ifa_addr;

			if (ll->sll_halen == 6)
				snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
					 ll->sll_addr[0], ll->sll_addr[1], ll->sll_addr[2],
					 ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
		} else if (fam == AF_INET || fam == AF_INET6) {
			addr_text(ifa, buf, sizeof(buf));
			cJSON_AddItemToArray(fam == AF_INET ? v4 : v6, cJSON_CreateString(buf));
		}
	}
	cJSON_AddStringToObject(obj, "mac", mac);
	cJSON_AddItemToObject(obj, "ipv4", v4);
	cJSON_AddItemToObject(obj, "ipv6", v6);
	iface_driver(name, buf, sizeof(buf));
	cJSON_AddStringToObject(obj, "driver", buf);
	cJSON_AddBoolToObject(obj, "physical", iface_is_physical(name));
	engine_iface_status(name, &st);
	gt = cJSON_AddObjectToObject(obj, "gotracer");
	cJSON_AddBoolToObject(gt, "xdp", st.xdp);
	cJSON_AddBoolToObject(gt, "tc_ingress", st.tc_ingress);
	cJSON_AddBoolToObject(gt, "tc_egress", st.tc_egress);
	cJSON_AddBoolToObject(gt, "running", st.running);
	if (st.pid)
		cJSON_AddNumberToObject(gt, "pid", st.pid);
	return obj;
}

static void print_text(const cJSON *o)
{
	const cJSON *gt = cJSON_GetObjectItem(o, "gotracer"), *a;
	bool any = cJSON_IsTrue(cJSON_GetObjectItem(gt, "xdp")) ||
		   cJSON_IsTrue(cJSON_GetObjectItem(gt, "tc_ingress")) ||
		   cJSON_IsTrue(cJSON_GetObjectItem(gt, "tc_egress"));
	const char *driver = cJSON_GetObjectItem(o, "driver")->valuestring;

	printf("%d: %s %s", cJSON_GetObjectItem(o, "index")->valueint,
	       cJSON_GetObjectItem(o, "name")->valuestring,
	       cJSON_GetObjectItem(o, "state")->valuestring);
	if (*cJSON_GetObjectItem(o, "mac")->valuestring)
		printf(" %s", cJSON_GetObjectItem(o, "mac")->valuestring);
	printf(" driver %s", *driver ? driver : "-");
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(o, "ipv4"))
		printf(" %s", a->valuestring);
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(o, "ipv6"))
		printf(" %s", a->valuestring);
	if (any || cJSON_IsTrue(cJSON_GetObjectItem(gt, "running"))) {
		printf(" gotracer:%s%s%s",
		       cJSON_IsTrue(cJSON_GetObjectItem(gt, "xdp")) ? " xdp" : "",
		       cJSON_IsTrue(cJSON_GetObjectItem(gt, "tc_ingress")) ? " tc-ingress" : "",
		       cJSON_IsTrue(cJSON_GetObjectItem(gt, "tc_egress")) ? " tc-egress" : "");
		if (cJSON_IsTrue(cJSON_GetObjectItem(gt, "running")))
			printf(" (running, pid %d)", cJSON_GetObjectItem(gt, "pid") ?
				cJSON_GetObjectItem(gt, "pid")->valueint : 0);
		else
			printf(" (leftover: gotracer cleanup -i %s)",
			       cJSON_GetObjectItem(o, "name")->valuestring);
	}
	putchar('\n');
}

int cmd_ifaces(int argc, char **argv)
{
	struct if_nameindex *names, *it;
	struct ifaddrs *all = NULL;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: gotracer ifaces [--json]\n");
			return 0;
		} else {
			pr_warn("unknown option '%s'; usage: gotracer ifaces [--json]\n", argv[i]);
			return 2;
		}
	}
	names = if_nameindex();
	if (!names || getifaddrs(&all)) {
		pr_warn("cannot list the interfaces: %m\n");
		if (names)
			if_freenameindex(names);
		return 1;
	}
	for (it = names; it->if_index; it++) {
		cJSON *o = iface_to_json(it->if_name, it->if_index, all);
		char *text;

		if (json) {
			text = cJSON_PrintUnformatted(o);
			if (text)
				puts(text);
			cJSON_free(text);
		} else {
			print_text(o);
		}
		cJSON_Delete(o);
	}
	freeifaddrs(all);
	if_freenameindex(names);
	return 0;
}
