// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Filter expressions translated to kernel rules (user/filter/translate.c) and
 * run by the real kernel programs on the golden captures' frames: the kernel
 * must never drop a frame the expression (libpcap, filter_match) accepts, in
 * either direction, and for the expressions the rules say exactly it must also
 * drop what the expression refuses.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "dissect/dissect.h"
#include "file/reader.h"
#include "filter/filter.h"

static const char *const captures[] = {
	"tests/golden/captures/dns.pcap",   "tests/golden/captures/http.pcap",
	"tests/golden/captures/icmp.pcap",  "tests/golden/captures/tls13.pcap",
	"tests/golden/captures/frag.pcap",  "tests/golden/captures/gotracer-ping.pcapng",
};

static const struct {
	const char *expr;
	bool exact; /* the rules accept exactly what libpcap accepts on these frames */
} exprs[] = {
	{ "udp port 53", true },
	{ "port domain or port http-alt", true },
	{ "tcp and dst port 8080", true },
	{ "ip src host 10.200.0.2", true },
	/* libpcap's host also matches ARP: the rules pass every non-IP frame */
	{ "src host 10.200.0.2", false },
	{ "net 10.200.0.0/24 or host fd00:200::1", false },
	{ "dst net 10.200.0.0/24 and tcp", true },
	{ "host fd00:200::2 and udp", true },
	{ "portrange 4000-4500 or udp", true },
	{ "outbound and tcp", true },
	{ "inbound and (port 53 or port 8080)", true },
	{ "ip and (tcp or udp) and port 53", true },
	{ "ip6", true },
	{ "icmp", true },
	/* libpcap's icmp6 skips MLD behind a hop-by-hop header; the kernel sees it */
	{ "icmp6", false },
};

struct tally {
	int frames, accepted, captured, lost, extra;
};

static bool run_capture(struct harness *h, const char *path, struct gt_filter *f, struct tally *t)
{
	char err[512];
	struct file_reader *r;
	struct file_packet pkt;
	int ret;

	if (file_reader_open(&r, path, err, sizeof(err))) {
		test_fail(__FILE__, __LINE__, "%s", err);
		return false;
	}
	while ((ret = file_reader_next(r, &pkt)) == 1) {
		/* BPF_PROG_TEST_RUN takes at most a page; GRO'd frames stay out */
		if (pkt.caplen != pkt.wirelen || pkt.caplen > 1514)
			continue;
		for (int d = GT_DIR_IN; d <= GT_DIR_OUT; d++) {
			enum gt_hook hook = d == GT_DIR_IN ? GT_HOOK_TC_IN : GT_HOOK_TC_OUT;
			bool want = filter_match(f, pkt.data, pkt.caplen, pkt.wirelen, (uint8_t)d);
			bool got;

			if (harness_run(h, hook, pkt.data, pkt.caplen, NULL) < 0) {
				test_fail(__FILE__, __LINE__, "test run failed");
				file_reader_close(r);
				return false;
			}
			got = harness_drain(h) > 0;
			t->frames++;
			t->accepted += want;
			t->captured += got;
			t->lost += want && !got;
			t->extra += got && !want;
		}
	}
	file_reader_close(r);
	return ret == 0;
}

TEST(bpf_filter_translated_rules_agree_with_libpcap)
{
	char path[512], err[256];
	struct gt_rule rules[GT_MAX_RULES];
	struct harness h;

	CHECK_INT(harness_open(&h, 0), 0);
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct tally t = { 0 };
		struct gt_filter *f;
		uint32_t n;

		CHECK_INT(harness_reset(&h), 0);
		CHECK_INT(filter_compile(&f, exprs[e].expr, DX_LINK_ETHERNET, err, sizeof(err)), 0);
		n = filter_kernel_rules(f, rules, GT_MAX_RULES);
		if (n == 0) {
			test_fail(__FILE__, __LINE__, "'%s' gave no rules", exprs[e].expr);
			filter_free(f);
			break;
		}
		CHECK_INT(harness_set_rules(&h, rules, n), 0);
		for (size_t c = 0; c < sizeof(captures) / sizeof(captures[0]); c++) {
			snprintf(path, sizeof(path), "%s/%s", test_source_root(), captures[c]);
			if (!run_capture(&h, path, f, &t))
				break;
		}
		filter_free(f);
		printf("    '%s': %d rule(s), %d frame runs, libpcap %d, kernel %d, extra %d\n",
		       exprs[e].expr, n, t.frames, t.accepted, t.captured, t.extra);
		/* never less than the expression; something accepted, something refused */
		if (t.lost || !t.accepted || t.captured == t.frames ||
		    (exprs[e].exact && t.extra)) {
			test_fail(__FILE__, __LINE__, "'%s': %d lost, %d extra, %d of %d accepted",
				  exprs[e].expr, t.lost, t.extra, t.accepted, t.frames);
			break;
		}
	}
	harness_close(&h);
}
