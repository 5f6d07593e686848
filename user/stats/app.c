// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Application of a flow: noted from its captured packets, else the IANA port.
 * The port table is short on purpose: the services people see on a LAN,
 * named as nDPI names them, so a flow reads the same whichever way it was known.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "app.h"

struct port_app {
	uint16_t port;
	uint8_t proto;		/* 0: TCP and UDP */
	const char *name;
	bool encrypted;
};

static const struct port_app port_apps[] = {
	{ 20, IPPROTO_TCP, "FTP_DATA", false },	{ 21, IPPROTO_TCP, "FTP_CONTROL", false },
	{ 22, IPPROTO_TCP, "SSH", true },	{ 23, IPPROTO_TCP, "Telnet", false },
	{ 25, IPPROTO_TCP, "SMTP", false },	{ 53, 0, "DNS", false },
	{ 67, IPPROTO_UDP, "DHCP", false },	{ 68, IPPROTO_UDP, "DHCP", false },
	{ 80, IPPROTO_TCP, "HTTP", false },	{ 110, IPPROTO_TCP, "POP3", false },
	{ 123, IPPROTO_UDP, "NTP", false },	{ 143, IPPROTO_TCP, "IMAP", false },
	{ 161, IPPROTO_UDP, "SNMP", false },	{ 389, IPPROTO_TCP, "LDAP", false },
	{ 443, IPPROTO_TCP, "TLS", true },	{ 443, IPPROTO_UDP, "QUIC", true },
	{ 465, IPPROTO_TCP, "SMTPS", true },	{ 514, IPPROTO_UDP, "Syslog", false },
	{ 587, IPPROTO_TCP, "SMTP", false },	{ 636, IPPROTO_TCP, "LDAPS", true },
	{ 853, 0, "DoH_DoT", true },		{ 993, IPPROTO_TCP, "IMAPS", true },
	{ 995, IPPROTO_TCP, "POP3S", true },	{ 1194, 0, "OpenVPN", true },
	{ 3306, IPPROTO_TCP, "MySQL", false },	{ 3389, IPPROTO_TCP, "RDP", true },
	{ 4739, IPPROTO_UDP, "IPFIX", false },	{ 5353, IPPROTO_UDP, "MDNS", false },
	{ 5432, IPPROTO_TCP, "PostgreSQL", false }, { 6379, IPPROTO_TCP, "Redis", false },
	{ 8080, IPPROTO_TCP, "HTTP", false },	{ 8443, IPPROTO_TCP, "TLS", true },
	{ 9090, IPPROTO_TCP, "HTTP", false },	{ 51820, IPPROTO_UDP, "WireGuard", true },
};

static const struct port_app *port_lookup(uint8_t proto, uint16_t port)
{
	for (size_t i = 0; i < sizeof(port_apps) / sizeof(port_apps[0]); i++)
		if (port_apps[i].port == port && (!port_apps[i].proto || port_apps[i].proto == proto))
			return &port_apps[i];
	return NULL;
}

const char *ip_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_GRE: return "gre";
	case IPPROTO_ESP: return "esp";
	default: return "other";
	}
}

struct app_guess app_by_port(const struct gt_flow_key *key)
{
	struct app_guess g = { .name = ip_proto_name(key->proto) };
	uint16_t a = ntohs(key->port_a), b = ntohs(key->port_b);
	uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
	const struct port_app *p = NULL;

	if (key->proto == IPPROTO_ESP)
		g.encrypted = true;
	if (key->proto != IPPROTO_TCP && key->proto != IPPROTO_UDP)
		return g;
	/* the service is usually the lower port; try the other when it is unknown */
	if (lo)
		p = port_lookup(key->proto, lo);
	if (!p && hi)
		p = port_lookup(key->proto, hi);
	if (p) {
		g.name = p->name;
		g.encrypted = p->encrypted;
	}
	return g;
}

/* Noted applications, by flow hash; a later note of the same hash wins. */
#define APP_NOTES 4096

static struct {
	uint32_t hash;
	const char *name;
	bool encrypted;
} notes[APP_NOTES];

void app_note(uint32_t flow_hash, const char *name, bool encrypted)
{
	unsigned int i = flow_hash % APP_NOTES;

	if (!flow_hash || !name)
		return;
	notes[i].hash = flow_hash;
	notes[i].name = name;
	notes[i].encrypted = encrypted;
}

void app_notes_clear(void)
{
	memset(notes, 0, sizeof(notes));
}

struct app_guess app_of(const struct gt_flow_key *key)
{
	uint32_t h = gt_flow_hash(key);
	unsigned int i = h % APP_NOTES;

	if (notes[i].hash == h && notes[i].name)
		return (struct app_guess){ notes[i].name, notes[i].encrypted };
	return app_by_port(key);
}
