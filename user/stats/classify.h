/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Application classification of flows from their captured packets: nDPI on
 * the first packets of each flow, else GoTracer's own dissection (the protocol
 * column). The result is noted per flow hash (app_note) so the flow table, the
 * flows messages and /metrics show it; accounting mode, which captures
 * nothing, falls back to the port.
 */
#ifndef GT_CLASSIFY_H
#define GT_CLASSIFY_H

#include <stdint.h>

#include "gotracer.h"

struct dx_packet;
struct classifier;

/* NULL when nDPI cannot start: the dissector's protocol is used alone then. */
struct classifier *classifier_new(void);
void classifier_free(struct classifier *c);
/* One captured packet; frame is the Ethernet frame of ev (cap_len bytes),
 * dx its dissection (or NULL). */
void classifier_packet(struct classifier *c, const struct gt_event *ev, const uint8_t *frame,
		       const struct dx_packet *dx);

/* The process's classifier, made at the first packet (nDPI is big: only a
 * program that captures pays for it). For a capture loop's packet callback. */
void classify_captured(const struct gt_event *ev, const uint8_t *frame,
		       const struct dx_packet *dx);

#endif /* GT_CLASSIFY_H */
