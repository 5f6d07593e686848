// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "log.h"

static enum log_level current_level = LOG_LEVEL_INFO;

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > current_level)
		return;
	fputs("gotracer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum log_level ours = level == LIBBPF_WARN ? LOG_LEVEL_WARN :
			      level == LIBBPF_INFO ? LOG_LEVEL_DEBUG : LOG_LEVEL_DEBUG + 1;

	/* libbpf warns on paths we handle ourselves; show them only when debugging */
	if (ours == LOG_LEVEL_WARN)
		ours = LOG_LEVEL_DEBUG;
	if (ours > current_level)
		return 0;
	fputs("libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

void log_bridge_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
