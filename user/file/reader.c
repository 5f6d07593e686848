// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Capture files read through libpcap (pcap and pcapng), with nanosecond
 * timestamps. libpcap tells the link type; the direction comes from the cooked
 * headers (SLL, SLL2) or, for pcapng, from the Enhanced Packet Blocks' epb_flags
 * (see pcapng_dir.c), which libpcap does not hand out; so does the interface name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_packet.h>
#include <pcap/pcap.h>

#include "reader.h"
#include "pcapng_dir.h"
#include "dissect/dissect.h"
#include "gotracer.h"

struct file_reader {
	pcap_t *pcap;
	char *name;
	int linktype;		/* DX_LINK_* */
	uint64_t n_packets;
	struct pcapng_dir *dirs; /* NULL unless pcapng from a seekable file */
	char error[PCAP_ERRBUF_SIZE + 128];
};

/* libpcap's DLT_ values to the link types dx_dissect knows. */
static int map_linktype(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return DX_LINK_RAW;
	default:
		/* the DX_LINK_ values are the DLT_ values; others dissect as data */
		return dlt;
	}
}

static uint8_t cooked_dir(const struct file_reader *r, const uint8_t *data, uint32_t caplen)
{
	unsigned pkttype;

	if (r->linktype == DX_LINK_SLL && caplen >= 2)
		pkttype = (unsigned)data[0] << 8 | data[1];
	else if (r->linktype == DX_LINK_SLL2 && caplen >= 11)
		pkttype = data[10];
	else
		return DX_DIR_UNKNOWN;
	return pkttype == PACKET_OUTGOING ? GT_DIR_OUT : GT_DIR_IN;
}

/* Wrap an open pcap handle; takes it, closing it on failure. */
static int reader_new(struct file_reader **out, pcap_t *pcap, const char *name, char *err,
		      size_t errlen)
{
	struct file_reader *r = calloc(1, sizeof(*r));

	if (!r || !(r->name = strdup(name))) {
		free(r);
		pcap_close(pcap);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->pcap = pcap;
	r->linktype = map_linktype(pcap_datalink(pcap));
	*out = r;
	return 0;
}

int file_reader_open(struct file_reader **out, const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pcap;
	int ret;

	*out = NULL;
	pcap = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!pcap) {
		/* libpcap already names the file in most of its messages */
		if (strstr(perr, path))
			snprintf(err, errlen, "cannot read %s", perr);
		else
			snprintf(err, errlen, "cannot read %s: %s", path, perr);
		return -EINVAL;
	}
	ret = reader_new(out, pcap, path, err, errlen);
	if (!ret)
		(*out)->dirs = pcapng_dir_open(path);
	return ret;
}

int file_reader_fopen(struct file_reader **out, FILE *f, const char *name, char *err,
		      size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pcap;

	*out = NULL;
	pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!pcap) {
		fclose(f);
		snprintf(err, errlen, "cannot read %s: %s", name, perr);
		return -EINVAL;
	}
	return reader_new(out, pcap, name, err, errlen);
}

void file_reader_close(struct file_reader *r)
{
	if (!r)
		return;
	if (r->pcap)
		pcap_close(r->pcap);
	pcapng_dir_close(r->dirs);
	free(r->name);
	free(r);
}

int file_reader_next(struct file_reader *r, struct file_packet *pkt)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int ret = pcap_next_ex(r->pcap, &hdr, &data);

	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		snprintf(r->error, sizeof(r->error), "%s: damaged after packet %llu: %s",
			 r->name, (unsigned long long)r->n_packets, pcap_geterr(r->pcap));
		return -1;
	}
	r->n_packets++;
	pkt->data = data;
	pkt->caplen = hdr->caplen;
	pkt->wirelen = hdr->len < hdr->caplen ? hdr->caplen : hdr->len;
	/* with nanosecond precision, tv_usec holds nanoseconds */
	pkt->ts_ns = (uint64_t)hdr->ts.tv_sec * 1000000000u + (uint64_t)hdr->ts.tv_usec;
	pkt->linktype = r->linktype;
	pkt->dir = cooked_dir(r, data, hdr->caplen);
	pkt->iface = NULL;
	if (r->dirs) {
		uint8_t dir = pcapng_dir_next(r->dirs, &pkt->iface);

		if (pkt->dir == DX_DIR_UNKNOWN)
			pkt->dir = dir;
	}
	return 1;
}

const char *file_reader_error(const struct file_reader *r)
{
	return r->error;
}

int file_reader_linktype(const struct file_reader *r)
{
	return r->linktype;
}

uint32_t file_reader_snaplen(const struct file_reader *r)
{
	return (uint32_t)pcap_snapshot(r->pcap);
}
