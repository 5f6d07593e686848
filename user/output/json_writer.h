/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A JSON text writer into one growing buffer, for the hot paths (packet batches,
 * read --json) where building a cJSON tree and printing it cost more than the
 * dissection. Strings are escaped and integers printed exactly as cJSON prints
 * them, so the text is the same as before. Commas are placed by the writer: a
 * key or a value after another one in the same object or array gets one.
 * Out of memory is sticky: jw_failed() says so at the end, once.
 */
#ifndef GT_JSON_WRITER_H
#define GT_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer {
	char *buf;
	size_t len, cap;
	size_t start;		/* bytes reserved before the text (LWS_PRE), not JSON */
	bool failed;
};

/* An empty writer whose text starts after headroom reserved bytes. */
void jw_init(struct json_writer *w, size_t headroom);
void jw_free(struct json_writer *w);
/* Back to empty, keeping the memory. */
void jw_reset(struct json_writer *w);
static inline const char *jw_text(const struct json_writer *w) { return w->buf + w->start; }
static inline size_t jw_len(const struct json_writer *w) { return w->len - w->start; }
static inline bool jw_failed(const struct json_writer *w) { return w->failed; }

void jw_open(struct json_writer *w, char brace);	/* '{' or '[' */
void jw_close(struct json_writer *w, char brace);	/* '}' or ']' */
void jw_key(struct json_writer *w, const char *key);
void jw_str(struct json_writer *w, const char *s);
void jw_u64(struct json_writer *w, uint64_t v);
void jw_bool(struct json_writer *w, bool v);
/* Text that is already JSON (a number formatted elsewhere). */
void jw_raw(struct json_writer *w, const char *json);

/* key: value shorthands */
static inline void jw_kstr(struct json_writer *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

static inline void jw_ku64(struct json_writer *w, const char *k, uint64_t v)
{
	jw_key(w, k);
	jw_u64(w, v);
}

#endif /* GT_JSON_WRITER_H */
