// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Scan results gathered per host; the end-of-scan table and the JSON lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"

void report_init(struct scan_report *r, enum scan_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->start = time(NULL);
}

void report_free(struct scan_report *r)
{
	for (size_t i = 0; i < r->n_hosts; i++)
		free(r->hosts[i].ports);
	free(r->hosts);
	free(r->index);
	memset(r, 0, sizeof(*r));
}

static size_t index_slot(const struct scan_report *r, uint32_t addr)
{
	size_t mask = r->index_cap - 1, i = (addr * 2654435761u) & mask;

	while (r->index[i] && r->hosts[r->index[i] - 1].addr != addr)
		i = (i + 1) & mask;
	return i;
}

/* sweeps of a /16 give tens of thousands of hosts: find them by hash, not by walking */
static int index_grow(struct scan_report *r)
{
	size_t cap = r->index_cap ? r->index_cap * 2 : 64;
	uint32_t *old = r->index;

	r->index = calloc(cap, sizeof(*r->index));
	if (!r->index) {
		r->index = old;
		return -ENOMEM;
	}
	r->index_cap = cap;
	for (size_t i = 0; i < r->n_hosts; i++)
		r->index[index_slot(r, r->hosts[i].addr)] = (uint32_t)i + 1;
	free(old);
	return 0;
}

static struct report_host *host_get(struct scan_report *r, uint32_t addr)
{
	struct report_host *h;
	size_t slot;

	if ((r->n_hosts + 1) * 2 > r->index_cap && index_grow(r))
		return NULL;
	slot = index_slot(r, addr);
	if (r->index[slot])
		return &r->hosts[r->index[slot] - 1];
	if (r->n_hosts == r->cap_hosts) {
		size_t cap = r->cap_hosts ? r->cap_hosts * 2 : 16;

		h = realloc(r->hosts, cap * sizeof(*h));
		if (!h)
			return NULL;
		r->hosts = h;
		r->cap_hosts = cap;
	}
	r->index[slot] = (uint32_t)r->n_hosts + 1;
	h = &r->hosts[r->n_hosts++];
	memset(h, 0, sizeof(*h));
	h->addr = addr;
	h->host.type = SCAN_R_HOST;
	h->host.addr = addr;
	return h;
}

/* a port's entry; search false adds one without looking (each port is settled once) */
static struct report_port *port_get(struct report_host *h, uint16_t port, bool search)
{
	struct report_port *p;

	for (size_t i = h->n_ports; search && i-- > 0;)
		if (h->ports[i].port.port == port)
			return &h->ports[i];
	if (h->n_ports == h->cap_ports) {
		size_t cap = h->cap_ports ? h->cap_ports * 2 : 16;

		p = realloc(h->ports, cap * sizeof(*p));
		if (!p)
			return NULL;
		h->ports = p;
		h->cap_ports = cap;
	}
	p = &h->ports[h->n_ports++];
	memset(p, 0, sizeof(*p));
	p->port.port = port;
	return p;
}

int report_add(struct scan_report *r, const struct scan_result *res)
{
	struct report_host *h = host_get(r, res->addr);
	struct report_port *p;

	if (!h)
		return -ENOMEM;
	switch (res->type) {
	case SCAN_R_HOST:
		h->up = h->up || (res->host_flags & SCAN_H_REPLIED);
		h->host.host_flags |= res->host_flags;
		if (res->host_flags & SCAN_H_MAC) {
			memcpy(h->host.mac, res->mac, 6);
			h->host.vendor = res->vendor;
		}
		if (res->host_flags & SCAN_H_RTT)
			h->host.rtt_us = res->rtt_us;
		break;
	case SCAN_R_PORT:
		p = port_get(h, res->port, false);
		if (!p)
			return -ENOMEM;
		p->port = *res;
		/* any answer, even a reset, shows the host is up */
		if (res->state != PORT_FILTERED)
			h->up = true;
		break;
	case SCAN_R_SERVICE:
		p = port_get(h, res->port, true);
		if (!p)
			return -ENOMEM;
		p->service = *res;
		p->has_service = true;
		break;
	}
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct report_host *)a)->addr);
	uint32_t y = ntohl(((const struct report_host *)b)->addr);

	return x < y ? -1 : x > y;
}

static int by_port(const void *a, const void *b)
{
	return (int)((const struct report_port *)a)->port.port -
	       (int)((const struct report_port *)b)->port.port;
}

void report_sort(struct scan_report *r)
{
	/* qsort wants a real array even for zero elements */
	if (r->n_hosts)
		qsort(r->hosts, r->n_hosts, sizeof(*r->hosts), by_addr);
	if (r->index) {
		memset(r->index, 0, r->index_cap * sizeof(*r->index));
		for (size_t i = 0; i < r->n_hosts; i++)
			r->index[index_slot(r, r->hosts[i].addr)] = (uint32_t)i + 1;
	}
	for (size_t i = 0; i < r->n_hosts; i++)
		if (r->hosts[i].n_ports)
			qsort(r->hosts[i].ports, r->hosts[i].n_ports, sizeof(struct report_port),
			      by_port);
}

static void format_mac(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

static const char *vendor_text(const struct scan_result *h)
{
	if (h->vendor)
		return h->vendor;
	return h->host_flags & SCAN_H_LOCAL_MAC ? "(locally administered)" : "(unknown)";
}

static void print_host_table(const struct scan_report *r, FILE *out)
{
	size_t up = 0;

	fprintf(out, "%-15s  %-17s  %-9s  %-8s  %s\n", "ADDRESS", "MAC", "RTT", "SOURCE", "VENDOR");
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct report_host *h = &r->hosts[i];
		char addr[INET_ADDRSTRLEN], mac[18] = "-", rtt[16] = "-";
		uint32_t f = h->host.host_flags;

		if (!(f & (SCAN_H_REPLIED | SCAN_H_NEIGH)))
			continue;
		up++;
		inet_ntop(AF_INET, &h->addr, addr, sizeof(addr));
		if (f & SCAN_H_MAC)
			format_mac(h->host.mac, mac, sizeof(mac));
		if (f & SCAN_H_RTT)
			snprintf(rtt, sizeof(rtt), "%.3fms", h->host.rtt_us / 1000.0);
		fprintf(out, "%-15s  %-17s  %-9s  %-8s  %s\n", addr, mac, rtt,
			(f & SCAN_H_REPLIED) && (f & SCAN_H_NEIGH) ? "reply+nb" :
			f & SCAN_H_REPLIED ? "reply" : "neighbor",
			f & SCAN_H_MAC ? vendor_text(&h->host) : "");
	}
	fprintf(out, "%zu of %zu hosts up\n", up, r->n_targets);
}

/* product, version and extra info, the empty ones left out */
static void join_version(const struct scan_result *s, char *out, size_t len)
{
	const char *parts[] = { s->product, s->version, s->extra };
	size_t o = 0;

	*out = 0;
	for (size_t i = 0; i < 3 && o < len; i++)
		if (*parts[i])
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", parts[i]);
}

static void print_port_table(const struct scan_report *r, FILE *out)
{
	size_t up = 0;

	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct report_host *h = &r->hosts[i];
		char addr[INET_ADDRSTRLEN];
		size_t hidden[3] = { 0 };

		inet_ntop(AF_INET, &h->addr, addr, sizeof(addr));
		if (!h->up) {
			fprintf(out, "scan report for %s: no answer, %zu ports filtered\n", addr,
				h->n_ports);
			continue;
		}
		up++;
		fprintf(out, "scan report for %s\n", addr);
		/* like nmap: list open ports, and closed/filtered only when few */
		for (size_t j = 0; j < h->n_ports; j++)
			if (h->ports[j].port.state != PORT_OPEN)
				hidden[h->ports[j].port.state]++;
		fprintf(out, "%-9s  %-8s  %-16s  %s\n", "PORT", "STATE", "SERVICE", "VERSION");
		for (size_t j = 0; j < h->n_ports; j++) {
			const struct report_port *p = &h->ports[j];
			char port[16], version[300] = "";

			if (p->port.state != PORT_OPEN && hidden[p->port.state] > 25)
				continue;
			snprintf(port, sizeof(port), "%u/tcp", p->port.port);
			if (p->has_service)
				join_version(&p->service, version, sizeof(version));
			fprintf(out, "%-9s  %-8s  %-16s  %s\n", port, port_state_name(p->port.state),
				p->has_service ? p->service.service : scan_service_name(p->port.port),
				version);
		}
		for (int s = PORT_CLOSED; s <= PORT_FILTERED; s++)
			if (hidden[s] > 25)
				fprintf(out, "not shown: %zu %s ports\n", hidden[s],
					port_state_name((enum port_state)s));
	}
	fprintf(out, "%zu of %zu hosts up, %zu ports each\n", up, r->n_targets, r->n_ports);
}

void report_print_table(const struct scan_report *r, FILE *out)
{
	if (r->kind == SCAN_ARP || r->kind == SCAN_PING)
		print_host_table(r, out);
	else
		print_port_table(r, out);
}

cJSON *report_result_json(const struct scan_result *res)
{
	cJSON *o = cJSON_CreateObject();
	char addr[INET_ADDRSTRLEN], mac[18];
	static const char *const types[] = { "host", "port", "service" };

	if (!o)
		return NULL;

	inet_ntop(AF_INET, &res->addr, addr, sizeof(addr));
	cJSON_AddStringToObject(o, "type", types[res->type]);
	cJSON_AddStringToObject(o, "addr", addr);
	switch (res->type) {
	case SCAN_R_HOST:
		cJSON_AddBoolToObject(o, "replied", res->host_flags & SCAN_H_REPLIED);
		cJSON_AddBoolToObject(o, "neighbor", res->host_flags & SCAN_H_NEIGH);
		if (res->host_flags & SCAN_H_MAC) {
			format_mac(res->mac, mac, sizeof(mac));
			cJSON_AddStringToObject(o, "mac", mac);
			if (res->vendor)
				cJSON_AddStringToObject(o, "vendor", res->vendor);
			else
				cJSON_AddNullToObject(o, "vendor");
			cJSON_AddBoolToObject(o, "local_mac", res->host_flags & SCAN_H_LOCAL_MAC);
		}
		if (res->host_flags & SCAN_H_RTT)
			cJSON_AddNumberToObject(o, "rtt_ms", res->rtt_us / 1000.0);
		break;
	case SCAN_R_PORT:
		cJSON_AddNumberToObject(o, "port", res->port);
		cJSON_AddStringToObject(o, "proto", "tcp");
		cJSON_AddStringToObject(o, "state", port_state_name(res->state));
		cJSON_AddStringToObject(o, "reason", res->reason ? res->reason : "");
		if (res->ttl)
			cJSON_AddNumberToObject(o, "ttl", res->ttl);
		break;
	case SCAN_R_SERVICE:
		cJSON_AddNumberToObject(o, "port", res->port);
		cJSON_AddStringToObject(o, "proto", "tcp");
		cJSON_AddStringToObject(o, "service", res->service);
		if (*res->product)
			cJSON_AddStringToObject(o, "product", res->product);
		if (*res->version)
			cJSON_AddStringToObject(o, "version", res->version);
		if (*res->extra)
			cJSON_AddStringToObject(o, "extra", res->extra);
		cJSON_AddStringToObject(o, "method", res->method ? res->method : "table");
		break;
	}
	return o;
}

void report_print_json(const struct scan_result *res, FILE *out)
{
	cJSON *o = report_result_json(res);
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;

	if (text) {
		fprintf(out, "%s\n", text);
		free(text);
	}
	cJSON_Delete(o);
	fflush(out);
}
