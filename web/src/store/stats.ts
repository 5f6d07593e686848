// The Traffic view's data: rates per interface over the last minutes, computed from
// the server's cumulative stats ticks (about one a second), and the latest tick.
// Bounded: a fixed number of points, old ones fall off the front.
import { FrameNotifier, animationFrame, type FrameScheduler } from './frame';
import { counterRate } from '../lib/rates';
import type { StatsTick } from '../protocol/messages';

export const HISTORY_POINTS = 600; // ten minutes at one tick a second

export interface IfaceRates {
	inBytes: (number | null)[]; // bytes/s
	outBytes: (number | null)[];
	inPackets: (number | null)[]; // packets/s
	outPackets: (number | null)[];
}

export interface StatsSnapshot {
	version: number;
	times: number[]; // seconds since the epoch, one per point
	ifaces: Record<string, IfaceRates>;
	latest: StatsTick | null;
}

export class StatsStore {
	private readonly notifier: FrameNotifier;
	private times: number[] = [];
	private ifaces: Record<string, IfaceRates> = {};
	private prev: StatsTick | null = null;
	private version = 0;
	private snap: StatsSnapshot;

	constructor(
		private readonly maxPoints = HISTORY_POINTS,
		schedule: FrameScheduler = animationFrame,
	) {
		this.snap = this.makeSnapshot();
		this.notifier = new FrameNotifier(schedule, () => {
			this.snap = this.makeSnapshot();
		});
	}

	subscribe = (fn: () => void) => this.notifier.subscribe(fn);
	snapshot = (): StatsSnapshot => this.snap;

	private makeSnapshot(): StatsSnapshot {
		return { version: this.version, times: this.times, ifaces: this.ifaces, latest: this.prev };
	}

	addTick(tick: StatsTick): void {
		const prev = this.prev;
		this.prev = tick;
		this.version++;
		// the first tick only sets the baseline; a tick not later than the last one is a restart
		if (!prev || tick.ts <= prev.ts) {
			this.notifier.changed();
			return;
		}
		const dt = tick.ts - prev.ts;
		// new arrays each tick: the chart and React see a changed reference
		const times = [...this.times, tick.ts];
		const ifaces: Record<string, IfaceRates> = {};
		const names = new Set([...Object.keys(this.ifaces), ...tick.ifaces.map((i) => i.name)]);
		for (const name of names) {
			const old = this.ifaces[name] ?? emptyRates(this.times.length);
			const cur = tick.ifaces.find((i) => i.name === name);
			const was = prev.ifaces.find((i) => i.name === name);
			const rate = (pick: (c: StatsTick['ifaces'][number]) => number) =>
				cur && was ? counterRate(pick(was), pick(cur), dt) : null;
			ifaces[name] = {
				inBytes: [...old.inBytes, rate((c) => c.in.bytes)],
				outBytes: [...old.outBytes, rate((c) => c.out.bytes)],
				inPackets: [...old.inPackets, rate((c) => c.in.packets)],
				outPackets: [...old.outPackets, rate((c) => c.out.packets)],
			};
		}
		const extra = times.length - this.maxPoints;
		if (extra > 0) {
			times.splice(0, extra);
			for (const r of Object.values(ifaces)) for (const a of Object.values(r)) a.splice(0, extra);
		}
		// an interface no longer captured leaves once its last point has scrolled out
		for (const [name, r] of Object.entries(ifaces)) if (Object.values(r).every((a: (number | null)[]) => a.every((v) => v === null))) delete ifaces[name];
		this.times = times;
		this.ifaces = ifaces;
		this.notifier.changed();
	}

	reset(): void {
		this.times = [];
		this.ifaces = {};
		this.prev = null;
		this.version++;
		this.notifier.changed();
	}
}

function emptyRates(n: number): IfaceRates {
	const nulls = () => new Array<number | null>(n).fill(null);
	return { inBytes: nulls(), outBytes: nulls(), inPackets: nulls(), outPackets: nulls() };
}
