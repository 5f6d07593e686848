// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The live server's cheap path (dx_packet.summary_only: no tree text) must give
 * the columns the full dissection gives: every packet of every recorded capture
 * in the tree, dissected both ways in capture order, each way with its own
 * stream store so TCP reassembly is exercised too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "file/reader.h"
#include "lib/runner.h"

static int compare_file(const char *path, uint64_t *packets)
{
	struct dx_packet *full = calloc(1, sizeof(*full)), *cheap = calloc(1, sizeof(*cheap));
	struct dx_streams *fs = dx_streams_new(), *cs = dx_streams_new();
	struct file_reader *r = NULL;
	struct file_packet fp;
	char err[256];
	int bad = 0;

	if (!full || !cheap || !fs || !cs || file_reader_open(&r, path, err, sizeof(err)) < 0) {
		test_fail(__FILE__, __LINE__, "cannot set up %s", path);
		bad = 1;
		goto out;
	}
	cheap->summary_only = true;
	while (file_reader_next(r, &fp) == 1) {
		uint32_t mask = ~(uint32_t)DX_F_TREE_FULL;

		dx_set_capture(full, fp.dir, fp.ts_ns, fs);
		dx_init(full, fp.data, fp.caplen, fp.wirelen, fp.linktype);
		dx_dissect(full);
		dx_set_capture(cheap, fp.dir, fp.ts_ns, cs);
		dx_init(cheap, fp.data, fp.caplen, fp.wirelen, fp.linktype);
		dx_dissect(cheap);
		++*packets;
		if (full->flags & DX_F_TREE_FULL)
			continue;	/* the one documented difference */
		if (strcmp(full->protocol ? full->protocol : "", cheap->protocol ? cheap->protocol : "") ||
		    strcmp(full->info, cheap->info) || strcmp(full->src, cheap->src) ||
		    strcmp(full->dst, cheap->dst) || full->sport != cheap->sport ||
		    full->dport != cheap->dport || full->l4proto != cheap->l4proto ||
		    (full->flags & mask) != (cheap->flags & mask) || full->n_nodes != cheap->n_nodes) {
			test_fail(__FILE__, __LINE__, "%s packet %llu: full '%s' '%s' vs summary '%s' '%s'",
				  path, (unsigned long long)*packets, full->protocol, full->info,
				  cheap->protocol, cheap->info);
			bad = 1;
			break;
		}
		if (!cheap->summary_only || cheap->text_used) {
			test_fail(__FILE__, __LINE__, "summary_only not kept, or text written");
			bad = 1;
			break;
		}
	}
out:
	file_reader_close(r);
	dx_streams_free(fs);
	dx_streams_free(cs);
	free(full);
	free(cheap);
	return bad;
}

TEST(summary_only_columns_equal_full_dissection)
{
	static const char *const dirs[] = { "tests/fixtures/dis", "tests/fixtures/app",
					    "tests/golden/captures" };
	uint64_t packets = 0;
	int files = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char dir[512], path[1024];
		struct dirent *d;
		DIR *dp;

		snprintf(dir, sizeof(dir), "%s/%s", test_source_root(), dirs[i]);
		dp = opendir(dir);
		if (!dp)
			continue;
		while ((d = readdir(dp))) {
			if (!strstr(d->d_name, ".pcap"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			files++;
			if (compare_file(path, &packets)) {
				closedir(dp);
				return;
			}
		}
		closedir(dp);
	}
	CHECK(files >= 10);
	CHECK(packets >= 500);
}
