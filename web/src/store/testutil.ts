// Helpers for the unit tests: a frame scheduler run by hand, and packet summaries.
import { decodePacket, type PacketSummary } from '../protocol/messages';

export class ManualFrames {
	private queue: (() => void)[] = [];
	schedule = (cb: () => void) => {
		this.queue.push(cb);
	};
	get pending(): number {
		return this.queue.length;
	}
	/** Run one animation frame. */
	run(): void {
		const q = this.queue;
		this.queue = [];
		for (const cb of q) cb();
	}
}

/** A summary as the server sends it (docs/protocol.md), with fields overridden. */
export function summary(no: number, over: Record<string, unknown> = {}): PacketSummary {
	const p = decodePacket({
		no,
		ts: 1732450000 + no / 1000,
		iface: 'gt0',
		dir: 'in',
		len: 98,
		caplen: 98,
		proto: 'ICMP',
		src: '10.200.0.2',
		dst: '10.200.0.1',
		sport: 0,
		dport: 0,
		info: 'Echo (ping) request id=0x1c2b, seq=1/256, ttl=64',
		enc: 'none',
		...over,
	});
	if (!p) throw new Error('bad test summary');
	return p;
}

export const batch = (first: number, last: number) => {
	const out: PacketSummary[] = [];
	for (let n = first; n <= last; n++) out.push(summary(n));
	return out;
};
