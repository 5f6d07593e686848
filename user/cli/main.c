// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* gotracer: subcommand dispatch, in the manner of ip(8) and bpftool. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "../util/log.h"

#ifndef GT_VERSION
#define GT_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "serve", cmd_serve, "serve [-i IF]... [--listen ADDR:PORT] [--account] [FILTER]" },
	{ "capture", cmd_capture,
	  "capture -i IF [-i IF]... [-c N] [-s SNAPLEN] [-w FILE] [--json] [--account] [--hook H] [FILTER]" },
	{ "read", cmd_read, "read FILE [--json] [-c N] [FILTER]" },
	{ "flows", cmd_flows, "flows -i IF [--json] [--sort bytes|packets] [-t SECONDS]" },
	{ "stats", cmd_stats, "stats -i IF [--json]" },
	{ "ifaces", cmd_ifaces, "ifaces [--json]" },
	{ "cleanup", cmd_cleanup, "cleanup [-i IF]..." },
	{ "scan", cmd_scan, "scan arp|ping|tcp|syn TARGET [-p PORTS] [--json]" },
	{ "trace", cmd_trace, "trace HOST [--proto icmp|udp|tcp] [--json]" },
	{ "ping", cmd_ping, "ping HOST [-c N] [--json]" },
	{ "wifi", cmd_wifi, "wifi [--json]" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: gotracer [COMMAND] [OPTIONS]\n"
		     "  (no command)  same as 'serve'\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  gotracer %s\n", commands[i].usage);
	fprintf(out, "  gotracer version\n");
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "serve";

	/* "gotracer -i veth0" and "gotracer 'port 53'" are serve with options */
	if (argc > 1 && (argv[1][0] == '-' && strcmp(argv[1], "-h") && strcmp(argv[1], "--help")))
		return cmd_serve(argc, argv);
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "version") || !strcmp(name, "--version")) {
		printf("gotracer %s\n", GT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc > 1 ? argc - 1 : 1, argc > 1 ? argv + 1 : argv);
	pr_warn("unknown command '%s'; see 'gotracer --help'\n", name);
	return 2;
}
