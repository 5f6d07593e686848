/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Writes to a FILE* that remember the first error, so a writer checks once at
 * the end instead of after every block. Shared by the pcap and pcapng writers.
 */
#ifndef GT_OUT_STREAM_H
#define GT_OUT_STREAM_H

#include <errno.h>
#include <stdio.h>

struct out_stream {
	FILE *f;
	int error;	/* first errno seen; later writes are skipped */
};

static inline void out_put(struct out_stream *o, const void *buf, size_t len)
{
	if (o->error || !len)
		return;
	if (fwrite(buf, 1, len, o->f) != len)
		o->error = errno ? errno : EIO;
}

/* Flush; returns 0 or -errno of the first failure. The FILE stays open. */
static inline int out_finish(struct out_stream *o)
{
	if (!o->error && fflush(o->f))
		o->error = errno ? errno : EIO;
	return o->error ? -o->error : 0;
}

#endif /* GT_OUT_STREAM_H */
