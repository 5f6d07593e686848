// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The /ws endpoint: a client per connection, its hello, its requests
 * (validated by ws_message.c) and its send queue (outq.c). A bad request gets an
 * error message; nothing a client sends can stop the capture or other clients.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

static void reply(struct client *c, cJSON *o, const cJSON *id)
{
	if (id)
		cJSON_AddItemToObject(o, "id", cJSON_Duplicate(id, false));
	client_send_json(c, o);
}

static void handle_capture(struct client *c, const struct ws_request *req)
{
	struct server *s = c->srv;
	char err[512] = "";
	int ret = 0;

	switch (req->type) {
	case WS_REQ_START:
		ret = live_apply(s, &req->capture, err, sizeof(err));
		if (!ret)
			ret = live_set_running(s, true, err, sizeof(err));
		break;
	case WS_REQ_STOP:
		ret = live_set_running(s, false, err, sizeof(err));
		break;
	default:
		ret = live_apply(s, &req->capture, err, sizeof(err));
		break;
	}
	if (ret)
		client_send_error(c, req->type_name, req->id, "%s", err);
	/* packets taken under the old settings go out before the new state */
	live_flush_batches(s);
	/* everyone sees the state, also after a failure that changed it */
	broadcast_json(s, live_state_json(s));
}

static void handle_detail(struct client *c, const struct ws_request *req)
{
	struct server *s = c->srv;
	const struct store_packet *p = store_get(s->store, req->no);

	if (!p) {
		client_send_error(c, req->type_name, req->id,
				  "packet %llu is not in the store (it holds %llu..%llu)",
				  (unsigned long long)req->no,
				  (unsigned long long)store_first_no(s->store),
				  (unsigned long long)store_last_no(s->store));
		return;
	}
	reply(c, packet_detail_json(s, p), req->id);
}

static void handle_subscribe(struct client *c, const struct ws_request *req)
{
	if (req->packets == 1 && !c->want_packets) {
		/* nothing is owed for the time it was off */
		c->next_no = c->srv->batch_next;
		c->lost_pending = 0;
	}
	if (req->packets >= 0)
		c->want_packets = req->packets;
	if (req->stats >= 0)
		c->want_stats = req->stats;
}

static void handle_request(struct client *c, const struct ws_request *req)
{
	struct server *s = c->srv;
	char err[256] = "";
	cJSON *o;

	switch (req->type) {
	case WS_REQ_START:
	case WS_REQ_STOP:
	case WS_REQ_SET_CAPTURE:
		handle_capture(c, req);
		break;
	case WS_REQ_GET_DETAIL:
		handle_detail(c, req);
		break;
	case WS_REQ_GET_FLOWS:
		reply(c, flows_json(s, req->limit, req->sort), req->id);
		break;
	case WS_REQ_SUBSCRIBE:
		handle_subscribe(c, req);
		break;
	case WS_REQ_CLEAR:
		live_flush_batches(s);
		live_clear(s);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "cleared");
		cJSON_AddNumberToObject(o, "next_no", (double)s->batch_next);
		broadcast_json(s, o);
		break;
	case WS_REQ_JOB_START:
		if (!job_start(s->jobs, req->kind, req->params, c, req->id, err, sizeof(err)))
			client_send_error(c, req->type_name, req->id, "%s", err);
		break;
	case WS_REQ_JOB_CANCEL:
		if (job_cancel(s->jobs, req->job_id, c))
			client_send_error(c, req->type_name, req->id, "no running job %llu",
					  (unsigned long long)req->job_id);
		break;
	}
}

static void handle_message(struct client *c, const char *text, size_t len)
{
	struct ws_request req;
	char err[256];

	if (ws_parse(text, len, &req, err, sizeof(err)))
		client_send_error(c, req.type_name, req.id, "%s", err);
	else
		handle_request(c, &req);
	ws_request_free(&req);
}

/* Gather a message's fragments; one past the size limit is dropped whole. */
static void receive(struct client *c, const void *in, size_t len, bool first, bool final)
{
	if (first) {
		c->rx_len = 0;
		c->rx_too_big = false;
	}
	if (!c->rx_too_big && c->rx_len + len > WS_MESSAGE_MAX)
		c->rx_too_big = true;
	if (!c->rx_too_big) {
		if (!c->rx)
			c->rx = malloc(WS_MESSAGE_MAX);
		if (!c->rx)
			return;
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
	} else {
		c->rx_len += len;
	}
	if (!final)
		return;
	if (c->rx_too_big)
		client_send_error(c, NULL, NULL, "message of %zu bytes or more is over the %d-byte limit",
				  c->rx_len, WS_MESSAGE_MAX);
	else
		handle_message(c, c->rx, c->rx_len);
	c->rx_len = 0;
	c->rx_too_big = false;
}

static void client_attach(struct server *s, struct client *c, struct lws *wsi)
{
	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->wsi = wsi;
	c->want_packets = c->want_stats = true;
	c->next_no = s->batch_next;
	c->next = s->clients;
	s->clients = c;
	client_send_json(c, hello_json(s));
}

static void client_detach(struct client *c)
{
	struct server *s = c->srv;

	if (!s)
		return;
	for (struct client **pp = &s->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (s->jobs)
		job_cancel_owner(s->jobs, c);
	client_free_queue(c);
	free(c->rx);
	c->rx = NULL;
	c->srv = NULL;
}

int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len)
{
	struct client *c = user;
	struct server *s = server_of(wsi);

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		client_attach(s, c, wsi);
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c->srv)
			receive(c, in, len, lws_is_first_fragment(wsi), lws_is_final_fragment(wsi));
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c->srv)
			return client_write_next(c);
		break;
	case LWS_CALLBACK_CLOSED:
		client_detach(c);
		break;
	default:
		break;
	}
	return 0;
}
