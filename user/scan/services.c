// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Port numbers to service names, and the "top ports" by how often they are
 * found open. nmap's nmap-services ($NMAPDIR or /usr/share/nmap) is read at run
 * time when installed (its third column is that frequency); otherwise a small built-in
 * table, in nmap's order, stands in.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmap_probes.h"
#include "scan.h"

struct service_entry {
	uint16_t port;
	double freq;
	char name[24];
};

/* nmap's most frequently open TCP ports, most frequent first */
static const struct service_entry builtin[] = {
	{ 80, 0, "http" }, { 23, 0, "telnet" }, { 443, 0, "https" }, { 21, 0, "ftp" },
	{ 22, 0, "ssh" }, { 25, 0, "smtp" }, { 3389, 0, "ms-wbt-server" }, { 110, 0, "pop3" },
	{ 445, 0, "microsoft-ds" }, { 139, 0, "netbios-ssn" }, { 143, 0, "imap" },
	{ 53, 0, "domain" }, { 135, 0, "msrpc" }, { 3306, 0, "mysql" }, { 8080, 0, "http-proxy" },
	{ 1723, 0, "pptp" }, { 111, 0, "rpcbind" }, { 995, 0, "pop3s" }, { 993, 0, "imaps" },
	{ 5900, 0, "vnc" }, { 1025, 0, "NFS-or-IIS" }, { 587, 0, "submission" },
	{ 8888, 0, "sun-answerbook" }, { 199, 0, "smux" }, { 1720, 0, "h323q931" },
	{ 465, 0, "smtps" }, { 548, 0, "afp" }, { 113, 0, "ident" }, { 81, 0, "hosts2-ns" },
	{ 6001, 0, "X11:1" }, { 10000, 0, "snet-sensor-mgmt" }, { 514, 0, "shell" },
	{ 5060, 0, "sip" }, { 179, 0, "bgp" }, { 1026, 0, "LSA-or-nterm" }, { 2000, 0, "cisco-sccp" },
	{ 8443, 0, "https-alt" }, { 8000, 0, "http-alt" }, { 32768, 0, "filenet-tms" },
	{ 554, 0, "rtsp" }, { 26, 0, "rsftp" }, { 1433, 0, "ms-sql-s" }, { 49152, 0, "unknown" },
	{ 2001, 0, "dc" }, { 515, 0, "printer" }, { 8008, 0, "http" }, { 49154, 0, "unknown" },
	{ 1027, 0, "IIS" }, { 5666, 0, "nrpe" }, { 646, 0, "ldp" }, { 6379, 0, "redis" },
	{ 5432, 0, "postgresql" }, { 27017, 0, "mongod" },
};

static struct service_entry *table;	/* by frequency, most frequent first */
static size_t table_n;
static const char *names[65536];
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static int by_freq(const void *a, const void *b)
{
	const struct service_entry *x = a, *y = b;

	return x->freq < y->freq ? 1 : x->freq > y->freq ? -1 : (int)x->port - (int)y->port;
}

static void load_nmap_services(void)
{
	char line[512];
	FILE *f;
	size_t cap = 0;

	nmap_data_path("nmap-services", line, sizeof(line));
	f = fopen(line, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char name[24], proto[8];
		unsigned int port;
		double freq;
		struct service_entry *e;

		if (line[0] == '#' || sscanf(line, "%23s %u/%7s %lf", name, &port, proto, &freq) != 4)
			continue;
		if (strcmp(proto, "tcp") || port == 0 || port > 65535)
			continue;
		if (table_n == cap) {
			cap = cap ? cap * 2 : 4096;
			e = realloc(table, cap * sizeof(*table));
			if (!e)
				break;
			table = e;
		}
		e = &table[table_n++];
		e->port = port;
		e->freq = freq;
		snprintf(e->name, sizeof(e->name), "%s", name);
	}
	fclose(f);
	if (table_n)
		qsort(table, table_n, sizeof(*table), by_freq);
}

static void load(void)
{
	load_nmap_services();
	if (!table_n) {
		table = malloc(sizeof(builtin));
		if (table) {
			memcpy(table, builtin, sizeof(builtin));
			table_n = sizeof(builtin) / sizeof(builtin[0]);
		}
	}
	/* the most frequent name of a port wins */
	for (size_t i = table_n; i-- > 0;)
		names[table[i].port] = table[i].name;
}

const char *scan_service_name(uint16_t port)
{
	pthread_once(&loaded, load);
	return names[port] ? names[port] : "unknown";
}

int scan_ports_add_top(struct scan_ports *p, unsigned int n)
{
	int err = 0;

	pthread_once(&loaded, load);
	for (size_t i = 0; i < table_n && i < n && !err; i++)
		err = scan_ports_add_list(p, &table[i].port, 1);
	return err;
}
