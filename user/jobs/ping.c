// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The "ping" job: ICMP echo (RFC 792) to one IPv4 host over a raw socket, one
 * request every interval, a row per reply or timeout, a summary like ping(8)'s.
 * Parameters: host, count (1..1000), interval_ms (>= 200), timeout_ms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "job.h"

#define PING_COUNT_MAX 1000
#define PING_PAYLOAD 56		/* ping(8)'s default: 64-byte ICMP messages */

enum ping_status { PING_WAITING = 0, PING_REPLIED, PING_TIMED_OUT };

struct ping_state {
	int sock;
	struct sockaddr_in dst;
	char host[64];
	uint16_t ident;
	uint32_t count, interval_ms, timeout_ms;
	uint32_t sent, answered;	/* answered: replied or timed out */
	uint32_t received;
	uint64_t *sent_ns;		/* by sequence number - 1 */
	uint8_t *status;
	double rtt_min, rtt_max, rtt_sum;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* RFC 1071 Internet checksum. */
static uint16_t inet_checksum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int resolve(struct ping_state *st, const char *host, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_RAW };
	struct addrinfo *res;

	if (getaddrinfo(host, NULL, &hints, &res) || !res) {
		snprintf(err, errlen, "ping: cannot resolve host '%.64s'", host);
		return -1;
	}
	memcpy(&st->dst, res->ai_addr, sizeof(st->dst));
	freeaddrinfo(res);
	inet_ntop(AF_INET, &st->dst.sin_addr, st->host, sizeof(st->host));
	return 0;
}

static void send_echo(struct job *j)
{
	struct ping_state *st = j->state;
	uint8_t pkt[sizeof(struct icmphdr) + PING_PAYLOAD] = { 0 };
	struct icmphdr *icmp = (struct icmphdr *)pkt;
	uint32_t seq = ++st->sent;

	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(st->ident);
	icmp->un.echo.sequence = htons((uint16_t)seq);
	for (size_t i = sizeof(*icmp); i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)i;
	icmp->checksum = inet_checksum(pkt, sizeof(pkt));
	st->sent_ns[seq - 1] = now_ns();
	/* a failed send (no route) shows up as a timeout, as in ping(8) */
	sendto(st->sock, pkt, sizeof(pkt), 0, (struct sockaddr *)&st->dst, sizeof(st->dst));
}

static void finish_if_complete(struct job *j)
{
	struct ping_state *st = j->state;
	cJSON *sum;

	if (st->answered < st->count)
		return;
	sum = cJSON_CreateObject();
	cJSON_AddStringToObject(sum, "host", st->host);
	cJSON_AddNumberToObject(sum, "sent", st->sent);
	cJSON_AddNumberToObject(sum, "received", st->received);
	cJSON_AddNumberToObject(sum, "loss_pct",
				round(1000.0 * (st->sent - st->received) / st->sent) / 10);
	if (st->received) {
		cJSON_AddNumberToObject(sum, "rtt_min_ms", st->rtt_min);
		cJSON_AddNumberToObject(sum, "rtt_avg_ms", st->rtt_sum / st->received);
		cJSON_AddNumberToObject(sum, "rtt_max_ms", st->rtt_max);
	}
	job_done(j, sum);
}

/* Report every request whose wait is over. Returns true when the job ended. */
static bool sweep_timeouts(struct job *j)
{
	struct ping_state *st = j->state;
	uint64_t now = now_ns();

	for (uint32_t i = 0; i < st->sent; i++) {
		cJSON *row;

		if (st->status[i] != PING_WAITING ||
		    now - st->sent_ns[i] < (uint64_t)st->timeout_ms * 1000000u)
			continue;
		st->status[i] = PING_TIMED_OUT;
		st->answered++;
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "seq", i + 1);
		cJSON_AddNullToObject(row, "from");
		cJSON_AddStringToObject(row, "status", "timeout");
		job_row(j, row);
		job_progress(j, st->answered, st->count);
	}
	if (st->answered == st->count) {
		finish_if_complete(j);
		return true;
	}
	return false;
}

static void ping_on_timer(struct job *j)
{
	struct ping_state *st = j->state;

	if (sweep_timeouts(j))
		return;
	if (st->sent < st->count) {
		send_echo(j);
		/* after the last request, wake when its wait is over */
		job_set_timer(j, st->sent < st->count ? st->interval_ms : st->timeout_ms);
		return;
	}
	job_set_timer(j, 50);
}

static void ping_on_readable(struct job *j)
{
	struct ping_state *st = j->state;
	uint8_t buf[1500];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(st->sock, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
			     &fromlen)) > 0) {
		const struct iphdr *ip = (const struct iphdr *)buf;
		const struct icmphdr *icmp;
		size_t ihl;
		uint16_t seq;
		char addr[INET_ADDRSTRLEN];
		double rtt;
		cJSON *row;

		if ((size_t)n < sizeof(*ip) || (ihl = ip->ihl * 4u) < sizeof(*ip) ||
		    (size_t)n < ihl + sizeof(*icmp))
			continue;
		icmp = (const struct icmphdr *)(buf + ihl);
		seq = ntohs(icmp->un.echo.sequence);
		if (icmp->type != ICMP_ECHOREPLY || ntohs(icmp->un.echo.id) != st->ident ||
		    seq < 1 || seq > st->sent || st->status[seq - 1] != PING_WAITING ||
		    from.sin_addr.s_addr != st->dst.sin_addr.s_addr)
			continue;
		rtt = (double)(now_ns() - st->sent_ns[seq - 1]) / 1e6;
		st->status[seq - 1] = PING_REPLIED;
		st->answered++;
		st->received++;
		st->rtt_sum += rtt;
		if (st->received == 1 || rtt < st->rtt_min)
			st->rtt_min = rtt;
		if (rtt > st->rtt_max)
			st->rtt_max = rtt;
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "seq", seq);
		cJSON_AddStringToObject(row, "from", addr);
		cJSON_AddNumberToObject(row, "bytes", (double)((size_t)n - ihl));
		cJSON_AddNumberToObject(row, "ttl", ip->ttl);
		cJSON_AddNumberToObject(row, "rtt_ms", round(rtt * 1000) / 1000);
		cJSON_AddStringToObject(row, "status", "reply");
		job_row(j, row);
		job_progress(j, st->answered, st->count);
		if (st->answered == st->count) {
			finish_if_complete(j);
			return;
		}
	}
}

static int ping_start(struct job *j, const cJSON *params, char *err, size_t errlen)
{
	struct ping_state *st = j->state;
	const cJSON *host = cJSON_GetObjectItemCaseSensitive(params, "host");

	st->sock = -1;
	if (!cJSON_IsString(host) || !*host->valuestring || strlen(host->valuestring) > 253) {
		snprintf(err, errlen, "ping: 'host' is required (an IPv4 address or name)");
		return -1;
	}
	if (job_param_uint(j, params, "count", 1, PING_COUNT_MAX, 4, &st->count, err, errlen) ||
	    job_param_uint(j, params, "interval_ms", 200, 60000, 1000, &st->interval_ms, err,
			   errlen) ||
	    job_param_uint(j, params, "timeout_ms", 100, 60000, 1000, &st->timeout_ms, err,
			   errlen) ||
	    resolve(st, host->valuestring, err, errlen))
		return -1;
	st->sent_ns = calloc(st->count, sizeof(*st->sent_ns));
	st->status = calloc(st->count, 1);
	if (!st->sent_ns || !st->status) {
		snprintf(err, errlen, "ping: out of memory");
		return -1;
	}
	if (getrandom(&st->ident, sizeof(st->ident), 0) != sizeof(st->ident))
		st->ident = (uint16_t)(getpid() ^ j->id);
	st->sock = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (st->sock < 0) {
		snprintf(err, errlen, "ping: cannot open a raw ICMP socket: %s (needs CAP_NET_RAW)",
			 strerror(errno));
		return -1;
	}
	if (job_watch_fd(j, st->sock)) {
		snprintf(err, errlen, "ping: cannot watch the socket");
		return -1;
	}
	job_set_timer(j, 0);
	return 0;
}

static void ping_stop(struct job *j)
{
	struct ping_state *st = j->state;

	if (st->sock >= 0)
		close(st->sock);
	st->sock = -1;
	free(st->sent_ns);
	free(st->status);
	st->sent_ns = NULL;
	st->status = NULL;
}

const struct job_kind ping_job_kind = {
	.name = "ping",
	.state_size = sizeof(struct ping_state),
	.start = ping_start,
	.on_readable = ping_on_readable,
	.on_timer = ping_on_timer,
	.stop = ping_stop,
};
