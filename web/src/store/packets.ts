// The live packet list's data: a bounded ring of summaries outside React state, the
// counters of everything the page did not get, and one notification per frame.
// Components read it through useSyncExternalStore(store.subscribe, store.snapshot).
import { Ring } from './ring';
import { FrameNotifier, animationFrame, type FrameScheduler } from './frame';
import type { PacketSummary } from '../protocol/messages';

export const DEFAULT_CAPACITY = 100_000;

export interface PacketListSnapshot {
	start: number; // absolute ring positions held: [start, end)
	end: number;
	received: number; // summaries this page got since the last reset
	gapLost: number; // packets missing from the numbering: this page never got them
	serverLost: number; // of all this page lost, those the server said it dropped for a slow page
	kernelDrops: number; // ring-buffer drops in the kernel, from the stats
	evicted: number; // summaries pushed out of the page's ring (still on the server)
	firstTs: number; // capture time of the list's first packet (0 before any): Wireshark's time origin
}

export class PacketStore {
	readonly ring: Ring<PacketSummary>;
	private readonly notifier: FrameNotifier;
	private lastNo = -1;
	private gapLost = 0;
	private serverLost = 0;
	private serverLostBase = 0; // the server's running total at the last reset
	private serverLostTotal = 0;
	private kernelDrops = 0;
	private received = 0;
	private firstTs = 0;
	private snap: PacketListSnapshot;

	constructor(capacity = DEFAULT_CAPACITY, schedule: FrameScheduler = animationFrame) {
		this.ring = new Ring(capacity);
		this.snap = this.makeSnapshot();
		this.notifier = new FrameNotifier(schedule, () => {
			this.snap = this.makeSnapshot();
		});
	}

	subscribe = (fn: () => void) => this.notifier.subscribe(fn);
	snapshot = (): PacketListSnapshot => this.snap;

	private makeSnapshot(): PacketListSnapshot {
		return {
			start: this.ring.start,
			end: this.ring.end,
			received: this.received,
			gapLost: this.gapLost,
			serverLost: this.serverLost,
			kernelDrops: this.kernelDrops,
			evicted: this.ring.evicted,
			firstTs: this.firstTs,
		};
	}

	/** Add a batch. Numbers that skip ahead count the skipped ones as lost; a number
	 * that goes back means the server started a new capture, so numbering restarts. */
	add(batch: readonly PacketSummary[]): void {
		if (batch.length && !this.firstTs) this.firstTs = batch[0].ts;
		for (const p of batch) {
			if (this.lastNo >= 0 && p.no > this.lastNo + 1) this.gapLost += p.no - this.lastNo - 1;
			this.lastNo = p.no;
			this.ring.push(p);
			this.received++;
		}
		if (batch.length) this.notifier.changed();
	}

	/** The server's running total of packets it dropped for this page (lost.total,
	 * stats.client.lost). Those packets also leave a gap in the numbering. */
	reportLost(total: number): void {
		if (total < this.serverLostTotal) this.serverLostBase = 0; // a new connection
		this.serverLostTotal = total;
		const lost = Math.max(0, total - this.serverLostBase);
		if (lost === this.serverLost) return;
		this.serverLost = lost;
		this.notifier.changed();
	}

	/** The number the next packet will carry (hello's store.last_no + 1, cleared's
	 * next_no): anything later that skips past it is a gap. */
	expectNext(no: number): void {
		this.lastNo = no - 1;
	}

	/** Kernel drops as the stats report them (a running total since capture start). */
	setKernelDrops(drops: number): void {
		if (drops === this.kernelDrops) return;
		this.kernelDrops = drops;
		this.notifier.changed();
	}

	/** Empty the list but keep counting (a new filter: the rows before it are another view). */
	clearRows(): void {
		this.ring.clear();
		this.firstTs = 0;
		this.notifier.changed();
	}

	/** Forget the list and its counters (the server cleared its store, or restarted). */
	reset(): void {
		this.ring.clear();
		this.lastNo = -1;
		this.firstTs = 0;
		this.gapLost = 0;
		this.serverLostBase = this.serverLostTotal;
		this.serverLost = 0;
		this.received = 0;
		this.notifier.changed();
	}

	/** Packets the page never got. Every packet the server drops for this page is a
	 * gap in the numbering (the protocol numbers every kept packet), so the gaps are
	 * the count; the server's report is the floor, in case the gap is not closed yet. */
	static missed(s: PacketListSnapshot): number {
		return Math.max(s.gapLost, s.serverLost);
	}
}
