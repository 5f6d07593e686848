// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel cost per packet of GoTracer's programs, measured with BPF_PROG_TEST_RUN
 * and a large repeat count, next to an empty XDP/TC program in the same run.
 * Prints one line per case: "hook mode frame ns_per_pkt empty_ns ratio", medians
 * of several rounds. Capture mode drains the ring between batches so each run
 * pays for a real ring write, not for a failed reservation.
 *
 *   prog-cost [ROUNDS] [REPEAT]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gotracer.h"
#include "gotracer.skel.h"
#include "empty.skel.h"
#include "bpf/frames.h"

struct frame_v4_udp {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__u8 payload[18]; /* 60 bytes + FCS on the wire = 64 */
} __packed;

struct frame_v6_tcp {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct tcphdr tcp;
	__u8 payload[20];
} __packed;

struct frame_v4_1500 {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr tcp;
	__u8 payload[1460];
} __packed;

static struct frame_v4_udp f_udp = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_UDP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 46),
	.udp = UDP(40000, 53, 26),
};
static struct frame_v6_tcp f_v6 = {
	.eth = ETH(ETH_P_IPV6),
	.ip6 = IP6(IPPROTO_TCP, V6(1), V6(2), 40),
	.tcp = TCP(40000, 443),
};
static struct frame_v4_1500 f_big = {
	.eth = ETH(ETH_P_IP),
	.ip = IP4(IPPROTO_TCP, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 1500),
	.tcp = TCP(40000, 80),
};

static const struct {
	const char *name;
	const void *data;
	uint32_t len;
} frames[] = {
	{ "64B-ipv4-udp", &f_udp, sizeof(f_udp) },
	{ "ipv6-tcp", &f_v6, sizeof(f_v6) },
	{ "1514B-ipv4-tcp", &f_big, sizeof(f_big) },
};

enum mode { MODE_ACCOUNT, MODE_CAPTURE, MODE_RULES16 };
static const char *const mode_names[] = { "account", "capture", "capture+16rules" };

static int ignore_event(void *ctx, void *data, size_t size)
{
	return 0;
}

/* Average ns per run of prog over repeat runs, draining rb every batch. */
static double time_prog(int prog_fd, bool xdp, const void *data, uint32_t len, int repeat,
			struct ring_buffer *rb)
{
	/* a batch of full-frame events fits the ring, drained after; without a ring one
	 * test run does it all: each XDP test run waits for an RCU grace period to swap
	 * the dispatcher, which on a loaded machine costs far more than the runs */
	const int batch = rb ? 2000 : repeat;
	struct __sk_buff skb = { .ifindex = 1 };
	uint64_t total_ns = 0;
	int done = 0;

	while (done < repeat) {
		int n = repeat - done < batch ? repeat - done : batch;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len,
			    .repeat = n);

		if (!xdp) {
			o.ctx_in = &skb;
			o.ctx_size_in = sizeof(skb);
		}
		if (bpf_prog_test_run_opts(prog_fd, &o))
			return -1;
		total_ns += (uint64_t)o.duration * (uint64_t)n;
		done += n;
		if (rb)
			ring_buffer__consume(rb);
	}
	return (double)total_ns / repeat;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int set_mode(struct gotracer_bpf *skel, enum mode mode)
{
	struct gt_config cfg = { .snaplen = GT_SNAPLEN_DEFAULT };
	__u32 zero = 0;

	if (mode == MODE_ACCOUNT)
		cfg.flags = GT_CFG_ACCOUNT_ONLY;
	if (mode == MODE_RULES16) {
		/* 15 rules that miss, then one that matches: the worst case for 16 */
		for (__u32 i = 0; i < 16; i++) {
			struct gt_rule r = { .match = GT_M_PORT, .port_side = GT_SEL_EITHER };

			r.port_lo = r.port_hi = i == 15 ? 0 : (__u16)(1000 + i);
			if (i == 15)
				r.port_hi = 65535;
			if (bpf_map_update_elem(bpf_map__fd(skel->maps.gt_rules), &i, &r, 0))
				return -errno;
		}
		cfg.n_rules = 16;
	}
	return bpf_map_update_elem(bpf_map__fd(skel->maps.gt_config_map), &zero, &cfg, 0);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	int repeat = argc > 2 ? atoi(argv[2]) : 1000000;
	struct gotracer_bpf *skel = gotracer_bpf__open_and_load();
	struct empty_bpf *empty = empty_bpf__open_and_load();
	struct ring_buffer *rb;

	if (!skel || !empty || rounds < 1 || rounds > 99 || repeat < 1) {
		fprintf(stderr, "prog-cost: cannot load the programs (root and BTF needed)\n");
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.gt_events), ignore_event, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "prog-cost: cannot open the ring buffer\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it is measured, through tee */
	printf("%-6s %-16s %-15s %10s %10s %7s\n", "hook", "mode", "frame", "ns/pkt", "empty",
	       "ratio");
	for (int hook = 0; hook < 3; hook++) {
		bool xdp = hook == 0;
		int fd = bpf_program__fd(hook == 0 ? skel->progs.gt_xdp :
					 hook == 1 ? skel->progs.gt_tc_ingress :
						     skel->progs.gt_tc_egress);
		int empty_fd = bpf_program__fd(xdp ? empty->progs.gt_empty_xdp :
						     empty->progs.gt_empty_tc);
		const char *hook_name = hook == 0 ? "xdp" : hook == 1 ? "tc-in" : "tc-out";

		for (enum mode m = MODE_ACCOUNT; m <= MODE_RULES16; m++) {
			if (set_mode(skel, m)) {
				fprintf(stderr, "prog-cost: cannot configure the programs\n");
				return 1;
			}
			for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
				double ours[99], base[99];

				for (int r = 0; r < rounds; r++) {
					base[r] = time_prog(empty_fd, xdp, frames[f].data,
							    frames[f].len, repeat, NULL);
					ours[r] = time_prog(fd, xdp, frames[f].data,
							    frames[f].len, repeat, rb);
					if (ours[r] < 0 || base[r] < 0) {
						fprintf(stderr, "prog-cost: test run failed: %s\n",
							strerror(errno));
						return 1;
					}
				}
				qsort(ours, (size_t)rounds, sizeof(double), cmp_double);
				qsort(base, (size_t)rounds, sizeof(double), cmp_double);
				printf("%-6s %-16s %-15s %10.1f %10.1f %7.2f\n", hook_name,
				       mode_names[m], frames[f].name, ours[rounds / 2],
				       base[rounds / 2],
				       base[rounds / 2] > 0 ? ours[rounds / 2] / base[rounds / 2] : 0);
			}
		}
	}
	ring_buffer__free(rb);
	empty_bpf__destroy(empty);
	gotracer_bpf__destroy(skel);
	return 0;
}
