// The Capture view: filter bar, live packet list with follow and pause, the
// counters of what the page missed, downloads, and the selected packet's detail.
import { useCallback, useRef, useState, useSyncExternalStore, type PointerEvent } from 'react';
import { PacketList, type FrozenRange } from '../components/PacketList';
import { DetailPane } from '../components/DetailPane';
import { FilterBar } from '../components/FilterBar';
import { Counters } from '../components/Counters';
import { downloadCapture } from '../protocol/downloads';
import type { Session } from '../store/session';
import type { PacketSummary } from '../protocol/messages';

export function CaptureView({ session }: { session: Session }) {
	const st = useSyncExternalStore(session.state.subscribe, session.state.get);
	const [follow, setFollow] = useState(true);
	const [frozen, setFrozen] = useState<FrozenRange | null>(null);
	const [selectedPos, setSelectedPos] = useState<number | null>(null);
	const [download, setDownload] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' });
	const connected = st.link.status === 'connected';
	// the list's share of the height, dragged on the bar between list and detail
	const [listShare, setListShare] = useState(() => Number(localStorage.getItem('gotracer.listShare')) || 0.55);
	const split = useRef<HTMLDivElement>(null);
	const drag = (e: PointerEvent<HTMLDivElement>) => {
		const box = split.current?.getBoundingClientRect();
		if (!box) return;
		const bar = e.currentTarget;
		bar.setPointerCapture(e.pointerId);
		let share = listShare;
		const move = (ev: globalThis.PointerEvent) => {
			share = Math.min(0.85, Math.max(0.15, (ev.clientY - box.top) / box.height));
			setListShare(share);
		};
		const up = () => {
			bar.removeEventListener('pointermove', move);
			bar.removeEventListener('pointerup', up);
			localStorage.setItem('gotracer.listShare', String(share));
		};
		bar.addEventListener('pointermove', move);
		bar.addEventListener('pointerup', up);
	};

	const onSelect = useCallback(
		(pos: number, p: PacketSummary) => {
			setSelectedPos(pos);
			session.select(p.no);
		},
		[session],
	);
	const onFollowChange = useCallback((f: boolean) => setFollow(f), []);
	const togglePause = () => setFrozen((fz) => (fz ? null : { end: session.packets.snapshot().end }));
	const save = (filter: string) => {
		setDownload({ busy: true, error: '' });
		downloadCapture(filter).then(
			() => setDownload({ busy: false, error: '' }),
			(e: Error) => setDownload({ busy: false, error: e.message }),
		);
	};

	return (
		<div className="capture">
			<div className="toolbar">
				<FilterBar filter={st.filter} onApply={(e) => session.applyFilter(e)} disabled={!connected} />
				<button aria-pressed={follow && !frozen} onClick={() => setFollow(!follow)} title="Keep the newest packet in view" data-testid="follow">
					Follow
				</button>
				<button aria-pressed={!!frozen} onClick={togglePause} title="Freeze the list; packets keep arriving" data-testid="pause">
					{frozen ? 'Resume' : 'Pause'}
				</button>
				<button onClick={() => save('')} disabled={download.busy} data-testid="download-all" title="Every packet the server holds, as pcapng">
					Download all
				</button>
				<button onClick={() => save(st.filter.applied)} disabled={download.busy || !st.filter.applied} data-testid="download-filtered" title="The held packets that match the filter, as pcapng">
					Download filtered
				</button>
			</div>
			{st.filter.error && (
				<div className="filter-error" id="filter-error" role="alert">
					{st.filter.error}
				</div>
			)}
			{download.error && (
				<div className="download-error" role="alert">
					download: {download.error}
				</div>
			)}
			<Counters store={session.packets} frozen={frozen} lostReason={st.lostReason} filter={st.filter.applied} />
			<div className="split" ref={split} style={{ gridTemplateRows: `minmax(80px, ${listShare}fr) 6px minmax(80px, ${1 - listShare}fr)` }}>
				<PacketList store={session.packets} frozen={frozen} follow={follow} onFollowChange={onFollowChange} selectedPos={selectedPos} onSelect={onSelect} />
				<div className="splitter" onPointerDown={drag} role="separator" aria-orientation="horizontal" aria-label="Drag to share the height between the list and the detail" />
				<DetailPane selected={st.selected} detail={st.detail} error={st.detailError} />
			</div>
		</div>
	);
}
