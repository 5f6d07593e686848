/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pcapng writer (draft-ietf-opsawg-pcapng), as Wireshark writes it: a Section
 * Header Block (shb_userappl "GoTracer"), one Interface Description Block per
 * interface (if_name, if_tsresol = 9: nanoseconds, snaplen, link type), Enhanced
 * Packet Blocks (epb_flags carries the direction: inbound 01, outbound 10), and
 * Interface Statistics Blocks when the caller has counters. Writes to a FILE*
 * so the same code fills a file on disk and an HTTP download.
 */
#ifndef GT_PCAPNG_WRITER_H
#define GT_PCAPNG_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pcapng_writer;

/* Counters for an Interface Statistics Block; a zero *_set flag leaves the option out. */
struct pcapng_if_stats {
	uint64_t ts_ns;		/* when the counters were read (the block's timestamp) */
	uint64_t start_ns;	/* isb_starttime */
	uint64_t end_ns;	/* isb_endtime */
	uint64_t ifrecv;	/* isb_ifrecv: packets the interface saw */
	uint64_t ifdrop;	/* isb_ifdrop: dropped by the kernel (ring buffer full) */
	uint64_t osdrop;	/* isb_osdrop: dropped by us (store, queues) */
	bool has_ifrecv, has_ifdrop, has_osdrop;
};

/*
 * Start a section on f (written at once). The writer never closes f.
 * Returns NULL with errno set on failure.
 */
struct pcapng_writer *pcapng_writer_new(FILE *f);
/*
 * Add an interface; returns its interface id (0, 1, ...) or -errno. Every
 * interface is written with the first one's snaplen: libpcap reads no file whose
 * interfaces differ in it (nor in link type).
 */
int pcapng_add_interface(struct pcapng_writer *w, const char *name, int linktype,
			 uint32_t snaplen);
/* dir: enum gt_dir, or DX_DIR_UNKNOWN for no epb_flags. Returns 0 or -errno. */
int pcapng_write_packet(struct pcapng_writer *w, int if_id, uint64_t ts_ns,
			const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint8_t dir);
int pcapng_write_stats(struct pcapng_writer *w, int if_id, const struct pcapng_if_stats *s);
int pcapng_n_interfaces(const struct pcapng_writer *w);
/* Flush and free (f stays open). Returns 0, or -errno if any write failed. */
int pcapng_writer_free(struct pcapng_writer *w);

#endif /* GT_PCAPNG_WRITER_H */
