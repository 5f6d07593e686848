// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The "scan" job kind for the server's job model (user/jobs/job.h): the scan
 * library runs in a thread of its own, since it paces and waits by itself;
 * its results cross to the event loop through a queue and a pipe whose read
 * end the host watches. Parameters:
 *   {"technique":"arp|ping|tcp|syn", "targets":"10.0.0.0/24", "ports":"22,80",
 *    "top_ports":100, "iface":"eth1", "rate":1000, "retries":2, "timeout_ms":1000,
 *    "service":true, "hook":"auto|tc|xdp", "all_ports":false}
 * Rows: hosts that are up, open ports and services (closed and filtered ports
 * are counted in the summary, not sent one by one, unless "all_ports" asks).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../jobs/job.h"
#include "report.h"
#include "scan.h"

#define QUEUE_MAX 65536	/* rows waiting for the event loop; beyond it they are counted as lost */

struct scan_job {
	struct scan_opts opts;
	pthread_t thread;
	bool running;		/* the thread was started and not yet joined */
	int pipe_rd, pipe_wr;
	volatile sig_atomic_t cancel;
	bool all_ports;		/* rows for closed and filtered ports too */
	pthread_mutex_t lock;	/* guards everything below */
	cJSON **rows;
	size_t n_rows, cap_rows;
	size_t lost;
	size_t done, total;
	bool progress_new;
	bool finished;
	int result;		/* scan_run's return */
	size_t hosts_up, open, closed, filtered;
};

static void wake(struct scan_job *s)
{
	char b = 1;

	/* a full pipe already means "look": nothing to do */
	if (write(s->pipe_wr, &b, 1) < 0 && errno != EAGAIN)
		return;
}

static void on_result(const struct scan_result *r, void *ctx)
{
	struct scan_job *s = ctx;
	bool row = true;

	pthread_mutex_lock(&s->lock);
	if (r->type == SCAN_R_HOST) {
		row = r->host_flags & (SCAN_H_REPLIED | SCAN_H_NEIGH);
		s->hosts_up += !!(r->host_flags & SCAN_H_REPLIED);
	} else if (r->type == SCAN_R_PORT) {
		row = r->state == PORT_OPEN || s->all_ports;
		s->open += r->state == PORT_OPEN;
		s->closed += r->state == PORT_CLOSED;
		s->filtered += r->state == PORT_FILTERED;
	}
	if (row) {
		if (s->n_rows == s->cap_rows && s->cap_rows < QUEUE_MAX) {
			size_t cap = s->cap_rows ? s->cap_rows * 2 : 64;
			cJSON **v = realloc(s->rows, cap * sizeof(*v));

			if (v) {
				s->rows = v;
				s->cap_rows = cap;
			}
		}
		if (s->n_rows < s->cap_rows)
			s->rows[s->n_rows++] = report_result_json(r);
		else
			s->lost++;
	}
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

static void on_progress(size_t done, size_t total, void *ctx)
{
	struct scan_job *s = ctx;

	pthread_mutex_lock(&s->lock);
	s->done = done;
	s->total = total;
	s->progress_new = true;
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

static void *scan_thread(void *arg)
{
	struct scan_job *s = arg;
	int err = scan_run(&s->opts);

	pthread_mutex_lock(&s->lock);
	s->finished = true;
	s->result = err;
	pthread_mutex_unlock(&s->lock);
	wake(s);
	return NULL;
}

static const char *param_str(const cJSON *params, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int param_uint(const cJSON *params, const char *name, unsigned int lo, unsigned int hi,
		      unsigned int *out, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, name);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < lo || v->valuedouble > hi) {
		snprintf(err, errlen, "scan: '%s' must be an integer from %u to %u", name, lo, hi);
		return -1;
	}
	*out = (unsigned int)v->valuedouble;
	return 0;
}

static int parse_params(struct scan_job *s, const cJSON *params, char *err, size_t errlen)
{
	static const char *const kinds[] = { "arp", "ping", "tcp", "syn" };
	const char *technique = param_str(params, "technique"), *targets, *ports, *iface, *hook;
	const cJSON *service = cJSON_GetObjectItemCaseSensitive(params, "service");
	const cJSON *all_ports = cJSON_GetObjectItemCaseSensitive(params, "all_ports");
	unsigned int top = 0, k;

	for (k = 0; technique && k < 4 && strcmp(technique, kinds[k]); k++)
		;
	if (!technique || k == 4) {
		snprintf(err, errlen, "scan: 'technique' must be arp, ping, tcp or syn");
		return -1;
	}
	scan_opts_init(&s->opts, (enum scan_kind)k);
	s->opts.service_detect = !service || cJSON_IsTrue(service);
	if (all_ports && !cJSON_IsBool(all_ports)) {
		snprintf(err, errlen, "scan: 'all_ports' must be true or false");
		return -1;
	}
	s->all_ports = cJSON_IsTrue(all_ports);
	targets = param_str(params, "targets");
	ports = param_str(params, "ports");
	iface = param_str(params, "iface");
	hook = param_str(params, "hook");
	if (hook) {
		if (!strcmp(hook, "tc"))
			s->opts.hook = SCAN_HOOK_TC;
		else if (!strcmp(hook, "xdp"))
			s->opts.hook = SCAN_HOOK_XDP;
		else if (strcmp(hook, "auto")) {
			snprintf(err, errlen, "scan: 'hook' must be auto, tc or xdp");
			return -1;
		}
	}
	if (targets && scan_targets_add(&s->opts.targets, targets)) {
		snprintf(err, errlen, "scan: bad targets '%.64s' (at most %d addresses)", targets,
			 SCAN_MAX_TARGETS);
		return -1;
	}
	if (ports && scan_ports_add(&s->opts.ports, ports)) {
		snprintf(err, errlen, "scan: bad ports '%.64s'", ports);
		return -1;
	}
	if (iface) {
		if (strlen(iface) >= sizeof(s->opts.ifname)) {
			snprintf(err, errlen, "scan: interface name too long");
			return -1;
		}
		strcpy(s->opts.ifname, iface);
	}
	if (param_uint(params, "top_ports", 1, 65535, &top, err, errlen) ||
	    param_uint(params, "rate", 1, SCAN_RATE_MAX, &s->opts.rate, err, errlen) ||
	    param_uint(params, "retries", 0, 10, &s->opts.retries, err, errlen) ||
	    param_uint(params, "timeout_ms", 1, 60000, &s->opts.timeout_ms, err, errlen))
		return -1;
	if (top)
		scan_ports_add_top(&s->opts.ports, top);
	if (k != SCAN_ARP && !s->opts.targets.n) {
		snprintf(err, errlen, "scan: 'targets' is required");
		return -1;
	}
	if (k == SCAN_ARP && !s->opts.targets.n && !iface) {
		snprintf(err, errlen, "scan: arp needs 'targets' or 'iface'");
		return -1;
	}
	if ((k == SCAN_TCP || k == SCAN_SYN) && !s->opts.ports.n) {
		snprintf(err, errlen, "scan: 'ports' or 'top_ports' is required");
		return -1;
	}
	return 0;
}

static int scan_job_start(struct job *j, const cJSON *params, char *err, size_t errlen)
{
	struct scan_job *s = j->state;
	int fds[2];

	s->pipe_rd = s->pipe_wr = -1;
	pthread_mutex_init(&s->lock, NULL);
	if (parse_params(s, params, err, errlen))
		return -1;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC)) {
		snprintf(err, errlen, "scan: %s", strerror(errno));
		return -1;
	}
	s->pipe_rd = fds[0];
	s->pipe_wr = fds[1];
	s->opts.on_result = on_result;
	s->opts.on_progress = on_progress;
	s->opts.ctx = s;
	s->opts.cancel = &s->cancel;
	if (job_watch_fd(j, s->pipe_rd)) {
		snprintf(err, errlen, "scan: cannot watch the result pipe");
		return -1;
	}
	if (pthread_create(&s->thread, NULL, scan_thread, s)) {
		snprintf(err, errlen, "scan: cannot start a thread");
		return -1;
	}
	s->running = true;
	return 0;
}

static void scan_job_on_readable(struct job *j)
{
	struct scan_job *s = j->state;
	char drain[256];
	cJSON **rows, *sum;
	size_t n, done, total, lost;
	bool progress, finished;
	int result;

	while (read(s->pipe_rd, drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&s->lock);
	rows = s->rows;
	n = s->n_rows;
	s->rows = NULL;
	s->n_rows = s->cap_rows = 0;
	progress = s->progress_new;
	s->progress_new = false;
	done = s->done;
	total = s->total;
	finished = s->finished;
	result = s->result;
	lost = s->lost;
	pthread_mutex_unlock(&s->lock);

	for (size_t i = 0; i < n; i++)
		if (rows[i])
			job_row(j, rows[i]);
	free(rows);
	if (progress)
		job_progress(j, done, total);
	if (!finished)
		return;
	if (result) {
		job_fail(j, "scan failed: %s", strerror(-result));
		return;
	}
	sum = cJSON_CreateObject();
	cJSON_AddStringToObject(sum, "technique", scan_kind_name(s->opts.kind));
	cJSON_AddNumberToObject(sum, "targets", (double)s->opts.targets.n);
	cJSON_AddNumberToObject(sum, "hosts_up", (double)s->hosts_up);
	if (s->opts.kind == SCAN_TCP || s->opts.kind == SCAN_SYN) {
		cJSON_AddNumberToObject(sum, "ports", (double)s->opts.ports.n);
		cJSON_AddNumberToObject(sum, "open", (double)s->open);
		cJSON_AddNumberToObject(sum, "closed", (double)s->closed);
		cJSON_AddNumberToObject(sum, "filtered", (double)s->filtered);
	}
	cJSON_AddNumberToObject(sum, "rows_lost", (double)lost);
	job_done(j, sum);
}

static void scan_job_stop(struct job *j)
{
	struct scan_job *s = j->state;

	if (s->running) {
		s->cancel = 1;
		pthread_join(s->thread, NULL);
		s->running = false;
	}
	for (size_t i = 0; i < s->n_rows; i++)
		cJSON_Delete(s->rows[i]);
	free(s->rows);
	s->rows = NULL;
	s->n_rows = 0;
	if (s->pipe_rd >= 0)
		close(s->pipe_rd);
	if (s->pipe_wr >= 0)
		close(s->pipe_wr);
	s->pipe_rd = s->pipe_wr = -1;
	scan_opts_free(&s->opts);
}

const struct job_kind scan_job_kind = {
	.name = "scan",
	.state_size = sizeof(struct scan_job),
	.start = scan_job_start,
	.on_readable = scan_job_on_readable,
	.stop = scan_job_stop,
};
