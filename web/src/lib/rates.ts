// Rates from the server's cumulative counters, and the tables the Traffic view
// derives from a stats tick. Pure functions, so the arithmetic is tested on its own.
import type { NamedCounters } from '../protocol/messages';

/** Per-second rate between two readings of a cumulative counter. A counter that
 * went back was restarted: what it holds now counts since then. */
export function counterRate(prev: number, cur: number, seconds: number): number {
	if (!(seconds > 0)) return 0;
	const delta = cur >= prev ? cur - prev : cur;
	return delta / seconds;
}

export interface Share extends NamedCounters {
	packetShare: number; // 0..1
	byteShare: number;
}

/** Shares of packets and bytes, largest bytes first. */
export function shares(counters: readonly NamedCounters[]): Share[] {
	let p = 0;
	let b = 0;
	for (const c of counters) {
		p += c.packets;
		b += c.bytes;
	}
	return counters
		.map((c) => ({ ...c, packetShare: p ? c.packets / p : 0, byteShare: b ? c.bytes / b : 0 }))
		.sort((x, y) => y.bytes - x.bytes || y.packets - x.packets || x.name.localeCompare(y.name));
}

export interface SizeBucket {
	label: string; // "≤ 64", "65–128", "> 1518"
	packets: number;
	share: number; // 0..1 of all packets
}

/** The size histogram as labelled buckets: counts has one more entry than bounds. */
export function sizeBuckets(bounds: readonly number[], counts: readonly number[]): SizeBucket[] {
	const total = counts.reduce((s, c) => s + c, 0);
	return counts.map((packets, i) => ({
		label: i === 0 ? `≤ ${bounds[0] ?? '∞'}` : i < bounds.length ? `${bounds[i - 1] + 1}–${bounds[i]}` : `> ${bounds[bounds.length - 1]}`,
		packets,
		share: total ? packets / total : 0,
	}));
}

/** "10.0.0.1:80", "[fd00::1]:80", or the address alone when there is no port. */
export function endpoint(addr: string, port: number): string {
	if (!port) return addr;
	return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
