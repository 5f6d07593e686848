// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The JSON text writer (see json_writer.h). */
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

void jw_init(struct json_writer *w, size_t headroom)
{
	memset(w, 0, sizeof(*w));
	w->start = w->len = headroom;
}

void jw_free(struct json_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

void jw_reset(struct json_writer *w)
{
	w->len = w->start;
	w->failed = false;
}

/* Room for n more bytes; false (and failed) when memory runs out. */
static bool reserve(struct json_writer *w, size_t n)
{
	size_t cap;
	char *buf;

	if (w->failed)
		return false;
	if (w->len + n <= w->cap)
		return true;
	cap = w->cap ? w->cap : 256;
	while (cap < w->len + n)
		cap *= 2;
	buf = realloc(w->buf, cap);
	if (!buf) {
		w->failed = true;
		return false;
	}
	w->buf = buf;
	w->cap = cap;
	return true;
}

static void put(struct json_writer *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* A comma unless this is the first thing in its object or array, or a value after its key. */
static void separate(struct json_writer *w)
{
	char last;

	if (w->len == w->start || w->failed)
		return;
	last = w->buf[w->len - 1];
	if (last != '{' && last != '[' && last != ':')
		put(w, ",", 1);
}

void jw_open(struct json_writer *w, char brace)
{
	separate(w);
	put(w, &brace, 1);
}

void jw_close(struct json_writer *w, char brace)
{
	put(w, &brace, 1);
}

/* Bytes a JSON string cannot hold as they are: below 0x20, '"' and '\\'. */
static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* As cJSON's print_string_ptr: short escapes, \u00XX below 0x20, other bytes as they are. */
static void put_string(struct json_writer *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c = (const unsigned char *)s, *run;
	size_t n = strlen(s);
	char *o;

	/* the worst case, every byte as \u00XX, then the quotes */
	if (!reserve(w, n * 6 + 2))
		return;
	o = w->buf + w->len;
	*o++ = '"';
	while (*c) {
		/* most text needs no escape: copy it a run at a time */
		for (run = c; *c && !needs_escape(*c); c++)
			;
		memcpy(o, run, (size_t)(c - run));
		o += c - run;
		if (!*c)
			break;
		*o++ = '\\';
		switch (*c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		}
		c++;
	}
	*o++ = '"';
	w->len = (size_t)(o - w->buf);
}

void jw_key(struct json_writer *w, const char *key)
{
	separate(w);
	put_string(w, key);
	put(w, ":", 1);
}

void jw_str(struct json_writer *w, const char *s)
{
	separate(w);
	put_string(w, s ? s : "");
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	char digits[20], *d = digits + sizeof(digits);

	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	separate(w);
	put(w, d, (size_t)(digits + sizeof(digits) - d));
}

void jw_bool(struct json_writer *w, bool v)
{
	separate(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_raw(struct json_writer *w, const char *json)
{
	separate(w);
	put(w, json, strlen(json));
}
