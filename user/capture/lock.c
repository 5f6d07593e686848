// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The per-interface instance lock (see lock.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
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

/* Whether fd is still the file at path: the holder before us may have unlinked it. */
static bool still_linked(int fd, const char *path)
{
	struct stat held, named;

	return !fstat(fd, &held) && !stat(path, &named) && held.st_ino == named.st_ino &&
	       held.st_dev == named.st_dev;
}

/* Whether a network namespace with this inode still exists: named, or a process's. */
static bool netns_alive(unsigned long ino)
{
	static const char *const dirs[] = { "/run/netns", "/proc" };
	char path[300];
	struct stat st;
	struct dirent *d;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *dir = opendir(dirs[i]);

		if (!dir)
			continue;
		while ((d = readdir(dir))) {
			if (i == 0)
				snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
			else if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
				snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
			else
				continue;
			if (!stat(path, &st) && st.st_ino == ino) {
				closedir(dir);
				return true;
			}
		}
		closedir(dir);
	}
	return false;
}

/*
 * Lock files of runs that ended without their clean exit (kill -9, a namespace
 * deleted under them): nobody holds them. Taken and unlinked under their own
 * lock, as a clean exit does; one whose clsact note the next run on that
 * interface still needs is kept, unless its namespace is gone.
 */
static void sweep_stale(void)
{
	char path[sizeof(LOCK_DIR) + 300];
	struct dirent *d;
	DIR *dir = opendir(LOCK_DIR);

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		const char *at = strrchr(d->d_name, '@');
		bool clsact;
		int fd;

		if (n < 6 || strcmp(d->d_name + n - 5, ".lock"))
			continue;
		snprintf(path, sizeof(path), LOCK_DIR "/%s", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			read_holder(fd, &clsact);
			if (clsact && at)
				clsact = netns_alive(strtoul(at + 1, NULL, 10));
			if (!clsact && still_linked(fd, path))
				unlink(path);
		}
		close(fd);
	}
	closedir(dir);
}

int instance_lock(const char *ifname, pid_t *holder, bool *stale_clsact)
{
	char path[128], pid[32];
	int fd, n;

	if (mkdir(LOCK_DIR, 0755) && errno != EEXIST)
		return -errno;
	sweep_stale();
	lock_path(ifname, path, sizeof(path));
	for (;;) {
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
		/* locked a file its last holder unlinked on the way out: open afresh */
		if (still_linked(fd, path))
			break;
		close(fd);
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
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (fd < 0)
		return;
	/*
	 * Unlinked while still locked, then closed: a newcomer that opened the old
	 * file meanwhile sees, once it holds the lock, that the file is gone from
	 * the directory (still_linked) and opens a new one.
	 */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		if (!strncmp(path, LOCK_DIR "/", sizeof(LOCK_DIR)) && still_linked(fd, path))
			unlink(path);
	}
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
