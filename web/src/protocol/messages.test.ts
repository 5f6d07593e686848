import { describe, expect, it } from 'vitest';
import { decodeMessage, decodePacket, tcpFlagsFromInfo, transportOf } from './messages';
import { backoffDelay, socketUrl } from './connection';
import { filterAccepted, filterFromServer, filterRefused, filterSubmitted, initialFilter } from '../store/filter';

describe('decoding server messages', () => {
	it('reads a packets batch as docs/protocol.md shows it', () => {
		const m = decodeMessage({
			type: 'packets',
			first: 41,
			last: 42,
			packets: [
				{ no: 41, ts: 1732450000.123456, iface: 'gt0', dir: 'in', len: 98, caplen: 98, proto: 'ICMP', src: '10.200.0.2', dst: '10.200.0.1', sport: 0, dport: 0, info: 'Echo (ping) request', enc: 'none' },
				{ no: 42, ts: 1732450000.123502, iface: 'gt0', dir: 'out', len: 583, caplen: 583, proto: 'TLSv1.3', src: '10.200.0.1', dst: '10.200.0.2', sport: 443, dport: 51000, info: 'Application Data', enc: 'encrypted' },
			],
		});
		expect(m.type).toBe('packets');
		if (m.type !== 'packets') return;
		expect(m.packets.map((p) => [p.no, p.dir, p.l4, p.enc])).toEqual([
			[41, 'in', 'icmp', 'none'],
			[42, 'out', 'tcp', 'encrypted'],
		]);
	});

	it('drops malformed summaries instead of crashing', () => {
		expect(decodePacket(null)).toBeNull();
		expect(decodePacket({ no: 'x' })).toBeNull();
		expect(decodePacket({ no: 0 })).toBeNull();
		const p = decodePacket({ no: 3, dir: 'sideways', len: 'big' })!;
		expect(p).toMatchObject({ no: 3, dir: '?', len: 0, proto: '?', info: '' });
		expect(decodeMessage('not an object')).toMatchObject({ type: 'unknown' });
		expect(decodeMessage({ type: 'future_thing', x: 1 })).toMatchObject({ type: 'unknown' });
		expect(decodeMessage({ type: 'detail', no: 1, bytes: '%%%', tree: 'no' })).toMatchObject({ type: 'detail', detail: { bytes: new Uint8Array(0), tree: [] } });
	});

	it('reads TCP flags from the Info column', () => {
		expect(tcpFlagsFromInfo('51000 → 80 [SYN] Seq=0')).toBe(0x02);
		expect(tcpFlagsFromInfo('80 → 51000 [SYN, ACK] Seq=0 Ack=1')).toBe(0x12);
		expect(tcpFlagsFromInfo('[RST, ACK]')).toBe(0x14);
		expect(tcpFlagsFromInfo('[FIN, PSH, ACK]')).toBe(0x19);
		expect(tcpFlagsFromInfo('GET /[ABC] HTTP/1.1')).toBe(0);
		expect(tcpFlagsFromInfo('Standard query A example.org')).toBe(0);
	});

	it('knows the transport of common protocol names', () => {
		expect(['TCP', 'HTTP', 'TLSv1.2', 'SSH', 'UDP', 'DNS', 'QUIC', 'DHCP', 'ICMP', 'ICMPv6', 'ARP'].map(transportOf)).toEqual([
			'tcp', 'tcp', 'tcp', 'tcp', 'udp', 'udp', 'udp', 'udp', 'icmp', 'icmpv6', '',
		]);
	});

	it('reads the stats tick', () => {
		const m = decodeMessage({
			type: 'stats', ts: 5, interval: 1,
			interfaces: [{ name: 'gt0', index: 2, in: { packets: 1200, bytes: 98000, ring_drops: 3 }, out: { packets: 1180, bytes: 97000, ring_drops: 1 } }],
			totals: { ring_drops: 4 }, client: { lost: 2 },
			protocols: [{ name: 'TCP', packets: 2000, bytes: 180000 }],
			encrypted: { encrypted_packets: 5, plaintext_packets: 120, encrypted_bytes: 700, plaintext_bytes: 9000 },
			sizes: { bounds: [64, 128], counts: [1, 2, 3] },
			talkers: [{ addr: '10.200.0.2', packets: 1200, bytes: 98000 }],
			conversations: [{ proto: 'tcp', a: '10.200.0.1', a_port: 8000, b: '10.200.0.2', b_port: 51000, packets: 2000, bytes: 180000, iface: 'gt0' }],
		});
		if (m.type !== 'stats') throw new Error(m.type);
		expect(m.stats.ifaces[0].in).toEqual({ packets: 1200, bytes: 98000, drops: 3 });
		expect(m.stats.totalDrops).toBe(4);
		expect(m.stats.clientLost).toBe(2);
		expect(m.stats.encrypted).toEqual({ packets: 5, bytes: 700 });
		expect(m.stats.talkers[0]).toEqual({ name: '10.200.0.2', packets: 1200, bytes: 98000 });
		expect(m.stats.conversations[0]).toMatchObject({ aPort: 8000, bPort: 51000 });
	});
});

describe('connection helpers', () => {
	it('backs off from half a second, doubling, up to ten', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffDelay)).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
	});

	it('connects to the server that served the page, passing the token on', () => {
		expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080', search: '' })).toBe('ws://127.0.0.1:8080/ws');
		expect(socketUrl({ protocol: 'https:', host: 'h:1', search: '?token=a b' })).toBe('wss://h:1/ws?token=a%20b');
	});
});

describe('filter state', () => {
	it('goes pending, then applied or refused', () => {
		let s = filterSubmitted(initialFilter, ' tcp ');
		expect(s.pending).toBe('tcp');
		s = filterRefused(s, 'syntax error');
		expect(s).toEqual({ applied: '', pending: null, error: 'syntax error', rejected: 'tcp' });
		s = filterAccepted(filterSubmitted(s, 'udp'), 'udp');
		expect(s).toEqual({ applied: 'udp', pending: null, error: '', rejected: '' });
		// another page changed it: applied follows, our pending request stays
		s = filterFromServer(filterSubmitted(s, 'icmp'), 'arp');
		expect(s).toMatchObject({ applied: 'arp', pending: 'icmp' });
	});
});
