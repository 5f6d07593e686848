// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Internet Control Message Protocol. RFC 792, RFC 1122, RFC 4884. */
#include "proto.h"

void dx_icmp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	p->protocol = "ICMP";
	dx_data(p, off, len);
}
