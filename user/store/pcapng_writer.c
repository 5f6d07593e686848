// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pcapng writer (draft-ietf-opsawg-pcapng, sections 4.1 SHB, 4.2 IDB, 4.3 EPB,
 * 4.6 ISB). Blocks are built in host byte order (the SHB's byte-order magic tells
 * readers which) with every body and option padded to 32 bits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng_writer.h"
#include "out_stream.h"
#include "gotracer.h"

#define BT_SHB 0x0A0D0D0A
#define BT_IDB 0x00000001
#define BT_EPB 0x00000006
#define BT_ISB 0x00000005
#define BYTE_ORDER_MAGIC 0x1A2B3C4D

#define OPT_ENDOFOPT 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_TSRESOL 9
#define OPT_EPB_FLAGS 2
#define OPT_ISB_STARTTIME 2
#define OPT_ISB_ENDTIME 3
#define OPT_ISB_IFRECV 4
#define OPT_ISB_IFDROP 5
#define OPT_ISB_OSDROP 7

#define EPB_FLAG_INBOUND 1
#define EPB_FLAG_OUTBOUND 2

/* a block's options never need more than this (names are at most 64 bytes) */
#define OPTS_MAX 256

struct pcapng_writer {
	struct out_stream out;
	int n_ifaces;
	uint32_t snaplen;	/* the first interface's, given to all */
};

/* Options area of a block being built. */
struct opts {
	uint8_t buf[OPTS_MAX];
	uint32_t len;
};

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

static void opt_add(struct opts *o, uint16_t code, const void *val, uint16_t len)
{
	uint32_t need = 4 + pad4(len);

	if (o->len + need + 4 > OPTS_MAX) /* keep room for opt_endofopt */
		return;
	memcpy(o->buf + o->len, &code, 2);
	memcpy(o->buf + o->len + 2, &len, 2);
	if (len)
		memcpy(o->buf + o->len + 4, val, len);
	memset(o->buf + o->len + 4 + len, 0, pad4(len) - len);
	o->len += need;
}

static void opt_u64(struct opts *o, uint16_t code, uint64_t v)
{
	opt_add(o, code, &v, sizeof(v));
}

/* pcapng timestamps: two 32-bit halves, high first, each in host order */
static void ts_split(uint64_t ts, uint32_t out[2])
{
	out[0] = (uint32_t)(ts >> 32);
	out[1] = (uint32_t)ts;
}

static void opt_ts(struct opts *o, uint16_t code, uint64_t ts_ns)
{
	uint32_t t[2];

	ts_split(ts_ns, t);
	opt_add(o, code, t, sizeof(t));
}

static void opts_end(struct opts *o)
{
	if (o->len)
		opt_add(o, OPT_ENDOFOPT, NULL, 0);
}

/*
 * One block: type, total length, the fixed body, data padded to 32 bits, the
 * options, and the total length again.
 */
static int put_block(struct pcapng_writer *w, uint32_t type, const void *fixed,
		     uint32_t fixed_len, const void *data, uint32_t data_len,
		     const struct opts *o)
{
	static const uint8_t zeros[4];
	uint32_t total = 12 + fixed_len + pad4(data_len) + o->len;

	out_put(&w->out, &type, 4);
	out_put(&w->out, &total, 4);
	out_put(&w->out, fixed, fixed_len);
	out_put(&w->out, data, data_len);
	out_put(&w->out, zeros, pad4(data_len) - data_len);
	out_put(&w->out, o->buf, o->len);
	out_put(&w->out, &total, 4);
	return w->out.error ? -w->out.error : 0;
}

struct pcapng_writer *pcapng_writer_new(FILE *f)
{
	struct pcapng_writer *w = calloc(1, sizeof(*w));
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int64_t section_len;
	} shb = { BYTE_ORDER_MAGIC, 1, 0, -1 };
	static const char appl[] = "GoTracer";
	struct opts o = { .len = 0 };

	if (!w)
		return NULL;
	w->out.f = f;
	opt_add(&o, OPT_SHB_USERAPPL, appl, sizeof(appl) - 1);
	opts_end(&o);
	if (put_block(w, BT_SHB, &shb, sizeof(shb), NULL, 0, &o)) {
		errno = w->out.error;
		free(w);
		return NULL;
	}
	return w;
}

int pcapng_add_interface(struct pcapng_writer *w, const char *name, int linktype,
			 uint32_t snaplen)
{
	struct {
		uint16_t linktype, reserved;
		uint32_t snaplen;
	} idb = { (uint16_t)linktype, 0, snaplen };
	/* libpcap (tcpdump, gotracer read) refuses interfaces whose snaplens differ */
	if (w->n_ifaces)
		idb.snaplen = w->snaplen;
	else
		w->snaplen = snaplen;
	uint8_t tsresol = 9;
	struct opts o = { .len = 0 };
	int err;

	if (name && *name)
		opt_add(&o, OPT_IF_NAME, name, (uint16_t)strnlen(name, 64));
	opt_add(&o, OPT_IF_TSRESOL, &tsresol, 1);
	opts_end(&o);
	err = put_block(w, BT_IDB, &idb, sizeof(idb), NULL, 0, &o);
	return err ? err : w->n_ifaces++;
}

int pcapng_write_packet(struct pcapng_writer *w, int if_id, uint64_t ts_ns,
			const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint8_t dir)
{
	struct {
		uint32_t if_id;
		uint32_t ts[2];
		uint32_t caplen, wirelen;
	} epb;
	struct opts o = { .len = 0 };
	uint32_t flags;

	if (if_id < 0 || if_id >= w->n_ifaces)
		return -EINVAL;
	epb.if_id = (uint32_t)if_id;
	ts_split(ts_ns, epb.ts);
	epb.caplen = caplen;
	epb.wirelen = wirelen < caplen ? caplen : wirelen;
	if (dir == GT_DIR_IN || dir == GT_DIR_OUT) {
		flags = dir == GT_DIR_IN ? EPB_FLAG_INBOUND : EPB_FLAG_OUTBOUND;
		opt_add(&o, OPT_EPB_FLAGS, &flags, sizeof(flags));
		opts_end(&o);
	}
	return put_block(w, BT_EPB, &epb, sizeof(epb), data, caplen, &o);
}

int pcapng_write_stats(struct pcapng_writer *w, int if_id, const struct pcapng_if_stats *s)
{
	struct {
		uint32_t if_id;
		uint32_t ts[2];
	} isb;
	struct opts o = { .len = 0 };

	if (if_id < 0 || if_id >= w->n_ifaces)
		return -EINVAL;
	isb.if_id = (uint32_t)if_id;
	ts_split(s->ts_ns, isb.ts);
	if (s->start_ns)
		opt_ts(&o, OPT_ISB_STARTTIME, s->start_ns);
	if (s->end_ns)
		opt_ts(&o, OPT_ISB_ENDTIME, s->end_ns);
	if (s->has_ifrecv)
		opt_u64(&o, OPT_ISB_IFRECV, s->ifrecv);
	if (s->has_ifdrop)
		opt_u64(&o, OPT_ISB_IFDROP, s->ifdrop);
	if (s->has_osdrop)
		opt_u64(&o, OPT_ISB_OSDROP, s->osdrop);
	opts_end(&o);
	return put_block(w, BT_ISB, &isb, sizeof(isb), NULL, 0, &o);
}

int pcapng_n_interfaces(const struct pcapng_writer *w)
{
	return w->n_ifaces;
}

int pcapng_writer_free(struct pcapng_writer *w)
{
	int ret;

	if (!w)
		return 0;
	ret = out_finish(&w->out);
	free(w);
	return ret;
}
