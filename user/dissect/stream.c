// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP stream reassembly (see stream.h): per flow and direction, the next
 * expected sequence number, the held start of an incomplete message, and
 * out-of-order segments kept aside; bounded per flow and in total, least
 * recently used flows evicted first.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "defrag.h"
#include "pairs.h"
#include "gotracer.h"
#include "stream.h"
#include "util/hash.h"

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_ACK 0x010
#define WSCALE_MAX 14	/* RFC 7323 2.3: larger shifts count as 14 */

/* Segment starts remembered per held message, for "[N Reassembled TCP Segments]". */
#define HELD_BOUNDS 256
#define VIEW_BOUNDS (2 * HELD_BOUNDS + 1)

struct held {
	uint32_t len, cap;
	uint32_t nb;			/* segment starts in bounds[] */
	uint32_t bounds[HELD_BOUNDS];
	uint8_t data[];
};

struct ooo_seg {
	struct ooo_seg *next;
	uint32_t seq, len;
	uint8_t data[];
};

/* Wireshark's relative numbering and window scale of one direction. */
struct numbering {
	bool base_set;
	uint32_t base;		/* sequence number that reads 0 */
	int8_t wscale;		/* shift, DX_WSCALE_UNKNOWN or DX_WSCALE_NONE */
};

struct half {
	struct numbering num;
	bool seq_known;
	uint32_t next_seq;
	struct held *held;
	struct ooo_seg *ooo;		/* sorted by sequence number */
};

struct flow_key {
	uint8_t family;
	uint8_t pad[3];
	uint16_t port[2];		/* [0] is the lower end (address, port) */
	uint8_t addr[2][16];
};

struct flow {
	struct flow *hnext;
	struct flow *newer, *older;	/* LRU list */
	struct flow_key key;
	struct half half[2];		/* [0]: from the lower end, [1]: to it */
	dx_app_fn owner;
	struct dx_stream_app app;
	uint32_t bytes;			/* held and out-of-order bytes allocated */
};

enum cur_kind {
	CUR_NOTHING,	/* no new bytes: empty, or kept aside until a gap closes */
	CUR_STATELESS,	/* bytes missing from the capture: dissect the segment alone */
	CUR_SEEN,	/* all bytes seen before (a retransmission): no application
			 * dissector gets them, as in Wireshark */
	CUR_NEW,	/* new in-order bytes: the view is ready */
};

struct cur {
	bool valid;
	struct flow *flow;
	int dir;
	struct flow_key key;
	uint32_t seq;
	enum cur_kind kind;
	uint32_t frame_off, frame_n;	/* this frame's new bytes */
	bool in_scratch;		/* view is scratch[0..view_len) */
	uint32_t view_len, frame_at;
	bool done;
	bool end_half, end_both;
	bool numbered;			/* numbers is this packet's */
	struct dx_tcp_numbers numbers;
};

struct dx_streams {
	struct flow **buckets;
	uint32_t n_buckets;		/* a power of two */
	struct flow *newest, *oldest;
	uint32_t flow_bytes, max_flows;
	uint64_t total_bytes;
	struct dx_streams_stats st;
	struct cur cur;
	uint8_t *scratch;
	uint32_t scratch_cap;
	uint32_t bounds[VIEW_BOUNDS];	/* segment starts in the view */
	uint32_t n_bounds;
	struct dx_defrag *defrag;	/* IP reassembly rides along (defrag.h) */
	struct dx_pairs *pairs;	/* and request/reply pairs (pairs.h) */
};

struct dx_streams *dx_streams_new_limits(uint32_t flow_bytes, uint64_t total_bytes,
					 uint32_t max_flows)
{
	struct dx_streams *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->flow_bytes = flow_bytes ? flow_bytes : DX_STREAM_FLOW_BYTES;
	s->total_bytes = total_bytes ? total_bytes : DX_STREAM_TOTAL_BYTES;
	s->max_flows = max_flows ? max_flows : DX_STREAM_MAX_FLOWS;
	s->n_buckets = 64;
	while (s->n_buckets < s->max_flows && s->n_buckets < (1u << 20))
		s->n_buckets <<= 1;
	s->buckets = calloc(s->n_buckets, sizeof(*s->buckets));
	s->defrag = dx_defrag_new();
	s->pairs = dx_pairs_new();
	if (!s->buckets || !s->defrag || !s->pairs) {
		dx_pairs_free(s->pairs);
		dx_defrag_free(s->defrag);
		free(s->buckets);
		free(s);
		return NULL;
	}
	return s;
}

struct dx_streams *dx_streams_new(void)
{
	return dx_streams_new_limits(0, 0, 0);
}

static void unreserve(struct dx_streams *s, struct flow *f, uint32_t n)
{
	f->bytes -= n;
	s->st.bytes -= n;
}

static void half_clear(struct dx_streams *s, struct flow *f, struct half *h)
{
	struct ooo_seg *seg, *next;

	if (h->held) {
		unreserve(s, f, h->held->cap);
		free(h->held);
		h->held = NULL;
	}
	for (seg = h->ooo; seg; seg = next) {
		next = seg->next;
		unreserve(s, f, seg->len);
		free(seg);
	}
	h->ooo = NULL;
}

static uint32_t key_hash(const struct flow_key *k, uint32_t n_buckets)
{
	return fnv1a(k, sizeof(*k)) & (n_buckets - 1);
}

static void lru_unlink(struct dx_streams *s, struct flow *f)
{
	if (f->newer)
		f->newer->older = f->older;
	else
		s->newest = f->older;
	if (f->older)
		f->older->newer = f->newer;
	else
		s->oldest = f->newer;
	f->newer = f->older = NULL;
}

static void lru_push(struct dx_streams *s, struct flow *f)
{
	f->older = s->newest;
	f->newer = NULL;
	if (s->newest)
		s->newest->newer = f;
	s->newest = f;
	if (!s->oldest)
		s->oldest = f;
}

static void flow_free(struct dx_streams *s, struct flow *f)
{
	struct flow **pp = &s->buckets[key_hash(&f->key, s->n_buckets)];

	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
	lru_unlink(s, f);
	half_clear(s, f, &f->half[0]);
	half_clear(s, f, &f->half[1]);
	if (s->cur.flow == f)
		s->cur.valid = false, s->cur.flow = NULL;
	free(f);
	s->st.flows--;
}

static void numbering_reset(struct numbering *n)
{
	n->base_set = false;
	n->wscale = DX_WSCALE_UNKNOWN;
}

/* After RST: all of the flow is forgotten but its numbering (dx_stream_tcp_numbers). */
static void flow_reset(struct dx_streams *s, struct flow *f)
{
	for (int d = 0; d < 2; d++) {
		half_clear(s, f, &f->half[d]);
		f->half[d].seq_known = false;
	}
	f->owner = NULL;
	memset(&f->app, 0, sizeof(f->app));
}

/* Drops the least recently used flow other than keep; false when there is none. */
static bool evict_one(struct dx_streams *s, struct flow *keep)
{
	struct flow *f = s->oldest;

	if (f == keep)
		f = f->newer;
	if (!f)
		return false;
	flow_free(s, f);
	s->st.evicted_flows++;
	return true;
}

/* Room for n more bytes in flow f, evicting other flows when the total is full. */
static bool reserve(struct dx_streams *s, struct flow *f, uint32_t n)
{
	if ((uint64_t)f->bytes + n > s->flow_bytes)
		return false;
	while (s->st.bytes + n > s->total_bytes)
		if (!evict_one(s, f))
			return false;
	f->bytes += n;
	s->st.bytes += n;
	return true;
}

/* header + n bytes charged to flow f (n only: headers are bounded by the flow count). */
static void *alloc_charged(struct dx_streams *s, struct flow *f, size_t header, uint32_t n)
{
	void *m;

	if (!reserve(s, f, n))
		return NULL;
	m = malloc(header + n);
	if (!m)
		unreserve(s, f, n);
	return m;
}

void dx_streams_free(struct dx_streams *s)
{
	if (!s)
		return;
	while (s->oldest)
		flow_free(s, s->oldest);
	free(s->buckets);
	free(s->scratch);
	dx_defrag_free(s->defrag);
	dx_pairs_free(s->pairs);
	free(s);
}

void dx_streams_stats(const struct dx_streams *s, struct dx_streams_stats *st)
{
	*st = s->st;
}

struct dx_defrag *dx_streams_defrag(struct dx_streams *s)
{
	return s->defrag;
}

struct dx_pairs *dx_streams_pairs(struct dx_streams *s)
{
	return s->pairs;
}

/* The direction-less key, and which end the packet comes from (0: the lower one). */
static int make_key(const struct dx_conv *c, struct flow_key *k)
{
	uint32_t alen = c->family == GT_AF_INET6 ? 16 : 4;
	int cmp;

	memset(k, 0, sizeof(*k));
	k->family = c->family;
	cmp = memcmp(c->src, c->dst, alen);
	if (cmp == 0)
		cmp = c->sport < c->dport ? -1 : c->sport > c->dport;
	if (cmp <= 0) {
		memcpy(k->addr[0], c->src, alen);
		memcpy(k->addr[1], c->dst, alen);
		k->port[0] = c->sport;
		k->port[1] = c->dport;
		return 0;
	}
	memcpy(k->addr[0], c->dst, alen);
	memcpy(k->addr[1], c->src, alen);
	k->port[0] = c->dport;
	k->port[1] = c->sport;
	return 1;
}

static struct flow *flow_get(struct dx_streams *s, const struct flow_key *k)
{
	uint32_t b = key_hash(k, s->n_buckets);
	struct flow *f;

	for (f = s->buckets[b]; f; f = f->hnext) {
		if (memcmp(&f->key, k, sizeof(*k)) == 0) {
			lru_unlink(s, f);
			lru_push(s, f);
			return f;
		}
	}
	while (s->st.flows >= s->max_flows)
		if (!evict_one(s, NULL))
			return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->key = *k;
	numbering_reset(&f->half[0].num);
	numbering_reset(&f->half[1].num);
	f->hnext = s->buckets[b];
	s->buckets[b] = f;
	lru_push(s, f);
	s->st.flows++;
	return f;
}

/* Ends the previous packet: stale held bytes and FIN/RST endings. */
static void finish(struct dx_streams *s)
{
	struct cur *cur = &s->cur;
	struct flow *f = cur->flow;
	struct half *h;

	if (!cur->valid || !f)
		goto out;
	h = &f->half[cur->dir];
	/* new bytes nobody took: a held message can no longer be completed */
	if (cur->kind == CUR_NEW && !cur->done && h->held) {
		half_clear(s, f, h);
		s->st.dropped_messages++;
	}
	if (cur->end_both) {
		flow_reset(s, f);
		goto out;
	}
	if (cur->end_half)
		half_clear(s, f, h);
out:
	memset(cur, 0, sizeof(*cur));
}

static bool scratch_fit(struct dx_streams *s, uint32_t n)
{
	uint8_t *m;

	if (n <= s->scratch_cap)
		return true;
	m = realloc(s->scratch, n);
	if (!m)
		return false;
	s->scratch = m;
	s->scratch_cap = n;
	return true;
}

static void add_bound(struct dx_streams *s, uint32_t at)
{
	if (s->n_bounds < VIEW_BOUNDS && (s->n_bounds == 0 || s->bounds[s->n_bounds - 1] < at))
		s->bounds[s->n_bounds++] = at;
}

/* Keeps a segment that came before its turn; the first copy of a byte wins. */
static void keep_out_of_order(struct dx_streams *s, struct flow *f, struct half *h,
			      const struct dx_packet *p, uint32_t seq, uint32_t off,
			      uint32_t len)
{
	struct ooo_seg **pp = &h->ooo, *seg;

	while (*pp && (int32_t)((*pp)->seq - seq) <= 0) {
		/* an identical or covering copy is already here */
		if ((int32_t)((*pp)->seq + (*pp)->len - (seq + len)) >= 0)
			return;
		pp = &(*pp)->next;
	}
	seg = alloc_charged(s, f, sizeof(*seg), len);
	if (!seg)
		return;
	seg->seq = seq;
	seg->len = len;
	memcpy(seg->data, p->data + off, len);
	seg->next = *pp;
	*pp = seg;
}

/* Bytes of kept-aside segments that now follow next_seq without a gap. */
static uint32_t contiguous_ooo(const struct half *h)
{
	uint32_t next = h->next_seq, n = 0;

	for (const struct ooo_seg *seg = h->ooo; seg; seg = seg->next) {
		if ((int32_t)(seg->seq - next) > 0)
			break;
		if ((int32_t)(seg->seq + seg->len - next) > 0) {
			n += seg->seq + seg->len - next;
			next = seg->seq + seg->len;
		}
	}
	return n;
}

/* The view: held bytes, this frame's new bytes, then the joined segments. */
static void build_view(struct dx_streams *s, struct flow *f, struct half *h,
		       const struct dx_packet *p)
{
	struct cur *cur = &s->cur;
	uint32_t held = h->held ? h->held->len : 0;
	uint32_t joined, o;

	h->next_seq += cur->frame_n;
	joined = contiguous_ooo(h);
	s->n_bounds = 0;
	cur->kind = CUR_NEW;
	if (held == 0 && joined == 0) {
		cur->in_scratch = false;
		cur->frame_at = 0;
		cur->view_len = cur->frame_n;
		add_bound(s, 0);
		return;
	}
	if (!scratch_fit(s, held + cur->frame_n + joined)) {
		half_clear(s, f, h);
		s->st.dropped_messages++;
		cur->kind = CUR_STATELESS;
		return;
	}
	cur->in_scratch = true;
	if (held) {
		memcpy(s->scratch, h->held->data, held);
		for (uint32_t i = 0; i < h->held->nb && i < HELD_BOUNDS; i++)
			add_bound(s, h->held->bounds[i]);
	}
	cur->frame_at = held;
	add_bound(s, held);
	memcpy(s->scratch + held, p->data + cur->frame_off, cur->frame_n);
	o = held + cur->frame_n;
	/* the kept-aside segments this one made contiguous, first copy of a byte wins */
	while (h->ooo && (int32_t)(h->ooo->seq - h->next_seq) <= 0) {
		struct ooo_seg *seg = h->ooo;
		uint32_t skip = h->next_seq - seg->seq;

		if (skip < seg->len && o + seg->len - skip <= held + cur->frame_n + joined) {
			add_bound(s, o);
			memcpy(s->scratch + o, seg->data + skip, seg->len - skip);
			o += seg->len - skip;
			h->next_seq += seg->len - skip;
		}
		h->ooo = seg->next;
		unreserve(s, f, seg->len);
		free(seg);
	}
	cur->view_len = o;
}

/*
 * Wireshark 4.0's verify_tcp_window_scaling, for a SYN or SYN-ACK after its
 * option: a side that offered no scale turns scaling off for both.
 */
static void verify_wscale(struct numbering *fwd, struct numbering *rev, bool synack)
{
	if (fwd->wscale == DX_WSCALE_UNKNOWN) {
		fwd->wscale = DX_WSCALE_NONE;
		rev->wscale = DX_WSCALE_NONE;
	} else if (synack && rev->wscale == DX_WSCALE_NONE) {
		fwd->wscale = DX_WSCALE_NONE;
	}
}

/* This segment's relative numbers and calculated window, as Wireshark's defaults. */
static void number(struct flow *f, int dir, const struct dx_conv *c, uint32_t len,
		   struct dx_tcp_numbers *n)
{
	struct numbering *fwd = &f->half[dir].num, *rev = &f->half[!dir].num;
	bool syn = c->tcp_flags & TCP_SYN, ack = c->tcp_flags & TCP_ACK;

	if (syn && !ack && fwd->base_set && c->seq != fwd->base) {
		/* a new connection on this 5-tuple (tshark: "Port numbers reused") */
		numbering_reset(fwd);
		numbering_reset(rev);
	}
	if (syn) {
		fwd->base = c->seq;
		fwd->base_set = true;
	} else if (!fwd->base_set) {
		fwd->base = c->seq - 1;
		fwd->base_set = true;
	}
	if (ack && !rev->base_set) {
		rev->base = c->ack - 1;
		rev->base_set = true;
	}
	n->seq = c->seq - fwd->base;
	n->ack = ack ? c->ack - rev->base : c->ack;
	n->nxtseq = n->seq + len + (syn ? 1 : 0) + (c->tcp_flags & TCP_FIN ? 1 : 0);
	n->scalefactor = fwd->wscale >= 0 ? 1 << fwd->wscale : fwd->wscale;
	n->window = !syn && fwd->wscale >= 0 ? (uint32_t)c->window << fwd->wscale : c->window;
	/* the option counts from the next segment on (tshark reads it after the window) */
	if (c->tcp_wscale >= 0)
		fwd->wscale = c->tcp_wscale > WSCALE_MAX ? WSCALE_MAX : c->tcp_wscale;
	/* tshark stops at options cut by the snap length, before this check */
	if (syn && !c->tcp_options_cut)
		verify_wscale(fwd, rev, ack);
}

void dx_stream_observe(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len)
{
	struct dx_streams *s = p->streams;
	struct cur *cur;
	struct flow *f;
	struct half *h;
	uint32_t avail, behind;
	int32_t d;

	if (!s)
		return;
	finish(s);
	cur = &s->cur;
	cur->dir = make_key(c, &cur->key);
	f = flow_get(s, &cur->key);
	if (!f)
		return;
	cur->valid = true;
	cur->flow = f;
	cur->seq = c->seq;
	cur->kind = CUR_NOTHING;
	cur->end_half = c->tcp_flags & TCP_FIN;
	cur->end_both = c->tcp_flags & TCP_RST;
	number(f, cur->dir, c, len, &cur->numbers);
	cur->numbered = true;
	h = &f->half[cur->dir];
	if (c->tcp_flags & TCP_SYN) {
		/* a new connection on this 5-tuple starts from scratch */
		half_clear(s, f, h);
		h->seq_known = true;
		h->next_seq = c->seq + 1;
		return;
	}
	if (!h->seq_known) {
		h->seq_known = true;
		h->next_seq = c->seq;
	}
	if (len == 0)
		return;
	avail = off <= p->caplen ? p->caplen - off : 0;
	if (avail < len) {
		/* bytes not captured: nothing can be rebuilt across this segment */
		if (h->held || h->ooo)
			s->st.dropped_messages++;
		half_clear(s, f, h);
		h->next_seq = c->seq + len;
		cur->kind = CUR_STATELESS;
		return;
	}
	d = (int32_t)(c->seq - h->next_seq);
	if (d > 0) {
		if ((uint64_t)d + len <= s->flow_bytes) {
			keep_out_of_order(s, f, h, p, c->seq, off, len);
			return;
		}
		/* too far ahead to wait for: give up what is held and start here */
		if (h->held || h->ooo)
			s->st.dropped_messages++;
		half_clear(s, f, h);
		h->next_seq = c->seq;
		d = 0;
	}
	/* bytes of this segment already seen; unsigned, as -d overflows at INT32_MIN */
	behind = h->next_seq - c->seq;
	if (behind >= len) {
		cur->kind = CUR_SEEN;
		return;
	}
	cur->frame_off = off + behind;
	cur->frame_n = len - behind;
	build_view(s, f, h, p);
}

static bool cur_matches(struct dx_packet *p, const struct dx_conv *c)
{
	struct dx_streams *s = p->streams;
	struct flow_key k;
	int dir;

	if (!s || !s->cur.valid || !s->cur.flow || c->l4proto != IPPROTO_TCP)
		return false;
	dir = make_key(c, &k);
	return dir == s->cur.dir && c->seq == s->cur.seq &&
	       memcmp(&k, &s->cur.key, sizeof(k)) == 0;
}

bool dx_stream_view(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		    uint32_t len, struct dx_buf *b)
{
	struct cur *cur;

	if (!cur_matches(p, c)) {
		dx_buf_frame(b, p, off, len);
		return true;
	}
	cur = &p->streams->cur;
	if (cur->kind == CUR_NOTHING)
		return false;
	if (cur->kind == CUR_STATELESS || cur->kind == CUR_SEEN) {
		dx_buf_frame(b, p, off, len);
		return true;
	}
	b->p = p;
	b->data = cur->in_scratch ? p->streams->scratch : p->data + cur->frame_off;
	b->len = cur->view_len;
	b->frame_at = cur->frame_at;
	b->frame_n = cur->frame_n;
	b->frame_off = cur->frame_off;
	b->stored = true;
	b->clipped = false;
	return true;
}

/* True when b is the store's view of this packet (not a stateless one). */
static bool is_store_view(struct dx_packet *p, const struct dx_buf *b)
{
	struct cur *cur;

	if (!b->stored || !p->streams || !p->streams->cur.valid ||
	    p->streams->cur.kind != CUR_NEW)
		return false;
	cur = &p->streams->cur;
	return b->len == cur->view_len && b->frame_at == cur->frame_at &&
	       b->frame_off == cur->frame_off &&
	       b->data == (cur->in_scratch ? p->streams->scratch : p->data + cur->frame_off);
}

void dx_stream_done(struct dx_packet *p, const struct dx_buf *b, uint32_t used,
		    dx_app_fn owner)
{
	struct dx_streams *s = p->streams;
	struct flow *f;
	struct half *h;
	struct held *nh;
	uint32_t rem, cap;

	if (!is_store_view(p, b))
		return;
	f = s->cur.flow;
	h = &f->half[s->cur.dir];
	s->cur.done = true;
	if (owner)
		f->owner = owner;
	if (used > b->len)
		used = b->len;
	rem = b->len - used;
	if (used <= b->frame_at && rem)
		dx_append_info(p, "%s[TCP segment of a reassembled PDU]", p->info[0] ? " " : "");
	/* the held bytes are in the view (scratch): start again from nothing */
	if (h->held) {
		unreserve(s, f, h->held->cap);
		free(h->held);
		h->held = NULL;
	}
	if (rem == 0)
		return;
	cap = rem < 256 ? 256 : rem;
	if (cap > s->flow_bytes)
		cap = rem;
	nh = alloc_charged(s, f, sizeof(*nh), cap);
	if (!nh) {
		s->st.dropped_messages++;
		return;
	}
	nh->cap = cap;
	nh->len = rem;
	memcpy(nh->data, b->data + used, rem);
	/* the segment starts that remain, shifted to the held message */
	nh->nb = 0;
	for (uint32_t i = 0; i < s->n_bounds; i++) {
		uint32_t at = s->bounds[i];
		uint32_t end = i + 1 < s->n_bounds ? s->bounds[i + 1] : b->len;

		if (end <= used || nh->nb >= HELD_BOUNDS)
			continue;
		nh->bounds[nh->nb++] = at > used ? at - used : 0;
	}
	h->held = nh;
}

bool dx_stream_can_hold(struct dx_packet *p, const struct dx_buf *b, uint64_t need)
{
	if (!is_store_view(p, b))
		return false;
	if (need <= p->streams->flow_bytes)
		return true;
	p->streams->st.dropped_messages++;
	return false;
}

bool dx_stream_mark(struct dx_packet *p, const struct dx_buf *b, uint32_t i, uint32_t n)
{
	struct dx_streams *s = p->streams;
	uint32_t segs = 0;
	int node;

	if (!is_store_view(p, b) || i >= b->frame_at)
		return false;
	for (uint32_t k = 0; k < s->n_bounds; k++) {
		uint32_t at = s->bounds[k];
		uint32_t end = k + 1 < s->n_bounds ? s->bounds[k + 1] : b->len;

		if (at < i + n && end > i)
			segs++;
	}
	node = dx_buf_text(b, i, n, "[%u Reassembled TCP Segments (%u bytes)]", segs, n);
	if (node >= 0) {
		dx_push(p);
		dx_buf_field(b, "tcp.segment.count", i, n, "%u", segs);
		dx_buf_field(b, "tcp.reassembled.length", i, n, "%u", n);
		dx_pop(p);
	}
	dx_mark(p, DX_F_REASSEMBLED);
	s->st.reassembled++;
	return true;
}

bool dx_stream_seen(struct dx_packet *p, const struct dx_conv *c)
{
	return cur_matches(p, c) && p->streams->cur.kind == CUR_SEEN;
}

bool dx_stream_tcp_numbers(struct dx_packet *p, const struct dx_conv *c,
			   struct dx_tcp_numbers *n)
{
	if (!cur_matches(p, c) || !p->streams->cur.numbered)
		return false;
	*n = p->streams->cur.numbers;
	return true;
}

bool dx_stream_tcp_quoted(struct dx_packet *p, const struct dx_conv *c,
			  struct dx_tcp_numbers *n)
{
	struct dx_streams *s = p->streams;
	struct flow_key k;
	struct flow *f;
	int dir;

	if (!s)
		return false;
	dir = make_key(c, &k);
	for (f = s->buckets[key_hash(&k, s->n_buckets)]; f; f = f->hnext)
		if (memcmp(&f->key, &k, sizeof(k)) == 0)
			break;
	memset(n, 0, sizeof(*n));
	n->seq = c->seq;
	n->ack = c->ack;
	n->window = c->window;
	n->scalefactor = DX_WSCALE_UNKNOWN;
	if (f && f->half[dir].num.wscale >= 0)
		n->scalefactor = 1 << f->half[dir].num.wscale;
	else if (f)
		n->scalefactor = f->half[dir].num.wscale;
	return true;
}

struct dx_stream_app *dx_stream_app(struct dx_packet *p, const struct dx_conv *c)
{
	return cur_matches(p, c) ? &p->streams->cur.flow->app : NULL;
}

int dx_stream_dir(struct dx_packet *p, const struct dx_conv *c)
{
	return cur_matches(p, c) ? p->streams->cur.dir : 0;
}

bool dx_stream_continue(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
			uint32_t len)
{
	dx_app_fn owner;

	if (!cur_matches(p, c))
		return false;
	owner = p->streams->cur.flow->owner;
	return owner ? owner(p, c, off, len) : false;
}
