// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * nmap-service-probes reader and matcher (the format: nmap.org/book/vscan-fileformat).
 * Only "match" lines of the NULL and GetRequest probes are kept; softmatches
 * and the other probes are skipped, which keeps this small and bounded.
 *   match ssh m|^SSH-2\.0-dropbear_([-\w.]+)\r?\n| p/Dropbear sshd/ v/$1/ i/protocol 2.0/
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmap_probes.h"

struct fingerprint {
	pcre2_code *re;
	char service[32];
	char *product, *version, *info;	/* templates with $1..$9, or NULL */
};

static struct {
	struct fingerprint *v;
	size_t n, cap;
} probes[NMAP_PROBE_COUNT];
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int load_state;	/* 0 not tried, 1 loaded, -1 absent */

/* text between delimiters: s points at the delimiter; returns a malloc'd copy, *end past it */
static char *delimited(const char *s, const char **end)
{
	char delim = *s, *copy;
	const char *close = strchr(s + 1, delim);

	if (!delim || !close)
		return NULL;
	copy = strndup(s + 1, (size_t)(close - s - 1));
	*end = close + 1;
	return copy;
}

static void add_fingerprint(int probe, const char *line)
{
	struct fingerprint fp = { 0 };
	const char *s = line + strlen("match "), *end;
	char *pattern;
	uint32_t flags = 0;
	int errcode;
	PCRE2_SIZE erroff;

	size_t name_len = strcspn(s, " ");

	if (name_len == 0 || name_len >= sizeof(fp.service))
		return;
	memcpy(fp.service, s, name_len);
	s += name_len + 1;
	if (*s != 'm')
		return;
	pattern = delimited(s + 1, &end);
	if (!pattern)
		return;
	for (; *end && *end != ' '; end++) {
		if (*end == 'i')
			flags |= PCRE2_CASELESS;
		else if (*end == 's')
			flags |= PCRE2_DOTALL;
	}
	fp.re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags, &errcode, &erroff,
			      NULL);
	free(pattern);
	if (!fp.re)
		return;
	/* version fields: p/.../ v/.../ i/.../ and others we skip (h, o, d, cpe) */
	for (s = end; *s;) {
		char **slot = NULL, *text;

		while (*s == ' ')
			s++;
		if (!*s || *s == '\n')
			break;
		if (!strncmp(s, "cpe:", 4))
			s += 3;
		else if (*s == 'p')
			slot = &fp.product;
		else if (*s == 'v')
			slot = &fp.version;
		else if (*s == 'i')
			slot = &fp.info;
		text = delimited(s + 1, &end);
		if (!text)
			break;
		if (slot && !*slot)
			*slot = text;
		else
			free(text);
		s = end;
		if (*s == 'a')	/* cpe's trailing flag */
			s++;
	}
	if (probes[probe].n == probes[probe].cap) {
		size_t cap = probes[probe].cap ? probes[probe].cap * 2 : 1024;
		struct fingerprint *v = realloc(probes[probe].v, cap * sizeof(*v));

		if (!v)
			goto drop;
		probes[probe].v = v;
		probes[probe].cap = cap;
	}
	probes[probe].v[probes[probe].n++] = fp;
	return;
drop:
	pcre2_code_free(fp.re);
	free(fp.product);
	free(fp.version);
	free(fp.info);
}

void nmap_data_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("NMAPDIR");

	snprintf(buf, len, "%s/%s", dir && *dir ? dir : NMAP_DATA_DIR, name);
}

bool nmap_probes_load(const char *path)
{
	char def[512];
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	int probe = -1;

	pthread_mutex_lock(&load_lock);
	if (load_state) {
		pthread_mutex_unlock(&load_lock);
		return load_state > 0;
	}
	load_state = -1;
	nmap_data_path("nmap-service-probes", def, sizeof(def));
	f = fopen(path ? path : def, "r");
	if (f) {
		while (getline(&line, &cap, f) > 0) {
			if (!strncmp(line, "Probe ", 6))
				probe = !strncmp(line, "Probe TCP NULL ", 15) ? NMAP_PROBE_NULL :
					!strncmp(line, "Probe TCP GetRequest ", 21) ? NMAP_PROBE_GET : -1;
			else if (probe >= 0 && !strncmp(line, "match ", 6))
				add_fingerprint(probe, line);
		}
		free(line);
		fclose(f);
		if (probes[NMAP_PROBE_NULL].n)
			load_state = 1;
	}
	pthread_mutex_unlock(&load_lock);
	return load_state > 0;
}

void nmap_probes_reset(void)
{
	pthread_mutex_lock(&load_lock);
	for (int p = 0; p < NMAP_PROBE_COUNT; p++) {
		for (size_t i = 0; i < probes[p].n; i++) {
			pcre2_code_free(probes[p].v[i].re);
			free(probes[p].v[i].product);
			free(probes[p].v[i].version);
			free(probes[p].v[i].info);
		}
		free(probes[p].v);
		memset(&probes[p], 0, sizeof(probes[p]));
	}
	load_state = 0;
	pthread_mutex_unlock(&load_lock);
}

size_t nmap_probes_count(enum nmap_probe probe)
{
	return probes[probe].n;
}

/* nmap's template: $1..$9, $P(n) printable only, $SUBST(n,"a","b"); $I() is left out */
static void expand(const char *tmpl, const unsigned char *subj, pcre2_match_data *md, int rc,
		   char *out, size_t out_len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t o = 0;

	for (const char *t = tmpl; t && *t && o + 1 < out_len; t++) {
		int group = -1;
		bool printable = false;

		if (t[0] == '$' && t[1] >= '1' && t[1] <= '9') {
			group = t[1] - '0';
			t++;
		} else if (!strncmp(t, "$P(", 3) && t[3] >= '1' && t[3] <= '9' && t[4] == ')') {
			group = t[3] - '0';
			printable = true;
			t += 4;
		} else if (!strncmp(t, "$SUBST(", 7) && t[7] >= '1' && t[7] <= '9') {
			group = t[7] - '0';
			t = strchr(t, ')');
			if (!t)
				break;
		} else if (!strncmp(t, "$I(", 3)) {
			t = strchr(t, ')');
			if (!t)
				break;
			continue;
		}
		if (group < 0) {
			out[o++] = *t;
			continue;
		}
		if (group >= rc || ov[2 * group] == PCRE2_UNSET)
			continue;
		for (PCRE2_SIZE i = ov[2 * group]; i < ov[2 * group + 1] && o + 1 < out_len; i++) {
			unsigned char c = subj[i];

			if (c >= 0x20 && c < 0x7f)
				out[o++] = (char)c;
			else if (!printable)
				out[o++] = '.';
		}
	}
	out[o] = 0;
}

bool nmap_probes_match(enum nmap_probe probe, const unsigned char *resp, size_t len,
		       struct nmap_match *out)
{
	pcre2_match_data *md;
	bool found = false;

	if (!nmap_probes_load(NULL) || !len)
		return false;
	md = pcre2_match_data_create(10, NULL);
	if (!md)
		return false;
	for (size_t i = 0; i < probes[probe].n && !found; i++) {
		const struct fingerprint *fp = &probes[probe].v[i];
		int rc = pcre2_match(fp->re, resp, len, 0, 0, md, NULL);

		if (rc < 0)
			continue;
		if (rc == 0)
			rc = 10;
		memset(out, 0, sizeof(*out));
		snprintf(out->service, sizeof(out->service), "%s", fp->service);
		expand(fp->product, resp, md, rc, out->product, sizeof(out->product));
		expand(fp->version, resp, md, rc, out->version, sizeof(out->version));
		expand(fp->info, resp, md, rc, out->info, sizeof(out->info));
		found = true;
	}
	pcre2_match_data_free(md);
	return found;
}
