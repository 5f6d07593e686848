// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Everything on the port but /ws: the web bundle, the pcapng download of the
 * store, and small JSON documents under /api/. Every request passes the token
 * check first (auth.c); a refused one gets 401 and no data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "server_int.h"
#include "export/metrics.h"
#include "filter/filter.h"
#include "store/pcapng_writer.h"

#define CHUNK_BYTES 32768
#define API_PACKETS_MAX 1000
#define PCAPNG_MAX_IFACES 32

struct http_session {
	char *body;			/* a prepared response, sent in chunks */
	size_t body_len, body_off;
	/* the pcapng download, produced as the socket takes it */
	bool streaming, stats_written;
	uint64_t next_no, last_no;
	struct gt_filter *filter;
	FILE *f;
	struct pcapng_writer *w;
	char *chunk;
	size_t chunk_len, chunk_cap;
	int n_ifaces;
	char ifaces[PCAPNG_MAX_IFACES][16];
};

size_t http_session_size(void)
{
	return sizeof(struct http_session);
}

static void session_free(struct http_session *hs)
{
	free(hs->body);
	if (hs->w)
		pcapng_writer_free(hs->w);
	if (hs->f)
		fclose(hs->f);
	filter_free(hs->filter);
	free(hs->chunk);
	memset(hs, 0, sizeof(*hs));
}

/* The query argument name (URL-decoded by lws) into buf; NULL when absent. */
static const char *url_arg(struct lws *wsi, const char *name, char *buf, int len)
{
	char key[32];

	snprintf(key, sizeof(key), "%s=", name);
	return lws_get_urlarg_by_name(wsi, key, buf, len);
}

static char *header(struct lws *wsi, enum lws_token_indexes h)
{
	int n = lws_hdr_total_length(wsi, h);
	char *v;

	if (n <= 0 || n > 8192)
		return NULL;
	v = malloc((size_t)n + 1);
	if (v && lws_hdr_copy(wsi, v, n + 1, h) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

bool http_request_authorized(struct server *s, struct lws *wsi)
{
	char qbuf[AUTH_TOKEN_MAX + 16];
	const char *q;
	char *cookie, *bearer;
	bool ok;

	if (!s->auth.need_token)
		return true;
	q = url_arg(wsi, "token", qbuf, sizeof(qbuf));
	cookie = header(wsi, WSI_TOKEN_HTTP_COOKIE);
	bearer = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	ok = auth_request_ok(&s->auth, q, cookie, bearer);
	free(cookie);
	free(bearer);
	return ok;
}

/* Status line and headers; the body follows on WRITEABLE. */
static int send_headers(struct server *s, struct lws *wsi, unsigned int code, const char *type,
			lws_filepos_t len, const char *disposition)
{
	unsigned char buf[LWS_PRE + 2048], *start = buf + LWS_PRE, *p = start,
		      *end = buf + sizeof(buf) - 1;
	char qbuf[AUTH_TOKEN_MAX + 16], cookie[AUTH_TOKEN_MAX + 64];

	if (lws_add_http_common_headers(wsi, code, type, len, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)"no-store", 8, &p, end))
		return -1;
	if (disposition &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"content-disposition:",
					(const unsigned char *)disposition,
					(int)strlen(disposition), &p, end))
		return -1;
	/* the token given once in the URL is remembered, as Jupyter does */
	if (s->auth.need_token && url_arg(wsi, "token", qbuf, sizeof(qbuf))) {
		int n = snprintf(cookie, sizeof(cookie), AUTH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
				 s->auth.token);

		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"set-cookie:",
						(const unsigned char *)cookie, n, &p, end))
			return -1;
	}
	return lws_finalize_write_http_header(wsi, start, &p, end) ? -1 : 0;
}

static int respond(struct server *s, struct lws *wsi, struct http_session *hs,
		   unsigned int code, const char *type, char *body)
{
	hs->body = body;
	hs->body_len = strlen(body);
	hs->body_off = 0;
	if (send_headers(s, wsi, code, type, hs->body_len, NULL))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int respond_json(struct server *s, struct lws *wsi, struct http_session *hs,
			unsigned int code, cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);

	cJSON_Delete(json);
	if (!text)
		return -1;
	return respond(s, wsi, hs, code, "application/json", text);
}

static int respond_text(struct server *s, struct lws *wsi, struct http_session *hs,
			unsigned int code, const char *msg)
{
	char *text = malloc(strlen(msg) + 2);

	if (!text)
		return -1;
	sprintf(text, "%s\n", msg);
	return respond(s, wsi, hs, code, "text/plain; charset=utf-8", text);
}

/* pcapng bytes land here, to be sent as the socket allows. */
static ssize_t chunk_write(void *cookie, const char *buf, size_t len)
{
	struct http_session *hs = cookie;

	if (hs->chunk_len + len > hs->chunk_cap) {
		size_t cap = (hs->chunk_len + len) * 2;
		char *c = realloc(hs->chunk, cap);

		if (!c)
			return -1;
		hs->chunk = c;
		hs->chunk_cap = cap;
	}
	memcpy(hs->chunk + hs->chunk_len, buf, len);
	hs->chunk_len += len;
	return (ssize_t)len;
}

static int iface_id(struct http_session *hs, const char *name)
{
	for (int i = 0; i < hs->n_ifaces; i++)
		if (!strcmp(hs->ifaces[i], name))
			return i;
	return -1;
}

/* The download covers the store as it is now; packets arriving later are not in it. */
static int start_pcapng(struct server *s, struct lws *wsi, struct http_session *hs)
{
	static cookie_io_functions_t io = { .write = chunk_write };
	char expr[WS_FILTER_MAX + 16], err[256];
	const char *q = url_arg(wsi, "filter", expr, sizeof(expr));

	if (q && *q && filter_compile(&hs->filter, q, DX_LINK_ETHERNET, err, sizeof(err))) {
		char msg[512];

		snprintf(msg, sizeof(msg), "bad filter: %s", err);
		return respond_text(s, wsi, hs, 400, msg);
	}
	hs->next_no = store_first_no(s->store);
	hs->last_no = store_last_no(s->store);
	hs->f = fopencookie(hs, "w", io);
	if (!hs->f || !(hs->w = pcapng_writer_new(hs->f)))
		return respond_text(s, wsi, hs, 500, "cannot start the pcapng writer");
	/* interfaces first: every one the stored packets name, in order of appearance */
	for (uint64_t no = hs->next_no; no <= hs->last_no; no++) {
		const struct store_packet *p = store_get(s->store, no);

		if (!p || iface_id(hs, p->iface) >= 0 || hs->n_ifaces == PCAPNG_MAX_IFACES)
			continue;
		snprintf(hs->ifaces[hs->n_ifaces++], sizeof(hs->ifaces[0]), "%s", p->iface);
		pcapng_add_interface(hs->w, p->iface, p->linktype, GT_SNAPLEN_MAX);
	}
	for (int i = 0; s->engine && i < engine_n_ifaces(s->engine); i++) {
		const struct engine_iface *ifc = engine_iface(s->engine, i);

		if (iface_id(hs, ifc->name) < 0 && hs->n_ifaces < PCAPNG_MAX_IFACES) {
			snprintf(hs->ifaces[hs->n_ifaces++], sizeof(hs->ifaces[0]), "%s", ifc->name);
			pcapng_add_interface(hs->w, ifc->name, ifc->linktype, GT_SNAPLEN_MAX);
		}
	}
	hs->streaming = true;
	if (send_headers(s, wsi, 200, "application/octet-stream", LWS_ILLEGAL_HTTP_CONTENT_LEN,
			 "attachment; filename=\"capture.pcapng\""))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

/* At the end, each capturing interface's kernel counters, for capinfos and Wireshark. */
static void write_iface_stats(struct server *s, struct http_session *hs)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	for (int i = 0; s->engine && i < engine_n_ifaces(s->engine); i++) {
		const struct engine_iface *ifc = engine_iface(s->engine, i);
		struct pcapng_if_stats st = {
			.ts_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec,
			.has_ifrecv = true,
			.has_ifdrop = true,
		};
		struct gt_if_counters c;
		int id = iface_id(hs, ifc->name);

		if (id < 0 || engine_read_counters(s->engine, ifc->ifindex, &c))
			continue;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			st.ifrecv += c.dir[d].packets;
			st.ifdrop += c.dir[d].ring_drops;
		}
		pcapng_write_stats(hs->w, id, &st);
	}
}

/* Fill the chunk with the next packets; true when the download is complete. */
static bool fill_pcapng(struct server *s, struct http_session *hs)
{
	while (hs->chunk_len < CHUNK_BYTES && hs->next_no <= hs->last_no) {
		const struct store_packet *p = store_get(s->store, hs->next_no++);
		int id;

		/* evicted meanwhile, or not matching: left out */
		if (!p || (id = iface_id(hs, p->iface)) < 0)
			continue;
		if (hs->filter && !filter_match(hs->filter, p->data, p->caplen, p->wirelen, p->dir))
			continue;
		pcapng_write_packet(hs->w, id, p->ts_ns, p->data, p->caplen, p->wirelen, p->dir);
		fflush(hs->f);
	}
	if (hs->next_no > hs->last_no && !hs->stats_written) {
		write_iface_stats(s, hs);
		hs->stats_written = true;
	}
	fflush(hs->f);
	return hs->next_no > hs->last_no;
}

static int write_body(struct server *s, struct lws *wsi, struct http_session *hs)
{
	unsigned char buf[LWS_PRE + CHUNK_BYTES];
	const char *src;
	size_t n;
	bool final;

	if (hs->streaming) {
		bool done = fill_pcapng(s, hs);

		n = hs->chunk_len < CHUNK_BYTES ? hs->chunk_len : CHUNK_BYTES;
		src = hs->chunk;
		final = done && n == hs->chunk_len;
	} else if (hs->body) {
		n = hs->body_len - hs->body_off;
		if (n > CHUNK_BYTES)
			n = CHUNK_BYTES;
		src = hs->body + hs->body_off;
		final = hs->body_off + n == hs->body_len;
	} else {
		return 0;
	}
	memcpy(buf + LWS_PRE, src, n);
	if (lws_write(wsi, buf + LWS_PRE, n, final ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < (int)n)
		return -1;
	if (hs->streaming) {
		memmove(hs->chunk, hs->chunk + n, hs->chunk_len - n);
		hs->chunk_len -= n;
	} else {
		hs->body_off += n;
	}
	if (!final) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	session_free(hs);
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static const char *mime_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript" },
		{ ".mjs", "text/javascript" },		 { ".css", "text/css" },
		{ ".json", "application/json" },	 { ".svg", "image/svg+xml" },
		{ ".png", "image/png" },		 { ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },		 { ".woff", "font/woff" },
		{ ".map", "application/json" },		 { ".txt", "text/plain; charset=utf-8" },
		{ ".wasm", "application/wasm" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int serve_static(struct server *s, struct lws *wsi, struct http_session *hs,
			const char *url)
{
	char path[1024], extra[512];
	unsigned char *p = (unsigned char *)extra, *end = (unsigned char *)extra + sizeof(extra);
	char qbuf[AUTH_TOKEN_MAX + 16], cookie[AUTH_TOKEN_MAX + 64];
	const char *slash = strrchr(url, '/');
	int n;

	if (url[0] != '/' || strstr(url, "..") || strstr(url, "//") || strchr(url, '\\') ||
	    strlen(url) > 512)
		return respond_text(s, wsi, hs, 404, "not found");
	snprintf(path, sizeof(path), "%s%s", s->opts.web_root,
		 !strcmp(url, "/") ? "/index.html" : url);
	/* routes of the single-page app: paths without an extension get the page */
	if (!is_file(path) && !strchr(slash, '.'))
		snprintf(path, sizeof(path), "%s/index.html", s->opts.web_root);
	if (!is_file(path))
		return respond_text(s, wsi, hs, 404, strstr(path, "/index.html") ?
				    "the web UI is not built (make web) or --web-root is wrong" :
				    "not found");
	if (s->auth.need_token && url_arg(wsi, "token", qbuf, sizeof(qbuf))) {
		n = snprintf(cookie, sizeof(cookie), AUTH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
			     s->auth.token);
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"set-cookie:",
						(const unsigned char *)cookie, n, &p, end))
			return -1;
	}
	n = lws_serve_http_file(wsi, path, mime_type(path), extra, (int)(p - (unsigned char *)extra));
	if (n < 0)
		return -1;
	if (n > 0)
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	return 0;
}

static int serve_api(struct server *s, struct lws *wsi, struct http_session *hs, const char *url)
{
	char buf[64];
	const char *v;

	if (!strcmp(url, "/api/bandwidth"))
		return respond_json(s, wsi, hs, 200, flow_export_history_json(&s->account, s->engine));
	if (!strcmp(url, "/api/hello"))
		return respond_json(s, wsi, hs, 200, hello_json(s));
	if (!strcmp(url, "/api/stats"))
		return respond_json(s, wsi, hs, 200,
				    s->last_stats ? cJSON_Duplicate(s->last_stats, true) :
						    stats_json(s));
	if (!strcmp(url, "/api/packets")) {
		uint64_t from = store_first_no(s->store), count = 100;

		if ((v = url_arg(wsi, "from", buf, sizeof(buf))))
			from = strtoull(v, NULL, 10);
		if ((v = url_arg(wsi, "count", buf, sizeof(buf))))
			count = strtoull(v, NULL, 10);
		if (count < 1 || count > API_PACKETS_MAX || from < 1)
			return respond_text(s, wsi, hs, 400, "from must be >= 1, count 1..1000");
		return respond_json(s, wsi, hs, 200, packets_batch_json(s, from, count));
	}
	if (!strncmp(url, "/api/packet/", 12)) {
		char *end;
		unsigned long long no = strtoull(url + 12, &end, 10);
		const struct store_packet *p = *end ? NULL : store_get(s->store, no);

		if (!p)
			return respond_text(s, wsi, hs, 404, "no such packet in the store");
		return respond_json(s, wsi, hs, 200, packet_detail_json(s, p));
	}
	return respond_text(s, wsi, hs, 404, "not found");
}

/* Prometheus scrapes here (user/export/metrics.c); behind the token like the rest. */
static int serve_metrics(struct server *s, struct lws *wsi, struct http_session *hs)
{
	struct metrics_source src = { .engine = s->engine, .streams = s->streams };
	char *text;

	for (const struct client *c = s->clients; c; c = c->next)
		src.userspace_drops += c->lost_total;
	text = metrics_render(&src);
	if (!text)
		return -1;
	return respond(s, wsi, hs, 200, METRICS_CONTENT_TYPE, text);
}

static int on_request(struct server *s, struct lws *wsi, struct http_session *hs, const char *url)
{
	memset(hs, 0, sizeof(*hs));
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0)
		return respond_text(s, wsi, hs, 405, "only GET is served");
	if (!http_request_authorized(s, wsi))
		return respond_text(s, wsi, hs, 401, "access token required: open the URL gotracer printed");
	if (!strcmp(url, "/capture.pcapng"))
		return start_pcapng(s, wsi, hs);
	if (!strncmp(url, "/api/", 5))
		return serve_api(s, wsi, hs, url);
	if (!strcmp(url, "/metrics"))
		return serve_metrics(s, wsi, hs);
	return serve_static(s, wsi, hs, url);
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		  size_t len)
{
	struct http_session *hs = user;
	struct server *s = server_of(wsi);

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_request(s, wsi, hs, in ? (const char *)in : "/");
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return write_body(s, wsi, hs);
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		if (hs)
			session_free(hs);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}
