/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers for the application-layer dissector tests: load a capture recorded by
 * tests/fixtures/app/record.sh, dissect every frame in order (with or without a
 * stream store), and read a field's values the way tshark -T fields prints them
 * (all occurrences joined by ",").
 */
#ifndef GT_TEST_DISSECT_APP_H
#define GT_TEST_DISSECT_APP_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/stream.h"
#include "file/reader.h"
#include "lib/runner.h"

#define APP_MAX_FRAMES 256

struct app_frame {
	uint8_t *data;
	uint32_t caplen, wirelen;
	int linktype;
};

struct app_capture {
	int n;
	struct app_frame frames[APP_MAX_FRAMES];
	struct dx_packet *pkts[APP_MAX_FRAMES];	/* pkts[i] is frame i + 1 */
	struct dx_streams *streams;
};

/* The captures: tests/fixtures/app, or $GT_APP_FIXTURES (a fresh recording). */
static inline void app_path(char *out, size_t n, const char *name)
{
	const char *dir = getenv("GT_APP_FIXTURES");

	if (dir && *dir)
		snprintf(out, n, "%s/%s", dir, name);
	else
		snprintf(out, n, "%s/tests/fixtures/app/%s", test_source_root(), name);
}

/* Reads the frames of tests/fixtures/app/NAME; 0 on success. */
static inline int app_read(struct app_capture *cap, const char *name)
{
	char path[PATH_MAX], err[256];
	struct file_reader *r;
	struct file_packet fp;

	memset(cap, 0, sizeof(*cap));
	app_path(path, sizeof(path), name);
	if (file_reader_open(&r, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	while (cap->n < APP_MAX_FRAMES && file_reader_next(r, &fp) == 1) {
		struct app_frame *f = &cap->frames[cap->n++];

		f->data = malloc(fp.caplen ? fp.caplen : 1);
		memcpy(f->data, fp.data, fp.caplen);
		f->caplen = fp.caplen;
		f->wirelen = fp.wirelen;
		f->linktype = fp.linktype;
	}
	file_reader_close(r);
	return 0;
}

/* Dissects every frame in order; with_streams: through one stream store. */
static inline void app_dissect(struct app_capture *cap, bool with_streams)
{
	cap->streams = with_streams ? dx_streams_new() : NULL;
	for (int i = 0; i < cap->n; i++) {
		struct app_frame *f = &cap->frames[i];
		struct dx_packet *p = calloc(1, sizeof(*p));

		p->streams = cap->streams;
		p->dir = DX_DIR_UNKNOWN;
		dx_init(p, f->data, f->caplen, f->wirelen, f->linktype);
		dx_dissect(p);
		cap->pkts[i] = p;
	}
}

static inline int app_load(struct app_capture *cap, const char *name, bool with_streams)
{
	if (app_read(cap, name))
		return -1;
	app_dissect(cap, with_streams);
	return 0;
}

static inline void app_free(struct app_capture *cap)
{
	for (int i = 0; i < cap->n; i++) {
		free(cap->frames[i].data);
		free(cap->pkts[i]);
	}
	dx_streams_free(cap->streams);
	memset(cap, 0, sizeof(*cap));
}

/* All values of field NAME in p, joined by "," as tshark -T fields does. */
static inline const char *app_values(const struct dx_packet *p, const char *name,
				     char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (uint32_t i = 0; i < p->n_nodes; i++) {
		const struct dx_node *n = &p->nodes[i];
		int w;

		if (!n->name || strcmp(n->name, name))
			continue;
		w = snprintf(out + o, size - o, "%s%s", o ? "," : "", dx_value(p, n));
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
	return out;
}

/* The values of NAME in frame NO (1-based), in a static buffer. */
static inline const char *app_field(const struct app_capture *cap, int no, const char *name)
{
	static char buf[65536];

	if (no < 1 || no > cap->n)
		return "(no such frame)";
	return app_values(cap->pkts[no - 1], name, buf, sizeof(buf));
}

/* The nth (1-based) frame whose FIELD values are VALUE, or 0: recordings differ. */
static inline int app_frame_with(const struct app_capture *cap, const char *field,
				 const char *value, int nth)
{
	static char buf[65536];

	for (int i = 0; i < cap->n; i++)
		if (!strcmp(app_values(cap->pkts[i], field, buf, sizeof(buf)), value) && --nth == 0)
			return i + 1;
	return 0;
}

/* The nth (1-based) frame whose Info column is INFO, or 0. */
static inline int app_frame_info(const struct app_capture *cap, const char *info, int nth)
{
	for (int i = 0; i < cap->n; i++)
		if (!strcmp(cap->pkts[i]->info, info) && --nth == 0)
			return i + 1;
	return 0;
}

/* Offset of the TCP/UDP payload of an Ethernet/IPv4 frame. */
static inline uint32_t app_payload_off(const struct app_frame *f)
{
	uint32_t ihl = (f->data[14] & 15u) * 4, l4 = 14 + ihl;

	return f->data[14 + 9] == 17 ? l4 + 8 : l4 + (f->data[l4 + 12] >> 4) * 4u;
}

/*
 * A copy of real frame f (Ethernet/IPv4/TCP or UDP) with its payload replaced by
 * len bytes and the TCP sequence number moved by seq_delta; lengths fixed up.
 * Returns the new frame's length (out must hold 2048 bytes).
 */
static inline uint32_t app_craft(uint8_t *out, const struct app_frame *f, const void *payload,
				 uint32_t len, uint32_t seq_delta)
{
	uint32_t hdr = app_payload_off(f), ihl = (f->data[14] & 15u) * 4, n = hdr + len;

	memcpy(out, f->data, hdr);
	memcpy(out + hdr, payload, len);
	out[16] = (uint8_t)((n - 14) >> 8);
	out[17] = (uint8_t)(n - 14);
	if (f->data[14 + 9] == 17) {
		out[14 + ihl + 4] = (uint8_t)((8 + len) >> 8);
		out[14 + ihl + 5] = (uint8_t)(8 + len);
	} else {
		uint8_t *s = out + 14 + ihl + 4;
		uint32_t seq = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
			       (uint32_t)s[2] << 8 | s[3];

		seq += seq_delta;

		s[0] = (uint8_t)(seq >> 24);
		s[1] = (uint8_t)(seq >> 16);
		s[2] = (uint8_t)(seq >> 8);
		s[3] = (uint8_t)seq;
	}
	return n;
}

/* Dissects one frame (with store s, or NULL); caller frees. */
static inline struct dx_packet *app_one(struct dx_streams *s, const uint8_t *data,
					uint32_t caplen, uint32_t wirelen)
{
	struct dx_packet *p = calloc(1, sizeof(*p));

	p->streams = s;
	p->dir = DX_DIR_UNKNOWN;
	dx_init(p, data, caplen, wirelen, DX_LINK_ETHERNET);
	dx_dissect(p);
	return p;
}

#endif /* GT_TEST_DISSECT_APP_H */
