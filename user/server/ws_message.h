/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Parsing and validating the messages a browser sends over /ws (docs/protocol.md,
 * "Browser -> server"). Untrusted input: every field is type- and range-checked
 * here, so the server acts only on well-formed requests, and a bad one becomes
 * one error message with a reason.
 */
#ifndef GT_WS_MESSAGE_H
#define GT_WS_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "capture/engine.h"

#define WS_MESSAGE_MAX 65536	/* bytes in one browser message */
#define WS_ID_MAX 64		/* characters in a request id */
#define WS_FILTER_MAX 4096

enum ws_req_type {
	WS_REQ_START,
	WS_REQ_STOP,
	WS_REQ_SET_CAPTURE,
	WS_REQ_GET_DETAIL,
	WS_REQ_GET_FLOWS,
	WS_REQ_SUBSCRIBE,
	WS_REQ_CLEAR,
	WS_REQ_JOB_START,
	WS_REQ_JOB_CANCEL,
};

enum ws_flow_sort {
	WS_SORT_BYTES,
	WS_SORT_PACKETS,
	WS_SORT_LAST,
};

/* The optional capture settings of start and set_capture: has_* says which were given. */
struct ws_capture_change {
	bool has_ifaces, has_filter, has_snaplen, has_account;
	char ifaces[ENGINE_MAX_IFACES][16];
	int n_ifaces;
	char *filter;		/* owned */
	uint32_t snaplen;
	bool account;
};

struct ws_request {
	enum ws_req_type type;
	char type_name[32];	/* the message's "type" as sent (clipped), "" if none */
	cJSON *id;		/* the request's "id", owned, or NULL */
	struct ws_capture_change capture;	/* start, set_capture */
	uint64_t no;		/* get_detail */
	uint32_t limit;		/* get_flows */
	enum ws_flow_sort sort;
	int packets, stats;	/* subscribe: 1 on, 0 off, -1 unchanged */
	char kind[32];		/* job_start */
	cJSON *params;		/* job_start, owned (an object, maybe empty) */
	uint64_t job_id;	/* job_cancel */
};

/*
 * Parse one message of len bytes (not NUL-terminated). Returns 0 and fills req,
 * or -1 with a reason in err; on both paths req->type_name and req->id are set
 * when the message had them, and ws_request_free must be called.
 */
int ws_parse(const char *text, size_t len, struct ws_request *req, char *err, size_t errlen);
void ws_request_free(struct ws_request *req);

#endif /* GT_WS_MESSAGE_H */
