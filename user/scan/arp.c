// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ARP sweep (RFC 826) of a subnet over an AF_PACKET socket: a who-has request
 * to every target address, paced and retried; each reply gives the host's IP,
 * MAC and vendor. Hosts the kernel already knows (its neighbour table, read
 * over rtnetlink with libnl-route) are reported too and marked as such.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/neighbour.h>

#include "internal.h"
#include "local_addr.h"
#include "../util/log.h"

struct arp_packet {
	struct arphdr h;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
} __attribute__((packed));

struct arp_target {
	uint64_t sent_us;
	uint64_t deadline_us;
	uint8_t tries;
	uint8_t replied;
	uint8_t neigh;		/* in the kernel's neighbour table before the scan */
	uint8_t mac[6];		/* the neighbour entry's */
};

struct arp_scan {
	struct scan_opts *o;
	struct local_if li;
	struct arp_target *t;
	size_t next, done;
	size_t *retry;
	size_t retry_head, retry_tail;
	int fd;
	struct rtt_est rtt;
	struct pacer pacer;
};

/* neighbour entries the kernel holds for targets on our interface */
static void read_neighbours(struct arp_scan *s)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	struct nl_object *obj;

	if (!sk)
		return;
	if (nl_connect(sk, NETLINK_ROUTE) || rtnl_neigh_alloc_cache(sk, &cache)) {
		pr_debug("arp scan: cannot read the neighbour table\n");
		goto out;
	}
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_neigh *n = (struct rtnl_neigh *)obj;
		struct nl_addr *dst = rtnl_neigh_get_dst(n), *ll = rtnl_neigh_get_lladdr(n);
		int state = rtnl_neigh_get_state(n);
		uint32_t addr;
		long i;

		if (rtnl_neigh_get_family(n) != AF_INET ||
		    rtnl_neigh_get_ifindex(n) != (int)s->li.ifindex || !dst || !ll ||
		    nl_addr_get_len(dst) != 4 || nl_addr_get_len(ll) != 6 ||
		    (state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP)))
			continue;
		memcpy(&addr, nl_addr_get_binary_addr(dst), 4);
		i = scan_targets_index(&s->o->targets, addr);
		if (i < 0)
			continue;
		s->t[i].neigh = 1;
		memcpy(s->t[i].mac, nl_addr_get_binary_addr(ll), 6);
	}
out:
	nl_cache_free(cache);
	nl_socket_free(sk);
}

static void emit_host(struct arp_scan *s, size_t i, const uint8_t mac[6], bool replied,
		      uint64_t rtt_us)
{
	struct scan_result r = {
		.type = SCAN_R_HOST,
		.addr = s->o->targets.addrs[i],
		.host_flags = SCAN_H_MAC,
	};

	memcpy(r.mac, mac, 6);
	if (replied)
		r.host_flags |= SCAN_H_REPLIED | SCAN_H_RTT;
	if (s->t[i].neigh)
		r.host_flags |= SCAN_H_NEIGH;
	if (mac_is_local(mac))
		r.host_flags |= SCAN_H_LOCAL_MAC;
	r.vendor = oui_vendor(mac);
	r.rtt_us = (uint32_t)rtt_us;
	scan_emit(s->o, &r);
}

static int send_request(struct arp_scan *s, size_t i, uint64_t now)
{
	struct arp_packet req = {
		.h.ar_hrd = htons(ARPHRD_ETHER),
		.h.ar_pro = htons(ETH_P_IP),
		.h.ar_hln = 6,
		.h.ar_pln = 4,
		.h.ar_op = htons(ARPOP_REQUEST),
	};
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = (int)s->li.ifindex,
		.sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};

	memcpy(req.sha, s->li.mac, 6);
	memcpy(req.spa, &s->li.addr, 4);
	memcpy(req.tpa, &s->o->targets.addrs[i], 4);
	s->t[i].tries++;
	s->t[i].sent_us = now;
	s->t[i].deadline_us = now + rtt_timeout_us(&s->rtt);
	if (sendto(s->fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	    errno != ENOBUFS)
		return -errno;
	return 0;
}

static void receive(struct arp_scan *s)
{
	struct arp_packet rep;

	for (;;) {
		ssize_t n = recv(s->fd, &rep, sizeof(rep), MSG_DONTWAIT);
		uint32_t spa, tpa;
		long i;

		if (n < 0)
			return;
		if ((size_t)n < sizeof(rep) || rep.h.ar_op != htons(ARPOP_REPLY) ||
		    rep.h.ar_hrd != htons(ARPHRD_ETHER) || rep.h.ar_pro != htons(ETH_P_IP) ||
		    rep.h.ar_hln != 6 || rep.h.ar_pln != 4)
			continue;
		memcpy(&spa, rep.spa, 4);
		memcpy(&tpa, rep.tpa, 4);
		i = scan_targets_index(&s->o->targets, spa);
		/* only answers to us, from a target we asked, count; duplicates once */
		if (tpa != s->li.addr || i < 0 || !s->t[i].tries || s->t[i].replied)
			continue;
		uint64_t rtt = scan_now_us() - s->t[i].sent_us;

		rtt_sample(&s->rtt, rtt);
		s->t[i].replied = 1;
		s->done++;
		emit_host(s, (size_t)i, rep.sha, true, rtt);
	}
}

static void expire(struct arp_scan *s, uint64_t now, uint64_t *next_deadline)
{
	for (size_t i = 0; i < s->next; i++) {
		struct arp_target *t = &s->t[i];

		if (t->replied || !t->deadline_us)
			continue;
		if (t->deadline_us <= now) {
			t->deadline_us = 0;
			if (t->tries <= s->o->retries)
				s->retry[s->retry_tail++ % s->o->targets.n] = i;
			else
				s->done++;
		} else if (t->deadline_us < *next_deadline) {
			*next_deadline = t->deadline_us;
		}
	}
}

static int run(struct arp_scan *s)
{
	size_t total = s->o->targets.n;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint64_t last_progress = 0;

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
			if (s->t[i].replied)
				continue;
			if (s->o->targets.addrs[i] == s->li.addr) {
				/* our own address: nobody else answers for it */
				s->t[i].tries = (uint8_t)(s->o->retries + 1);
				s->done++;
				continue;
			}
			err = send_request(s, i, now);
			if (err) {
				pr_warn("arp scan: cannot send on %s: %s\n", s->li.name,
					strerror(-err));
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

/* the interface comes from -i, or from the subnet holding the first target */
static int pick_interface(struct arp_scan *s)
{
	struct scan_opts *o = s->o;
	int err;

	if (*o->ifname) {
		err = local_if_by_name(o->ifname, &s->li);
		if (err)
			return err;
	} else if (local_if_by_subnet(o->targets.addrs[0], &s->li)) {
		char addr[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &o->targets.addrs[0], addr, sizeof(addr));
		pr_warn("arp scan: no interface on the subnet of %s; give -i IF\n", addr);
		return -ENOENT;
	}
	if (s->li.loopback) {
		pr_warn("arp scan: %s is a loopback interface, it has no ARP\n", s->li.name);
		return -EINVAL;
	}
	if (!o->targets.n) {
		/* no CIDR given: every address of the interface's subnet */
		char cidr[INET_ADDRSTRLEN + 4];

		inet_ntop(AF_INET, &s->li.addr, cidr, INET_ADDRSTRLEN);
		snprintf(cidr + strlen(cidr), 4, "/%u", s->li.prefix_len);
		err = scan_targets_add(&o->targets, cidr);
		if (err == -E2BIG)
			pr_warn("arp scan: the subnet %s is larger than %d addresses; give a CIDR\n",
				cidr, SCAN_MAX_TARGETS);
		if (err)
			return err;
		err = scan_targets_finish(&o->targets);
		if (err)
			return err;
	}
	return 0;
}

int scan_arp(struct scan_opts *o)
{
	struct arp_scan s = { .o = o, .fd = -1 };
	struct sockaddr_ll bind_to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP) };
	int err;

	err = pick_interface(&s);
	if (err)
		return err;
	s.fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (s.fd < 0) {
		err = -errno;
		pr_warn("arp scan needs a packet socket: %s (run as root or with CAP_NET_RAW)\n",
			strerror(errno));
		return err;
	}
	bind_to.sll_ifindex = (int)s.li.ifindex;
	if (bind(s.fd, (struct sockaddr *)&bind_to, sizeof(bind_to))) {
		err = -errno;
		pr_warn("arp scan: cannot bind to %s: %s\n", s.li.name, strerror(errno));
		goto out;
	}
	s.t = calloc(o->targets.n, sizeof(*s.t));
	s.retry = calloc(o->targets.n, sizeof(*s.retry));
	if (!s.t || !s.retry) {
		err = -ENOMEM;
		goto out;
	}
	if (o->include_neigh)
		read_neighbours(&s);
	rtt_init(&s.rtt, o->timeout_ms ? o->timeout_ms : 1000);
	pacer_init(&s.pacer, o->rate);
	err = run(&s);
	/* known neighbours that did not answer this time */
	for (size_t i = 0; !err && i < o->targets.n; i++)
		if (s.t[i].neigh && !s.t[i].replied)
			emit_host(&s, i, s.t[i].mac, false, 0);
out:
	free(s.t);
	free(s.retry);
	close(s.fd);
	return err;
}
