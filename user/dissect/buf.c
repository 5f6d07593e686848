// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Bounds-checked views for the application dissectors (see buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

void dx_buf_frame(struct dx_buf *b, struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint32_t have = off <= p->caplen ? p->caplen - off : 0;

	if (off > p->caplen)
		off = p->caplen;
	b->clipped = len > have;
	if (len > have) {
		len = have;
		p->flags |= DX_F_TRUNCATED;
	}
	b->p = p;
	b->data = p->data + off;
	b->len = len;
	b->frame_at = 0;
	b->frame_n = len;
	b->frame_off = off;
	b->stored = false;
}

void dx_buf_sub(struct dx_buf *sub, const struct dx_buf *b, uint32_t i, uint32_t n)
{
	struct dx_buf s = *b;

	if (i > b->len)
		i = b->len;
	if (n > b->len - i)
		n = b->len - i;
	s.data = b->data + i;
	s.len = n;
	/* the frame part moves with the start; it may now begin before index 0 */
	if (b->frame_at >= i) {
		s.frame_at = b->frame_at - i;
	} else {
		uint32_t skip = i - b->frame_at;

		s.frame_at = 0;
		s.frame_off = b->frame_off + (skip < b->frame_n ? skip : b->frame_n);
		s.frame_n = skip < b->frame_n ? b->frame_n - skip : 0;
	}
	*sub = s;
}

bool dx_buf_has(const struct dx_buf *b, uint32_t i, uint32_t n)
{
	if (i <= b->len && n <= b->len - i)
		return true;
	b->p->flags |= DX_F_TRUNCATED;
	return false;
}

uint8_t dx_buf_u8(const struct dx_buf *b, uint32_t i)
{
	return dx_buf_has(b, i, 1) ? b->data[i] : 0;
}

uint16_t dx_buf_be16(const struct dx_buf *b, uint32_t i)
{
	if (!dx_buf_has(b, i, 2))
		return 0;
	return (uint16_t)(b->data[i] << 8 | b->data[i + 1]);
}

uint32_t dx_buf_be24(const struct dx_buf *b, uint32_t i)
{
	if (!dx_buf_has(b, i, 3))
		return 0;
	return (uint32_t)b->data[i] << 16 | (uint32_t)b->data[i + 1] << 8 | b->data[i + 2];
}

uint32_t dx_buf_be32(const struct dx_buf *b, uint32_t i)
{
	if (!dx_buf_has(b, i, 4))
		return 0;
	return (uint32_t)b->data[i] << 24 | (uint32_t)b->data[i + 1] << 16 |
	       (uint32_t)b->data[i + 2] << 8 | b->data[i + 3];
}

const uint8_t *dx_buf_ptr(const struct dx_buf *b, uint32_t i, uint32_t n)
{
	return dx_buf_has(b, i, n) ? b->data + i : NULL;
}

void dx_buf_range(const struct dx_buf *b, uint32_t i, uint32_t n, uint32_t *off,
		  uint32_t *len)
{
	uint64_t lo = i, hi = (uint64_t)i + n;
	uint64_t flo = b->frame_at, fhi = (uint64_t)b->frame_at + b->frame_n;

	if (lo < flo)
		lo = flo;
	if (hi > fhi)
		hi = fhi;
	if (lo >= hi) {
		*off = b->frame_off;
		*len = 0;
		return;
	}
	*off = b->frame_off + (uint32_t)(lo - flo);
	*len = (uint32_t)(hi - lo);
}

static int buf_vnode(const struct dx_buf *b, int kind, const char *name, uint32_t i,
		     uint32_t n, const char *fmt, va_list ap)
{
	char value[DX_BUF_VALUE_MAX];
	uint32_t off, len;

	value[0] = '\0';
	if (!b->p->summary_only)	/* the tree keeps no text then (tree.c) */
		vsnprintf(value, sizeof(value), fmt, ap);
	dx_buf_range(b, i, n, &off, &len);
	if (kind == DX_NODE_PROTO)
		return dx_proto(b->p, name, off, len, "%s", value);
	if (kind == DX_NODE_TEXT)
		return dx_text(b->p, off, len, "%s", value);
	return dx_field(b->p, name, off, len, "%s", value);
}

int dx_buf_proto(const struct dx_buf *b, const char *name, uint32_t i, uint32_t n,
		 const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vnode(b, DX_NODE_PROTO, name, i, n, fmt, ap);
	va_end(ap);
	return r;
}

int dx_buf_field(const struct dx_buf *b, const char *name, uint32_t i, uint32_t n,
		 const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vnode(b, DX_NODE_FIELD, name, i, n, fmt, ap);
	va_end(ap);
	return r;
}

int dx_buf_text(const struct dx_buf *b, uint32_t i, uint32_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vnode(b, DX_NODE_TEXT, NULL, i, n, fmt, ap);
	va_end(ap);
	return r;
}

char *dx_buf_hex(const struct dx_buf *b, uint32_t i, uint32_t n, char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return out;
	for (uint32_t k = 0; k < n && o + 2 < size; k++) {
		if (!dx_buf_has(b, i + k, 1))
			break;
		out[o++] = digits[b->data[i + k] >> 4];
		out[o++] = digits[b->data[i + k] & 0xf];
	}
	out[o] = '\0';
	return out;
}

char *dx_buf_str(const struct dx_buf *b, uint32_t i, uint32_t n, char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return out;
	for (uint32_t k = 0; k < n; k++) {
		uint8_t c;
		char esc = 0;

		if (!dx_buf_has(b, i + k, 1))
			break;
		c = b->data[i + k];
		if (c == '\r')
			esc = 'r';
		else if (c == '\n')
			esc = 'n';
		else if (c == '\t')
			esc = 't';
		else if (c == '\\')
			esc = '\\';
		if (esc) {
			if (o + 3 > size)
				break;
			out[o++] = '\\';
			out[o++] = esc;
		} else if (c >= 0x20 && c < 0x7f) {
			if (o + 2 > size)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 5 > size)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = digits[c >> 4];
			out[o++] = digits[c & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}
