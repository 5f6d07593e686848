// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The job model with a recording host: start, refusals, cancel, and the messages. */
#include <stdio.h>
#include <string.h>

#include "lib/runner.h"
#include "jobs/job.h"

struct recorder {
	char types[16][24];
	char last_reason[128];
	int n_msgs, watched, unwatched, timers, cancelled_timers, released;
};

static void rec_emit(void *ctx, struct job *j, cJSON *msg)
{
	struct recorder *r = ctx;
	const cJSON *reason = cJSON_GetObjectItem(msg, "reason");

	if (r->n_msgs < 16)
		snprintf(r->types[r->n_msgs], sizeof(r->types[0]), "%s",
			 cJSON_GetObjectItem(msg, "type")->valuestring);
	r->n_msgs++;
	if (reason)
		snprintf(r->last_reason, sizeof(r->last_reason), "%s", reason->valuestring);
	cJSON_Delete(msg);
}

static int rec_watch(void *ctx, struct job *j, int fd)
{
	((struct recorder *)ctx)->watched++;
	return fd >= 0 ? 0 : -1;
}

static void rec_unwatch(void *ctx, struct job *j) { ((struct recorder *)ctx)->unwatched++; }
static void rec_timer(void *ctx, struct job *j, uint32_t ms) { ((struct recorder *)ctx)->timers++; }
static void rec_cancel(void *ctx, struct job *j) { ((struct recorder *)ctx)->cancelled_timers++; }
static void rec_release(void *ctx, struct job *j) { ((struct recorder *)ctx)->released++; }

static struct job_registry *registry(struct recorder *r)
{
	struct job_host host = {
		.ctx = r, .emit = rec_emit, .watch_fd = rec_watch, .unwatch_fd = rec_unwatch,
		.set_timer = rec_timer, .cancel_timer = rec_cancel, .release = rec_release,
	};

	memset(r, 0, sizeof(*r));
	return job_registry_new(&host);
}

TEST(jobs_kinds_listed)
{
	const char *names[8];
	int n = job_kind_names(names, 8);
	bool ping = false;

	for (int i = 0; i < n; i++)
		ping |= !strcmp(names[i], "ping");
	CHECK(ping);
}

TEST(jobs_refuse_unknown_kind_and_bad_params)
{
	struct recorder r;
	struct job_registry *reg = registry(&r);
	cJSON *params = cJSON_Parse("{\"host\":\"127.0.0.1\",\"count\":0}");
	char err[256] = "";
	int owner;

	CHECK(job_start(reg, "nope", params, &owner, NULL, err, sizeof(err)) == NULL);
	CHECK_STR(err, "unknown job kind 'nope'");
	CHECK(job_start(reg, "ping", params, &owner, NULL, err, sizeof(err)) == NULL);
	CHECK_STR(err, "ping: 'count' must be an integer from 1 to 1000");
	CHECK_INT(r.n_msgs, 0);	/* a refused job says nothing: the caller sends the error */
	job_reap(reg);
	CHECK_INT(r.released, 1);
	cJSON_Delete(params);
	job_registry_free(reg);
}

TEST(jobs_start_and_cancel)
{
	struct recorder r;
	struct job_registry *reg = registry(&r);
	cJSON *params = cJSON_Parse("{\"host\":\"127.0.0.1\",\"count\":2}");
	char err[256] = "";
	int owner, other;
	struct job *j;

	j = job_start(reg, "ping", params, &owner, NULL, err, sizeof(err));
	CHECK(j);
	CHECK_STR(r.types[0], "job_started");
	CHECK_INT(r.watched, 1);
	CHECK(r.timers >= 1);
	CHECK_INT(job_cancel(reg, j->id, &other), -1);	/* not theirs */
	CHECK_INT(job_cancel(reg, j->id + 1, &owner), -1);
	CHECK_INT(job_cancel(reg, j->id, &owner), 0);
	CHECK_STR(r.types[1], "job_error");
	CHECK_STR(r.last_reason, "cancelled");
	CHECK_INT(r.unwatched, 1);
	CHECK(r.cancelled_timers >= 1);
	CHECK_INT(job_cancel(reg, j->id, &owner), -1);	/* over: nothing to cancel */
	CHECK_INT(r.n_msgs, 2);
	job_reap(reg);
	CHECK_INT(r.released, 1);
	cJSON_Delete(params);
	job_registry_free(reg);
}

TEST(jobs_owner_gone_stops_silently)
{
	struct recorder r;
	struct job_registry *reg = registry(&r);
	cJSON *params = cJSON_Parse("{\"host\":\"127.0.0.1\"}");
	char err[256];
	int owner;

	CHECK(job_start(reg, "ping", params, &owner, NULL, err, sizeof(err)));
	job_cancel_owner(reg, &owner);
	CHECK_INT(r.n_msgs, 1);	/* only job_started */
	CHECK_INT(r.unwatched, 1);
	cJSON_Delete(params);
	job_registry_free(reg);
	CHECK_INT(r.released, 1);
}
