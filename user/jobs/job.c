// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The job model and the registry of job kinds (see job.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"

extern const struct job_kind ping_job_kind;
extern const struct job_kind scan_job_kind;	/* user/scan/job.c */

/* Every kind the server can run: a tool plugs in by adding its line here. */
static const struct job_kind *const job_kinds[] = {
	&ping_job_kind,
	&scan_job_kind,
};

struct job_registry {
	struct job_host host;
	struct job *jobs;
	uint64_t next_id;
};

struct job_registry *job_registry_new(const struct job_host *host)
{
	struct job_registry *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->host = *host;
	r->next_id = 1;
	return r;
}

int job_kind_names(const char **names, int max)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(job_kinds) / sizeof(job_kinds[0]) && n < max; i++)
		names[n++] = job_kinds[i]->name;
	return n;
}

static cJSON *job_message(struct job *j, const char *type)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "type", type);
	cJSON_AddNumberToObject(m, "id", (double)j->id);
	return m;
}

static void emit(struct job *j, cJSON *m)
{
	if (j->owner)
		j->reg->host.emit(j->reg->host.ctx, j, m);
	else
		cJSON_Delete(m);
}

/* End the job: release its resources; it is freed by the next job_reap. */
static void finish(struct job *j)
{
	struct job_host *h = &j->reg->host;

	if (j->finished)
		return;
	j->finished = true;
	h->unwatch_fd(h->ctx, j);
	h->cancel_timer(h->ctx, j);
	j->kind->stop(j);
}

static void job_free(struct job *j)
{
	struct job_host *h = &j->reg->host;

	finish(j);
	h->release(h->ctx, j);
	free(j->state);
	free(j);
}

void job_reap(struct job_registry *r)
{
	struct job **pp = &r->jobs;

	while (*pp) {
		struct job *j = *pp;

		if (j->finished) {
			*pp = j->next;
			job_free(j);
		} else {
			pp = &j->next;
		}
	}
}

void job_registry_free(struct job_registry *r)
{
	if (!r)
		return;
	for (struct job *j = r->jobs; j; j = j->next)
		j->owner = NULL;
	for (struct job *j = r->jobs; j; j = j->next)
		finish(j);
	job_reap(r);
	free(r);
}

struct job *job_start(struct job_registry *r, const char *kind, const cJSON *params,
		      void *owner, const cJSON *ref, char *err, size_t errlen)
{
	const struct job_kind *k = NULL;
	struct job *j;
	cJSON *m;

	job_reap(r);
	for (size_t i = 0; i < sizeof(job_kinds) / sizeof(job_kinds[0]); i++)
		if (!strcmp(job_kinds[i]->name, kind))
			k = job_kinds[i];
	if (!k) {
		snprintf(err, errlen, "unknown job kind '%s'", kind);
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j || !(j->state = calloc(1, k->state_size ? k->state_size : 1))) {
		free(j);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	j->id = r->next_id++;
	j->kind = k;
	j->reg = r;
	j->owner = owner;
	j->next = r->jobs;
	r->jobs = j;
	/* job_started goes first: start may already report rows */
	m = job_message(j, "job_started");
	if (ref)
		cJSON_AddItemToObject(m, "ref", cJSON_Duplicate(ref, false));
	cJSON_AddStringToObject(m, "kind", k->name);
	cJSON_AddItemToObject(m, "params", cJSON_Duplicate(params, true));
	if (k->start(j, params, err, errlen)) {
		cJSON_Delete(m);
		j->owner = NULL;
		finish(j);
		return NULL;
	}
	emit(j, m);
	return j;
}

int job_cancel(struct job_registry *r, uint64_t id, void *owner)
{
	for (struct job *j = r->jobs; j; j = j->next) {
		if (j->id != id || j->owner != owner || j->finished)
			continue;
		job_fail(j, "cancelled");
		return 0;
	}
	return -1;
}

void job_cancel_owner(struct job_registry *r, void *owner)
{
	for (struct job *j = r->jobs; j; j = j->next) {
		if (j->owner != owner)
			continue;
		j->owner = NULL;
		finish(j);
	}
}

void job_dispatch_readable(struct job *j)
{
	if (!j->finished && j->kind->on_readable)
		j->kind->on_readable(j);
}

void job_dispatch_timer(struct job *j)
{
	if (!j->finished && j->kind->on_timer)
		j->kind->on_timer(j);
}

void job_row(struct job *j, cJSON *row)
{
	cJSON *m = job_message(j, "job_row");

	cJSON_AddItemToObject(m, "row", row);
	emit(j, m);
}

void job_progress(struct job *j, uint64_t done, uint64_t total)
{
	cJSON *m = job_message(j, "job_progress");

	cJSON_AddNumberToObject(m, "done", (double)done);
	cJSON_AddNumberToObject(m, "total", (double)total);
	emit(j, m);
}

void job_done(struct job *j, cJSON *summary)
{
	cJSON *m = job_message(j, "job_done");

	cJSON_AddItemToObject(m, "summary", summary ? summary : cJSON_CreateObject());
	emit(j, m);
	finish(j);
}

void job_fail(struct job *j, const char *fmt, ...)
{
	cJSON *m = job_message(j, "job_error");
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(m, "reason", reason);
	emit(j, m);
	finish(j);
}

int job_watch_fd(struct job *j, int fd)
{
	return j->reg->host.watch_fd(j->reg->host.ctx, j, fd);
}

void job_set_timer(struct job *j, uint32_t ms)
{
	j->reg->host.set_timer(j->reg->host.ctx, j, ms);
}

int job_param_uint(const struct job *j, const cJSON *params, const char *name, uint32_t lo,
		   uint32_t hi, uint32_t def, uint32_t *out, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, name);

	if (!v) {
		*out = def;
		return 0;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < lo || v->valuedouble > hi) {
		snprintf(err, errlen, "%s: '%s' must be an integer from %u to %u", j->kind->name,
			 name, lo, hi);
		return -1;
	}
	*out = (uint32_t)v->valuedouble;
	return 0;
}
