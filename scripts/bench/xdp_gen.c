// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Sends COUNT copies of a 64-byte UDP frame out of IFNAME at RATE frames/s
 * (0 = as fast as the kernel can), through BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES and an XDP_TX program: the kernel builds and sends
 * the frames itself. The frames are addressed to another MAC than the peer's
 * (they reach its hooks and are then dropped by its stack, cheaply).
 * Prints the frames sent and the rate achieved.
 *
 *   xdp-gen IFNAME RATE COUNT
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench_gen.skel.h"
#include "bpf/frames.h"

struct frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__u8 payload[18];
} __packed;

static struct frame frame = {
	.eth = { .h_dest = { 0x02, 0, 0, 0, 0, 0x99 }, .h_source = { 0x02, 0, 0, 0, 0, 0x02 },
		 .h_proto = bpf_htons(ETH_P_IP) },
	.ip = IP4(IPPROTO_UDP, V4(10, 200, 0, 2), V4(10, 200, 0, 1), 46),
	.udp = UDP(40000, 9, 26),
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct bench_gen_bpf *skel;
	struct xdp_md ctx = {};
	double rate, start, elapsed;
	long long count, sent = 0;
	unsigned int ifindex;
	int fd;

	if (argc != 4 || !(ifindex = if_nametoindex(argv[1]))) {
		fprintf(stderr, "usage: xdp-gen IFNAME RATE COUNT (IFNAME must exist)\n");
		return 2;
	}
	rate = atof(argv[2]);
	count = atoll(argv[3]);
	skel = bench_gen_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "xdp-gen: cannot load the generator program\n");
		return 1;
	}
	fd = bpf_program__fd(skel->progs.gt_bench_tx);
	ctx.data_end = sizeof(frame);
	ctx.ingress_ifindex = ifindex;
	start = now_s();
	while (sent < count) {
		/* chunks of 100 ms worth of frames, paced against the clock: each live-frame
		 * test run pays a setup cost of its own, too high for smaller chunks */
		long long chunk = rate > 0 ? (long long)(rate / 10) : 1 << 20;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &frame, .data_size_in = sizeof(frame),
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64);

		if (chunk < 1)
			chunk = 1;
		if (chunk > count - sent)
			chunk = count - sent;
		o.repeat = (__u32)chunk;
		if (bpf_prog_test_run_opts(fd, &o)) {
			fprintf(stderr, "xdp-gen: live-frame test run failed: %s\n", strerror(errno));
			return 1;
		}
		sent += chunk;
		if (rate > 0) {
			double ahead = (double)sent / rate - (now_s() - start);

			if (ahead > 0) {
				struct timespec ts = { (time_t)ahead,
						       (long)((ahead - (time_t)ahead) * 1e9) };
				nanosleep(&ts, NULL);
			}
		}
	}
	elapsed = now_s() - start;
	printf("%lld %.0f\n", sent, (double)sent / elapsed);
	bench_gen_bpf__destroy(skel);
	return 0;
}
