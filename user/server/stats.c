// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The stats tick and the flows reply. Interface rates and drops come from the
 * kernel's counters, talkers and conversations from the kernel's flow map (so
 * they work in accounting mode), and so does the size histogram (every frame
 * the kernel programs saw); protocol counts and the encrypted share from the
 * packets userspace dissected.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_int.h"
#include "stats/app.h"
#include "stats/sizes.h"

#define TOP_N 10

void live_counts_add(struct live_counts *lc, const struct dx_packet *p, uint32_t wirelen)
{
	const char *name = p->protocol ? p->protocol : "Data";
	int i;

	for (i = 0; i < lc->n_protos; i++)
		if (!strcmp(lc->protos[i].name, name))
			break;
	if (i == lc->n_protos) {
		/* past the table's size, the rare ones share the last row */
		if (lc->n_protos < PROTO_SLOTS) {
			lc->n_protos++;
			snprintf(lc->protos[i].name, sizeof(lc->protos[i].name), "%s", name);
		} else {
			i = PROTO_SLOTS - 1;
			snprintf(lc->protos[i].name, sizeof(lc->protos[i].name), "other");
		}
	}
	lc->protos[i].packets++;
	lc->protos[i].bytes += wirelen;
	if (p->flags & DX_F_ENCRYPTED) {
		lc->enc_packets++;
		lc->enc_bytes += wirelen;
	} else if (p->flags & DX_F_PLAINTEXT) {
		lc->plain_packets++;
		lc->plain_bytes += wirelen;
	}
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_SCTP: return "sctp";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

static void addr_text(const uint8_t *addr, uint8_t family, char *buf, size_t len)
{
	if (!inet_ntop(family == GT_AF_INET6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static void add_epoch(cJSON *o, const char *name, uint64_t boot_ns)
{
	char ts[32];
	uint64_t real = engine_boot_to_real_ns(boot_ns);

	snprintf(ts, sizeof(ts), "%llu.%06llu", (unsigned long long)(real / 1000000000u),
		 (unsigned long long)(real % 1000000000u / 1000u));
	cJSON_AddRawToObject(o, name, ts);
}

static void tcp_flags_text(uint8_t f, char *buf, size_t len)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < 8; i++)
		if (f & (1u << i) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 names[i]);
}

/* The flow's application (user/stats/app.h): from its packets, else its port. */
static void add_app(cJSON *o, const struct gt_flow_key *key)
{
	struct app_guess g = app_of(key);

	cJSON_AddStringToObject(o, "app", g.name);
	cJSON_AddBoolToObject(o, "encrypted", g.encrypted);
}

struct flow_entry {
	struct gt_flow_key key;
	struct gt_flow_value val;
};

static cJSON *flow_json(const struct server *s, const struct flow_entry *f, bool full)
{
	cJSON *o = cJSON_CreateObject();
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], num[8], flags[48];
	int idx = s->engine ? engine_iface_index(s->engine, f->key.ifindex) : -1;
	const struct engine_iface *ifc = idx >= 0 ? engine_iface(s->engine, idx) : NULL;

	addr_text(f->key.addr_a, f->key.family, a, sizeof(a));
	addr_text(f->key.addr_b, f->key.family, b, sizeof(b));
	cJSON_AddStringToObject(o, "iface", ifc ? ifc->name : "");
	cJSON_AddStringToObject(o, "proto", proto_name(f->key.proto, num, sizeof(num)));
	cJSON_AddStringToObject(o, "family", f->key.family == GT_AF_INET6 ? "ipv6" : "ipv4");
	cJSON_AddStringToObject(o, "a", a);
	cJSON_AddNumberToObject(o, "a_port", ntohs(f->key.port_a));
	cJSON_AddStringToObject(o, "b", b);
	cJSON_AddNumberToObject(o, "b_port", ntohs(f->key.port_b));
	add_app(o, &f->key);
	if (!full) {
		cJSON_AddNumberToObject(o, "packets", (double)(f->val.packets[0] + f->val.packets[1]));
		cJSON_AddNumberToObject(o, "bytes", (double)(f->val.bytes[0] + f->val.bytes[1]));
		return o;
	}
	cJSON_AddNumberToObject(o, "packets_ab", (double)f->val.packets[GT_SIDE_A_TO_B]);
	cJSON_AddNumberToObject(o, "packets_ba", (double)f->val.packets[GT_SIDE_B_TO_A]);
	cJSON_AddNumberToObject(o, "bytes_ab", (double)f->val.bytes[GT_SIDE_A_TO_B]);
	cJSON_AddNumberToObject(o, "bytes_ba", (double)f->val.bytes[GT_SIDE_B_TO_A]);
	add_epoch(o, "first", f->val.first_seen_ns);
	add_epoch(o, "last", f->val.last_seen_ns);
	tcp_flags_text(f->val.tcp_flags, flags, sizeof(flags));
	cJSON_AddStringToObject(o, "tcp_flags", flags);
	cJSON_AddStringToObject(o, "initiator", f->val.first_side == GT_SIDE_A_TO_B ? "a" : "b");
	return o;
}

/* Every flow of the kernel map, copied out. */
struct flow_list {
	struct flow_entry *v;
	size_t n, cap;
};

static int collect_flow(void *user, const struct gt_flow_key *key, const struct gt_flow_value *val)
{
	struct flow_list *l = user;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct flow_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].key = *key;
	l->v[l->n].val = *val;
	l->n++;
	return 0;
}

static uint64_t flow_bytes(const struct flow_entry *f)
{
	return f->val.bytes[0] + f->val.bytes[1];
}

static uint64_t flow_packets(const struct flow_entry *f)
{
	return f->val.packets[0] + f->val.packets[1];
}

static int by_bytes(const void *x, const void *y)
{
	uint64_t a = flow_bytes(x), b = flow_bytes(y);

	return a < b ? 1 : a > b ? -1 : 0;
}

static int by_packets(const void *x, const void *y)
{
	uint64_t a = flow_packets(x), b = flow_packets(y);

	return a < b ? 1 : a > b ? -1 : 0;
}

static int by_last(const void *x, const void *y)
{
	uint64_t a = ((const struct flow_entry *)x)->val.last_seen_ns;
	uint64_t b = ((const struct flow_entry *)y)->val.last_seen_ns;

	return a < b ? 1 : a > b ? -1 : 0;
}

static void read_flows(const struct server *s, struct flow_list *l, enum ws_flow_sort sort)
{
	memset(l, 0, sizeof(*l));
	if (!s->engine)
		return;
	engine_for_each_flow(s->engine, collect_flow, l);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v),
		      sort == WS_SORT_PACKETS ? by_packets : sort == WS_SORT_LAST ? by_last : by_bytes);
}

cJSON *flows_json(const struct server *s, uint32_t limit, enum ws_flow_sort sort)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	struct flow_list l;

	read_flows(s, &l, sort);
	cJSON_AddStringToObject(o, "type", "flows");
	cJSON_AddNumberToObject(o, "count", (double)l.n);
	arr = cJSON_AddArrayToObject(o, "flows");
	for (size_t i = 0; i < l.n && i < limit; i++)
		cJSON_AddItemToArray(arr, flow_json(s, &l.v[i], true));
	free(l.v);
	return o;
}

/* Addresses by bytes sent and received, summed over their flows. */
struct talker {
	uint8_t addr[16];
	uint8_t family;
	uint64_t packets, bytes;
};

static int talker_cmp(const void *x, const void *y)
{
	uint64_t a = ((const struct talker *)x)->bytes, b = ((const struct talker *)y)->bytes;

	return a < b ? 1 : a > b ? -1 : 0;
}

static void talker_add(struct talker *t, size_t *n, const uint8_t *addr, uint8_t family,
		       const struct flow_entry *f)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (t[i].family == family && !memcmp(t[i].addr, addr, 16))
			break;
	if (i == *n) {
		memcpy(t[i].addr, addr, 16);
		t[i].family = family;
		t[i].packets = t[i].bytes = 0;
		(*n)++;
	}
	t[i].packets += flow_packets(f);
	t[i].bytes += flow_bytes(f);
}

/* Top talkers over the heaviest flows: bounded work however big the map is. */
static cJSON *talkers_json(const struct flow_list *l)
{
	enum { FLOWS_CONSIDERED = 512 };
	size_t nf = l->n < FLOWS_CONSIDERED ? l->n : FLOWS_CONSIDERED, n = 0;
	struct talker *t = calloc(2 * nf + 1, sizeof(*t));
	cJSON *arr = cJSON_CreateArray();
	char text[INET6_ADDRSTRLEN];

	if (!t)
		return arr;
	for (size_t i = 0; i < nf; i++) {
		talker_add(t, &n, l->v[i].key.addr_a, l->v[i].key.family, &l->v[i]);
		talker_add(t, &n, l->v[i].key.addr_b, l->v[i].key.family, &l->v[i]);
	}
	qsort(t, n, sizeof(*t), talker_cmp);
	for (size_t i = 0; i < n && i < TOP_N; i++) {
		cJSON *o = cJSON_CreateObject();

		addr_text(t[i].addr, t[i].family, text, sizeof(text));
		cJSON_AddStringToObject(o, "addr", text);
		cJSON_AddNumberToObject(o, "packets", (double)t[i].packets);
		cJSON_AddNumberToObject(o, "bytes", (double)t[i].bytes);
		cJSON_AddItemToArray(arr, o);
	}
	free(t);
	return arr;
}

static void add_rates(cJSON *o, uint64_t packets, uint64_t bytes, uint64_t dp, uint64_t db,
		      double secs)
{
	cJSON_AddNumberToObject(o, "packets", (double)packets);
	cJSON_AddNumberToObject(o, "bytes", (double)bytes);
	cJSON_AddNumberToObject(o, "pps", secs > 0 ? dp / secs : 0);
	cJSON_AddNumberToObject(o, "bps", secs > 0 ? 8.0 * db / secs : 0);
}

/* The interfaces' counters; sizes: their size histograms summed, both directions. */
static cJSON *interfaces_stats(struct server *s, double secs, cJSON *totals,
			       __u64 sizes[GT_SIZE_BUCKETS])
{
	cJSON *arr = cJSON_CreateArray();
	uint64_t tp = 0, tb = 0, tdp = 0, tdb = 0, tdrops = 0;

	for (int i = 0; s->engine && i < engine_n_ifaces(s->engine) && i < ENGINE_MAX_IFACES; i++) {
		const struct engine_iface *ifc = engine_iface(s->engine, i);
		struct gt_if_counters c;
		cJSON *o;

		if (engine_read_counters(s->engine, ifc->ifindex, &c))
			memset(&c, 0, sizeof(c));
		if (s->prev[i].ifindex != ifc->ifindex) {
			s->prev[i].ifindex = ifc->ifindex;
			s->prev[i].c = c;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", ifc->name);
		cJSON_AddNumberToObject(o, "index", ifc->ifindex);
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			const struct gt_dir_counters *now = &c.dir[d], *was = &s->prev[i].c.dir[d];
			uint64_t dp = now->packets - was->packets, db = now->bytes - was->bytes;
			cJSON *side = cJSON_AddObjectToObject(o, d == GT_DIR_IN ? "in" : "out");

			add_rates(side, now->packets, now->bytes, dp, db, secs);
			cJSON_AddNumberToObject(side, "ring_drops", (double)now->ring_drops);
			cJSON_AddNumberToObject(side, "filtered", (double)now->filtered);
			cJSON_AddItemToObject(side, "sizes", size_counts_json(now->size_hist));
			size_hist_add(sizes, now);
			tp += now->packets;
			tb += now->bytes;
			tdp += dp;
			tdb += db;
			tdrops += now->ring_drops;
		}
		s->prev[i].c = c;
		cJSON_AddItemToArray(arr, o);
	}
	add_rates(totals, tp, tb, tdp, tdb, secs);
	cJSON_AddNumberToObject(totals, "ring_drops", (double)tdrops);
	return arr;
}

static cJSON *userspace_stats(const struct live_counts *lc, cJSON *o)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "protocols"), *enc;

	for (int i = 0; i < lc->n_protos; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "name", lc->protos[i].name);
		cJSON_AddNumberToObject(p, "packets", (double)lc->protos[i].packets);
		cJSON_AddNumberToObject(p, "bytes", (double)lc->protos[i].bytes);
		cJSON_AddItemToArray(arr, p);
	}
	enc = cJSON_AddObjectToObject(o, "encrypted");
	cJSON_AddNumberToObject(enc, "encrypted_packets", (double)lc->enc_packets);
	cJSON_AddNumberToObject(enc, "plaintext_packets", (double)lc->plain_packets);
	cJSON_AddNumberToObject(enc, "encrypted_bytes", (double)lc->enc_bytes);
	cJSON_AddNumberToObject(enc, "plaintext_bytes", (double)lc->plain_bytes);
	return o;
}

cJSON *stats_json(struct server *s)
{
	cJSON *o = cJSON_CreateObject(), *totals = cJSON_CreateObject(), *conv, *sizes;
	uint64_t now = realtime_ns();
	__u64 hist[GT_SIZE_BUCKETS] = { 0 };
	double secs = s->prev_tick_ns ? (double)(now - s->prev_tick_ns) / 1e9 : 0;
	struct flow_list l;
	char ts[32];

	s->prev_tick_ns = now;
	cJSON_AddStringToObject(o, "type", "stats");
	snprintf(ts, sizeof(ts), "%llu.%06llu", (unsigned long long)(now / 1000000000u),
		 (unsigned long long)(now % 1000000000u / 1000u));
	cJSON_AddRawToObject(o, "ts", ts);
	cJSON_AddNumberToObject(o, "interval", secs);
	cJSON_AddItemToObject(o, "interfaces", interfaces_stats(s, secs, totals, hist));
	cJSON_AddItemToObject(o, "totals", totals);
	cJSON_AddItemToObject(o, "store", store_range_json(s));
	userspace_stats(&s->counts, o);
	sizes = cJSON_AddObjectToObject(o, "sizes");
	cJSON_AddItemToObject(sizes, "bounds", size_bounds_json());
	cJSON_AddItemToObject(sizes, "counts", size_counts_json(hist));
	read_flows(s, &l, WS_SORT_BYTES);
	cJSON_AddItemToObject(o, "talkers", talkers_json(&l));
	conv = cJSON_AddArrayToObject(o, "conversations");
	for (size_t i = 0; i < l.n && i < TOP_N; i++)
		cJSON_AddItemToArray(conv, flow_json(s, &l.v[i], false));
	free(l.v);
	return o;
}
