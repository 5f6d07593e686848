// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The Internet checksum (RFC 1071), for the ICMP and ICMPv6 checksum status. */
#include "proto.h"

bool dx_csum_add(struct dx_packet *p, uint32_t off, uint32_t len, uint32_t *sum)
{
	uint32_t i;

	if (off > p->caplen || len > p->caplen - off)
		return false;
	for (i = 0; i + 1 < len; i += 2)
		*sum += dx_be16(p, off + i);
	if (i < len)
		*sum += (uint32_t)dx_u8(p, off + i) << 8;
	/* fold now and then so a 64 KiB packet cannot overflow */
	*sum = (*sum & 0xffff) + (*sum >> 16);
	return true;
}

uint16_t dx_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
