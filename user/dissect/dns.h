/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Internal to the DNS dissector: what dns.c (messages, names) and dns_rdata.c share. */
#ifndef GT_DISSECT_DNS_H
#define GT_DISSECT_DNS_H

#include "proto.h"

#define DNS_NAME_MAX 255	/* RFC 1035 2.3.4, in wire octets */
#define DNS_MAX_RRS 256		/* records (and options, params) dissected per message */
#define DNS_BAD_NAME "DNS name: compression loop, bad label or too long"

struct dns_msg {
	uint32_t start, end;	/* the message in the frame */
};

/*
 * A name at off as field FIELD; text gets its dotted form, *in_place the bytes it
 * takes there. False, and the packet marked truncated or malformed, when it
 * cannot be read.
 */
bool dns_name_field(struct dx_packet *p, const struct dns_msg *m, const char *field,
		    uint32_t off, char *text, size_t size, uint32_t *in_place);

/* The RDATA of a TYPE record at [off, off + len); info gets tshark's Info form. */
void dns_rdata(struct dx_packet *p, const struct dns_msg *m, uint16_t type, uint32_t off,
	       uint32_t len, char *info, size_t info_size);

#endif /* GT_DISSECT_DNS_H */
