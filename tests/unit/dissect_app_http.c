// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * HTTP on the recorded exchanges (curl against python3 -m http.server, and a
 * chunked keep-alive server): columns, flags and byte ranges, detection on a
 * port no table names, a body spread over segments, and damaged heads.
 */
#include "dissect_app.h"

TEST(http_request_columns_flags_and_ranges)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct dx_node *n;
	struct dx_packet *p;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	p = cap->pkts[6];
	CHECK_STR(p->protocol, "HTTP");
	CHECK_STR(p->info, "GET /index.html HTTP/1.1 ");
	CHECK(p->flags & DX_F_PLAINTEXT);
	CHECK_STR(app_field(cap, 7, "http.user_agent"), "gotracer-test/1.0");
	n = dx_find(p, "http.host");
	CHECK(n && n->len == strlen("10.200.0.2:8000"));
	CHECK(memcmp(cap->frames[6].data + n->off, "10.200.0.2:8000", n->len) == 0);
	/* the response's head came alone: held, then shown with its body */
	CHECK_STR(cap->pkts[8]->protocol, "TCP");
	CHECK_STR(cap->pkts[8]->info, "HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]");
	CHECK_STR(cap->pkts[10]->info, "HTTP/1.0 200 OK  (text/html)");
	CHECK(cap->pkts[10]->flags & DX_F_REASSEMBLED);
	CHECK_STR(app_field(cap, 11, "http.file_data"), "<html><body>hello</body></html>\\n");
	app_free(cap);
	free(cap);
}

TEST(http_stateless_shows_the_head_alone)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));

	CHECK_INT(app_load(cap, "http.pcap", false), 0);
	CHECK_STR(cap->pkts[8]->protocol, "HTTP");
	CHECK_STR(app_field(cap, 9, "http.response.code"), "200");
	CHECK_STR(app_field(cap, 9, "http.file_data"), "");
	CHECK(cap->pkts[8]->flags & DX_F_TRUNCATED);	/* the body is not in this packet */
	/* the body segment alone, on the HTTP port: a continuation */
	CHECK_STR(cap->pkts[10]->info, "Continuation");
	app_free(cap);
	free(cap);
}

TEST(http_found_by_heuristic_on_an_unlisted_port)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	uint8_t frame[2048];
	uint32_t hdr, n;
	struct dx_packet *p;

	CHECK_INT(app_read(cap, "http.pcap"), 0);
	hdr = app_payload_off(&cap->frames[6]);
	n = app_craft(frame, &cap->frames[6], cap->frames[6].data + hdr,
		      cap->frames[6].caplen - hdr, 0);
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

	CHECK_INT(app_load(cap, "http-chunked.pcap", true), 0);
	CHECK_STR(app_field(cap, 6, "http.transfer_encoding"), "chunked");
	CHECK_STR(app_field(cap, 6, "http.chunk_size"), "5,0");
	CHECK_STR(cap->pkts[5]->info, "HTTP/1.1 200 OK  (text/plain)");
	CHECK_STR(app_field(cap, 9, "http.chunk_size"), "15,0");
	CHECK_STR(cap->pkts[7]->info, "GET /b HTTP/1.1 ");
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

	CHECK_INT(app_read(cap, "http.pcap"), 0);
	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
		uint32_t n = app_craft(frame, &cap->frames[6], heads[k], (uint32_t)strlen(heads[k]), 0);
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
