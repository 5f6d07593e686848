// The live packet list: rows from the session's packet ring, coloured by
// Wireshark's rules, direction as a coloured arrow. Re-renders at most once per
// animation frame (the store notifies once a frame); while paused it shows the
// rows it had when paused.
import { useCallback, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { VirtualList } from './VirtualList';
import { colourRule } from '../lib/colouring';
import { sinceFirst, timeOfDay } from '../lib/format';
import type { PacketStore } from '../store/packets';
import type { PacketSummary } from '../protocol/messages';

export const ROW_HEIGHT = 22;

export interface FrozenRange {
	end: number;
}

interface Props {
	store: PacketStore;
	frozen: FrozenRange | null; // set while paused
	follow: boolean;
	onFollowChange: (f: boolean) => void;
	selectedPos: number | null;
	onSelect: (pos: number, p: PacketSummary) => void;
}

const DIR_ARROW = { in: '→', out: '←', '?': '·' } as const;
const DIR_TITLE = { in: 'in (received)', out: 'out (sent)', '?': 'direction unknown' } as const;

export function PacketList({ store, frozen, follow, onFollowChange, selectedPos, onSelect }: Props) {
	const snap = useSyncExternalStore(store.subscribe, store.snapshot);
	const ring = store.ring;
	const [relative, setRelative] = useState(() => localStorage.getItem('gotracer.time') === 'relative');
	const toggleTime = () => {
		localStorage.setItem('gotracer.time', relative ? 'clock' : 'relative');
		setRelative(!relative);
	};
	const from = snap.start;
	const to = frozen ? Math.max(from, Math.min(frozen.end, snap.end)) : snap.end;
	const count = to - from;

	// how far the front moved since the last render, to keep the view still
	const lastFrom = useRef(from);
	const shift = from - lastFrom.current;
	lastFrom.current = from;

	const renderRow = (i: number, top: number) => {
		const pos = from + i;
		const p = ring.at(pos);
		if (!p) return null;
		const cls = colourRule(p);
		return (
			<div
				key={pos}
				className={`prow${cls ? ' row-' + cls : ''}${pos === selectedPos ? ' selected' : ''}`}
				style={{ top }}
				role="row"
				aria-selected={pos === selectedPos}
				data-no={p.no}
				data-dir={p.dir}
				data-proto={p.proto}
				onClick={() => onSelect(pos, p)}
			>
				<span className="num">{p.no}</span>
				<span className="col-time">{relative ? sinceFirst(p.ts, snap.firstTs) : timeOfDay(p.ts)}</span>
				<span className="col-iface">{p.iface}</span>
				<span className={`dir dir-${p.dir === '?' ? 'unknown' : p.dir}`} title={DIR_TITLE[p.dir]}>
					{DIR_ARROW[p.dir]} {p.dir}
				</span>
				<span title={p.src}>{p.src}</span>
				<span title={p.dst}>{p.dst}</span>
				<span>{p.proto}</span>
				<span className="num col-len">{p.len}</span>
				<span title={p.info}>{p.info}</span>
			</div>
		);
	};

	const onKeyDown = useCallback(
		(e: KeyboardEvent<HTMLDivElement>) => {
			const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 20 : e.key === 'PageUp' ? -20 : 0;
			if (!step) return;
			e.preventDefault();
			const cur = selectedPos ?? (step > 0 ? from - 1 : to);
			const next = Math.min(to - 1, Math.max(from, cur + step));
			const p = ring.at(next);
			if (p) {
				if (step < 0) onFollowChange(false);
				onSelect(next, p);
			}
		},
		[selectedPos, from, to, ring, onSelect, onFollowChange],
	);

	return (
		<div className="plist">
			<div className="plist-head" role="row">
				<span className="num">No.</span>
				<span className="col-time">
					<button className="linklike" onClick={toggleTime} title="Switch between time of day and seconds since the first packet" data-testid="time-format">
						{relative ? 'Time (s)' : 'Time'}
					</button>
				</span>
				<span className="col-iface">Interface</span>
				<span>Dir</span>
				<span>Source</span>
				<span>Destination</span>
				<span>Protocol</span>
				<span className="num col-len">Length</span>
				<span>Info</span>
			</div>
			{count === 0 ? (
				<div className="empty">No packets yet. Start a capture, or widen the filter.</div>
			) : (
				<VirtualList
					label="Packets"
					count={count}
					rowHeight={ROW_HEIGHT}
					shift={shift > 0 ? shift : 0}
					follow={follow && !frozen}
					onFollowChange={onFollowChange}
					renderRow={renderRow}
					onKeyDown={onKeyDown}
					scrollToIndex={selectedPos !== null && !follow ? selectedPos - from : null}
					scrollKey={selectedPos}
				/>
			)}
		</div>
	);
}
