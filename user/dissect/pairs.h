/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Requests and their replies, as Wireshark's trackers show them on a reply:
 * ICMP and ICMPv6 echo ("(request in N)" in Info, icmp.resp_to, icmp.resptime
 * in ms) and DNS (dns.response_to, dns.time in seconds). A request is
 * remembered by its kind, addresses, ports and identifiers (ICMP: identifier
 * and sequence number; DNS: the transaction ID); the reply from the other end
 * with the same ones finds the latest such request. One pass, in capture order:
 * a request cannot yet name its reply (Wireshark's two-pass "reply in").
 *
 * Memory is bounded: a fixed table (allocated at the first request) where a
 * newer request takes the slot of an older one with the same hash.
 */
#ifndef GT_DISSECT_PAIRS_H
#define GT_DISSECT_PAIRS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define DX_PAIR_SLOTS 4096u
#define DX_PAIR_NO_TIME INT64_MIN	/* a capture time is unknown */

enum dx_pair_kind { DX_PAIR_ICMP_ECHO = 1, DX_PAIR_DNS };

struct dx_pairs;

struct dx_pairs *dx_pairs_new(void);
void dx_pairs_free(struct dx_pairs *e);

/*
 * A request is remembered; a reply gets the request's frame number and the
 * time since it (ns, DX_PAIR_NO_TIME when unknown) and returns true. Without a
 * store (stateless dissection) nothing happens.
 */
bool dx_pair(struct dx_packet *p, const struct dx_conv *c, enum dx_pair_kind kind,
	     bool reply, uint16_t id, uint16_t seq, uint64_t *req_frame, int64_t *dt_ns);

/*
 * Both ICMP dissectors, after an echo message's identifier and sequence: on a
 * reply whose request was seen, PREFIX.resp_to and PREFIX.resptime (PREFIX
 * "icmp" or "icmpv6") and " (request in N)" in Info. Not for a quoted message
 * (inside an ICMP error) or a fragment's first part.
 */
void dx_echo_show(struct dx_packet *p, const struct dx_conv *c, bool v6, bool quoted,
		  bool reply, uint16_t id, uint16_t seq, uint32_t off);

#endif /* GT_DISSECT_PAIRS_H */
