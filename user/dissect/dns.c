// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Domain Name System over UDP and TCP. RFC 1035, RFC 3596 (AAAA), RFC 2782 (SRV),
 * RFC 6891 (EDNS), RFC 8659 (CAA), RFC 9460 (SVCB/HTTPS), RFC 4034 (DNSSEC RRs).
 */
#include "proto.h"

bool dx_dns_udp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	return false;
}

bool dx_dns_tcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	return false;
}
