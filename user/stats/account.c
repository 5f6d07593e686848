// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The accounting loop. A re-attach is a full engine_close + engine_open: the
 * engine has no partial re-attach, and an interface that came back is a new
 * device for the kernel anyway. The flow table is flushed (exported) first, so
 * nothing counted before the re-attach is lost to the collector.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "flow_export.h"
#include "util/iface.h"
#include "util/log.h"
#include "util/stop.h"

#define TICK_NS 1000000000u
#define RETRY_TICKS 10

static volatile sig_atomic_t reload_flag;

static void on_hup(int sig)
{
	(void)sig;
	reload_flag = 1;
}

struct account {
	struct engine **e;
	struct engine_opts *eopts;
	const struct account_opts *ao;
	char names[ENGINE_MAX_IFACES][16];	/* the configured interfaces */
	int n_names;
	char filter[1024];
	struct flow_export x;
	uint32_t attached_index[ENGINE_MAX_IFACES];
	bool waiting[ENGINE_MAX_IFACES];	/* said once that it is missing */
	int retry_in;				/* ticks until a failed attach is tried again */
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int account_read_config(const char *path, char names[][16], int max, int *n, char *filter,
			size_t filter_len)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

	if (!f) {
		pr_warn("cannot read the configuration %s: %s\n", path, strerror(errno));
		return -errno;
	}
	*n = 0;
	filter[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *arg;

		lineno++;
		if (!*s || *s == '#')
			continue;
		arg = s + strcspn(s, " \t");
		if (*arg)
			*arg++ = '\0';
		arg = trim(arg);
		if (!strcmp(s, "interface") && *arg && strlen(arg) < 16 && *n < max) {
			strcpy(names[(*n)++], arg);
		} else if (!strcmp(s, "filter") && strlen(arg) < filter_len) {
			strcpy(filter, arg);
		} else {
			pr_warn("%s:%d: expected 'interface IF' or 'filter EXPR'\n", path, lineno);
			fclose(f);
			return -EINVAL;
		}
	}
	fclose(f);
	if (!*n) {
		pr_warn("%s: no interface given\n", path);
		return -EINVAL;
	}
	return 0;
}

static void apply_filter(struct account *a)
{
	struct gt_rule rules[GT_MAX_RULES];
	struct gt_filter *f;
	char err[256];
	uint32_t n = 0;

	if (!*a->e)
		return;
	if (a->filter[0]) {
		if (filter_compile(&f, a->filter, DX_LINK_ETHERNET, err, sizeof(err))) {
			pr_warn("bad filter '%s': %s; keeping the previous one\n", a->filter, err);
			return;
		}
		n = filter_kernel_rules(f, rules, GT_MAX_RULES);
		filter_free(f);
	}
	engine_set_rules(*a->e, rules, n);
}

/* Close the engine (exporting its flows) and attach to every configured
 * interface that exists now. */
static void reattach(struct account *a)
{
	int n = 0;

	flow_export_flush(&a->x, *a->e);
	engine_close(*a->e);
	*a->e = NULL;
	for (int i = 0; i < a->n_names; i++) {
		uint32_t idx = iface_index(a->names[i]);

		a->attached_index[i] = idx;
		if (!idx) {
			if (!a->waiting[i])
				pr_info("%s is not there: waiting for it to come back\n", a->names[i]);
			a->waiting[i] = true;
			continue;
		}
		a->waiting[i] = false;
		a->eopts->ifaces[n++] = a->names[i];
	}
	a->eopts->n_ifaces = n;
	if (!n)
		return;
	if (engine_open(a->e, a->eopts, NULL, NULL)) {
		/* said once by engine_open; tried again every RETRY_TICKS, not every tick */
		*a->e = NULL;
		a->retry_in = RETRY_TICKS;
		pr_info("attaching again in %d s\n", RETRY_TICKS);
		return;
	}
	apply_filter(a);
	pr_info("accounting on %d interface%s\n", n, n == 1 ? "" : "s");
}

/* An interface whose index changed, that appeared, or lost our programs. */
static bool needs_reattach(struct account *a)
{
	for (int i = 0; i < a->n_names; i++) {
		uint32_t idx = iface_index(a->names[i]);
		struct engine_iface_status st;

		if (idx != a->attached_index[i]) {
			if (idx)
				pr_info("%s is back (index %u): attaching again\n", a->names[i], idx);
			else if (!a->waiting[i])
				pr_info("%s went away\n", a->names[i]);
			return idx || !a->waiting[i];
		}
		if (idx && !engine_iface_status(a->names[i], &st) && !st.tc_egress) {
			pr_info("%s lost GoTracer's programs: attaching again\n", a->names[i]);
			return true;
		}
	}
	return false;
}

static void reload(struct account *a)
{
	char names[ENGINE_MAX_IFACES][16], filter[sizeof(a->filter)];
	int n;

	if (!a->ao->config_path) {
		pr_info("SIGHUP: attaching again with the same interfaces and filter\n");
	} else if (account_read_config(a->ao->config_path, names, ENGINE_MAX_IFACES, &n, filter,
				       sizeof(filter))) {
		pr_warn("SIGHUP: keeping the running configuration\n");
		return;
	} else {
		memcpy(a->names, names, sizeof(names));
		a->n_names = n;
		strcpy(a->filter, filter);
		pr_info("SIGHUP: configuration %s read again\n", a->ao->config_path);
	}
	memset(a->waiting, 0, sizeof(a->waiting));
	reattach(a);
}

static void tick(struct account *a, uint64_t now)
{
	if (a->retry_in && !--a->retry_in)
		reattach(a);
	else if (!a->retry_in && needs_reattach(a))
		reattach(a);
	flow_export_tick(&a->x, *a->e, now);
}

int account_run(struct engine **e, struct engine_opts *eopts, const struct account_opts *ao)
{
	struct sigaction sa = { .sa_handler = on_hup };
	struct account a = { .e = e, .eopts = eopts, .ao = ao };
	uint64_t next_tick;
	int err = 0;

	for (int i = 0; i < eopts->n_ifaces; i++) {
		snprintf(a.names[i], sizeof(a.names[i]), "%s", eopts->ifaces[i]);
		eopts->ifaces[i] = a.names[i];	/* the engine options point at our copies */
		a.attached_index[i] = iface_index(a.names[i]);
	}
	a.n_names = eopts->n_ifaces;
	if (ao->filter)
		snprintf(a.filter, sizeof(a.filter), "%s", ao->filter);
	err = flow_export_init(&a.x, ao->ipfix, ao->idle_timeout_ns, ao->active_timeout_ns);
	if (err)
		return err;
	if (ao->ipfix)
		pr_info("exporting flows over IPFIX to %s\n", ao->ipfix);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);	/* a reload, not a stop, while accounting */
	next_tick = boot_now_ns() + TICK_NS;
	while (!stop_requested()) {
		uint64_t now;

		if (*e)
			engine_poll(*e, 200);
		else
			nanosleep(&(struct timespec){ .tv_nsec = 200000000 }, NULL);
		if (reload_flag) {
			reload_flag = 0;
			reload(&a);
		}
		now = boot_now_ns();
		if (now >= next_tick) {
			tick(&a, now);
			next_tick = now + TICK_NS;
		}
	}
	/* the last word: every flow still in the table goes to the collector */
	flow_export_flush(&a.x, *e);
	flow_export_free(&a.x);
	return 0;
}
