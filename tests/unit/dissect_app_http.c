// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * HTTP on the recorded exchanges (curl against python3 -m http.server, and a
 * chunked keep-alive server): columns, flags and byte ranges, detection on a
 * port no table names, a body spread over segments, and damaged heads.
 */
#include "dissect_app.h"

/* The frames of the first exchange: the GET, the held head, the completed response. */
static bool first_exchange(const struct app_capture *cap, int *get, int *head, int *done)
{
	*get = app_frame_with(cap, "http.request.uri", "/index.html", 1);
	*head = app_frame_info(cap, "HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]", 1);
	*done = app_frame_info(cap, "HTTP/1.0 200 OK  (text/html)", 1);
	return *get > 0 && *head > *get && *done > *head;
}

TEST(http_request_columns_flags_and_ranges)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct dx_node *n;
	struct dx_packet *p;
	int get, head, done;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	CHECK(first_exchange(cap, &get, &head, &done));
	p = cap->pkts[get - 1];
	CHECK_STR(p->protocol, "HTTP");
	CHECK_STR(p->info, "GET /index.html HTTP/1.1 ");
	CHECK(p->flags & DX_F_PLAINTEXT);
	CHECK_STR(app_field(cap, get, "http.user_agent"), "gotracer-test/1.0");
	n = dx_find(p, "http.host");
	CHECK(n && n->len == strlen("10.200.0.2:8000"));
	CHECK(memcmp(cap->frames[get - 1].data + n->off, "10.200.0.2:8000", n->len) == 0);
	/* the response's head came alone: held, then shown with its body */
	CHECK_STR(cap->pkts[head - 1]->protocol, "TCP");
	CHECK(cap->pkts[done - 1]->flags & DX_F_REASSEMBLED);
	CHECK_STR(app_field(cap, done, "http.file_data"), "<html><body>hello</body></html>\\n");
	CHECK_STR(app_field(cap, app_frame_with(cap, "http.request.method", "GET", 2),
			    "http.request.uri.query.parameter"), "q=1,lang=en");
	app_free(cap);
	free(cap);
}

TEST(http_stateless_shows_the_head_alone)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *f;
	struct dx_packet *p;
	int get, head, done;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	CHECK(first_exchange(cap, &get, &head, &done));
	f = &cap->frames[head - 1];
	p = app_one(NULL, f->data, f->caplen, f->wirelen);
	CHECK_STR(p->protocol, "HTTP");
	CHECK_STR(dx_value(p, dx_find(p, "http.response.code")), "200");
	CHECK(dx_find(p, "http.file_data") == NULL);
	CHECK(p->flags & DX_F_TRUNCATED);	/* the body is not in this packet */
	free(p);
	/* the body segment alone, on the HTTP port: a continuation */
	f = &cap->frames[done - 1];
	p = app_one(NULL, f->data, f->caplen, f->wirelen);
	CHECK_STR(p->info, "Continuation");
	free(p);
	app_free(cap);
	free(cap);
}

TEST(http_found_by_heuristic_on_an_unlisted_port)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *f;
	uint8_t frame[2048];
	uint32_t hdr, n;
	struct dx_packet *p;
	int get, head, done;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	CHECK(first_exchange(cap, &get, &head, &done));
	f = &cap->frames[get - 1];
	hdr = app_payload_off(f);
	n = app_craft(frame, f, f->data + hdr, f->caplen - hdr, 0);
	frame[14 + 20 + 2] = 0x27;	/* destination port 10000 */
	frame[14 + 20 + 3] = 0x10;
	p = app_one(NULL, frame, n, n);
	CHECK_STR(p->protocol, "HTTP");
	CHECK_STR(dx_value(p, dx_find(p, "http.request.uri")), "/index.html");
	free(p);
	app_free(cap);
	free(cap);
}

TEST(http_chunked_keep_alive)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	int first, second;

	CHECK_INT(app_load(cap, "http-chunked.pcap", true), 0);
	first = app_frame_info(cap, "HTTP/1.1 200 OK  (text/plain)", 1);
	second = app_frame_info(cap, "HTTP/1.1 200 OK  (text/plain)", 2);
	CHECK(first > 0 && second > first);
	CHECK_STR(app_field(cap, first, "http.transfer_encoding"), "chunked");
	CHECK_STR(app_field(cap, first, "http.chunk_size"), "5,0");
	CHECK_STR(app_field(cap, second, "http.chunk_size"), "15,0");
	CHECK(app_frame_info(cap, "GET /b HTTP/1.1 ", 1) > first);
	app_free(cap);
	free(cap);
}

TEST(http_damaged_heads_never_overread)
{
	static const char *const heads[] = {
		"GET ",
		"GET /x",
		"HTTP/1.1 ",
		"HTTP/1.1 2",
		"GET / HTTP/1.1\r\nHost",
		"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\nab",
		"POST / HTTP/1.1\n\n",
		"GET /\x01\xff HTTP/1.1\r\nCookie: ;;; ; a\r\n\r\n",
	};
	struct app_capture *cap = calloc(1, sizeof(*cap));
	uint8_t frame[2048];
	int get, head, done;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	CHECK(first_exchange(cap, &get, &head, &done));
	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
		uint32_t n = app_craft(frame, &cap->frames[get - 1], heads[k],
				       (uint32_t)strlen(heads[k]), 0);
		struct dx_streams *s = dx_streams_new();
		struct dx_packet *p = app_one(NULL, frame, n, n);

		CHECK_STR(p->protocol, "HTTP");
		CHECK(!(p->flags & DX_F_MALFORMED));
		free(p);
		/* through a store: held (it may go on), never shown twice */
		p = app_one(s, frame, n, n);
		CHECK(p->protocol != NULL);
		free(p);
		dx_streams_free(s);
	}
	app_free(cap);
	free(cap);
}
