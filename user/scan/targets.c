// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Scan targets and ports from the command line: addresses, CIDRs, ranges
 * (10.0.0.1-20 or 10.0.0.1-10.0.0.20) and comma lists; ports as 22,80,1000-2000.
 * The target list is exactly what gets probed, so parsing is strict: anything
 * odd is an error, never a guess.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

static int grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*buf, ncap * elem);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = ncap;
	return 0;
}

/* sorted holds (host-order address << 32 | position) so a lookup also finds the position */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int scan_targets_finish(struct scan_targets *t)
{
	uint64_t *keys;
	uint8_t *dup;
	size_t n = 0;

	free(t->sorted);
	t->sorted = NULL;
	keys = malloc((t->n ? t->n : 1) * sizeof(*keys));
	dup = calloc(t->n ? t->n : 1, 1);
	if (!keys || !dup) {
		free(keys);
		free(dup);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n; i++)
		keys[i] = (uint64_t)ntohl(t->addrs[i]) << 32 | i;
	qsort(keys, t->n, sizeof(*keys), cmp_u64);
	/* among equal addresses the first given sorts first: drop the others */
	for (size_t i = 1; i < t->n; i++)
		if (keys[i] >> 32 == keys[i - 1] >> 32)
			dup[(uint32_t)keys[i]] = 1;
	for (size_t i = 0; i < t->n; i++)
		if (!dup[i])
			t->addrs[n++] = t->addrs[i];
	free(dup);
	t->n = n;
	for (size_t i = 0; i < n; i++)
		keys[i] = (uint64_t)ntohl(t->addrs[i]) << 32 | i;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	t->sorted = keys;
	return 0;
}

long scan_targets_index(const struct scan_targets *t, uint32_t addr_be)
{
	const uint64_t *keys = t->sorted;
	uint64_t want = ntohl(addr_be);
	size_t lo = 0, hi = t->n;

	if (!keys) {
		for (size_t i = 0; i < t->n; i++)
			if (t->addrs[i] == addr_be)
				return (long)i;
		return -1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys[mid] >> 32 < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && keys[lo] >> 32 == want)
		return (long)(uint32_t)keys[lo];
	return -1;
}

bool scan_targets_contains(const struct scan_targets *t, uint32_t addr_be)
{
	return scan_targets_index(t, addr_be) >= 0;
}

int scan_targets_add_one(struct scan_targets *t, uint32_t addr_be)
{
	if (t->n >= SCAN_MAX_TARGETS)
		return -E2BIG;
	if (grow((void **)&t->addrs, &t->cap, t->n + 1, sizeof(*t->addrs)))
		return -ENOMEM;
	t->addrs[t->n++] = addr_be;
	return 0;
}

static int add_range(struct scan_targets *t, uint32_t lo, uint32_t hi)
{
	if (hi < lo)
		return -EINVAL;
	if ((uint64_t)hi - lo + 1 + t->n > SCAN_MAX_TARGETS)
		return -E2BIG;
	for (uint64_t a = lo; a <= hi; a++) {
		int err = scan_targets_add_one(t, htonl((uint32_t)a));

		if (err)
			return err;
	}
	return 0;
}

static int parse_addr(const char *s, uint32_t *host_order)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*host_order = ntohl(a.s_addr);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -EINVAL;
	return 0;
}

static int add_one_spec(struct scan_targets *t, char *s)
{
	char *slash = strchr(s, '/'), *dash = strchr(s, '-');
	uint32_t lo, hi;
	unsigned long v;

	if (slash) {
		*slash = 0;
		if (parse_addr(s, &lo) || parse_uint(slash + 1, 32, &v))
			return -EINVAL;
		uint32_t mask = v ? ~0u << (32 - v) : 0;

		lo &= mask;
		hi = lo | ~mask;
		/* a subnet's network and broadcast addresses are not hosts */
		if (v <= 30) {
			lo++;
			hi--;
		}
		return add_range(t, lo, hi);
	}
	if (dash) {
		*dash = 0;
		if (parse_addr(s, &lo))
			return -EINVAL;
		if (strchr(dash + 1, '.')) {
			if (parse_addr(dash + 1, &hi))
				return -EINVAL;
		} else {
			if (parse_uint(dash + 1, 255, &v))
				return -EINVAL;
			hi = (lo & ~0xffu) | v;
		}
		return add_range(t, lo, hi);
	}
	if (parse_addr(s, &lo))
		return -EINVAL;
	return scan_targets_add_one(t, htonl(lo));
}

int scan_targets_add(struct scan_targets *t, const char *spec)
{
	char *copy = strdup(spec), *rest = copy, *tok;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	/* strsep, not strtok: an empty item ("a,,b") is an error, not skipped */
	while (!err && (tok = strsep(&rest, ",")))
		err = *tok ? add_one_spec(t, tok) : -EINVAL;
	free(copy);
	return err;
}

void scan_targets_free(struct scan_targets *t)
{
	free(t->addrs);
	free(t->sorted);
	memset(t, 0, sizeof(*t));
}

static int ports_add_one(struct scan_ports *p, uint16_t port)
{
	if (p->seen[port / 64] & (1ull << (port % 64)))
		return 0;
	if (grow((void **)&p->ports, &p->cap, p->n + 1, sizeof(*p->ports)))
		return -ENOMEM;
	p->seen[port / 64] |= 1ull << (port % 64);
	p->ports[p->n++] = port;
	return 0;
}

int scan_ports_add(struct scan_ports *p, const char *spec)
{
	char *copy = strdup(spec), *rest = copy, *tok;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	while (!err && (tok = strsep(&rest, ","))) {
		char *dash = strchr(tok, '-');
		unsigned long lo, hi;

		if (dash)
			*dash = 0;
		if (parse_uint(tok, 65535, &lo) || (dash && parse_uint(dash + 1, 65535, &hi))) {
			err = -EINVAL;
			break;
		}
		if (!dash)
			hi = lo;
		if (lo == 0 || hi < lo) {
			err = -EINVAL;
			break;
		}
		for (unsigned long port = lo; port <= hi && !err; port++)
			err = ports_add_one(p, (uint16_t)port);
	}
	free(copy);
	return err;
}

int scan_ports_add_list(struct scan_ports *p, const uint16_t *ports, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n && !err; i++)
		err = ports_add_one(p, ports[i]);
	return err;
}

void scan_ports_free(struct scan_ports *p)
{
	free(p->ports);
	memset(p, 0, sizeof(*p));
}
