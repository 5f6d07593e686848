// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * SYN scan: raw SYN probes (IP_HDRINCL) whose sequence number is a keyed cookie
 * of the 4-tuple (bpf/scan.h). The replies are recognised in the kernel by
 * bpf/scan.bpf.c at ingress (a tcx or XDP link, gone when this process ends,
 * even on kill -9), handed over through a ring buffer and dropped there, so the
 * local kernel does not reset the half-open connections. A SYN-ACK is an open
 * port and gets our own reset; a RST is a closed one; silence after the
 * retries is filtered. Targets reached over loopback never pass an ingress
 * hook we can hold: those scans fall back to connect().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "../../bpf/scan.h"	/* the kernel contract; "scan.h" here is the library's */
#include "internal.h"
#include "local_addr.h"
#include "scan.skel.h"
#include "../util/iface.h"
#include "../util/log.h"

#define SYN_MAX_IFACES 8
#define SYN_INFLIGHT_DEFAULT 1024
#define ATTACH_TCX_INGRESS 46	/* BPF_TCX_INGRESS, newer than this libbpf's headers */
#define ATTACH_F_BEFORE (1U << 3) /* BPF_F_BEFORE: ahead of every other tcx program */

enum syn_probe_state {
	SYN_NEW = 0,
	SYN_IN_FLIGHT,
	SYN_WAITING,	/* timed out, queued for another try */
	SYN_DONE,
};

struct syn_slot {
	size_t probe;
	uint64_t sent_us;
	uint64_t deadline_us;
	bool used;
};

struct syn_scan {
	struct scan_opts *o;
	struct scan_bpf *skel;
	struct ring_buffer *rb;
	int link_fds[SYN_MAX_IFACES];
	size_t n_links;
	int raw_fd;
	uint64_t key0, key1;
	uint16_t sport_lo;
	uint32_t *src;		/* our address towards each target */
	int32_t *port_index;	/* 65536 entries: position of a port in o->ports, or -1 */
	size_t total, done;
	uint8_t *state;		/* enum syn_probe_state per probe */
	uint8_t *tries;
	uint32_t *slot_of;	/* probe -> slot while in flight */
	size_t *retry;
	size_t retry_head, retry_tail, next_new;
	struct syn_slot *slots;
	size_t n_slots, in_flight;
	struct rtt_est rtt;
	struct pacer pacer;
	struct open_ports open;
};

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* one TCP segment with no payload, over IPv4, sent through the raw socket */
static int send_segment(struct syn_scan *s, uint32_t saddr, uint32_t daddr, uint16_t sport,
			uint16_t dport, uint32_t seq, uint8_t flags)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
		uint8_t opts[4];
	} __attribute__((packed)) pkt = { 0 };
	struct {
		uint32_t saddr, daddr;
		uint8_t zero, proto;
		uint16_t len;
	} __attribute__((packed)) pseudo;
	size_t tcp_len = sizeof(pkt.tcp) + (flags & SCAN_TCP_SYN ? sizeof(pkt.opts) : 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = daddr };
	uint32_t sum;

	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.tot_len = htons((uint16_t)(sizeof(pkt.ip) + tcp_len));
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = saddr;
	pkt.ip.daddr = daddr;
	pkt.tcp.source = htons(sport);
	pkt.tcp.dest = htons(dport);
	pkt.tcp.seq = htonl(seq);
	pkt.tcp.doff = (uint16_t)(tcp_len / 4);
	pkt.tcp.syn = !!(flags & SCAN_TCP_SYN);
	pkt.tcp.rst = !!(flags & SCAN_TCP_RST);
	pkt.tcp.window = htons(flags & SCAN_TCP_SYN ? 1024 : 0);
	if (flags & SCAN_TCP_SYN) {
		/* MSS 1460, as nmap's probes carry */
		pkt.opts[0] = 2;
		pkt.opts[1] = 4;
		pkt.opts[2] = 1460 >> 8;
		pkt.opts[3] = 1460 & 0xff;
	}
	pseudo.saddr = saddr;
	pseudo.daddr = daddr;
	pseudo.zero = 0;
	pseudo.proto = IPPROTO_TCP;
	pseudo.len = htons((uint16_t)tcp_len);
	sum = csum_add(0, &pseudo, sizeof(pseudo));
	sum = csum_add(sum, &pkt.tcp, tcp_len);
	pkt.tcp.check = htons(csum_fold(sum));
	if (sendto(s->raw_fd, &pkt, sizeof(pkt.ip) + tcp_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0 && errno != EHOSTUNREACH && errno != ENETUNREACH &&
	    errno != ENOBUFS && errno != EHOSTDOWN && errno != EACCES)
		return -errno;	/* the others leave that probe unanswered: filtered */
	return 0;
}

static size_t probe_target(const struct syn_scan *s, size_t probe)
{
	return probe % s->o->targets.n;
}

static uint16_t probe_port(const struct syn_scan *s, size_t probe)
{
	return s->o->ports.ports[probe / s->o->targets.n];
}

static void release_slot(struct syn_scan *s, size_t probe)
{
	s->slots[s->slot_of[probe]].used = false;
	s->in_flight--;
}

static void finish(struct syn_scan *s, size_t probe, enum port_state st, const char *reason,
		   uint8_t ttl)
{
	s->state[probe] = SYN_DONE;
	s->done++;
	scan_emit_port(s->o, &s->open, s->o->targets.addrs[probe_target(s, probe)],
		       probe_port(s, probe), st, reason, ttl);
}

static int send_probe(struct syn_scan *s, size_t probe, uint64_t now)
{
	size_t t = probe_target(s, probe), i;
	uint32_t daddr = s->o->targets.addrs[t];
	uint16_t dport = probe_port(s, probe), sport;

	for (i = 0; i < s->n_slots && s->slots[i].used; i++)
		;
	if (i == s->n_slots)
		return -ENOSPC;
	/* each try from its own source port: a late reply still names its try */
	sport = (uint16_t)(s->sport_lo + s->tries[probe] % SCAN_SPORT_SPAN);
	s->tries[probe]++;
	s->slots[i] = (struct syn_slot){ probe, now, now + rtt_timeout_us(&s->rtt), true };
	s->slot_of[probe] = (uint32_t)i;
	s->state[probe] = SYN_IN_FLIGHT;
	s->in_flight++;
	return send_segment(s, s->src[t], daddr, sport, dport,
			    scan_cookie(s->key0, s->key1, s->src[t], daddr, sport, dport),
			    SCAN_TCP_SYN);
}

/* nmap's reason words for ICMP destination-unreachable codes (RFC 792, RFC 1812) */
static const char *icmp_unreach_reason(uint8_t code)
{
	switch (code) {
	case 0:
		return "net-unreach";
	case 1:
		return "host-unreach";
	case 2:
		return "proto-unreach";
	case 3:
		return "port-unreach";
	case 9:
	case 10:
	case 13:
		return "admin-prohibited";
	default:
		return "unreach";
	}
}

static int on_reply(void *ctx, void *data, size_t len)
{
	struct syn_scan *s = ctx;
	const struct scan_reply *r = data;
	long t;
	int32_t p;
	size_t probe;

	if (len < sizeof(*r) || r->version != SCAN_REPLY_VERSION)
		return 0;
	t = scan_targets_index(&s->o->targets, r->saddr);
	p = s->port_index[r->sport];
	if (t < 0 || p < 0 || r->daddr != s->src[t])
		return 0;
	probe = (size_t)p * s->o->targets.n + (size_t)t;
	if (s->state[probe] == SYN_DONE || s->state[probe] == SYN_NEW)
		return 0;	/* a duplicate, or the answer to a try we never made */
	if (s->state[probe] == SYN_IN_FLIGHT) {
		rtt_sample(&s->rtt, scan_now_us() - s->slots[s->slot_of[probe]].sent_us);
		release_slot(s, probe);
	}
	if (r->flags & SCAN_TCP_SYN) {
		/* tear the half-open connection down ourselves, as the kernel no longer can */
		send_segment(s, r->daddr, r->saddr, r->dport, r->sport, r->ack, SCAN_TCP_RST);
		finish(s, probe, PORT_OPEN, "syn-ack", r->ttl);
	} else if (r->flags & SCAN_TCP_RST) {
		finish(s, probe, PORT_CLOSED, "reset", r->ttl);
	} else {
		finish(s, probe, PORT_FILTERED, icmp_unreach_reason(r->icmp_code), r->ttl);
	}
	return 0;
}

static void expire(struct syn_scan *s, uint64_t now, uint64_t *next_deadline)
{
	for (size_t i = 0; i < s->n_slots; i++) {
		struct syn_slot *sl = &s->slots[i];

		if (!sl->used)
			continue;
		if (sl->deadline_us > now) {
			if (sl->deadline_us < *next_deadline)
				*next_deadline = sl->deadline_us;
			continue;
		}
		release_slot(s, sl->probe);
		if (s->tries[sl->probe] <= s->o->retries) {
			s->state[sl->probe] = SYN_WAITING;
			s->retry[s->retry_tail++ % s->total] = sl->probe;
		} else {
			finish(s, sl->probe, PORT_FILTERED, "no-response", 0);
		}
	}
}

static int run(struct syn_scan *s)
{
	uint64_t last_progress = 0;

	while (s->done < s->total && !scan_cancelled(s->o)) {
		uint64_t now = scan_now_us(), wait_us = 0, next_deadline = UINT64_MAX;
		int timeout_ms, err;

		while (s->in_flight < s->n_slots) {
			bool have_retry = s->retry_head != s->retry_tail;
			size_t probe;

			if (!have_retry && s->next_new >= s->total)
				break;
			if (!pacer_take(&s->pacer, now, &wait_us))
				break;
			probe = have_retry ? s->retry[s->retry_head++ % s->total] : s->next_new++;
			if (s->state[probe] == SYN_DONE)
				continue;	/* a late reply settled it while it waited */
			err = send_probe(s, probe, now);
			if (err) {
				pr_warn("syn scan: cannot send: %s\n", strerror(-err));
				return err;
			}
		}
		expire(s, now, &next_deadline);
		if (next_deadline != UINT64_MAX && (!wait_us || next_deadline - now < wait_us))
			wait_us = next_deadline - now;
		timeout_ms = (int)((wait_us + 999) / 1000);
		if (timeout_ms > 200)
			timeout_ms = 200;
		err = ring_buffer__poll(s->rb, timeout_ms);
		if (err < 0 && err != -EINTR)
			return err;
		scan_progress(s->o, &last_progress, s->done, s->total, false);
	}
	scan_progress(s->o, &last_progress, s->done, s->total, true);
	return 0;
}

/* our source ports: outside the kernel's ephemeral range, so no socket of ours collides */
static uint16_t pick_sport_base(void)
{
	unsigned int lo = 32768, hi = 60999, span, r = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	if (f) {
		if (fscanf(f, "%u %u", &lo, &hi) != 2)
			lo = 32768, hi = 60999;
		fclose(f);
	}
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)scan_now_us();
	if (hi + 1 + SCAN_SPORT_SPAN <= 65535) {
		span = 65535 - SCAN_SPORT_SPAN - hi;
		return (uint16_t)(hi + 1 + r % span);
	}
	if (lo > 1024 + SCAN_SPORT_SPAN)
		return (uint16_t)(1024 + r % (lo - 1024 - SCAN_SPORT_SPAN));
	return 40000;
}

static int tcx_attach(int prog_fd, uint32_t ifindex)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.target_ifindex = ifindex;
	attr.link_create.attach_type = ATTACH_TCX_INGRESS;
	attr.link_create.flags = ATTACH_F_BEFORE;
	return (int)syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
}

/*
 * Where each target is reached from. NULL when the hook can see every reply,
 * else why not: a target that is this host (loopback), that has no route, or
 * that is reached by another device than -i names.
 */
static const char *resolve_routes(struct syn_scan *s, uint32_t *ifindexes, size_t *n_if)
{
	struct local_if forced, li;

	if (*s->o->ifname && local_if_by_name(s->o->ifname, &forced))
		return "the -i interface has no IPv4 address";
	*n_if = 0;
	for (size_t t = 0; t < s->o->targets.n; t++) {
		uint32_t dst = s->o->targets.addrs[t];
		size_t i;

		if (local_if_by_route(dst, &li))
			return "a target has no route";
		if (li.loopback || li.addr == dst)
			return "a target is reached over loopback";
		if (*s->o->ifname && li.ifindex != forced.ifindex)
			return "a target is not reached through the -i interface";
		s->src[t] = li.addr;
		for (i = 0; i < *n_if && ifindexes[i] != li.ifindex; i++)
			;
		if (i == *n_if) {
			if (*n_if == SYN_MAX_IFACES)
				return "the targets are reached through too many interfaces";
			ifindexes[(*n_if)++] = li.ifindex;
		}
	}
	return NULL;
}

/* XDP link: like tcx, it goes away with the process */
static int xdp_attach(int prog_fd, uint32_t ifindex)
{
	return bpf_link_create(prog_fd, (int)ifindex, BPF_XDP, NULL);
}

static bool wants_xdp(enum scan_hook hook, uint32_t ifindex)
{
	char name[IFACE_NAME_MAX];

	if (hook == SCAN_HOOK_XDP)
		return true;
	return hook == SCAN_HOOK_AUTO && iface_name(ifindex, name) && iface_is_physical(name);
}

/* the reply program on one device: XDP where chosen and free, else tcx */
static int attach_one(struct syn_scan *s, uint32_t ifindex)
{
	int fd = -1;

	if (wants_xdp(s->o->hook, ifindex)) {
		fd = xdp_attach(bpf_program__fd(s->skel->progs.scan_xdp_ingress), ifindex);
		if (fd >= 0) {
			pr_debug("syn scan: replies taken at XDP on ifindex %u\n", ifindex);
			return fd;
		}
		/* most often another XDP program (a capture) holds the device */
		pr_info("syn scan: XDP is taken on ifindex %u (%s); using TC\n", ifindex,
			strerror(errno));
	}
	fd = tcx_attach(bpf_program__fd(s->skel->progs.scan_tc_ingress), ifindex);
	if (fd >= 0)
		pr_debug("syn scan: replies taken at tcx ingress on ifindex %u\n", ifindex);
	return fd < 0 ? -errno : fd;
}

static int setup_bpf(struct syn_scan *s, const uint32_t *ifindexes, size_t n_if)
{
	int err;

	s->skel = scan_bpf__open();
	if (!s->skel)
		return -errno;
	s->skel->rodata->key0 = s->key0;
	s->skel->rodata->key1 = s->key1;
	s->skel->rodata->sport_lo = s->sport_lo;
	err = scan_bpf__load(s->skel);
	if (err)
		return err;
	for (size_t i = 0; i < n_if; i++) {
		int fd = attach_one(s, ifindexes[i]);

		if (fd < 0)
			return fd;
		s->link_fds[s->n_links++] = fd;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.scan_replies), on_reply, s, NULL);
	return s->rb ? 0 : -errno;
}

static void log_counters(struct syn_scan *s)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v;

	if (ncpu <= 0 || !(v = calloc((size_t)ncpu, sizeof(*v))))
		return;
	for (uint32_t k = 0; k < SCAN_CNT_MAX; k++) {
		uint64_t sum = 0;

		if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.scan_counters), &k, v))
			continue;
		for (int c = 0; c < ncpu; c++)
			sum += v[c];
		pr_debug("syn scan: kernel counter %s = %llu\n",
			 k == SCAN_CNT_MATCHED ? "matched" : k == SCAN_CNT_FORGED ? "forged" : "ring-full",
			 (unsigned long long)sum);
	}
	free(v);
}

static void cleanup(struct syn_scan *s)
{
	for (size_t i = 0; i < s->n_links; i++)
		close(s->link_fds[i]);	/* closing the tcx link detaches the program */
	ring_buffer__free(s->rb);
	scan_bpf__destroy(s->skel);
	if (s->raw_fd >= 0)
		close(s->raw_fd);
	free(s->src);
	free(s->port_index);
	free(s->state);
	free(s->tries);
	free(s->slot_of);
	free(s->retry);
	free(s->slots);
	free(s->open.v);
}

int scan_syn(struct scan_opts *o)
{
	struct syn_scan s = { .o = o, .raw_fd = -1 };
	uint32_t ifindexes[SYN_MAX_IFACES];
	size_t n_if = 0;
	uint64_t key[2];
	const char *why;
	int err = -ENOMEM;

	s.total = o->targets.n * o->ports.n;
	s.src = calloc(o->targets.n, sizeof(*s.src));
	s.port_index = malloc(65536 * sizeof(*s.port_index));
	s.state = calloc(s.total, 1);
	s.tries = calloc(s.total, 1);
	s.slot_of = calloc(s.total, sizeof(*s.slot_of));
	s.retry = calloc(s.total, sizeof(*s.retry));
	s.n_slots = o->max_inflight > SYN_INFLIGHT_DEFAULT ? o->max_inflight : SYN_INFLIGHT_DEFAULT;
	s.slots = calloc(s.n_slots, sizeof(*s.slots));
	if (!s.src || !s.port_index || !s.state || !s.tries || !s.slot_of || !s.retry || !s.slots)
		goto out;
	why = resolve_routes(&s, ifindexes, &n_if);
	if (why) {
		pr_info("syn scan: %s; using a connect scan\n", why);
		cleanup(&s);
		return scan_tcp_connect(o);
	}
	memset(s.port_index, 0xff, 65536 * sizeof(*s.port_index));
	for (size_t i = 0; i < o->ports.n; i++)
		s.port_index[o->ports.ports[i]] = (int32_t)i;
	if (getrandom(key, sizeof(key), 0) != sizeof(key)) {
		err = -errno;
		pr_warn("syn scan: no random key: %s\n", strerror(errno));
		goto out;
	}
	s.key0 = key[0];
	s.key1 = key[1];
	s.sport_lo = pick_sport_base();
	s.raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (s.raw_fd < 0) {
		err = -errno;
		pr_warn("syn scan needs a raw socket: %s (run as root or with CAP_NET_RAW)\n",
			strerror(errno));
		goto out;
	}
	err = setup_bpf(&s, ifindexes, n_if);
	if (err) {
		pr_warn("syn scan: cannot load or attach the reply program: %s; using a connect scan\n",
			strerror(-err));
		cleanup(&s);
		return scan_tcp_connect(o);
	}
	rtt_init(&s.rtt, o->timeout_ms);
	pacer_init(&s.pacer, o->rate);
	err = run(&s);
	log_counters(&s);
	/* the hook goes before service detection, whose connections need their replies */
	for (size_t i = 0; i < s.n_links; i++)
		close(s.link_fds[i]);
	s.n_links = 0;
	if (!err)
		scan_detect_services(o, &s.open);
out:
	cleanup(&s);
	return err;
}
