/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gotracer subcommands. Each takes its own argv (argv[0] is the subcommand)
 * and returns the process exit status: 0 success, 1 runtime failure, 2 bad usage.
 */
#ifndef GT_COMMANDS_H
#define GT_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_flows(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_ifaces(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_wifi(int argc, char **argv);

#endif /* GT_COMMANDS_H */
