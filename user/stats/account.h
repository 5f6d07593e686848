/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Always-on accounting (`capture --account`): the kernel counts, userspace
 * reads the flow map once a second, retires idle flows, keeps an hour of
 * per-interface bandwidth and exports flows over IPFIX. Meant to run for
 * months under systemd:
 *   - SIGHUP re-reads the configuration (interfaces, filter) and re-attaches;
 *   - an interface that goes away and comes back (new ifindex, programs gone)
 *     is attached again at the next check, once a second;
 *   - every change is one plain line on stderr (the journal).
 */
#ifndef GT_ACCOUNT_H
#define GT_ACCOUNT_H

#include <stdint.h>

#include "capture/engine.h"

struct account_opts {
	const char *ipfix;		/* HOST:PORT, or NULL */
	uint64_t idle_timeout_ns;	/* retire flows idle this long (0: never) */
	uint64_t active_timeout_ns;	/* IPFIX: export long flows this often */
	const char *config_path;	/* re-read on SIGHUP; NULL: keep the command line's */
	const char *filter;		/* the command line's pcap filter, or NULL */
};

/*
 * Run until SIGINT/SIGTERM. *e is the engine attached by the caller (it may be
 * replaced on a re-attach: on return *e is the current one, or NULL); eopts
 * are its options (interfaces replaced on reload). Returns 0 or -errno.
 */
int account_run(struct engine **e, struct engine_opts *eopts, const struct account_opts *ao);

/* Parse a configuration file: "interface IF" (repeatable), "filter EXPR",
 * '#' comments. Interface names are copied into names[][16]. 0 or -errno
 * with one line printed. */
int account_read_config(const char *path, char names[][16], int max, int *n, char *filter,
			size_t filter_len);

#endif /* GT_ACCOUNT_H */
