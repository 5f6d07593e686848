/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Logging to stderr, as xdp-tools' lib/util/logging.h does: one lower-case line
 * per message, "gotracer: " first, printf-checked. libbpf's own messages are
 * bridged into the same levels.
 */
#ifndef GT_LOG_H
#define GT_LOG_H

enum log_level {
	LOG_LEVEL_WARN = 0,
	LOG_LEVEL_INFO = 1,
	LOG_LEVEL_DEBUG = 2,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Route libbpf's messages through our levels (libbpf debug only at LOG_LEVEL_DEBUG). */
void log_bridge_libbpf(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* GT_LOG_H */
