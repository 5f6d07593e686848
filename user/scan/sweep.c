// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The host sweep shared by the ARP and ping scans (see sweep.h). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "../util/log.h"

int sweep_init(struct sweep *sw, struct scan_opts *o, const char *name, int fd)
{
	sw->o = o;
	sw->name = name;
	sw->fd = fd;
	sw->t = calloc(o->targets.n ? o->targets.n : 1, sizeof(*sw->t));
	sw->retry = calloc(o->targets.n ? o->targets.n : 1, sizeof(*sw->retry));
	if (!sw->t || !sw->retry) {
		sweep_free(sw);
		return -ENOMEM;
	}
	rtt_init(&sw->rtt, o->timeout_ms);
	pacer_init(&sw->pacer, o->rate);
	return 0;
}

void sweep_free(struct sweep *sw)
{
	free(sw->t);
	free(sw->retry);
	sw->t = NULL;
	sw->retry = NULL;
}

static void finish(struct sweep *sw, size_t i)
{
	sw->t[i].done = 1;
	sw->t[i].deadline_us = 0;
	sw->done++;
}

bool sweep_answered(struct sweep *sw, size_t i, uint64_t *rtt_us)
{
	struct sweep_target *t = &sw->t[i];

	/* an answer to a target never asked is not an answer */
	if (t->done || !t->tries)
		return false;
	*rtt_us = scan_now_us() - t->sent_us;
	rtt_sample(&sw->rtt, *rtt_us);
	finish(sw, i);
	return true;
}

void sweep_skip(struct sweep *sw, size_t i)
{
	if (!sw->t[i].done)
		finish(sw, i);
}

static void expire(struct sweep *sw, uint64_t now, uint64_t *next_deadline)
{
	/* only targets asked at least once can expire; they are all below next */
	for (size_t i = 0; i < sw->next; i++) {
		struct sweep_target *t = &sw->t[i];

		if (t->done || !t->deadline_us)
			continue;
		if (t->deadline_us > now) {
			if (t->deadline_us < *next_deadline)
				*next_deadline = t->deadline_us;
			continue;
		}
		t->deadline_us = 0;
		if (t->tries <= sw->o->retries) {
			sw->retry[sw->retry_tail++ % sw->o->targets.n] = i;
		} else {
			finish(sw, i);
			if (sw->gave_up)
				sw->gave_up(sw, i);
		}
	}
}

/* sends what the pacer allows now; how long until it allows more in *wait_us */
static int send_due(struct sweep *sw, uint64_t now, uint64_t *wait_us)
{
	size_t total = sw->o->targets.n;

	for (;;) {
		bool have_retry = sw->retry_head != sw->retry_tail;
		size_t i;
		int err;

		if (!have_retry && sw->next >= total)
			return 0;
		if (!pacer_take(&sw->pacer, now, wait_us))
			return 0;
		i = have_retry ? sw->retry[sw->retry_head++ % total] : sw->next++;
		if (sw->t[i].done)
			continue;
		sw->t[i].tries++;
		sw->t[i].sent_us = now;
		sw->t[i].deadline_us = now + rtt_timeout_us(&sw->rtt);
		err = sw->send(sw, i);
		if (err) {
			pr_warn("%s: cannot send: %s\n", sw->name, strerror(-err));
			return err;
		}
	}
}

int sweep_run(struct sweep *sw)
{
	size_t total = sw->o->targets.n;
	struct pollfd pfd = { .fd = sw->fd, .events = POLLIN };
	uint64_t last_progress = 0;

	while (sw->done < total && !scan_cancelled(sw->o)) {
		uint64_t now = scan_now_us(), wait_us = 0, next_deadline = UINT64_MAX;
		int timeout_ms, err;

		err = send_due(sw, now, &wait_us);
		if (err)
			return err;
		expire(sw, now, &next_deadline);
		if (next_deadline != UINT64_MAX && (!wait_us || next_deadline - now < wait_us))
			wait_us = next_deadline - now;
		timeout_ms = (int)((wait_us + 999) / 1000);
		if (timeout_ms > 200)
			timeout_ms = 200;
		if (poll(&pfd, 1, timeout_ms) > 0)
			sw->receive(sw);
		scan_progress(sw->o, &last_progress, sw->done, total, false);
	}
	scan_progress(sw->o, &last_progress, sw->done, total, true);
	return 0;
}
