/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A thin context shim (cilium's bpf/include/bpf/ctx/ idea): the parsers, filter,
 * counters and event code see one struct gt_ctx whether the frame came through
 * XDP (struct xdp_md) or TC (struct __sk_buff). The hook is a compile-time
 * constant in every program, so after inlining each program keeps only its own
 * branch of ctx_load_bytes and the verifier never sees the other helper.
 */
#ifndef GT_CTX_H
#define GT_CTX_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "gotracer.h"

#define GT_TC_ACT_OK 0
#define GT_VLAN_HLEN 4

/*
 * Bytes of headers the parsers may need in the linear area: Ethernet, two VLAN
 * tags, IPv6 with a few extension headers, TCP with options. A TC frame whose
 * headers run past a shorter linear area gets this much pulled in (rare).
 */
#define GT_PARSE_PULL 256

struct gt_ctx {
	void *ctx;	 /* struct xdp_md * or struct __sk_buff * */
	void *data;	 /* first byte of the Ethernet header */
	void *data_end;	 /* end of the linear area */
	__u32 len;	 /* bytes of the whole frame, every fragment included */
	__u32 ifindex;
	__u16 gso_segs;	 /* 1 unless a GSO super-packet (TC only) */
	__u8 hook;	 /* enum gt_hook */
	__u8 dir;	 /* enum gt_dir */
	__u16 vlan_tci;	 /* tag the device took out of the frame (TC), see vlan_proto */
	__be16 vlan_proto; /* 0 when no tag was taken out */
};

static __always_inline void ctx_init_xdp(struct gt_ctx *c, struct xdp_md *xdp)
{
	c->ctx = xdp;
	c->data = (void *)(long)xdp->data;
	c->data_end = (void *)(long)xdp->data_end;
	/* Multi-buffer frames: the linear part plus every fragment. */
	c->len = bpf_xdp_get_buff_len(xdp);
	c->ifindex = xdp->ingress_ifindex;
	c->gso_segs = 1;
	c->hook = GT_HOOK_XDP;
	c->dir = GT_DIR_IN;
	c->vlan_tci = 0;
	c->vlan_proto = 0;
}

static __always_inline void ctx_init_skb(struct gt_ctx *c, struct __sk_buff *skb, __u8 hook,
					 __u8 dir)
{
	c->ctx = skb;
	c->data = (void *)(long)skb->data;
	c->data_end = (void *)(long)skb->data_end;
	c->len = skb->len;
	c->ifindex = skb->ifindex;
	c->gso_segs = skb->gso_segs > 1 ? skb->gso_segs : 1;
	c->hook = hook;
	c->dir = dir;
	if (skb->vlan_present) {
		c->vlan_tci = skb->vlan_tci;
		c->vlan_proto = skb->vlan_proto;
	} else {
		c->vlan_tci = 0;
		c->vlan_proto = 0;
	}
}

/*
 * TC: when the headers the parsers need may lie past the linear area, pull a
 * bounded amount in (the content is unchanged) and say so, so that the caller
 * parses again. Only then: a pull can copy the head of a cloned skb, and TCP
 * sends clones whose headers are linear anyway. XDP: the first buffer is all
 * there is to parse.
 */
static __always_inline bool ctx_pull_headers(struct gt_ctx *c)
{
	struct __sk_buff *skb = c->ctx;
	__u32 want = c->len < GT_PARSE_PULL ? c->len : GT_PARSE_PULL;

	if (c->hook == GT_HOOK_XDP || c->data_end - c->data >= (long)want)
		return false;
	if (bpf_skb_pull_data(skb, want))
		return false;
	/* Keep clang from turning the field reads below into ctx + offset. */
	asm volatile("" : "+r"(skb));
	c->data = (void *)(long)skb->data;
	c->data_end = (void *)(long)skb->data_end;
	return true;
}

/* Copy len bytes at offset off of the frame, across fragments if need be. */
static __always_inline long ctx_load_bytes(const struct gt_ctx *c, __u32 off, void *to, __u32 len)
{
	if (c->hook == GT_HOOK_XDP)
		return bpf_xdp_load_bytes(c->ctx, off, to, len);
	return bpf_skb_load_bytes(c->ctx, off, to, len);
}

#endif /* GT_CTX_H */
