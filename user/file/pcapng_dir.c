// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Walks pcapng blocks (draft-ietf-opsawg-pcapng) for the epb_flags direction
 * bits; see pcapng_dir.h. Any doubt about the file ends the walk: directions are
 * then unknown, and libpcap, which reads the packets, reports the damage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng_dir.h"
#include "dissect/dissect.h"
#include "gotracer.h"

#define BT_SHB 0x0A0D0D0A
#define BT_PB 0x00000002
#define BT_SPB 0x00000003
#define BT_EPB 0x00000006
#define BOM 0x1A2B3C4D
#define OPT_FLAGS 2		/* epb_flags, and pack_flags in the obsolete PB */
#define BLOCK_MAX (16u << 20)

struct pcapng_dir {
	FILE *f;
	bool swap;	/* section written in the other byte order */
	bool done;
	uint8_t *buf;
	uint32_t buf_len;
};

static uint32_t u32(const struct pcapng_dir *d, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return d->swap ? __builtin_bswap32(v) : v;
}

static uint16_t u16(const struct pcapng_dir *d, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return d->swap ? __builtin_bswap16(v) : v;
}

struct pcapng_dir *pcapng_dir_open(const char *path)
{
	struct pcapng_dir *d;
	uint32_t type;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fread(&type, 4, 1, f) != 1 || type != BT_SHB || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fclose(f);
		return NULL;
	}
	d->f = f;
	return d;
}

void pcapng_dir_close(struct pcapng_dir *d)
{
	if (!d)
		return;
	fclose(d->f);
	free(d->buf);
	free(d);
}

/* The body of the next block (after type and length), or NULL at the end. */
static const uint8_t *next_block(struct pcapng_dir *d, uint32_t *type, uint32_t *body_len)
{
	uint8_t hdr[12];
	uint32_t total;

	if (fread(hdr, 1, 8, d->f) != 8)
		return NULL;
	memcpy(type, hdr, 4);
	if (*type == BT_SHB) {
		uint32_t bom;

		if (fread(hdr + 8, 1, 4, d->f) != 4)
			return NULL;
		memcpy(&bom, hdr + 8, 4);
		if (bom == BOM)
			d->swap = false;
		else if (bom == __builtin_bswap32(BOM))
			d->swap = true;
		else
			return NULL;
		if (fseek(d->f, -4, SEEK_CUR))
			return NULL;
	} else if (d->swap) {
		*type = __builtin_bswap32(*type);
	}
	total = u32(d, hdr + 4);
	if (total < 12 || total % 4 || total > BLOCK_MAX)
		return NULL;
	*body_len = total - 12;
	if (*body_len + 4 > d->buf_len) {
		uint8_t *grown = realloc(d->buf, *body_len + 4);

		if (!grown)
			return NULL;
		d->buf = grown;
		d->buf_len = *body_len + 4;
	}
	/* the body and the trailing length */
	if (fread(d->buf, 1, *body_len + 4, d->f) != *body_len + 4)
		return NULL;
	return d->buf;
}

/* Direction from the options that follow a packet's data. */
static uint8_t flags_dir(const struct pcapng_dir *d, const uint8_t *opt, uint32_t len)
{
	uint32_t at = 0;

	while (at + 4 <= len) {
		uint16_t code = u16(d, opt + at), olen = u16(d, opt + at + 2);

		if (code == 0 || at + 4 + olen > len)
			break;
		if (code == OPT_FLAGS && olen == 4) {
			uint32_t flags = u32(d, opt + at + 4);

			return (flags & 3) == 1 ? GT_DIR_IN : (flags & 3) == 2 ? GT_DIR_OUT :
							      DX_DIR_UNKNOWN;
		}
		at += 4 + ((olen + 3u) & ~3u);
	}
	return DX_DIR_UNKNOWN;
}

uint8_t pcapng_dir_next(struct pcapng_dir *d)
{
	const uint8_t *body;
	uint32_t type, len, fixed, caplen, data_len;

	while (d && !d->done) {
		body = next_block(d, &type, &len);
		if (!body) {
			d->done = true;
			break;
		}
		if (type == BT_SPB)
			return DX_DIR_UNKNOWN;
		if (type != BT_EPB && type != BT_PB)
			continue;
		/* EPB: if_id, ts(8), caplen, len; PB: if_id(2), drops(2), ts(8), caplen, len */
		fixed = 20;
		if (len < fixed)
			return DX_DIR_UNKNOWN;
		caplen = u32(d, body + 12);
		data_len = (caplen + 3u) & ~3u;
		if (caplen > len - fixed || data_len > len - fixed)
			return DX_DIR_UNKNOWN;
		return flags_dir(d, body + fixed + data_len, len - fixed - data_len);
	}
	return DX_DIR_UNKNOWN;
}
