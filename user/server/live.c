// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The server's capture: the engine on the chosen interfaces, each packet
 * filtered, dissected once for its summary and stored; summaries go out in
 * numbered batches, and capture changes from any page apply to everyone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"
#include "filter/filter.h"
#include "stats/classify.h"
#include "util/iface.h"
#include "util/log.h"

static void on_packet(void *user, const struct gt_event *ev, const uint8_t *data)
{
	struct server *s = user;
	const struct engine_iface *ifc;
	struct store_packet pkt = { 0 };
	struct dx_packet *dx = s->dx;

	if (!s->cap.running || s->stopping)
		return;
	if (s->filter && !filter_match(s->filter, data, ev->cap_len, ev->wire_len, ev->dir))
		return;
	ifc = engine_iface(s->engine, engine_iface_index(s->engine, ev->ifindex));
	pkt.ts_ns = engine_boot_to_real_ns(ev->ts_ns);
	dx_set_capture(dx, ev->dir, pkt.ts_ns, s->streams);
	dx->summary_only = true;	/* the row's columns; the tree is built on request */
	dx_init(dx, data, ev->cap_len, ev->wire_len, ifc ? ifc->linktype : DX_LINK_ETHERNET);
	dx_dissect(dx);
	live_counts_add(&s->counts, dx, ev->wire_len);
	classify_captured(ev, data, dx);

	pkt.wirelen = ev->wire_len;
	pkt.caplen = ev->cap_len;
	pkt.sport = dx->sport;
	pkt.dport = dx->dport;
	pkt.dir = ev->dir;
	pkt.enc = dx->flags & DX_F_ENCRYPTED ? STORE_ENC_ENCRYPTED :
		  dx->flags & DX_F_PLAINTEXT ? STORE_ENC_PLAINTEXT : STORE_ENC_NONE;
	pkt.linktype = (uint16_t)(ifc ? ifc->linktype : DX_LINK_ETHERNET);
	pkt.reassembled = !!(dx->flags & DX_F_REASSEMBLED);
	snprintf(pkt.iface, sizeof(pkt.iface), "%s", ifc ? ifc->name : "");
	snprintf(pkt.proto, sizeof(pkt.proto), "%s", dx->protocol ? dx->protocol : "Data");
	snprintf(pkt.src, sizeof(pkt.src), "%s", dx->src);
	snprintf(pkt.dst, sizeof(pkt.dst), "%s", dx->dst);
	store_add(s->store, &pkt, data, dx->info);
	if (store_last_no(s->store) + 1 - s->batch_next >= BATCH_PACKETS)
		live_flush_batches(s);
}

static void on_engine_readable(void *arg)
{
	struct server *s = arg;

	if (s->engine)
		engine_consume(s->engine);
}

static int push_config(struct server *s)
{
	struct gt_config cfg;

	if (engine_get_config(s->engine, &cfg))
		memset(&cfg, 0, sizeof(cfg));
	cfg.snaplen = s->cap.snaplen;
	cfg.flags &= ~(uint32_t)(GT_CFG_ACCOUNT_ONLY | GT_CFG_CAPTURE_OFF);
	if (s->cap.account)
		cfg.flags |= GT_CFG_ACCOUNT_ONLY;
	if (!s->cap.running)
		cfg.flags |= GT_CFG_CAPTURE_OFF;
	return engine_set_config(s->engine, &cfg);
}

/* Kernel rules for the filter: fewer packets reach us; userspace still decides. */
static void push_rules(struct server *s)
{
	struct gt_rule rules[GT_MAX_RULES];
	uint32_t n = s->filter ? filter_kernel_rules(s->filter, rules, GT_MAX_RULES) : 0;

	if (engine_set_rules(s->engine, rules, n))
		pr_info("kernel filtering unavailable; filtering in userspace only\n");
}

static int engine_start(struct server *s)
{
	struct engine_opts eo = {
		.hook = s->opts.hook,
		.snaplen = s->cap.snaplen,
		.account_only = s->cap.account,
		.quiet = true,
	};
	int err;

	for (int i = 0; i < s->cap.n_ifaces; i++)
		eo.ifaces[i] = s->cap.ifaces[i];
	eo.n_ifaces = s->cap.n_ifaces;
	err = engine_open(&s->engine, &eo, on_packet, s);
	if (err) {
		s->engine = NULL;
		return err;
	}
	memset(s->prev, 0, sizeof(s->prev));
	if (push_config(s)) {
		engine_close(s->engine);
		s->engine = NULL;
		return -EIO;
	}
	push_rules(s);
	s->engine_watch.on_readable = on_engine_readable;
	s->engine_watch.arg = s;
	if (fd_watch_start(s, &s->engine_watch, engine_fd(s->engine))) {
		engine_close(s->engine);
		s->engine = NULL;
		return -EIO;
	}
	return 0;
}

static void engine_stop(struct server *s)
{
	if (!s->engine)
		return;
	/* what is already in the ring belongs to the old settings: take it first */
	engine_drain(s->engine);
	fd_watch_stop(&s->engine_watch);
	engine_close(s->engine);
	s->engine = NULL;
}

int live_open(struct server *s)
{
	char err[256];

	s->cap.snaplen = s->opts.snaplen ? s->opts.snaplen : GT_SNAPLEN_DEFAULT;
	s->cap.account = s->opts.account;
	s->cap.running = true;
	s->cap.n_ifaces = s->opts.n_ifaces;
	for (int i = 0; i < s->opts.n_ifaces; i++)
		snprintf(s->cap.ifaces[i], sizeof(s->cap.ifaces[i]), "%s", s->opts.ifaces[i]);
	s->cap.filter = strdup(s->opts.filter ? s->opts.filter : "");
	if (!s->cap.filter)
		return -ENOMEM;
	if (*s->cap.filter &&
	    filter_compile(&s->filter, s->cap.filter, DX_LINK_ETHERNET, err, sizeof(err))) {
		pr_warn("bad filter '%s': %s\n", s->cap.filter, err);
		return -EINVAL;
	}
	s->batch_next = store_last_no(s->store) + 1;
	return engine_start(s);
}

void live_close(struct server *s)
{
	engine_stop(s);
	filter_free(s->filter);
	s->filter = NULL;
	free(s->cap.filter);
	s->cap.filter = NULL;
}

int live_reattach(struct server *s)
{
	int err;

	flow_export_flush(&s->account, s->engine);	/* the old map's flows, exported */
	engine_stop(s);
	err = engine_start(s);
	if (err)
		snprintf(s->cap.error, sizeof(s->cap.error), "capture lost: cannot re-attach");
	else
		s->cap.error[0] = '\0';
	broadcast_json(s, live_state_json(s));
	if (err)
		pr_warn("cannot attach again (error %d)\n", err);
	else
		pr_info("attached again to %d interface%s\n", s->cap.n_ifaces,
			s->cap.n_ifaces == 1 ? "" : "s");
	return err;
}

static bool same_ifaces(const struct server *s, const struct ws_capture_change *chg)
{
	if (chg->n_ifaces != s->cap.n_ifaces)
		return false;
	for (int i = 0; i < chg->n_ifaces; i++)
		if (strcmp(chg->ifaces[i], s->cap.ifaces[i]))
			return false;
	return true;
}

/* Re-attach on a new set of interfaces; on failure, back to the old set. */
static int change_ifaces(struct server *s, const struct ws_capture_change *chg, char *err,
			 size_t errlen)
{
	struct capture_settings old = s->cap;
	int ret;

	for (int i = 0; i < chg->n_ifaces; i++) {
		if (!iface_index(chg->ifaces[i])) {
			snprintf(err, errlen, "unknown interface '%s'", chg->ifaces[i]);
			return -1;
		}
	}
	engine_stop(s);
	memcpy(s->cap.ifaces, chg->ifaces, sizeof(s->cap.ifaces));
	s->cap.n_ifaces = chg->n_ifaces;
	ret = engine_start(s);
	if (!ret)
		return 0;
	snprintf(err, errlen, "cannot capture on the new interfaces (error %d); kept the old ones",
		 ret);
	memcpy(s->cap.ifaces, old.ifaces, sizeof(s->cap.ifaces));
	s->cap.n_ifaces = old.n_ifaces;
	if (engine_start(s))
		snprintf(s->cap.error, sizeof(s->cap.error), "capture lost: cannot re-attach");
	return -1;
}

int live_apply(struct server *s, const struct ws_capture_change *chg, char *err, size_t errlen)
{
	struct gt_filter *f = NULL;
	char ferr[256];

	/* validate everything before changing anything */
	if (chg->has_filter && *chg->filter &&
	    filter_compile(&f, chg->filter, DX_LINK_ETHERNET, ferr, sizeof(ferr))) {
		snprintf(err, errlen, "bad filter '%.200s': %s", chg->filter, ferr);
		return -1;
	}
	if (chg->has_ifaces && !same_ifaces(s, chg) && change_ifaces(s, chg, err, errlen)) {
		filter_free(f);
		return -1;
	}
	if (chg->has_filter) {
		char *text = strdup(chg->filter);

		if (!text) {
			filter_free(f);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/* packets already in the ring passed the old filter: take them first */
		if (s->engine)
			engine_drain(s->engine);
		filter_free(s->filter);
		s->filter = f;
		free(s->cap.filter);
		s->cap.filter = text;
	}
	if (chg->has_snaplen)
		s->cap.snaplen = chg->snaplen;
	if (chg->has_account)
		s->cap.account = chg->account;
	s->cap.error[0] = '\0';
	if (s->engine) {
		if (chg->has_filter)
			push_rules(s);
		if ((chg->has_snaplen || chg->has_account) && push_config(s)) {
			snprintf(err, errlen, "cannot change the kernel configuration");
			return -1;
		}
	}
	return 0;
}

int live_set_running(struct server *s, bool running, char *err, size_t errlen)
{
	if (!s->engine) {
		snprintf(err, errlen, "no capture is attached");
		return -1;
	}
	if (!running)
		engine_drain(s->engine);
	s->cap.running = running;
	if (push_config(s)) {
		snprintf(err, errlen, "cannot change the kernel configuration");
		return -1;
	}
	return 0;
}

void live_clear(struct server *s)
{
	store_clear(s->store);
	memset(&s->counts, 0, sizeof(s->counts));
	s->batch_next = store_last_no(s->store) + 1;
	for (struct client *c = s->clients; c; c = c->next) {
		c->next_no = s->batch_next;
		c->lost_pending = 0;
	}
}

cJSON *live_state_json(const struct server *s)
{
	cJSON *o = cJSON_CreateObject(), *arr;

	cJSON_AddStringToObject(o, "type", "capture_state");
	cJSON_AddBoolToObject(o, "running", s->cap.running && s->engine);
	arr = cJSON_AddArrayToObject(o, "interfaces");
	for (int i = 0; i < s->cap.n_ifaces; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s->cap.ifaces[i]));
	cJSON_AddStringToObject(o, "filter", s->cap.filter ? s->cap.filter : "");
	cJSON_AddNumberToObject(o, "snaplen", s->cap.snaplen);
	cJSON_AddBoolToObject(o, "account", s->cap.account);
	if (s->cap.error[0])
		cJSON_AddStringToObject(o, "error", s->cap.error);
	else
		cJSON_AddNullToObject(o, "error");
	return o;
}

/* Packets first..last will never reach c; one report per run of the same reason. */
static void note_lost(struct client *c, uint64_t first, uint64_t last, const char *reason)
{
	if (c->lost_pending && strcmp(c->lost_reason, reason))
		client_send_lost(c);
	if (!c->lost_pending) {
		c->lost_first = first;
		c->lost_reason = reason;
	}
	c->lost_last = last;
	c->lost_pending += last - first + 1;
	c->lost_total += last - first + 1;
}

static void offer_batch(struct client *c, struct out_msg *m, uint64_t first, uint64_t last)
{
	if (!c->want_packets || last < c->next_no)
		return;
	/* evicted from the store before they could be sent to anyone */
	if (first > c->next_no)
		note_lost(c, c->next_no, first - 1, "evicted");
	c->next_no = last + 1;
	if (c->queued_bytes && c->queued_bytes + m->len > c->srv->client_queue_bytes) {
		note_lost(c, first, last, "slow_client");
		return;
	}
	/* the gap is explained before the batch after it arrives */
	if (c->lost_pending)
		client_send_lost(c);
	/* the report itself may have taken the last room: then this batch is lost too */
	if (!client_queue(c, m))
		note_lost(c, first, last, "slow_client");
}

void live_flush_batches(struct server *s)
{
	uint64_t last = store_last_no(s->store);

	/* packets evicted before they were ever sent are skipped, not resent */
	if (s->batch_next < store_first_no(s->store))
		s->batch_next = store_first_no(s->store);
	while (s->batch_next <= last) {
		uint64_t n = last - s->batch_next + 1, first = s->batch_next;
		struct out_msg *m = NULL;

		if (n > BATCH_PACKETS)
			n = BATCH_PACKETS;
		s->batch_next += n;
		for (struct client *c = s->clients; c; c = c->next) {
			if (!c->want_packets || first + n - 1 < c->next_no)
				continue;
			if (!m) {
				jw_reset(&s->batch_text);
				packets_batch_write(&s->batch_text, s, first, n);
				if (jw_failed(&s->batch_text))
					return;
				m = out_msg_from_text(jw_text(&s->batch_text),
						      jw_len(&s->batch_text), true);
				if (!m)
					return;
			}
			offer_batch(c, m, first, first + n - 1);
		}
		out_msg_unref(m);
	}
}
