// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP connect scan: non-blocking connect() on many sockets at once, completions
 * from epoll. States as nmap names them: open when the handshake completes,
 * closed on a reset (ECONNREFUSED), filtered when nothing answers in time or an
 * ICMP unreachable comes back. Sockets close with SO_LINGER 0, so an open port
 * gets a reset and no TIME_WAIT is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "../util/log.h"

enum probe_state {
	PROBE_NEW = 0,
	PROBE_IN_FLIGHT,
	PROBE_WAITING,	/* timed out, queued for another try */
	PROBE_DONE,
};

struct slot {
	int fd;			/* -1 when free */
	size_t probe;
	uint64_t sent_us;
	uint64_t deadline_us;
};

struct connect_scan {
	struct scan_opts *o;
	size_t total;
	uint8_t *state;		/* enum probe_state per probe */
	uint8_t *tries;
	size_t *retry;		/* FIFO of probes to send again */
	size_t retry_head, retry_tail;
	size_t next_new;	/* next probe never sent */
	size_t done;
	struct slot *slots;
	size_t n_slots, in_flight;
	size_t limit;		/* sockets open at once: n_slots, less after EMFILE */
	int epfd;
	struct rtt_est rtt;
	struct pacer pacer;
	struct open_ports open;
};

/* probes interleave hosts, so one host never sees a burst of its ports */
static uint32_t probe_addr(const struct connect_scan *s, size_t probe)
{
	return s->o->targets.addrs[probe % s->o->targets.n];
}

static uint16_t probe_port(const struct connect_scan *s, size_t probe)
{
	return s->o->ports.ports[probe / s->o->targets.n];
}

static void finish(struct connect_scan *s, size_t probe, enum port_state st, const char *reason)
{
	s->state[probe] = PROBE_DONE;
	s->done++;
	scan_emit_port(s->o, &s->open, probe_addr(s, probe), probe_port(s, probe), st, reason, 0);
}

static void close_slot(struct connect_scan *s, struct slot *sl)
{
	close(sl->fd);	/* SO_LINGER 0: RST, no TIME_WAIT */
	sl->fd = -1;
	s->in_flight--;
}

/* an errno from connect() or SO_ERROR to a final state; false to try again */
static bool errno_state(int err, enum port_state *st, const char **reason)
{
	switch (err) {
	case 0:
		*st = PORT_OPEN;
		*reason = "syn-ack";
		return true;
	case ECONNREFUSED:
		*st = PORT_CLOSED;
		*reason = "conn-refused";
		return true;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case EACCES:
	case EPERM:	/* a local firewall said no */
		*st = PORT_FILTERED;
		*reason = "host-unreach";
		return true;
	default:
		return false;
	}
}

static void give_up_or_retry(struct connect_scan *s, size_t probe)
{
	if (s->tries[probe] <= s->o->retries) {
		s->state[probe] = PROBE_WAITING;
		s->retry[s->retry_tail++ % s->total] = probe;
		return;
	}
	finish(s, probe, PORT_FILTERED, "no-response");
}

static int open_socket(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return fd;
}

/*
 * A connect from an ephemeral port to the same port on this host can meet
 * itself (TCP simultaneous open): that is no listener, the port is closed.
 */
static bool connected_to_itself(int fd)
{
	struct sockaddr_in self, peer;
	socklen_t a = sizeof(self), b = sizeof(peer);

	return !getsockname(fd, (struct sockaddr *)&self, &a) &&
	       !getpeername(fd, (struct sockaddr *)&peer, &b) &&
	       self.sin_port == peer.sin_port && self.sin_addr.s_addr == peer.sin_addr.s_addr;
}

/* sends one probe; returns -EMFILE when out of descriptors (the probe stays queued) */
static int send_probe(struct connect_scan *s, size_t probe, uint64_t now)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(probe_port(s, probe)),
		.sin_addr.s_addr = probe_addr(s, probe),
	};
	struct epoll_event ev = { .events = EPOLLOUT };
	enum port_state st;
	const char *reason;
	struct slot *sl = NULL;
	int fd, err;

	fd = open_socket();
	if (fd < 0)
		return fd;
	for (size_t i = 0; i < s->n_slots; i++)
		if (s->slots[i].fd < 0) {
			sl = &s->slots[i];
			break;
		}
	if (!sl) {
		close(fd);
		return -EMFILE;
	}
	s->tries[probe]++;
	err = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ? errno : 0;
	if (!err && connected_to_itself(fd))
		err = ECONNREFUSED;
	if (err != EINPROGRESS) {
		close(fd);
		if (errno_state(err, &st, &reason))
			finish(s, probe, st, reason);
		else
			give_up_or_retry(s, probe);
		return 0;
	}
	ev.data.u64 = (uint64_t)(sl - s->slots);
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		return -errno;
	}
	sl->fd = fd;
	sl->probe = probe;
	sl->sent_us = now;
	sl->deadline_us = now + rtt_timeout_us(&s->rtt);
	s->state[probe] = PROBE_IN_FLIGHT;
	s->in_flight++;
	return 0;
}

static bool next_probe(struct connect_scan *s, size_t *probe)
{
	if (s->retry_head != s->retry_tail) {
		*probe = s->retry[s->retry_head++ % s->total];
		return true;
	}
	if (s->next_new < s->total) {
		*probe = s->next_new++;
		return true;
	}
	return false;
}

static void unget_probe(struct connect_scan *s, size_t probe)
{
	if (s->state[probe] == PROBE_NEW)
		s->next_new--;
	else
		s->retry_head--;
}

static void on_completion(struct connect_scan *s, struct slot *sl, uint64_t now)
{
	enum port_state st;
	const char *reason;
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(sl->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (!err && connected_to_itself(sl->fd))
		err = ECONNREFUSED;
	if (err == 0 || err == ECONNREFUSED)
		rtt_sample(&s->rtt, now - sl->sent_us);
	close_slot(s, sl);
	if (errno_state(err, &st, &reason))
		finish(s, sl->probe, st, reason);
	else
		give_up_or_retry(s, sl->probe);
}

static void expire(struct connect_scan *s, uint64_t now, uint64_t *next_deadline)
{
	for (size_t i = 0; i < s->n_slots; i++) {
		struct slot *sl = &s->slots[i];

		if (sl->fd < 0)
			continue;
		if (sl->deadline_us <= now) {
			close_slot(s, sl);
			give_up_or_retry(s, sl->probe);
		} else if (sl->deadline_us < *next_deadline) {
			*next_deadline = sl->deadline_us;
		}
	}
}

static int run(struct connect_scan *s)
{
	struct epoll_event events[64];
	uint64_t last_progress = 0;

	while (s->done < s->total && !scan_cancelled(s->o)) {
		uint64_t now = scan_now_us(), wait_us = 0, next_deadline = UINT64_MAX;
		size_t probe;
		int n, timeout_ms;

		while (s->in_flight < s->limit && next_probe(s, &probe)) {
			int err;

			if (!pacer_take(&s->pacer, now, &wait_us)) {
				unget_probe(s, probe);
				break;
			}
			err = send_probe(s, probe, now);
			if (err == -EMFILE || err == -ENFILE) {
				unget_probe(s, probe);
				if (!s->in_flight) {
					pr_warn("tcp scan: out of file descriptors\n");
					return err;
				}
				/* fewer sockets at once from now on */
				s->limit = s->in_flight;
				break;
			} else if (err) {
				pr_warn("tcp scan: %s\n", strerror(-err));
				return err;
			}
		}
		expire(s, now, &next_deadline);
		if (next_deadline != UINT64_MAX && (wait_us == 0 || next_deadline - now < wait_us))
			wait_us = next_deadline > now ? next_deadline - now : 0;
		if (s->done == s->total)
			break;
		timeout_ms = wait_us ? (int)((wait_us + 999) / 1000) : (s->in_flight ? 50 : 0);
		if (timeout_ms > 200)
			timeout_ms = 200;
		n = epoll_wait(s->epfd, events, 64, timeout_ms);
		if (n < 0 && errno != EINTR)
			return -errno;
		now = scan_now_us();
		for (int i = 0; i < n; i++)
			if (s->slots[events[i].data.u64].fd >= 0)
				on_completion(s, &s->slots[events[i].data.u64], now);
		scan_progress(s->o, &last_progress, s->done, s->total, false);
	}
	scan_progress(s->o, &last_progress, s->done, s->total, true);
	return 0;
}

int scan_tcp_connect(struct scan_opts *o)
{
	struct connect_scan s = { .o = o, .epfd = -1 };
	int err = -ENOMEM;

	s.total = o->targets.n * o->ports.n;
	s.n_slots = o->max_inflight ? o->max_inflight : 256;
	s.limit = s.n_slots;
	s.state = calloc(s.total, 1);
	s.tries = calloc(s.total, 1);
	s.retry = calloc(s.total, sizeof(*s.retry));
	s.slots = calloc(s.n_slots, sizeof(*s.slots));
	if (!s.state || !s.tries || !s.retry || !s.slots)
		goto out;
	for (size_t i = 0; i < s.n_slots; i++)
		s.slots[i].fd = -1;
	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s.epfd < 0) {
		err = -errno;
		goto out;
	}
	rtt_init(&s.rtt, o->timeout_ms);
	pacer_init(&s.pacer, o->rate);
	err = run(&s);
	for (size_t i = 0; i < s.n_slots; i++)
		if (s.slots[i].fd >= 0)
			close(s.slots[i].fd);
	if (!err)
		scan_detect_services(o, &s.open);
out:
	free(s.open.v);
	if (s.epfd >= 0)
		close(s.epfd);
	free(s.state);
	free(s.tries);
	free(s.retry);
	free(s.slots);
	return err;
}
