// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * HTTP/1.x (RFC 9112): request and status lines, header fields, the body's
 * length (Content-Length, chunked transfer coding). The body is not dissected
 * further: it shows as http.file_data. Headers and bodies spanning TCP
 * segments are rebuilt by stream.c. Field names and value forms are
 * Wireshark's (tshark -T fields).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stream.h"

#define LINE_MAX_TEXT 1024
#define FILE_DATA_MAX 2048	/* body bytes shown as http.file_data */

struct header_field {
	const char *header;	/* lower case */
	const char *field;
};

static const struct header_field header_fields[] = {
	{ "host", "http.host" },
	{ "user-agent", "http.user_agent" },
	{ "accept", "http.accept" },
	{ "accept-encoding", "http.accept_encoding" },
	{ "accept-language", "http.accept_language" },
	{ "authorization", "http.authorization" },
	{ "cache-control", "http.cache_control" },
	{ "connection", "http.connection" },
	{ "content-encoding", "http.content_encoding" },
	{ "content-type", "http.content_type" },
	{ "cookie", "http.cookie" },
	{ "date", "http.date" },
	{ "if-modified-since", "http.if_modified_since" },
	{ "last-modified", "http.last_modified" },
	{ "location", "http.location" },
	{ "proxy-authorization", "http.proxy_authorization" },
	{ "referer", "http.referer" },
	{ "server", "http.server" },
	{ "set-cookie", "http.set_cookie" },
	{ "transfer-encoding", "http.transfer_encoding" },
	{ "upgrade", "http.upgrade" },
	{ "www-authenticate", "http.www_authenticate" },
	{ "x-forwarded-for", "http.x_forwarded_for" },
};

static const char *const methods[] = {
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH",
	"NOTIFY", "M-SEARCH", "SUBSCRIBE", "UNSUBSCRIBE",
};

struct status_desc {
	uint16_t code;
	const char *desc;
};

static const struct status_desc status_descs[] = {
	{ 100, "Continue" }, { 101, "Switching Protocols" }, { 200, "OK" },
	{ 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
	{ 206, "Partial Content" }, { 301, "Moved Permanently" }, { 302, "Found" },
	{ 303, "See Other" }, { 304, "Not Modified" }, { 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 408, "Request Time-out" }, { 409, "Conflict" }, { 410, "Gone" },
	{ 411, "Length Required" }, { 413, "Request Entity Too Large" },
	{ 415, "Unsupported Media Type" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
	{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
	{ 504, "Gateway Time-out" }, { 505, "HTTP Version not supported" },
};

struct message {
	bool request;
	uint16_t code;
	uint32_t line_end;	/* index past the first line's CRLF */
	uint32_t head_end;	/* index past the empty line, 0 when not seen */
	bool has_length, chunked;
	uint64_t content_length;
	uint32_t end;		/* index past the body, 0 when not all here */
	char media[128];	/* content type without parameters */
	char host[256];
	char uri[LINE_MAX_TEXT];
};

/* Copies a string, cut to the destination (no truncation warning wanted). */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Index past the next "\n" from i (a line may end "\r\n" or "\n"), or 0. */
static uint32_t line_end(const struct dx_buf *b, uint32_t i)
{
	const uint8_t *nl;

	if (i >= b->len)
		return 0;
	nl = memchr(b->data + i, '\n', b->len - i);
	return nl ? (uint32_t)(nl - b->data) + 1 : 0;
}

/* Length of the line [i, end) without its "\r\n" or "\n". */
static uint32_t line_text_len(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	uint32_t n = end - i;

	if (n && dx_buf_u8(b, i + n - 1) == '\n')
		n--;
	if (n && dx_buf_u8(b, i + n - 1) == '\r')
		n--;
	return n;
}

/* A request or status line starts at i? */
static bool is_start(const struct dx_buf *b, uint32_t i, bool *request)
{
	uint32_t have = b->len - i;

	if (i >= b->len)
		return false;
	if (have >= 7 && memcmp(b->data + i, "HTTP/1.", 7) == 0) {
		*request = false;
		return true;
	}
	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		size_t n = strlen(methods[k]);

		if (have > n && !memcmp(b->data + i, methods[k], n) && dx_buf_u8(b, i + n) == ' ') {
			*request = true;
			return true;
		}
	}
	return false;
}

static const char *status_text(uint16_t code)
{
	for (size_t k = 0; k < sizeof(status_descs) / sizeof(status_descs[0]); k++)
		if (status_descs[k].code == code)
			return status_descs[k].desc;
	return "Unknown";
}

/* The end of a chunked body starting at i, or 0 when it does not end in b. */
static uint32_t chunked_end(const struct dx_buf *b, uint32_t i)
{
	for (int guard = 0; guard < 100000; guard++) {
		uint32_t e = line_end(b, i);
		unsigned long size;
		char num[20];
		uint32_t n;

		if (!e)
			return 0;
		n = line_text_len(b, i, e);
		if (n >= sizeof(num))
			n = sizeof(num) - 1;
		memcpy(num, b->data + i, n);
		num[n] = '\0';
		size = strtoul(num, NULL, 16);
		if (size == 0) {
			/* trailer fields up to the empty line */
			for (i = e; (e = line_end(b, i)) != 0; i = e)
				if (line_text_len(b, i, e) == 0)
					return e;
			return 0;
		}
		if (size > b->len || e + size + 2 > b->len)
			return 0;
		i = e + (uint32_t)size;
		e = line_end(b, i);
		if (!e)
			return 0;
		i = e;
	}
	return 0;
}

/* First pass over the head: where it ends, the body's length. */
static void scan(const struct dx_buf *b, uint32_t i, struct message *m)
{
	uint32_t e;

	m->line_end = line_end(b, i);
	if (!m->line_end)
		return;
	if (!m->request) {
		uint32_t k = i;

		while (k < m->line_end && dx_buf_u8(b, k) != ' ')
			k++;
		for (k++; k < m->line_end && dx_buf_u8(b, k) >= '0' && dx_buf_u8(b, k) <= '9'; k++)
			m->code = (uint16_t)(m->code * 10 + (dx_buf_u8(b, k) - '0'));
	}
	for (i = m->line_end; (e = line_end(b, i)) != 0; i = e) {
		uint32_t n = line_text_len(b, i, e);
		char value[32];
		const uint8_t *colon;

		if (n == 0) {
			m->head_end = e;
			break;
		}
		colon = memchr(b->data + i, ':', n);
		if (!colon)
			continue;
		if (colon - (b->data + i) == 14 && strncasecmp((const char *)b->data + i,
							       "content-length", 14) == 0) {
			uint32_t v = (uint32_t)(colon - b->data) + 1, vn = i + n - v;

			if (vn >= sizeof(value))
				vn = sizeof(value) - 1;
			memcpy(value, b->data + v, vn);
			value[vn] = '\0';
			m->has_length = true;
			m->content_length = strtoull(value, NULL, 10);
		} else if (colon - (b->data + i) == 17 &&
			   strncasecmp((const char *)b->data + i, "transfer-encoding", 17) == 0 &&
			   memmem(colon, (size_t)(b->data + i + n - colon), "chunked", 7)) {
			m->chunked = true;
		}
	}
	if (!m->head_end)
		return;
	if (m->chunked) {
		m->end = chunked_end(b, m->head_end);
	} else if (m->has_length) {
		if (m->content_length <= b->len - m->head_end)
			m->end = m->head_end + (uint32_t)m->content_length;
	} else if (m->request || m->code / 100 == 1 || m->code == 204 || m->code == 304) {
		m->end = m->head_end;
	} else {
		m->end = b->len;	/* until the connection closes: what is here */
	}
}

/* A string field of the view range [i, end). */
static void text_field(const struct dx_buf *b, const char *name, uint32_t i, uint32_t end)
{
	char text[LINE_MAX_TEXT];

	dx_buf_field(b, name, i, end - i, "%s", dx_buf_str(b, i, end - i, text, sizeof(text)));
}

/* The request target's path and query with its parameters, at [i, end). */
static void uri_parts(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	const uint8_t *q = memchr(b->data + i, '?', end - i);
	uint32_t qi;

	if (!q)
		return;
	qi = (uint32_t)(q - b->data);
	dx_push(b->p);
	text_field(b, "http.request.uri.path", i, qi);
	text_field(b, "http.request.uri.query", qi + 1, end);
	dx_push(b->p);
	for (uint32_t a = qi + 1, e; a < end; a = e + 1) {
		const uint8_t *amp = memchr(b->data + a, '&', end - a);

		e = amp ? (uint32_t)(amp - b->data) : end;
		text_field(b, "http.request.uri.query.parameter", a, e);
	}
	dx_pop(b->p);
	dx_pop(b->p);
}

static void request_line(const struct dx_buf *b, uint32_t i, uint32_t n, struct message *m)
{
	uint32_t sp1, sp2;

	for (sp1 = 0; sp1 < n && dx_buf_u8(b, i + sp1) != ' '; sp1++)
		;
	for (sp2 = sp1 + 1; sp2 < n && dx_buf_u8(b, i + sp2) != ' '; sp2++)
		;
	text_field(b, "http.request.method", i, i + sp1);
	if (sp1 >= n)
		return;
	dx_buf_str(b, i + sp1 + 1, sp2 - sp1 - 1, m->uri, sizeof(m->uri));
	dx_buf_field(b, "http.request.uri", i + sp1 + 1, sp2 - sp1 - 1, "%s", m->uri);
	uri_parts(b, i + sp1 + 1, i + sp2);
	if (sp2 < n)
		text_field(b, "http.request.version", i + sp2 + 1, i + n);
}

static void status_line(const struct dx_buf *b, uint32_t i, uint32_t n)
{
	uint32_t sp1, sp2;
	uint16_t code = 0;

	for (sp1 = 0; sp1 < n && dx_buf_u8(b, i + sp1) != ' '; sp1++)
		;
	for (sp2 = sp1 + 1; sp2 < n && dx_buf_u8(b, i + sp2) != ' '; sp2++) {
		uint8_t d = dx_buf_u8(b, i + sp2);

		if (d >= '0' && d <= '9')
			code = (uint16_t)(code * 10 + (d - '0'));
	}
	text_field(b, "http.response.version", i, i + sp1);
	if (sp1 >= n)
		return;
	dx_buf_field(b, "http.response.code", i + sp1 + 1, sp2 - sp1 - 1, "%u", code);
	dx_buf_field(b, "http.response.code.desc", i + sp1 + 1, sp2 - sp1 - 1, "%s",
		     status_text(code));
	if (sp2 < n)
		text_field(b, "http.response.phrase", i + sp2 + 1, i + n);
}

static void header(const struct dx_buf *b, uint32_t i, uint32_t e, struct message *m)
{
	char line[LINE_MAX_TEXT], value[LINE_MAX_TEXT];
	uint32_t n = line_text_len(b, i, e), v, vn;
	const uint8_t *colon = memchr(b->data + i, ':', n);
	const char *field = NULL;
	uint32_t name_len;

	if (colon) {
		name_len = (uint32_t)(colon - (b->data + i));
		for (size_t k = 0; k < sizeof(header_fields) / sizeof(header_fields[0]); k++)
			if (strlen(header_fields[k].header) == name_len &&
			    strncasecmp(header_fields[k].header, (const char *)b->data + i,
					name_len) == 0)
				field = header_fields[k].field;
		v = i + name_len + 1;
		while (v < i + n && (dx_buf_u8(b, v) == ' ' || dx_buf_u8(b, v) == '\t'))
			v++;
		vn = i + n - v;
		dx_buf_str(b, v, vn, value, sizeof(value));
		if (name_len == 14 &&
		    !strncasecmp((const char *)b->data + i, "content-length", 14)) {
			dx_buf_field(b, "http.content_length_header", v, vn, "%s", value);
			dx_push(b->p);
			dx_buf_field(b, "http.content_length", v, vn, "%llu",
				     (unsigned long long)m->content_length);
			dx_pop(b->p);
		} else if (field) {
			dx_buf_field(b, field, v, vn, "%s", value);
			if (strcmp(field, "http.host") == 0)
				copy_text(m->host, sizeof(m->host), value);
			if (strcmp(field, "http.content_type") == 0) {
				char *semi = strchr(value, ';');

				if (semi)
					*semi = '\0';
				copy_text(m->media, sizeof(m->media), value);
			}
			if (strcmp(field, "http.cookie") == 0) {
				char *save, *pair;

				dx_push(b->p);
				for (pair = strtok_r(value, ";", &save); pair;
				     pair = strtok_r(NULL, ";", &save)) {
					while (*pair == ' ')
						pair++;
					dx_buf_field(b, "http.cookie_pair", v, vn, "%s", pair);
				}
				dx_pop(b->p);
			}
		}
	}
	dx_buf_field(b, m->request ? "http.request.line" : "http.response.line", i, e - i, "%s",
		     dx_buf_str(b, i, e - i, line, sizeof(line)));
}

static void body(const struct dx_buf *b, const struct message *m)
{
	char text[4 * FILE_DATA_MAX + 1];
	uint32_t end = m->end ? m->end : b->len;
	uint32_t i = m->head_end;

	if (m->chunked) {
		uint32_t e;

		while ((e = line_end(b, i)) != 0 && e <= end) {
			char num[20];
			uint32_t n = line_text_len(b, i, e);
			unsigned long size;

			if (n >= sizeof(num))
				n = sizeof(num) - 1;
			memcpy(num, b->data + i, n);
			num[n] = '\0';
			size = strtoul(num, NULL, 16);
			dx_buf_field(b, "http.chunk_size", i, e - i, "%lu", size);
			if (size == 0 || size > end - e)
				break;
			i = e + (uint32_t)size;
			if ((e = line_end(b, i)) == 0)
				break;
			i = e;
		}
		return;
	}
	if (end > i)
		dx_buf_field(b, "http.file_data", i, end - i, "%s",
			     dx_buf_str(b, i, end - i > FILE_DATA_MAX ? FILE_DATA_MAX : end - i,
					text, sizeof(text)));
}

/* One message at [i, m->end); the Info column gets its first line. */
static void message(const struct dx_buf *b, uint32_t i, struct message *m, bool first)
{
	struct dx_packet *p = b->p;
	uint32_t end = m->end ? m->end : b->len, e;
	uint32_t n = line_text_len(b, i, m->line_end);
	char line[LINE_MAX_TEXT];

	dx_buf_str(b, i, n, line, sizeof(line));
	dx_buf_text(b, i, m->line_end - i, "%s\\r\\n", line);
	dx_push(p);
	if (m->request)
		request_line(b, i, n, m);
	else
		status_line(b, i, n);
	dx_pop(p);
	for (i = m->line_end; (e = line_end(b, i)) != 0 && e <= end; i = e) {
		if (line_text_len(b, i, e) == 0)
			break;
		header(b, i, e, m);
	}
	if (m->request && m->host[0])
		dx_buf_field(b, "http.request.full_uri", 0, 0, "http://%s%s", m->host, m->uri);
	dx_buf_field(b, m->request ? "http.request" : "http.response", 0, 0, "1");
	if (m->head_end)
		body(b, m);
	if (first)
		dx_set_info(p, "%s ", line);
	else
		dx_append_info(p, "%s ", line);
	if (m->head_end && end > m->head_end && m->media[0])
		dx_append_info(p, " (%s)", m->media);
}

bool dx_http(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	struct dx_buf b;
	uint32_t i = 0;
	int layer = -1;
	bool request, first = true;

	if (!dx_stream_view(p, c, off, len, &b) || b.len == 0)
		return false;
	if (!is_start(&b, 0, &request)) {
		/* the middle of a body we did not wait for */
		dx_buf_proto(&b, "http", 0, b.len, "Hypertext Transfer Protocol");
		p->protocol = "HTTP";
		dx_set_info(p, "Continuation");
		dx_mark(p, DX_F_PLAINTEXT);
		dx_stream_done(p, &b, b.len, dx_http);
		return true;
	}
	while (i < b.len && is_start(&b, i, &request)) {
		struct message m = { .request = request };

		scan(&b, i, &m);
		if ((!m.head_end || !m.end) &&
		    dx_stream_can_hold(p, &b, m.head_end && m.has_length ?
					  m.head_end - i + m.content_length : b.len - i)) {
			/* wait for the rest; show the first line as Wireshark does */
			if (layer < 0 && m.line_end && (!m.head_end || i >= b.frame_at)) {
				char line[LINE_MAX_TEXT];

				dx_buf_str(&b, i, line_text_len(&b, i, m.line_end), line,
					   sizeof(line));
				dx_set_info(p, "%s ", line);
			}
			break;
		}
		if (!m.head_end || !m.end)
			dx_mark(p, DX_F_TRUNCATED);	/* the rest is not in this packet */
		if (!m.line_end)
			m.line_end = b.len;
		if (layer < 0) {
			dx_stream_mark(p, &b, i, (m.end ? m.end : b.len) - i);
			layer = dx_buf_proto(&b, "http", i, b.len - i,
					     "Hypertext Transfer Protocol");
			dx_push(p);
		}
		message(&b, i, &m, first);
		first = false;
		i = m.end > i ? m.end : b.len;
	}
	if (layer >= 0) {
		dx_pop(p);
		p->protocol = "HTTP";
		dx_mark(p, DX_F_PLAINTEXT);
	}
	dx_stream_done(p, &b, i, dx_http);
	return true;
}

/* Heuristic: a request line or a status line at the start of the payload. */
bool dx_http_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len)
{
	struct dx_buf b;
	bool request;

	dx_buf_frame(&b, p, off, len);
	if (!is_start(&b, 0, &request))
		return false;
	return dx_http(p, c, off, len);
}
