/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Attaching GoTracer's programs to one interface and taking them off again:
 * ingress on XDP (libxdp) or TC, egress on TC (libbpf's clsact helpers), and
 * finding programs a killed GoTracer left behind. Internal to user/capture/.
 */
#ifndef GT_ATTACH_H
#define GT_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* Our TC filters sit at this handle and priority: that is how a later run, or
 * `gotracer cleanup`, finds them again (bpf_tc_query needs both). */
#define GT_TC_HANDLE 0x4754 /* "GT" */
#define GT_TC_PRIORITY 1

struct xdp_program;

/* What one engine attached to one interface: exactly what detach takes off. */
struct attach_state {
	char name[16];
	uint32_t ifindex;
	enum engine_hook ingress;	/* never AUTO once attached */
	struct xdp_program *xdp;	/* libxdp handle while XDP is attached */
	int xdp_mode;			/* enum xdp_attach_mode in use */
	bool tc_ingress;
	bool tc_egress;
	bool made_clsact;		/* we created the clsact qdisc: destroy it on detach */
};

struct attach_progs {
	int xdp_fd;
	int tc_ingress_fd;
	int tc_egress_fd;
};

/* Attach ingress on the hook `want` resolves to, and egress on TC. On failure
 * everything attached so far is taken off again and -errno returned. */
int attach_iface(struct attach_state *st, enum engine_hook want,
		 const struct attach_progs *progs, bool quiet);
void detach_iface(struct attach_state *st);
/* Remove the clsact qdisc (and whatever filters it still holds). */
void clsact_destroy(uint32_t ifindex);

/* GoTracer programs (names gt_*) found on an interface. */
struct leftovers {
	bool xdp;
	bool tc_ingress;
	bool tc_egress;
	uint32_t tc_egress_prog_id;
};

void leftovers_find(uint32_t ifindex, struct leftovers *lo);
static inline bool leftovers_any(const struct leftovers *lo)
{
	return lo->xdp || lo->tc_ingress || lo->tc_egress;
}
/* Take off every GoTracer program of this interface; returns how many, or -errno. */
int leftovers_remove(uint32_t ifindex);

/* Silence libxdp's own messages below our debug level (once per process). */
void attach_bridge_libxdp_log(void);

#endif /* GT_ATTACH_H */
