/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * nmap's service fingerprints (/usr/share/nmap/nmap-service-probes), read at
 * run time when nmap is installed: the NULL probe (banner) and GetRequest
 * matches, PCRE2 regexes with nmap's p/ v/ i/ templates.
 */
#ifndef GT_SCAN_NMAP_PROBES_H
#define GT_SCAN_NMAP_PROBES_H

#include <stdbool.h>
#include <stddef.h>

#define NMAP_DATA_DIR "/usr/share/nmap"

/* $NMAPDIR/name when NMAPDIR is set (as nmap itself does), else /usr/share/nmap/name */
void nmap_data_path(const char *name, char *buf, size_t len);

enum nmap_probe {
	NMAP_PROBE_NULL,	/* nothing sent: the banner */
	NMAP_PROBE_GET,		/* "GET / HTTP/1.0\r\n\r\n" */
	NMAP_PROBE_COUNT,
};

struct nmap_match {
	char service[32];
	char product[64];
	char version[64];
	char info[160];
};

/* loads the file once (path NULL: the installed one); false when absent */
bool nmap_probes_load(const char *path);
/* the first hard match of the response, as nmap would name it */
bool nmap_probes_match(enum nmap_probe probe, const unsigned char *resp, size_t len,
		       struct nmap_match *out);
size_t nmap_probes_count(enum nmap_probe probe);
/* forgets what was loaded, so the next use loads again (tests) */
void nmap_probes_reset(void);

#endif /* GT_SCAN_NMAP_PROBES_H */
