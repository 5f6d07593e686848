/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Internal to user/dissect/: how dissectors hand a frame to each other.
 *
 * Every dissector gets the packet and the byte range of its part of the frame,
 * [off, off + len), where len is what the enclosing header says (or what is left
 * of the frame): bytes past caplen may be inside that range, so read only through
 * the accessors of dissect.h. Dispatch goes through static tables in dissect.c,
 * never through if-chains:
 *
 *   link type  → dx_eth / dx_sll / dx_sll2 / dx_null / dx_loop / dx_raw
 *   ethertype  → dx_ipv4 / dx_ipv6 / dx_arp / dx_vlan        (dx_ethertype)
 *   IP proto   → dx_tcp / dx_udp / dx_icmp / dx_icmpv6       (dx_ip_payload)
 *   TCP, UDP payload → port table (lower port tried first, then the higher one),
 *                then heuristics in order, then dx_data      (dx_app_payload)
 *
 * Application dissectors (DNS, DHCP, HTTP, TLS, QUIC, SSH, ...) have one shape,
 * dx_app_fn: they get the payload range and the conversation (struct dx_conv)
 * and return true when they took the payload, false (having added no node) when
 * it is not theirs, so the next candidate is tried. To plug one in, add a line to
 * dx_tcp_ports / dx_udp_ports / dx_tcp_heuristics / dx_udp_heuristics in
 * dissect.c (one line per entry, additive) and declare the function here.
 *
 * TCP reassembly hook (stream.c, struct dx_streams): tcp.c calls every entry of
 * dx_tcp_observers (dissect.c) for EVERY TCP segment, empty ones included (SYN,
 * FIN, RST), before the payload is dispatched, and only when p->streams is set.
 * The observer sees the conversation: addresses, ports, dx_conv.seq/ack/tcp_flags
 * and the payload range, and can buffer the segment keyed by the direction-less
 * flow plus "from src to dst". An application dissector that needs more than one
 * segment then asks the stream store (through p->streams, NULL when dissecting
 * statelessly) for the rebuilt message, marks DX_F_REASSEMBLED, and dissects
 * that; with p->streams NULL it dissects what the segment holds.
 */
#ifndef GT_DISSECT_PROTO_H
#define GT_DISSECT_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

/* IPv4/IPv6 and transport facts the upper layers need. */
struct dx_conv {
	uint8_t family;		/* GT_AF_INET (4), GT_AF_INET6 (6), 0 when no IP */
	uint8_t l4proto;	/* IPPROTO_TCP, IPPROTO_UDP, ... */
	uint8_t ttl;		/* IPv4 TTL or IPv6 hop limit */
	bool fragment;		/* a later fragment: no L4 header here */
	bool partial;		/* a first fragment: the L4 message continues elsewhere */
	uint8_t src[16];	/* network order; IPv4 in the first 4 bytes */
	uint8_t dst[16];	/* IPv6: the final one when a routing header names it */
	uint16_t sport, dport;	/* host order */
	/* TCP only */
	uint32_t seq, ack;	/* raw sequence and acknowledgement numbers */
	uint16_t tcp_flags;	/* the 12 flag bits: FIN 0x001 SYN 0x002 RST 0x004 ... */
	uint16_t window;	/* raw window field */
	int8_t tcp_wscale;	/* window scale shift this segment offers, -1: no option */
	bool tcp_options_cut;	/* the options end past the captured bytes */
};

typedef void (*dx_layer_fn)(struct dx_packet *p, uint32_t off, uint32_t len);
typedef void (*dx_l4_fn)(struct dx_packet *p, struct dx_conv *c, uint32_t off,
			 uint32_t len);
typedef bool (*dx_app_fn)(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
			  uint32_t len);
typedef void (*dx_observer_fn)(struct dx_packet *p, const struct dx_conv *c,
			       uint32_t off, uint32_t len);

struct dx_port_entry {
	uint16_t port;
	dx_app_fn fn;
};

/* Tables, in dissect.c. Heuristic and observer lists end with a NULL entry. */
extern const struct dx_port_entry dx_tcp_ports[];
extern const struct dx_port_entry dx_udp_ports[];
extern const dx_app_fn dx_tcp_heuristics[];
extern const dx_app_fn dx_udp_heuristics[];
extern const dx_observer_fn dx_tcp_observers[];

/* Dispatch helpers (dissect.c). */
void dx_ethertype(struct dx_packet *p, uint16_t type, uint32_t off, uint32_t len);
void dx_ip_payload(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len);
void dx_app_payload(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		    uint32_t len);
const char *dx_ethertype_name(uint16_t type);
const char *dx_ip_proto_name(uint8_t proto);

/*
 * The invoking packet inside an ICMP/ICMPv6 error: dissected as a packet of its
 * own, without touching the outer packet's summary (columns, ports, flags).
 */
void dx_inner_ip(struct dx_packet *p, dx_layer_fn ip, uint32_t off, uint32_t len);

/* Inside an ICMP error's quoted packet (its layers are nested one level down). */
static inline bool dx_in_error(const struct dx_packet *p)
{
	return p->depth > 0;
}

/* Link layers. */
void dx_eth(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_sll(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_sll2(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_null(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_loop(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_raw(struct dx_packet *p, uint32_t off, uint32_t len);

/* Network layers (by ethertype). */
void dx_vlan(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_arp(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_ipv4(struct dx_packet *p, uint32_t off, uint32_t len);
void dx_ipv6(struct dx_packet *p, uint32_t off, uint32_t len);

/* The port pair of TCP and UDP (transport.c): fields, conversation and summary. */
struct dx_port_names {
	const char *src, *dst, *any;	/* "tcp.srcport", "tcp.dstport", "tcp.port" */
};
bool dx_l4_ports(struct dx_packet *p, struct dx_conv *c, uint32_t off,
		 const struct dx_port_names *names);
/* tcp.payload / udp.payload: the payload's first bytes as hex, its whole range. */
void dx_l4_payload(struct dx_packet *p, const char *name, uint32_t off, uint32_t len);

/* Transport and control (by IP protocol). */
void dx_tcp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len);
void dx_udp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len);
void dx_icmp(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len);
void dx_icmpv6(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len);

/* Applications (by port or heuristic). */
bool dx_dns_udp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_dns_tcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_dhcp(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
/* Owned by "app": HTTP/1.x, TLS, SSH, QUIC; *_heuristic check the payload's start first. */
bool dx_http(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_http_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len);
bool dx_tls(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_tls_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		      uint32_t len);
bool dx_ssh(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_ssh_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		      uint32_t len);
bool dx_quic(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len);
bool dx_quic_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len);
/* stream.c: the reassembly observer and the "flow already taken" heuristic */
void dx_stream_observe(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		       uint32_t len);
bool dx_stream_continue(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
			uint32_t len);

/*
 * Payload nobody claimed: a "data" layer with data.data (hex) and data.len, as
 * Wireshark shows it. Owned by "app" (data.c).
 */
void dx_data(struct dx_packet *p, uint32_t off, uint32_t len);

/* "_ws.malformed" node plus DX_F_MALFORMED: a value that contradicts the protocol. */
void dx_malformed(struct dx_packet *p, uint32_t off, uint32_t len, const char *why);

/*
 * Internet checksum (RFC 1071) over [off, off + len) added to sum; false when the
 * bytes were not all captured. dx_csum_fold gives the final 16-bit value: a packet
 * whose stored checksum is right folds to 0.
 */
bool dx_csum_add(struct dx_packet *p, uint32_t off, uint32_t len, uint32_t *sum);
uint16_t dx_csum_fold(uint32_t sum);

/* len captured bytes at off into dst (zeros and false when they are not all there). */
bool dx_copy(struct dx_packet *p, uint32_t off, void *dst, uint32_t len);

/* Text forms shared by the dissectors, as tshark -T fields prints them. */
void dx_fmt_mac(char *buf, size_t size, struct dx_packet *p, uint32_t off);
void dx_fmt_ipv4(char *buf, size_t size, struct dx_packet *p, uint32_t off);
void dx_fmt_ipv6(char *buf, size_t size, struct dx_packet *p, uint32_t off);
/* An absolute time as tshark prints it in UTC: "Jan  1, 2027 00:00:00.000000000 UTC". */
void dx_fmt_time(char *buf, size_t size, int64_t secs, uint32_t nsecs);
/*
 * A bytes field as tshark -T fields prints it: lower-case hex of its first
 * DX_HEX_MAX bytes (what was captured of them); the node covers all len bytes.
 */
#define DX_HEX_MAX 1500	/* a full Ethernet payload */
void dx_hex_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len);
/* Up to len bytes as lower-case hex without separators, clipped to caplen. */
void dx_fmt_hex(char *buf, size_t size, struct dx_packet *p, uint32_t off, uint32_t len);

#endif /* GT_DISSECT_PROTO_H */
