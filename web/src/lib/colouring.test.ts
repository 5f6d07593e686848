import { describe, expect, it } from 'vitest';
import { COLOUR_RULES, colourRule } from './colouring';
import { summary } from '../store/testutil';
import css from '../styles.css?raw';

// Each case is a summary as the server sends it and the rule Wireshark's default
// colouring would pick (with DNS and TLS as tints of UDP and TCP).
const cases: [string, Record<string, unknown>, string][] = [
	['plain TCP', { proto: 'TCP', sport: 51000, dport: 8443, info: '51000 → 8443 [ACK] Seq=1 Ack=1 Win=502 Len=0' }, 'tcp'],
	['TCP SYN', { proto: 'TCP', sport: 51000, dport: 8443, info: '51000 → 8443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460' }, 'tcp-synfin'],
	['TCP FIN', { proto: 'TCP', sport: 51000, dport: 8443, info: '51000 → 8443 [FIN, ACK] Seq=1 Ack=1 Win=502 Len=0' }, 'tcp-synfin'],
	['TCP RST', { proto: 'TCP', sport: 8443, dport: 51000, info: '8443 → 51000 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0' }, 'tcp-rst'],
	['RST beats HTTP port', { proto: 'TCP', sport: 80, dport: 51000, info: '80 → 51000 [RST] Seq=1 Win=0 Len=0' }, 'tcp-rst'],
	['SYN to port 80 is HTTP-coloured (rule order)', { proto: 'TCP', sport: 51000, dport: 80, info: '51000 → 80 [SYN] Seq=0 Win=64240 Len=0' }, 'http'],
	['HTTP request', { proto: 'HTTP', sport: 51000, dport: 8000, info: 'GET / HTTP/1.1' }, 'http'],
	['UDP', { proto: 'UDP', sport: 5000, dport: 5001, info: '5000 → 5001 Len=32' }, 'udp'],
	['DNS', { proto: 'DNS', sport: 40000, dport: 53, info: 'Standard query 0x1234 A example.org' }, 'dns'],
	['TLS', { proto: 'TLSv1.3', sport: 443, dport: 51000, info: 'Application Data', enc: 'encrypted' }, 'tls'],
	['ARP', { proto: 'ARP', src: '02:00:00:00:00:01', dst: 'ff:ff:ff:ff:ff:ff', info: 'Who has 10.200.0.2? Tell 10.200.0.1' }, 'arp'],
	['ICMP echo', { proto: 'ICMP', info: 'Echo (ping) request id=0x1c2b, seq=1/256, ttl=64' }, 'icmp'],
	['ICMPv6 echo', { proto: 'ICMPv6', info: 'Echo (ping) reply id=0x1, seq=3' }, 'icmp'],
	['ICMP error', { proto: 'ICMP', info: 'Destination unreachable (Port unreachable)' }, 'icmp-error'],
	['ICMP TTL exceeded', { proto: 'ICMP', info: 'Time-to-live exceeded (Time to live exceeded in transit)' }, 'icmp-error'],
	['broadcast non-IP', { proto: 'LLC', src: '02:00:00:00:00:01', dst: 'ff:ff:ff:ff:ff:ff', info: '' }, 'broadcast'],
	['unknown', { proto: 'IPv4', info: 'Unknown (253)' }, ''],
];

describe('colourRule', () => {
	for (const [name, over, want] of cases) it(name, () => expect(colourRule(summary(1, over))).toBe(want));

	it('every rule has a CSS class, and its colours exist in both themes', () => {
		const themes = css.split("html[data-theme='dark']");
		expect(themes).toHaveLength(2);
		for (const r of COLOUR_RULES) {
			const rule = new RegExp(`\\.prow\\.row-${r.name} \\{([^}]*)\\}`).exec(css);
			expect(rule, r.name).not.toBeNull();
			for (const v of rule![1].match(/--[\w-]+/g) ?? []) {
				expect(themes[0], `${v} in light`).toContain(`${v}:`);
				expect(themes[1], `${v} in dark`).toContain(`${v}:`);
			}
		}
	});
});
