/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * LAN discovery and port scanning as a library: the CLI and the server's job
 * model both call scan_run() with a set of targets and two callbacks, one per
 * result and one for progress. IPv4 only. Every probe goes to an address of the
 * given target list and nowhere else, paced at no more than opts->rate packets
 * a second.
 */
#ifndef GT_SCAN_H
#define GT_SCAN_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCAN_MAX_TARGETS 65536	/* a /16: the largest sweep we accept */
#define SCAN_RATE_DEFAULT 1000	/* probes per second unless --rate says otherwise */
#define SCAN_RATE_MAX 100000
#define SCAN_RETRIES_DEFAULT 2	/* extra tries after the first probe */
#define SCAN_MAX_PROBES (1u << 24) /* targets x ports in one port scan */

enum scan_kind {
	SCAN_ARP,
	SCAN_PING,
	SCAN_TCP,	/* connect() */
	SCAN_SYN,	/* raw SYN, replies taken in the kernel */
};

/* Where the SYN scan's reply program sits on each device. */
enum scan_hook {
	SCAN_HOOK_AUTO,	/* XDP on physical NICs, TC on virtual devices (veth loses GRO to XDP) */
	SCAN_HOOK_TC,	/* tcx ingress, ahead of any TC capture program */
	SCAN_HOOK_XDP,	/* XDP; where the device already holds one, TC instead */
};

/* Target addresses, in the order given, duplicates removed; network byte order. */
struct scan_targets {
	uint32_t *addrs;
	size_t n;
	size_t cap;
	uint64_t *sorted;	/* scan_targets_finish(): host-order address << 32 | position */
};

/* Ports in the order given, duplicates removed. */
struct scan_ports {
	uint16_t *ports;
	size_t n;
	size_t cap;
	uint64_t seen[65536 / 64];
};

enum port_state {
	PORT_OPEN,
	PORT_CLOSED,
	PORT_FILTERED,
};

enum scan_result_type {
	SCAN_R_HOST,	/* a host answered (ARP, ping) or a port scan found it up */
	SCAN_R_PORT,	/* the final state of one port */
	SCAN_R_SERVICE,	/* what runs on an open port (after SCAN_R_PORT) */
};

/* struct scan_result.host_flags */
enum scan_host_flags {
	SCAN_H_MAC = 1 << 0,		/* mac is set */
	SCAN_H_REPLIED = 1 << 1,	/* answered our probe */
	SCAN_H_NEIGH = 1 << 2,		/* known from the kernel's neighbour table */
	SCAN_H_LOCAL_MAC = 1 << 3,	/* locally administered (randomised) MAC */
	SCAN_H_RTT = 1 << 4,		/* rtt_us is set */
};

struct scan_result {
	enum scan_result_type type;
	uint32_t addr;		/* network order */
	/* SCAN_R_HOST */
	uint32_t host_flags;	/* enum scan_host_flags */
	uint8_t mac[6];
	const char *vendor;	/* NULL when unknown */
	uint32_t rtt_us;
	/* SCAN_R_PORT and SCAN_R_SERVICE */
	uint16_t port;
	enum port_state state;
	const char *reason;	/* nmap's words: syn-ack, reset, conn-refused, no-response, host-unreach */
	uint8_t ttl;		/* of the reply, 0 when unknown */
	/* SCAN_R_SERVICE */
	char service[32];	/* nmap's service name: http, ssh, ssl/http, ... */
	char product[64];
	char version[64];
	char extra[160];	/* TLS version and certificate subject, banner text */
	const char *method;	/* "probed" (a match) or "table" (port number only) */
};

typedef void (*scan_result_fn)(const struct scan_result *r, void *ctx);
/* done of total probes answered or given up; called at most a few times a second */
typedef void (*scan_progress_fn)(size_t done, size_t total, void *ctx);

struct scan_opts {
	enum scan_kind kind;
	struct scan_targets targets;
	struct scan_ports ports;	/* tcp and syn */
	char ifname[16];		/* IFNAMSIZ; arp: the device (else the subnet of the first
					 * target); syn: every target must be reached through it */
	unsigned int rate;		/* probes per second, 1..SCAN_RATE_MAX */
	unsigned int retries;
	unsigned int timeout_ms;	/* first timeout before RTTs are measured */
	unsigned int max_inflight;	/* sockets (tcp) or probes (syn) outstanding at once */
	enum scan_hook hook;		/* syn */
	bool service_detect;
	bool include_neigh;		/* arp: report neighbour-table entries too */
	scan_result_fn on_result;	/* may be called from several threads, one at a time */
	scan_progress_fn on_progress;
	void *ctx;
	volatile sig_atomic_t *cancel;	/* set non-zero to stop early */
};

void scan_opts_init(struct scan_opts *o, enum scan_kind kind);
void scan_opts_free(struct scan_opts *o);
/* 0 on success; a negative errno with one line logged when the scan cannot run */
int scan_run(struct scan_opts *o);

/* targets.c: "10.0.0.1", "10.0.0.0/24", "10.0.0.1-20", "10.0.0.1-10.0.1.5", lists with ',' */
int scan_targets_add(struct scan_targets *t, const char *spec);
int scan_targets_add_one(struct scan_targets *t, uint32_t addr_be);
bool scan_targets_contains(const struct scan_targets *t, uint32_t addr_be);
/* removes duplicates (keeping the first) and builds the lookup index */
int scan_targets_finish(struct scan_targets *t);
/* position of addr_be in t->addrs, or -1 (needs scan_targets_finish) */
long scan_targets_index(const struct scan_targets *t, uint32_t addr_be);
void scan_targets_free(struct scan_targets *t);
/* "22,80,1000-2000" */
int scan_ports_add(struct scan_ports *p, const char *spec);
void scan_ports_free(struct scan_ports *p);
int scan_ports_add_list(struct scan_ports *p, const uint16_t *ports, size_t n);

/* services.c: nmap-services when installed, a small table otherwise */
int scan_ports_add_top(struct scan_ports *p, unsigned int n);
const char *scan_service_name(uint16_t port);

/* oui.c: vendor of a MAC address from Debian's ieee-data registries */
const char *oui_vendor(const uint8_t mac[6]);
bool mac_is_local(const uint8_t mac[6]);

/* one technique each */
int scan_arp(struct scan_opts *o);
int scan_ping(struct scan_opts *o);
int scan_tcp_connect(struct scan_opts *o);
int scan_syn(struct scan_opts *o);
/* service.c: probes one open port and reports a SCAN_R_SERVICE result */
void scan_service_detect(struct scan_opts *o, uint32_t addr, uint16_t port);

const char *scan_kind_name(enum scan_kind kind);
const char *port_state_name(enum port_state s);

#endif /* GT_SCAN_H */
