// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for filter expressions: the hand-written translation to
 * kernel rules (user/filter/translate.c) on any text, and libpcap's compile and
 * match with our direction patching on what libpcap accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "filter/filter.h"

static const uint8_t frame[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 200, 0, 1, 10, 200, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
	0, 0, 0, 0,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_rule rules[GT_MAX_RULES];
	struct gt_filter *f;
	char err[256], text[200];
	char *expr;
	uint32_t n;

	if (size > 4096)
		return 0;
	expr = malloc(size + 1);
	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	n = filter_translate(expr, rules, GT_MAX_RULES);
	for (uint32_t i = 0; i < n; i++)
		filter_rule_str(&rules[i], text, sizeof(text));
	/* libpcap's parser is slow on long inputs; short ones cover our side */
	if (size < 256 && filter_compile(&f, expr, DX_LINK_ETHERNET, err, sizeof(err)) == 0) {
		filter_match(f, frame, sizeof(frame), sizeof(frame), 0);
		filter_match(f, frame, 20, sizeof(frame), 1);
		filter_kernel_rules(f, rules, 3);
		filter_free(f);
	}
	free(expr);
	return 0;
}
