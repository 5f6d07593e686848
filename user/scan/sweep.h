/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A host sweep: one request per target over one socket, paced, retried on
 * silence with RTT-adaptive timeouts, answers read as they come. The ARP and
 * ICMP echo scans are each a send and a receive function on top of it.
 */
#ifndef GT_SCAN_SWEEP_H
#define GT_SCAN_SWEEP_H

#include "internal.h"

struct sweep_target {
	uint64_t sent_us;
	uint64_t deadline_us;	/* 0 when no request is waiting */
	uint8_t tries;
	uint8_t done;		/* answered, or given up */
};

struct sweep {
	struct scan_opts *o;
	const char *name;	/* "ping scan": for messages */
	int fd;			/* polled for answers */
	struct sweep_target *t;	/* one per o->targets entry */
	size_t next, done;
	size_t *retry;		/* FIFO of targets to ask again */
	size_t retry_head, retry_tail;
	struct rtt_est rtt;
	struct pacer pacer;
	/* sends the request to target i; a negative errno stops the sweep */
	int (*send)(struct sweep *sw, size_t i);
	/* reads every pending answer, calling sweep_answered() for each */
	void (*receive)(struct sweep *sw);
	/* target i stayed silent through every retry (may be NULL) */
	void (*gave_up)(struct sweep *sw, size_t i);
	void *ctx;
};

int sweep_init(struct sweep *sw, struct scan_opts *o, const char *name, int fd);
void sweep_free(struct sweep *sw);
int sweep_run(struct sweep *sw);
/* target i answered: true the first time (with the round trip), false for a duplicate */
bool sweep_answered(struct sweep *sw, size_t i, uint64_t *rtt_us);
/* target i needs no request (our own address) */
void sweep_skip(struct sweep *sw, size_t i);

#endif /* GT_SCAN_SWEEP_H */
