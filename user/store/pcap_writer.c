// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Classic pcap savefile writer, nanosecond variant (see pcap_writer.h). */
#include <errno.h>
#include <stdlib.h>

#include "pcap_writer.h"
#include "out_stream.h"

#define PCAP_MAGIC_NSEC 0xa1b23c4d

struct pcap_writer {
	struct out_stream out;
	uint32_t snaplen;
};

struct pcap_writer *pcap_writer_new(FILE *f, int linktype, uint32_t snaplen)
{
	struct pcap_writer *w = calloc(1, sizeof(*w));
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} hdr = { PCAP_MAGIC_NSEC, 2, 4, 0, 0, snaplen, (uint32_t)linktype };

	if (!w)
		return NULL;
	w->out.f = f;
	w->snaplen = snaplen;
	out_put(&w->out, &hdr, sizeof(hdr));
	if (w->out.error) {
		errno = w->out.error;
		free(w);
		return NULL;
	}
	return w;
}

int pcap_write_packet(struct pcap_writer *w, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t wirelen)
{
	struct {
		uint32_t sec, nsec, caplen, wirelen;
	} rec;

	/* readers refuse records longer than the header's snaplen */
	if (w->snaplen && caplen > w->snaplen)
		caplen = w->snaplen;
	rec.sec = (uint32_t)(ts_ns / 1000000000u);
	rec.nsec = (uint32_t)(ts_ns % 1000000000u);
	rec.caplen = caplen;
	rec.wirelen = wirelen < caplen ? caplen : wirelen;
	out_put(&w->out, &rec, sizeof(rec));
	out_put(&w->out, data, caplen);
	return w->out.error ? -w->out.error : 0;
}

int pcap_writer_free(struct pcap_writer *w)
{
	int ret;

	if (!w)
		return 0;
	ret = out_finish(&w->out);
	free(w);
	return ret;
}
