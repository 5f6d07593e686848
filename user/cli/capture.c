// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer capture: live capture on one or more interfaces, printed one line
 * (or one JSON object) per packet until Ctrl-C or -c N, then tcpdump's summary
 * on stderr. With --account nothing is sent per packet: the kernel only counts,
 * and the counters are printed at exit.
 *
 * Every packet that passes the filter goes to a short list of sinks (the
 * printer; -w adds a file writer), so a new consumer is one more entry.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "capture/engine.h"
#include "capture_write.h"
#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "filter/filter.h"
#include "output/counters_out.h"
#include "output/packet_out.h"
#include "export/ipfix.h"
#include "stats/account.h"
#include "stats/flow_export.h"
#include "util/log.h"
#include "util/numparse.h"
#include "util/stop.h"

#define CAPTURE_MAX_SINKS 4

/* One captured packet as the sinks see it. */
struct capture_packet {
	const struct gt_event *ev;
	const uint8_t *data;		/* ev->cap_len bytes from the Ethernet header */
	const struct packet_meta *meta;
	const struct dx_packet *dx;	/* the dissection tree */
};

struct capture_sink {
	void (*packet)(void *ctx, const struct capture_packet *cp);
	void *ctx;
};

struct capture_run {
	struct engine *engine;
	struct gt_filter *filter;
	struct dx_packet *dx;
	struct dx_streams *streams;	/* TCP reassembly, as read does */
	struct capture_sink sinks[CAPTURE_MAX_SINKS];
	int n_sinks;
	uint64_t count;		/* stop after this many; 0 = until interrupted */
	uint64_t captured;
	uint64_t filtered_user;	/* let through by the kernel rules, refused by the filter */
	bool json;
	bool dissect;			/* a sink prints the dissection */
	struct capture_write write;	/* -w FILE */
};

static void print_sink(void *ctx, const struct capture_packet *cp)
{
	const struct capture_run *run = ctx;

	if (run->json)
		packet_print_json(stdout, cp->meta, cp->dx);
	else
		packet_print_line(stdout, cp->meta, cp->dx);
}

static void write_sink(void *ctx, const struct capture_packet *cp)
{
	struct capture_run *run = ctx;

	capture_write_packet(&run->write, run->engine, cp->ev, cp->data, cp->meta->ts_ns);
}

static void on_packet(void *user, const struct gt_event *ev, const uint8_t *data)
{
	struct capture_run *run = user;
	const struct engine_iface *ifc;
	struct packet_meta meta;
	struct capture_packet cp;
	int idx;

	if (stop_requested() || (run->count && run->captured >= run->count))
		return;
	if (run->filter && !filter_match(run->filter, data, ev->cap_len, ev->wire_len, ev->dir)) {
		run->filtered_user++;
		return;
	}
	idx = engine_iface_index(run->engine, ev->ifindex);
	ifc = engine_iface(run->engine, idx);
	meta = (struct packet_meta){
		.no = ++run->captured,
		.ts_ns = engine_boot_to_real_ns(ev->ts_ns),
		.iface = ifc ? ifc->name : NULL,
		.dir = ev->dir,
	};
	if (run->dissect) {
		dx_set_capture(run->dx, ev->dir, meta.ts_ns, run->streams);
		dx_init(run->dx, data, ev->cap_len, ev->wire_len,
			ifc ? ifc->linktype : DX_LINK_ETHERNET);
		dx_dissect(run->dx);
	}
	cp = (struct capture_packet){ .ev = ev, .data = data, .meta = &meta, .dx = run->dx };
	for (int i = 0; i < run->n_sinks; i++)
		run->sinks[i].packet(run->sinks[i].ctx, &cp);
}

static void print_summary(struct capture_run *run, bool account)
{
	uint64_t seen = 0, drops = 0, filtered = 0;
	struct gt_if_counters c;
	cJSON *obj;
	char *text;

	for (int i = 0; i < engine_n_ifaces(run->engine); i++) {
		const struct engine_iface *ifc = engine_iface(run->engine, i);

		if (engine_read_counters(run->engine, ifc->ifindex, &c))
			continue;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			seen += c.dir[d].packets;
			drops += c.dir[d].ring_drops;
			filtered += c.dir[d].filtered;
		}
		if (!account)
			continue;
		if (run->json) {
			obj = if_counters_to_json(ifc->name, &c);
			text = obj ? cJSON_PrintUnformatted(obj) : NULL;
			if (text)
				printf("%s\n", text);
			cJSON_free(text);
			cJSON_Delete(obj);
		} else {
			if_counters_print(stdout, ifc->name, &c);
		}
	}
	fflush(stdout);
	fprintf(stderr, "%" PRIu64 " packets captured\n", run->captured);
	fprintf(stderr, "%" PRIu64 " packets seen by the kernel\n", seen);
	fprintf(stderr, "%" PRIu64 " packets filtered by kernel\n", filtered);
	if (run->filter)
		fprintf(stderr, "%" PRIu64 " packets filtered in userspace\n", run->filtered_user);
	fprintf(stderr, "%" PRIu64 " packets dropped by kernel\n", drops);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gotracer capture -i IF [-i IF]... [-c N] [-s SNAPLEN] [-w FILE [--print]] [--json]\n"
		"                        [--account]\n"
		"                        [--hook auto|xdp|xdp-generic|tc] [-v] [FILTER]\n"
		"       gotracer capture --account [-i IF]... [--config FILE] [--ipfix HOST:PORT]\n"
		"                        [--idle-timeout S] [--active-timeout S] [FILTER]\n"
		"  -i IF       interface to capture on (repeat for more)\n"
		"  -c N        stop after N packets\n"
		"  -s SNAPLEN  bytes of each packet to capture (1..%u, default %u)\n"
		"  -w FILE     write the packets to FILE: pcapng, or classic pcap if *.pcap;\n"
		"              prints no packet lines then (as tcpdump), unless --print or --json\n"
		"  --print     with -w, also print a line per packet\n"
		"  --json      one JSON object per packet (Wireshark field names)\n"
		"  --account   count only, in the kernel; print the counters at exit. Runs as\n"
		"              a service: SIGHUP re-reads --config FILE ('interface IF' lines,\n"
		"              'filter EXPR') and attaches again; a lost interface is attached\n"
		"              again when it comes back\n"
		"  --ipfix H:P with --account: export flows over IPFIX/UDP to H:P\n"
		"  --idle-timeout S   with --account: retire flows idle S seconds (default 30)\n"
		"  --active-timeout S with --ipfix: export long flows every S seconds (default 60)\n"
		"  --hook H    ingress hook: auto (XDP on NICs, tc on virtual devices), xdp,\n"
		"              xdp-generic or tc; egress is always tc\n"
		"  FILTER      a pcap-filter expression, as for tcpdump\n",
		GT_SNAPLEN_MAX, GT_SNAPLEN_DEFAULT);
}

enum { OPT_JSON = 256, OPT_PRINT, OPT_ACCOUNT, OPT_HOOK, OPT_IPFIX, OPT_IDLE, OPT_ACTIVE, OPT_CONFIG };

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'c' },
	{ "snaplen", required_argument, NULL, 's' },
	{ "write", required_argument, NULL, 'w' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "account", no_argument, NULL, OPT_ACCOUNT },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "ipfix", required_argument, NULL, OPT_IPFIX },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "active-timeout", required_argument, NULL, OPT_ACTIVE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

static int setup_filter(struct capture_run *run, const char *expr)
{
	struct gt_rule rules[GT_MAX_RULES];
	char err[256] = "";
	uint32_t n;

	if (filter_compile(&run->filter, expr, DX_LINK_ETHERNET, err, sizeof(err))) {
		pr_warn("bad filter '%s': %s\n", expr, err);
		return -EINVAL;
	}
	n = filter_kernel_rules(run->filter, rules, GT_MAX_RULES);
	if (!n && filter_expr(run->filter)[0])
		pr_info("the kernel cannot express filter '%s': every packet comes up and "
			"userspace applies it\n", expr);
	else if (n && engine_set_rules(run->engine, rules, n))
		pr_info("kernel filtering unavailable; filtering in userspace only\n");
	return 0;
}

int cmd_capture(int argc, char **argv)
{
	struct engine_opts opts = { .hook = ENGINE_HOOK_AUTO };
	struct capture_run run = {};
	char *expr = NULL;
	const char *write_path = NULL;
	bool print = false;
	struct account_opts acct = {
		.idle_timeout_ns = FLOW_IDLE_TIMEOUT_DEFAULT_S * 1000000000ull,
		.active_timeout_ns = FLOW_ACTIVE_TIMEOUT_DEFAULT_S * 1000000000ull,
	};
	static char config_names[ENGINE_MAX_IFACES][16];
	static char config_filter[1024];
	bool account = false, acct_opt = false;
	char host[100], port[8];
	uint64_t v;
	int c, err, status = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:c:s:w:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (opts.n_ifaces >= ENGINE_MAX_IFACES) {
				pr_warn("at most %d interfaces\n", ENGINE_MAX_IFACES);
				return 2;
			}
			opts.ifaces[opts.n_ifaces++] = optarg;
			break;
		case 'c':
			if (!parse_u64_range(optarg, 1, UINT64_MAX, &v)) {
				pr_warn("bad packet count '%s': a number of at least 1\n", optarg);
				return 2;
			}
			run.count = v;
			break;
		case 's':
			if (!parse_u64_range(optarg, 1, GT_SNAPLEN_MAX, &v)) {
				pr_warn("bad snap length '%s': a number from 1 to %u\n", optarg,
					GT_SNAPLEN_MAX);
				return 2;
			}
			opts.snaplen = (uint32_t)v;
			break;
		case 'w':
			write_path = optarg;
			break;
		case OPT_JSON:
			run.json = true;
			break;
		case OPT_PRINT:
			print = true;
			break;
		case OPT_ACCOUNT:
			account = true;
			break;
		case OPT_HOOK:
			if (engine_hook_parse(optarg, &opts.hook)) {
				pr_warn("bad hook '%s': auto, xdp, xdp-generic or tc\n", optarg);
				return 2;
			}
			break;
		case OPT_IPFIX:
			if (ipfix_parse_dest(optarg, host, sizeof(host), port, sizeof(port))) {
				pr_warn("bad --ipfix '%s': give HOST:PORT, e.g. 127.0.0.1:4739\n", optarg);
				return 2;
			}
			/* fall through */
		case OPT_CONFIG:
			*(c == OPT_IPFIX ? &acct.ipfix : &acct.config_path) = optarg;
			acct_opt = true;
			break;
		case OPT_IDLE:
		case OPT_ACTIVE:
			if (flow_timeout_parse(c == OPT_IDLE ? "--idle-timeout" : "--active-timeout",
					       optarg, c == OPT_IDLE ? &acct.idle_timeout_ns :
								       &acct.active_timeout_ns))
				return 2;
			acct_opt = true;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (acct_opt && !account) {
		pr_warn("--ipfix, --config and the timeouts go with --account\n");
		return 2;
	}
	if (acct.config_path) {
		int n;

		if (account_read_config(acct.config_path, config_names, ENGINE_MAX_IFACES, &n,
					config_filter, sizeof(config_filter)))
			return 2;
		for (int i = 0; i < n && opts.n_ifaces < ENGINE_MAX_IFACES; i++)
			opts.ifaces[opts.n_ifaces++] = config_names[i];
		if (config_filter[0] && optind == argc)
			expr = strdup(config_filter);
	}
	if (!opts.n_ifaces) {
		pr_warn("capture needs an interface: gotracer capture -i IF\n");
		free(expr);
		return 2;
	}
	if (optind < argc) {
		expr = filter_join_args(argc - optind, argv + optind);
		if (!expr)
			return 1;
	}
	acct.filter = expr;
	opts.account_only = account;

	run.dx = calloc(1, sizeof(*run.dx));
	run.streams = dx_streams_new();
	if (!run.dx || !run.streams)
		goto out;
	/*
	 * The text line needs only the columns: skip formatting every field's
	 * value (most of the per-packet cost). JSON prints the whole tree.
	 */
	run.dx->summary_only = !run.json;
	/* as tcpdump: -w writes the file and prints nothing, unless asked to */
	run.dissect = !account && (!write_path || print || run.json);
	if (run.dissect)
		run.sinks[run.n_sinks++] = (struct capture_sink){ print_sink, &run };

	stop_signals_install();
	err = engine_open(&run.engine, &opts, on_packet, &run);
	if (err) {
		goto out;
	}
	if (expr && setup_filter(&run, expr)) {
		status = 2;
		goto out;
	}
	if (write_path) {
		if (capture_write_open(&run.write, write_path, run.engine, opts.snaplen))
			goto out;
		run.sinks[run.n_sinks++] = (struct capture_sink){ write_sink, &run };
	}
	if (account) {
		err = account_run(&run.engine, &opts, &acct);
		if (err)
			goto out;
		if (!run.engine) {
			pr_warn("no interface left to report on\n");
			goto out;
		}
	}
	while (!account && !stop_requested() && !(run.count && run.captured >= run.count)) {
		err = engine_poll(run.engine, 250);
		if (err == -EINTR)
			continue;
		if (err < 0) {
			pr_warn("reading the ring buffer failed: %s\n", strerror(-err));
			goto out;
		}
		if (err > 0)
			fflush(stdout);
	}
	print_summary(&run, account);
	status = 0;
out:
	if (capture_write_close(&run.write, run.engine))
		status = 1;
	engine_close(run.engine);
	filter_free(run.filter);
	dx_streams_free(run.streams);
	free(run.dx);
	free(expr);
	return status;
}
