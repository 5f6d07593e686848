// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The WebSocket message parser: every request type, and the bad inputs it refuses. */
#include <stdlib.h>
#include <string.h>

#include "lib/runner.h"
#include "server/ws_message.h"

static int parse(const char *text, struct ws_request *req, char *err)
{
	return ws_parse(text, strlen(text), req, err, 256);
}

TEST(ws_parse_set_capture)
{
	struct ws_request req;
	char err[256] = "";

	CHECK_INT(parse("{\"type\":\"set_capture\",\"interfaces\":[\"gt0\",\"lo\"],"
			"\"filter\":\"tcp port 80\",\"snaplen\":256,\"account\":true,\"id\":\"r1\"}",
			&req, err), 0);
	CHECK_INT(req.type, WS_REQ_SET_CAPTURE);
	CHECK_STR(req.type_name, "set_capture");
	CHECK_INT(req.capture.n_ifaces, 2);
	CHECK_STR(req.capture.ifaces[1], "lo");
	CHECK_STR(req.capture.filter, "tcp port 80");
	CHECK_INT(req.capture.snaplen, 256);
	CHECK(req.capture.has_account && req.capture.account);
	CHECK_STR(req.id->valuestring, "r1");
	ws_request_free(&req);

	CHECK_INT(parse("{\"type\":\"start\"}", &req, err), 0);
	CHECK(!req.capture.has_ifaces && !req.capture.has_filter && !req.capture.has_snaplen);
	ws_request_free(&req);
}

TEST(ws_parse_requests)
{
	struct ws_request req;
	char err[256] = "";

	CHECK_INT(parse("{\"type\":\"get_detail\",\"no\":41,\"id\":7}", &req, err), 0);
	CHECK_INT(req.no, 41);
	CHECK_INT(req.id->valuedouble, 7);
	ws_request_free(&req);
	CHECK_INT(parse("{\"type\":\"get_flows\",\"sort\":\"packets\"}", &req, err), 0);
	CHECK_INT(req.sort, WS_SORT_PACKETS);
	CHECK_INT(req.limit, 100);
	ws_request_free(&req);
	CHECK_INT(parse("{\"type\":\"subscribe\",\"packets\":false}", &req, err), 0);
	CHECK_INT(req.packets, 0);
	CHECK_INT(req.stats, -1);
	ws_request_free(&req);
	CHECK_INT(parse("{\"type\":\"job_start\",\"kind\":\"ping\",\"params\":{\"host\":\"10.0.0.1\"}}",
			&req, err), 0);
	CHECK_STR(req.kind, "ping");
	CHECK_STR(cJSON_GetObjectItem(req.params, "host")->valuestring, "10.0.0.1");
	ws_request_free(&req);
	CHECK_INT(parse("{\"type\":\"job_cancel\",\"id\":3}", &req, err), 0);
	CHECK_INT(req.job_id, 3);
	ws_request_free(&req);
}

/* Each bad message is refused with a reason that says what is wrong. */
TEST(ws_parse_refuses_bad_messages)
{
	static const struct {
		const char *text, *reason;
	} cases[] = {
		{ "", "not valid JSON" },
		{ "{\"type\":", "not valid JSON" },
		{ "[1,2]", "not a JSON object" },
		{ "{}", "'type' is required" },
		{ "{\"type\":5}", "'type' is required" },
		{ "{\"type\":\"frobnicate\"}", "unknown message type 'frobnicate'" },
		{ "{\"type\":\"get_detail\"}", "'no' is required" },
		{ "{\"type\":\"get_detail\",\"no\":0}", "'no' must be an integer" },
		{ "{\"type\":\"get_detail\",\"no\":1.5}", "'no' must be an integer" },
		{ "{\"type\":\"get_detail\",\"no\":\"1\"}", "'no' must be an integer" },
		{ "{\"type\":\"set_capture\",\"snaplen\":10}", "'snaplen' must be from 64" },
		{ "{\"type\":\"set_capture\",\"snaplen\":70000}", "'snaplen' must be an integer" },
		{ "{\"type\":\"set_capture\",\"interfaces\":[]}", "'interfaces' must be an array" },
		{ "{\"type\":\"set_capture\",\"interfaces\":[\"../x\"]}", "bad interface name" },
		{ "{\"type\":\"set_capture\",\"interfaces\":[\"a\",\"a\"]}", "named twice" },
		{ "{\"type\":\"set_capture\",\"filter\":3}", "'filter' must be a string" },
		{ "{\"type\":\"set_capture\",\"account\":\"yes\"}", "'account' must be true or false" },
		{ "{\"type\":\"get_flows\",\"sort\":\"x\"}", "'sort' must be" },
		{ "{\"type\":\"job_start\"}", "'kind' is required" },
		{ "{\"type\":\"job_start\",\"kind\":\"ping\",\"params\":[]}", "'params' must be an object" },
		{ "{\"type\":\"stop\",\"id\":{}}", "'id' must be" },
	};
	struct ws_request req;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		if (parse(cases[i].text, &req, err) != -1 || !strstr(err, cases[i].reason)) {
			test_fail(__FILE__, __LINE__, "'%s' gave '%s', expected '%s'",
				  cases[i].text, err, cases[i].reason);
			ws_request_free(&req);
			return;
		}
		ws_request_free(&req);
	}
}

TEST(ws_parse_keeps_type_and_id_for_the_error)
{
	struct ws_request req;
	char err[256];

	CHECK_INT(parse("{\"type\":\"get_detail\",\"no\":-1,\"id\":\"x9\"}", &req, err), -1);
	CHECK_STR(req.type_name, "get_detail");
	CHECK_STR(req.id->valuestring, "x9");
	ws_request_free(&req);
}

TEST(ws_parse_refuses_oversized)
{
	size_t n = WS_MESSAGE_MAX + 1;
	char *big = malloc(n);
	struct ws_request req;
	char err[256];

	CHECK(big);
	memset(big, ' ', n);
	memcpy(big, "{\"type\":\"stop\"}", 15);
	CHECK_INT(ws_parse(big, n, &req, err, sizeof(err)), -1);
	ws_request_free(&req);
	free(big);
	CHECK(strstr(err, "over the 65536-byte limit"));
}
