// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Walks pcapng blocks (draft-ietf-opsawg-pcapng) for the epb_flags direction
 * bits and the interfaces' if_name; see pcapng_dir.h. Any doubt about the file
 * ends the walk: directions are then unknown, and libpcap, which reads the
 * packets, reports the damage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng_dir.h"
#include "dissect/dissect.h"
#include "gotracer.h"

#define BT_SHB 0x0A0D0D0A
#define BT_IDB 0x00000001
#define BT_PB 0x00000002
#define BT_SPB 0x00000003
#define BT_EPB 0x00000006
#define BOM 0x1A2B3C4D
#define OPT_FLAGS 2		/* epb_flags, and pack_flags in the obsolete PB */
#define OPT_IF_NAME 2
#define BLOCK_MAX (16u << 20)
#define MAX_IFACES 64
#define IF_NAME_MAX 64

struct pcapng_dir {
	FILE *f;
	bool swap;	/* section written in the other byte order */
	bool done;
	uint8_t *buf;
	uint32_t buf_len;
	/* this section's interfaces, by interface id */
	char names[MAX_IFACES][IF_NAME_MAX];
	uint32_t n_ifaces;
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

/* The value of option code in an options area, or NULL; *olen gets its length. */
static const uint8_t *find_opt(const struct pcapng_dir *d, const uint8_t *opt, uint32_t len,
			       uint16_t want, uint16_t *olen)
{
	uint32_t at = 0;

	while (at + 4 <= len) {
		uint16_t code = u16(d, opt + at), n = u16(d, opt + at + 2);

		if (code == 0 || n > len - at - 4)
			break;
		if (code == want) {
			*olen = n;
			return opt + at + 4;
		}
		at += 4 + ((n + 3u) & ~3u);
	}
	return NULL;
}

/* Direction from the options that follow a packet's data. */
static uint8_t flags_dir(const struct pcapng_dir *d, const uint8_t *opt, uint32_t len)
{
	const uint8_t *v;
	uint16_t olen;
	uint32_t flags;

	v = find_opt(d, opt, len, OPT_FLAGS, &olen);
	if (!v || olen != 4)
		return DX_DIR_UNKNOWN;
	flags = u32(d, v);
	return (flags & 3) == 1 ? GT_DIR_IN : (flags & 3) == 2 ? GT_DIR_OUT : DX_DIR_UNKNOWN;
}

/* An Interface Description Block: remember its if_name. */
static void add_iface(struct pcapng_dir *d, const uint8_t *body, uint32_t len)
{
	const uint8_t *v;
	uint16_t olen;
	char *name;

	if (d->n_ifaces >= MAX_IFACES)
		return;
	name = d->names[d->n_ifaces++];
	name[0] = '\0';
	if (len < 8)
		return;
	v = find_opt(d, body + 8, len - 8, OPT_IF_NAME, &olen);
	if (!v)
		return;
	if (olen >= IF_NAME_MAX)
		olen = IF_NAME_MAX - 1;
	memcpy(name, v, olen);
	name[olen] = '\0';
	/* a name must be printable text; anything else is not shown */
	for (uint16_t i = 0; i < olen && name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] >= 0x7f)
			name[0] = '\0';
}

static const char *iface_name(const struct pcapng_dir *d, uint32_t if_id)
{
	return if_id < d->n_ifaces && d->names[if_id][0] ? d->names[if_id] : NULL;
}

uint8_t pcapng_dir_next(struct pcapng_dir *d, const char **iface)
{
	const uint8_t *body;
	uint32_t type, len, fixed, caplen, data_len, if_id;

	*iface = NULL;
	while (d && !d->done) {
		body = next_block(d, &type, &len);
		if (!body) {
			d->done = true;
			break;
		}
		if (type == BT_SHB)
			d->n_ifaces = 0;
		if (type == BT_IDB)
			add_iface(d, body, len);
		if (type == BT_SPB) {
			*iface = iface_name(d, 0);
			return DX_DIR_UNKNOWN;
		}
		if (type != BT_EPB && type != BT_PB)
			continue;
		/* EPB: if_id, ts(8), caplen, len; PB: if_id(2), drops(2), ts(8), caplen, len */
		fixed = 20;
		if (len < fixed)
			return DX_DIR_UNKNOWN;
		if_id = type == BT_EPB ? u32(d, body) : u16(d, body);
		*iface = iface_name(d, if_id);
		caplen = u32(d, body + 12);
		data_len = (caplen + 3u) & ~3u;
		if (caplen > len - fixed || data_len > len - fixed)
			return DX_DIR_UNKNOWN;
		return flags_dir(d, body + fixed + data_len, len - fixed - data_len);
	}
	return DX_DIR_UNKNOWN;
}
