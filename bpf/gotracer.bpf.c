// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GoTracer's capture programs: XDP ingress, TC ingress, TC egress. All three
 * run the same path through the context shim (ctx.h): parse (parse.h), count
 * the interface and the flow (account.h), then filter (filter.h), sample and
 * send the first bytes to the ring (emit.h). The packet is never changed or
 * held: every program returns the pass verdict (a TC frame whose headers lie
 * past its linear area gets them pulled in, same bytes, see ctx.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "ctx.h"
#include "parse.h"
#include "filter.h"
#include "account.h"
#include "emit.h"

/*
 * The parsers as global functions: the verifier checks a global function once,
 * on its own, and its callers see only its result. So the parse is verified
 * once however often it is called (again after a pull), and the many shapes a
 * parse can end in do not multiply the paths through the rest of the program.
 */
__noinline int gt_parse_skb(struct __sk_buff *skb, struct gt_pkt *p)
{
	struct gt_ctx c;

	if (!p)
		return -1;
	ctx_init_skb(&c, skb, GT_HOOK_TC_IN, GT_DIR_IN); /* hook, dir: unused by the parse */
	__builtin_memset(p, 0, sizeof(*p));
	parse_frame(&c, p);
	return 0;
}

__noinline int gt_parse_xdp(struct xdp_md *xdp, struct gt_pkt *p)
{
	struct gt_ctx c;

	if (!p)
		return -1;
	ctx_init_xdp(&c, xdp);
	__builtin_memset(p, 0, sizeof(*p));
	parse_frame(&c, p);
	return 0;
}

static __always_inline void gt_parse(const struct gt_ctx *c, struct gt_pkt *p)
{
	if (c->hook == GT_HOOK_XDP)
		gt_parse_xdp(c->ctx, p);
	else
		gt_parse_skb(c->ctx, p);
}

/* A counter of this interface and direction; none when gt_ifstats is full. */
#define COUNT(dc, field)               \
	do {                           \
		if (dc)                \
			(dc)->field++; \
	} while (0)

static __always_inline void gt_handle(struct gt_ctx *c)
{
	struct gt_dir_counters *dc;
	struct gt_config *cfg;
	struct gt_pkt pkt = {};
	__u32 zero = 0, wire_len, flow_hash = 0;
	__u64 now = 0; /* read once, and only when a flow or an event needs it */

	gt_parse(c, &pkt);
	if ((pkt.flags & GT_EV_TRUNCATED_PARSE) && ctx_pull_headers(c))
		gt_parse(c, &pkt);
	wire_len = wire_length(c, &pkt);
	/* A full interface table costs the counters, never the flows or the capture. */
	dc = ifstats_get(c);
	if (dc)
		ifstats_count(dc, c, &pkt, wire_len);
	if (is_flow(&pkt)) {
		now = bpf_ktime_get_boot_ns();
		flow_hash = flow_account(c, &pkt, wire_len, now);
	}

	cfg = bpf_map_lookup_elem(&gt_config_map, &zero);
	if (!cfg || (cfg->flags & (GT_CFG_ACCOUNT_ONLY | GT_CFG_CAPTURE_OFF)))
		goto out;
	if (!filter_pass(cfg, c, &pkt)) {
		COUNT(dc, filtered);
		goto out;
	}
	if (!sample_pass(cfg)) {
		COUNT(dc, sampled_out);
		goto out;
	}
	if (!now)
		now = bpf_ktime_get_boot_ns();
	if (emit_event(cfg, c, &pkt, wire_len, flow_hash, now))
		COUNT(dc, ring_drops);
	else
		COUNT(dc, events);
out:
	return;
}

SEC("xdp.frags")
int gt_xdp(struct xdp_md *ctx)
{
	struct gt_ctx c;

	ctx_init_xdp(&c, ctx);
	gt_handle(&c);
	return XDP_PASS;
}

SEC("tc")
int gt_tc_ingress(struct __sk_buff *skb)
{
	struct gt_ctx c;

	ctx_init_skb(&c, skb, GT_HOOK_TC_IN, GT_DIR_IN);
	gt_handle(&c);
	return GT_TC_ACT_OK;
}

SEC("tc")
int gt_tc_egress(struct __sk_buff *skb)
{
	struct gt_ctx c;

	ctx_init_skb(&c, skb, GT_HOOK_TC_OUT, GT_DIR_OUT);
	gt_handle(&c);
	return GT_TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
