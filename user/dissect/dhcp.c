// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* BOOTP and DHCP. RFC 951, RFC 2131, RFC 2132 (options). */
#include "proto.h"

bool dx_dhcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	return false;
}
