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

/* The fields of one name in one layer, in order of arrival. */
struct field_group {
	const char *name;
	uint32_t first, last;	/* node indexes; nodes chain through next[] */
	uint32_t count;
	uint32_t place;		/* where cJSON would have put the name (see write_layer) */
};

struct layer_scratch {
	uint32_t next[DX_MAX_NODES];		/* next node of the same name in the layer */
	struct field_group groups[DX_MAX_NODES];
	uint32_t at_place[DX_MAX_NODES];	/* group + 1 at each place, 0 for none */
	uint16_t slots[2 * DX_MAX_NODES];	/* name hash table: group + 1, 0 for free */
};

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/*
 * One layer object, as it used to be built with cJSON, where a name seen a
 * second time was taken out and added again at the end as an array: a name seen
 * once sits where it arrived, a repeated one where its second value arrived.
 */
static void write_layer(struct json_writer *w, const struct dx_packet *p, uint32_t from,
			const uint32_t *layer_of, uint32_t layer, struct layer_scratch *sc)
{
	uint32_t n_groups = 0, seq = 0, mask = 15;

	for (uint32_t i = from; i < p->n_nodes; i++)
		seq += layer_of[i] == layer;
	while (mask + 1 < 2 * seq)
		mask = mask * 2 + 1;
	memset(sc->slots, 0, (mask + 1) * sizeof(sc->slots[0]));
	memset(sc->at_place, 0, seq * sizeof(sc->at_place[0]));
	seq = 0;
	for (uint32_t i = from; i < p->n_nodes; i++) {
		const char *name = p->nodes[i].name;
		struct field_group *g;
		uint32_t h;

		if (layer_of[i] != layer)
			continue;
		for (h = name_hash(name) & mask; sc->slots[h]; h = (h + 1) & mask) {
			g = &sc->groups[sc->slots[h] - 1];
			if (g->name == name || !strcmp(g->name, name))
				break;
		}
		if (!sc->slots[h]) {
			sc->slots[h] = (uint16_t)(++n_groups);
			g = &sc->groups[n_groups - 1];
			*g = (struct field_group){ .name = name, .first = i, .place = seq };
		} else {
			g = &sc->groups[sc->slots[h] - 1];
			sc->next[g->last] = i;
			if (g->count == 1)
				g->place = seq;
		}
		g->last = i;
		g->count++;
		seq++;
	}
	for (uint32_t gi = 0; gi < n_groups; gi++)
		sc->at_place[sc->groups[gi].place] = gi + 1;
	jw_key(w, p->nodes[from].name);
	jw_open(w, '{');
	for (uint32_t pl = 0; pl < seq; pl++) {
		const struct field_group *g;
		uint32_t i;

		if (!sc->at_place[pl])
			continue;
		g = &sc->groups[sc->at_place[pl] - 1];
		jw_key(w, g->name);
		if (g->count > 1)
			jw_open(w, '[');
		i = g->first;
		for (uint32_t k = 0; k < g->count; k++, i = sc->next[i])
			jw_str(w, dx_value(p, &p->nodes[i]));
		if (g->count > 1)
			jw_close(w, ']');
	}
	jw_close(w, '}');
}

/*
 * "layers": one object per top-level protocol, as tshark -T json groups them;
 * every field below it (nested subtrees included) flattened into that object; a
 * repeated field is an array; the same layer twice (IP in IP) shares one object.
 */
static void write_layers(struct json_writer *w, const struct dx_packet *p)
{
	static struct layer_scratch scratch;	/* 40 KiB: not on the stack */
	uint32_t layer_of[DX_MAX_NODES], layers[DX_MAX_NODES], n_layers = 0, cur = UINT32_MAX;

	for (uint32_t i = 0; i < p->n_nodes; i++) {
		const struct dx_node *n = &p->nodes[i];

		layer_of[i] = UINT32_MAX;
		if (!n->name || n->kind == DX_NODE_TEXT)
			continue;
		if (n->kind == DX_NODE_PROTO && n->depth == 0) {
			for (cur = 0; cur < n_layers; cur++)
				if (!strcmp(p->nodes[layers[cur]].name, n->name))
					break;
			if (cur == n_layers)
				layers[n_layers++] = i;
			continue;
		}
		if (n->kind == DX_NODE_FIELD)
			layer_of[i] = cur;
	}
	jw_key(w, "layers");
	jw_open(w, '{');
	for (uint32_t l = 0; l < n_layers; l++)
		write_layer(w, p, layers[l], layer_of, l, &scratch);
	jw_close(w, '}');
}

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

void packet_write_json(struct json_writer *w, const struct packet_meta *m,
		       const struct dx_packet *p)
{
	const char *dir = dir_name(m->dir);
	char ts[32], proto[32];

	jw_open(w, '{');
	jw_ku64(w, "no", m->no);
	/* raw: a double would print 1732450000.123456 with 17 digits of noise */
	time_format_epoch(m->ts_ns, ts, sizeof(ts));
	jw_key(w, "ts");
	jw_raw(w, ts);
	if (m->iface)
		jw_kstr(w, "iface", m->iface);
	if (dir)
		jw_kstr(w, "dir", dir);
	jw_ku64(w, "len", p->wirelen);
	jw_ku64(w, "caplen", p->caplen);
	lower_copy(proto, sizeof(proto), p->protocol ? p->protocol : "data");
	jw_kstr(w, "proto", proto);
	jw_kstr(w, "info", p->info);
	if (p->flags & DX_F_TRUNCATED) {
		jw_key(w, "truncated");
		jw_bool(w, true);
	}
	if (p->flags & DX_F_MALFORMED) {
		jw_key(w, "malformed");
		jw_bool(w, true);
	}
	write_layers(w, p);
	jw_close(w, '}');
}

cJSON *packet_to_json(const struct packet_meta *m, const struct dx_packet *p)
{
	struct json_writer w;
	cJSON *obj = NULL;

	char ts[32];

	jw_init(&w, 0);
	packet_write_json(&w, m, p);
	if (!jw_failed(&w))
		obj = cJSON_ParseWithLength(jw_text(&w), jw_len(&w));
	jw_free(&w);
	/* parsed, ts became a double: keep the text, as printed */
	time_format_epoch(m->ts_ns, ts, sizeof(ts));
	if (obj)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, "ts", cJSON_CreateRaw(ts));
	return obj;
}

void packet_print_json(FILE *out, const struct packet_meta *m, const struct dx_packet *p)
{
	/* one buffer for the whole run: these lines are printed by the thousand */
	static struct json_writer w = { .start = 0 };

	jw_reset(&w);
	packet_write_json(&w, m, p);
	if (jw_failed(&w))
		return;
	fwrite(jw_text(&w), 1, jw_len(&w), out);
	fputc('\n', out);
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
