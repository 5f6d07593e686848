// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Prometheus exposition. Names follow the Prometheus conventions: a gotracer_
 * prefix, base units (bytes), _total on counters. Per-flow series would have
 * unbounded cardinality, so only the top N flows are exposed, by rank: the
 * label set changes as flows move, but never grows past N.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/engine.h"
#include "dissect/defrag.h"
#include "dissect/stream.h"
#include "metrics.h"

#ifndef GT_VERSION
#define GT_VERSION "0.1.0"
#endif

static void help_type(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *dir_name(int d)
{
	return d == GT_DIR_IN ? "in" : "out";
}

/* Label values here are interface names and addresses: no quotes or backslashes
 * can occur, but escape anyway as the format asks. */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

typedef uint64_t (*counter_pick)(const struct gt_dir_counters *c);

static uint64_t pick_bytes(const struct gt_dir_counters *c) { return c->bytes; }
static uint64_t pick_packets(const struct gt_dir_counters *c) { return c->packets; }
static uint64_t pick_drops(const struct gt_dir_counters *c) { return c->ring_drops; }
static uint64_t pick_events(const struct gt_dir_counters *c) { return c->events; }

/* The per-interface counters, by direction. */
static const struct {
	const char *name, *help;
	counter_pick pick;
} if_metrics[] = {
	{ "gotracer_interface_bytes_total",
	  "Wire bytes seen by the kernel programs, by interface and direction.", pick_bytes },
	{ "gotracer_interface_packets_total",
	  "Packets seen by the kernel programs, by interface and direction.", pick_packets },
	{ "gotracer_kernel_drops_total",
	  "Packets the kernel could not hand to userspace (ring buffer full).", pick_drops },
	{ "gotracer_events_total",
	  "Packets sent to userspace through the ring buffer (0 in accounting mode).", pick_events },
};

static void per_interface(FILE *f, struct engine *e, const char *name, const char *help,
			  counter_pick pick)
{
	help_type(f, name, "counter", help);
	for (int i = 0; i < engine_n_ifaces(e); i++) {
		const struct engine_iface *ifc = engine_iface(e, i);
		struct gt_if_counters c;

		if (engine_read_counters(e, ifc->ifindex, &c))
			continue;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			fprintf(f, "%s{interface=\"", name);
			label_value(f, ifc->name);
			fprintf(f, "\",direction=\"%s\"} %" PRIu64 "\n", dir_name(d), pick(&c.dir[d]));
		}
	}
}

void metrics_size_histogram(FILE *f, const char *iface, const struct gt_if_counters *c)
{
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		const struct gt_dir_counters *dc = &c->dir[d];
		uint64_t below = 0;	/* cumulative: frames of at most this bound */

		for (int i = 0; i < GT_SIZE_BUCKETS; i++) {
			below += dc->size_hist[i];
			fprintf(f, "%s_bucket{interface=\"", SIZE_METRIC);
			label_value(f, iface);
			if (i < GT_SIZE_BOUNDS)
				fprintf(f, "\",direction=\"%s\",le=\"%u\"} %" PRIu64 "\n", dir_name(d),
					gt_size_bound((unsigned int)i), below);
			else
				fprintf(f, "\",direction=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", dir_name(d),
					below);
		}
		fprintf(f, "%s_sum{interface=\"", SIZE_METRIC);
		label_value(f, iface);
		fprintf(f, "\",direction=\"%s\"} %" PRIu64 "\n", dir_name(d), (uint64_t)dc->bytes);
		fprintf(f, "%s_count{interface=\"", SIZE_METRIC);
		label_value(f, iface);
		fprintf(f, "\",direction=\"%s\"} %" PRIu64 "\n", dir_name(d), below);
	}
}

static void size_histograms(FILE *f, struct engine *e)
{
	help_type(f, SIZE_METRIC, "histogram",
		  "Frames seen by the kernel programs by wire length, by interface and direction "
		  "(a GSO packet counts as its segments, at their average length; the sum is the "
		  "wire bytes, as gotracer_interface_bytes_total).");
	for (int i = 0; i < engine_n_ifaces(e); i++) {
		const struct engine_iface *ifc = engine_iface(e, i);
		struct gt_if_counters c;

		if (!engine_read_counters(e, ifc->ifindex, &c))
			metrics_size_histogram(f, ifc->name, &c);
	}
}

static void top_flows(FILE *f, struct engine *e, const struct flow_table *t, int top)
{
	const struct flow_stat **v;
	size_t n;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	v = flow_table_sorted(t, FLOW_SORT_BYTES, &n);
	help_type(f, "gotracer_flow_bytes", "gauge",
		  "Bytes both ways of the top flows by bytes (rank 1 is the largest).");
	for (size_t i = 0; i < n && (int)i < top; i++) {
		const struct flow_stat *fl = v[i];
		int s = flow_stat_initiator(fl), idx = engine_iface_index(e, fl->key.ifindex);
		const struct engine_iface *ifc = idx >= 0 ? engine_iface(e, idx) : NULL;
		int fam = fl->key.family == GT_AF_INET6 ? AF_INET6 : AF_INET;

		inet_ntop(fam, s ? fl->key.addr_b : fl->key.addr_a, a, sizeof(a));
		inet_ntop(fam, s ? fl->key.addr_a : fl->key.addr_b, b, sizeof(b));
		fprintf(f, "gotracer_flow_bytes{rank=\"%zu\",interface=\"", i + 1);
		label_value(f, ifc ? ifc->name : "");
		fprintf(f, "\",proto=\"%u\",src=\"%s\",sport=\"%u\",dst=\"%s\",dport=\"%u\",app=\"%s\"} %"
			PRIu64 "\n", fl->key.proto, a, ntohs(s ? fl->key.port_b : fl->key.port_a), b,
			ntohs(s ? fl->key.port_a : fl->key.port_b), fl->app ? fl->app : "",
			flow_stat_bytes(fl));
	}
	help_type(f, "gotracer_flow_packets", "gauge",
		  "Packets both ways of the top flows by bytes (same ranks as gotracer_flow_bytes).");
	for (size_t i = 0; i < n && (int)i < top; i++)
		fprintf(f, "gotracer_flow_packets{rank=\"%zu\"} %" PRIu64 "\n", i + 1,
			flow_stat_packets(v[i]));
	free(v);
}

/* What the dissector's reassembly holds and gave up: memory is bounded, so an
 * operator should see when the bounds bite. */
static void reassembly(FILE *f, struct dx_streams *s)
{
	struct dx_streams_stats ts;
	struct dx_defrag_stats ip;

	dx_streams_stats(s, &ts);
	dx_defrag_stats(dx_streams_defrag(s), &ip);
	help_type(f, "gotracer_tcp_reassembled_messages_total", "counter",
		  "Application messages rebuilt from more than one TCP segment.");
	fprintf(f, "gotracer_tcp_reassembled_messages_total %" PRIu64 "\n", ts.reassembled);
	help_type(f, "gotracer_tcp_reassembly_dropped_messages_total", "counter",
		  "Messages not rebuilt: too big for the per-flow bound, or a gap the capture lost.");
	fprintf(f, "gotracer_tcp_reassembly_dropped_messages_total %" PRIu64 "\n",
		ts.dropped_messages);
	help_type(f, "gotracer_tcp_reassembly_evicted_flows_total", "counter",
		  "Flows whose reassembly state was dropped for the total bounds.");
	fprintf(f, "gotracer_tcp_reassembly_evicted_flows_total %" PRIu64 "\n", ts.evicted_flows);
	help_type(f, "gotracer_ip_reassembled_datagrams_total", "counter",
		  "IPv4 and IPv6 datagrams rebuilt from their fragments.");
	fprintf(f, "gotracer_ip_reassembled_datagrams_total %" PRIu64 "\n", ip.reassembled);
	help_type(f, "gotracer_ip_reassembly_given_up_total", "counter",
		  "Fragmented datagrams not rebuilt, by reason.");
	fprintf(f, "gotracer_ip_reassembly_given_up_total{reason=\"evicted\"} %" PRIu64 "\n"
		   "gotracer_ip_reassembly_given_up_total{reason=\"timed_out\"} %" PRIu64 "\n"
		   "gotracer_ip_reassembly_given_up_total{reason=\"too_big\"} %" PRIu64 "\n",
		ip.evicted, ip.timed_out, ip.given_up);
	help_type(f, "gotracer_reassembly_bytes", "gauge",
		  "Bytes held for reassembly now (TCP messages and segments, IP fragments).");
	fprintf(f, "gotracer_reassembly_bytes{layer=\"tcp\"} %" PRIu64 "\n"
		   "gotracer_reassembly_bytes{layer=\"ip\"} %" PRIu64 "\n", ts.bytes, ip.bytes);
}

char *metrics_render(const struct metrics_source *src)
{
	int top = src->top_flows > 0 && src->top_flows < METRICS_TOP_FLOWS ? src->top_flows :
										METRICS_TOP_FLOWS;
	struct flow_table own;
	const struct flow_table *t = src->flows;
	struct engine *e = src->engine;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (!t) {
		flow_table_init(&own, 0, NULL, NULL);
		if (e)
			flow_table_update(&own, e, boot_now_ns());
		t = &own;
	}
	for (size_t i = 0; e && i < sizeof(if_metrics) / sizeof(if_metrics[0]); i++)
		per_interface(f, e, if_metrics[i].name, if_metrics[i].help, if_metrics[i].pick);
	if (e)
		size_histograms(f, e);
	help_type(f, "gotracer_userspace_drops_total", "counter",
		  "Packets lost in userspace after the ring buffer (store evictions, slow clients).");
	fprintf(f, "gotracer_userspace_drops_total %" PRIu64 "\n", src->userspace_drops);
	help_type(f, "gotracer_flows_active", "gauge", "Flows in the flow table.");
	fprintf(f, "gotracer_flows_active %zu\n", t->n);
	if (e)
		top_flows(f, e, t, top);
	if (src->streams)
		reassembly(f, src->streams);
	help_type(f, "gotracer_build_info", "gauge", "Build information; always 1.");
	fprintf(f, "gotracer_build_info{version=\"%s\"} 1\n", GT_VERSION);
	if (t == &own)
		flow_table_free(&own);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}
