// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pcapng and classic pcap writers, checked byte by byte block by block, and
 * read back through the file reader (libpcap) with timestamps, lengths and the
 * epb_flags direction; a truncated file reads up to the damage, then errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/runner.h"
#include "dissect/dissect.h"
#include "gotracer.h"
#include "file/reader.h"
#include "store/pcap_writer.h"
#include "store/pcapng_writer.h"

static const uint8_t frame[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45 };

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Writes a section with two interfaces, three packets and one ISB to f. */
static void write_sample(FILE *f)
{
	struct pcapng_writer *w = pcapng_writer_new(f);
	struct pcapng_if_stats st = {
		.ts_ns = 1700000002000000000ull, .start_ns = 1700000000000000000ull,
		.end_ns = 1700000002000000000ull, .ifrecv = 10, .ifdrop = 2, .osdrop = 1,
		.has_ifrecv = true, .has_ifdrop = true, .has_osdrop = true,
	};

	pcapng_add_interface(w, "gt0", DX_LINK_ETHERNET, 2048);
	pcapng_add_interface(w, "veth-long-name", DX_LINK_ETHERNET, 65535);
	pcapng_write_packet(w, 0, 1700000000123456789ull, frame, sizeof(frame), 60, GT_DIR_IN);
	pcapng_write_packet(w, 1, 1700000001000000001ull, frame, 14, 14, GT_DIR_OUT);
	pcapng_write_packet(w, 0, 1700000001500000000ull, frame, 12, 1500, DX_DIR_UNKNOWN);
	pcapng_write_stats(w, 0, &st);
	CHECK_INT(pcapng_writer_free(w), 0);
}

TEST(pcapng_writer_blocks_byte_by_byte)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const uint8_t *b;
	uint32_t at = 0, blen;

	write_sample(f);
	fclose(f);
	b = (const uint8_t *)buf;

	/* SHB: magic, BOM, version 1.0, section length -1, shb_userappl "GoTracer" */
	CHECK_INT(rd32(b), 0x0A0D0D0A);
	blen = rd32(b + 4);
	CHECK_INT(blen, 12 + 16 + 4 + 8 + 4);
	CHECK_INT(rd32(b + 8), 0x1A2B3C4D);
	CHECK_INT(rd16(b + 12), 1);
	CHECK_INT(rd16(b + 14), 0);
	CHECK_INT((int64_t)rd64(b + 16), -1);
	CHECK_INT(rd16(b + 24), 4);
	CHECK_INT(rd16(b + 26), 8);
	CHECK(!memcmp(b + 28, "GoTracer", 8));
	CHECK_INT(rd32(b + 36), 0); /* opt_endofopt */
	CHECK_INT(rd32(b + blen - 4), blen);
	at = blen;

	/* IDB 0: link type 1, snaplen 2048, if_name "gt0" (padded), if_tsresol 9 */
	CHECK_INT(rd32(b + at), 1);
	blen = rd32(b + at + 4);
	CHECK_INT(blen, 12 + 8 + 8 + 8 + 4);
	CHECK_INT(rd16(b + at + 8), 1);
	CHECK_INT(rd32(b + at + 12), 2048);
	CHECK_INT(rd16(b + at + 16), 2);
	CHECK_INT(rd16(b + at + 18), 3);
	CHECK(!memcmp(b + at + 20, "gt0\0", 4));
	CHECK_INT(rd16(b + at + 24), 9);
	CHECK_INT(rd16(b + at + 26), 1);
	CHECK_INT(b[at + 28], 9);
	CHECK_INT(b[at + 29] | b[at + 30] | b[at + 31], 0);
	CHECK_INT(rd32(b + at + 32), 0);
	CHECK_INT(rd32(b + at + blen - 4), blen);
	at += blen;

	/* IDB 1: a 14-byte name padded to 16, the first interface's snaplen */
	CHECK_INT(rd32(b + at), 1);
	blen = rd32(b + at + 4);
	CHECK_INT(blen, 12 + 8 + 20 + 8 + 4);
	CHECK_INT(rd32(b + at + 12), 2048);
	CHECK(!memcmp(b + at + 20, "veth-long-name\0\0", 16));
	at += blen;

	/* EPB: interface 0, ts high/low in ns, caplen 15 padded to 16, epb_flags inbound */
	CHECK_INT(rd32(b + at), 6);
	blen = rd32(b + at + 4);
	CHECK_INT(blen, 12 + 20 + 16 + 8 + 4);
	CHECK_INT(rd32(b + at + 8), 0);
	CHECK_INT((uint64_t)rd32(b + at + 12) << 32 | rd32(b + at + 16), 1700000000123456789ull);
	CHECK_INT(rd32(b + at + 20), 15);
	CHECK_INT(rd32(b + at + 24), 60);
	CHECK(!memcmp(b + at + 28, frame, 15));
	CHECK_INT(b[at + 43], 0);
	CHECK_INT(rd16(b + at + 44), 2);
	CHECK_INT(rd16(b + at + 46), 4);
	CHECK_INT(rd32(b + at + 48), 1);
	CHECK_INT(rd32(b + at + 52), 0);
	CHECK_INT(rd32(b + at + blen - 4), blen);
	at += blen;

	/* EPB: interface 1, outbound (binary 10) */
	CHECK_INT(rd32(b + at), 6);
	blen = rd32(b + at + 4);
	CHECK_INT(rd32(b + at + 8), 1);
	CHECK_INT(rd32(b + at + 28 + 16 + 4), 2);
	at += blen;

	/* EPB: unknown direction: no options at all */
	CHECK_INT(rd32(b + at), 6);
	blen = rd32(b + at + 4);
	CHECK_INT(blen, 12 + 20 + 12);
	CHECK_INT(rd32(b + at + 24), 1500);
	at += blen;

	/* ISB: starttime, endtime, ifrecv, ifdrop, osdrop */
	CHECK_INT(rd32(b + at), 5);
	blen = rd32(b + at + 4);
	CHECK_INT(blen, 12 + 12 + 3 * 12 + 2 * 12 + 4 + 4 - 4 + 4 - 4);
	CHECK_INT(rd16(b + at + 20), 2);
	CHECK_INT((uint64_t)rd32(b + at + 24) << 32 | rd32(b + at + 28), 1700000000000000000ull);
	CHECK_INT(rd16(b + at + 32), 3);
	CHECK_INT(rd16(b + at + 44), 4);
	CHECK_INT(rd64(b + at + 48), 10);
	CHECK_INT(rd16(b + at + 56), 5);
	CHECK_INT(rd64(b + at + 60), 2);
	CHECK_INT(rd16(b + at + 68), 7);
	CHECK_INT(rd64(b + at + 72), 1);
	CHECK_INT(rd32(b + at + 80), 0);
	CHECK_INT(rd32(b + at + blen - 4), blen);
	at += blen;
	CHECK_INT(at, len);
	free(buf);
}

/* A temporary file path; the caller unlinks it. */
static FILE *temp_file(char *path, size_t len)
{
	snprintf(path, len, "/tmp/gt-pcapng-test-XXXXXX");
	int fd = mkstemp(path);

	return fd < 0 ? NULL : fdopen(fd, "w+");
}

TEST(pcapng_writer_reads_back_through_libpcap)
{
	char path[64], err[256];
	FILE *f = temp_file(path, sizeof(path));
	struct file_reader *r;
	struct file_packet pkt;

	CHECK(f);
	write_sample(f);
	fclose(f);
	CHECK_INT(file_reader_open(&r, path, err, sizeof(err)), 0);
	CHECK_INT(file_reader_linktype(r), DX_LINK_ETHERNET);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.ts_ns, 1700000000123456789ull);
	CHECK_INT(pkt.caplen, 15);
	CHECK_INT(pkt.wirelen, 60);
	CHECK_INT(pkt.dir, GT_DIR_IN);
	CHECK_STR(pkt.iface, "gt0");
	CHECK(!memcmp(pkt.data, frame, 15));
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.ts_ns, 1700000001000000001ull);
	CHECK_INT(pkt.dir, GT_DIR_OUT);
	CHECK_STR(pkt.iface, "veth-long-name");
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.wirelen, 1500);
	CHECK_INT(pkt.dir, DX_DIR_UNKNOWN);
	CHECK_INT(file_reader_next(r, &pkt), 0);
	file_reader_close(r);
	unlink(path);
}

TEST(pcap_writer_reads_back_through_libpcap)
{
	char path[64], err[256];
	FILE *f = temp_file(path, sizeof(path));
	struct pcap_writer *w;
	struct file_reader *r;
	struct file_packet pkt;

	CHECK(f);
	w = pcap_writer_new(f, DX_LINK_ETHERNET, 12);
	CHECK(w);
	CHECK_INT(pcap_write_packet(w, 1700000000123456789ull, frame, sizeof(frame), 60), 0);
	CHECK_INT(pcap_writer_free(w), 0);
	fclose(f);
	CHECK_INT(file_reader_open(&r, path, err, sizeof(err)), 0);
	CHECK_INT(file_reader_snaplen(r), 12);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.ts_ns, 1700000000123456789ull);
	CHECK_INT(pkt.caplen, 12); /* cut at the header's snaplen */
	CHECK_INT(pkt.wirelen, 60);
	CHECK_INT(pkt.dir, DX_DIR_UNKNOWN);
	CHECK_INT(file_reader_next(r, &pkt), 0);
	file_reader_close(r);
	unlink(path);
}

TEST(file_reader_truncated_file)
{
	char path[64], err[256];
	FILE *f = temp_file(path, sizeof(path));
	struct file_reader *r;
	struct file_packet pkt;
	long size;

	CHECK(f);
	write_sample(f);
	/* cut inside the third packet block */
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	CHECK(ftruncate(fileno(f), size - 84 - 30) == 0);
	fclose(f);
	CHECK_INT(file_reader_open(&r, path, err, sizeof(err)), 0);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(file_reader_next(r, &pkt), -1);
	CHECK(strstr(file_reader_error(r), "damaged after packet 2"));
	CHECK(strstr(file_reader_error(r), "truncated"));
	file_reader_close(r);
	unlink(path);
}

TEST(file_reader_unreadable_files)
{
	char path[64], err[256] = "";
	FILE *f = temp_file(path, sizeof(path));
	struct file_reader *r;

	CHECK(file_reader_open(&r, "/nonexistent/x.pcapng", err, sizeof(err)) < 0);
	CHECK(strstr(err, "/nonexistent/x.pcapng") && strstr(err, "No such file"));
	CHECK(f);
	fputs("this is not a capture file at all\n", f);
	fclose(f);
	CHECK(file_reader_open(&r, path, err, sizeof(err)) < 0);
	CHECK(strstr(err, "unknown file format"));
	unlink(path);
}

/* A section written big-endian (another machine's file): the swap paths of the walk. */
TEST(file_reader_big_endian_pcapng)
{
	static const uint8_t be[] = {
		/* SHB: type, length 28, BOM, 1.0, section length -1, length */
		0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28,
		/* IDB: Ethernet, snaplen 256, if_name "eth9", if_tsresol 9, end */
		0, 0, 0, 1, 0, 0, 0, 40, 0, 1, 0, 0, 0, 0, 1, 0,
		0, 2, 0, 4, 'e', 't', 'h', '9', 0, 9, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 40,
		/* EPB: interface 0, ts 0x1:0x2, caplen 15, len 60, frame, epb_flags outbound */
		0, 0, 0, 6, 0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 15,
		0, 0, 0, 60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45, 0,
		0, 2, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 60,
	};
	char path[64], err[256];
	FILE *f = temp_file(path, sizeof(path));
	struct file_reader *r;
	struct file_packet pkt;

	CHECK(f);
	CHECK_INT(fwrite(be, 1, sizeof(be), f), sizeof(be));
	fclose(f);
	CHECK_INT(file_reader_open(&r, path, err, sizeof(err)), 0);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.caplen, 15);
	CHECK_INT(pkt.wirelen, 60);
	CHECK_INT(pkt.ts_ns, (1ull << 32) + 2);
	CHECK_INT(pkt.dir, GT_DIR_OUT);
	CHECK_STR(pkt.iface, "eth9");
	CHECK_INT(file_reader_next(r, &pkt), 0);
	file_reader_close(r);
	unlink(path);
}
