// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Entry point of dissection and the dispatch tables every dissector plugs into:
 * link type, ethertype, IP protocol, TCP/UDP port, heuristics (see proto.h).
 */
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "defrag.h"
#include "proto.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct link_entry {
	int linktype;
	dx_layer_fn fn;
};

static const struct link_entry link_table[] = {
	{ DX_LINK_ETHERNET, dx_eth },
	{ DX_LINK_RAW, dx_raw },
	{ 12, dx_raw },		/* DLT_RAW on some BSDs, the same frames */
	{ DX_LINK_NULL, dx_null },
	{ DX_LINK_LOOP, dx_loop },
	{ DX_LINK_SLL, dx_sll },
	{ DX_LINK_SLL2, dx_sll2 },
	{ 228, dx_ipv4 },	/* LINKTYPE_IPV4 */
	{ 229, dx_ipv6 },	/* LINKTYPE_IPV6 */
};

struct ethertype_entry {
	uint16_t type;
	dx_layer_fn fn;
	const char *name;
};

static const struct ethertype_entry ethertype_table[] = {
	{ 0x0800, dx_ipv4, "IPv4" },
	{ 0x0806, dx_arp, "ARP" },
	{ 0x8035, dx_arp, "RARP" },
	{ 0x86dd, dx_ipv6, "IPv6" },
	{ 0x8100, dx_vlan, "802.1Q Virtual LAN" },
	{ 0x88a8, dx_vlan, "802.1ad Provider Bridge (Q-in-Q)" },
	{ 0x9100, dx_vlan, "VLAN-tagged frame (Q-in-Q)" },
};

struct ip_proto_entry {
	uint8_t proto;
	dx_l4_fn fn;
	const char *name;
};

static const struct ip_proto_entry ip_proto_table[] = {
	{ IPPROTO_ICMP, dx_icmp, "ICMP" },
	{ IPPROTO_TCP, dx_tcp, "TCP" },
	{ IPPROTO_UDP, dx_udp, "UDP" },
	{ IPPROTO_ICMPV6, dx_icmpv6, "ICMPv6" },
	{ IPPROTO_IGMP, NULL, "IGMP" },
	{ IPPROTO_GRE, NULL, "GRE" },
	{ IPPROTO_ESP, NULL, "ESP" },
	{ IPPROTO_AH, NULL, "AH" },
	{ IPPROTO_SCTP, NULL, "SCTP" },
	{ IPPROTO_UDPLITE, NULL, "UDPLite" },
	{ IPPROTO_IPIP, NULL, "IPIP" },
};

/* Application dissectors by port: add one line per entry (see proto.h). */
const struct dx_port_entry dx_tcp_ports[] = {
	{ 22, dx_ssh },
	{ 53, dx_dns_tcp },
	{ 80, dx_http },
	{ 443, dx_tls },
	{ 465, dx_tls },
	{ 636, dx_tls },
	{ 853, dx_tls },
	{ 990, dx_tls },
	{ 992, dx_tls },
	{ 993, dx_tls },
	{ 994, dx_tls },
	{ 995, dx_tls },
	{ 3128, dx_http },
	{ 5061, dx_tls },
	{ 6697, dx_tls },
	{ 8000, dx_http },
	{ 8008, dx_http },
	{ 8080, dx_http },
	{ 8088, dx_http },
	{ 8443, dx_tls },
	{ 8888, dx_http },
	{ 0, NULL },
};

const struct dx_port_entry dx_udp_ports[] = {
	{ 53, dx_dns_udp },
	{ 67, dx_dhcp },
	{ 68, dx_dhcp },
	{ 443, dx_quic },
	{ 0, NULL },
};

/* Tried in order when no port entry took the payload. */
const dx_app_fn dx_tcp_heuristics[] = {
	dx_stream_continue,	/* first: a flow a dissector already took stays its */
	dx_tls_heuristic,
	dx_http_heuristic,
	dx_ssh_heuristic,
	NULL,
};

const dx_app_fn dx_udp_heuristics[] = {
	dx_quic_heuristic,
	NULL,
};

/* Called for every TCP segment when p->streams is set (reassembly, see proto.h). */
const dx_observer_fn dx_tcp_observers[] = {
	dx_stream_observe,
	NULL,
};

void dx_dissect(struct dx_packet *p)
{
	dx_defrag_next_frame(p);	/* frame numbers for the fragment lists */
	dx_proto(p, "frame", 0, p->caplen, "Frame: %u bytes on wire, %u bytes captured",
		 p->wirelen, p->caplen);
	dx_push(p);
	dx_field(p, "frame.len", 0, 0, "%u", p->wirelen);
	dx_field(p, "frame.cap_len", 0, 0, "%u", p->caplen);
	dx_pop(p);
	for (size_t i = 0; i < ARRAY_SIZE(link_table); i++) {
		if (link_table[i].linktype == p->linktype) {
			link_table[i].fn(p, 0, p->wirelen);
			goto done;
		}
	}
	p->protocol = "DATA";
	dx_set_info(p, "Unsupported link type %d", p->linktype);
	dx_data(p, 0, p->wirelen);
done:
	if (!p->protocol)
		p->protocol = "DATA";
}

const char *dx_ethertype_name(uint16_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(ethertype_table); i++)
		if (ethertype_table[i].type == type)
			return ethertype_table[i].name;
	return NULL;
}

void dx_ethertype(struct dx_packet *p, uint16_t type, uint32_t off, uint32_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(ethertype_table); i++) {
		if (ethertype_table[i].type == type) {
			ethertype_table[i].fn(p, off, len);
			return;
		}
	}
	dx_data(p, off, len);
}

const char *dx_ip_proto_name(uint8_t proto)
{
	for (size_t i = 0; i < ARRAY_SIZE(ip_proto_table); i++)
		if (ip_proto_table[i].proto == proto)
			return ip_proto_table[i].name;
	return NULL;
}

void dx_ip_payload(struct dx_packet *p, struct dx_conv *c, uint32_t off, uint32_t len)
{
	const char *name = dx_ip_proto_name(c->l4proto);

	p->l4proto = c->l4proto;
	if (!c->fragment) {
		for (size_t i = 0; i < ARRAY_SIZE(ip_proto_table); i++) {
			if (ip_proto_table[i].proto == c->l4proto && ip_proto_table[i].fn) {
				ip_proto_table[i].fn(p, c, off, len);
				return;
			}
		}
		/* a protocol we name but do not dissect; tshark says "Unassigned (N)" */
		if (name)
			p->protocol = name;
		dx_set_info(p, "%s (%u)", name ? name : "Unassigned", c->l4proto);
		/* IPsec ESP carries nothing readable past its SPI and sequence number */
		if (c->l4proto == IPPROTO_ESP)
			dx_mark(p, DX_F_ENCRYPTED);
	}
	dx_data(p, off, len);
}

static dx_app_fn port_lookup(const struct dx_port_entry *table, uint16_t port)
{
	for (; table->fn; table++)
		if (table->port == port)
			return table->fn;
	return NULL;
}

void dx_app_payload(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		    uint32_t len)
{
	bool tcp = c->l4proto == IPPROTO_TCP;
	const struct dx_port_entry *ports = tcp ? dx_tcp_ports : dx_udp_ports;
	const dx_app_fn *heur = tcp ? dx_tcp_heuristics : dx_udp_heuristics;
	uint16_t lo = c->sport < c->dport ? c->sport : c->dport;
	uint16_t hi = c->sport < c->dport ? c->dport : c->sport;
	dx_app_fn fn;

	if (len == 0)
		return;
	/* Wireshark's order: the lower port first, it is more often the service */
	fn = port_lookup(ports, lo);
	if (fn && fn(p, c, off, len))
		return;
	fn = hi != lo ? port_lookup(ports, hi) : NULL;
	if (fn && fn(p, c, off, len))
		return;
	for (; *heur; heur++)
		if ((*heur)(p, c, off, len))
			return;
	dx_data(p, off, len);
}

void dx_inner_ip(struct dx_packet *p, dx_layer_fn ip, uint32_t off, uint32_t len)
{
	const char *protocol = p->protocol;
	uint16_t sport = p->sport, dport = p->dport;
	uint32_t flags = p->flags;
	uint8_t l4proto = p->l4proto;
	char info[sizeof(p->info)], src[sizeof(p->src)], dst[sizeof(p->dst)];

	memcpy(info, p->info, sizeof(info));
	memcpy(src, p->src, sizeof(src));
	memcpy(dst, p->dst, sizeof(dst));
	ip(p, off, len);
	p->protocol = protocol;
	p->sport = sport;
	p->dport = dport;
	/* an error quotes only the start of the packet: its lengths are not kept, but
	 * running out of captured bytes is still truncation */
	p->flags = flags | (p->flags & (DX_F_TREE_FULL | DX_F_TRUNCATED));
	p->l4proto = l4proto;
	memcpy(p->info, info, sizeof(info));
	memcpy(p->src, src, sizeof(src));
	memcpy(p->dst, dst, sizeof(dst));
}

void dx_malformed(struct dx_packet *p, uint32_t off, uint32_t len, const char *why)
{
	dx_mark(p, DX_F_MALFORMED);
	dx_field(p, "_ws.malformed", off, len, "%s", why);
}
