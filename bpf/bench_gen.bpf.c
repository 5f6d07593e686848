// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Traffic generator for `make bench` (not loaded by gotracer): run with
 * BPF_PROG_TEST_RUN in live-frame mode on a veth end, every frame is sent out of
 * it (XDP_TX) and arrives at the peer, at rates trafgen cannot reach here.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int gt_bench_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
