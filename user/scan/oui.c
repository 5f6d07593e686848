// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * MAC address vendors from Debian's ieee-data: the IEEE registries MA-L (24-bit
 * prefixes, oui.csv), MA-M (28-bit, mam.csv), MA-S (36-bit, oui36.csv) and the
 * older IAB (36-bit, iab.csv). The files are CSV with quoted fields; a longer
 * prefix is a sub-assignment of a shorter one, so the longest match wins.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oui.h"
#include "scan.h"

#define IEEE_DATA_DIR "/usr/share/ieee-data"

struct oui_entry {
	uint64_t prefix;	/* the first `bits` bits of the MAC, right-aligned */
	const char *vendor;
};

/* one table per prefix length, longest first */
static const unsigned int prefix_bits[] = { 36, 28, 24 };
#define N_LENGTHS (sizeof(prefix_bits) / sizeof(prefix_bits[0]))

static struct {
	struct oui_entry *e;
	size_t n, cap;
	int sorted;
} tables[N_LENGTHS];
static bool loaded;	/* the system registries were read (or a test chose its own) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int csv_split(const char *line, char *buf, size_t buf_len, char **fields, int max)
{
	const char *s = line;
	size_t o = 0;
	int n = 0;

	if (!buf_len || max <= 0)
		return -1;
	for (;;) {
		if (n == max)
			return n;
		fields[n++] = buf + o;
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"') {
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					s++;
				}
				if (o + 1 >= buf_len)
					return -1;
				buf[o++] = s[-1];
			}
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r') {
			if (o + 1 >= buf_len)
				return -1;
			buf[o++] = *s++;
		}
		buf[o++] = 0;
		if (*s != ',')
			return n;
		s++;
	}
}

static int table_for_bits(unsigned int bits)
{
	for (size_t i = 0; i < N_LENGTHS; i++)
		if (prefix_bits[i] == bits)
			return (int)i;
	return -1;
}

static int add_entry(unsigned int bits, uint64_t prefix, const char *vendor)
{
	int t = table_for_bits(bits);
	struct oui_entry *e;

	if (t < 0)
		return -EINVAL;
	if (tables[t].n == tables[t].cap) {
		size_t cap = tables[t].cap ? tables[t].cap * 2 : 1024;

		e = realloc(tables[t].e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		tables[t].e = e;
		tables[t].cap = cap;
	}
	e = &tables[t].e[tables[t].n];
	e->vendor = strdup(vendor);
	if (!e->vendor)
		return -ENOMEM;
	e->prefix = prefix;
	tables[t].n++;
	tables[t].sorted = 0;
	return 0;
}

static int load_file_locked(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], buf[1024], *fields[4];
	int added = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int n = csv_split(line, buf, sizeof(buf), fields, 4);
		size_t hex_len;
		uint64_t prefix;
		char *end;

		if (n < 3 || !strcmp(fields[0], "Registry"))
			continue;
		hex_len = strlen(fields[1]);
		if (hex_len != 6 && hex_len != 7 && hex_len != 9)
			continue;
		prefix = strtoull(fields[1], &end, 16);
		if (*end)
			continue;
		if (add_entry((unsigned int)hex_len * 4, prefix, fields[2]) == 0)
			added++;
	}
	fclose(f);
	return added;
}

int oui_load_file(const char *path)
{
	int added;

	pthread_mutex_lock(&lock);
	loaded = true;
	added = load_file_locked(path);
	pthread_mutex_unlock(&lock);
	return added;
}

/* called with the lock held */
static void load_system(void)
{
	static const char *const files[] = { "oui.csv", "mam.csv", "oui36.csv", "iab.csv" };
	const char *dir = getenv("GT_IEEE_DATA_DIR");
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir ? dir : IEEE_DATA_DIR, files[i]);
		load_file_locked(path);
	}
}

void oui_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t t = 0; t < N_LENGTHS; t++) {
		for (size_t i = 0; i < tables[t].n; i++)
			free((void *)tables[t].e[i].vendor);
		free(tables[t].e);
		memset(&tables[t], 0, sizeof(tables[t]));
	}
	loaded = true;	/* tests load their own files next */
	pthread_mutex_unlock(&lock);
}

static int by_prefix(const void *a, const void *b)
{
	const struct oui_entry *x = a, *y = b;

	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

bool mac_is_local(const uint8_t mac[6])
{
	return mac[0] & 0x02;
}

const char *oui_vendor(const uint8_t mac[6])
{
	uint64_t m = 0;
	const char *found = NULL;

	for (int i = 0; i < 6; i++)
		m = m << 8 | mac[i];
	pthread_mutex_lock(&lock);
	if (!loaded) {
		load_system();
		loaded = true;
	}
	for (size_t t = 0; t < N_LENGTHS && !found; t++) {
		struct oui_entry key = { .prefix = m >> (48 - prefix_bits[t]) }, *hit;

		if (!tables[t].n)
			continue;
		if (!tables[t].sorted) {
			qsort(tables[t].e, tables[t].n, sizeof(struct oui_entry), by_prefix);
			tables[t].sorted = 1;
		}
		hit = bsearch(&key, tables[t].e, tables[t].n, sizeof(struct oui_entry), by_prefix);
		if (hit)
			found = hit->vendor;
	}
	pthread_mutex_unlock(&lock);
	return found;
}
