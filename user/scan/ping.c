// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ICMP echo sweep (RFC 792) over one raw socket: an echo request to every
 * target, paced, retried on silence; the reply gives reachability and the
 * round-trip time. A reply counts only when it comes from the target, carries
 * our identifier and the target's own sequence number and payload.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

/* from <linux/icmp.h>, which clashes with <netinet/ip_icmp.h> */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
struct icmp_filter {
	uint32_t data;
};
#endif

#include "internal.h"
#include "../util/log.h"

struct echo_payload {
	uint32_t index;		/* the target's position in the list */
	uint32_t cookie;	/* random per scan: replies to others' pings do not count */
	uint64_t sent_us;
};

struct target_state {
	uint64_t sent_us;
	uint64_t deadline_us;
	uint8_t tries;
	uint8_t done;
};

struct ping_scan {
	struct scan_opts *o;
	struct target_state *t;
	size_t next, done;
	size_t *retry;
	size_t retry_head, retry_tail;
	uint16_t id;
	uint32_t cookie;
	int fd;
	struct rtt_est rtt;
	struct pacer pacer;
};

static uint16_t inet_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int send_echo(struct ping_scan *s, size_t i, uint64_t now)
{
	struct {
		struct icmphdr icmp;
		struct echo_payload data;
	} pkt = { 0 };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = s->o->targets.addrs[i] };

	pkt.icmp.type = ICMP_ECHO;
	pkt.icmp.un.echo.id = htons(s->id);
	pkt.icmp.un.echo.sequence = htons((uint16_t)i);
	pkt.data.index = (uint32_t)i;
	pkt.data.cookie = s->cookie;
	pkt.data.sent_us = now;
	pkt.icmp.checksum = inet_checksum(&pkt, sizeof(pkt));
	s->t[i].tries++;
	s->t[i].sent_us = now;
	s->t[i].deadline_us = now + rtt_timeout_us(&s->rtt);
	if (sendto(s->fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	    errno != EHOSTUNREACH && errno != ENETUNREACH && errno != EHOSTDOWN)
		return -errno;
	return 0;
}

static void host_result(struct ping_scan *s, size_t i, bool up, uint64_t rtt_us)
{
	struct scan_result r = { .type = SCAN_R_HOST, .addr = s->o->targets.addrs[i] };

	if (up) {
		r.host_flags = SCAN_H_REPLIED | SCAN_H_RTT;
		r.rtt_us = (uint32_t)rtt_us;
	}
	s->t[i].done = 1;
	s->done++;
	scan_emit(s->o, &r);
}

static void receive(struct ping_scan *s)
{
	uint8_t buf[1500];
	struct sockaddr_in from;

	for (;;) {
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &from_len);
		const struct iphdr *ip = (const void *)buf;
		const struct icmphdr *icmp;
		struct echo_payload data;
		size_t ihl;
		long i;

		if (n < 0)
			return;
		if ((size_t)n < sizeof(*ip))
			continue;
		ihl = ip->ihl * 4u;
		if (ihl < sizeof(*ip) || (size_t)n < ihl + sizeof(*icmp) + sizeof(data))
			continue;
		icmp = (const void *)(buf + ihl);
		memcpy(&data, buf + ihl + sizeof(*icmp), sizeof(data));
		if (icmp->type != ICMP_ECHOREPLY || ntohs(icmp->un.echo.id) != s->id ||
		    data.cookie != s->cookie)
			continue;
		i = scan_targets_index(&s->o->targets, from.sin_addr.s_addr);
		if (i < 0 || data.index != (uint32_t)i || ntohs(icmp->un.echo.sequence) != (uint16_t)i ||
		    s->t[i].done)
			continue;
		uint64_t rtt = scan_now_us() - data.sent_us;

		rtt_sample(&s->rtt, rtt);
		host_result(s, (size_t)i, true, rtt);
	}
}

static void expire(struct ping_scan *s, uint64_t now, uint64_t *next_deadline)
{
	/* only targets sent at least once can expire; walk those */
	for (size_t i = 0; i < s->next; i++) {
		struct target_state *t = &s->t[i];

		if (t->done || !t->deadline_us)
			continue;
		if (t->deadline_us <= now) {
			t->deadline_us = 0;
			if (t->tries <= s->o->retries)
				s->retry[s->retry_tail++ % s->o->targets.n] = i;
			else
				host_result(s, i, false, 0);
		} else if (t->deadline_us < *next_deadline) {
			*next_deadline = t->deadline_us;
		}
	}
}

static int run(struct ping_scan *s)
{
	size_t total = s->o->targets.n;
	uint64_t last_progress = 0;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	while (s->done < total && !scan_cancelled(s->o)) {
		uint64_t now = scan_now_us(), wait_us = 0, next_deadline = UINT64_MAX;
		int timeout_ms, err;

		for (;;) {
			bool have_retry = s->retry_head != s->retry_tail;
			size_t i;

			if (!have_retry && s->next >= total)
				break;
			if (!pacer_take(&s->pacer, now, &wait_us))
				break;
			i = have_retry ? s->retry[s->retry_head++ % total] : s->next++;
			if (s->t[i].done)
				continue;
			err = send_echo(s, i, now);
			if (err) {
				pr_warn("ping scan: cannot send: %s\n", strerror(-err));
				return err;
			}
		}
		expire(s, now, &next_deadline);
		if (next_deadline != UINT64_MAX && (!wait_us || next_deadline - now < wait_us))
			wait_us = next_deadline - now;
		timeout_ms = (int)((wait_us + 999) / 1000);
		if (timeout_ms > 200)
			timeout_ms = 200;
		if (poll(&pfd, 1, timeout_ms) > 0)
			receive(s);
		scan_progress(s->o, &last_progress, s->done, total, false);
	}
	scan_progress(s->o, &last_progress, s->done, total, true);
	return 0;
}

int scan_ping(struct scan_opts *o)
{
	struct ping_scan s = { .o = o };
	struct icmp_filter filter = { .data = ~(1u << ICMP_ECHOREPLY) };
	int err;

	s.fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s.fd < 0) {
		err = -errno;
		pr_warn("ping scan needs a raw socket: %s (run as root or with CAP_NET_RAW)\n",
			strerror(errno));
		return err;
	}
	/* only echo replies reach this socket, not every ICMP message on the host */
	setsockopt(s.fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	if (getrandom(&s.cookie, sizeof(s.cookie), 0) != sizeof(s.cookie))
		s.cookie = (uint32_t)scan_now_us();
	s.id = (uint16_t)(getpid() ^ s.cookie);
	s.t = calloc(o->targets.n, sizeof(*s.t));
	s.retry = calloc(o->targets.n, sizeof(*s.retry));
	if (!s.t || !s.retry) {
		err = -ENOMEM;
		goto out;
	}
	rtt_init(&s.rtt, o->timeout_ms);
	pacer_init(&s.pacer, o->rate);
	err = run(&s);
out:
	free(s.t);
	free(s.retry);
	close(s.fd);
	return err;
}
