// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Subcommands that are designed (see ARCHITECTURE.md) but not built yet. Each
 * says so plainly and exits non-zero; the file shrinks as they land.
 */
#include "commands.h"
#include "../util/log.h"

#define PENDING(fn, what)                                                        \
	int fn(int argc, char **argv)                                            \
	{                                                                        \
		(void)argc;                                                      \
		(void)argv;                                                      \
		pr_warn("'%s' is not built yet in this version\n", what);        \
		return 2;                                                        \
	}

PENDING(cmd_trace, "trace")
PENDING(cmd_ping, "ping")
PENDING(cmd_wifi, "wifi")
