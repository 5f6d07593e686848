// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer flows -i IF [--json] [--sort bytes|packets|rate] [-t SECONDS]: the per-flow
 * counters the kernel keeps (both directions of a conversation in one entry).
 *
 * Like `ntopng` or `iftop` next to a running capture: when a gotracer (capture
 * or serve) is running on IF, its live flow table is read and printed at once.
 * When none is, flows counts on its own, in the kernel only (accounting mode,
 * nothing copied to userspace), for -t SECONDS (default 5) or until Ctrl-C,
 * says so on stderr, and then prints the table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "capture/engine.h"
#include "stats/app.h"
#include "stats/flow_table.h"
#include "util/log.h"
#include "util/numparse.h"
#include "util/stop.h"
#include "util/timefmt.h"

struct flow_entry {
	struct gt_flow_key key;
	struct gt_flow_value val;
	double bytes_per_s;	/* with --sort rate: both ways, over the last second */
};

struct flow_list {
	struct flow_entry *items;
	size_t n, cap;
	uint32_t ifindex;	/* a capture on several interfaces shares one map */
};


static int collect(void *user, const struct gt_flow_key *key, const struct gt_flow_value *val)
{
	struct flow_list *l = user;

	if (key->ifindex != l->ifindex)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct flow_entry *items = realloc(l->items, cap * sizeof(*items));

		if (!items)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n].key = *key;
	l->items[l->n].val = *val;
	l->items[l->n].bytes_per_s = 0;
	l->n++;
	return 0;
}

static uint64_t total(const __u64 v[2])
{
	return v[0] + v[1];
}

static int by_bytes(const void *a, const void *b)
{
	uint64_t x = total(((const struct flow_entry *)a)->val.bytes);
	uint64_t y = total(((const struct flow_entry *)b)->val.bytes);

	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_packets(const void *a, const void *b)
{
	uint64_t x = total(((const struct flow_entry *)a)->val.packets);
	uint64_t y = total(((const struct flow_entry *)b)->val.packets);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* A flow seen from the side that spoke first: src is its initiator. */
struct flow_view {
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	uint16_t sport, dport;
	uint64_t src_packets, src_bytes, dst_packets, dst_bytes;
	const char *proto;
	char flags[9];
};

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	default: return NULL;
	}
}

static void flow_view(const struct flow_entry *f, struct flow_view *v)
{
	static const char letters[] = "FSRPAUEC"; /* tcp flag bits 0..7 */
	int fam = f->key.family == GT_AF_INET6 ? AF_INET6 : AF_INET;
	int s = f->val.first_side == GT_SIDE_B_TO_A ? 1 : 0; /* index of the initiator's sends */
	const uint8_t *sa = s ? f->key.addr_b : f->key.addr_a;
	const uint8_t *da = s ? f->key.addr_a : f->key.addr_b;
	int n = 0;

	inet_ntop(fam, sa, v->src, sizeof(v->src));
	inet_ntop(fam, da, v->dst, sizeof(v->dst));
	v->sport = ntohs(s ? f->key.port_b : f->key.port_a);
	v->dport = ntohs(s ? f->key.port_a : f->key.port_b);
	v->src_packets = f->val.packets[s];
	v->src_bytes = f->val.bytes[s];
	v->dst_packets = f->val.packets[!s];
	v->dst_bytes = f->val.bytes[!s];
	v->proto = proto_name(f->key.proto);
	for (int b = 0; b < 8; b++)
		if (f->val.tcp_flags & (1u << b))
			v->flags[n++] = letters[b];
	v->flags[n] = '\0';
}

/* What the flow table adds: duration, TCP state, application (by port here:
 * this process saw no packets) and whether it is encrypted. */
static void add_analysis(cJSON *o, const struct flow_entry *f)
{
	struct flow_stat st = { .key = f->key, .val = f->val };
	struct app_guess g = app_by_port(&f->key);

	cJSON_AddNumberToObject(o, "duration",
				(double)(f->val.last_seen_ns - f->val.first_seen_ns) / 1e9);
	if (f->key.proto == 6)
		cJSON_AddStringToObject(o, "state", flow_tcp_state(&st));
	cJSON_AddStringToObject(o, "app", g.name);
	cJSON_AddBoolToObject(o, "encrypted", g.encrypted);
}

static void print_json(const char *iface, const struct flow_entry *f, bool rate)
{
	cJSON *o = cJSON_CreateObject();
	struct flow_view v;
	char ts[32], *text;

	flow_view(f, &v);
	cJSON_AddStringToObject(o, "iface", iface);
	if (v.proto)
		cJSON_AddStringToObject(o, "proto", v.proto);
	else
		cJSON_AddNumberToObject(o, "proto", f->key.proto);
	cJSON_AddNumberToObject(o, "family", f->key.family);
	cJSON_AddStringToObject(o, "src", v.src);
	cJSON_AddNumberToObject(o, "sport", v.sport);
	cJSON_AddStringToObject(o, "dst", v.dst);
	cJSON_AddNumberToObject(o, "dport", v.dport);
	cJSON_AddNumberToObject(o, "src_packets", (double)v.src_packets);
	cJSON_AddNumberToObject(o, "src_bytes", (double)v.src_bytes);
	cJSON_AddNumberToObject(o, "dst_packets", (double)v.dst_packets);
	cJSON_AddNumberToObject(o, "dst_bytes", (double)v.dst_bytes);
	time_format_epoch(engine_boot_to_real_ns(f->val.first_seen_ns), ts, sizeof(ts));
	cJSON_AddRawToObject(o, "first_seen", ts);
	time_format_epoch(engine_boot_to_real_ns(f->val.last_seen_ns), ts, sizeof(ts));
	cJSON_AddRawToObject(o, "last_seen", ts);
	if (f->key.proto == 6)
		cJSON_AddStringToObject(o, "tcp_flags", v.flags);
	cJSON_AddStringToObject(o, "first_dir", f->val.first_dir == GT_DIR_OUT ? "out" : "in");
	add_analysis(o, f);
	if (rate)
		cJSON_AddNumberToObject(o, "bytes_per_s", f->bytes_per_s);
	text = cJSON_PrintUnformatted(o);
	if (text)
		puts(text);
	cJSON_free(text);
	cJSON_Delete(o);
}

static void print_text(const struct flow_entry *f)
{
	struct flow_view v;
	char first[32], last[32];
	bool ports = f->key.proto == 6 || f->key.proto == 17 || f->key.proto == 132;

	flow_view(f, &v);
	time_format_clock(engine_boot_to_real_ns(f->val.first_seen_ns), first, sizeof(first));
	time_format_clock(engine_boot_to_real_ns(f->val.last_seen_ns), last, sizeof(last));
	if (v.proto)
		printf("%-6s", v.proto);
	else
		printf("%-6u", f->key.proto);
	if (ports)
		printf(" %s.%u > %s.%u", v.src, v.sport, v.dst, v.dport);
	else
		printf(" %s > %s", v.src, v.dst);
	printf("  packets %" PRIu64 "/%" PRIu64 "  bytes %" PRIu64 "/%" PRIu64 "  %s - %s",
	       v.src_packets, v.dst_packets, v.src_bytes, v.dst_bytes, first, last);
	if (f->key.proto == 6)
		printf("  flags %s", v.flags);
	putchar('\n');
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * --sort rate: the rate needs two reads of the map. The first (wait set) is
 * followed by a second's pause; ranking happens in the flow table.
 */
static int rate_pass(struct engine *e, struct flow_table *t, int wait)
{
	int err = flow_table_update(t, e, boot_now_ns());

	for (int i = 0; !err && wait && i < 10 && !stop_requested(); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	return err;
}

static int rate_list(const struct flow_table *t, struct flow_list *l)
{
	const struct flow_stat **v;
	size_t n;

	v = flow_table_sorted(t, FLOW_SORT_RATE, &n);
	for (size_t i = 0; i < n; i++) {
		if (collect(l, &v[i]->key, &v[i]->val)) {
			free(v);
			return -ENOMEM;
		}
		if (l->n && !memcmp(&l->items[l->n - 1].key, &v[i]->key, sizeof(v[i]->key)))
			l->items[l->n - 1].bytes_per_s = v[i]->bytes_per_s;
	}
	free(v);
	return 0;
}

/* No gotracer runs on iface: count flows ourselves for a while. */
static int count_own(struct engine **e, const char *iface, uint64_t seconds,
		     struct flow_table *rates)
{
	struct engine_opts opts = { .n_ifaces = 1, .account_only = true, .quiet = true };
	uint64_t end;
	int err;

	opts.ifaces[0] = iface;
	stop_signals_install();
	err = engine_open(e, &opts, NULL, NULL);
	if (err)
		return err;
	pr_info("no gotracer is capturing on %s: counting flows for %" PRIu64
		" s (Ctrl-C to stop sooner)\n", iface, seconds);
	if (rates)
		flow_table_update(rates, *e, boot_now_ns());
	end = now_ms() + seconds * 1000;
	while (!stop_requested() && now_ms() < end)
		engine_poll(*e, 200);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: gotracer flows -i IF [--json] [--sort bytes|packets|rate] [-t SECONDS]\n"
		"  the kernel's per-flow counters on IF. When a gotracer is capturing on IF,\n"
		"  its live table is printed at once; otherwise flows counts by itself for\n"
		"  SECONDS (default 5, or until Ctrl-C) and prints what it saw.\n"
		"  Columns: initiator > responder, packets and bytes each way (sent by the\n"
		"  initiator / by the responder), first and last seen, TCP flags seen.\n"
		"  --sort rate ranks by the current rate: the table is read twice, a second\n"
		"  apart (or at the start and end of the own count).\n");
}

int cmd_flows(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "sort", required_argument, NULL, 'S' },
		{ "time", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	enum flow_sort sort = FLOW_SORT_BYTES;
	struct flow_list list = {};
	struct flow_table rates;
	const char *iface = NULL;
	struct engine *e = NULL;
	uint64_t seconds = 5;
	bool json = false;
	int c, err, status = 1;

	flow_table_init(&rates, 0, NULL, NULL);
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:t:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (iface) {
				pr_warn("flows reads one interface: give -i once\n");
				return 2;
			}
			iface = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'S':
			if (flow_sort_parse(optarg, &sort)) {
				pr_warn("bad sort '%s': bytes, packets or rate\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (!parse_u64_range(optarg, 1, 86400, &seconds)) {
				pr_warn("bad time '%s': seconds from 1 to 86400\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!iface) {
		pr_warn("flows needs an interface: gotracer flows -i IF\n");
		return 2;
	}
	if (optind < argc) {
		pr_warn("unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	err = engine_open_running(&e, iface);
	if (!err && sort == FLOW_SORT_RATE)
		err = rate_pass(e, &rates, 1);
	if (err == -ENOENT) {
		/* the rate over the whole own count: a first read once attached */
		err = count_own(&e, iface, seconds, sort == FLOW_SORT_RATE ? &rates : NULL);
	}
	if (err)
		goto out;
	list.ifindex = engine_iface(e, 0)->ifindex;
	err = sort == FLOW_SORT_RATE ? rate_pass(e, &rates, 0) : engine_for_each_flow(e, collect, &list);
	if (!err && sort == FLOW_SORT_RATE)
		err = rate_list(&rates, &list);
	if (err) {
		pr_warn("cannot read the flow table: %s\n", strerror(-err));
		goto out;
	}
	if (sort != FLOW_SORT_RATE)
		qsort(list.items, list.n, sizeof(*list.items),
		      sort == FLOW_SORT_BYTES ? by_bytes : by_packets);
	for (size_t i = 0; i < list.n; i++) {
		if (json)
			print_json(iface, &list.items[i], sort == FLOW_SORT_RATE);
		else
			print_text(&list.items[i]);
	}
	status = 0;
out:
	engine_close(e);
	free(list.items);
	flow_table_free(&rates);
	return status;
}
