// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer scan arp|ping|tcp|syn: LAN discovery and port scans from the
 * command line. The scanning itself is the user/scan library; this file reads
 * options, shows progress on a terminal and prints the results as a table,
 * JSON lines or nmap XML.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "../scan/report.h"
#include "../scan/scan.h"
#include "../util/iface.h"
#include "../util/log.h"

static volatile sig_atomic_t cancel_scan;

struct cli_state {
	struct scan_report report;
	bool json;
	bool progress;		/* stderr is a terminal */
	bool bar_shown;
};

static void on_signal(int sig)
{
	(void)sig;
	cancel_scan = 1;
}

static void on_result(const struct scan_result *r, void *ctx)
{
	struct cli_state *st = ctx;

	if (st->bar_shown) {
		fputs("\r\033[K", stderr);
		st->bar_shown = false;
	}
	report_add(&st->report, r);
	if (st->json)
		report_print_json(r, stdout);
}

static void on_progress(size_t done, size_t total, void *ctx)
{
	struct cli_state *st = ctx;
	int width = 30, filled = total ? (int)(done * width / total) : width;

	if (!st->progress)
		return;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu %3d%%", filled, "##############################",
		width - filled, "", done, total, total ? (int)(done * 100 / total) : 100);
	fflush(stderr);
	st->bar_shown = true;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: gotracer scan arp [CIDR|RANGE] [-i IF]   (default: the default-route interface's subnet)\n"
		"       gotracer scan ping TARGETS\n"
		"       gotracer scan tcp|syn TARGETS (-p PORTS | --top-ports N)\n"
		"  TARGETS   10.0.0.1  10.0.0.0/24  10.0.0.1-20  10.0.0.1-10.0.1.5  a,b,c\n"
		"  -p PORTS  22,80,1000-2000          --top-ports N  most common ports\n"
		"  -i IF     interface (arp: required unless the CIDR says it; syn: the hook)\n"
		"  --rate N  probes a second (default %d)  --retries N  --timeout MS\n"
		"  --no-service  skip service detection on open ports\n"
		"  --no-neigh    arp: leave out the kernel's neighbour table\n"
		"  --hook auto|tc|xdp  syn: where replies are taken (auto: XDP on physical NICs)\n"
		"  --json        one JSON object a line    -oX FILE  nmap XML\n"
		"  -v            debug messages\n",
		SCAN_RATE_DEFAULT);
}

static int parse_kind(const char *s, enum scan_kind *kind)
{
	static const char *const names[] = { "arp", "ping", "tcp", "syn" };

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*kind = (enum scan_kind)i;
			return 0;
		}
	return -1;
}

static int parse_count(const char *s, const char *what, unsigned long max, unsigned int *out,
		       unsigned long min)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > max || v < min || *s == '-') {
		pr_warn("bad %s '%s': want a number from %lu to %lu\n", what, s, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

enum {
	OPT_TOP_PORTS = 0x100,
	OPT_RATE,
	OPT_RETRIES,
	OPT_TIMEOUT,
	OPT_JSON,
	OPT_XML,
	OPT_NO_SERVICE,
	OPT_NO_NEIGH,
	OPT_SERVICE,
	OPT_HOOK,
};

static const struct option long_opts[] = {
	{ "ports", required_argument, NULL, 'p' },
	{ "top-ports", required_argument, NULL, OPT_TOP_PORTS },
	{ "interface", required_argument, NULL, 'i' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "xml", required_argument, NULL, OPT_XML },
	{ "service", no_argument, NULL, OPT_SERVICE },
	{ "no-service", no_argument, NULL, OPT_NO_SERVICE },
	{ "no-neigh", no_argument, NULL, OPT_NO_NEIGH },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* nmap's "-oX FILE" and "-sV" are spelled as one option each here */
static void rewrite_nmap_options(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-oX"))
			argv[i] = "--xml";
		else if (!strcmp(argv[i], "-sV"))
			argv[i] = "--service";
	}
}

int cmd_scan(int argc, char **argv)
{
	struct cli_state st = { 0 };
	struct scan_opts o;
	enum scan_kind kind;
	const char *xml_path = NULL, *ports_spec = NULL;
	unsigned int top_ports = 0;
	int opt, err, ret = 1;
	FILE *xml = NULL;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (parse_kind(argv[1], &kind)) {
		pr_warn("unknown scan '%s': want arp, ping, tcp or syn\n", argv[1]);
		return 2;
	}
	scan_opts_init(&o, kind);
	o.service_detect = true;
	argc--;
	argv++;
	rewrite_nmap_options(argc, argv);
	optind = 1;
	opterr = 0;	/* one clear line of our own instead */
	while ((opt = getopt_long(argc, argv, "p:i:vh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (scan_ports_add(&o.ports, optarg)) {
				pr_warn("bad port list '%s': want e.g. 22,80,1000-2000 (1..65535)\n",
					optarg);
				goto bad_usage;
			}
			ports_spec = optarg;
			break;
		case OPT_TOP_PORTS:
			if (parse_count(optarg, "--top-ports", 65535, &top_ports, 1))
				goto bad_usage;
			break;
		case 'i':
			if (strlen(optarg) >= sizeof(o.ifname)) {
				pr_warn("interface name '%s' is too long\n", optarg);
				goto bad_usage;
			}
			strcpy(o.ifname, optarg);
			break;
		case OPT_RATE:
			if (parse_count(optarg, "--rate", SCAN_RATE_MAX, &o.rate, 1))
				goto bad_usage;
			break;
		case OPT_RETRIES:
			if (parse_count(optarg, "--retries", 10, &o.retries, 0))
				goto bad_usage;
			break;
		case OPT_TIMEOUT:
			if (parse_count(optarg, "--timeout", 60000, &o.timeout_ms, 1))
				goto bad_usage;
			break;
		case OPT_JSON:
			st.json = true;
			break;
		case OPT_XML:
			xml_path = optarg;
			break;
		case OPT_SERVICE:
			o.service_detect = true;
			break;
		case OPT_NO_SERVICE:
			o.service_detect = false;
			break;
		case OPT_NO_NEIGH:
			o.include_neigh = false;
			break;
		case OPT_HOOK:
			if (!strcmp(optarg, "auto"))
				o.hook = SCAN_HOOK_AUTO;
			else if (!strcmp(optarg, "tc"))
				o.hook = SCAN_HOOK_TC;
			else if (!strcmp(optarg, "xdp"))
				o.hook = SCAN_HOOK_XDP;
			else {
				pr_warn("bad --hook '%s': want auto, tc or xdp\n", optarg);
				goto bad_usage;
			}
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'h':
			usage(stdout);
			scan_opts_free(&o);
			return 0;
		default:
			if (optopt && optopt < 0x100)
				pr_warn("scan: bad option '-%c' or its value is missing; see 'gotracer scan --help'\n",
					optopt);
			else
				pr_warn("scan: bad option '%s'; see 'gotracer scan --help'\n",
					argv[optind - 1]);
			goto bad_usage;
		}
	}
	for (int i = optind; i < argc; i++) {
		err = scan_targets_add(&o.targets, argv[i]);
		if (err == -E2BIG) {
			pr_warn("too many targets: at most %d addresses a scan\n", SCAN_MAX_TARGETS);
			goto bad_usage;
		}
		if (err) {
			pr_warn("bad target '%s': want an address, CIDR, range or list\n", argv[i]);
			goto bad_usage;
		}
	}
	if (top_ports)
		scan_ports_add_top(&o.ports, top_ports);
	/* a bare "scan arp" sweeps the subnet of the default-route interface */
	if (kind == SCAN_ARP && !o.targets.n && !*o.ifname &&
	    !iface_default_route(o.ifname, sizeof(o.ifname))) {
		pr_warn("scan arp needs -i IF or a CIDR (there is no default route)\n");
		goto bad_usage;
	}
	if (kind != SCAN_ARP && !o.targets.n) {
		pr_warn("scan %s needs targets\n", argv[0]);
		goto bad_usage;
	}
	if ((kind == SCAN_TCP || kind == SCAN_SYN) && !o.ports.n) {
		pr_warn("scan %s needs -p PORTS or --top-ports N\n", argv[0]);
		goto bad_usage;
	}
	if (xml_path) {
		xml = fopen(xml_path, "w");
		if (!xml) {
			pr_warn("cannot write '%s': %s\n", xml_path, strerror(errno));
			goto out;
		}
	}

	report_init(&st.report, kind);
	if (ports_spec)
		snprintf(st.report.services, sizeof(st.report.services), "%s", ports_spec);
	else if (top_ports)
		snprintf(st.report.services, sizeof(st.report.services), "top %u", top_ports);
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(st.report.args);

		snprintf(st.report.args + len, sizeof(st.report.args) - len, "%s%s",
			 i ? " " : "gotracer scan ", argv[i]);
	}
	st.report.n_ports = o.ports.n;
	st.progress = isatty(STDERR_FILENO);
	o.on_result = on_result;
	o.on_progress = on_progress;
	o.ctx = &st;
	o.cancel = &cancel_scan;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	err = scan_run(&o);
	if (st.bar_shown)
		fputs("\r\033[K", stderr);
	st.report.end = time(NULL);
	st.report.n_targets = o.targets.n;
	if (err) {
		/* the library said why; what the user gave was wrong, or the run failed */
		if (err == -EINVAL || err == -E2BIG || err == -ENODEV || err == -ENOENT)
			ret = 2;
		goto out;
	}
	report_sort(&st.report);
	if (!st.json)
		report_print_table(&st.report, stdout);
	if (xml && report_write_nmap_xml(&st.report, xml)) {
		pr_warn("cannot write '%s'\n", xml_path);
		goto out;
	}
	ret = cancel_scan ? 130 : 0;
out:
	if (xml && fclose(xml) && !ret) {
		pr_warn("cannot write '%s': %s\n", xml_path, strerror(errno));
		ret = 1;
	}
	report_free(&st.report);
	scan_opts_free(&o);
	return ret;
bad_usage:
	ret = 2;
	goto out;
}
