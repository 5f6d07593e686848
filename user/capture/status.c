// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What GoTracer has on an interface, and removing what a killed run left (see engine.h). */
#include <errno.h>
#include <string.h>

#include "attach.h"
#include "engine.h"
#include "lock.h"
#include "util/iface.h"
#include "util/log.h"

int engine_iface_status(const char *ifname, struct engine_iface_status *st)
{
	uint32_t ifindex = iface_index(ifname);
	struct leftovers lo;
	pid_t pid = 0;

	memset(st, 0, sizeof(*st));
	if (!ifindex)
		return -ENODEV;
	log_bridge_libbpf();
	attach_bridge_libxdp_log();
	leftovers_find(ifindex, &lo);
	st->xdp = lo.xdp;
	st->tc_ingress = lo.tc_ingress;
	st->tc_egress = lo.tc_egress;
	st->running = instance_running(ifname, &pid);
	st->pid = (int)pid;
	return 0;
}

int engine_cleanup_iface(const char *ifname)
{
	uint32_t ifindex = iface_index(ifname);
	bool stale_clsact = false;
	int lock_fd, n;

	if (!ifindex)
		return -ENODEV;
	log_bridge_libbpf();
	attach_bridge_libxdp_log();
	/* holding the lock keeps a new gotracer from starting while we clean */
	lock_fd = instance_lock(ifname, NULL, &stale_clsact);
	if (lock_fd < 0)
		return lock_fd;
	n = leftovers_remove(ifindex);
	if (n > 0 && stale_clsact)
		clsact_destroy(ifindex);
	instance_unlock(lock_fd);
	return n;
}
