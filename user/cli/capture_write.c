// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `capture -w FILE`: packets and kernel counters into a capture file. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "capture_write.h"
#include "util/log.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int capture_write_open(struct capture_write *w, const char *path, const struct engine *e,
		       uint32_t snaplen)
{
	char err[512];
	int ret;

	ret = capture_file_open(&w->file, path, err, sizeof(err));
	if (ret) {
		pr_warn("%s\n", err);
		return ret;
	}
	w->start_ns = now_ns();
	w->n_ifaces = engine_n_ifaces(e);
	for (int i = 0; i < w->n_ifaces && i < ENGINE_MAX_IFACES; i++) {
		const struct engine_iface *ifc = engine_iface(e, i);

		ret = capture_file_add_interface(w->file, ifc->name, ifc->linktype,
						 snaplen ? snaplen : GT_SNAPLEN_DEFAULT);
		if (ret < 0) {
			pr_warn("cannot write %s: %s\n", path,
				ret == -EINVAL ? "a .pcap file holds one link type; use .pcapng" :
						 "write failed");
			capture_file_close(w->file, err, sizeof(err));
			w->file = NULL;
			return ret;
		}
		w->if_ids[i] = ret;
	}
	return 0;
}

void capture_write_packet(struct capture_write *w, const struct engine *e,
			  const struct gt_event *ev, const uint8_t *data, uint64_t ts_ns)
{
	int idx = engine_iface_index(e, ev->ifindex);

	if (!w->file || idx < 0 || idx >= w->n_ifaces)
		return;
	capture_file_write(w->file, w->if_ids[idx], ts_ns, data, ev->cap_len, ev->wire_len,
			   ev->dir);
}

int capture_write_close(struct capture_write *w, const struct engine *e)
{
	uint64_t end = now_ns();
	char err[512];
	int ret;

	if (!w->file)
		return 0;
	for (int i = 0; e && i < w->n_ifaces; i++) {
		const struct engine_iface *ifc = engine_iface(e, i);
		struct pcapng_if_stats st = { .ts_ns = end, .start_ns = w->start_ns, .end_ns = end,
					      .has_ifrecv = true, .has_ifdrop = true,
					      .has_osdrop = true };
		struct gt_if_counters c;

		if (engine_read_counters(e, ifc->ifindex, &c))
			continue;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			st.ifrecv += c.dir[d].packets;
			st.ifdrop += c.dir[d].ring_drops;
		}
		/* userspace drops nothing on the way to the file */
		st.osdrop = 0;
		capture_file_write_stats(w->file, w->if_ids[i], &st);
	}
	ret = capture_file_close(w->file, err, sizeof(err));
	w->file = NULL;
	if (ret)
		pr_warn("%s\n", err);
	return ret;
}
