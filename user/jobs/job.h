/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The job model for long-running tools driven from the browser (ping now; scan,
 * trace and wifi plug in the same way): start with parameters -> progress ->
 * result rows -> exactly one done or error; cancel at any time. A job kind is a
 * table of callbacks registered in job.c; the host (the server's event loop)
 * delivers the job's messages and runs its file descriptor and timer, so a kind
 * never blocks and never knows about WebSockets.
 */
#ifndef GT_JOB_H
#define GT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct job;
struct job_registry;

struct job_kind {
	const char *name;	/* "ping": the job_start "kind" */
	size_t state_size;	/* bytes of zeroed state at job->state */
	/* Validate params and begin (open sockets, set the first timer). */
	int (*start)(struct job *j, const cJSON *params, char *err, size_t errlen);
	void (*on_readable)(struct job *j);	/* the watched fd is readable */
	void (*on_timer)(struct job *j);	/* the timer set with job_set_timer fired */
	/* Release what start took; called exactly once, however the job ends. */
	void (*stop)(struct job *j);
};

/* What the host gives jobs. ctx is the host's own pointer. */
struct job_host {
	void *ctx;
	/* One message of the job ({"type":"job_...","id":N,...}); the host takes it. */
	void (*emit)(void *ctx, struct job *j, cJSON *msg);
	/* Watch fd for reading (one per job) / stop watching; the job keeps the fd. */
	int (*watch_fd)(void *ctx, struct job *j, int fd);
	void (*unwatch_fd)(void *ctx, struct job *j);
	/* Call on_timer after ms (replacing a pending one) / cancel it. */
	void (*set_timer)(void *ctx, struct job *j, uint32_t ms);
	void (*cancel_timer)(void *ctx, struct job *j);
	/* The host's per-job slot is about to be freed. */
	void (*release)(void *ctx, struct job *j);
};

struct job {
	uint64_t id;			/* 1, 2, ... per registry */
	const struct job_kind *kind;
	struct job_registry *reg;
	void *owner;			/* who started it: only they get its messages */
	void *host_data;		/* the host's slot */
	bool finished;
	struct job *next;
	void *state;			/* kind->state_size bytes */
};

struct job_registry *job_registry_new(const struct job_host *host);
/* Stops every job silently (no messages) and frees them. */
void job_registry_free(struct job_registry *r);

/* The registered kinds' names; returns how many (at most max). */
int job_kind_names(const char **names, int max);

/* Start a job; on success it has already emitted job_started. NULL + reason on error. */
struct job *job_start(struct job_registry *r, const char *kind, const cJSON *params,
		      void *owner, const cJSON *ref, char *err, size_t errlen);
/* Cancel a running job of this owner: it emits job_error "cancelled". -1 when none. */
int job_cancel(struct job_registry *r, uint64_t id, void *owner);
/* The owner went away: stop its jobs without messages. */
void job_cancel_owner(struct job_registry *r, void *owner);
/* Free finished jobs (never from inside a job's callback). */
void job_reap(struct job_registry *r);
/* Dispatch from the host's loop. */
void job_dispatch_readable(struct job *j);
void job_dispatch_timer(struct job *j);

/* For kinds: report. After job_done or job_fail the job is over: return at once. */
void job_row(struct job *j, cJSON *row);
void job_progress(struct job *j, uint64_t done, uint64_t total);
void job_done(struct job *j, cJSON *summary);
void job_fail(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int job_watch_fd(struct job *j, int fd);
void job_set_timer(struct job *j, uint32_t ms);

/*
 * For kinds' start: an integer parameter in [lo, hi], def when absent. On a bad
 * value, -1 and "KIND: 'NAME' must be an integer from LO to HI" in err.
 */
int job_param_uint(const struct job *j, const cJSON *params, const char *name, uint32_t lo,
		   uint32_t hi, uint32_t def, uint32_t *out, char *err, size_t errlen);

#endif /* GT_JOB_H */
