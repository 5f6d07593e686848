// The selected packet: its layer tree beside its bytes, kept in step with each other.
import { memo, useMemo, useState } from 'react';
import { DetailTree, collapseKey } from './DetailTree';
import { HexView } from './HexView';
import { ancestorsOf, byteRange, flattenTree, innermostAt, type FlatNode } from '../lib/hexmap';
import type { PacketDetail } from '../protocol/messages';

interface Props {
	selected: number | null;
	detail: PacketDetail | null;
	error: string;
}

// memo: the list repaints every frame; this pane only when the selection changes
export const DetailPane = memo(function DetailPane({ selected, detail, error }: Props) {
	const flat = useMemo(() => (detail ? flattenTree(detail.tree) : []), [detail]);
	const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
	const [sel, setSel] = useState<{ no: number; id: string } | null>(null);
	const selectedId = sel && detail && sel.no === detail.no ? sel.id : null;
	const selectedNode = selectedId ? (flat.find((f) => f.id === selectedId)?.node ?? null) : null;
	const bytes = detail?.bytes ?? new Uint8Array(0);

	const toggle = (key: string) =>
		setCollapsed((c) => {
			const n = new Set(c);
			if (n.has(key)) n.delete(key);
			else n.add(key);
			return n;
		});

	const selectNode = (f: FlatNode) => detail && setSel({ no: detail.no, id: f.id });

	const onByte = (off: number) => {
		const f = innermostAt(flat, off);
		if (!f || !detail) return;
		// open the way to it
		const byId = new Map(flat.map((x) => [x.id, x]));
		const keys = ancestorsOf(f.id).map((id) => byId.get(id)).filter((x): x is FlatNode => !!x).map(collapseKey);
		if (keys.some((k) => collapsed.has(k)))
			setCollapsed((c) => {
				const n = new Set(c);
				for (const k of keys) n.delete(k);
				return n;
			});
		selectNode(f);
	};

	if (selected === null)
		return (
			<div className="detail-split">
				<div className="pane">
					<div className="empty">Select a packet to see its layers and bytes.</div>
				</div>
				<div className="pane" />
			</div>
		);
	return (
		<div className="detail-split">
			<div className="pane" data-testid="detail-tree">
				<h3>
					Packet {selected}
					{detail?.summary && detail.no === selected && ` · ${detail.summary.len} bytes on the wire, ${detail.summary.caplen} captured`}
					{detail && detail.no === selected && detail.flags.length > 0 && <span className="flags"> · {detail.flags.join(', ')}</span>}
					{selectedNode && ` · ${selectedNode.name || 'text'}: ${selectedNode.len} byte${selectedNode.len === 1 ? '' : 's'} at ${selectedNode.off}`}
				</h3>
				{error ? (
					<div className="empty">{error}</div>
				) : !detail || detail.no !== selected ? (
					<div className="empty">Loading…</div>
				) : (
					<DetailTree flat={flat} collapsed={collapsed} onToggle={toggle} selectedId={selectedId} onSelect={selectNode} />
				)}
			</div>
			<div className="pane" data-testid="detail-hex">
				<h3>Bytes{detail && detail.no === selected ? ` · ${bytes.length}` : ''}</h3>
				{detail && detail.no === selected && <HexView bytes={bytes} highlight={byteRange(selectedNode, bytes.length)} onByte={onByte} />}
			</div>
		</div>
	);
});
