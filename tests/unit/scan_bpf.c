// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bpf/scan.bpf.c in the kernel, through BPF_PROG_TEST_RUN: a reply that carries
 * our cookie is taken (ring buffer) and dropped; a forged or stray one, or one
 * outside the scan's ports, goes on untouched and is not reported.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/runner.h"
#include "../bpf/scan.h"
#include "scan.skel.h"

#define K0 0x1122334455667788ULL
#define K1 0x99aabbccddeeff00ULL
#define SPORT_LO 61000
#define TC_NEXT 0xffffffffu	/* TCX_NEXT (-1) */
#define TC_DROP 2u		/* TCX_DROP, TC_ACT_SHOT */

struct frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr tcp;
} __attribute__((packed));

static struct frame reply(uint32_t target, uint32_t scanner, uint16_t tport, uint16_t sport,
			  uint32_t ack, bool syn)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.eth.h_proto = htons(ETH_P_IP);
	f.ip.version = 4;
	f.ip.ihl = 5;
	f.ip.ttl = 61;
	f.ip.protocol = IPPROTO_TCP;
	f.ip.tot_len = htons(sizeof(f.ip) + sizeof(f.tcp));
	f.ip.saddr = target;
	f.ip.daddr = scanner;
	f.tcp.source = htons(tport);
	f.tcp.dest = htons(sport);
	f.tcp.seq = htonl(12345);
	f.tcp.ack_seq = htonl(ack);
	f.tcp.doff = 5;
	f.tcp.ack = 1;
	f.tcp.syn = syn;
	f.tcp.rst = !syn;
	return f;
}

static int replies_seen;
static struct scan_reply last;

static int on_reply(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len >= sizeof(last))
		memcpy(&last, data, sizeof(last));
	replies_seen++;
	return 0;
}

/* the program with the test's key and ports, loaded; NULL when BPF is not allowed here */
static struct scan_bpf *load_scan_prog(void)
{
	struct scan_bpf *skel = scan_bpf__open();

	if (!skel)
		return NULL;
	skel->rodata->key0 = K0;
	skel->rodata->key1 = K1;
	skel->rodata->sport_lo = SPORT_LO;
	if (scan_bpf__load(skel)) {
		scan_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* the verdict of prog on len bytes of frame */
static uint32_t run_prog(struct bpf_program *prog, const void *frame, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (uint32_t)len,
		    .repeat = 1);

	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
		return 0xdead;
	return opts.retval;
}

static uint32_t run_bytes(struct scan_bpf *skel, const void *frame, size_t len)
{
	return run_prog(skel->progs.scan_tc_ingress, frame, len);
}

static uint32_t run(struct scan_bpf *skel, struct frame *f)
{
	return run_bytes(skel, f, sizeof(*f));
}

static uint64_t counter(struct scan_bpf *skel, uint32_t key)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t v[512] = { 0 }, sum = 0;

	if (ncpu <= 0 || ncpu > 512 ||
	    bpf_map_lookup_elem(bpf_map__fd(skel->maps.scan_counters), &key, v))
		return ~0ull;
	for (int i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* ICMP destination unreachable from a router, quoting our SYN probe */
struct icmp_frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct icmphdr icmp;
	struct iphdr inner;
	uint8_t inner_tcp[8];
} __attribute__((packed));

static struct icmp_frame unreachable(uint32_t router, uint32_t scanner, uint32_t target,
				     uint16_t sport, uint16_t tport, uint32_t seq, uint8_t code)
{
	struct icmp_frame f;

	memset(&f, 0, sizeof(f));
	f.eth.h_proto = htons(ETH_P_IP);
	f.ip.version = 4;
	f.ip.ihl = 5;
	f.ip.ttl = 63;
	f.ip.protocol = IPPROTO_ICMP;
	f.ip.saddr = router;
	f.ip.daddr = scanner;
	f.icmp.type = 3;
	f.icmp.code = code;
	f.inner.version = 4;
	f.inner.ihl = 5;
	f.inner.protocol = IPPROTO_TCP;
	f.inner.saddr = scanner;
	f.inner.daddr = target;
	f.inner_tcp[0] = sport >> 8;
	f.inner_tcp[1] = sport & 0xff;
	f.inner_tcp[2] = tport >> 8;
	f.inner_tcp[3] = tport & 0xff;
	seq = htonl(seq);
	memcpy(&f.inner_tcp[4], &seq, 4);
	return f;
}

TEST(scan_bpf_takes_icmp_unreachable_for_our_probes)
{
	struct scan_bpf *skel = load_scan_prog();
	struct ring_buffer *rb;
	uint32_t scanner = htonl(0x0ad20001), target = htonl(0x0ad2000b), router = htonl(0x0ad200fe);
	uint32_t cookie = scan_cookie(K0, K1, scanner, target, SPORT_LO, 8082);
	struct icmp_frame f;

	if (!skel && geteuid() != 0)
		SKIP("cannot load BPF programs here (needs CAP_BPF)");
	CHECK(skel != NULL);	/* as root, a program that does not load is a failure */
	rb = ring_buffer__new(bpf_map__fd(skel->maps.scan_replies), on_reply, NULL, NULL);
	CHECK(rb);
	replies_seen = 0;
	f = unreachable(router, scanner, target, SPORT_LO, 8082, cookie, 1);
	CHECK_INT(run_bytes(skel, &f, sizeof(f)), TC_DROP);
	/* the same, but quoting a probe that is not ours */
	f = unreachable(router, scanner, target, SPORT_LO, 8082, cookie ^ 1, 1);
	CHECK_INT(run_bytes(skel, &f, sizeof(f)), TC_NEXT);
	ring_buffer__consume(rb);
	CHECK_INT(replies_seen, 1);
	CHECK_INT(last.flags, 0);
	CHECK_INT(last.icmp_type, 3);
	CHECK_INT(last.icmp_code, 1);
	CHECK(last.saddr == target && last.daddr == scanner);
	CHECK_INT(last.sport, 8082);
	CHECK_INT(last.dport, SPORT_LO);
	ring_buffer__free(rb);
	scan_bpf__destroy(skel);
}

TEST(scan_bpf_takes_only_cookie_replies)
{
	struct scan_bpf *skel = load_scan_prog();
	struct ring_buffer *rb = NULL;
	uint32_t scanner = htonl(0x0ad20001), target = htonl(0x0ad2000b);
	uint32_t cookie = scan_cookie(K0, K1, scanner, target, SPORT_LO + 1, 80);
	struct frame f;

	if (!skel && geteuid() != 0)
		SKIP("cannot load BPF programs here (needs CAP_BPF)");
	CHECK(skel != NULL);	/* as root, a program that does not load is a failure */
	rb = ring_buffer__new(bpf_map__fd(skel->maps.scan_replies), on_reply, NULL, NULL);
	CHECK(rb);
	replies_seen = 0;

	/* our SYN-ACK: taken and dropped */
	f = reply(target, scanner, 80, SPORT_LO + 1, cookie + 1, true);
	CHECK_INT(run(skel, &f), TC_DROP);
	/* a RST for a closed port, same cookie */
	f = reply(target, scanner, 80, SPORT_LO + 1, cookie + 1, false);
	CHECK_INT(run(skel, &f), TC_DROP);
	ring_buffer__consume(rb);
	CHECK_INT(replies_seen, 2);
	CHECK_INT(last.version, SCAN_REPLY_VERSION);
	CHECK_INT(last.sport, 80);
	CHECK_INT(last.dport, SPORT_LO + 1);
	CHECK_INT(last.ttl, 61);
	CHECK(last.saddr == target && last.daddr == scanner);
	CHECK_INT(last.flags & (SCAN_TCP_RST | SCAN_TCP_ACK), SCAN_TCP_RST | SCAN_TCP_ACK);

	/* forged: right ports, wrong acknowledgement */
	f = reply(target, scanner, 80, SPORT_LO + 1, cookie + 2, true);
	CHECK_INT(run(skel, &f), TC_NEXT);
	/* stray: the cookie of another target port */
	f = reply(target, scanner, 81, SPORT_LO + 1, cookie + 1, true);
	CHECK_INT(run(skel, &f), TC_NEXT);
	/* from another host claiming our probe's cookie */
	f = reply(htonl(0x0ad2000c), scanner, 80, SPORT_LO + 1, cookie + 1, true);
	CHECK_INT(run(skel, &f), TC_NEXT);
	/* outside the scan's source ports: not ours to judge, not counted */
	f = reply(target, scanner, 80, SPORT_LO + SCAN_SPORT_SPAN, cookie + 1, true);
	CHECK_INT(run(skel, &f), TC_NEXT);
	/* a bare SYN (no ACK) is somebody connecting to us */
	f = reply(target, scanner, 80, SPORT_LO + 1, cookie + 1, true);
	f.tcp.ack = 0;
	CHECK_INT(run(skel, &f), TC_NEXT);
	/* cut short inside the TCP header */
	f = reply(target, scanner, 80, SPORT_LO + 1, cookie + 1, true);
	CHECK_INT(run_bytes(skel, &f, sizeof(f) - 8), TC_NEXT);

	ring_buffer__consume(rb);
	CHECK_INT(replies_seen, 2);
	CHECK_INT(counter(skel, SCAN_CNT_MATCHED), 2);
	CHECK_INT(counter(skel, SCAN_CNT_FORGED), 3);
	ring_buffer__free(rb);
	scan_bpf__destroy(skel);
}

/* the XDP flavour decides exactly as the TC one: same logic, XDP's verdicts */
TEST(scan_bpf_xdp_program_same_decisions)
{
	struct scan_bpf *skel = load_scan_prog();
	struct ring_buffer *rb;
	uint32_t scanner = htonl(0x0ad20001), target = htonl(0x0ad2000b);
	uint32_t cookie = scan_cookie(K0, K1, scanner, target, SPORT_LO + 2, 22);
	struct frame f;

	if (!skel && geteuid() != 0)
		SKIP("cannot load BPF programs here (needs CAP_BPF)");
	CHECK(skel != NULL);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.scan_replies), on_reply, NULL, NULL);
	CHECK(rb);
	replies_seen = 0;
	f = reply(target, scanner, 22, SPORT_LO + 2, cookie + 1, true);
	CHECK_INT(run_prog(skel->progs.scan_xdp_ingress, &f, sizeof(f)), 1);	/* XDP_DROP */
	f = reply(target, scanner, 22, SPORT_LO + 2, cookie + 7, true);
	CHECK_INT(run_prog(skel->progs.scan_xdp_ingress, &f, sizeof(f)), 2);	/* XDP_PASS */
	f = reply(target, scanner, 22, SPORT_LO - 1, cookie + 1, true);
	CHECK_INT(run_prog(skel->progs.scan_xdp_ingress, &f, sizeof(f)), 2);
	ring_buffer__consume(rb);
	CHECK_INT(replies_seen, 1);
	CHECK_INT(last.sport, 22);
	CHECK_INT(last.dport, SPORT_LO + 2);
	CHECK_INT(counter(skel, SCAN_CNT_FORGED), 1);
	ring_buffer__free(rb);
	scan_bpf__destroy(skel);
}
