/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the files of the live server share: the server and client state, the
 * per-client send queue of shared messages, and the functions each file offers
 * the others. Everything runs on the one libwebsockets event loop thread.
 */
#ifndef GT_SERVER_INT_H
#define GT_SERVER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "auth.h"
#include "server.h"
#include "ws_message.h"
#include "dissect/dissect.h"
#include "jobs/job.h"
#include "output/json_writer.h"
#include "store/packet_store.h"
#include "stats/flow_export.h"

#define BATCH_MS 40
#define BATCH_PACKETS 256
#define STATS_MS 1000
#define CLIENT_QUEUE_DEFAULT (2u << 20)
#define PROTO_SLOTS 64

/* One message, built once, shared by every client queue it is in. */
struct out_msg {
	int refs;
	bool droppable;		/* a packet batch or stats tick: may be dropped for a slow client */
	size_t len;
	unsigned char buf[];	/* LWS_PRE bytes of headroom, then len bytes of JSON */
};

struct queued_msg {
	struct queued_msg *next;
	struct out_msg *msg;
};

struct server;

struct client {
	struct client *next;
	struct server *srv;
	struct lws *wsi;
	struct queued_msg *head, *tail;
	size_t queued_bytes;
	bool want_packets, want_stats;
	uint64_t next_no;		/* first packet number this client has not been offered */
	uint64_t lost_first, lost_last, lost_pending, lost_total;
	const char *lost_reason;	/* of the pending loss: "slow_client" or "evicted" */
	char *rx;			/* a message arriving in several fragments */
	size_t rx_len;
	bool rx_too_big;
};

/* Userspace statistics over the captured packets (stats.protocols/encrypted). */
struct live_counts {
	struct {
		char name[24];
		uint64_t packets, bytes;
	} protos[PROTO_SLOTS];
	int n_protos;
	uint64_t enc_packets, enc_bytes, plain_packets, plain_bytes;
};

struct capture_settings {
	char ifaces[ENGINE_MAX_IFACES][16];
	int n_ifaces;
	char *filter;			/* "" = everything */
	uint32_t snaplen;
	bool account;
	bool running;
	char error[256];		/* last failed change, "" when none */
};

/* A file descriptor watched by the event loop (the capture ring, a job's socket). */
struct fd_watch {
	struct lws *wsi;
	void (*on_readable)(void *arg);
	void *arg;
};

struct server {
	struct server_opts opts;
	struct auth_policy auth;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct packet_store *store;
	struct client *clients;
	size_t client_queue_bytes;

	struct engine *engine;
	struct fd_watch engine_watch;
	struct capture_settings cap;
	struct gt_filter *filter;
	struct dx_packet *dx;		/* scratch dissection */
	struct dx_streams *streams;	/* TCP reassembly of the live packets (bounded) */
	struct live_counts counts;

	uint64_t batch_next;		/* first packet number not yet sent in a batch */
	struct json_writer batch_text;	/* reused for every batch (zeroed = empty) */
	lws_sorted_usec_list_t batch_timer, stats_timer;
	cJSON *last_stats;		/* for GET /api/stats, without "client" */
	uint64_t prev_tick_ns;
	struct {
		uint32_t ifindex;
		struct gt_if_counters c;
	} prev[ENGINE_MAX_IFACES];

	struct flow_export account;	/* flow table, bandwidth history, IPFIX: user/stats */

	struct job_registry *jobs;
	bool stopping;
};

/* outq.c: building and queueing messages */
struct out_msg *out_msg_from_json(const cJSON *json, bool droppable);
struct out_msg *out_msg_from_text(const char *text, size_t len, bool droppable);
void out_msg_unref(struct out_msg *m);
/* Queue m for c (takes a reference). A droppable message is dropped when the
 * queue is full; returns false then. */
bool client_queue(struct client *c, struct out_msg *m);
/* Queue a one-off JSON message (not droppable); frees json. */
void client_send_json(struct client *c, cJSON *json);
void client_send_error(struct client *c, const char *in_reply_to, const cJSON *id,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void broadcast_json(struct server *s, cJSON *json);
/* Tell c which packets it lost since the last report (lost_first..lost_last). */
void client_send_lost(struct client *c);
/* WRITEABLE: send the next queued message; returns -1 to close. */
int client_write_next(struct client *c);
void client_free_queue(struct client *c);

/* live.c: the capture */
int live_open(struct server *s);
void live_close(struct server *s);
/* Apply a change (start/set_capture): 0, or -1 with a reason in err. */
int live_apply(struct server *s, const struct ws_capture_change *chg, char *err, size_t errlen);
int live_set_running(struct server *s, bool running, char *err, size_t errlen);
void live_clear(struct server *s);
/* Detach and attach again with the same settings (serve --account's SIGHUP):
 * interfaces that went away and came back are captured again. */
int live_reattach(struct server *s);
cJSON *live_state_json(const struct server *s);
void live_flush_batches(struct server *s);

/* messages.c: JSON forms of packets, interfaces and the hello */
void packet_summary_write(struct json_writer *w, const struct store_packet *p);
cJSON *packet_summary_json(const struct store_packet *p);
cJSON *packet_detail_json(struct server *s, const struct store_packet *p);
cJSON *hello_json(const struct server *s);
cJSON *store_range_json(const struct server *s);
cJSON *packets_batch_json(const struct server *s, uint64_t first, uint64_t count);
void packets_batch_write(struct json_writer *w, const struct server *s, uint64_t first,
			 uint64_t count);

/* stats.c: the stats tick and flows */
void live_counts_add(struct live_counts *lc, const struct dx_packet *p, uint32_t wirelen);
cJSON *stats_json(struct server *s);
cJSON *flows_json(const struct server *s, uint32_t limit, enum ws_flow_sort sort);

/* ws.c: the /ws endpoint */
int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len);

/* http.c: everything but /ws */
size_t http_session_size(void);
int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		  size_t len);
bool http_request_authorized(struct server *s, struct lws *wsi);

/* server.c: the event loop */
struct server *server_of(struct lws *wsi);
int fd_watch_start(struct server *s, struct fd_watch *w, int fd);
void fd_watch_stop(struct fd_watch *w);

#endif /* GT_SERVER_INT_H */
