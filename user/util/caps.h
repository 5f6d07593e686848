/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Privilege checks made before loading anything, so the error names what is missing. */
#ifndef GT_CAPS_H
#define GT_CAPS_H

#include <stdbool.h>

/*
 * True when the process may load and attach GoTracer's programs: CAP_BPF,
 * CAP_PERFMON (or CAP_SYS_ADMIN for both) and CAP_NET_ADMIN. Otherwise prints
 * one line naming the missing capabilities and returns false.
 */
bool caps_check_capture(void);
/* True when the kernel exposes its BTF (/sys/kernel/btf/vmlinux); else one line. */
bool caps_check_btf(void);

#endif /* GT_CAPS_H */
