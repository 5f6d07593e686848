// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer serve (and gotracer with no command): capture on the given
 * interfaces (default: the one carrying the default route) and serve the web UI
 * and its WebSocket on 127.0.0.1:8080. Another address needs an access token,
 * generated and printed in the URL unless --token gives one.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dissect/dissect.h"
#include "export/ipfix.h"
#include "stats/flow_export.h"
#include "filter/filter.h"
#include "server/server.h"
#include "store/packet_store.h"
#include "util/caps.h"
#include "util/iface.h"
#include "util/log.h"
#include "util/numparse.h"

#define LISTEN_DEFAULT_ADDR "127.0.0.1"
#define LISTEN_DEFAULT_PORT 8080
#define CLIENT_QUEUE_KB_DEFAULT 2048

static void usage(void)
{
	fprintf(stderr,
		"usage: gotracer serve [-i IF]... [--listen ADDR:PORT] [--account] [-s SNAPLEN]\n"
		"                      [--token T] [--allow-origin ORIGIN]... [--web-root DIR]\n"
		"                      [--store-mb N] [--client-queue-kb N] [--hook H] [--ipfix H:P]\n"
		"                      [--idle-timeout S] [--active-timeout S]\n"
		"                      [-v] [FILTER]\n"
		"  -i IF               interface to capture on (repeat for more; default: the\n"
		"                      default-route interface)\n"
		"  --listen ADDR:PORT  where to serve (default %s:%d); any address but loopback\n"
		"                      requires an access token\n"
		"  --token T           the access token (default: generated when not loopback)\n"
		"  --allow-origin O    also accept WebSocket connections from pages at origin O\n"
		"  --account           count only in the kernel, no per-packet capture\n"
		"  -s SNAPLEN          bytes of each packet to capture (64..%u, default %u)\n"
		"  --web-root DIR      the built web UI (default %s)\n"
		"  --store-mb N        memory for recent packets (default %d MiB)\n"
		"  --client-queue-kb N send queue per browser before it loses batches (default %d)\n"
		"  --hook H            ingress hook: auto, xdp, xdp-generic or tc\n"
		"  --ipfix HOST:PORT   export flows over IPFIX/UDP\n"
		"  --idle-timeout S    with --ipfix: retire and export flows idle S seconds\n"
		"                      (default %d)\n"
		"  --active-timeout S  with --ipfix: export long flows every S seconds (default %d)\n"
		"  FILTER              a pcap-filter expression, as for tcpdump\n",
		LISTEN_DEFAULT_ADDR, LISTEN_DEFAULT_PORT, GT_SNAPLEN_MAX, GT_SNAPLEN_DEFAULT,
		GT_WEB_ROOT, STORE_MB_DEFAULT, CLIENT_QUEUE_KB_DEFAULT, FLOW_IDLE_TIMEOUT_DEFAULT_S,
		FLOW_ACTIVE_TIMEOUT_DEFAULT_S);
}

/* "ADDR:PORT", "[V6ADDR]:PORT" or "PORT". */
static int parse_listen(const char *arg, struct server_opts *o)
{
	const char *colon = strrchr(arg, ':');
	uint64_t port;
	unsigned char probe[16];
	size_t n;

	if (!colon) {
		if (!parse_u64_range(arg, 1, 65535, &port))
			return -1;
		o->port = (uint16_t)port;
		return 0;
	}
	if (!parse_u64_range(colon + 1, 1, 65535, &port))
		return -1;
	n = (size_t)(colon - arg);
	if (n >= 2 && arg[0] == '[' && arg[n - 1] == ']') {
		arg++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(o->listen_addr))
		return -1;
	memcpy(o->listen_addr, arg, n);
	o->listen_addr[n] = '\0';
	if (inet_pton(AF_INET, o->listen_addr, probe) != 1 &&
	    inet_pton(AF_INET6, o->listen_addr, probe) != 1)
		return -1;
	o->port = (uint16_t)port;
	return 0;
}

enum {
	OPT_LISTEN = 256, OPT_ACCOUNT, OPT_TOKEN, OPT_ORIGIN, OPT_WEB_ROOT, OPT_STORE_MB,
	OPT_QUEUE_KB, OPT_HOOK, OPT_IPFIX, OPT_IDLE, OPT_ACTIVE,
};

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "account", no_argument, NULL, OPT_ACCOUNT },
	{ "snaplen", required_argument, NULL, 's' },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "allow-origin", required_argument, NULL, OPT_ORIGIN },
	{ "web-root", required_argument, NULL, OPT_WEB_ROOT },
	{ "store-mb", required_argument, NULL, OPT_STORE_MB },
	{ "client-queue-kb", required_argument, NULL, OPT_QUEUE_KB },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "ipfix", required_argument, NULL, OPT_IPFIX },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "active-timeout", required_argument, NULL, OPT_ACTIVE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

int cmd_serve(int argc, char **argv)
{
	struct server_opts o = {
		.listen_addr = LISTEN_DEFAULT_ADDR,
		.port = LISTEN_DEFAULT_PORT,
		.web_root = GT_WEB_ROOT,
		.store_bytes = (size_t)STORE_MB_DEFAULT << 20,
		.client_queue_bytes = (size_t)CLIENT_QUEUE_KB_DEFAULT << 10,
		.hook = ENGINE_HOOK_AUTO,
		.idle_timeout_ns = FLOW_IDLE_TIMEOUT_DEFAULT_S * 1000000000ull,
		.active_timeout_ns = FLOW_ACTIVE_TIMEOUT_DEFAULT_S * 1000000000ull,
	};
	bool timeout_given = false;
	static char default_iface[IFACE_NAME_MAX];
	char *filter = NULL;
	uint64_t v;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+i:s:vh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (o.n_ifaces == ENGINE_MAX_IFACES) {
				pr_warn("at most %d interfaces\n", ENGINE_MAX_IFACES);
				return 2;
			}
			if (!iface_index(optarg)) {
				pr_warn("unknown interface '%s'\n", optarg);
				return 2;
			}
			o.ifaces[o.n_ifaces++] = optarg;
			break;
		case OPT_LISTEN:
			if (parse_listen(optarg, &o)) {
				pr_warn("bad --listen '%s': give ADDR:PORT, e.g. 127.0.0.1:8080\n", optarg);
				return 2;
			}
			break;
		case OPT_ACCOUNT:
			o.account = true;
			break;
		case 's':
			if (!parse_u64_range(optarg, 64, GT_SNAPLEN_MAX, &v)) {
				pr_warn("bad snap length '%s': 64..%u\n", optarg, GT_SNAPLEN_MAX);
				return 2;
			}
			o.snaplen = (uint32_t)v;
			break;
		case OPT_TOKEN:
			o.token = optarg;
			break;
		case OPT_ORIGIN:
			if (o.n_origins == SERVER_MAX_ORIGINS) {
				pr_warn("at most %d --allow-origin\n", SERVER_MAX_ORIGINS);
				return 2;
			}
			o.origins[o.n_origins++] = optarg;
			break;
		case OPT_WEB_ROOT:
			o.web_root = optarg;
			break;
		case OPT_STORE_MB:
			if (!parse_u64_range(optarg, 1, 65536, &v)) {
				pr_warn("bad --store-mb '%s': 1..65536\n", optarg);
				return 2;
			}
			o.store_bytes = (size_t)v << 20;
			break;
		case OPT_QUEUE_KB:
			if (!parse_u64_range(optarg, 16, 1048576, &v)) {
				pr_warn("bad --client-queue-kb '%s': 16..1048576\n", optarg);
				return 2;
			}
			o.client_queue_bytes = (size_t)v << 10;
			break;
		case OPT_IPFIX: {
			char host[100], port[8];

			if (ipfix_parse_dest(optarg, host, sizeof(host), port, sizeof(port))) {
				pr_warn("bad --ipfix '%s': give HOST:PORT, e.g. 127.0.0.1:4739\n", optarg);
				return 2;
			}
			o.ipfix = optarg;
			break;
		}
		case OPT_IDLE:
		case OPT_ACTIVE:
			if (flow_timeout_parse(opt == OPT_IDLE ? "--idle-timeout" : "--active-timeout",
					       optarg, opt == OPT_IDLE ? &o.idle_timeout_ns :
									 &o.active_timeout_ns))
				return 2;
			timeout_given = true;
			break;
		case OPT_HOOK:
			if (engine_hook_parse(optarg, &o.hook)) {
				pr_warn("bad --hook '%s': auto, xdp, xdp-generic or tc\n", optarg);
				return 2;
			}
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'h':
			usage();
			return 0;
		default:
			fprintf(stderr, "see 'gotracer serve --help'\n");
			return 2;
		}
	}
	if (timeout_given && !o.ipfix) {
		pr_warn("--idle-timeout and --active-timeout go with --ipfix\n");
		return 2;
	}
	if (!o.n_ifaces) {
		if (!iface_default_route(default_iface, sizeof(default_iface))) {
			pr_warn("no default route to pick an interface from; give one with -i IF\n");
			return 2;
		}
		o.ifaces[o.n_ifaces++] = default_iface;
	}
	if (optind < argc) {
		filter = filter_join_args(argc - optind, argv + optind);
		if (!filter) {
			pr_warn("out of memory\n");
			return 1;
		}
		o.filter = filter;
		/* a bad expression is a usage error, found before anything is attached */
		struct gt_filter *f;
		char err[256];

		if (filter_compile(&f, filter, DX_LINK_ETHERNET, err, sizeof(err))) {
			pr_warn("bad filter '%s': %s\n", filter, err);
			free(filter);
			return 2;
		}
		filter_free(f);
	}
	if (!caps_check_capture() || !caps_check_btf()) {
		free(filter);
		return 1;
	}
	log_bridge_libbpf();
	ret = server_run(&o);
	free(filter);
	return ret;
}
