/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The in-kernel capture filter: rules 0..n_rules-1 of gt_rules, OR-ed, each an
 * AND of the conditions its match mask names (struct gt_rule). The rules are
 * walked with bpf_loop, so the verifier checks one rule once, whatever n_rules
 * is, and userspace may rewrite the maps while the programs run.
 */
#ifndef GT_FILTER_H
#define GT_FILTER_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.h"
#include "parse.h"

struct filter_ctx {
	const struct gt_pkt *pkt;
	__u32 ifindex;
	__u8 dir;
	__u8 matched;
};

/* Do the first prefix_len bits of a and b agree? Addresses as 4 network-order words. */
static __always_inline bool prefix_equal(const __u32 *a, const __u32 *b, __u32 prefix_len)
{
#pragma unroll
	for (int i = 0; i < 4; i++) {
		int bits = (int)prefix_len - i * 32;
		__u32 mask;

		if (bits <= 0)
			break;
		mask = bits >= 32 ? 0xffffffff : bpf_htonl(~0u << (32 - bits));
		if ((a[i] ^ b[i]) & mask)
			return false;
	}
	return true;
}

static __always_inline bool addr_matches(const struct gt_addr_match *m, const struct gt_pkt *p)
{
	/* addr sits at a multiple of 4 in struct gt_rule: read it as words, not bytes. */
	const __u32 *want = (const __u32 *)m->addr;

	if (m->family != p->family)
		return false;
	if ((m->side & GT_SEL_SRC) && prefix_equal(want, p->saddr, m->prefix_len))
		return true;
	if ((m->side & GT_SEL_DST) && prefix_equal(want, p->daddr, m->prefix_len))
		return true;
	return false;
}

static __always_inline bool port_in(__be16 port, const struct gt_rule *r)
{
	__u16 p = bpf_ntohs(port);

	return p >= r->port_lo && p <= r->port_hi;
}

/* Ports match only TCP, UDP and SCTP headers actually parsed (not later fragments). */
static __always_inline bool port_matches(const struct gt_rule *r, const struct gt_pkt *p)
{
	if (!p->has_ports)
		return false;
	if ((r->port_side & GT_SEL_SRC) && port_in(p->sport, r))
		return true;
	if ((r->port_side & GT_SEL_DST) && port_in(p->dport, r))
		return true;
	return false;
}

static __always_inline bool rule_matches(const struct gt_rule *r, const struct filter_ctx *fc)
{
	const struct gt_pkt *p = fc->pkt;
	__u32 m = r->match;

	if ((m & GT_M_IFINDEX) && r->ifindex != fc->ifindex)
		return false;
	if ((m & GT_M_DIR) && r->dir != fc->dir)
		return false;
	if ((m & GT_M_FAMILY) && r->family != p->family)
		return false;
	if ((m & GT_M_PROTO) && (p->family == GT_AF_NONE || r->proto != p->proto))
		return false;
	if ((m & GT_M_ADDR0) && !addr_matches(&r->addr[0], p))
		return false;
	if ((m & GT_M_ADDR1) && !addr_matches(&r->addr[1], p))
		return false;
	if ((m & GT_M_PORT) && !port_matches(r, p))
		return false;
	return true;
}

static long filter_rule_cb(__u32 index, void *data)
{
	struct filter_ctx *fc = data;
	struct gt_rule *r = bpf_map_lookup_elem(&gt_rules, &index);

	if (!r)
		return 1;
	if (rule_matches(r, fc)) {
		fc->matched = 1;
		return 1; /* stop: the rules are OR-ed */
	}
	return 0;
}

/* Does the packet pass the filter? n_rules 0 passes everything. */
static __always_inline bool filter_pass(const struct gt_config *cfg, const struct gt_ctx *c,
					const struct gt_pkt *p)
{
	struct filter_ctx fc = { .pkt = p, .ifindex = c->ifindex, .dir = c->dir };
	__u32 n = cfg->n_rules;

	if (n == 0)
		return true;
	if (n > GT_MAX_RULES)
		n = GT_MAX_RULES;
	bpf_loop(n, filter_rule_cb, &fc, 0);
	return fc.matched;
}

#endif /* GT_FILTER_H */
