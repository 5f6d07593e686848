// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The JSON forms the server sends: packet summaries and details, the hello. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"
#include "output/packet_out.h"
#include "util/timefmt.h"

#define PROTOCOL_VERSION 1
#ifndef GT_VERSION
#define GT_VERSION "0.1.0"
#endif

static const char *const enc_names[] = {
	[STORE_ENC_NONE] = "none",
	[STORE_ENC_ENCRYPTED] = "encrypted",
	[STORE_ENC_PLAINTEXT] = "plaintext",
};

static const char *dir_text(uint8_t dir)
{
	return dir == GT_DIR_IN ? "in" : dir == GT_DIR_OUT ? "out" : "unknown";
}

static void add_ts(cJSON *o, uint64_t ts_ns)
{
	char ts[32];

	/* raw: a double would print the microseconds with digits of noise */
	time_format_epoch(ts_ns, ts, sizeof(ts));
	cJSON_ReplaceItemInObjectCaseSensitive(o, "ts", cJSON_CreateRaw(ts));
}

/* The columns of the packet list; one writer, so batches and details agree. */
void packet_summary_write(struct json_writer *w, const struct store_packet *p)
{
	char ts[32];

	jw_open(w, '{');
	jw_ku64(w, "no", p->no);
	time_format_epoch(p->ts_ns, ts, sizeof(ts));
	jw_key(w, "ts");
	jw_raw(w, ts);
	jw_kstr(w, "iface", p->iface);
	jw_kstr(w, "dir", dir_text(p->dir));
	jw_ku64(w, "len", p->wirelen);
	jw_ku64(w, "caplen", p->caplen);
	jw_kstr(w, "proto", p->proto);
	jw_kstr(w, "src", p->src);
	jw_kstr(w, "dst", p->dst);
	jw_ku64(w, "sport", p->sport);
	jw_ku64(w, "dport", p->dport);
	jw_kstr(w, "info", p->info);
	jw_kstr(w, "enc", enc_names[p->enc <= STORE_ENC_PLAINTEXT ? p->enc : 0]);
	jw_close(w, '}');
}

cJSON *packet_summary_json(const struct store_packet *p)
{
	struct json_writer w;
	cJSON *o = NULL;

	jw_init(&w, 0);
	packet_summary_write(&w, p);
	if (!jw_failed(&w))
		o = cJSON_ParseWithLength(jw_text(&w), jw_len(&w));
	jw_free(&w);
	if (o)
		add_ts(o, p->ts_ns); /* parsed, ts became a double: keep the text */
	return o ? o : cJSON_CreateObject();
}

static void add_base64(cJSON *o, const char *name, const uint8_t *data, uint32_t len)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(((size_t)len + 2) / 3 * 4 + 1), *w = out;

	if (!out)
		return;
	for (uint32_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		*w++ = tbl[v >> 18 & 63];
		*w++ = tbl[v >> 12 & 63];
		*w++ = i + 1 < len ? tbl[v >> 6 & 63] : '=';
		*w++ = i + 2 < len ? tbl[v & 63] : '=';
	}
	*w = '\0';
	cJSON_AddStringToObject(o, name, out);
	free(out);
}

static void add_flags(cJSON *o, uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ DX_F_TRUNCATED, "truncated" },   { DX_F_MALFORMED, "malformed" },
		{ DX_F_ENCRYPTED, "encrypted" },   { DX_F_PLAINTEXT, "plaintext" },
		{ DX_F_TREE_FULL, "tree_full" },   { DX_F_REASSEMBLED, "reassembled" },
	};
	cJSON *a = cJSON_AddArrayToObject(o, "flags");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			cJSON_AddItemToArray(a, cJSON_CreateString(names[i].name));
}

/*
 * The summary columns, then read --json's "layers" for the same packet, the
 * tree with byte ranges for the detail pane, and the bytes for the hex view.
 */
cJSON *packet_detail_json(struct server *s, const struct store_packet *p)
{
	struct packet_meta meta = { .no = p->no, .ts_ns = p->ts_ns, .iface = p->iface,
				    .dir = p->dir };
	cJSON *o = packet_summary_json(p), *line;

	/* alone: the segments before it were dissected once, in capture order */
	dx_set_capture(s->dx, p->dir, p->ts_ns, NULL);
	s->dx->summary_only = false;	/* the live path shares this scratch */
	dx_init(s->dx, p->data, p->caplen, p->wirelen, p->linktype);
	dx_dissect(s->dx);
	cJSON_AddStringToObject(o, "type", "detail");
	add_flags(o, s->dx->flags);
	/* the row named the rebuilt message; this tree is the segment's own bytes */
	cJSON_AddBoolToObject(o, "segment_alone", p->reassembled);
	line = packet_to_json(&meta, s->dx);
	cJSON_AddItemToObject(o, "layers", cJSON_DetachItemFromObject(line, "layers"));
	cJSON_Delete(line);
	cJSON_AddItemToObject(o, "tree", packet_tree_to_json(s->dx));
	add_base64(o, "bytes", p->data, p->caplen);
	return o;
}

cJSON *store_range_json(const struct server *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "first_no", (double)store_first_no(s->store));
	cJSON_AddNumberToObject(o, "last_no", (double)store_last_no(s->store));
	cJSON_AddNumberToObject(o, "packets", (double)store_count(s->store));
	cJSON_AddNumberToObject(o, "bytes", (double)store_bytes(s->store));
	cJSON_AddNumberToObject(o, "cap_bytes", (double)store_cap_bytes(s->store));
	cJSON_AddNumberToObject(o, "evicted", (double)store_evicted(s->store));
	return o;
}

/* The part of first..first+count-1 the store still holds: false when none. */
static bool held_range(const struct server *s, uint64_t *first, uint64_t *last)
{
	if (*first < store_first_no(s->store))
		*first = store_first_no(s->store);
	if (*last > store_last_no(s->store))
		*last = store_last_no(s->store);
	return *last >= *first;
}

/* Stored summaries first..first+count-1 (those still held) as a packets message. */
cJSON *packets_batch_json(const struct server *s, uint64_t first, uint64_t count)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	uint64_t last = first + count - 1;
	bool any = held_range(s, &first, &last);

	cJSON_AddStringToObject(o, "type", "packets");
	cJSON_AddNumberToObject(o, "first", (double)first);
	cJSON_AddNumberToObject(o, "last", (double)(any ? last : first - 1));
	arr = cJSON_AddArrayToObject(o, "packets");
	for (uint64_t no = first; any && no <= last; no++)
		cJSON_AddItemToArray(arr, packet_summary_json(store_get(s->store, no)));
	return o;
}

/* The same message as text, for the live stream: no tree built per packet. */
void packets_batch_write(struct json_writer *w, const struct server *s, uint64_t first,
			 uint64_t count)
{
	uint64_t last = first + count - 1;
	bool any = held_range(s, &first, &last);

	jw_open(w, '{');
	jw_kstr(w, "type", "packets");
	jw_ku64(w, "first", first);
	jw_ku64(w, "last", any ? last : first - 1);
	jw_key(w, "packets");
	jw_open(w, '[');
	for (uint64_t no = first; any && no <= last; no++)
		packet_summary_write(w, store_get(s->store, no));
	jw_close(w, ']');
	jw_close(w, '}');
}

static int prefix_len(const struct sockaddr *mask)
{
	const uint8_t *b = mask->sa_family == AF_INET ?
		(const uint8_t *)&((const struct sockaddr_in *)mask)->sin_addr :
		(const uint8_t *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
	int n = mask->sa_family == AF_INET ? 4 : 16, bits = 0;

	for (int i = 0; i < n; i++)
		bits += __builtin_popcount(b[i]);
	return bits;
}

static bool capturing_on(const struct server *s, const char *name)
{
	for (int i = 0; i < s->cap.n_ifaces; i++)
		if (!strcmp(s->cap.ifaces[i], name))
			return s->engine != NULL;
	return false;
}

/* Every interface: index, name, state, MAC, addresses, whether we capture on it. */
static cJSON *interfaces_json(const struct server *s)
{
	struct if_nameindex *names = if_nameindex(), *n;
	struct ifaddrs *all = NULL;
	cJSON *arr = cJSON_CreateArray();

	if (!names)
		return arr;
	getifaddrs(&all);
	for (n = names; n->if_index; n++) {
		cJSON *o = cJSON_CreateObject(), *addrs;
		char mac[24] = "", text[INET6_ADDRSTRLEN + 16], ip[INET6_ADDRSTRLEN];
		bool up = false;

		cJSON_AddNumberToObject(o, "index", n->if_index);
		cJSON_AddStringToObject(o, "name", n->if_name);
		addrs = cJSON_CreateArray();
		for (struct ifaddrs *a = all; a; a = a->ifa_next) {
			int fam;

			if (!a->ifa_addr || strcmp(a->ifa_name, n->if_name))
				continue;
			fam = a->ifa_addr->sa_family;
			if (fam == AF_PACKET) {
				const struct sockaddr_ll *ll = (const void *)a->ifa_addr;

				up = a->ifa_flags & IFF_UP;
				if (ll->sll_halen == 6)
					snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
						 ll->sll_addr[0], ll->sll_addr[1], ll->sll_addr[2],
						 ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
			} else if ((fam == AF_INET || fam == AF_INET6) && a->ifa_netmask) {
				inet_ntop(fam, fam == AF_INET ?
					  (const void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr :
					  (const void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr,
					  ip, sizeof(ip));
				snprintf(text, sizeof(text), "%s/%d", ip, prefix_len(a->ifa_netmask));
				cJSON_AddItemToArray(addrs, cJSON_CreateString(text));
			}
		}
		cJSON_AddStringToObject(o, "state", up ? "up" : "down");
		cJSON_AddStringToObject(o, "mac", mac);
		cJSON_AddItemToObject(o, "addresses", addrs);
		cJSON_AddBoolToObject(o, "capturing", capturing_on(s, n->if_name));
		cJSON_AddItemToArray(arr, o);
	}
	if (all)
		freeifaddrs(all);
	if_freenameindex(names);
	return arr;
}

cJSON *hello_json(const struct server *s)
{
	cJSON *o = cJSON_CreateObject(), *caps, *limits, *state, *tools;
	const char *kinds[16];
	int n_kinds = job_kind_names(kinds, 16);

	cJSON_AddStringToObject(o, "type", "hello");
	cJSON_AddNumberToObject(o, "protocol", PROTOCOL_VERSION);
	cJSON_AddStringToObject(o, "version", "gotracer " GT_VERSION);
	cJSON_AddItemToObject(o, "interfaces", interfaces_json(s));
	state = live_state_json(s);
	cJSON_DeleteItemFromObject(state, "type");
	cJSON_AddItemToObject(o, "capture", state);
	caps = cJSON_AddObjectToObject(o, "capabilities");
	cJSON_AddBoolToObject(caps, "detail", true);
	cJSON_AddBoolToObject(caps, "pcapng", true);
	cJSON_AddStringToObject(caps, "filter", "pcap");
	cJSON_AddBoolToObject(caps, "account", true);
	cJSON_AddNumberToObject(caps, "snaplen_max", GT_SNAPLEN_MAX);
	cJSON_AddBoolToObject(caps, "flows", true);
	tools = cJSON_AddArrayToObject(caps, "tools");
	for (int i = 0; i < n_kinds; i++)
		cJSON_AddItemToArray(tools, cJSON_CreateString(kinds[i]));
	limits = cJSON_AddObjectToObject(o, "limits");
	cJSON_AddNumberToObject(limits, "message_in_bytes", WS_MESSAGE_MAX);
	cJSON_AddNumberToObject(limits, "client_queue_bytes", (double)s->client_queue_bytes);
	cJSON_AddNumberToObject(limits, "store_bytes", (double)store_cap_bytes(s->store));
	cJSON_AddNumberToObject(limits, "batch_ms", BATCH_MS);
	cJSON_AddNumberToObject(limits, "batch_packets", BATCH_PACKETS);
	cJSON_AddStringToObject(limits, "packets_url", "/api/packets");
	state = store_range_json(s);
	/* the first packet this client's batches carry */
	cJSON_AddNumberToObject(state, "live_from", (double)s->batch_next);
	cJSON_AddItemToObject(o, "store", state);
	return o;
}
