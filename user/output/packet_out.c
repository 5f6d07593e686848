// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The text line, the JSON line and the detail tree of a dissected packet (see packet_out.h). */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "packet_out.h"
#include "gotracer.h"
#include "util/timefmt.h"

static const char *dir_name(uint8_t dir)
{
	return dir == GT_DIR_IN ? "in" : dir == GT_DIR_OUT ? "out" : NULL;
}

/* tcpdump's network label: "IP", "IP6", "ARP", or NULL. */
static const char *network_label(const struct dx_packet *p)
{
	static const struct { const char *layer, *label; } labels[] = {
		{ "ip", "IP" }, { "ipv6", "IP6" }, { "arp", "ARP" },
	};

	for (uint32_t i = 0; i < p->n_nodes; i++) {
		const struct dx_node *n = &p->nodes[i];

		if (n->kind != DX_NODE_PROTO || !n->name)
			continue;
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
			if (!strcmp(n->name, labels[k].layer))
				return labels[k].label;
	}
	return NULL;
}

/* "10.0.0.1.53", "fd00::1.53", or the bare address when there is no port. */
static void endpoint(char *buf, size_t len, const char *addr, uint16_t port, bool ports)
{
	if (ports)
		snprintf(buf, len, "%s.%u", addr, port);
	else
		snprintf(buf, len, "%s", addr);
}

void packet_print_line(FILE *out, const struct packet_meta *m, const struct dx_packet *p)
{
	bool ports = p->sport || p->dport;
	const char *label = network_label(p);
	const char *dir = dir_name(m->dir);
	char ts[32], src[80], dst[80];

	time_format_clock(m->ts_ns, ts, sizeof(ts));
	fprintf(out, "%s", ts);
	if (m->iface)
		fprintf(out, " %s", m->iface);
	if (dir)
		fprintf(out, " %-3s", dir);
	if (label)
		fprintf(out, " %s", label);
	if (p->src[0] || p->dst[0]) {
		endpoint(src, sizeof(src), p->src, p->sport, ports);
		endpoint(dst, sizeof(dst), p->dst, p->dport, ports);
		fprintf(out, " %s > %s:", src, dst);
	}
	fprintf(out, " %s", p->protocol ? p->protocol : "DATA");
	if (p->info[0])
		fprintf(out, " %s", p->info);
	fprintf(out, ", length %u\n", p->wirelen);
}

/* Add name: value to obj; a name seen before becomes an array of its values. */
static void add_repeatable(cJSON *obj, const char *name, const char *value)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, name);
	cJSON *arr;

	if (!old) {
		cJSON_AddStringToObject(obj, name, value);
		return;
	}
	if (!cJSON_IsArray(old)) {
		arr = cJSON_CreateArray();
		cJSON_DetachItemViaPointer(obj, old);
		cJSON_AddItemToArray(arr, old);
		cJSON_AddItemToObject(obj, name, arr);
		old = arr;
	}
	cJSON_AddItemToArray(old, cJSON_CreateString(value));
}

/*
 * "layers": one object per top-level protocol, as tshark -T json groups them;
 * every field below it (nested subtrees included) flattened into that object.
 */
static cJSON *layers_to_json(const struct dx_packet *p)
{
	cJSON *layers = cJSON_CreateObject();
	cJSON *layer = NULL;

	for (uint32_t i = 0; i < p->n_nodes; i++) {
		const struct dx_node *n = &p->nodes[i];

		if (!n->name || n->kind == DX_NODE_TEXT)
			continue;
		if (n->kind == DX_NODE_PROTO && n->depth == 0) {
			/* the same layer twice (IP in IP): its fields become arrays */
			layer = cJSON_GetObjectItemCaseSensitive(layers, n->name);
			if (!layer)
				layer = cJSON_AddObjectToObject(layers, n->name);
			continue;
		}
		if (n->kind == DX_NODE_FIELD && layer)
			add_repeatable(layer, n->name, dx_value(p, n));
	}
	return layers;
}

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

cJSON *packet_to_json(const struct packet_meta *m, const struct dx_packet *p)
{
	cJSON *obj = cJSON_CreateObject();
	const char *dir = dir_name(m->dir);
	char ts[32], proto[32];

	if (!obj)
		return NULL;
	cJSON_AddNumberToObject(obj, "no", (double)m->no);
	/* raw: a double would print 1732450000.123456 with 17 digits of noise */
	time_format_epoch(m->ts_ns, ts, sizeof(ts));
	cJSON_AddRawToObject(obj, "ts", ts);
	if (m->iface)
		cJSON_AddStringToObject(obj, "iface", m->iface);
	if (dir)
		cJSON_AddStringToObject(obj, "dir", dir);
	cJSON_AddNumberToObject(obj, "len", p->wirelen);
	cJSON_AddNumberToObject(obj, "caplen", p->caplen);
	lower_copy(proto, sizeof(proto), p->protocol ? p->protocol : "data");
	cJSON_AddStringToObject(obj, "proto", proto);
	cJSON_AddStringToObject(obj, "info", p->info);
	if (p->flags & DX_F_TRUNCATED)
		cJSON_AddTrueToObject(obj, "truncated");
	if (p->flags & DX_F_MALFORMED)
		cJSON_AddTrueToObject(obj, "malformed");
	cJSON_AddItemToObject(obj, "layers", layers_to_json(p));
	return obj;
}

void packet_print_json(FILE *out, const struct packet_meta *m, const struct dx_packet *p)
{
	cJSON *obj = packet_to_json(m, p);
	char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;

	if (text) {
		fputs(text, out);
		fputc('\n', out);
	}
	cJSON_free(text);
	cJSON_Delete(obj);
}

#define TREE_MAX_DEPTH 64

static const char *const kind_names[] = {
	[DX_NODE_PROTO] = "proto",
	[DX_NODE_FIELD] = "field",
	[DX_NODE_TEXT] = "text",
};

cJSON *packet_tree_to_json(const struct dx_packet *p)
{
	cJSON *level[TREE_MAX_DEPTH + 1];
	int top = 0;

	level[0] = cJSON_CreateArray();
	if (!level[0])
		return NULL;
	for (uint32_t i = 0; i < p->n_nodes; i++) {
		const struct dx_node *n = &p->nodes[i];
		int depth = n->depth < 0 ? 0 : n->depth;
		cJSON *node, *children;

		/* a child never hangs deeper than one below the node before it */
		if (depth > top)
			depth = top;
		if (depth >= TREE_MAX_DEPTH)
			depth = TREE_MAX_DEPTH - 1;
		node = cJSON_CreateObject();
		cJSON_AddStringToObject(node, "name", n->name ? n->name : "");
		cJSON_AddStringToObject(node, "value", dx_value(p, n));
		cJSON_AddNumberToObject(node, "off", n->off);
		cJSON_AddNumberToObject(node, "len", n->len);
		cJSON_AddStringToObject(node, "kind",
					n->kind <= DX_NODE_TEXT ? kind_names[n->kind] : "field");
		children = cJSON_AddArrayToObject(node, "children");
		cJSON_AddItemToArray(level[depth], node);
		level[depth + 1] = children;
		top = depth + 1;
	}
	return level[0];
}
