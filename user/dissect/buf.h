/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A bounds-checked view over the bytes an application dissector reads: either a
 * range of the frame, or a message rebuilt from several TCP segments (stream.h),
 * of which only a part lies in this frame.
 *
 * Reads past the view return 0 and mark the packet truncated, as the frame
 * accessors of dissect.h do. Tree nodes are added with view indexes; their byte
 * range is mapped into the frame: the part of [i, i + n) that lies in this frame,
 * or, when none of it does, length 0 at the start of this frame's bytes (the
 * browser then highlights nothing rather than the wrong bytes).
 */
#ifndef GT_DISSECT_BUF_H
#define GT_DISSECT_BUF_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

struct dx_buf {
	struct dx_packet *p;
	const uint8_t *data;
	uint32_t len;		/* readable bytes */
	uint32_t frame_at;	/* index of the first byte that is in this frame */
	uint32_t frame_n;	/* how many bytes from frame_at are in this frame */
	uint32_t frame_off;	/* frame offset of data[frame_at] */
	bool stored;		/* made by the stream store: an incomplete end can wait */
	bool clipped;		/* fewer bytes were captured than the range holds */
};

/* A view of the frame range [off, off + len), clipped to the captured bytes. */
void dx_buf_frame(struct dx_buf *b, struct dx_packet *p, uint32_t off, uint32_t len);
/* A sub-view [i, i + n) of b, clipped to b (same frame mapping). */
void dx_buf_sub(struct dx_buf *sub, const struct dx_buf *b, uint32_t i, uint32_t n);

bool dx_buf_has(const struct dx_buf *b, uint32_t i, uint32_t n);
uint8_t dx_buf_u8(const struct dx_buf *b, uint32_t i);
uint16_t dx_buf_be16(const struct dx_buf *b, uint32_t i);
uint32_t dx_buf_be24(const struct dx_buf *b, uint32_t i);
uint32_t dx_buf_be32(const struct dx_buf *b, uint32_t i);
/* Pointer to n readable bytes at i, or NULL (and truncated). */
const uint8_t *dx_buf_ptr(const struct dx_buf *b, uint32_t i, uint32_t n);

/* The frame range of the view range [i, i + n) (see the header comment). */
void dx_buf_range(const struct dx_buf *b, uint32_t i, uint32_t n, uint32_t *off,
		  uint32_t *len);

/* Tree nodes at view indexes; values longer than DX_BUF_VALUE_MAX are cut. */
#define DX_BUF_VALUE_MAX 8192
int dx_buf_proto(const struct dx_buf *b, const char *name, uint32_t i, uint32_t n,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int dx_buf_field(const struct dx_buf *b, const char *name, uint32_t i, uint32_t n,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int dx_buf_text(const struct dx_buf *b, uint32_t i, uint32_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Up to n bytes at i as lower-case hex (no separators) into out; returns out. */
char *dx_buf_hex(const struct dx_buf *b, uint32_t i, uint32_t n, char *out, size_t size);
/*
 * Up to n bytes at i as text the way tshark prints strings: printable ASCII as
 * is, \r \n \t and \\ escaped, other bytes as \xhh. Returns out.
 */
char *dx_buf_str(const struct dx_buf *b, uint32_t i, uint32_t n, char *out, size_t size);

#endif /* GT_DISSECT_BUF_H */
