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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/neighbour.h>

#include "sweep.h"
#include "local_addr.h"
#include "../util/log.h"

struct arp_packet {
	struct arphdr h;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
} __attribute__((packed));

/* per target: what the kernel's neighbour table said before the scan, and the answer */
struct arp_target {
	uint8_t known;
	uint8_t replied;
	uint8_t mac[6];
};

struct arp_scan {
	struct sweep sw;
	struct local_if li;
	struct arp_target *tgt;	/* one per target */
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
		i = scan_targets_index(&s->sw.o->targets, addr);
		if (i < 0)
			continue;
		s->tgt[i].known = 1;
		memcpy(s->tgt[i].mac, nl_addr_get_binary_addr(ll), 6);
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
		.addr = s->sw.o->targets.addrs[i],
		.host_flags = SCAN_H_MAC,
	};

	memcpy(r.mac, mac, 6);
	if (replied)
		r.host_flags |= SCAN_H_REPLIED | SCAN_H_RTT;
	if (s->tgt[i].known)
		r.host_flags |= SCAN_H_NEIGH;
	if (mac_is_local(mac))
		r.host_flags |= SCAN_H_LOCAL_MAC;
	r.vendor = oui_vendor(mac);
	r.rtt_us = (uint32_t)rtt_us;
	scan_emit(s->sw.o, &r);
}

static int send_request(struct sweep *sw, size_t i)
{
	struct arp_scan *s = sw->ctx;
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
	memcpy(req.tpa, &sw->o->targets.addrs[i], 4);
	if (sendto(sw->fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	    errno != ENOBUFS)
		return -errno;
	return 0;
}

static void receive(struct sweep *sw)
{
	struct arp_scan *s = sw->ctx;
	struct arp_packet rep;

	for (;;) {
		ssize_t n = recv(sw->fd, &rep, sizeof(rep), MSG_DONTWAIT);
		uint32_t spa, tpa;
		uint64_t rtt;
		long i;

		if (n < 0)
			return;
		if ((size_t)n < sizeof(rep) || rep.h.ar_op != htons(ARPOP_REPLY) ||
		    rep.h.ar_hrd != htons(ARPHRD_ETHER) || rep.h.ar_pro != htons(ETH_P_IP) ||
		    rep.h.ar_hln != 6 || rep.h.ar_pln != 4)
			continue;
		memcpy(&spa, rep.spa, 4);
		memcpy(&tpa, rep.tpa, 4);
		i = scan_targets_index(&sw->o->targets, spa);
		/* only answers to us, from a target we asked, count; duplicates once */
		if (tpa != s->li.addr || i < 0)
			continue;
		if (sweep_answered(sw, (size_t)i, &rtt)) {
			s->tgt[i].replied = 1;
			emit_host(s, (size_t)i, rep.sha, true, rtt);
		}
	}
}

/* the interface comes from -i, or from the subnet holding the first target */
static int pick_interface(struct arp_scan *s, struct scan_opts *o)
{
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
	struct arp_scan s = { 0 };
	struct sockaddr_ll bind_to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP) };
	int fd, err;

	err = pick_interface(&s, o);
	if (err)
		return err;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0) {
		err = -errno;
		pr_warn("arp scan needs a packet socket: %s (run as root or with CAP_NET_RAW)\n",
			strerror(errno));
		return err;
	}
	bind_to.sll_ifindex = (int)s.li.ifindex;
	if (bind(fd, (struct sockaddr *)&bind_to, sizeof(bind_to))) {
		err = -errno;
		pr_warn("arp scan: cannot bind to %s: %s\n", s.li.name, strerror(errno));
		goto out;
	}
	s.tgt = calloc(o->targets.n, sizeof(*s.tgt));
	err = s.tgt ? sweep_init(&s.sw, o, "arp scan", fd) : -ENOMEM;
	if (err)
		goto out;
	s.sw.send = send_request;
	s.sw.receive = receive;
	s.sw.ctx = &s;
	if (o->include_neigh)
		read_neighbours(&s);
	/* our own address: nobody else answers for it */
	for (size_t i = 0; i < o->targets.n; i++)
		if (o->targets.addrs[i] == s.li.addr)
			sweep_skip(&s.sw, i);
	err = sweep_run(&s.sw);
	/* known neighbours that did not answer this time */
	for (size_t i = 0; !err && i < o->targets.n; i++)
		if (s.tgt[i].known && !s.tgt[i].replied)
			emit_host(&s, i, s.tgt[i].mac, false, 0);
out:
	sweep_free(&s.sw);
	free(s.tgt);
	close(fd);
	return err;
}
