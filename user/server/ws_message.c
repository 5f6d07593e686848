// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Browser -> server messages: parse and validate (see ws_message.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ws_message.h"

#define SNAPLEN_MIN 64
#define SNAPLEN_MAX 65535
#define FLOWS_LIMIT_MAX 10000
#define FLOWS_LIMIT_DEFAULT 100
#define MAX_SAFE_INTEGER 9007199254740991.0 /* 2^53 - 1: exact in a double */

static const struct {
	const char *name;
	enum ws_req_type type;
} request_types[] = {
	{ "start", WS_REQ_START },
	{ "stop", WS_REQ_STOP },
	{ "set_capture", WS_REQ_SET_CAPTURE },
	{ "get_detail", WS_REQ_GET_DETAIL },
	{ "get_flows", WS_REQ_GET_FLOWS },
	{ "subscribe", WS_REQ_SUBSCRIBE },
	{ "clear", WS_REQ_CLEAR },
	{ "job_start", WS_REQ_JOB_START },
	{ "job_cancel", WS_REQ_JOB_CANCEL },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A positive integer field no larger than max; absent: *out untouched, returns 0. */
static int get_uint(const cJSON *msg, const char *name, double max, bool required,
		    uint64_t *out, char *err, size_t errlen)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(msg, name);
	double v;

	if (!f) {
		if (required)
			return fail(err, errlen, "field '%s' is required", name);
		return 0;
	}
	v = f->valuedouble;
	if (!cJSON_IsNumber(f) || !isfinite(v) || v != floor(v) || v < 1 || v > max)
		return fail(err, errlen, "field '%s' must be an integer from 1 to %.0f", name, max);
	*out = (uint64_t)v;
	return 0;
}

/* A boolean field: 1/0, or -1 when absent. */
static int get_bool(const cJSON *msg, const char *name, int *out, char *err, size_t errlen)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(msg, name);

	*out = -1;
	if (!f)
		return 0;
	if (!cJSON_IsBool(f))
		return fail(err, errlen, "field '%s' must be true or false", name);
	*out = cJSON_IsTrue(f);
	return 0;
}

/* An optional string field of at most max bytes; NULL when absent. */
static int get_string(const cJSON *msg, const char *name, size_t max, const char **out,
		      char *err, size_t errlen)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(msg, name);

	*out = NULL;
	if (!f)
		return 0;
	if (!cJSON_IsString(f) || !f->valuestring)
		return fail(err, errlen, "field '%s' must be a string", name);
	if (strlen(f->valuestring) > max)
		return fail(err, errlen, "field '%s' is longer than %zu bytes", name, max);
	*out = f->valuestring;
	return 0;
}

static bool iface_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 16 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static int parse_capture_change(const cJSON *msg, struct ws_capture_change *c, char *err,
				size_t errlen)
{
	const cJSON *ifaces = cJSON_GetObjectItemCaseSensitive(msg, "interfaces");
	const char *filter;
	uint64_t snaplen = 0;
	int account;

	if (ifaces) {
		const cJSON *it;

		if (!cJSON_IsArray(ifaces) || cJSON_GetArraySize(ifaces) < 1 ||
		    cJSON_GetArraySize(ifaces) > ENGINE_MAX_IFACES)
			return fail(err, errlen,
				    "field 'interfaces' must be an array of 1 to %d names",
				    ENGINE_MAX_IFACES);
		cJSON_ArrayForEach(it, ifaces) {
			if (!cJSON_IsString(it) || !iface_name_ok(it->valuestring))
				return fail(err, errlen,
					    "field 'interfaces' holds a bad interface name");
			for (int i = 0; i < c->n_ifaces; i++)
				if (!strcmp(c->ifaces[i], it->valuestring))
					return fail(err, errlen, "interface '%s' is named twice",
						    it->valuestring);
			snprintf(c->ifaces[c->n_ifaces++], sizeof(c->ifaces[0]), "%s",
				 it->valuestring);
		}
		c->has_ifaces = true;
	}
	if (get_string(msg, "filter", WS_FILTER_MAX, &filter, err, errlen))
		return -1;
	if (filter) {
		c->filter = strdup(filter);
		if (!c->filter)
			return fail(err, errlen, "out of memory");
		c->has_filter = true;
	}
	if (get_uint(msg, "snaplen", SNAPLEN_MAX, false, &snaplen, err, errlen))
		return -1;
	if (snaplen) {
		if (snaplen < SNAPLEN_MIN)
			return fail(err, errlen, "field 'snaplen' must be from %d to %d",
				    SNAPLEN_MIN, SNAPLEN_MAX);
		c->snaplen = (uint32_t)snaplen;
		c->has_snaplen = true;
	}
	if (get_bool(msg, "account", &account, err, errlen))
		return -1;
	if (account >= 0) {
		c->account = account;
		c->has_account = true;
	}
	return 0;
}

static int parse_flows(const cJSON *msg, struct ws_request *req, char *err, size_t errlen)
{
	uint64_t limit = FLOWS_LIMIT_DEFAULT;
	const char *sort;

	if (get_uint(msg, "limit", FLOWS_LIMIT_MAX, false, &limit, err, errlen) ||
	    get_string(msg, "sort", 16, &sort, err, errlen))
		return -1;
	req->limit = (uint32_t)limit;
	req->sort = WS_SORT_BYTES;
	if (!sort || !strcmp(sort, "bytes"))
		return 0;
	if (!strcmp(sort, "packets"))
		req->sort = WS_SORT_PACKETS;
	else if (!strcmp(sort, "last"))
		req->sort = WS_SORT_LAST;
	else
		return fail(err, errlen, "field 'sort' must be bytes, packets or last");
	return 0;
}

static int parse_job_start(const cJSON *msg, struct ws_request *req, char *err, size_t errlen)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
	const char *kind;

	if (get_string(msg, "kind", sizeof(req->kind) - 1, &kind, err, errlen))
		return -1;
	if (!kind || !*kind)
		return fail(err, errlen, "field 'kind' is required");
	snprintf(req->kind, sizeof(req->kind), "%s", kind);
	if (params && !cJSON_IsObject(params))
		return fail(err, errlen, "field 'params' must be an object");
	req->params = params ? cJSON_Duplicate(params, true) : cJSON_CreateObject();
	if (!req->params)
		return fail(err, errlen, "out of memory");
	return 0;
}

/* The request id: a string of at most WS_ID_MAX characters or a finite number. */
static int take_id(const cJSON *msg, struct ws_request *req, char *err, size_t errlen)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");

	if (!id)
		return 0;
	if (!(cJSON_IsString(id) && strlen(id->valuestring) <= WS_ID_MAX) &&
	    !(cJSON_IsNumber(id) && isfinite(id->valuedouble)))
		return fail(err, errlen, "field 'id' must be a number or a string of up to %d characters",
			    WS_ID_MAX);
	req->id = cJSON_Duplicate(id, false);
	return 0;
}

static int parse_body(const cJSON *msg, struct ws_request *req, char *err, size_t errlen)
{
	switch (req->type) {
	case WS_REQ_START:
	case WS_REQ_SET_CAPTURE:
		return parse_capture_change(msg, &req->capture, err, errlen);
	case WS_REQ_GET_DETAIL:
		return get_uint(msg, "no", MAX_SAFE_INTEGER, true, &req->no, err, errlen);
	case WS_REQ_GET_FLOWS:
		return parse_flows(msg, req, err, errlen);
	case WS_REQ_SUBSCRIBE:
		if (get_bool(msg, "packets", &req->packets, err, errlen) ||
		    get_bool(msg, "stats", &req->stats, err, errlen))
			return -1;
		return 0;
	case WS_REQ_JOB_START:
		return parse_job_start(msg, req, err, errlen);
	case WS_REQ_JOB_CANCEL:
		return get_uint(msg, "id", MAX_SAFE_INTEGER, true, &req->job_id, err, errlen);
	case WS_REQ_STOP:
	case WS_REQ_CLEAR:
		return 0;
	}
	return fail(err, errlen, "unhandled message type");
}

int ws_parse(const char *text, size_t len, struct ws_request *req, char *err, size_t errlen)
{
	const cJSON *type;
	cJSON *msg;
	int ret = -1;

	memset(req, 0, sizeof(*req));
	req->packets = req->stats = -1;
	if (len > WS_MESSAGE_MAX)
		return fail(err, errlen, "message of %zu bytes is over the %d-byte limit", len,
			    WS_MESSAGE_MAX);
	msg = cJSON_ParseWithLength(text, len);
	if (!msg)
		return fail(err, errlen, "message is not valid JSON");
	if (!cJSON_IsObject(msg)) {
		fail(err, errlen, "message is not a JSON object");
		goto out;
	}
	if (take_id(msg, req, err, errlen))
		goto out;
	type = cJSON_GetObjectItemCaseSensitive(msg, "type");
	if (!cJSON_IsString(type)) {
		fail(err, errlen, "field 'type' is required and must be a string");
		goto out;
	}
	snprintf(req->type_name, sizeof(req->type_name), "%s", type->valuestring);
	for (size_t i = 0; i < sizeof(request_types) / sizeof(request_types[0]); i++) {
		if (strcmp(type->valuestring, request_types[i].name))
			continue;
		req->type = request_types[i].type;
		ret = parse_body(msg, req, err, errlen);
		goto out;
	}
	fail(err, errlen, "unknown message type '%.32s'", type->valuestring);
out:
	cJSON_Delete(msg);
	return ret;
}

void ws_request_free(struct ws_request *req)
{
	free(req->capture.filter);
	cJSON_Delete(req->id);
	cJSON_Delete(req->params);
	memset(req, 0, sizeof(*req));
}
