// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Privilege and kernel-support checks (see caps.h). */
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool cap_effective(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

bool caps_check_capture(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	char missing[96] = "";
	bool admin;

	/* no libcap dependency for one syscall */
	if (syscall(SYS_capget, &hdr, data)) {
		pr_warn("cannot read the process capabilities: %m\n");
		return false;
	}
	admin = cap_effective(data, CAP_SYS_ADMIN);
	if (!admin && !cap_effective(data, CAP_BPF))
		snprintf(missing, sizeof(missing), "CAP_BPF");
	if (!admin && !cap_effective(data, CAP_PERFMON))
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%sCAP_PERFMON",
			 *missing ? ", " : "");
	if (!cap_effective(data, CAP_NET_ADMIN))
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			 "%sCAP_NET_ADMIN", *missing ? ", " : "");
	if (!*missing)
		return true;
	pr_warn("not enough privilege: missing %s (run as root or grant them with setcap)\n",
		missing);
	return false;
}

bool caps_check_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return true;
	pr_warn("this kernel exposes no BTF (/sys/kernel/btf/vmlinux is missing): "
		"GoTracer needs a kernel built with CONFIG_DEBUG_INFO_BTF\n");
	return false;
}
