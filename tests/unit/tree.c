// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The dissection tree and its bounds-checked accessors. */
#include <stdlib.h>

#include "lib/runner.h"
#include "dissect/dissect.h"

TEST(tree_accessors_stop_at_caplen)
{
	static const uint8_t frame[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct dx_packet *p = calloc(1, sizeof(*p));

	dx_init(p, frame, sizeof(frame), 60, DX_LINK_ETHERNET);
	CHECK_INT(dx_be16(p, 0), 0x1234);
	CHECK_INT(dx_be32(p, 1), 0x3456789a);
	CHECK_INT(p->flags & DX_F_TRUNCATED, 0);
	CHECK_INT(dx_be32(p, 2), 0);
	CHECK(p->flags & DX_F_TRUNCATED);
	CHECK_INT(dx_u8(p, UINT32_MAX), 0);
	free(p);
}

TEST(tree_nodes_clip_ranges_and_nest)
{
	static const uint8_t frame[20];
	struct dx_packet *p = calloc(1, sizeof(*p));
	int a, b;

	dx_init(p, frame, sizeof(frame), 20, DX_LINK_ETHERNET);
	a = dx_proto(p, "ip", 0, 20, "Internet Protocol");
	dx_push(p);
	b = dx_field(p, "ip.src", 12, 40, "%s", "10.0.0.1");
	dx_pop(p);
	CHECK_INT(a, 0);
	CHECK_INT(b, 1);
	CHECK_INT(p->nodes[1].depth, 1);
	CHECK_INT(p->nodes[1].len, 8); /* clipped to caplen */
	CHECK_STR(dx_value(p, dx_find(p, "ip.src")), "10.0.0.1");
	free(p);
}

TEST(tree_full_is_marked_not_overrun)
{
	static const uint8_t frame[4];
	struct dx_packet *p = calloc(1, sizeof(*p));

	dx_init(p, frame, sizeof(frame), 4, DX_LINK_ETHERNET);
	for (int i = 0; i < DX_MAX_NODES + 10; i++)
		dx_field(p, "x", 0, 1, "%d", i);
	CHECK_INT(p->n_nodes, DX_MAX_NODES);
	CHECK(p->flags & DX_F_TREE_FULL);
	free(p);
}
