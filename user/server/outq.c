// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Per-client send queues. A message is serialised once and shared by reference
 * between every client it goes to. Each queue is bounded in bytes: a packet
 * batch or stats tick that does not fit is dropped for that client alone (and
 * the packets counted as its loss), so a slow client never holds up capture or
 * the others. Replies are never dropped, but a client that lets even those pile
 * up past a hard limit is disconnected.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

/* Replies may exceed the queue bound by this factor before the client is cut off. */
#define HARD_LIMIT_FACTOR 4

struct out_msg *out_msg_from_text(const char *text, size_t len, bool droppable)
{
	struct out_msg *m = malloc(sizeof(*m) + LWS_PRE + len);

	if (m) {
		m->refs = 1;
		m->droppable = droppable;
		m->len = len;
		memcpy(m->buf + LWS_PRE, text, len);
	}
	return m;
}

struct out_msg *out_msg_from_json(const cJSON *json, bool droppable)
{
	char *text = cJSON_PrintUnformatted(json);
	struct out_msg *m;

	if (!text)
		return NULL;
	m = out_msg_from_text(text, strlen(text), droppable);
	cJSON_free(text);
	return m;
}

void out_msg_unref(struct out_msg *m)
{
	if (m && --m->refs == 0)
		free(m);
}

bool client_queue(struct client *c, struct out_msg *m)
{
	size_t limit = c->srv->client_queue_bytes;
	struct queued_msg *q;

	/* an empty queue takes any one message, so a batch is never too big to ever send */
	if (m->droppable && c->queued_bytes && c->queued_bytes + m->len > limit)
		return false;
	if (c->queued_bytes + m->len > limit * HARD_LIMIT_FACTOR) {
		/* it does not read even its replies: let it go */
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		return false;
	}
	q = malloc(sizeof(*q));
	if (!q)
		return false;
	q->msg = m;
	q->next = NULL;
	m->refs++;
	if (c->tail)
		c->tail->next = q;
	else
		c->head = q;
	c->tail = q;
	c->queued_bytes += m->len;
	lws_callback_on_writable(c->wsi);
	return true;
}

void client_send_json(struct client *c, cJSON *json)
{
	struct out_msg *m = out_msg_from_json(json, false);

	cJSON_Delete(json);
	if (!m)
		return;
	client_queue(c, m);
	out_msg_unref(m);
}

void client_send_error(struct client *c, const char *in_reply_to, const cJSON *id,
		       const char *fmt, ...)
{
	cJSON *e = cJSON_CreateObject();
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(e, "type", "error");
	cJSON_AddStringToObject(e, "reason", reason);
	if (in_reply_to && *in_reply_to)
		cJSON_AddStringToObject(e, "in_reply_to", in_reply_to);
	else
		cJSON_AddNullToObject(e, "in_reply_to");
	if (id)
		cJSON_AddItemToObject(e, "id", cJSON_Duplicate(id, false));
	client_send_json(c, e);
}

void client_send_lost(struct client *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "lost");
	cJSON_AddNumberToObject(o, "first", (double)c->lost_first);
	cJSON_AddNumberToObject(o, "last", (double)c->lost_last);
	cJSON_AddNumberToObject(o, "count", (double)c->lost_pending);
	cJSON_AddStringToObject(o, "reason", c->lost_reason ? c->lost_reason : "slow_client");
	cJSON_AddNumberToObject(o, "total", (double)c->lost_total);
	c->lost_pending = 0;
	client_send_json(c, o);
}

void broadcast_json(struct server *s, cJSON *json)
{
	struct out_msg *m = out_msg_from_json(json, false);

	cJSON_Delete(json);
	if (!m)
		return;
	for (struct client *c = s->clients; c; c = c->next)
		client_queue(c, m);
	out_msg_unref(m);
}

/* Messages one WRITEABLE may send while the socket takes them: under a flood the
 * loop comes round less often, and one message a turn would fall behind. */
#define WRITES_PER_TURN 16

int client_write_next(struct client *c)
{
	for (int n = 0; c->head && n < WRITES_PER_TURN; n++) {
		struct queued_msg *q = c->head;

		/* lws keeps any part the socket did not take and sends it before the next write */
		if (n && lws_send_pipe_choked(c->wsi))
			break;
		if (lws_write(c->wsi, q->msg->buf + LWS_PRE, q->msg->len, LWS_WRITE_TEXT) <
		    (int)q->msg->len)
			return -1;
		c->head = q->next;
		if (!c->head)
			c->tail = NULL;
		c->queued_bytes -= q->msg->len;
		out_msg_unref(q->msg);
		free(q);
	}
	if (c->head)
		lws_callback_on_writable(c->wsi);
	else if (c->lost_pending)
		/* caught up: say what was lost now, not only when more packets come */
		client_send_lost(c);
	return 0;
}

void client_free_queue(struct client *c)
{
	while (c->head) {
		struct queued_msg *q = c->head;

		c->head = q->next;
		out_msg_unref(q->msg);
		free(q);
	}
	c->tail = NULL;
	c->queued_bytes = 0;
}
