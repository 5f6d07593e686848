// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The BPF test harness: see harness.h. */
#include <errno.h>
#include <ifaddrs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "gotracer.skel.h"

const enum gt_hook harness_hooks[3] = { GT_HOOK_XDP, GT_HOOK_TC_IN, GT_HOOK_TC_OUT };

const char *harness_hook_name(enum gt_hook hook)
{
	switch (hook) {
	case GT_HOOK_XDP:
		return "xdp";
	case GT_HOOK_TC_IN:
		return "tc-ingress";
	case GT_HOOK_TC_OUT:
		return "tc-egress";
	}
	return "?";
}

static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int harness_setup_env(void)
{
	static int done, result;
	cpu_set_t cpus;

	if (done)
		return result;
	done = 1;
	libbpf_set_print(print_warnings);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
		result = -errno;
		fprintf(stderr, "harness: cannot pin to cpu 0: %s\n", strerror(errno));
		return result;
	}
	if (unshare(CLONE_NEWNET)) {
		result = -errno;
		fprintf(stderr, "harness: cannot make a network namespace: %s\n", strerror(errno));
		return result;
	}
	/* No IPv6 autoconfiguration chatter on the veth: the live tests count every frame. */
	if (system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
		   "net.ipv6.conf.default.disable_ipv6=1 && "
		   "ip link add gtk0 type veth peer name gtk1 && "
		   "ip link set gtk0 up && ip link set gtk1 up")) {
		result = -ENODEV;
		fprintf(stderr, "harness: cannot make the veth pair gtk0/gtk1\n");
	}
	return result;
}

uint32_t harness_veth_ifindex(int end)
{
	if (harness_setup_env())
		return 0;
	return if_nametoindex(end ? "gtk1" : "gtk0");
}

int harness_link_stats(const char *name, struct harness_link_stats *out)
{
	struct ifaddrs *ifa, *i;
	int err = -ENOENT;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		const struct rtnl_link_stats *s = i->ifa_data;

		if (!s || !i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, name))
			continue;
		*out = (struct harness_link_stats){ .tx_packets = s->tx_packets,
						    .tx_bytes = s->tx_bytes,
						    .rx_packets = s->rx_packets,
						    .rx_bytes = s->rx_bytes };
		err = 0;
	}
	freeifaddrs(ifa);
	return err;
}

int harness_tc_attach(struct bpf_tc_hook *hook, bool *made, uint32_t ifindex,
		      enum bpf_tc_attach_point point, int prog_fd)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	int err;

	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = (int)ifindex;
	hook->attach_point = point;
	if (!*made) {
		err = bpf_tc_hook_create(hook);
		if (err && err != -EEXIST)
			return err;
		*made = !err;
	}
	return bpf_tc_attach(hook, &opts);
}

void harness_tc_detach(struct bpf_tc_hook *hook, bool made)
{
	/* Only a clsact this suite created goes away, with whatever is on it. */
	if (!made)
		return;
	hook->attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	bpf_tc_hook_destroy(hook);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct harness *h = ctx;
	const struct gt_event *ev = data;
	struct harness_event *slot;

	if (size < sizeof(*ev) || ev->hdr_len != sizeof(*ev) ||
	    size < sizeof(*ev) + ev->cap_len) {
		h->bad_record = true;
		return 0;
	}
	if (h->on_event)
		h->on_event(h->user, ev, (const uint8_t *)data + sizeof(*ev));
	if (h->n_events < HARNESS_MAX_EVENTS) {
		slot = &h->events[h->n_events];
		slot->ev = *ev;
		slot->data = malloc(ev->cap_len ? ev->cap_len : 1);
		if (slot->data)
			memcpy(slot->data, (const uint8_t *)data + sizeof(*ev), ev->cap_len);
	}
	h->n_events++;
	return 0;
}

static void free_events(struct harness *h)
{
	int n = h->n_events < HARNESS_MAX_EVENTS ? h->n_events : HARNESS_MAX_EVENTS;

	for (int i = 0; i < n; i++) {
		free(h->events[i].data);
		h->events[i].data = NULL;
	}
	h->n_events = 0;
	h->bad_record = false;
}

int harness_open(struct harness *h, uint32_t ring_bytes)
{
	return harness_open_sized(h, ring_bytes, 0);
}

int harness_open_sized(struct harness *h, uint32_t ring_bytes, uint32_t ifstats_entries)
{
	int err;

	memset(h, 0, sizeof(*h));
	err = harness_setup_env();
	if (err)
		return err;
	h->skel = gotracer_bpf__open();
	if (!h->skel)
		return -errno;
	if (ring_bytes)
		bpf_map__set_max_entries(h->skel->maps.gt_events, ring_bytes);
	if (ifstats_entries)
		bpf_map__set_max_entries(h->skel->maps.gt_ifstats, ifstats_entries);
	err = gotracer_bpf__load(h->skel);
	if (err) {
		fprintf(stderr, "harness: loading the programs failed: %s\n", strerror(-err));
		gotracer_bpf__destroy(h->skel);
		h->skel = NULL;
		return err;
	}
	h->rb = ring_buffer__new(bpf_map__fd(h->skel->maps.gt_events), on_event, h, NULL);
	if (!h->rb) {
		err = -errno;
		harness_close(h);
		return err;
	}
	return 0;
}

void harness_close(struct harness *h)
{
	free_events(h);
	ring_buffer__free(h->rb);
	gotracer_bpf__destroy(h->skel);
	memset(h, 0, sizeof(*h));
}

static int prog_fd(struct harness *h, enum gt_hook hook)
{
	switch (hook) {
	case GT_HOOK_XDP:
		return bpf_program__fd(h->skel->progs.gt_xdp);
	case GT_HOOK_TC_IN:
		return bpf_program__fd(h->skel->progs.gt_tc_ingress);
	case GT_HOOK_TC_OUT:
		return bpf_program__fd(h->skel->progs.gt_tc_egress);
	}
	return -EINVAL;
}

int harness_run(struct harness *h, enum gt_hook hook, const void *frame, uint32_t len,
		const struct run_opts *opts)
{
	static const struct run_opts none;
	struct __sk_buff skb = {};
	struct xdp_md xdp = {};
	int err;
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = frame, .data_size_in = len, .repeat = 1);

	if (!opts)
		opts = &none;
	if (hook == GT_HOOK_XDP) {
		/* Without a context the kernel runs XDP as if on lo. */
		if (opts->ifindex) {
			xdp.data_end = len;
			xdp.ingress_ifindex = opts->ifindex;
			topts.ctx_in = &xdp;
			topts.ctx_size_in = sizeof(xdp);
		}
	} else {
		skb.ifindex = opts->ifindex;
		skb.gso_segs = opts->gso_segs;
		skb.gso_size = opts->gso_size;
		topts.ctx_in = &skb;
		topts.ctx_size_in = sizeof(skb);
	}
	err = bpf_prog_test_run_opts(prog_fd(h, hook), &topts);
	if (err)
		return err < 0 ? err : -EINVAL;
	return (int)topts.retval;
}

int harness_collect(struct harness *h, int want, int max_polls)
{
	int err;

	free_events(h);
	for (int i = 0; i < max_polls && h->n_events < want; i++) {
		err = ring_buffer__poll(h->rb, 50);
		if (err < 0 && err != -EINTR)
			return err;
	}
	return h->n_events;
}

int harness_drain(struct harness *h)
{
	int err;

	free_events(h);
	err = ring_buffer__consume(h->rb);
	return err < 0 ? err : h->n_events;
}

static int clear_map(int fd, size_t key_size)
{
	uint8_t key[64], next[64];
	int err;

	if (key_size > sizeof(key))
		return -EINVAL;
	/* Always delete the first key: deleting while walking skips entries. */
	while (!(err = bpf_map_get_next_key(fd, NULL, next))) {
		memcpy(key, next, key_size);
		if (bpf_map_delete_elem(fd, key))
			return -errno;
	}
	return err == -ENOENT ? 0 : err;
}

int harness_reset(struct harness *h)
{
	struct gt_rule none = {};
	int err;

	err = clear_map(bpf_map__fd(h->skel->maps.gt_flows), sizeof(struct gt_flow_key));
	if (!err)
		err = clear_map(bpf_map__fd(h->skel->maps.gt_ifstats), sizeof(uint32_t));
	if (!err)
		err = harness_set_config(h, 0, 0, 0);
	if (!err)
		err = harness_set_rules(h, &none, 0);
	harness_drain(h);
	free_events(h);
	return err;
}

int harness_set_config(struct harness *h, uint32_t flags, uint32_t snaplen, uint32_t sample_every)
{
	int fd = bpf_map__fd(h->skel->maps.gt_config_map);
	struct gt_config cfg = {};
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		return -errno;
	cfg.flags = flags;
	cfg.snaplen = snaplen;
	cfg.sample_every = sample_every;
	return bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

int harness_set_rules(struct harness *h, const struct gt_rule *rules, uint32_t n)
{
	int cfd = bpf_map__fd(h->skel->maps.gt_config_map);
	int rfd = bpf_map__fd(h->skel->maps.gt_rules);
	struct gt_config cfg = {};
	uint32_t zero = 0;

	for (uint32_t i = 0; i < n; i++)
		if (bpf_map_update_elem(rfd, &i, &rules[i], BPF_ANY))
			return -errno;
	if (bpf_map_lookup_elem(cfd, &zero, &cfg))
		return -errno;
	cfg.n_rules = n;
	return bpf_map_update_elem(cfd, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

int harness_dir_counters(struct harness *h, uint32_t ifindex, enum gt_dir dir,
			 struct gt_dir_counters *out)
{
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(h->skel->maps.gt_ifstats);
	struct gt_if_counters *percpu;

	memset(out, 0, sizeof(*out));
	if (ncpu <= 0)
		return -EINVAL;
	percpu = calloc((size_t)ncpu, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &ifindex, percpu)) {
		int err = errno == ENOENT ? 0 : -errno;

		free(percpu);
		return err;
	}
	for (int c = 0; c < ncpu; c++)
		gt_dir_counters_add(out, &percpu[c].dir[dir]);
	free(percpu);
	return 0;
}

int harness_only_flow(struct harness *h, struct gt_flow_key *key, struct gt_flow_value *val)
{
	int fd = bpf_map__fd(h->skel->maps.gt_flows), n = 0;
	struct gt_flow_key k, next;
	const struct gt_flow_key *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (n == 0) {
			*key = next;
			if (bpf_map_lookup_elem(fd, &next, val))
				return -errno;
		}
		n++;
		k = next;
		prev = &k;
	}
	return n;
}
