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

#include "sweep.h"
#include "../util/log.h"

struct echo_payload {
	uint32_t index;		/* the target's position in the list */
	uint32_t cookie;	/* random per scan: replies to others' pings do not count */
	uint64_t sent_us;
};

struct ping_scan {
	struct sweep sw;
	uint16_t id;
	uint32_t cookie;
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

static int send_echo(struct sweep *sw, size_t i)
{
	struct ping_scan *s = sw->ctx;
	struct {
		struct icmphdr icmp;
		struct echo_payload data;
	} pkt = { 0 };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = sw->o->targets.addrs[i] };

	pkt.icmp.type = ICMP_ECHO;
	pkt.icmp.un.echo.id = htons(s->id);
	pkt.icmp.un.echo.sequence = htons((uint16_t)i);
	pkt.data.index = (uint32_t)i;
	pkt.data.cookie = s->cookie;
	pkt.data.sent_us = sw->t[i].sent_us;
	pkt.icmp.checksum = inet_checksum(&pkt, sizeof(pkt));
	/*
	 * No route, a broadcast address (EACCES), or the neighbour queue full of
	 * silent addresses still waiting for ARP (ENOBUFS): that probe stays
	 * unanswered and is retried like a lost one; the sweep goes on.
	 */
	if (sendto(sw->fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	    errno != EHOSTUNREACH && errno != ENETUNREACH && errno != EHOSTDOWN &&
	    errno != EACCES && errno != ENOBUFS)
		return -errno;
	return 0;
}

static void host_result(struct sweep *sw, size_t i, bool up, uint64_t rtt_us)
{
	struct scan_result r = { .type = SCAN_R_HOST, .addr = sw->o->targets.addrs[i] };

	if (up) {
		r.host_flags = SCAN_H_REPLIED | SCAN_H_RTT;
		r.rtt_us = (uint32_t)rtt_us;
	}
	scan_emit(sw->o, &r);
}

static void gave_up(struct sweep *sw, size_t i)
{
	host_result(sw, i, false, 0);
}

static void receive(struct sweep *sw)
{
	struct ping_scan *s = sw->ctx;
	uint8_t buf[1500];
	struct sockaddr_in from;

	for (;;) {
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(sw->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &from_len);
		const struct iphdr *ip = (const void *)buf;
		const struct icmphdr *icmp;
		struct echo_payload data;
		uint64_t rtt;
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
		i = scan_targets_index(&sw->o->targets, from.sin_addr.s_addr);
		if (i < 0 || data.index != (uint32_t)i || ntohs(icmp->un.echo.sequence) != (uint16_t)i)
			continue;
		if (sweep_answered(sw, (size_t)i, &rtt))
			host_result(sw, (size_t)i, true, rtt);
	}
}

int scan_ping(struct scan_opts *o)
{
	struct ping_scan s = { 0 };
	struct icmp_filter filter = { .data = ~(1u << ICMP_ECHOREPLY) };
	int fd, err;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		err = -errno;
		pr_warn("ping scan needs a raw socket: %s (run as root or with CAP_NET_RAW)\n",
			strerror(errno));
		return err;
	}
	/* only echo replies reach this socket, not every ICMP message on the host */
	setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	if (getrandom(&s.cookie, sizeof(s.cookie), 0) != sizeof(s.cookie))
		s.cookie = (uint32_t)scan_now_us();
	s.id = (uint16_t)(getpid() ^ s.cookie);
	err = sweep_init(&s.sw, o, "ping scan", fd);
	if (!err) {
		s.sw.send = send_echo;
		s.sw.receive = receive;
		s.sw.gave_up = gave_up;
		s.sw.ctx = &s;
		err = sweep_run(&s.sw);
	}
	sweep_free(&s.sw);
	close(fd);
	return err;
}
