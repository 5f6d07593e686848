/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The packet store: a bounded ring of the most recent packets the server has
 * captured, each with its summary columns and its captured bytes, so a page can
 * ask for any packet's full dissection later (dissected again on demand) and the
 * capture can be downloaded. Packet numbers are consecutive for the store's whole
 * life; when the memory cap is reached the oldest packets are evicted and counted.
 */
#ifndef GT_PACKET_STORE_H
#define GT_PACKET_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_MB_DEFAULT 64

/* Whether the payload is encrypted, readable, or neither (struct store_packet.enc). */
enum store_enc {
	STORE_ENC_NONE = 0,
	STORE_ENC_ENCRYPTED = 1,
	STORE_ENC_PLAINTEXT = 2,
};

struct store_packet {
	uint64_t no;		/* 1-based, consecutive */
	uint64_t ts_ns;		/* CLOCK_REALTIME */
	uint32_t wirelen;
	uint32_t caplen;	/* bytes in data */
	uint16_t sport, dport;
	uint8_t dir;		/* enum gt_dir, or DX_DIR_UNKNOWN */
	uint8_t enc;		/* enum store_enc */
	uint16_t linktype;	/* DX_LINK_* */
	uint8_t reassembled;	/* completed a message rebuilt from TCP segments */
	char iface[16];
	char proto[24];
	char src[64];
	char dst[64];
	const char *info;	/* points into this allocation */
	uint8_t data[];		/* caplen bytes, then info and its NUL */
};

struct packet_store;

/* A store holding at most cap_bytes of packets (headers, bytes and text). */
struct packet_store *store_new(size_t cap_bytes);
void store_free(struct packet_store *s);

/*
 * Copy a packet in; pkt's no, info and data are ignored (data and info come from
 * the arguments). Returns the stored packet, or NULL when out of memory or when
 * the packet alone is larger than the cap (counted as evicted).
 */
const struct store_packet *store_add(struct packet_store *s, const struct store_packet *pkt,
				     const uint8_t *data, const char *info);
/* The packet numbered no, or NULL when it is not (or no longer) stored. */
const struct store_packet *store_get(const struct packet_store *s, uint64_t no);

/* Forget every packet; numbering continues. */
void store_clear(struct packet_store *s);

/* Range held: first..last; last < first when empty. */
uint64_t store_first_no(const struct packet_store *s);
uint64_t store_last_no(const struct packet_store *s);
uint64_t store_count(const struct packet_store *s);
size_t store_bytes(const struct packet_store *s);
size_t store_cap_bytes(const struct packet_store *s);
/* Packets pushed out to make room (clear does not count). */
uint64_t store_evicted(const struct packet_store *s);

#endif /* GT_PACKET_STORE_H */
