// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The stop flag and its signal handlers (see stop.h). */
#include <signal.h>
#include <stddef.h>

#include "stop.h"

static volatile sig_atomic_t stop_flag;
static void (*volatile stop_hook)(void);

static void on_stop_signal(int sig)
{
	void (*hook)(void) = stop_hook;

	(void)sig;
	stop_flag = 1;
	if (hook)
		hook();
}

void stop_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

bool stop_requested(void)
{
	return stop_flag;
}

void stop_request(void)
{
	stop_flag = 1;
}

void stop_set_hook(void (*fn)(void))
{
	stop_hook = fn;
}
