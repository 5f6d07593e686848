// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Programs that do nothing: the baseline the benchmarks measure GoTracer against. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp.frags")
int gt_empty_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int gt_empty_tc(struct __sk_buff *skb)
{
	return 0; /* TC_ACT_OK */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
