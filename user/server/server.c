// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The server's event loop: one libwebsockets context on one thread. The capture
 * ring and the jobs' sockets are adopted into it as raw file descriptors, and
 * the batch and stats ticks are lws timers, so nothing ever waits on a client.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server_int.h"
#include "dissect/stream.h"
#include "util/log.h"
#include "util/stop.h"

static struct lws_context *volatile running_ctx;

struct server *server_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* The token and the Origin are checked before any data: 401 / 403 otherwise. */
static int confirm_upgrade(struct server *s, struct lws *wsi)
{
	char origin[AUTH_ORIGIN_MAX + 1] = "", host[AUTH_ORIGIN_MAX + 1] = "";
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN);
	int hn = lws_hdr_total_length(wsi, WSI_TOKEN_HOST);

	if (!http_request_authorized(s, wsi)) {
		lws_return_http_status(wsi, HTTP_STATUS_UNAUTHORIZED, "access token required");
		return 1;
	}
	if (n > 0 && (n > AUTH_ORIGIN_MAX ||
		      lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) < 0 ||
		      !auth_origin_ok(&s->auth, origin,
				      hn > 0 && hn <= AUTH_ORIGIN_MAX &&
				      lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) > 0 ?
				      host : NULL))) {
		lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, "origin not allowed");
		return 1;
	}
	return 0;
}

static int server_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			   void *in, size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return confirm_upgrade(server_of(wsi), wsi);
	case LWS_CALLBACK_ESTABLISHED:
	case LWS_CALLBACK_RECEIVE:
	case LWS_CALLBACK_SERVER_WRITEABLE:
	case LWS_CALLBACK_CLOSED:
		return ws_callback(wsi, reason, user, in, len);
	default:
		return http_callback(wsi, reason, user, in, len);
	}
}

static int fd_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		       size_t len)
{
	struct fd_watch *w = lws_get_opaque_user_data(wsi);

	if (reason == LWS_CALLBACK_RAW_RX_FILE && w && w->on_readable)
		w->on_readable(w->arg);
	return 0;
}

int fd_watch_start(struct server *s, struct fd_watch *w, int fd)
{
	lws_sock_file_fd_type u;

	/* lws closes what it adopts: give it a duplicate, the owner keeps its fd */
	u.filefd = dup(fd);
	if (u.filefd < 0)
		return -1;
	w->wsi = lws_adopt_descriptor_vhost(s->vhost, LWS_ADOPT_RAW_FILE_DESC, u, "gotracer-fd",
					    NULL);
	if (!w->wsi)
		return -1;
	lws_set_opaque_user_data(w->wsi, w);
	return 0;
}

void fd_watch_stop(struct fd_watch *w)
{
	if (!w->wsi)
		return;
	lws_set_opaque_user_data(w->wsi, NULL);
	lws_set_timeout(w->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
	w->wsi = NULL;
}

/* The jobs' host: each job's socket and timer on this loop. */
struct job_slot {
	struct server *srv;
	struct job *job;
	struct fd_watch watch;
	lws_sorted_usec_list_t timer;
};

static struct job_slot *slot_of(void *ctx, struct job *j)
{
	struct job_slot *slot = j->host_data;

	if (!slot) {
		slot = calloc(1, sizeof(*slot));
		if (!slot)
			return NULL;
		slot->srv = ctx;
		slot->job = j;
		j->host_data = slot;
	}
	return slot;
}

static void job_emit(void *ctx, struct job *j, cJSON *msg)
{
	client_send_json(j->owner, msg);
}

static void job_readable(void *arg)
{
	job_dispatch_readable(arg);
}

static int job_watch(void *ctx, struct job *j, int fd)
{
	struct job_slot *slot = slot_of(ctx, j);

	if (!slot)
		return -1;
	slot->watch.on_readable = job_readable;
	slot->watch.arg = j;
	return fd_watch_start(ctx, &slot->watch, fd);
}

static void job_unwatch(void *ctx, struct job *j)
{
	if (j->host_data)
		fd_watch_stop(&((struct job_slot *)j->host_data)->watch);
}

static void job_timer_fired(lws_sorted_usec_list_t *sul)
{
	struct job_slot *slot = lws_container_of(sul, struct job_slot, timer);

	job_dispatch_timer(slot->job);
}

static void job_set_timer_cb(void *ctx, struct job *j, uint32_t ms)
{
	struct job_slot *slot = slot_of(ctx, j);
	struct server *s = ctx;

	if (slot)
		lws_sul_schedule(s->ctx, 0, &slot->timer, job_timer_fired,
				 (lws_usec_t)ms * LWS_US_PER_MS);
}

static void job_cancel_timer(void *ctx, struct job *j)
{
	if (j->host_data)
		lws_sul_cancel(&((struct job_slot *)j->host_data)->timer);
}

static void job_release(void *ctx, struct job *j)
{
	free(j->host_data);
	j->host_data = NULL;
}

static void batch_tick(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, batch_timer);

	live_flush_batches(s);
	lws_sul_schedule(s->ctx, 0, &s->batch_timer, batch_tick, BATCH_MS * LWS_US_PER_MS);
}

static void stats_tick(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, stats_timer);
	cJSON *stats = stats_json(s);

	flow_export_tick(&s->account, s->engine, boot_now_ns());
	job_reap(s->jobs);
	cJSON_Delete(s->last_stats);
	s->last_stats = stats;
	for (struct client *c = s->clients; c; c = c->next) {
		cJSON *mine, *client;
		struct out_msg *m;

		if (!c->want_stats)
			continue;
		mine = cJSON_Duplicate(stats, true);
		client = cJSON_AddObjectToObject(mine, "client");
		cJSON_AddNumberToObject(client, "lost", (double)c->lost_total);
		cJSON_AddNumberToObject(client, "queued_bytes", (double)c->queued_bytes);
		m = out_msg_from_json(mine, true);
		cJSON_Delete(mine);
		if (m) {
			client_queue(c, m);
			out_msg_unref(m);
		}
	}
	lws_sul_schedule(s->ctx, 0, &s->stats_timer, stats_tick, STATS_MS * LWS_US_PER_MS);
}

/* From the stop signal's handler: wake the loop so it sees the flag. */
static void wake_loop(void)
{
	struct lws_context *ctx = running_ctx;

	if (ctx)
		lws_cancel_service(ctx);
}

/* serve --account runs as a service: SIGHUP attaches again instead of stopping */
static volatile sig_atomic_t reattach_requested;

static void on_reattach_signal(int sig)
{
	(void)sig;
	reattach_requested = 1;
	wake_loop();
}

static void lws_log_bridge(int level, const char *line)
{
	if (level & LLL_ERR)
		pr_debug("lws: %s", line);
}

static const struct lws_protocols protocols[] = {
	/* first: plain HTTP and WebSocket upgrades without a subprotocol land here */
	{ "gotracer", server_callback, 0, WS_MESSAGE_MAX, 0, NULL, 0 },
	{ "gotracer-fd", fd_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void print_url(const struct server *s)
{
	bool v6 = strchr(s->opts.listen_addr, ':') != NULL;

	printf("gotracer: serving on http://%s%s%s:%u/%s%s\n", v6 ? "[" : "", s->opts.listen_addr,
	       v6 ? "]" : "", s->opts.port, s->auth.need_token ? "?token=" : "",
	       s->auth.need_token ? s->auth.token : "");
	fflush(stdout);
}

static int create_context(struct server *s)
{
	struct lws_context_creation_info info;
	static struct lws_protocols protos[3];
	size_t session = sizeof(struct client) > http_session_size() ? sizeof(struct client) :
								       http_session_size();

	memcpy(protos, protocols, sizeof(protos));
	protos[0].per_session_data_size = session;
	memset(&info, 0, sizeof(info));
	info.port = s->opts.port;
	info.iface = s->opts.listen_addr;
	info.protocols = protos;
	info.user = s;
	info.vhost_name = "gotracer";
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6 *
		       (strchr(s->opts.listen_addr, ':') == NULL);
	info.pt_serv_buf_size = 64 * 1024;
	lws_set_log_level(log_get_level() >= LOG_LEVEL_DEBUG ? LLL_ERR | LLL_WARN : 0,
			  lws_log_bridge);
	s->ctx = lws_create_context(&info);
	if (!s->ctx)
		return -1;
	s->vhost = lws_create_vhost(s->ctx, &info);
	if (!s->vhost) {
		pr_warn("cannot listen on %s:%u (in use, or not an address of this host)\n",
			s->opts.listen_addr, s->opts.port);
		return -1;
	}
	return 0;
}

int server_run(const struct server_opts *opts)
{
	struct job_host host = {
		.emit = job_emit, .watch_fd = job_watch, .unwatch_fd = job_unwatch,
		.set_timer = job_set_timer_cb, .cancel_timer = job_cancel_timer,
		.release = job_release,
	};
	struct server *s = calloc(1, sizeof(*s));
	char err[256];
	int ret = 1;

	if (!s)
		return 1;
	s->opts = *opts;
	s->client_queue_bytes = opts->client_queue_bytes ? opts->client_queue_bytes :
							  CLIENT_QUEUE_DEFAULT;
	if (auth_policy_init(&s->auth, opts->listen_addr, opts->port, opts->token, opts->origins,
			     opts->n_origins, err, sizeof(err))) {
		pr_warn("%s\n", err);
		free(s);
		return 2;
	}
	s->store = store_new(opts->store_bytes);
	s->dx = calloc(1, sizeof(*s->dx));
	s->streams = dx_streams_new();
	host.ctx = s;
	s->jobs = job_registry_new(&host);
	if (!s->store || !s->dx || !s->streams || !s->jobs)
		goto out;
	if (create_context(s))
		goto out;
	/* before anything is attached: a Ctrl-C from here on takes the programs off */
	stop_signals_install();
	signal(SIGPIPE, SIG_IGN);	/* a client that goes away is not a reason to stop */
	running_ctx = s->ctx;
	stop_set_hook(wake_loop);
	if (live_open(s)) {
		ret = 1;
		goto out;
	}
	/* with --ipfix, idle flows are retired from the kernel map once exported */
	if (flow_export_init(&s->account, opts->ipfix, opts->ipfix ? opts->idle_timeout_ns : 0,
			     opts->active_timeout_ns)) {
		ret = 1;
		goto out;
	}
	lws_sul_schedule(s->ctx, 0, &s->batch_timer, batch_tick, BATCH_MS * LWS_US_PER_MS);
	lws_sul_schedule(s->ctx, 0, &s->stats_timer, stats_tick, STATS_MS * LWS_US_PER_MS);
	if (opts->account) {
		struct sigaction sa = { .sa_handler = on_reattach_signal };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
	}
	print_url(s);
	while (!stop_requested()) {
		if (reattach_requested) {
			reattach_requested = 0;
			pr_info("SIGHUP: attaching again\n");
			live_reattach(s);
		}
		if (lws_service(s->ctx, 0) < 0)
			break;
	}
	ret = 0;
out:
	s->stopping = true;
	stop_set_hook(NULL);
	running_ctx = NULL;
	/* the last flows to the collector while the map is still there */
	flow_export_flush(&s->account, s->engine);
	/* programs off the interfaces first, whatever else happens */
	live_close(s);
	flow_export_free(&s->account);
	job_registry_free(s->jobs);
	s->jobs = NULL;
	if (s->ctx) {
		lws_sul_cancel(&s->batch_timer);
		lws_sul_cancel(&s->stats_timer);
		lws_context_destroy(s->ctx);
	}
	cJSON_Delete(s->last_stats);
	store_free(s->store);
	jw_free(&s->batch_text);
	dx_streams_free(s->streams);
	free(s->dx);
	free(s);
	return ret;
}
