/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Classic pcap writer (libpcap's savefile format with nanosecond timestamps,
 * magic 0xa1b23c4d): one link type, no interfaces, no direction. For tools that
 * read only the old format. Writes to a FILE*, never closes it.
 */
#ifndef GT_PCAP_WRITER_H
#define GT_PCAP_WRITER_H

#include <stdint.h>
#include <stdio.h>

struct pcap_writer;

/* Writes the file header at once. NULL with errno set on failure. */
struct pcap_writer *pcap_writer_new(FILE *f, int linktype, uint32_t snaplen);
int pcap_write_packet(struct pcap_writer *w, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t wirelen);
/* Flush and free (f stays open). Returns 0, or -errno if any write failed. */
int pcap_writer_free(struct pcap_writer *w);

#endif /* GT_PCAP_WRITER_H */
