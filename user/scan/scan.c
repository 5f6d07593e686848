// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The scan library's entry: options, dispatch to one technique, names. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../util/log.h"

#define SERVICE_THREADS 8	/* open ports probed at once */

static pthread_mutex_t emit_lock = PTHREAD_MUTEX_INITIALIZER;

void scan_emit(struct scan_opts *o, const struct scan_result *r)
{
	if (!o->on_result)
		return;
	pthread_mutex_lock(&emit_lock);
	o->on_result(r, o->ctx);
	pthread_mutex_unlock(&emit_lock);
}

void scan_emit_port(struct scan_opts *o, struct open_ports *open, uint32_t addr, uint16_t port,
		    enum port_state state, const char *reason, uint8_t ttl)
{
	struct scan_result r = {
		.type = SCAN_R_PORT,
		.addr = addr,
		.port = port,
		.state = state,
		.reason = reason,
		.ttl = ttl,
	};

	scan_emit(o, &r);
	if (state != PORT_OPEN || !open)
		return;
	if (open->n == open->cap) {
		size_t cap = open->cap ? open->cap * 2 : 32;
		struct open_port *v = realloc(open->v, cap * sizeof(*v));

		if (!v)
			return;
		open->v = v;
		open->cap = cap;
	}
	open->v[open->n++] = (struct open_port){ addr, port };
}

struct service_work {
	struct scan_opts *o;
	struct open_ports *open;
	size_t next;
	pthread_mutex_t lock;
};

static void *service_worker(void *arg)
{
	struct service_work *w = arg;
	sigset_t pipe_only;

	/*
	 * A peer that closes while OpenSSL writes would raise SIGPIPE, which kills
	 * the process by default. Blocked in this thread, it dies with the thread.
	 */
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, NULL);

	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->open->n || scan_cancelled(w->o))
			return NULL;
		scan_service_detect(w->o, w->open->v[i].addr, w->open->v[i].port);
	}
}

void scan_detect_services(struct scan_opts *o, struct open_ports *open)
{
	struct service_work w = { .o = o, .open = open, .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t threads[SERVICE_THREADS];
	size_t n = 0;

	if (o->service_detect && open->n) {
		for (; n < SERVICE_THREADS && n < open->n; n++)
			if (pthread_create(&threads[n], NULL, service_worker, &w))
				break;
		if (n == 0)
			pr_warn("service detection skipped: cannot start a thread\n");
		for (size_t i = 0; i < n; i++)
			pthread_join(threads[i], NULL);
	}
	free(open->v);
	memset(open, 0, sizeof(*open));
}

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
	if ((o->kind == SCAN_TCP || o->kind == SCAN_SYN) &&
	    (uint64_t)o->targets.n * o->ports.n > SCAN_MAX_PROBES) {
		pr_warn("too many probes: %zu targets x %zu ports is over %u; scan in parts\n",
			o->targets.n, o->ports.n, SCAN_MAX_PROBES);
		return -E2BIG;
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
