// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Per-interface attach and detach (see attach.h).
 *
 * Why the ingress hook depends on the device (measured here with iperf3 over a
 * veth pair): native XDP on a veth cut TCP throughput from 21 to 6-8 Gbit/s,
 * because the veth then loses GRO; generic XDP cost about 2 %; TC ingress cost
 * nothing measurable. Native XDP stays the fast path on physical NICs whose
 * driver runs it; everything virtual gets TC ingress.
 *
 * libxdp 1.3.1's multi-program dispatcher fails its compatibility check on
 * recent kernels and falls back to attaching our program alone; both ways work
 * here because we only ever hand libxdp one program and ask it to detach that.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "attach.h"
#include "util/iface.h"
#include "util/log.h"

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	/* libxdp warns about its dispatcher fallback on every attach: debug only */
	if (log_get_level() < LOG_LEVEL_DEBUG)
		return 0;
	fputs("libxdp: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

void attach_bridge_libxdp_log(void)
{
	libxdp_set_print(libxdp_print);
}

static bool prog_is_ours(uint32_t prog_id)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info);
	bool ours;
	int fd;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return errno == EPERM; /* unreadable without CAP_SYS_ADMIN: trust the handle */
	ours = !bpf_obj_get_info_by_fd(fd, &info, &len) && !strncmp(info.name, "gt_", 3);
	close(fd);
	return ours;
}

/* libbpf rejects opts whose padding is not zero: fill them in place, never copy */
static void tc_hook_init(struct bpf_tc_hook *hook, uint32_t ifindex,
			 enum bpf_tc_attach_point point)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = (int)ifindex;
	hook->attach_point = point;
}

static void tc_opts_init(struct bpf_tc_opts *opts, int prog_fd)
{
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->handle = GT_TC_HANDLE;
	opts->priority = GT_TC_PRIORITY;
	opts->prog_fd = prog_fd;
	if (prog_fd)
		opts->flags = BPF_TC_F_REPLACE; /* a stale filter of ours is simply replaced */
}

/* Program id of our filter at this hook, or 0. */
static uint32_t tc_query_ours(uint32_t ifindex, enum bpf_tc_attach_point point)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;

	tc_hook_init(&hook, ifindex, point);
	tc_opts_init(&opts, 0);
	if (bpf_tc_query(&hook, &opts))
		return 0;
	/* handle and priority are ours; prog_is_ours confirms by name when it may */
	return opts.prog_id;
}

static int tc_attach_one(struct attach_state *st, enum bpf_tc_attach_point point, int fd)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int err;

	tc_hook_init(&hook, st->ifindex, point);
	tc_opts_init(&opts, fd);
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		pr_warn("%s: cannot attach the tc %s program: %s\n", st->name,
			point == BPF_TC_INGRESS ? "ingress" : "egress", strerror(-err));
	return err;
}

static void tc_detach_one(uint32_t ifindex, enum bpf_tc_attach_point point)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;

	tc_hook_init(&hook, ifindex, point);
	tc_opts_init(&opts, 0);
	bpf_tc_detach(&hook, &opts);
}

static int clsact_ensure(struct attach_state *st)
{
	struct bpf_tc_hook hook;
	int err;

	tc_hook_init(&hook, st->ifindex, BPF_TC_INGRESS | BPF_TC_EGRESS);
	/* as libbpf-bootstrap's tc.c: an existing clsact is someone's, keep it */
	err = bpf_tc_hook_create(&hook);
	if (!err) {
		st->made_clsact = true;
		return 0;
	}
	if (err == -EEXIST)
		return 0; /* made_clsact stays as the caller set it */
	pr_warn("%s: cannot create the clsact qdisc: %s\n", st->name, strerror(-err));
	return err;
}

static int xdp_attach(struct attach_state *st, int prog_fd, enum xdp_attach_mode mode)
{
	struct xdp_program *prog;
	int fd, err;

	/* libxdp closes the fd it is given when the program is freed: give it a copy */
	fd = dup(prog_fd);
	if (fd < 0)
		return -errno;
	prog = xdp_program__from_fd(fd);
	err = libxdp_get_error(prog);
	if (err) {
		close(fd);
		return err;
	}
	err = xdp_program__attach(prog, (int)st->ifindex, mode, 0);
	if (err) {
		xdp_program__close(prog);
		return err;
	}
	st->xdp = prog;
	st->xdp_mode = mode;
	return 0;
}

/*
 * XDP ingress for want = AUTO (on a physical NIC), XDP or XDP_GENERIC. Sets
 * st->ingress to the hook in use; TC means auto found no native XDP.
 */
static int attach_xdp_ingress(struct attach_state *st, enum engine_hook want, int xdp_fd)
{
	int err;

	if (want != ENGINE_HOOK_XDP_GENERIC) {
		err = xdp_attach(st, xdp_fd, XDP_MODE_NATIVE);
		if (!err) {
			st->ingress = ENGINE_HOOK_XDP;
			return 0;
		}
		if (want == ENGINE_HOOK_AUTO) {
			pr_info("%s: the driver does not run XDP natively (%s); using tc ingress\n",
				st->name, strerror(-err));
			st->ingress = ENGINE_HOOK_TC;
			return 0;
		}
		pr_info("%s: native XDP failed (%s); falling back to generic XDP\n", st->name,
			strerror(-err));
	}
	err = xdp_attach(st, xdp_fd, XDP_MODE_SKB);
	if (err) {
		pr_warn("%s: cannot attach the XDP program: %s\n", st->name, strerror(-err));
		return err;
	}
	st->ingress = ENGINE_HOOK_XDP_GENERIC;
	return 0;
}

int attach_iface(struct attach_state *st, enum engine_hook want,
		 const struct attach_progs *progs, bool quiet)
{
	bool physical = iface_is_physical(st->name);
	char driver[32], why[64];
	int err;

	iface_driver(st->name, driver, sizeof(driver));
	snprintf(why, sizeof(why), "%s%s%s",
		 want != ENGINE_HOOK_AUTO ? "forced" : physical ? "physical device" : "virtual device",
		 *driver ? ", driver " : "", driver);
	if (want == ENGINE_HOOK_AUTO && !physical)
		want = ENGINE_HOOK_TC;
	err = clsact_ensure(st);
	if (err)
		return err;
	st->ingress = ENGINE_HOOK_TC;
	if (want != ENGINE_HOOK_TC) {
		err = attach_xdp_ingress(st, want, progs->xdp_fd);
		if (err)
			goto fail;
	}
	if (st->ingress == ENGINE_HOOK_TC) {
		err = tc_attach_one(st, BPF_TC_INGRESS, progs->tc_ingress_fd);
		if (err)
			goto fail;
		st->tc_ingress = true;
	}
	err = tc_attach_one(st, BPF_TC_EGRESS, progs->tc_egress_fd);
	if (err)
		goto fail;
	st->tc_egress = true;
	if (!quiet)
		pr_info("%s: ingress on %s (%s), egress on tc\n", st->name,
			engine_hook_name(st->ingress), why);
	return 0;
fail:
	detach_iface(st);
	return err;
}

void clsact_destroy(uint32_t ifindex)
{
	struct bpf_tc_hook hook;

	tc_hook_init(&hook, ifindex, BPF_TC_INGRESS | BPF_TC_EGRESS);
	bpf_tc_hook_destroy(&hook);
}

void detach_iface(struct attach_state *st)
{
	if (st->xdp) {
		xdp_program__detach(st->xdp, (int)st->ifindex, st->xdp_mode, 0);
		xdp_program__close(st->xdp);
		st->xdp = NULL;
	}
	if (st->tc_ingress)
		tc_detach_one(st->ifindex, BPF_TC_INGRESS);
	if (st->tc_egress)
		tc_detach_one(st->ifindex, BPF_TC_EGRESS);
	st->tc_ingress = st->tc_egress = false;
	if (st->made_clsact) {
		clsact_destroy(st->ifindex);
		st->made_clsact = false;
	}
}

/* The libxdp view of what runs at XDP on ifindex, or NULL when nothing does. */
static struct xdp_multiprog *xdp_programs(uint32_t ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex((int)ifindex);

	if (!mp || libxdp_get_error(mp))
		return NULL;
	return mp;
}

static bool xdp_has_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strncmp(xdp_program__name(p) ?: "", "gt_", 3);
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (!strncmp(xdp_program__name(p) ?: "", "gt_", 3))
			return true;
	return false;
}

void leftovers_find(uint32_t ifindex, struct leftovers *lo)
{
	struct xdp_multiprog *mp = xdp_programs(ifindex);
	uint32_t id;

	memset(lo, 0, sizeof(*lo));
	if (mp) {
		lo->xdp = xdp_has_ours(mp);
		xdp_multiprog__close(mp);
	}
	id = tc_query_ours(ifindex, BPF_TC_INGRESS);
	lo->tc_ingress = id && prog_is_ours(id);
	id = tc_query_ours(ifindex, BPF_TC_EGRESS);
	lo->tc_egress = id && prog_is_ours(id);
	if (lo->tc_egress)
		lo->tc_egress_prog_id = id;
}

static int xdp_remove_ours(uint32_t ifindex, struct xdp_multiprog *mp)
{
	enum xdp_attach_mode mode = xdp_multiprog__attach_mode(mp);
	struct xdp_program *p;
	int n = 0;

	if (xdp_multiprog__is_legacy(mp))
		return xdp_multiprog__detach(mp) ? 0 : 1;
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (!strncmp(xdp_program__name(p) ?: "", "gt_", 3) &&
		    !xdp_program__detach(p, (int)ifindex, mode, 0))
			n++;
	return n;
}

int leftovers_remove(uint32_t ifindex)
{
	struct leftovers lo;
	int n = 0;

	leftovers_find(ifindex, &lo);
	if (lo.xdp) {
		struct xdp_multiprog *mp = xdp_programs(ifindex);

		if (mp) {
			n += xdp_remove_ours(ifindex, mp);
			xdp_multiprog__close(mp);
		}
	}
	if (lo.tc_ingress) {
		tc_detach_one(ifindex, BPF_TC_INGRESS);
		n++;
	}
	if (lo.tc_egress) {
		tc_detach_one(ifindex, BPF_TC_EGRESS);
		n++;
	}
	leftovers_find(ifindex, &lo);
	return leftovers_any(&lo) ? -EBUSY : n;
}
