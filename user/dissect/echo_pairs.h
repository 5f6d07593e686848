/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Echo request/reply pairing for ICMP and ICMPv6, as Wireshark's trackers show
 * it on a reply: "(request in N)" in Info, icmp.resp_to (the request's frame)
 * and icmp.resptime (milliseconds since it). A request is remembered by its
 * address pair, identifier and sequence number; the reply from the other end
 * with the same identifier and sequence finds it. One pass, in capture order:
 * the request cannot yet name its reply (Wireshark's two-pass "reply in").
 *
 * Memory is bounded: a fixed table (allocated at the first request) where a
 * newer request takes the slot of an older one with the same hash.
 */
#ifndef GT_DISSECT_ECHO_PAIRS_H
#define GT_DISSECT_ECHO_PAIRS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define DX_ECHO_SLOTS 4096u

struct dx_echo_pairs;

struct dx_echo_pairs *dx_echo_pairs_new(void);
void dx_echo_pairs_free(struct dx_echo_pairs *e);

/*
 * For the ICMP dissectors, on an echo message with this identifier and
 * sequence number: a request is remembered; a reply gets the request's frame
 * number and the time since it (ms; negative when unknown) and returns true.
 * Without a store (stateless dissection) nothing happens.
 */
bool dx_echo_pair(struct dx_packet *p, const struct dx_conv *c, bool reply, uint16_t id,
		  uint16_t seq, uint64_t *req_frame, double *ms);

/*
 * Both ICMP dissectors, after an echo message's identifier and sequence: pairs
 * it and, on a reply whose request was seen, adds PREFIX.resp_to and
 * PREFIX.resptime (PREFIX "icmp" or "icmpv6") and " (request in N)" to Info.
 * Not for a quoted message (inside an ICMP error) or a fragment's first part.
 */
void dx_echo_show(struct dx_packet *p, const struct dx_conv *c, bool v6, bool quoted,
		  bool reply, uint16_t id, uint16_t seq, uint32_t off);

#endif /* GT_DISSECT_ECHO_PAIRS_H */
