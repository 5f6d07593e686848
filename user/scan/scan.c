// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The scan library's entry: options, dispatch to one technique, names. */
#include <errno.h>
#include <string.h>

#include "scan.h"
#include "../util/log.h"

void scan_opts_init(struct scan_opts *o, enum scan_kind kind)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->rate = SCAN_RATE_DEFAULT;
	o->retries = SCAN_RETRIES_DEFAULT;
	o->timeout_ms = 1000;
	o->max_inflight = 256;
	o->include_neigh = true;
}

void scan_opts_free(struct scan_opts *o)
{
	scan_targets_free(&o->targets);
	scan_ports_free(&o->ports);
}

int scan_run(struct scan_opts *o)
{
	int err;

	if (o->rate == 0 || o->rate > SCAN_RATE_MAX) {
		pr_warn("scan rate must be 1..%d probes a second\n", SCAN_RATE_MAX);
		return -EINVAL;
	}
	err = scan_targets_finish(&o->targets);
	if (err)
		return err;
	if ((o->kind == SCAN_TCP || o->kind == SCAN_SYN) && !o->ports.n) {
		pr_warn("no ports to scan: give -p PORTS or --top-ports N\n");
		return -EINVAL;
	}
	if (o->kind != SCAN_ARP && !o->targets.n) {
		pr_warn("no targets to scan\n");
		return -EINVAL;
	}
	switch (o->kind) {
	case SCAN_ARP:
		return scan_arp(o);
	case SCAN_PING:
		return scan_ping(o);
	case SCAN_TCP:
		return scan_tcp_connect(o);
	case SCAN_SYN:
		return scan_syn(o);
	}
	return -EINVAL;
}

const char *scan_kind_name(enum scan_kind kind)
{
	static const char *const names[] = { "arp", "ping", "tcp", "syn" };

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

const char *port_state_name(enum port_state s)
{
	static const char *const names[] = { "open", "closed", "filtered" };

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
