// Row colours after Wireshark's default colouring rules (colorfilters), first
// match wins, in Wireshark's order. A rule names a CSS class; the colours for the
// light and dark themes live in styles.css, so the theme switch is pure CSS.
// Wireshark has no rule of its own for DNS and TLS (they take UDP's and TCP's);
// here they get a tint of those so the common cases are told apart at a glance.
import type { PacketSummary } from '../protocol/messages';

export interface ColourRule {
	name: string; // CSS class suffix: row-<name>
	label: string; // for the legend
	test: (p: PacketSummary) => boolean;
}

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;

const upper = (p: PacketSummary) => p.proto.toUpperCase();
const isTcp = (p: PacketSummary) => p.l4 === 'tcp';
const isUdp = (p: PacketSummary) => p.l4 === 'udp';
const isIcmp = (p: PacketSummary) => p.l4 === 'icmp' || p.l4 === 'icmpv6' || /^ICMP/.test(upper(p));

// icmp.type in {3..5, 11} || icmpv6.type in {1..4}, read from the Info column
const ICMP_ERROR = /destination unreachable|source quench|redirect|time.to.live exceeded|time exceeded|packet too big|parameter problem/i;

export const COLOUR_RULES: readonly ColourRule[] = [
	{ name: 'icmp-error', label: 'ICMP errors', test: (p) => isIcmp(p) && ICMP_ERROR.test(p.info) },
	{ name: 'arp', label: 'ARP', test: (p) => upper(p) === 'ARP' || upper(p) === 'RARP' },
	{ name: 'icmp', label: 'ICMP', test: isIcmp },
	{ name: 'tcp-rst', label: 'TCP RST', test: (p) => isTcp(p) && (p.tcpFlags & TCP_RST) !== 0 },
	{ name: 'http', label: 'HTTP', test: (p) => /^HTTP/.test(upper(p)) || (isTcp(p) && (p.sport === 80 || p.dport === 80)) },
	{ name: 'tcp-synfin', label: 'TCP SYN/FIN', test: (p) => isTcp(p) && (p.tcpFlags & (TCP_SYN | TCP_FIN)) !== 0 },
	{ name: 'dns', label: 'DNS', test: (p) => /^(DNS|MDNS|LLMNR)$/.test(upper(p)) },
	{ name: 'tls', label: 'TLS', test: (p) => /^(TLS|SSL|QUIC)/.test(upper(p)) },
	{ name: 'tcp', label: 'TCP', test: isTcp },
	{ name: 'udp', label: 'UDP', test: isUdp },
	{ name: 'broadcast', label: 'Broadcast', test: (p) => p.dst === 'ff:ff:ff:ff:ff:ff' || p.dst === '255.255.255.255' },
];

/** The colouring rule a packet falls under, or '' for the plain row colour. */
export function colourRule(p: PacketSummary): string {
	for (const r of COLOUR_RULES) if (r.test(p)) return r.name;
	return '';
}
