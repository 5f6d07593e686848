/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One GoTracer per interface: a flock on /run/gotracer/IFNAME.lock held for the
 * process lifetime. A held lock is a live instance; GoTracer programs on an
 * interface whose lock nobody holds are leftovers of a killed run. The kernel
 * drops the lock when the process dies, even on kill -9.
 *
 * Interface names repeat across network namespaces (every test namespace has a
 * "gt0"), so outside the initial namespace (or when we cannot tell, as in a
 * container where pid 1's namespace is unreadable) the name carries the
 * namespace's inode: /run/gotracer/gt0@4026532281.lock.
 */
#ifndef GT_LOCK_H
#define GT_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

/* Take the lock of ifname; returns the fd to keep, -EBUSY when another live
 * gotracer holds it (*holder = its pid when known), or another -errno.
 * *stale_clsact (may be NULL) tells whether the previous, dead holder had
 * created the interface's clsact qdisc. */
int instance_lock(const char *ifname, pid_t *holder, bool *stale_clsact);
/* Record in the lock file that this instance created the clsact qdisc, so the
 * next run can take it down if this one is killed before it does. */
void instance_note_clsact(int fd);
void instance_unlock(int fd);
/* Whether a live gotracer holds ifname's lock (and its pid, when known). */
bool instance_running(const char *ifname, pid_t *holder);

#endif /* GT_LOCK_H */
