// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The "scan" job kind under the job model, with a small host that runs the
 * job's fd the way the server's loop does: a real connect scan of a listening
 * and a closed port on loopback, rows and one done message.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/runner.h"
#include "jobs/job.h"

struct test_host {
	struct job *job;
	int fd;
	cJSON *msgs;	/* array of every message emitted */
};

static void host_emit(void *ctx, struct job *j, cJSON *msg)
{
	struct test_host *h = ctx;

	(void)j;
	cJSON_AddItemToArray(h->msgs, msg);
}

static int host_watch(void *ctx, struct job *j, int fd)
{
	struct test_host *h = ctx;

	h->job = j;
	h->fd = fd;
	return 0;
}

static void host_unwatch(void *ctx, struct job *j)
{
	(void)j;
	((struct test_host *)ctx)->fd = -1;
}

static void host_timer(void *ctx, struct job *j, uint32_t ms) { (void)ctx; (void)j; (void)ms; }
static void host_cancel_timer(void *ctx, struct job *j) { (void)ctx; (void)j; }
static void host_release(void *ctx, struct job *j) { (void)ctx; (void)j; }

static const char *msg_type(const cJSON *m)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "type");

	return cJSON_IsString(t) ? t->valuestring : "";
}

/* the port of a fresh listening socket on 127.0.0.1, and one that nothing listens on */
static int listen_any(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

TEST(scan_job_connect_scan_rows_and_done)
{
	struct test_host h = { .fd = -1, .msgs = cJSON_CreateArray() };
	struct job_host host = {
		.ctx = &h, .emit = host_emit, .watch_fd = host_watch, .unwatch_fd = host_unwatch,
		.set_timer = host_timer, .cancel_timer = host_cancel_timer, .release = host_release,
	};
	struct job_registry *reg = job_registry_new(&host);
	uint16_t open_port, closed_port;
	int open_fd = listen_any(&open_port), closed_fd = listen_any(&closed_port);
	char params_text[200], err[128] = "";
	cJSON *params;
	int rows = 0, done = 0, loops = 0;
	const cJSON *m, *summary;

	CHECK(open_fd >= 0 && closed_fd >= 0);
	close(closed_fd);	/* now nothing listens there: closed */
	snprintf(params_text, sizeof(params_text),
		 "{\"technique\":\"tcp\",\"targets\":\"127.0.0.1\",\"ports\":\"%u,%u\",\"service\":false}",
		 open_port, closed_port);
	params = cJSON_Parse(params_text);
	CHECK(job_start(reg, "scan", params, &h, NULL, err, sizeof(err)) != NULL);
	while (h.fd >= 0 && loops++ < 500) {
		struct pollfd pfd = { .fd = h.fd, .events = POLLIN };

		if (poll(&pfd, 1, 20) > 0)
			job_dispatch_readable(h.job);
	}
	cJSON_ArrayForEach(m, h.msgs) {
		if (!strcmp(msg_type(m), "job_row"))
			rows++;
		if (!strcmp(msg_type(m), "job_done"))
			done++;
	}
	CHECK_INT(done, 1);
	CHECK_INT(rows, 1);	/* only the open port is a row */
	m = cJSON_GetArrayItem(h.msgs, cJSON_GetArraySize(h.msgs) - 1);
	CHECK_STR(msg_type(m), "job_done");
	summary = cJSON_GetObjectItemCaseSensitive(m, "summary");
	if (!summary)
		summary = m;
	CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(summary, "open")), 1);
	CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(summary, "closed")), 1);

	/* bad parameters: refused at start with a reason */
	cJSON_Delete(params);
	params = cJSON_Parse("{\"technique\":\"tcp\",\"targets\":\"10.0.0.0/8\",\"ports\":\"80\"}");
	CHECK(job_start(reg, "scan", params, &h, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "targets") != NULL);
	cJSON_Delete(params);
	close(open_fd);
	job_registry_free(reg);
	cJSON_Delete(h.msgs);
}

TEST(scan_job_cancel_stops_the_scan_thread)
{
	struct test_host h = { .fd = -1, .msgs = cJSON_CreateArray() };
	struct job_host host = {
		.ctx = &h, .emit = host_emit, .watch_fd = host_watch, .unwatch_fd = host_unwatch,
		.set_timer = host_timer, .cancel_timer = host_cancel_timer, .release = host_release,
	};
	struct job_registry *reg = job_registry_new(&host);
	uint16_t port;
	int fd = listen_any(&port);
	char text[200], err[128] = "";
	cJSON *params;
	struct job *j;
	const cJSON *m = NULL, *last = NULL;

	/*
	 * 254 probes at one a second: far from done when cancelled. Only the first is
	 * ever sent, to our own listener; the rest of 127/8 is never touched.
	 */
	CHECK(fd >= 0);
	snprintf(text, sizeof(text), "{\"technique\":\"tcp\",\"targets\":\"127.0.0.1-254\","
		 "\"ports\":\"%u\",\"rate\":1,\"service\":false}", port);
	params = cJSON_Parse(text);
	j = job_start(reg, "scan", params, &h, NULL, err, sizeof(err));
	CHECK(j != NULL);
	CHECK_INT(job_cancel(reg, j->id, &h), 0);
	CHECK_INT(h.fd, -1);	/* the pipe is no longer watched */
	cJSON_ArrayForEach(m, h.msgs)
		last = m;
	CHECK(last != NULL);
	CHECK_STR(msg_type(last), "job_error");
	job_registry_free(reg);
	cJSON_Delete(params);
	cJSON_Delete(h.msgs);
	close(fd);
}
