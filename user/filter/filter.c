// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pcap-filter expressions compiled by libpcap on a dead handle of the frames'
 * link type, matched with pcap_offline_filter (see filter.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>

#include "filter.h"
#include "dissect/dissect.h"

/* libpcap's own limit on what it compiles; big enough for any frame we see */
#define FILTER_SNAPLEN 262144

struct gt_filter {
	char *expr;
	bool match_all;
	struct bpf_program prog;
	/* instructions that load the packet type (inbound/outbound): patched per packet */
	uint32_t *pkttype_insns;
	uint32_t n_pkttype;
};

/*
 * On Linux, for link types without a direction in their header, libpcap emits
 * "ldh [SKF_AD_OFF + SKF_AD_PKTTYPE]", which only the kernel's socket filter can
 * answer. Remember where, so filter_match can turn each into "ld #pkttype".
 */
static int find_pkttype_loads(struct gt_filter *f)
{
	const struct bpf_insn *in = f->prog.bf_insns;

	for (uint32_t i = 0; i < f->prog.bf_len; i++) {
		if (BPF_CLASS(in[i].code) != BPF_LD || BPF_MODE(in[i].code) != BPF_ABS)
			continue;
		if (in[i].k != (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE))
			continue;
		uint32_t *grown = realloc(f->pkttype_insns, (f->n_pkttype + 1) * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		f->pkttype_insns = grown;
		f->pkttype_insns[f->n_pkttype++] = i;
	}
	return 0;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			return false;
	return true;
}

/* DX_LINK_* are libpcap's DLT_ values, except raw IP: LINKTYPE_RAW in files */
static int dx_link_to_dlt(int linktype)
{
	return linktype == DX_LINK_RAW ? DLT_RAW : linktype;
}

int filter_compile(struct gt_filter **out, const char *expr, int linktype, char *err,
		   size_t errlen)
{
	struct gt_filter *f = calloc(1, sizeof(*f));
	pcap_t *dead;
	int ret = 0;

	*out = NULL;
	if (!f || !(f->expr = strdup(expr ? expr : ""))) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (blank(f->expr)) {
		f->match_all = true;
		*out = f;
		return 0;
	}
	dead = pcap_open_dead(dx_link_to_dlt(linktype), FILTER_SNAPLEN);
	if (!dead) {
		snprintf(err, errlen, "cannot compile filters for link type %d", linktype);
		ret = -EINVAL;
		goto fail;
	}
	if (pcap_compile(dead, &f->prog, f->expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
		pcap_close(dead);
		ret = -EINVAL;
		goto fail;
	}
	pcap_close(dead);
	ret = find_pkttype_loads(f);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*out = f;
	return 0;
fail:
	filter_free(f);
	return ret;
}

void filter_free(struct gt_filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f->pkttype_insns);
	free(f->expr);
	free(f);
}

const char *filter_expr(const struct gt_filter *f)
{
	return f ? f->expr : "";
}

bool filter_match(const struct gt_filter *f, const uint8_t *data, uint32_t caplen,
		  uint32_t wirelen, uint8_t dir)
{
	struct pcap_pkthdr hdr = { .caplen = caplen, .len = wirelen < caplen ? caplen : wirelen };
	/* libpcap's inbound is "not outgoing": an unknown direction counts as inbound */
	uint32_t pkttype = dir == GT_DIR_OUT ? PACKET_OUTGOING : PACKET_HOST;

	if (!f || f->match_all)
		return true;
	for (uint32_t i = 0; i < f->n_pkttype; i++) {
		struct bpf_insn *in = &f->prog.bf_insns[f->pkttype_insns[i]];

		in->code = BPF_LD | BPF_IMM;
		in->k = pkttype;
	}
	return pcap_offline_filter(&f->prog, &hdr, data) != 0;
}

char *filter_join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

uint32_t filter_kernel_rules(const struct gt_filter *f, struct gt_rule *rules, uint32_t max)
{
	if (!f || f->match_all)
		return 0;
	return filter_translate(f->expr, rules, max);
}
