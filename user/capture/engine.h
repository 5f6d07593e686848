/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The capture engine: loads GoTracer's BPF programs, attaches them to the
 * interfaces (ingress on the cheapest hook for the device, egress on TC), hands
 * every captured packet to a callback, and reads the kernel's counters. Used by
 * `capture`, `serve`, `flows` and `stats`. Lifecycle as libbpf-bootstrap:
 * engine_open (open, configure, load, attach) -> engine_poll in a loop ->
 * engine_close (detach only what this engine attached, free everything).
 */
#ifndef GT_ENGINE_H
#define GT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "gotracer.h"

#define ENGINE_MAX_IFACES 16

enum engine_hook {
	ENGINE_HOOK_AUTO = 0,	 /* native XDP on physical NICs that run it; TC on virtual */
	ENGINE_HOOK_XDP,	 /* native XDP, falling back to generic with a notice */
	ENGINE_HOOK_XDP_GENERIC, /* generic (skb) XDP */
	ENGINE_HOOK_TC,		 /* TC clsact ingress */
};

struct engine_opts {
	const char *ifaces[ENGINE_MAX_IFACES];
	int n_ifaces;
	enum engine_hook hook;
	uint32_t snaplen;	/* 0 = GT_SNAPLEN_DEFAULT */
	bool account_only;	/* count in the kernel, send no per-packet events */
	uint32_t sample_every;	/* 1-in-N; 0 or 1 = every packet */
	uint32_t ringbuf_bytes; /* 0 = GT_RINGBUF_DEFAULT */
	uint32_t flow_entries;	/* 0 = GT_FLOWS_DEFAULT */
	bool quiet;		/* do not print the hook chosen per interface */
};

/* One attached interface, as engine_iface() reports it. */
struct engine_iface {
	char name[16];
	uint32_t ifindex;
	enum engine_hook ingress; /* the hook actually in use (never AUTO) */
	int linktype;		  /* DX_LINK_ETHERNET, ... */
};

/* Called for each captured packet; data holds ev->cap_len bytes of the frame. */
typedef void (*engine_packet_fn)(void *user, const struct gt_event *ev, const uint8_t *data);

struct engine;

/*
 * Load and attach. On failure prints one clear line (unknown interface, missing
 * capability, no BTF, already captured by another gotracer) and returns -errno.
 */
int engine_open(struct engine **out, const struct engine_opts *opts, engine_packet_fn fn,
		void *user);
void engine_close(struct engine *e);
/*
 * A read-only view of the maps of the gotracer that is capturing on ifname
 * right now (found through the program it attached there): `flows` and `stats`
 * read a running instance's counters with it. Loads and attaches nothing;
 * engine_poll delivers nothing. -ENOENT when no live gotracer captures there.
 */
int engine_open_running(struct engine **out, const char *ifname);

/* The ring buffer's epoll fd, for a caller's own event loop (libwebsockets). */
int engine_fd(const struct engine *e);
/* Wait up to timeout_ms and deliver packets; returns packets delivered or -errno
 * (-EINTR when a signal arrived). engine_consume delivers without waiting. Both
 * deliver at most ENGINE_BUDGET packets a call, so a flood faster than the
 * callback cannot keep the caller from its loop; the rest waits in the ring.
 * engine_drain takes what the ring held when called (before a settings change),
 * at most a ring's worth; returns packets delivered. */
#define ENGINE_BUDGET 1024
int engine_poll(struct engine *e, int timeout_ms);
int engine_consume(struct engine *e);
int engine_drain(struct engine *e);

int engine_n_ifaces(const struct engine *e);
const struct engine_iface *engine_iface(const struct engine *e, int i);
/* Index in engine_iface() of an ifindex, or -1. */
int engine_iface_index(const struct engine *e, uint32_t ifindex);

/* Run-time changes, no reload: kernel filter rules (n = 0: everything), snap
 * length, accounting mode, capture on/off, sampling. */
int engine_set_rules(struct engine *e, const struct gt_rule *rules, uint32_t n);
int engine_set_config(struct engine *e, const struct gt_config *cfg);
int engine_get_config(const struct engine *e, struct gt_config *cfg);

/* Per-interface counters, summed over CPUs. */
int engine_read_counters(const struct engine *e, uint32_t ifindex, struct gt_if_counters *out);

/* Every entry of the kernel flow map; fn returns non-zero to stop. */
typedef int (*engine_flow_fn)(void *user, const struct gt_flow_key *key,
			      const struct gt_flow_value *val);
int engine_for_each_flow(const struct engine *e, engine_flow_fn fn, void *user);
int engine_delete_flow(const struct engine *e, const struct gt_flow_key *key);

/* What GoTracer has on an interface: programs attached, and whether a live
 * gotracer owns them (no owner: leftovers of a run that was killed). */
struct engine_iface_status {
	bool xdp;		/* a gt_* program at XDP */
	bool tc_ingress;	/* our filter at tc ingress */
	bool tc_egress;
	bool running;		/* a live gotracer holds the interface's lock */
	int pid;		/* its pid, 0 when unknown */
};
int engine_iface_status(const char *ifname, struct engine_iface_status *st);
/* Take leftover GoTracer programs off ifname. Returns how many were removed,
 * -EBUSY when a live gotracer owns the interface, -ENODEV when there is no such
 * interface, or another -errno. */
int engine_cleanup_iface(const char *ifname);

/* "auto", "xdp", "xdp-generic", "tc"; and back (-EINVAL for an unknown name). */
const char *engine_hook_name(enum engine_hook hook);
int engine_hook_parse(const char *name, enum engine_hook *out);

/* CLOCK_BOOTTIME (the kernel's event stamps) to CLOCK_REALTIME, in ns. */
uint64_t engine_boot_to_real_ns(uint64_t boot_ns);

#endif /* GT_ENGINE_H */
