// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* capture -w's file: the format follows the name; classic pcap holds one link type. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/runner.h"
#include "dissect/dissect.h"
#include "file/reader.h"
#include "gotracer.h"
#include "store/capture_file.h"

static const uint8_t frame[60] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06 };

static uint32_t first_word(const char *path)
{
	uint32_t w = 0;
	FILE *f = fopen(path, "rb");

	if (f) {
		if (fread(&w, 4, 1, f) != 1)
			w = 0;
		fclose(f);
	}
	return w;
}

static void write_two(const char *path, int second_linktype, int *second_id)
{
	struct capture_file *cf;
	char err[256];

	CHECK_INT(capture_file_open(&cf, path, err, sizeof(err)), 0);
	CHECK_INT(capture_file_add_interface(cf, "gt0", DX_LINK_ETHERNET, 256), 0);
	*second_id = capture_file_add_interface(cf, "gt1", second_linktype, 256);
	CHECK_INT(capture_file_write(cf, 0, 1000000000123ull, frame, sizeof(frame), 60, GT_DIR_OUT), 0);
	CHECK_INT(capture_file_close(cf, err, sizeof(err)), 0);
}

TEST(capture_file_format_follows_the_name)
{
	char path[] = "/tmp/gt-cf-XXXXXX";
	char ng[64], classic[64];
	struct file_reader *r;
	struct file_packet pkt;
	char err[256];
	int id;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	snprintf(ng, sizeof(ng), "%s.pcapng", path);
	snprintf(classic, sizeof(classic), "%s.PCAP", path);

	write_two(ng, DX_LINK_ETHERNET, &id);
	CHECK_INT(id, 1);
	CHECK_INT(first_word(ng), 0x0A0D0D0A);
	CHECK_INT(file_reader_open(&r, ng, err, sizeof(err)), 0);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.dir, GT_DIR_OUT);
	CHECK_INT(pkt.ts_ns, 1000000000123ull);
	file_reader_close(r);

	/* classic: nanosecond magic, one link type: a second one is refused */
	write_two(classic, DX_LINK_SLL2, &id);
	CHECK(id < 0);
	CHECK_INT(first_word(classic), 0xa1b23c4d);
	CHECK_INT(file_reader_open(&r, classic, err, sizeof(err)), 0);
	CHECK_INT(file_reader_next(r, &pkt), 1);
	CHECK_INT(pkt.dir, DX_DIR_UNKNOWN);
	CHECK_INT(pkt.ts_ns, 1000000000123ull);
	CHECK_INT(file_reader_next(r, &pkt), 0);
	file_reader_close(r);
	unlink(ng);
	unlink(classic);
}

TEST(capture_file_unwritable)
{
	struct capture_file *cf = (struct capture_file *)1;
	char err[256] = "";

	CHECK(capture_file_open(&cf, "/nonexistent/dir/x.pcapng", err, sizeof(err)) < 0);
	CHECK(cf == NULL);
	CHECK_STR(err, "cannot write /nonexistent/dir/x.pcapng: No such file or directory");
}

TEST(capture_file_full_disk_is_reported)
{
	struct capture_file *cf;
	char err[256] = "";

	if (access("/dev/full", W_OK))
		SKIP("no /dev/full");
	CHECK_INT(capture_file_open(&cf, "/dev/full", err, sizeof(err)), 0);
	CHECK_INT(capture_file_add_interface(cf, "gt0", DX_LINK_ETHERNET, 256), 0);
	for (int i = 0; i < 200; i++)
		capture_file_write(cf, 0, 1, frame, sizeof(frame), 60, GT_DIR_IN);
	CHECK(capture_file_close(cf, err, sizeof(err)) < 0);
	CHECK_STR(err, "cannot write /dev/full: No space left on device");
}
