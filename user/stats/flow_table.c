// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The userspace flow table. Each update copies the kernel map in one pass,
 * sorts the copy by key and merges it with the previous copy (same order), so
 * rates and export marks carry over in O(n log n) without a second hash table.
 * Flows whose last packet is older than the idle timeout are deleted from the
 * kernel map and reported one last time; so are flows the kernel's LRU evicted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "capture/engine.h"
#include "flow_table.h"

uint64_t boot_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void flow_table_init(struct flow_table *t, uint64_t idle_timeout_ns, flow_end_fn on_end,
		     void *user)
{
	memset(t, 0, sizeof(*t));
	t->idle_timeout_ns = idle_timeout_ns;
	t->on_end = on_end;
	t->user = user;
}

void flow_table_free(struct flow_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

int flow_key_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct flow_stat *)a)->key, &((const struct flow_stat *)b)->key,
		      sizeof(struct gt_flow_key));
}

uint64_t flow_stat_bytes(const struct flow_stat *f)
{
	return f->val.bytes[0] + f->val.bytes[1];
}

uint64_t flow_stat_packets(const struct flow_stat *f)
{
	return f->val.packets[0] + f->val.packets[1];
}

int flow_stat_initiator(const struct flow_stat *f)
{
	return f->val.first_side == GT_SIDE_B_TO_A ? GT_SIDE_B_TO_A : GT_SIDE_A_TO_B;
}

const char *flow_tcp_state(const struct flow_stat *f)
{
	enum { FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10 };
	uint8_t fl = f->val.tcp_flags;

	if (f->key.proto != 6)
		return "";
	if (fl & RST)
		return "reset";
	if (fl & FIN)
		return "closing";
	if ((fl & SYN) && !(fl & ACK))
		return "syn_sent";
	return "established";	/* also a connection already open when we started */
}

int flow_sort_parse(const char *name, enum flow_sort *out)
{
	if (!strcmp(name, "bytes"))
		*out = FLOW_SORT_BYTES;
	else if (!strcmp(name, "packets"))
		*out = FLOW_SORT_PACKETS;
	else if (!strcmp(name, "rate"))
		*out = FLOW_SORT_RATE;
	else
		return -EINVAL;
	return 0;
}

struct fresh_list {
	struct flow_stat *v;
	size_t n, cap;
};

static int collect(void *user, const struct gt_flow_key *key, const struct gt_flow_value *val)
{
	struct fresh_list *l = user;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct flow_stat *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].key = *key;
	l->v[l->n].val = *val;
	l->n++;
	return 0;
}

static void carry_over(struct flow_stat *f, const struct flow_stat *old, double secs)
{
	uint64_t was_b = old ? flow_stat_bytes(old) : 0, was_p = old ? flow_stat_packets(old) : 0;
	uint64_t b = flow_stat_bytes(f), p = flow_stat_packets(f);
	struct app_guess g;

	/* a counter that went backwards is a new flow that reused the key */
	if (old && (b < was_b || p < was_p))
		old = NULL, was_b = was_p = 0;
	f->bytes_per_s = secs > 0 ? (double)(b - was_b) / secs : 0;
	f->packets_per_s = secs > 0 ? (double)(p - was_p) / secs : 0;
	if (old) {
		memcpy(f->exported_packets, old->exported_packets, sizeof(f->exported_packets));
		memcpy(f->exported_bytes, old->exported_bytes, sizeof(f->exported_bytes));
		f->export_start_ns = old->export_start_ns;
	} else {
		f->export_start_ns = f->val.first_seen_ns;
	}
	g = app_of(&f->key);
	f->app = g.name;
	f->encrypted = g.encrypted;
}

void flow_table_merge(struct flow_table *t, struct flow_stat *fresh, size_t n,
		      uint64_t now_boot_ns, struct engine *e)
{
	double secs = t->updated_ns && now_boot_ns > t->updated_ns ?
			      (double)(now_boot_ns - t->updated_ns) / 1e9 : 0;
	size_t i = 0, j = 0, kept = 0;

	/* both lists are sorted by key: one walk pairs them */
	while (i < n || j < t->n) {
		int c = i == n ? 1 : j == t->n ? -1 : flow_key_cmp(&fresh[i], &t->v[j]);

		if (c > 0) {	/* only in the old table: the kernel's LRU evicted it */
			t->evicted++;
			if (t->on_end)
				t->on_end(t->user, &t->v[j], FLOW_END_EVICTED);
			j++;
			continue;
		}
		carry_over(&fresh[i], c == 0 ? &t->v[j] : NULL, secs);
		if (c == 0)
			j++;
		if (t->idle_timeout_ns && now_boot_ns > fresh[i].val.last_seen_ns &&
		    now_boot_ns - fresh[i].val.last_seen_ns >= t->idle_timeout_ns) {
			t->retired++;
			if (t->on_end)
				t->on_end(t->user, &fresh[i], FLOW_END_IDLE);
			if (e)
				engine_delete_flow(e, &fresh[i].key);
			i++;
			continue;
		}
		fresh[kept++] = fresh[i++];
	}
	free(t->v);
	t->v = fresh;
	t->n = kept;
	t->cap = n;
	t->updated_ns = now_boot_ns;
}

int flow_table_update(struct flow_table *t, struct engine *e, uint64_t now_boot_ns)
{
	struct fresh_list l = {};
	int err = engine_for_each_flow(e, collect, &l);

	if (err) {
		free(l.v);
		return err;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), flow_key_cmp);
	flow_table_merge(t, l.v, l.n, now_boot_ns, e);
	return 0;
}

void flow_table_flush(struct flow_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->on_end)
			t->on_end(t->user, &t->v[i], FLOW_END_FINAL);
	flow_table_free(t);
}

static enum flow_sort sort_key;

static int by_sort_key(const void *x, const void *y)
{
	const struct flow_stat *a = *(const struct flow_stat *const *)x;
	const struct flow_stat *b = *(const struct flow_stat *const *)y;
	double va, vb;

	switch (sort_key) {
	case FLOW_SORT_PACKETS:
		va = (double)flow_stat_packets(a), vb = (double)flow_stat_packets(b);
		break;
	case FLOW_SORT_RATE:
		va = a->bytes_per_s, vb = b->bytes_per_s;
		if (va == vb)	/* idle flows: the bigger first */
			va = (double)flow_stat_bytes(a), vb = (double)flow_stat_bytes(b);
		break;
	default:
		va = (double)flow_stat_bytes(a), vb = (double)flow_stat_bytes(b);
	}
	return va < vb ? 1 : va > vb ? -1 : flow_key_cmp(a, b);
}

const struct flow_stat **flow_table_sorted(const struct flow_table *t, enum flow_sort by,
					   size_t *n)
{
	const struct flow_stat **p;

	*n = 0;
	if (!t->n)
		return NULL;
	p = malloc(t->n * sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		p[i] = &t->v[i];
	sort_key = by;	/* single-threaded: qsort has no context argument */
	qsort(p, t->n, sizeof(*p), by_sort_key);
	*n = t->n;
	return p;
}
