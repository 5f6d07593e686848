// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* pcapng or classic pcap on disk, chosen by the file name (see capture_file.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_file.h"
#include "pcap_writer.h"

struct capture_file {
	FILE *f;
	char *path;
	bool classic;
	struct pcapng_writer *ng;
	struct pcap_writer *pcap;
	int pcap_linktype;
	int error;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

int capture_file_open(struct capture_file **out, const char *path, char *err, size_t errlen)
{
	struct capture_file *cf = calloc(1, sizeof(*cf));
	int ret;

	*out = NULL;
	if (!cf || !(cf->path = strdup(path))) {
		free(cf);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cf->classic = ends_with(path, ".pcap");
	cf->f = fopen(path, "wb");
	if (!cf->f) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!cf->classic) {
		cf->ng = pcapng_writer_new(cf->f);
		if (!cf->ng) {
			ret = -errno;
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
			goto fail;
		}
	}
	*out = cf;
	return 0;
fail:
	if (cf->f)
		fclose(cf->f);
	free(cf->path);
	free(cf);
	return ret;
}

int capture_file_add_interface(struct capture_file *cf, const char *name, int linktype,
			       uint32_t snaplen)
{
	if (!cf->classic)
		return pcapng_add_interface(cf->ng, name, linktype, snaplen);
	/* classic pcap has one link type and no interfaces: all share id 0 */
	if (cf->pcap)
		return linktype == cf->pcap_linktype ? 0 : -EINVAL;
	cf->pcap = pcap_writer_new(cf->f, linktype, snaplen);
	if (!cf->pcap)
		return -errno;
	cf->pcap_linktype = linktype;
	return 0;
}

int capture_file_write(struct capture_file *cf, int if_id, uint64_t ts_ns,
		       const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint8_t dir)
{
	int ret;

	if (cf->classic)
		ret = cf->pcap ? pcap_write_packet(cf->pcap, ts_ns, data, caplen, wirelen) : -EINVAL;
	else
		ret = pcapng_write_packet(cf->ng, if_id, ts_ns, data, caplen, wirelen, dir);
	if (ret && !cf->error)
		cf->error = -ret;
	return ret;
}

int capture_file_write_stats(struct capture_file *cf, int if_id,
			     const struct pcapng_if_stats *s)
{
	return cf->classic ? 0 : pcapng_write_stats(cf->ng, if_id, s);
}

int capture_file_close(struct capture_file *cf, char *err, size_t errlen)
{
	int ret, error;

	if (!cf)
		return 0;
	ret = cf->classic ? pcap_writer_free(cf->pcap) : pcapng_writer_free(cf->ng);
	error = cf->error ? cf->error : -ret;
	if (fclose(cf->f) && !error)
		error = errno;
	if (error)
		snprintf(err, errlen, "cannot write %s: %s", cf->path, strerror(error));
	free(cf->path);
	free(cf);
	return -error;
}
