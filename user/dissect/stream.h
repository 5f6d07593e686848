/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * TCP stream reassembly for the application dissectors (HTTP headers and bodies,
 * TLS records, SSH packets that span segments), in the spirit of Wireshark's
 * "desegment" model: the application dissector says where its last complete
 * message ends, the store keeps the rest and hands it back, followed by the next
 * segment's bytes, when that segment arrives.
 *
 * State is per flow (the 5-tuple) and direction. Each direction tracks the next
 * expected sequence number; a segment's bytes that were already seen are dropped
 * (overlap: the first copy wins; a segment wholly seen before, a retransmission,
 * goes to no application dissector, as in Wireshark), a segment beyond the expected
 * number is kept aside (out of order) until the gap closes, within the per-flow
 * budget: a gap wider than that (a segment the capture lost) is given up and
 * the stream starts again at the new segment. SYN starts a direction afresh,
 * FIN ends it, RST ends both; state is freed after the packet that carries them
 * (all but the numbering of dx_stream_tcp_numbers, kept as Wireshark keeps its
 * conversation until a new SYN).
 * Messages that lose bytes to the snap length are not rebuilt (the segment is
 * dissected on its own).
 *
 * Memory is bounded: DX_STREAM_FLOW_BYTES per flow (held message bytes plus
 * out-of-order segments; a message that would need more is given up and shown
 * as what it is in each frame), DX_STREAM_TOTAL_BYTES and DX_STREAM_MAX_FLOWS in
 * total, evicting the least recently used flow first. Everything given up is
 * counted (dx_streams_stats).
 *
 * Byte offsets: a message rebuilt from several segments is read through a
 * struct dx_buf (buf.h) whose bytes are partly from earlier frames. Fields that
 * lie in this frame keep their true offsets; a field partly in this frame gets
 * the part that is; a field wholly in earlier frames gets length 0 at the start
 * of this frame's bytes. The packet carrying the last segment of a message shows
 * the message, DX_F_REASSEMBLED and a "[N Reassembled TCP Segments (M bytes)]"
 * node with tcp.segment.count and tcp.reassembled.length, as Wireshark does.
 *
 * Each packet must be dissected once, in capture order, with p->streams set: a
 * second pass over the same packets (re-dissecting a stored packet for its
 * detail) passes p->streams NULL and gets the stateless, one-segment view.
 */
#ifndef GT_DISSECT_STREAM_H
#define GT_DISSECT_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "proto.h"

#define DX_STREAM_FLOW_BYTES (64u * 1024)
#define DX_STREAM_TOTAL_BYTES (16u * 1024 * 1024)
#define DX_STREAM_MAX_FLOWS 65536u

struct dx_streams_stats {
	uint32_t flows;			/* flows tracked now */
	uint64_t bytes;			/* bytes held now (messages and out-of-order) */
	uint64_t evicted_flows;		/* flows dropped for the total limits */
	uint64_t dropped_messages;	/* messages given up: too big or a gap */
	uint64_t reassembled;		/* messages rebuilt from more than one segment */
};

/* A store with the default limits, or with these (0 keeps a default). */
struct dx_streams *dx_streams_new(void);
struct dx_streams *dx_streams_new_limits(uint32_t flow_bytes, uint64_t total_bytes,
					 uint32_t max_flows);
void dx_streams_free(struct dx_streams *s);
void dx_streams_stats(const struct dx_streams *s, struct dx_streams_stats *st);
/* The IP fragment store that lives with this one (defrag.h), never NULL. */
struct dx_defrag *dx_streams_defrag(struct dx_streams *s);
/* The request/reply pairs that live with it (pairs.h), never NULL. */
struct dx_pairs *dx_streams_pairs(struct dx_streams *s);

/* The observer of proto.h (dx_tcp_observers): sees every TCP segment. */
void dx_stream_observe(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len);

/*
 * For an application dissector over TCP, given its payload range: fills b with
 * the bytes to dissect. With a store: the bytes held for this direction, then
 * this segment's new bytes, then out-of-order bytes this segment made contiguous.
 * Without one (or for UDP), and for a retransmission or a segment not all
 * captured: the segment itself. Returns false when the segment is out of order
 * and kept aside (its bytes come back with the segment that closes the gap):
 * the dissector should then return false so the bytes show as data.
 */
bool dx_stream_view(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		    uint32_t len, struct dx_buf *b);

/*
 * The dissector is done with the view: bytes [used, b->len) begin a message that
 * is not complete; keep them for the next segment (when the message fits the
 * budget). owner is the dissector that later segments of this flow go to
 * (dx_stream_continue). Adds " [TCP segment of a reassembled PDU]" to the Info
 * column when nothing in this frame completed a message. As in Wireshark, a
 * dissector that looked at a message beginning in this frame and must wait
 * first sets the Info column its way (TLS and SSH clear it, HTTP shows the
 * first line); a segment in the middle of a message of known length keeps the
 * TCP summary.
 */
void dx_stream_done(struct dx_packet *p, const struct dx_buf *b, uint32_t used,
		    dx_app_fn owner);

/*
 * May the dissector wait for a message of need bytes (from its start) to
 * complete? False for a stateless view, or when the message is larger than the
 * per-flow budget: then it is given up (counted) and shown as far as it goes.
 */
bool dx_stream_can_hold(struct dx_packet *p, const struct dx_buf *b, uint64_t need);

/*
 * Before dissecting the message at view range [i, i + n): when it began in an
 * earlier frame, adds the "[N Reassembled TCP Segments (n bytes)]" node and
 * DX_F_REASSEMBLED. Returns true when it did.
 */
bool dx_stream_mark(struct dx_packet *p, const struct dx_buf *b, uint32_t i, uint32_t n);

/*
 * True when all of this segment's bytes were seen before in its direction (a
 * retransmission): TCP then shows them as "Retransmitted TCP segment data" and
 * hands them to no application dissector, as Wireshark does.
 */
bool dx_stream_seen(struct dx_packet *p, const struct dx_conv *c);

/*
 * Wireshark's TCP numbers for this segment (its defaults: relative sequence
 * numbers, window scaling from the handshake). A direction's base is its SYN's
 * sequence number, or, without a SYN, the first number seen in it (as sequence,
 * or as acknowledgement from the other side) less one, so the first segment
 * reads Seq=1 or Ack=1. The scale is the shift the SYN or SYN-ACK offered
 * (an option in a later segment counts from the next one, as in tshark);
 * when one side offers none, neither side scales; without the handshake it is
 * unknown. SYN segments are never scaled.
 */
#define DX_WSCALE_UNKNOWN (-1)	/* tcp.window_size_scalefactor: handshake not seen */
#define DX_WSCALE_NONE (-2)	/* a side offered no window scale option */
struct dx_tcp_numbers {
	uint32_t seq;		/* tcp.seq, relative */
	uint32_t ack;		/* tcp.ack, relative when the ACK flag is set, else raw */
	uint32_t nxtseq;	/* tcp.nxtseq: seq + payload + SYN + FIN */
	uint32_t window;	/* tcp.window_size, the calculated window */
	int32_t scalefactor;	/* 1 << shift, or DX_WSCALE_UNKNOWN / DX_WSCALE_NONE */
};
/* Fills n for this packet after the observer saw it; false when stateless. */
bool dx_stream_tcp_numbers(struct dx_packet *p, const struct dx_conv *c,
			   struct dx_tcp_numbers *n);
/*
 * A segment quoted in an ICMP error is not observed: as tshark, it shows its raw
 * numbers and window with its flow's scale factor (n.nxtseq unset). False when
 * stateless.
 */
bool dx_stream_tcp_quoted(struct dx_packet *p, const struct dx_conv *c,
			  struct dx_tcp_numbers *n);

/* Per-flow facts an application dissector remembers (TLS: the chosen version). */
struct dx_stream_app {
	uint16_t version;	/* TLS: the negotiated version, 0 until ServerHello */
	uint8_t flags[2];	/* per direction, dissector-defined */
};
/* This packet's flow facts, or NULL when dissecting statelessly. */
struct dx_stream_app *dx_stream_app(struct dx_packet *p, const struct dx_conv *c);
/* 0 or 1: which direction of the flow this packet goes (for dx_stream_app.flags). */
int dx_stream_dir(struct dx_packet *p, const struct dx_conv *c);

/*
 * A TCP heuristic (first in dx_tcp_heuristics): a segment of a flow some
 * dissector has taken goes to that dissector, whatever its ports.
 */
bool dx_stream_continue(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
			uint32_t len);

#endif /* GT_DISSECT_STREAM_H */
