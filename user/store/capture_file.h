/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A capture file on disk for `capture -w FILE`: pcapng (the default, with
 * interfaces, directions and statistics) or classic pcap when the name ends in
 * ".pcap". One small front for both writers so the capture loop stays simple.
 */
#ifndef GT_CAPTURE_FILE_H
#define GT_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "pcapng_writer.h"

struct capture_file;

/* Create or truncate path; on failure -errno and one line in err. */
int capture_file_open(struct capture_file **out, const char *path, char *err, size_t errlen);
/* Returns the interface id to write with, or -errno (pcap: one link type only). */
int capture_file_add_interface(struct capture_file *cf, const char *name, int linktype,
			       uint32_t snaplen);
/* dir: enum gt_dir or DX_DIR_UNKNOWN. Returns 0 or -errno. */
int capture_file_write(struct capture_file *cf, int if_id, uint64_t ts_ns,
		       const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint8_t dir);
/* Interface statistics (pcapng only; ignored for pcap). */
int capture_file_write_stats(struct capture_file *cf, int if_id,
			     const struct pcapng_if_stats *s);
/* Flush and close; returns 0 or -errno (with one line in err) if anything failed. */
int capture_file_close(struct capture_file *cf, char *err, size_t errlen);

#endif /* GT_CAPTURE_FILE_H */
