// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Placeholder: the capture programs are being written (issue 2). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.h"

SEC("xdp")
int gt_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int gt_tc_ingress(struct __sk_buff *skb)
{
	return 0; /* TC_ACT_OK */
}

SEC("tc")
int gt_tc_egress(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
