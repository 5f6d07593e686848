// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the capture-file reader: the input is a whole pcap or
 * pcapng file, written to a memfd and read by path (libpcap, then our pcapng
 * direction walk), every packet dissected with stream reassembly as `read` does.
 * Also checks a filter on each packet, as `read FILTER` would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "file/reader.h"
#include "filter/filter.h"

/* libpcap allocates a buffer of the file's snaplen: keep records small */
#define MAX_PACKETS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dx_packet *p;
	struct file_reader *r;
	struct file_packet pkt;
	struct dx_streams *streams;
	struct gt_filter *filter = NULL;
	char path[64], err[512];
	int fd, n = 0;

	if (size > 1 << 20)
		return 0;
	if (!p)
		p = calloc(1, sizeof(*p));
	fd = memfd_create("gt-fuzz-reader", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (file_reader_open(&r, path, err, sizeof(err)) == 0) {
		streams = dx_streams_new();
		filter_compile(&filter, "tcp port 80 or outbound", file_reader_linktype(r), err,
			       sizeof(err));
		while (n++ < MAX_PACKETS && file_reader_next(r, &pkt) == 1) {
			p->streams = streams;
			p->dir = pkt.dir;
			dx_init(p, pkt.data, pkt.caplen, pkt.wirelen, pkt.linktype);
			dx_dissect(p);
			if (filter)
				filter_match(filter, pkt.data, pkt.caplen, pkt.wirelen, pkt.dir);
		}
		filter_free(filter);
		dx_streams_free(streams);
		file_reader_close(r);
	}
	close(fd);
	return 0;
}
