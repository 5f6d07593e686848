// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The once-a-second accounting work: flow table, bandwidth rings, IPFIX. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/ipfix.h"
#include "flow_export.h"
#include "util/log.h"
#include "util/numparse.h"

#define NS_PER_S 1000000000ull

int flow_timeout_parse(const char *option, const char *arg, uint64_t *ns)
{
	uint64_t s;

	if (!parse_u64_range(arg, 1, FLOW_TIMEOUT_MAX_S, &s)) {
		pr_warn("bad %s '%s': seconds from 1 to %d\n", option, arg, FLOW_TIMEOUT_MAX_S);
		return -EINVAL;
	}
	*ns = s * NS_PER_S;
	return 0;
}

int flow_export_init(struct flow_export *x, const char *ipfix, uint64_t idle_timeout_ns,
		     uint64_t active_timeout_ns)
{
	int err;

	memset(x, 0, sizeof(*x));
	x->bw = calloc(ENGINE_MAX_IFACES, sizeof(*x->bw));
	if (!x->bw)
		return -ENOMEM;
	if (ipfix) {
		uint64_t refresh = (uint64_t)IPFIX_TEMPLATE_REFRESH_S * NS_PER_S;

		/* a collector that starts late learns the templates within a timeout */
		if (active_timeout_ns && active_timeout_ns < refresh)
			refresh = active_timeout_ns;
		err = ipfix_open(&x->ipfix, ipfix, active_timeout_ns, refresh);
		if (err) {
			free(x->bw);
			x->bw = NULL;
			return err;
		}
	}
	flow_table_init(&x->flows, idle_timeout_ns, x->ipfix ? ipfix_on_flow_end : NULL, x->ipfix);
	return 0;
}

static struct bw_history *bw_of(struct flow_export *x, uint32_t ifindex, bool create)
{
	for (int i = 0; i < x->n_bw; i++)
		if (x->bw[i].ifindex == ifindex)
			return &x->bw[i];
	if (!create)
		return NULL;
	if (x->n_bw == ENGINE_MAX_IFACES)	/* the oldest interface gives its ring up */
		memmove(x->bw, x->bw + 1, --x->n_bw * sizeof(*x->bw));
	bw_init(&x->bw[x->n_bw], ifindex);
	return &x->bw[x->n_bw++];
}

void flow_export_tick(struct flow_export *x, struct engine *e, uint64_t now_boot_ns)
{
	struct gt_if_counters c;

	if (e) {
		flow_table_update(&x->flows, e, now_boot_ns);
		for (int i = 0; i < engine_n_ifaces(e); i++) {
			uint32_t ifindex = engine_iface(e, i)->ifindex;

			if (!engine_read_counters(e, ifindex, &c))
				bw_record(bw_of(x, ifindex, true), &c, now_boot_ns);
		}
	}
	if (x->ipfix)
		ipfix_tick(x->ipfix, &x->flows, now_boot_ns);
}

void flow_export_flush(struct flow_export *x, struct engine *e)
{
	uint64_t now = boot_now_ns();

	if (e)
		flow_table_update(&x->flows, e, now);
	flow_table_flush(&x->flows);
	if (x->ipfix)
		ipfix_tick(x->ipfix, NULL, now);
}

void flow_export_free(struct flow_export *x)
{
	ipfix_close(x->ipfix);
	x->ipfix = NULL;
	flow_table_free(&x->flows);
	free(x->bw);
	x->bw = NULL;
	x->n_bw = 0;
}

cJSON *flow_export_bandwidth_json(const struct flow_export *x, uint32_t ifindex,
				  uint32_t seconds)
{
	const struct bw_history *h = bw_of((struct flow_export *)x, ifindex, false);
	cJSON *o = cJSON_CreateObject();

	for (int d = 0; d < GT_DIR_COUNT; d++) {
		cJSON *arr = cJSON_AddArrayToObject(o, d == GT_DIR_IN ? "in" : "out");
		uint32_t n = h ? (h->count < seconds ? h->count : seconds) : 0;

		for (uint32_t i = n; i-- > 0;)
			cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)bw_recent(h, d, i)->bytes));
	}
	return o;
}

cJSON *flow_export_history_json(const struct flow_export *x, struct engine *e)
{
	cJSON *o = cJSON_CreateObject(), *arr;

	cJSON_AddNumberToObject(o, "interval", 1);
	arr = cJSON_AddArrayToObject(o, "interfaces");
	for (int i = 0; e && i < engine_n_ifaces(e); i++) {
		const struct engine_iface *ifc = engine_iface(e, i);
		cJSON *h = flow_export_bandwidth_json(x, ifc->ifindex, BW_SAMPLES);

		cJSON_AddStringToObject(h, "name", ifc->name);
		cJSON_AddNumberToObject(h, "index", ifc->ifindex);
		cJSON_AddItemToArray(arr, h);
	}
	return o;
}
