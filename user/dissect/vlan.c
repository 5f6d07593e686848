// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* IEEE 802.1Q VLAN tag and IEEE 802.1ad (Q-in-Q) service tag. IEEE Std 802.1Q. */
#include "proto.h"

void dx_vlan(struct dx_packet *p, uint32_t off, uint32_t len)
{
	dx_data(p, off, len);
}
