import { describe, expect, it } from 'vitest';
import { BACKLOG_MAX, Session, type JsonFetch } from './session';
import { ManualFrames } from './testutil';
import type { ClientMessage } from '../protocol/messages';

const hello = (lastNo: number, filter = '', liveFrom = lastNo + 1) => ({
	type: 'hello',
	protocol: 1,
	version: 'gotracer 0.1.0',
	interfaces: [{ index: 2, name: 'gt0', state: 'up', mac: '02:00:00:00:00:01', mtu: 1500, addresses: ['10.200.0.1/24'], capturing: true }],
	capture: { running: true, interfaces: ['gt0'], filter, snaplen: 2048, account: false, error: null },
	capabilities: { detail: true },
	store: { first_no: 1, last_no: lastNo, packets: lastNo, bytes: 0, evicted: 0, live_from: liveFrom },
});

const pkts = (first: number, last: number) => ({
	type: 'packets',
	first,
	last,
	packets: Array.from({ length: last - first + 1 }, (_, i) => ({ no: first + i, ts: 1, iface: 'gt0', dir: i % 2 ? 'out' : 'in', len: 60, caplen: 60, proto: 'UDP', src: 'a', dst: 'b', sport: 1, dport: 2, info: '', enc: 'none' })),
});

// /api/packets of a server whose store holds every number up to storeLast
const storeFetch =
	(storeLast: number, log: string[] = []): JsonFetch =>
	async (url) => {
		log.push(url);
		const q = new URLSearchParams(url.split('?')[1]);
		const from = Number(q.get('from'));
		const last = Math.min(storeLast, from + Number(q.get('count')) - 1);
		return pkts(from, last);
	};

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(fetchFn: JsonFetch = storeFetch(0), capacity = 1000) {
	const f = new ManualFrames();
	const s = new Session(capacity, f.schedule, fetchFn);
	const sent: ClientMessage[] = [];
	s.setSender((m) => {
		sent.push(m);
		return true;
	});
	s.setLink({ status: 'connected', since: 0 });
	return { f, s, sent };
}

describe('Session', () => {
	it('a fresh page loads recent history from the store, then the live stream in order', async () => {
		const log: string[] = [];
		const { f, s } = setup(storeFetch(2380, log), 10_000);
		s.handle(hello(2380));
		s.handle(pkts(2381, 2390)); // live batches arrive while the history loads
		s.handle(pkts(2395, 2400));
		await settle();
		f.run();
		expect(log).toEqual(['api/packets?from=1&count=1000', 'api/packets?from=1001&count=1000', 'api/packets?from=2001&count=380']);
		const snap = s.packets.snapshot();
		expect(snap).toMatchObject({ received: 2396, gapLost: 4 });
		const nos = [...s.packets.ring.from(0)].map((p) => p.no);
		expect(nos.slice(0, 3)).toEqual([1, 2, 3]);
		expect(nos.every((n, i) => i === 0 || n > nos[i - 1])).toBe(true);
		expect(s.state.get().interfaces.map((i) => i.name)).toEqual(['gt0']);
	});

	it('history is bounded, and a failed history fetch leaves the live stream alone', async () => {
		const log: string[] = [];
		const big = setup(storeFetch(100_000, log), 10_000);
		big.s.handle(hello(100_000));
		await settle();
		expect(log[0]).toBe(`api/packets?from=${100_001 - BACKLOG_MAX}&count=1000`);
		const { f, s } = setup(async () => {
			throw new Error('HTTP 500');
		});
		s.handle(hello(50));
		s.handle(pkts(51, 60));
		await settle();
		f.run();
		expect(s.packets.snapshot()).toMatchObject({ received: 10 });
	});

	it('a reconnecting page counts what it missed while away; a restarted server starts over', async () => {
		const { f, s } = setup(storeFetch(3));
		s.handle(hello(0));
		s.handle(pkts(1, 10));
		s.handle(hello(50)); // reconnect: the server went on to 50 meanwhile
		s.handle(pkts(51, 60));
		f.run();
		expect(s.packets.snapshot().gapLost).toBe(40);
		s.handle(hello(3)); // a new server process: numbers from 1 again
		s.handle(pkts(4, 5));
		await settle();
		f.run();
		expect(s.packets.snapshot()).toMatchObject({ gapLost: 0, received: 5 });
		expect([...s.packets.ring.from(0)].map((p) => p.no)).toEqual([1, 2, 3, 4, 5]);
	});

	it('a filter is applied through set_capture and confirmed by capture_state', () => {
		const { f, s, sent } = setup();
		s.handle(hello(0));
		s.applyFilter('  udp port 53 ');
		const req = sent.at(-1)!;
		expect(req).toMatchObject({ type: 'set_capture', filter: 'udp port 53' });
		expect(s.state.get().filter.pending).toBe('udp port 53');
		s.handle(pkts(1, 5));
		s.handle({ type: 'capture_state', running: true, interfaces: ['gt0'], filter: 'udp port 53', snaplen: 2048, account: false, error: null });
		expect(s.state.get().filter).toEqual({ applied: 'udp port 53', pending: null, error: '', rejected: '' });
		// the list starts again under the new filter; numbering and counters go on
		s.handle(pkts(8, 9));
		f.run();
		expect([...s.packets.ring.from(0)].map((p) => p.no)).toEqual([8, 9]);
		expect(s.packets.snapshot()).toMatchObject({ received: 7, gapLost: 2 });
	});

	it("a refused filter shows the server's message and keeps the old one applied", () => {
		const { s, sent } = setup();
		s.handle(hello(0, 'icmp'));
		s.applyFilter('port nonsense');
		const id = (sent.at(-1) as { id: string }).id;
		s.handle({ type: 'error', reason: "bad filter: illegal port number 'nonsense'", in_reply_to: 'set_capture', id });
		expect(s.state.get().filter).toEqual({ applied: 'icmp', pending: null, error: "bad filter: illegal port number 'nonsense'", rejected: 'port nonsense' });
		// an unrelated error does not touch the filter
		s.handle({ type: 'error', reason: 'unknown message type', in_reply_to: 'frobnicate', id: 99 });
		expect(s.state.get().notice).toBe('unknown message type');
		expect(s.state.get().filter.error).toContain('nonsense');
	});

	it('selecting a packet asks for its detail once and caches it', () => {
		const { s, sent } = setup();
		s.select(41);
		expect(sent.at(-1)).toMatchObject({ type: 'get_detail', no: 41 });
		s.handle({ type: 'detail', no: 41, bytes: 'AgAAAAAB', tree: [{ name: 'eth', value: 'Ethernet II', off: 0, len: 6, children: [] }] });
		expect(s.state.get().detail?.bytes).toEqual(new Uint8Array([2, 0, 0, 0, 0, 1]));
		s.select(42);
		s.select(41);
		expect(sent.filter((m) => m.type === 'get_detail')).toHaveLength(2);
		expect(s.state.get().detail?.no).toBe(41);
		s.handle({ type: 'error', reason: 'packet 42 is not in the store', in_reply_to: 'get_detail', id: 'x' });
		expect(s.state.get().detailError).toBe('packet 42 is not in the store');
	});

	it('a detail asked for just before the link dropped is asked again on reconnect', () => {
		const { s, sent } = setup();
		s.handle(hello(0));
		s.handle(pkts(1, 5));
		s.select(3);
		s.setLink({ status: 'reconnecting', attempt: 1, retryAt: 0, reason: 'connection lost' });
		s.setLink({ status: 'connected', since: 1 });
		s.handle(hello(10));
		expect(sent.filter((m) => m.type === 'get_detail').map((m) => (m as { no: number }).no)).toEqual([3, 3]);
	});

	it('cleared empties the list and numbering continues', () => {
		const { f, s } = setup();
		s.handle(hello(0));
		s.handle(pkts(1, 20));
		s.handle({ type: 'cleared', next_no: 21 });
		s.handle(pkts(21, 22));
		f.run();
		const snap = s.packets.snapshot();
		expect(snap.end - snap.start).toBe(2);
		expect(snap.gapLost).toBe(0);
	});

	it('stats feed kernel drops and the page loss total', () => {
		const { f, s } = setup();
		s.handle({ type: 'stats', ts: 1, interfaces: [], totals: { ring_drops: 12 }, client: { lost: 7 } });
		f.run();
		expect(s.packets.snapshot()).toMatchObject({ kernelDrops: 12, serverLost: 7 });
	});

	it('a command while disconnected says so instead of waiting', () => {
		const f = new ManualFrames();
		const s = new Session(10, f.schedule);
		s.setSender(() => false);
		s.applyFilter('tcp');
		expect(s.state.get().notice).toMatch(/not connected/);
		expect(s.state.get().filter.pending).toBeNull();
	});
});
