/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The direction of each packet of a pcapng file (epb_flags bits 0-1) and the
 * name of its interface (if_name), which libpcap reads but does not hand out: a
 * second, minimal walk over the blocks that yields them per packet block, in
 * libpcap's order.
 */
#ifndef GT_PCAPNG_DIR_H
#define GT_PCAPNG_DIR_H

#include <stdint.h>

struct pcapng_dir;

/* NULL when the file is not pcapng (nothing to add to libpcap then). */
struct pcapng_dir *pcapng_dir_open(const char *path);
/*
 * Direction of the next packet block: enum gt_dir or DX_DIR_UNKNOWN; *iface gets
 * its interface's name, or NULL. The name lives until pcapng_dir_close.
 */
uint8_t pcapng_dir_next(struct pcapng_dir *d, const char **iface);
void pcapng_dir_close(struct pcapng_dir *d);

#endif /* GT_PCAPNG_DIR_H */
