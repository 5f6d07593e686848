// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The per-interface instance lock (see lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

#define LOCK_DIR "/run/gotracer"

static void lock_path(const char *ifname, char *buf, size_t len)
{
	struct stat self, init;

	/* pid 1's namespace may be unreadable (containers): then always qualify */
	if (stat("/proc/self/ns/net", &self))
		snprintf(buf, len, LOCK_DIR "/%s.lock", ifname);
	else if (stat("/proc/1/ns/net", &init) == 0 && self.st_ino == init.st_ino)
		snprintf(buf, len, LOCK_DIR "/%s.lock", ifname);
	else
		snprintf(buf, len, LOCK_DIR "/%s@%lu.lock", ifname, (unsigned long)self.st_ino);
}

/* The lock file: "PID\n", then "clsact\n" once the holder created the qdisc. */
static pid_t read_holder(int fd, bool *clsact)
{
	char buf[64] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (clsact)
		*clsact = n > 0 && strstr(buf, "\nclsact\n");
	return n > 0 ? (pid_t)strtol(buf, NULL, 10) : 0;
}

int instance_lock(const char *ifname, pid_t *holder, bool *stale_clsact)
{
	char path[128], pid[32];
	int fd, n;

	if (mkdir(LOCK_DIR, 0755) && errno != EEXIST)
		return -errno;
	lock_path(ifname, path, sizeof(path));
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

		if (holder)
			*holder = read_holder(fd, NULL);
		close(fd);
		return err;
	}
	read_holder(fd, stale_clsact);
	/* the pid is for messages only; the lock itself is the truth */
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* harmless: only the "pid N" of another instance's message is lost */
	}
	return fd;
}

void instance_note_clsact(int fd)
{
	static const char note[] = "clsact\n";
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0 || pwrite(fd, note, sizeof(note) - 1, end) != sizeof(note) - 1) {
		/* only a later cleanup of an empty qdisc depends on it */
	}
}

void instance_unlock(int fd)
{
	/* the file stays: unlinking it would race with a newcomer's open */
	if (fd >= 0)
		close(fd);
}

bool instance_running(const char *ifname, pid_t *holder)
{
	char path[128];
	bool held;
	int fd;

	lock_path(ifname, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	held = flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK;
	if (held && holder)
		*holder = read_holder(fd, NULL);
	close(fd);
	return held;
}
