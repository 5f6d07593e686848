// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The capture engine (see engine.h). Lifecycle as libbpf-bootstrap's
 * bootstrap.c: check privileges, open the skeleton, size the maps, load, write
 * the config, attach, then poll the ring buffer; engine_close is the one cleanup
 * path, and it only takes off what this engine put on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gotracer.skel.h"

#include "attach.h"
#include "engine.h"
#include "lock.h"
#include "dissect/dissect.h"
#include "util/caps.h"
#include "util/iface.h"
#include "util/log.h"

struct engine {
	struct gotracer_bpf *skel;	/* NULL in a view of a running instance */
	struct ring_buffer *rb;
	engine_packet_fn fn;
	void *user;
	/* map fds: the skeleton's, or our own in a view (view_fds) */
	int config_fd;
	int rules_fd;
	int flows_fd;
	int ifstats_fd;
	bool view_fds;
	int ncpus;
	int n_ifaces;
	struct engine_iface ifaces[ENGINE_MAX_IFACES];
	struct attach_state attach[ENGINE_MAX_IFACES];
	int lock_fd[ENGINE_MAX_IFACES];
	uint64_t bad_events;
	uint32_t ring_bytes;
	int budget;		/* packets the current poll/consume may still deliver */
};

/* on_event's way to stop the ring buffer's loop once the budget is spent */
#define BUDGET_SPENT (-ECANCELED)

static const char *const hook_names[] = {
	[ENGINE_HOOK_AUTO] = "auto",
	[ENGINE_HOOK_XDP] = "xdp",
	[ENGINE_HOOK_XDP_GENERIC] = "xdp-generic",
	[ENGINE_HOOK_TC] = "tc",
};

const char *engine_hook_name(enum engine_hook hook)
{
	return (unsigned int)hook < sizeof(hook_names) / sizeof(hook_names[0]) ?
		       hook_names[hook] : "?";
}

int engine_hook_parse(const char *name, enum engine_hook *out)
{
	for (unsigned int i = 0; i < sizeof(hook_names) / sizeof(hook_names[0]); i++) {
		if (!strcmp(name, hook_names[i])) {
			*out = (enum engine_hook)i;
			return 0;
		}
	}
	return -EINVAL;
}

static struct engine *engine_new(void)
{
	struct engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->config_fd = e->rules_fd = e->flows_fd = e->ifstats_fd = -1;
	for (int i = 0; i < ENGINE_MAX_IFACES; i++)
		e->lock_fd[i] = -1;
	e->ncpus = libbpf_num_possible_cpus();
	if (e->ncpus < 1)
		e->ncpus = 1;
	return e;
}

void engine_close(struct engine *e)
{
	if (!e)
		return;
	ring_buffer__free(e->rb);
	for (int i = e->n_ifaces - 1; i >= 0; i--)
		detach_iface(&e->attach[i]);
	gotracer_bpf__destroy(e->skel);
	if (e->view_fds) {
		int fds[] = { e->config_fd, e->rules_fd, e->flows_fd, e->ifstats_fd };

		for (unsigned int i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	/* the locks go last: until the programs are off, the interface is ours */
	for (int i = 0; i < ENGINE_MAX_IFACES; i++)
		instance_unlock(e->lock_fd[i]);
	free(e);
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int check_opts(const struct engine_opts *o)
{
	uint32_t page = (uint32_t)sysconf(_SC_PAGESIZE);

	if (o->n_ifaces < 1 || o->n_ifaces > ENGINE_MAX_IFACES) {
		pr_warn("give between 1 and %d interfaces\n", ENGINE_MAX_IFACES);
		return -EINVAL;
	}
	if (o->snaplen > GT_SNAPLEN_MAX) {
		pr_warn("bad snap length %u: at most %u\n", o->snaplen, GT_SNAPLEN_MAX);
		return -EINVAL;
	}
	if (o->ringbuf_bytes && (!is_pow2(o->ringbuf_bytes) || o->ringbuf_bytes < page)) {
		pr_warn("bad ring buffer size %u: a power of two of at least %u bytes\n",
			o->ringbuf_bytes, page);
		return -EINVAL;
	}
	if ((unsigned int)o->hook > ENGINE_HOOK_TC) {
		pr_warn("bad hook %d\n", (int)o->hook);
		return -EINVAL;
	}
	return 0;
}

/* Resolve names, take each interface's lock, and clear what a killed run left. */
static int claim_ifaces(struct engine *e, const struct engine_opts *o)
{
	for (int i = 0; i < o->n_ifaces; i++) {
		const char *name = o->ifaces[i];
		uint32_t ifindex = iface_index(name);
		struct engine_iface *ifc;
		struct leftovers lo;
		bool stale_clsact = false;
		pid_t holder = 0;
		int fd;

		if (!ifindex) {
			pr_warn("no such interface '%s'\n", name ? name : "");
			return -ENODEV;
		}
		if (engine_iface_index(e, ifindex) >= 0)
			continue; /* named twice */
		fd = instance_lock(name, &holder, &stale_clsact);
		if (fd == -EBUSY) {
			if (holder)
				pr_warn("%s is already captured by another gotracer (pid %d); stop it first\n",
					name, (int)holder);
			else
				pr_warn("%s is already captured by another gotracer; stop it first\n",
					name);
			return fd;
		}
		if (fd < 0) {
			pr_warn("cannot take the lock of %s in /run/gotracer: %s\n", name,
				strerror(-fd));
			return fd;
		}
		e->lock_fd[e->n_ifaces] = fd;
		leftovers_find(ifindex, &lo);
		if (leftovers_any(&lo)) {
			pr_info("%s: replacing GoTracer programs left by a run that did not stop cleanly\n",
				name);
			if (leftovers_remove(ifindex) < 0)
				pr_warn("%s: some leftover programs could not be removed\n", name);
			/* the killed run made the clsact: it is ours to take down */
			e->attach[e->n_ifaces].made_clsact = stale_clsact;
		}
		ifc = &e->ifaces[e->n_ifaces];
		snprintf(ifc->name, sizeof(ifc->name), "%s", name);
		ifc->ifindex = ifindex;
		ifc->linktype = DX_LINK_ETHERNET;
		snprintf(e->attach[e->n_ifaces].name, sizeof(e->attach[0].name), "%s", name);
		e->attach[e->n_ifaces].ifindex = ifindex;
		e->n_ifaces++;
	}
	return 0;
}

static int load_programs(struct engine *e, const struct engine_opts *o)
{
	struct gotracer_bpf *skel;
	int err;

	skel = gotracer_bpf__open();
	if (!skel) {
		err = -errno;
		pr_warn("cannot open the BPF programs: %s\n", strerror(-err));
		return err;
	}
	e->skel = skel;
	/* ring buffer and flow table sizes are fixed at load */
	e->ring_bytes = o->ringbuf_bytes ? o->ringbuf_bytes : GT_RINGBUF_DEFAULT;
	bpf_map__set_max_entries(skel->maps.gt_events, e->ring_bytes);
	bpf_map__set_max_entries(skel->maps.gt_flows,
				 o->flow_entries ? o->flow_entries : GT_FLOWS_DEFAULT);
	err = gotracer_bpf__load(skel);
	if (err) {
		pr_warn("cannot load the BPF programs into the kernel: %s%s\n", strerror(-err),
			err == -ENOSYS ? " (this kernel has no BPF support)" : "");
		return err;
	}
	e->config_fd = bpf_map__fd(skel->maps.gt_config_map);
	e->rules_fd = bpf_map__fd(skel->maps.gt_rules);
	e->flows_fd = bpf_map__fd(skel->maps.gt_flows);
	e->ifstats_fd = bpf_map__fd(skel->maps.gt_ifstats);
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct engine *e = ctx;
	const struct gt_event *ev = data;

	/* the kernel is trusted to write what it promises, but check the promise */
	if (size < sizeof(*ev) || ev->version != GT_EVENT_VERSION ||
	    ev->hdr_len < sizeof(*ev) || ev->hdr_len > size ||
	    ev->cap_len > size - ev->hdr_len) {
		if (!e->bad_events++)
			pr_warn("dropping malformed ring-buffer records (version %u, %zu bytes)\n",
				size >= sizeof(*ev) ? ev->version : 0, size);
		return 0;
	}
	if (e->fn)
		e->fn(e->user, ev, (const uint8_t *)data + ev->hdr_len);
	/* libbpf has already moved past this record: stopping loses nothing */
	return --e->budget > 0 ? 0 : BUDGET_SPENT;
}

int engine_open(struct engine **out, const struct engine_opts *o, engine_packet_fn fn,
		void *user)
{
	struct gt_config cfg = {};
	struct engine *e;
	int err;

	*out = NULL;
	/* libbpf >= 1.0 semantics: BPF memory is charged to the cgroup, no rlimit */
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	log_bridge_libbpf();
	attach_bridge_libxdp_log();
	err = check_opts(o);
	if (err)
		return err;
	for (int i = 0; i < o->n_ifaces; i++) {
		if (!iface_index(o->ifaces[i])) {
			pr_warn("no such interface '%s'\n", o->ifaces[i] ? o->ifaces[i] : "");
			return -ENODEV;
		}
	}
	if (!caps_check_btf())
		return -EOPNOTSUPP;
	if (!caps_check_capture())
		return -EPERM;
	e = engine_new();
	if (!e)
		return -ENOMEM;
	e->fn = fn;
	e->user = user;

	err = claim_ifaces(e, o);
	if (err)
		goto fail;
	err = load_programs(e, o);
	if (err)
		goto fail;
	cfg.snaplen = o->snaplen ? o->snaplen : GT_SNAPLEN_DEFAULT;
	cfg.flags = o->account_only ? GT_CFG_ACCOUNT_ONLY : 0;
	cfg.sample_every = o->sample_every;
	err = engine_set_config(e, &cfg);
	if (err) {
		pr_warn("cannot write the capture configuration: %s\n", strerror(-err));
		goto fail;
	}
	e->rb = ring_buffer__new(bpf_map__fd(e->skel->maps.gt_events), on_event, e, NULL);
	if (!e->rb) {
		err = -errno;
		pr_warn("cannot open the ring buffer: %s\n", strerror(-err));
		goto fail;
	}
	for (int i = 0; i < e->n_ifaces; i++) {
		struct attach_progs progs = {
			.xdp_fd = bpf_program__fd(e->skel->progs.gt_xdp),
			.tc_ingress_fd = bpf_program__fd(e->skel->progs.gt_tc_ingress),
			.tc_egress_fd = bpf_program__fd(e->skel->progs.gt_tc_egress),
		};

		err = attach_iface(&e->attach[i], o->hook, &progs, o->quiet);
		if (err)
			goto fail;
		if (e->attach[i].made_clsact)
			instance_note_clsact(e->lock_fd[i]);
		e->ifaces[i].ingress = e->attach[i].ingress;
	}
	*out = e;
	return 0;
fail:
	engine_close(e);
	return err < 0 ? err : -EINVAL;
}

#define PROG_MAX_MAPS 64

/* The map of a loaded program whose name is name; -ENOENT if it has none. */
static uint32_t map_value_size(int fd)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.value_size;
}

static int prog_map_by_name(uint32_t prog_id, const char *name)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info), ids[PROG_MAX_MAPS], n;
	int prog_fd, fd = -ENOENT;

	prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (prog_fd < 0)
		return -errno;
	/* first ask how many maps, then fetch their ids */
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		goto out;
	n = info.nr_map_ids < PROG_MAX_MAPS ? info.nr_map_ids : PROG_MAX_MAPS;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = n;
	info.map_ids = (uint64_t)(unsigned long)ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		goto out;
	for (uint32_t i = 0; i < n && fd < 0; i++) {
		struct bpf_map_info minfo = {};
		uint32_t mlen = sizeof(minfo);
		int mfd = bpf_map_get_fd_by_id(ids[i]);

		if (mfd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(mfd, &minfo, &mlen) && !strcmp(minfo.name, name))
			fd = mfd;
		else
			close(mfd);
	}
out:
	close(prog_fd);
	return fd;
}

/*
 * A view of a running instance's maps. They are found through the egress
 * program it attached to the interface (bpftool's way) rather than through pins
 * in bpffs: `ip netns exec` gives every process its own /sys, so a pin made by
 * the capturing process would be invisible to the `flows` process next to it.
 */
int engine_open_running(struct engine **out, const char *ifname)
{
	struct leftovers lo;
	struct engine *e;
	uint32_t ifindex;

	*out = NULL;
	log_bridge_libbpf();
	attach_bridge_libxdp_log();
	ifindex = iface_index(ifname);
	if (!ifindex) {
		pr_warn("no such interface '%s'\n", ifname ? ifname : "");
		return -ENODEV;
	}
	if (!instance_running(ifname, NULL))
		return -ENOENT;
	leftovers_find(ifindex, &lo);
	if (!lo.tc_egress)
		return -ENOENT;
	e = engine_new();
	if (!e)
		return -ENOMEM;
	e->view_fds = true;
	e->config_fd = prog_map_by_name(lo.tc_egress_prog_id, "gt_config_map");
	e->rules_fd = prog_map_by_name(lo.tc_egress_prog_id, "gt_rules");
	e->flows_fd = prog_map_by_name(lo.tc_egress_prog_id, "gt_flows");
	e->ifstats_fd = prog_map_by_name(lo.tc_egress_prog_id, "gt_ifstats");
	if (e->flows_fd < 0 || e->ifstats_fd < 0) {
		int err = e->flows_fd < 0 ? e->flows_fd : e->ifstats_fd;

		pr_warn("cannot read the maps of the gotracer running on %s: %s\n", ifname,
			strerror(-err));
		engine_close(e);
		return err;
	}
	if (map_value_size(e->ifstats_fd) != sizeof(struct gt_if_counters)) {
		/* a build with other counters (an upgrade while a service runs): not readable */
		pr_warn("the gotracer running on %s is another version: restart it to read its counters\n",
			ifname);
		engine_close(e);
		return -EPROTO;
	}
	snprintf(e->ifaces[0].name, sizeof(e->ifaces[0].name), "%s", ifname);
	e->ifaces[0].ifindex = ifindex;
	e->ifaces[0].ingress = lo.xdp ? ENGINE_HOOK_XDP : ENGINE_HOOK_TC;
	e->ifaces[0].linktype = DX_LINK_ETHERNET;
	/* no attach state: engine_close takes nothing off the interface */
	e->n_ifaces = 0;
	*out = e;
	return 0;
}

int engine_fd(const struct engine *e)
{
	return e->rb ? ring_buffer__epoll_fd(e->rb) : -1;
}

/*
 * libbpf reads the ring until it is empty, which under a flood faster than the
 * callback is never: the caller would not see its stop flag, timers or clients
 * again. So each call delivers at most ENGINE_BUDGET packets; what is left stays
 * in the ring and keeps its fd readable.
 */
static int delivered(struct engine *e, int ret)
{
	int n = ENGINE_BUDGET - e->budget;

	if (ret == BUDGET_SPENT)
		return n;
	return ret < 0 ? ret : n;
}

int engine_poll(struct engine *e, int timeout_ms)
{
	if (!e->rb) {
		if (timeout_ms > 0)
			usleep((useconds_t)timeout_ms * 1000);
		return 0;
	}
	e->budget = ENGINE_BUDGET;
	return delivered(e, ring_buffer__poll(e->rb, timeout_ms)); /* -EINTR on a signal */
}

int engine_consume(struct engine *e)
{
	if (!e->rb)
		return 0;
	e->budget = ENGINE_BUDGET;
	return delivered(e, ring_buffer__consume(e->rb));
}

int engine_drain(struct engine *e)
{
	/* what the ring can hold at most: a record is at least 8 + header bytes */
	uint64_t left = e->ring_bytes / (8 + sizeof(struct gt_event));
	int n, total = 0;

	do {
		n = engine_consume(e);
		if (n < 0)
			return n;
		total += n;
		left = left > (uint64_t)n ? left - (uint64_t)n : 0;
	} while (n == ENGINE_BUDGET && left);
	return total;
}

int engine_n_ifaces(const struct engine *e)
{
	/* a view has one interface and nothing attached */
	return e->view_fds ? 1 : e->n_ifaces;
}

const struct engine_iface *engine_iface(const struct engine *e, int i)
{
	return i >= 0 && i < engine_n_ifaces(e) ? &e->ifaces[i] : NULL;
}

int engine_iface_index(const struct engine *e, uint32_t ifindex)
{
	for (int i = 0; i < engine_n_ifaces(e); i++)
		if (e->ifaces[i].ifindex == ifindex)
			return i;
	return -1;
}

int engine_set_rules(struct engine *e, const struct gt_rule *rules, uint32_t n)
{
	struct gt_config cfg;
	int err;

	if (n > GT_MAX_RULES)
		return -E2BIG;
	err = engine_get_config(e, &cfg);
	if (err)
		return err;
	/* rules first, then the count: the kernel never reads a half-written set */
	for (uint32_t i = 0; i < n; i++) {
		if (bpf_map_update_elem(e->rules_fd, &i, &rules[i], BPF_ANY))
			return -errno;
	}
	cfg.n_rules = n;
	return engine_set_config(e, &cfg);
}

int engine_set_config(struct engine *e, const struct gt_config *cfg)
{
	uint32_t key = 0;

	if (cfg->snaplen > GT_SNAPLEN_MAX || cfg->n_rules > GT_MAX_RULES)
		return -EINVAL;
	return bpf_map_update_elem(e->config_fd, &key, cfg, BPF_ANY) ? -errno : 0;
}

int engine_get_config(const struct engine *e, struct gt_config *cfg)
{
	uint32_t key = 0;

	return bpf_map_lookup_elem(e->config_fd, &key, cfg) ? -errno : 0;
}

int engine_read_counters(const struct engine *e, uint32_t ifindex, struct gt_if_counters *out)
{
	struct gt_if_counters *percpu;
	int err = 0;

	memset(out, 0, sizeof(*out));
	percpu = calloc((size_t)e->ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(e->ifstats_fd, &ifindex, percpu)) {
		/* no entry yet: nothing has passed, all zero */
		err = errno == ENOENT ? 0 : -errno;
		goto out;
	}
	for (int c = 0; c < e->ncpus; c++) {
		for (int d = 0; d < GT_DIR_COUNT; d++)
			gt_dir_counters_add(&out->dir[d], &percpu[c].dir[d]);
	}
out:
	free(percpu);
	return err;
}

/*
 * The flow map in batches (BPF_MAP_LOOKUP_BATCH, one syscall per FLOW_BATCH
 * entries instead of two per entry): the accounting loop reads the whole map
 * every second. Returns -EOPNOTSUPP when the kernel has no batch operations.
 */
#define FLOW_BATCH 1024

static int for_each_flow_batched(const struct engine *e, engine_flow_fn fn, void *user)
{
	struct gt_flow_key *keys = malloc(FLOW_BATCH * sizeof(*keys));
	struct gt_flow_value *vals = malloc(FLOW_BATCH * sizeof(*vals));
	struct gt_flow_key token;	/* opaque position, at least a key's size */
	void *in = NULL;
	int err = 0;

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		__u32 n = FLOW_BATCH;
		bool last;

		err = bpf_map_lookup_batch(e->flows_fd, in, &token, keys, vals, &n, NULL) ? -errno : 0;
		last = err == -ENOENT;
		if (err && !last) {
			/* refused at once (no batch operations): the caller falls back */
			if (!in && (err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP))
				err = -EOPNOTSUPP;
			goto out;
		}
		for (__u32 i = 0; i < n; i++)
			if (fn(user, &keys[i], &vals[i])) {
				err = 0;
				goto out;
			}
		if (last) {
			err = 0;
			break;
		}
		in = &token;
	}
out:
	free(keys);
	free(vals);
	return err;
}

int engine_for_each_flow(const struct engine *e, engine_flow_fn fn, void *user)
{
	struct gt_flow_key key, next;
	struct gt_flow_value val;
	void *prev = NULL;
	int err = for_each_flow_batched(e, fn, user);

	if (err != -EOPNOTSUPP)
		return err;
	while (!bpf_map_get_next_key(e->flows_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(e->flows_fd, &key, &val))
			continue; /* evicted meanwhile */
		if (fn(user, &key, &val))
			return 0;
	}
	return errno == ENOENT ? 0 : -errno;
}

int engine_delete_flow(const struct engine *e, const struct gt_flow_key *key)
{
	return bpf_map_delete_elem(e->flows_fd, key) ? -errno : 0;
}
