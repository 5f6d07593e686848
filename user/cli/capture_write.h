/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `capture -w FILE`: the capture file for an engine's interfaces (one pcapng
 * interface each, same order as engine_iface), and at the end one statistics
 * block per interface from the kernel's counters.
 */
#ifndef GT_CAPTURE_WRITE_H
#define GT_CAPTURE_WRITE_H

#include <stdint.h>

#include "capture/engine.h"
#include "store/capture_file.h"

struct capture_write {
	struct capture_file *file;
	int if_ids[ENGINE_MAX_IFACES];	/* by engine_iface index */
	uint64_t start_ns;
	int n_ifaces;
};

/* Open path and describe every interface of e. Prints one line and returns -errno on failure. */
int capture_write_open(struct capture_write *w, const char *path, const struct engine *e,
		       uint32_t snaplen);
/* One packet, from the engine's event (ts already CLOCK_REALTIME). */
void capture_write_packet(struct capture_write *w, const struct engine *e,
			  const struct gt_event *ev, const uint8_t *data, uint64_t ts_ns);
/* Statistics blocks, flush, close. Prints one line and returns -errno if the file is bad. */
int capture_write_close(struct capture_write *w, const struct engine *e);

#endif /* GT_CAPTURE_WRITE_H */
