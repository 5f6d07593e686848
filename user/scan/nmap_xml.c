// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * nmap's XML output (-oX), so tools that read nmap's results read ours:
 * nmaprun > scaninfo, host > status, address, ports > port > state, service,
 * and runstats. The layout follows nmap.dtd (xmloutputversion 1.05).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "report.h"

/* XML attribute text: escape markup, drop control bytes */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				fputc(c, out);
		}
	}
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	xml_text(out, value);
	fputc('"', out);
}

static const char *scan_type(enum scan_kind kind)
{
	return kind == SCAN_SYN ? "syn" : kind == SCAN_TCP ? "connect" :
	       kind == SCAN_PING ? "ping" : "arp";
}

static void write_ports(const struct report_host *h, FILE *out)
{
	fputs("<ports>\n", out);
	for (size_t j = 0; j < h->n_ports; j++) {
		const struct report_port *p = &h->ports[j];
		char num[16];

		fprintf(out, "<port protocol=\"tcp\" portid=\"%u\">", p->port.port);
		fputs("<state", out);
		attr(out, "state", port_state_name(p->port.state));
		attr(out, "reason", p->port.reason ? p->port.reason : "unknown");
		snprintf(num, sizeof(num), "%u", p->port.ttl);
		attr(out, "reason_ttl", num);
		fputs("/>", out);
		fputs("<service", out);
		if (p->has_service) {
			attr(out, "name", p->service.service);
			if (*p->service.product)
				attr(out, "product", p->service.product);
			if (*p->service.version)
				attr(out, "version", p->service.version);
			if (*p->service.extra)
				attr(out, "extrainfo", p->service.extra);
			if (!strncmp(p->service.service, "ssl/", 4))
				attr(out, "tunnel", "ssl");
			attr(out, "method", p->service.method ? p->service.method : "probed");
			attr(out, "conf", "10");
		} else {
			attr(out, "name", scan_service_name(p->port.port));
			attr(out, "method", "table");
			attr(out, "conf", "3");
		}
		fputs("/></port>\n", out);
	}
	fputs("</ports>\n", out);
}

static void write_host(const struct scan_report *r, const struct report_host *h, FILE *out)
{
	char addr[INET_ADDRSTRLEN], mac[18];
	const char *reason = "no-response";

	inet_ntop(AF_INET, &h->addr, addr, sizeof(addr));
	if (r->kind == SCAN_ARP)
		reason = h->host.host_flags & SCAN_H_REPLIED ? "arp-response" : "neighbor-table";
	else if (r->kind == SCAN_PING && h->up)
		reason = "echo-reply";
	else if (h->up)
		reason = "port-response";
	fprintf(out, "<host starttime=\"%ld\" endtime=\"%ld\">", (long)r->start, (long)r->end);
	fputs("<status", out);
	attr(out, "state", h->up || (h->host.host_flags & SCAN_H_NEIGH) ? "up" : "down");
	attr(out, "reason", reason);
	fputs(" reason_ttl=\"0\"/>\n", out);
	fputs("<address", out);
	attr(out, "addr", addr);
	fputs(" addrtype=\"ipv4\"/>\n", out);
	if (h->host.host_flags & SCAN_H_MAC) {
		/* nmap writes MACs in upper case */
		snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", h->host.mac[0],
			 h->host.mac[1], h->host.mac[2], h->host.mac[3], h->host.mac[4],
			 h->host.mac[5]);
		fputs("<address", out);
		attr(out, "addr", mac);
		fputs(" addrtype=\"mac\"", out);
		if (h->host.vendor)
			attr(out, "vendor", h->host.vendor);
		fputs("/>\n", out);
	}
	fputs("<hostnames>\n</hostnames>\n", out);
	if (r->kind == SCAN_TCP || r->kind == SCAN_SYN)
		write_ports(h, out);
	if (h->host.host_flags & SCAN_H_RTT)
		fprintf(out, "<times srtt=\"%u\" rttvar=\"%u\" to=\"%u\"/>\n", h->host.rtt_us,
			h->host.rtt_us / 2, h->host.rtt_us * 3 + 100000);
	fputs("</host>\n", out);
}

int report_write_nmap_xml(const struct scan_report *r, FILE *out)
{
	char startstr[64], endstr[64];
	size_t up = 0;
	struct tm tm;

	strftime(startstr, sizeof(startstr), "%a %b %e %H:%M:%S %Y", localtime_r(&r->start, &tm));
	strftime(endstr, sizeof(endstr), "%a %b %e %H:%M:%S %Y", localtime_r(&r->end, &tm));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n", out);
	fputs("<nmaprun scanner=\"gotracer\"", out);
	attr(out, "args", r->args);
	fprintf(out, " start=\"%ld\"", (long)r->start);
	attr(out, "startstr", startstr);
	fputs(" version=\"0.1.0\" xmloutputversion=\"1.05\">\n", out);
	if (r->kind == SCAN_TCP || r->kind == SCAN_SYN) {
		fputs("<scaninfo", out);
		attr(out, "type", scan_type(r->kind));
		fprintf(out, " protocol=\"tcp\" numservices=\"%zu\"", r->n_ports);
		attr(out, "services", r->services);
		fputs("/>\n", out);
	}
	fputs("<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n", out);
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct report_host *h = &r->hosts[i];
		bool host_up = h->up || (h->host.host_flags & SCAN_H_NEIGH);

		if (host_up)
			up++;
		else if (r->kind != SCAN_TCP && r->kind != SCAN_SYN)
			continue;
		write_host(r, h, out);
	}
	fprintf(out, "<runstats><finished time=\"%ld\"", (long)r->end);
	attr(out, "timestr", endstr);
	fprintf(out, " elapsed=\"%ld\" exit=\"success\"/>", (long)(r->end - r->start));
	fprintf(out, "<hosts up=\"%zu\" down=\"%zu\" total=\"%zu\"/>\n</runstats>\n</nmaprun>\n", up,
		r->n_targets > up ? r->n_targets - up : 0, r->n_targets);
	return ferror(out) ? -1 : 0;
}
