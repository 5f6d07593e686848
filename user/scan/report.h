/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Collects a scan's results per host for the final table and the nmap XML, and
 * prints each result as a JSON line as it comes.
 */
#ifndef GT_SCAN_REPORT_H
#define GT_SCAN_REPORT_H

#include <stdio.h>
#include <time.h>

#include "scan.h"

struct report_port {
	struct scan_result port;	/* SCAN_R_PORT */
	struct scan_result service;	/* SCAN_R_SERVICE when has_service */
	bool has_service;
};

struct report_host {
	uint32_t addr;
	struct scan_result host;	/* merged SCAN_R_HOST facts */
	bool up;
	struct report_port *ports;
	size_t n_ports, cap_ports;
};

struct scan_report {
	enum scan_kind kind;
	struct report_host *hosts;
	size_t n_hosts, cap_hosts;
	uint32_t *index;	/* open addressing: address -> position + 1 (0 = empty) */
	size_t index_cap;	/* a power of two, at least twice n_hosts */
	time_t start, end;
	char args[512];		/* the command line, for nmaprun@args */
	char services[512];	/* the ports as given, for scaninfo@services */
	size_t n_targets, n_ports;
};

void report_init(struct scan_report *r, enum scan_kind kind);
int report_add(struct scan_report *r, const struct scan_result *res);
void report_free(struct scan_report *r);
/* hosts in address order, ports in number order */
void report_sort(struct scan_report *r);
void report_print_table(const struct scan_report *r, FILE *out);
void report_print_json(const struct scan_result *res, FILE *out);
/* the same object as report_print_json prints (cJSON), for the job model */
struct cJSON;
struct cJSON *report_result_json(const struct scan_result *res);
/* nmap_xml.c: nmap's -oX format */
int report_write_nmap_xml(const struct scan_report *r, FILE *out);

#endif /* GT_SCAN_REPORT_H */
