// The Capture view: filter bar, live packet list with follow and pause, the
// counters of what the page missed, downloads, and the selected packet's detail.
import { useCallback, useState, useSyncExternalStore } from 'react';
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
			<div className="split">
				<PacketList store={session.packets} frozen={frozen} follow={follow} onFollowChange={onFollowChange} selectedPos={selectedPos} onSelect={onSelect} />
				<DetailPane selected={st.selected} detail={st.detail} error={st.detailError} />
			</div>
		</div>
	);
}
