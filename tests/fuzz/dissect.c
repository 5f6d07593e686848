// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the dissector entry point. The first byte picks the link
 * type among those dx_dissect supports; the rest is the frame. Each input is also
 * dissected at a few shorter caplens, since a capture can end at any byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"

static const int link_types[] = {
	DX_LINK_ETHERNET, DX_LINK_RAW, DX_LINK_NULL, DX_LINK_LOOP, DX_LINK_SLL, DX_LINK_SLL2,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dx_packet *p;
	uint32_t len, cuts[4];
	uint8_t *frame;
	int linktype;

	if (size < 1 || size > 65536)
		return 0;
	if (!p)
		p = calloc(1, sizeof(*p));
	linktype = link_types[data[0] % (sizeof(link_types) / sizeof(link_types[0]))];
	len = (uint32_t)size - 1;
	cuts[0] = len;
	cuts[1] = len / 2;
	cuts[2] = len > 14 ? 14 + (len - 14) / 3 : len;
	cuts[3] = len ? len - 1 : 0;
	for (int i = 0; i < 4; i++) {
		/* an exact-size copy so a read past caplen is caught by ASan */
		frame = malloc(cuts[i] ? cuts[i] : 1);
		memcpy(frame, data + 1, cuts[i]);
		dx_init(p, frame, cuts[i], len, linktype);
		dx_dissect(p);
		free(frame);
	}
	return 0;
}
