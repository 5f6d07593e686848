/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The SYN scanner's kernel/user contract (bpf/scan.bpf.c and user/scan/syn.c):
 * the reply record, the counters, and the keyed cookie both sides compute.
 *
 * A probe's sequence number is a cookie: SipHash-2-4, keyed with 128 random
 * bits drawn for each scan, of (scanner address, target address, scanner port,
 * target port). A real reply acknowledges cookie + 1, so the ingress program
 * can tell our replies from stray or forged ones without any per-probe state.
 */
#ifndef GT_SCAN_BPF_H
#define GT_SCAN_BPF_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* the BPF side cannot call functions with this many arguments */
#define SCAN_INLINE static inline __attribute__((always_inline))

#define SCAN_REPLY_VERSION 2
#define SCAN_SPORT_SPAN 64	/* source ports a scan uses: base .. base + 63 */

/* struct scan_reply.flags: the TCP flags of the reply */
#define SCAN_TCP_FIN 0x01
#define SCAN_TCP_SYN 0x02
#define SCAN_TCP_RST 0x04
#define SCAN_TCP_ACK 0x10

/*
 * Ring-buffer record: one reply to one of our probes, already verified. An ICMP
 * destination-unreachable that quotes our probe comes as flags 0 with its type
 * and code; the addresses and ports are then the probe's, turned round.
 */
struct scan_reply {
	__u16 version;	/* SCAN_REPLY_VERSION */
	__u8 flags;	/* TCP flags; 0 for ICMP */
	__u8 ttl;
	__be32 saddr;	/* the target */
	__be32 daddr;	/* us */
	__u16 sport;	/* target port, host order */
	__u16 dport;	/* our port, host order */
	__u32 seq;	/* the target's sequence number, host order */
	__u32 ack;	/* what it acknowledges (our cookie + 1) */
	__u32 ifindex;
	__u8 icmp_type;	/* when flags == 0 */
	__u8 icmp_code;
	__u16 pad;
};

/* Index of the per-CPU counter array. */
enum scan_counter {
	SCAN_CNT_MATCHED = 0,	/* replies to our probes: taken and dropped */
	SCAN_CNT_FORGED = 1,	/* in our port range, but the cookie is wrong: passed on */
	SCAN_CNT_RING_FULL = 2,	/* matched, but the ring had no room */
	SCAN_CNT_MAX = 3,
};

SCAN_INLINE __u64 scan_rotl64(__u64 x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SCAN_SIPROUND(v0, v1, v2, v3)                                            \
	do {                                                                     \
		v0 += v1; v1 = scan_rotl64(v1, 13); v1 ^= v0; v0 = scan_rotl64(v0, 32); \
		v2 += v3; v3 = scan_rotl64(v3, 16); v3 ^= v2;                    \
		v0 += v3; v3 = scan_rotl64(v3, 21); v3 ^= v0;                    \
		v2 += v1; v1 = scan_rotl64(v1, 17); v1 ^= v2; v2 = scan_rotl64(v2, 32); \
	} while (0)

/* SipHash-2-4 of the two 64-bit words m0, m1 (16 bytes, little-endian words). */
SCAN_INLINE __u64 scan_siphash(__u64 k0, __u64 k1, __u64 m0, __u64 m1)
{
	__u64 v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	__u64 v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	__u64 b = 16ULL << 56;

	v3 ^= m0; SCAN_SIPROUND(v0, v1, v2, v3); SCAN_SIPROUND(v0, v1, v2, v3); v0 ^= m0;
	v3 ^= m1; SCAN_SIPROUND(v0, v1, v2, v3); SCAN_SIPROUND(v0, v1, v2, v3); v0 ^= m1;
	v3 ^= b; SCAN_SIPROUND(v0, v1, v2, v3); SCAN_SIPROUND(v0, v1, v2, v3); v0 ^= b;
	v2 ^= 0xff;
	SCAN_SIPROUND(v0, v1, v2, v3); SCAN_SIPROUND(v0, v1, v2, v3);
	SCAN_SIPROUND(v0, v1, v2, v3); SCAN_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The probe's sequence number. Addresses as on the wire, ports in host order. */
SCAN_INLINE __u32 scan_cookie(__u64 k0, __u64 k1, __be32 scanner, __be32 target,
				__u16 scanner_port, __u16 target_port)
{
	__u64 h = scan_siphash(k0, k1, (__u64)scanner << 32 | target,
			       (__u64)scanner_port << 16 | target_port);

	return (__u32)(h ^ (h >> 32));
}

#endif /* GT_SCAN_BPF_H */
