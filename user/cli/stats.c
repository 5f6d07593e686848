// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer stats -i IF [--json] [-t SECONDS]: traffic analysis of one interface
 * from the kernel's counters: bytes and packets each way with their current
 * rate, drops, active flows, top talkers, the protocol hierarchy, the
 * encrypted share by bytes, average packet sizes, the packet size distribution
 * (the kernel's histogram: every frame, also in accounting mode).
 *
 * As `flows`: when a gotracer runs on IF its live counters are read twice, a
 * second apart (the rate); otherwise stats counts by itself, in the kernel only,
 * for -t SECONDS (default 5) and reports that whole span.
 */
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
#include "output/counters_out.h"
#include "stats/flow_table.h"
#include "stats/report.h"
#include "stats/sizes.h"
#include "util/log.h"
#include "util/numparse.h"
#include "util/stop.h"

#define TALKERS_TOP 10

struct stats_snapshot {
	struct gt_if_counters c;
	uint64_t ns;
};

static int snapshot(struct engine *e, uint32_t ifindex, struct flow_table *t,
		    struct stats_snapshot *s)
{
	int err;

	s->ns = boot_now_ns();
	err = engine_read_counters(e, ifindex, &s->c);
	if (err)
		memset(&s->c, 0, sizeof(s->c));	/* nothing counted yet on the interface */
	return flow_table_update(t, e, s->ns);
}

/* Wait about ms, in short steps so Ctrl-C ends the wait. */
static void wait_ms(struct engine *e, uint64_t ms, bool own)
{
	uint64_t end = boot_now_ns() + ms * 1000000u;

	while (!stop_requested() && boot_now_ns() < end) {
		if (own)
			engine_poll(e, 100);
		else
			nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	}
}

static cJSON *direction_json(const struct gt_dir_counters *now, const struct gt_dir_counters *was,
			     double secs)
{
	cJSON *o = dir_counters_to_json(now);

	cJSON_AddNumberToObject(o, "bytes_per_s", secs > 0 ? (now->bytes - was->bytes) / secs : 0);
	cJSON_AddNumberToObject(o, "packets_per_s",
				secs > 0 ? (now->packets - was->packets) / secs : 0);
	cJSON_AddNumberToObject(o, "avg_packet_size",
				now->packets ? (double)now->bytes / now->packets : 0);
	return o;
}

/*
 * The kernel's size histogram, as the counters above it (since the programs
 * were attached): "bounds", "counts" both ways, and each direction's own.
 */
static cJSON *sizes_json(const struct gt_if_counters *c)
{
	cJSON *o = cJSON_CreateObject();
	__u64 both[GT_SIZE_BUCKETS] = { 0 };

	for (int d = 0; d < GT_DIR_COUNT; d++)
		size_hist_add(both, &c->dir[d]);
	cJSON_AddItemToObject(o, "bounds", size_bounds_json());
	cJSON_AddItemToObject(o, "counts", size_counts_json(both));
	cJSON_AddItemToObject(o, "in", size_counts_json(c->dir[GT_DIR_IN].size_hist));
	cJSON_AddItemToObject(o, "out", size_counts_json(c->dir[GT_DIR_OUT].size_hist));
	return o;
}

/* The busiest flows of the interval, by rate: endpoints, duration, state, app. */
static cJSON *top_flows(const struct flow_table *t, const char *iface, uint32_t ifindex)
{
	cJSON *arr = cJSON_CreateArray();
	const struct flow_stat **v;
	size_t n, shown = 0;

	v = flow_table_sorted(t, FLOW_SORT_RATE, &n);
	for (size_t i = 0; i < n && shown < TALKERS_TOP; i++)
		if (v[i]->key.ifindex == ifindex) {
			cJSON_AddItemToArray(arr, flow_stat_json(v[i], iface));
			shown++;
		}
	free(v);
	return arr;
}

static cJSON *report_json(const char *iface, uint32_t ifindex, const struct stats_snapshot *a,
			  const struct stats_snapshot *b, const struct flow_table *t)
{
	double secs = (double)(b->ns - a->ns) / 1e9;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "iface", iface);
	cJSON_AddNumberToObject(o, "interval", secs);
	for (int d = 0; d < GT_DIR_COUNT; d++)
		cJSON_AddItemToObject(o, d == GT_DIR_IN ? "in" : "out",
				      direction_json(&b->c.dir[d], &a->c.dir[d], secs));
	cJSON_AddItemToObject(o, "sizes", sizes_json(&b->c));
	cJSON_AddNumberToObject(o, "flows_active", (double)flows_active(t, ifindex));
	cJSON_AddItemToObject(o, "talkers", talkers_report(t, ifindex, TALKERS_TOP));
	cJSON_AddItemToObject(o, "protocols", protocol_hierarchy(t, ifindex));
	cJSON_AddItemToObject(o, "encrypted", encrypted_share(t, ifindex));
	cJSON_AddItemToObject(o, "top_flows", top_flows(t, iface, ifindex));
	return o;
}

static void print_hierarchy(const cJSON *node, int depth, double total)
{
	const cJSON *kids = cJSON_GetObjectItem(node, "children"), *c;
	double bytes = cJSON_GetObjectItem(node, "bytes")->valuedouble;

	printf("  %*s%-*s %12.0f bytes %10.0f packets %5.1f%%\n", 2 * depth, "", 16 - 2 * depth,
	       cJSON_GetObjectItem(node, "name")->valuestring, bytes,
	       cJSON_GetObjectItem(node, "packets")->valuedouble, total ? 100 * bytes / total : 0);
	cJSON_ArrayForEach(c, kids)
		print_hierarchy(c, depth + 1, total);
}

/* One line a bucket: "<=64", ..., ">1518", then the frames each way. */
static void print_sizes(const cJSON *sizes)
{
	const cJSON *bounds = cJSON_GetObjectItem(sizes, "bounds");
	const cJSON *in = cJSON_GetObjectItem(sizes, "in"), *out = cJSON_GetObjectItem(sizes, "out");
	int n = cJSON_GetArraySize(in);

	printf("packet sizes (frames on the wire):\n");
	for (int i = 0; i < n; i++) {
		char label[16];

		if (i < n - 1)
			snprintf(label, sizeof(label), "<=%.0f",
				 cJSON_GetArrayItem(bounds, i)->valuedouble);
		else
			snprintf(label, sizeof(label), ">%.0f",
				 cJSON_GetArrayItem(bounds, i - 1)->valuedouble);
		printf("  %-6s %12.0f in %12.0f out\n", label, cJSON_GetArrayItem(in, i)->valuedouble,
		       cJSON_GetArrayItem(out, i)->valuedouble);
	}
}

static void print_text(const cJSON *r)
{
	const cJSON *c, *enc = cJSON_GetObjectItem(r, "encrypted");
	const cJSON *root = cJSON_GetObjectItem(r, "protocols");
	const cJSON *f;

	printf("%s over %.1f s\n", cJSON_GetObjectItem(r, "iface")->valuestring,
	       cJSON_GetObjectItem(r, "interval")->valuedouble);
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		const cJSON *x = cJSON_GetObjectItem(r, d == GT_DIR_IN ? "in" : "out");

		printf("  %-3s %12.0f packets %14.0f bytes  %10.0f bytes/s  %.0f dropped\n",
		       d == GT_DIR_IN ? "in" : "out",
		       cJSON_GetObjectItem(x, "packets")->valuedouble,
		       cJSON_GetObjectItem(x, "bytes")->valuedouble,
		       cJSON_GetObjectItem(x, "bytes_per_s")->valuedouble,
		       cJSON_GetObjectItem(x, "ring_drops")->valuedouble);
	}
	print_sizes(cJSON_GetObjectItem(r, "sizes"));
	printf("flows active: %.0f\nencrypted: %.1f%% of the bytes in flows\ntop talkers:\n",
	       cJSON_GetObjectItem(r, "flows_active")->valuedouble,
	       100 * cJSON_GetObjectItem(enc, "encrypted_share")->valuedouble);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "talkers"))
		printf("  %-40s sent %12.0f bytes  received %12.0f bytes\n",
		       cJSON_GetObjectItem(c, "addr")->valuestring,
		       cJSON_GetObjectItem(c, "tx_bytes")->valuedouble,
		       cJSON_GetObjectItem(c, "rx_bytes")->valuedouble);
	printf("protocol hierarchy:\n");
	print_hierarchy(root, 0, cJSON_GetObjectItem(root, "bytes")->valuedouble);
	printf("busiest flows:\n");
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(r, "top_flows"))
		printf("  %-10s %s:%.0f > %s:%.0f  %.0f bytes/s  %.1f s %s\n",
		       cJSON_GetObjectItem(f, "app")->valuestring,
		       cJSON_GetObjectItem(f, "src")->valuestring,
		       cJSON_GetObjectItem(f, "sport")->valuedouble,
		       cJSON_GetObjectItem(f, "dst")->valuestring,
		       cJSON_GetObjectItem(f, "dport")->valuedouble,
		       cJSON_GetObjectItem(f, "bytes_per_s")->valuedouble,
		       cJSON_GetObjectItem(f, "duration")->valuedouble,
		       cJSON_GetObjectItem(f, "encrypted")->valueint ? "encrypted" : "");
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: gotracer stats -i IF [--json] [-t SECONDS]\n"
		"  traffic on IF from the kernel's counters: bytes, packets and rates each way,\n"
		"  drops, packet sizes, active flows, top talkers, protocol hierarchy,\n"
		"  encrypted share.\n"
		"  When a gotracer is capturing on IF its counters are read a second apart;\n"
		"  otherwise stats counts by itself for SECONDS (default 5, or until Ctrl-C).\n");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "time", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct stats_snapshot first, last;
	struct flow_table table;
	const char *iface = NULL;
	struct engine *e = NULL;
	uint64_t seconds = 5;
	bool json = false, own = false;
	uint32_t ifindex;
	cJSON *report;
	char *text;
	int c, err, status = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:t:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (iface) {
				pr_warn("stats reads one interface: give -i once\n");
				return 2;
			}
			iface = optarg;
			break;
		case 'j':
			json = true;
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
		pr_warn("stats needs an interface: gotracer stats -i IF\n");
		return 2;
	}
	if (optind < argc) {
		pr_warn("unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	flow_table_init(&table, 0, NULL, NULL);
	stop_signals_install();
	err = engine_open_running(&e, iface);
	if (err == -ENOENT) {
		struct engine_opts opts = { .n_ifaces = 1, .account_only = true, .quiet = true };

		opts.ifaces[0] = iface;
		err = engine_open(&e, &opts, NULL, NULL);
		own = true;
		if (!err)
			pr_info("no gotracer is capturing on %s: counting for %" PRIu64
				" s (Ctrl-C to stop sooner)\n", iface, seconds);
	}
	if (err)
		goto out;
	ifindex = engine_iface(e, 0)->ifindex;
	if ((err = snapshot(e, ifindex, &table, &first)))
		goto read_failed;
	wait_ms(e, own ? seconds * 1000 : 1000, own);
	if ((err = snapshot(e, ifindex, &table, &last)))
		goto read_failed;
	report = report_json(iface, ifindex, &first, &last, &table);
	if (json) {
		text = cJSON_PrintUnformatted(report);
		if (text)
			puts(text);
		cJSON_free(text);
	} else {
		print_text(report);
	}
	cJSON_Delete(report);
	status = 0;
	goto out;
read_failed:
	pr_warn("cannot read the kernel counters: %s\n", strerror(-err));
out:
	engine_close(e);
	flow_table_free(&table);
	return status;
}
