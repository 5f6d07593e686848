/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Internal to the TLS dissector (tls.c, tls_ext.c). */
#ifndef GT_DISSECT_TLS_H
#define GT_DISSECT_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define TLS13 0x0304

struct tls_state {
	uint16_t version;	/* negotiated: the flow's, or this packet's ServerHello */
	bool ccs;		/* this direction's keys changed: handshakes are encrypted */
	bool info_started;
	bool clipped;		/* this record runs past the bytes we have */
	uint8_t *frag;		/* a handshake message being gathered from records */
	uint32_t frag_len, frag_have;
};

void dx_tls_bad_length(const struct dx_buf *b, const struct tls_state *st, const char *why);
/* The extensions block of a ClientHello or ServerHello at [i, end). */
void dx_tls_extensions(const struct dx_buf *b, uint32_t i, uint32_t end, bool client,
		       struct tls_state *st);

#endif /* GT_DISSECT_TLS_H */
