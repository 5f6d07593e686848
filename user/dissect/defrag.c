// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The IP fragment store (see defrag.h): per datagram, its bytes, the byte
 * ranges already held (sorted, merged) and the fragments that brought them;
 * a hash for lookup, a least-recently-used list for eviction and ageing.
 */
#include <stdlib.h>
#include <string.h>

#include "defrag.h"
#include "util/hash.h"

struct span {
	uint32_t start, end;
};

struct datagram {
	struct datagram *hnext;
	struct datagram *newer, *older;	/* LRU list */
	struct dx_frag_key key;
	uint64_t first_ns, last_ns;
	uint32_t total;			/* fixed by the last fragment */
	bool total_known;
	uint8_t *data;
	uint32_t cap;			/* bytes of data allocated */
	struct span *spans;		/* held ranges, sorted and merged */
	uint32_t n_spans, spans_cap;
	struct dx_frag *frags;		/* sorted by offset */
	uint32_t n_frags, frags_cap;
	uint32_t charged;		/* bytes counted against the total */
};

struct dx_defrag {
	struct datagram **buckets;
	uint32_t n_buckets;		/* a power of two */
	struct datagram *newest, *oldest;
	uint64_t total_bytes, timeout_ns;
	uint32_t max_datagrams;
	struct dx_defrag_stats st;
	struct datagram *done;		/* the last completed datagram, until the next call */
	uint64_t frame;			/* frames dissected with the store */
	uint8_t *scratch;		/* the rebuilt frame being dissected */
	uint32_t scratch_cap;
};

struct dx_defrag *dx_defrag_new_limits(uint64_t total_bytes, uint32_t max_datagrams,
				       uint64_t timeout_ns)
{
	struct dx_defrag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->total_bytes = total_bytes ? total_bytes : DX_DEFRAG_TOTAL_BYTES;
	d->max_datagrams = max_datagrams ? max_datagrams : DX_DEFRAG_MAX_DATAGRAMS;
	d->timeout_ns = timeout_ns ? timeout_ns : DX_DEFRAG_TIMEOUT_NS;
	d->n_buckets = 64;
	while (d->n_buckets < d->max_datagrams && d->n_buckets < (1u << 16))
		d->n_buckets <<= 1;
	d->buckets = calloc(d->n_buckets, sizeof(*d->buckets));
	if (!d->buckets) {
		free(d);
		return NULL;
	}
	return d;
}

struct dx_defrag *dx_defrag_new(void)
{
	return dx_defrag_new_limits(0, 0, 0);
}

static void datagram_release(struct datagram *g)
{
	free(g->data);
	free(g->spans);
	free(g->frags);
	free(g);
}

static uint32_t key_hash(const struct dx_frag_key *k, uint32_t n_buckets)
{
	return fnv1a(k, sizeof(*k)) & (n_buckets - 1);
}

static void lru_unlink(struct dx_defrag *d, struct datagram *g)
{
	if (g->newer)
		g->newer->older = g->older;
	else
		d->newest = g->older;
	if (g->older)
		g->older->newer = g->newer;
	else
		d->oldest = g->newer;
	g->newer = g->older = NULL;
}

static void lru_push(struct dx_defrag *d, struct datagram *g)
{
	g->older = d->newest;
	g->newer = NULL;
	if (d->newest)
		d->newest->newer = g;
	d->newest = g;
	if (!d->oldest)
		d->oldest = g;
}

/* Takes g out of the table and the accounting; the caller frees or keeps it. */
static void datagram_unlink(struct dx_defrag *d, struct datagram *g)
{
	struct datagram **pp = &d->buckets[key_hash(&g->key, d->n_buckets)];

	while (*pp && *pp != g)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = g->hnext;
	lru_unlink(d, g);
	d->st.bytes -= g->charged;
	d->st.datagrams--;
	g->charged = 0;
}

static void datagram_drop(struct dx_defrag *d, struct datagram *g, uint64_t *counter)
{
	datagram_unlink(d, g);
	datagram_release(g);
	if (counter)
		(*counter)++;
}

void dx_defrag_free(struct dx_defrag *d)
{
	if (!d)
		return;
	while (d->oldest)
		datagram_drop(d, d->oldest, NULL);
	if (d->done)
		datagram_release(d->done);
	free(d->buckets);
	free(d->scratch);
	free(d);
}

void dx_defrag_stats(const struct dx_defrag *d, struct dx_defrag_stats *st)
{
	*st = d->st;
}

/* Drops the least recently used datagram other than keep; false when none. */
static bool evict_one(struct dx_defrag *d, struct datagram *keep)
{
	struct datagram *g = d->oldest;

	if (g == keep)
		g = g->newer;
	if (!g)
		return false;
	datagram_drop(d, g, &d->st.evicted);
	return true;
}

/* Datagrams untouched for the age limit cannot be waited for any longer. */
static void expire(struct dx_defrag *d, uint64_t now)
{
	while (now && d->oldest && d->oldest->last_ns && now > d->oldest->last_ns &&
	       now - d->oldest->last_ns > d->timeout_ns)
		datagram_drop(d, d->oldest, &d->st.timed_out);
}

/* n more bytes for g, evicting others when the total is full. */
static bool charge(struct dx_defrag *d, struct datagram *g, uint32_t n)
{
	while (d->st.bytes + n > d->total_bytes)
		if (!evict_one(d, g))
			return false;
	g->charged += n;
	d->st.bytes += n;
	return true;
}

static void *grow(struct dx_defrag *d, struct datagram *g, void *mem, uint32_t *cap,
		  uint32_t need, size_t elem)
{
	uint32_t n = *cap ? *cap : 8;
	void *m;

	while (n < need)
		n *= 2;
	if (n == *cap)
		return mem;
	if (!charge(d, g, (uint32_t)((n - *cap) * elem)))
		return NULL;
	m = realloc(mem, n * elem);
	if (!m) {
		g->charged -= (uint32_t)((n - *cap) * elem);
		d->st.bytes -= (n - *cap) * elem;
		return NULL;
	}
	*cap = n;
	return m;
}

static struct datagram *datagram_get(struct dx_defrag *d, const struct dx_frag_key *k,
				     uint64_t now)
{
	uint32_t b = key_hash(k, d->n_buckets);
	struct datagram *g;

	for (g = d->buckets[b]; g; g = g->hnext) {
		if (memcmp(&g->key, k, sizeof(*k)))
			continue;
		/* too old to complete (a reused identification starts afresh) */
		if (now && g->first_ns && now > g->first_ns &&
		    now - g->first_ns > d->timeout_ns) {
			datagram_drop(d, g, &d->st.timed_out);
			break;
		}
		lru_unlink(d, g);
		lru_push(d, g);
		return g;
	}
	while (d->st.datagrams >= d->max_datagrams)
		if (!evict_one(d, NULL))
			return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->key = *k;
	g->first_ns = now;
	b = key_hash(k, d->n_buckets);
	g->hnext = d->buckets[b];
	d->buckets[b] = g;
	lru_push(d, g);
	d->st.datagrams++;
	return g;
}

/* Copies the bytes of [off, off + len) that no earlier fragment brought. */
static void fill_holes(struct datagram *g, uint32_t off, const uint8_t *src, uint32_t len)
{
	uint32_t at = off, end = off + len;

	for (uint32_t i = 0; i < g->n_spans && at < end; i++) {
		const struct span *s = &g->spans[i];

		if (s->end <= at)
			continue;
		if (s->start >= end)
			break;
		if (s->start > at)
			memcpy(g->data + at, src + (at - off), s->start - at);
		at = s->end;
	}
	if (at < end)
		memcpy(g->data + at, src + (at - off), end - at);
}

/* Adds [start, end) to the held ranges; spans has room for one more. */
static void span_add(struct datagram *g, uint32_t start, uint32_t end)
{
	uint32_t i = 0, j;

	while (i < g->n_spans && g->spans[i].end < start)
		i++;
	/* spans i..j-1 touch or overlap the new one: merge them into it */
	for (j = i; j < g->n_spans && g->spans[j].start <= end; j++) {
		if (g->spans[j].start < start)
			start = g->spans[j].start;
		if (g->spans[j].end > end)
			end = g->spans[j].end;
	}
	if (j == i) {
		memmove(&g->spans[i + 1], &g->spans[i], (g->n_spans - i) * sizeof(*g->spans));
		g->n_spans++;
	} else if (j > i + 1) {
		memmove(&g->spans[i + 1], &g->spans[j], (g->n_spans - j) * sizeof(*g->spans));
		g->n_spans -= j - i - 1;
	}
	g->spans[i] = (struct span){ start, end };
}

static void frag_add(struct datagram *g, uint64_t frame, uint32_t offset, uint32_t len)
{
	uint32_t i = g->n_frags;

	while (i > 0 && g->frags[i - 1].offset > offset)
		i--;
	memmove(&g->frags[i + 1], &g->frags[i], (g->n_frags - i) * sizeof(*g->frags));
	g->frags[i] = (struct dx_frag){ frame, offset, len };
	g->n_frags++;
}

static bool complete(const struct datagram *g)
{
	return g->total_known && g->n_spans >= 1 && g->spans[0].start == 0 &&
	       g->spans[0].end >= g->total;
}

enum dx_frag_result dx_defrag_add(struct dx_defrag *d, const struct dx_frag_key *k,
				  uint64_t frame, uint64_t ts_ns, uint32_t offset,
				  const uint8_t *data, uint32_t len, bool more,
				  struct dx_frag_whole *whole)
{
	uint32_t end = offset + len;
	struct datagram *g;

	if (d->done) {
		datagram_release(d->done);
		d->done = NULL;
	}
	if (len == 0)
		return DX_FRAG_REFUSED;	/* nothing to keep (Wireshark: ip.len > hlen) */
	expire(d, ts_ns);
	g = datagram_get(d, k, ts_ns);
	if (!g)
		return DX_FRAG_REFUSED;
	if (ts_ns)
		g->last_ns = ts_ns;
	if (offset > DX_DEFRAG_MAX_LEN || len > DX_DEFRAG_MAX_LEN - offset ||
	    g->n_frags >= DX_DEFRAG_MAX_FRAGS)
		goto give_up;
	/* room for the bytes, one more span and one more fragment record */
	if (end > g->cap) {
		uint8_t *m = grow(d, g, g->data, &g->cap, end, 1);

		if (!m)
			goto give_up;
		g->data = m;
	}
	{
		struct span *m = grow(d, g, g->spans, &g->spans_cap, g->n_spans + 1, sizeof(*m));

		if (!m)
			goto give_up;
		g->spans = m;
	}
	{
		struct dx_frag *m = grow(d, g, g->frags, &g->frags_cap, g->n_frags + 1, sizeof(*m));

		if (!m)
			goto give_up;
		g->frags = m;
	}
	/* the first last fragment fixes the length; a byte's first copy wins */
	if (!more && !g->total_known) {
		g->total_known = true;
		g->total = end;
	}
	fill_holes(g, offset, data, len);
	span_add(g, offset, end);
	frag_add(g, frame, offset, len);
	d->st.fragments++;
	if (!complete(g))
		return DX_FRAG_HELD;
	datagram_unlink(d, g);
	d->done = g;
	d->st.reassembled++;
	whole->data = g->data;
	whole->len = g->total;
	whole->frags = g->frags;
	whole->n_frags = g->n_frags;
	return DX_FRAG_COMPLETE;
give_up:
	datagram_drop(d, g, &d->st.given_up);
	return DX_FRAG_REFUSED;
}

/* For the dissection glue (defrag_view.c). */
void dx_defrag_count_uncaptured(struct dx_defrag *d)
{
	d->st.uncaptured++;
}

uint64_t dx_defrag_frame(const struct dx_defrag *d)
{
	return d->frame;
}

void dx_defrag_frame_step(struct dx_defrag *d)
{
	d->frame++;
}

uint8_t *dx_defrag_scratch(struct dx_defrag *d, uint32_t size)
{
	uint8_t *m;

	if (size <= d->scratch_cap)
		return d->scratch;
	m = realloc(d->scratch, size);
	if (!m)
		return NULL;
	d->scratch = m;
	d->scratch_cap = size;
	return m;
}
