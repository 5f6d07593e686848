// The layer tree of the selected packet (Ethernet > IP > TCP/UDP > application).
// Collapsing is remembered by node name, as Wireshark remembers it per protocol,
// so the next packet opens the same way.
import type { FlatNode } from '../lib/hexmap';

interface Props {
	flat: FlatNode[];
	collapsed: Set<string>;
	onToggle: (key: string) => void;
	selectedId: string | null;
	onSelect: (f: FlatNode) => void;
}

/** The key under which a node's collapsed state is remembered. */
export const collapseKey = (f: FlatNode) => f.node.name || `${f.depth}:${f.node.value}`;

export function DetailTree({ flat, collapsed, onToggle, selectedId, onSelect }: Props) {
	const rows = [];
	let hideBelow = Infinity; // depth under a collapsed node
	for (const f of flat) {
		if (f.depth > hideBelow) continue;
		hideBelow = Infinity;
		const hasKids = f.node.children.length > 0;
		const key = collapseKey(f);
		const closed = hasKids && collapsed.has(key);
		if (closed) hideBelow = f.depth;
		const isProto = f.depth === 0 || (f.node.name !== '' && !f.node.name.includes('.') && hasKids);
		const field = f.node.name.includes('.');
		rows.push(
			<div
				key={f.id}
				className={`tnode${isProto ? ' proto' : ''}${f.id === selectedId ? ' selected' : ''}`}
				style={{ paddingLeft: 6 + f.depth * 16 }}
				role="treeitem"
				aria-level={f.depth + 1}
				aria-expanded={hasKids ? !closed : undefined}
				aria-selected={f.id === selectedId}
				data-field={f.node.name}
				data-off={f.node.off}
				data-len={f.node.len}
				onClick={() => onSelect(f)}
				onDoubleClick={() => hasKids && onToggle(key)}
			>
				<span
					className="twisty"
					onClick={(e) => {
						e.stopPropagation();
						if (hasKids) onToggle(key);
					}}
				>
					{hasKids ? (closed ? '▸' : '▾') : ''}
				</span>
				{field ? (
					<span>
						<span className="fname">{f.node.name}</span> {f.node.value}
					</span>
				) : (
					<span>{f.node.value || f.node.name}</span>
				)}
			</div>,
		);
	}
	return (
		<div className="tree" role="tree" aria-label="Packet details">
			{rows}
		</div>
	);
}
