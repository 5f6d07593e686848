// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gotracer cleanup [-i IF]...: take off GoTracer programs that a killed run left
 * on the interfaces (all interfaces when none is named). Programs of a gotracer
 * that is still running are left alone: stop that one instead.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "capture/engine.h"
#include "util/caps.h"
#include "util/log.h"

/* 0 nothing to do or removed, 1 failed or owned by a live gotracer. */
static int cleanup_one(const char *name, bool named, int *removed)
{
	struct engine_iface_status st;
	int n;

	n = engine_cleanup_iface(name);
	if (n == -ENODEV) {
		pr_warn("no such interface '%s'\n", name);
		return 1;
	}
	if (n == -EBUSY) {
		engine_iface_status(name, &st);
		if (!named && !st.xdp && !st.tc_ingress && !st.tc_egress)
			return 0;
		if (st.pid)
			pr_warn("%s: a running gotracer (pid %d) owns these programs; stop it instead\n",
				name, st.pid);
		else
			pr_warn("%s: a running gotracer owns these programs; stop it instead\n",
				name);
		return 1;
	}
	if (n < 0) {
		pr_warn("%s: cannot remove GoTracer programs: %s\n", name, strerror(-n));
		return 1;
	}
	if (n > 0)
		printf("%s: removed %d leftover GoTracer program%s\n", name, n, n == 1 ? "" : "s");
	*removed += n;
	return 0;
}

int cmd_cleanup(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *named[64];
	int n_named = 0, removed = 0, status = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (n_named >= (int)(sizeof(named) / sizeof(named[0]))) {
				pr_warn("too many interfaces\n");
				return 2;
			}
			named[n_named++] = optarg;
			break;
		case 'h':
			printf("usage: gotracer cleanup [-i IF]...\n"
			       "  remove GoTracer programs left behind by a run that was killed\n"
			       "  (every interface when no -i is given)\n");
			return 0;
		default:
			fprintf(stderr, "usage: gotracer cleanup [-i IF]...\n");
			return 2;
		}
	}
	if (optind < argc) {
		pr_warn("unexpected argument '%s'; usage: gotracer cleanup [-i IF]...\n", argv[optind]);
		return 2;
	}
	if (!caps_check_capture())
		return 1;
	if (n_named) {
		for (int i = 0; i < n_named; i++)
			status |= cleanup_one(named[i], true, &removed);
	} else {
		struct if_nameindex *all = if_nameindex(), *it;

		if (!all) {
			pr_warn("cannot list the interfaces: %m\n");
			return 1;
		}
		for (it = all; it->if_index; it++)
			status |= cleanup_one(it->if_name, false, &removed);
		if_freenameindex(all);
	}
	if (!removed && !status)
		printf("no leftover GoTracer programs found\n");
	return status;
}
