// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer read FILE [--json] [-c N] [FILTER]: a pcap or pcapng file through the
 * same dissection and the same output forms as live capture. Packets keep their
 * number in the file when a filter hides some, as in Wireshark. A damaged file
 * is printed up to the damage, then one error line and exit status 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "file/reader.h"
#include "filter/filter.h"
#include "output/packet_out.h"
#include "util/log.h"
#include "util/numparse.h"

enum { OPT_JSON = 256 };

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "count", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

static void usage(FILE *out)
{
	fprintf(out, "usage: gotracer read FILE [--json] [-c N] [FILTER]\n"
		     "  FILE     a pcap or pcapng capture file\n"
		     "  --json   one JSON object per packet\n"
		     "  -c N     stop after N packets shown\n"
		     "  FILTER   a pcap-filter expression, as tcpdump\n");
}

struct read_opts {
	const char *path;
	char *expr;
	uint64_t count;
	bool json;
};

/* Returns 0, or the exit status for bad usage. */
static int parse_args(int argc, char **argv, struct read_opts *o)
{
	uint64_t v;
	int c;

	optind = 1;
	opterr = 0; /* one line of our own instead of getopt's and the usage */
	/* GNU getopt moves options after the file too: "read f.pcap --json port 53" */
	while ((c = getopt_long(argc, argv, "c:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!parse_u64_range(optarg, 1, UINT64_MAX, &v)) {
				pr_warn("bad packet count '%s': a number of at least 1\n", optarg);
				return 2;
			}
			o->count = v;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			if (optopt == 'c')
				pr_warn("option -c needs a packet count\n");
			else
				pr_warn("unknown option '%s'; see 'gotracer read --help'\n",
					argv[optind - 1]);
			return 2;
		}
	}
	if (optind >= argc) {
		pr_warn("read needs a file: gotracer read FILE [--json] [-c N] [FILTER]\n");
		return 2;
	}
	o->path = argv[optind++];
	if (optind < argc) {
		o->expr = filter_join_args(argc - optind, argv + optind);
		if (!o->expr)
			return 1;
	}
	return 0;
}

static int read_packets(struct file_reader *r, struct gt_filter *filter,
			const struct read_opts *o)
{
	struct dx_packet *dx = calloc(1, sizeof(*dx));
	struct dx_streams *streams = dx_streams_new();
	struct file_packet pkt;
	uint64_t no = 0, shown = 0;
	int ret, status = 0;

	if (!dx || !streams) {
		pr_warn("out of memory\n");
		status = 1;
		goto out;
	}
	while ((!o->count || shown < o->count) && (ret = file_reader_next(r, &pkt)) != 0) {
		if (ret < 0) {
			fflush(stdout);
			pr_warn("%s\n", file_reader_error(r));
			status = 1;
			break;
		}
		no++;
		/* dissect every packet, shown or not: reassembly needs them all */
		dx_set_capture(dx, pkt.dir, pkt.ts_ns, streams);
		dx_init(dx, pkt.data, pkt.caplen, pkt.wirelen, pkt.linktype);
		dx_dissect(dx);
		if (filter && !filter_match(filter, pkt.data, pkt.caplen, pkt.wirelen, pkt.dir))
			continue;
		struct packet_meta meta = {
			.no = no,
			.ts_ns = pkt.ts_ns,
			.iface = pkt.iface,
			.dir = pkt.dir,
		};
		if (o->json)
			packet_print_json(stdout, &meta, dx);
		else
			packet_print_line(stdout, &meta, dx);
		shown++;
	}
	if (fflush(stdout) && errno != EPIPE) {
		pr_warn("cannot write the output: %s\n", strerror(errno));
		status = 1;
	}
out:
	dx_streams_free(streams);
	free(dx);
	return status;
}

int cmd_read(int argc, char **argv)
{
	struct read_opts o = { 0 };
	struct file_reader *r = NULL;
	struct gt_filter *filter = NULL;
	char err[512] = "";
	int status;

	status = parse_args(argc, argv, &o);
	if (status)
		goto out;
	if (file_reader_open(&r, o.path, err, sizeof(err))) {
		pr_warn("%s\n", err);
		status = 1;
		goto out;
	}
	if (o.expr && filter_compile(&filter, o.expr, file_reader_linktype(r), err, sizeof(err))) {
		pr_warn("bad filter '%s': %s\n", o.expr, err);
		status = 2;
		goto out;
	}
	status = read_packets(r, filter, &o);
out:
	filter_free(filter);
	file_reader_close(r);
	free(o.expr);
	return status < 0 ? 0 : status;
}
