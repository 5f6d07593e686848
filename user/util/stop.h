/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Stopping cleanly: Ctrl-C, kill, hang-up and a closed pipe (| head) all set
 * one flag, so whatever ends a capture, its programs come off the interface.
 */
#ifndef GT_STOP_H
#define GT_STOP_H

#include <stdbool.h>

/* Install the handlers, without SA_RESTART so a blocking wait returns EINTR. */
void stop_signals_install(void);
bool stop_requested(void);
/* Ask the loop to end, as a signal would. */
void stop_request(void);
/* Also call fn from the handler (async-signal-safe work only: waking a poll). */
void stop_set_hook(void (*fn)(void));

#endif /* GT_STOP_H */
