// What the page holds and what it missed: the only part of the Capture view's
// chrome that changes every frame, so it subscribes to the packet store itself.
import { useSyncExternalStore } from 'react';
import { PacketStore } from '../store/packets';
import { count } from '../lib/format';
import type { FrozenRange } from './PacketList';

interface Props {
	store: PacketStore;
	frozen: FrozenRange | null;
	lostReason: string;
	filter: string;
}

export function Counters({ store, frozen, lostReason, filter }: Props) {
	const snap = useSyncExternalStore(store.subscribe, store.snapshot);
	const missed = PacketStore.missed(snap);
	const end = frozen ? Math.min(frozen.end, snap.end) : snap.end;
	const held = frozen ? Math.max(0, snap.end - frozen.end) : 0;
	return (
		<>
			<div className="toolbar counters" aria-label="Counters">
				<span data-testid="count-shown">Shown <b>{count(Math.max(0, end - snap.start))}</b></span>
				<span data-testid="count-received">Received <b>{count(snap.received)}</b></span>
				<span className={missed ? 'lost' : ''} data-testid="count-missed" title="Packets this page did not receive: gaps in the numbering, which the server explains with its loss reports">
					Not received <b>{count(missed)}</b>
					{lostReason && missed > 0 && <span> ({lostReason.replace('_', ' ')})</span>}
				</span>
				<span className={snap.kernelDrops ? 'lost' : ''} data-testid="count-drops" title="Packets the kernel could not hand to GoTracer (ring buffer full)">
					Kernel drops <b>{count(snap.kernelDrops)}</b>
				</span>
				{snap.evicted > 0 && <span title="Oldest rows dropped from this page's list to bound its memory">Rolled off <b>{count(snap.evicted)}</b></span>}
				{filter && <span className="filter-applied">filter: <code>{filter}</code></span>}
			</div>
			{frozen && (
				<div className="paused-banner" data-testid="paused" data-held={held}>
					Paused: {count(held)} new packet{held === 1 ? '' : 's'} not shown. Resume to catch up.
				</div>
			)}
		</>
	);
}
