/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Capture files: pcap and pcapng read through libpcap. One reader, one file; the
 * packets come out in file order with nanosecond timestamps and the file's link
 * type mapped to DX_LINK_*, ready for dx_dissect.
 */
#ifndef GT_FILE_READER_H
#define GT_FILE_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct file_reader;

struct file_packet {
	const uint8_t *data;	/* valid until the next file_reader_next */
	uint32_t caplen;
	uint32_t wirelen;
	uint64_t ts_ns;		/* CLOCK_REALTIME, ns */
	int linktype;		/* DX_LINK_* */
	uint8_t dir;		/* enum gt_dir when the file says, else DX_DIR_UNKNOWN */
	const char *iface;	/* pcapng if_name, or NULL; valid until file_reader_close */
};

/* Open a file; on failure returns -errno with one line in err ("cannot open ...") */
int file_reader_open(struct file_reader **out, const char *path, char *err, size_t errlen);
/* Same, from a stream (a pipe, a memfd); the reader takes ownership of f. */
int file_reader_fopen(struct file_reader **out, FILE *f, const char *name, char *err,
		      size_t errlen);
void file_reader_close(struct file_reader *r);

/*
 * The next packet: 1 and pkt filled, 0 at a clean end of file, -1 when the file
 * is damaged or truncated (file_reader_error says what and where).
 */
int file_reader_next(struct file_reader *r, struct file_packet *pkt);
const char *file_reader_error(const struct file_reader *r);

int file_reader_linktype(const struct file_reader *r);	/* DX_LINK_* */
uint32_t file_reader_snaplen(const struct file_reader *r);

#endif /* GT_FILE_READER_H */
