// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Traffic analysis over the flow table. Everything here comes from the kernel's
 * flow counters, so it is exact in accounting mode, where no packet is copied.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capture/engine.h"
#include "report.h"
#include "util/timefmt.h"

static void addr_text(const uint8_t *addr, uint8_t family, char *buf, size_t len)
{
	if (!inet_ntop(family == GT_AF_INET6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		buf[0] = '\0';
}

static void add_epoch(cJSON *o, const char *name, uint64_t boot_ns)
{
	char ts[32];

	time_format_epoch(engine_boot_to_real_ns(boot_ns), ts, sizeof(ts));
	cJSON_AddRawToObject(o, name, ts);
}

static bool counted(const struct flow_stat *f, uint32_t ifindex)
{
	return !ifindex || f->key.ifindex == ifindex;
}

cJSON *flow_stat_json(const struct flow_stat *f, const char *iface)
{
	int s = flow_stat_initiator(f);
	const uint8_t *sa = s ? f->key.addr_b : f->key.addr_a, *da = s ? f->key.addr_a : f->key.addr_b;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	cJSON *o = cJSON_CreateObject();

	addr_text(sa, f->key.family, src, sizeof(src));
	addr_text(da, f->key.family, dst, sizeof(dst));
	if (iface)
		cJSON_AddStringToObject(o, "iface", iface);
	cJSON_AddNumberToObject(o, "proto", f->key.proto);
	cJSON_AddStringToObject(o, "src", src);
	cJSON_AddNumberToObject(o, "sport", ntohs(s ? f->key.port_b : f->key.port_a));
	cJSON_AddStringToObject(o, "dst", dst);
	cJSON_AddNumberToObject(o, "dport", ntohs(s ? f->key.port_a : f->key.port_b));
	cJSON_AddNumberToObject(o, "src_packets", (double)f->val.packets[s]);
	cJSON_AddNumberToObject(o, "src_bytes", (double)f->val.bytes[s]);
	cJSON_AddNumberToObject(o, "dst_packets", (double)f->val.packets[!s]);
	cJSON_AddNumberToObject(o, "dst_bytes", (double)f->val.bytes[!s]);
	add_epoch(o, "first_seen", f->val.first_seen_ns);
	add_epoch(o, "last_seen", f->val.last_seen_ns);
	cJSON_AddNumberToObject(o, "duration",
				(double)(f->val.last_seen_ns - f->val.first_seen_ns) / 1e9);
	cJSON_AddNumberToObject(o, "bytes_per_s", f->bytes_per_s);
	cJSON_AddNumberToObject(o, "packets_per_s", f->packets_per_s);
	if (f->key.proto == 6)
		cJSON_AddStringToObject(o, "state", flow_tcp_state(f));
	cJSON_AddStringToObject(o, "app", f->app ? f->app : "");
	cJSON_AddBoolToObject(o, "encrypted", f->encrypted);
	return o;
}

uint64_t flows_active(const struct flow_table *t, uint32_t ifindex)
{
	uint64_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += counted(&t->v[i], ifindex);
	return n;
}

/* An endpoint: an address with what it sent and received over its flows. */
struct endpoint {
	uint8_t addr[16];
	uint8_t family;
	uint64_t tx_bytes, rx_bytes, tx_packets, rx_packets, flows;
};

static int endpoint_cmp(const void *x, const void *y)
{
	const struct endpoint *a = x, *b = y;
	uint64_t ta = a->tx_bytes + a->rx_bytes, tb = b->tx_bytes + b->rx_bytes;

	return ta < tb ? 1 : ta > tb ? -1 : memcmp(a->addr, b->addr, 16);
}

static int endpoint_addr_cmp(const void *x, const void *y)
{
	const struct endpoint *a = x, *b = y;

	return a->family != b->family ? a->family - b->family : memcmp(a->addr, b->addr, 16);
}

cJSON *talkers_report(const struct flow_table *t, uint32_t ifindex, int top)
{
	struct endpoint *ep = calloc(2 * t->n + 1, sizeof(*ep));
	cJSON *arr = cJSON_CreateArray();
	size_t n = 0, m = 0;
	char text[INET6_ADDRSTRLEN];

	if (!ep)
		return arr;
	/* one row per flow end, then sorted by address and folded */
	for (size_t i = 0; i < t->n; i++) {
		const struct flow_stat *f = &t->v[i];

		if (!counted(f, ifindex))
			continue;
		for (int side = 0; side < 2; side++) {
			struct endpoint *e = &ep[n++];

			memcpy(e->addr, side ? f->key.addr_b : f->key.addr_a, 16);
			e->family = f->key.family;
			/* side a sends bytes[A_TO_B] and receives bytes[B_TO_A] */
			e->tx_bytes = f->val.bytes[side];
			e->rx_bytes = f->val.bytes[!side];
			e->tx_packets = f->val.packets[side];
			e->rx_packets = f->val.packets[!side];
			e->flows = 1;
		}
	}
	if (n)
		qsort(ep, n, sizeof(*ep), endpoint_addr_cmp);
	for (size_t i = 0; i < n; i++) {
		if (m && !endpoint_addr_cmp(&ep[m - 1], &ep[i])) {
			ep[m - 1].tx_bytes += ep[i].tx_bytes;
			ep[m - 1].rx_bytes += ep[i].rx_bytes;
			ep[m - 1].tx_packets += ep[i].tx_packets;
			ep[m - 1].rx_packets += ep[i].rx_packets;
			ep[m - 1].flows++;
		} else {
			ep[m++] = ep[i];
		}
	}
	if (m)
		qsort(ep, m, sizeof(*ep), endpoint_cmp);
	for (size_t i = 0; i < m && (int)i < top; i++) {
		cJSON *o = cJSON_CreateObject();

		addr_text(ep[i].addr, ep[i].family, text, sizeof(text));
		cJSON_AddStringToObject(o, "addr", text);
		cJSON_AddNumberToObject(o, "tx_bytes", (double)ep[i].tx_bytes);
		cJSON_AddNumberToObject(o, "rx_bytes", (double)ep[i].rx_bytes);
		cJSON_AddNumberToObject(o, "tx_packets", (double)ep[i].tx_packets);
		cJSON_AddNumberToObject(o, "rx_packets", (double)ep[i].rx_packets);
		cJSON_AddNumberToObject(o, "flows", (double)ep[i].flows);
		cJSON_AddItemToArray(arr, o);
	}
	free(ep);
	return arr;
}

/* The child of node called name, created when missing. */
static cJSON *child(cJSON *node, const char *name)
{
	cJSON *kids = cJSON_GetObjectItem(node, "children"), *c;

	if (!kids)
		kids = cJSON_AddArrayToObject(node, "children");
	cJSON_ArrayForEach(c, kids)
		if (!strcmp(cJSON_GetObjectItem(c, "name")->valuestring, name))
			return c;
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddNumberToObject(c, "packets", 0);
	cJSON_AddNumberToObject(c, "bytes", 0);
	cJSON_AddNumberToObject(c, "flows", 0);
	cJSON_AddItemToArray(kids, c);
	return c;
}

static void add_to(cJSON *node, const struct flow_stat *f)
{
	cJSON *p = cJSON_GetObjectItem(node, "packets"), *b = cJSON_GetObjectItem(node, "bytes");
	cJSON *n = cJSON_GetObjectItem(node, "flows");

	cJSON_SetNumberValue(p, p->valuedouble + (double)flow_stat_packets(f));
	cJSON_SetNumberValue(b, b->valuedouble + (double)flow_stat_bytes(f));
	cJSON_SetNumberValue(n, n->valuedouble + 1);
}

cJSON *protocol_hierarchy(const struct flow_table *t, uint32_t ifindex)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "name", "all");
	cJSON_AddNumberToObject(root, "packets", 0);
	cJSON_AddNumberToObject(root, "bytes", 0);
	cJSON_AddNumberToObject(root, "flows", 0);
	for (size_t i = 0; i < t->n; i++) {
		const struct flow_stat *f = &t->v[i];
		cJSON *ip, *l4;

		if (!counted(f, ifindex))
			continue;
		add_to(root, f);
		ip = child(root, f->key.family == GT_AF_INET6 ? "ipv6" : "ipv4");
		add_to(ip, f);
		l4 = child(ip, ip_proto_name(f->key.proto));
		add_to(l4, f);
		if (f->app && strcmp(f->app, ip_proto_name(f->key.proto)))
			add_to(child(l4, f->app), f);
	}
	return root;
}

cJSON *encrypted_share(const struct flow_table *t, uint32_t ifindex)
{
	uint64_t enc = 0, plain = 0;
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < t->n; i++)
		if (counted(&t->v[i], ifindex)) {
			if (t->v[i].encrypted)
				enc += flow_stat_bytes(&t->v[i]);
			else
				plain += flow_stat_bytes(&t->v[i]);
		}
	cJSON_AddNumberToObject(o, "encrypted_bytes", (double)enc);
	cJSON_AddNumberToObject(o, "plaintext_bytes", (double)plain);
	cJSON_AddNumberToObject(o, "encrypted_share", enc + plain ? (double)enc / (enc + plain) : 0);
	return o;
}
