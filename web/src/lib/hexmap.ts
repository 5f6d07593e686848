// The link between the detail tree and the hex pane: every tree node covers a byte
// range; a selected node highlights its bytes, and a clicked byte selects the
// innermost node that covers it (the smallest range; the deepest on a tie).
import type { TreeNode } from '../protocol/messages';

export interface FlatNode {
	id: string; // path of child indexes: "0", "0.3", "2.1.0"
	node: TreeNode;
	depth: number;
	parent: string | null;
}

export function flattenTree(tree: readonly TreeNode[]): FlatNode[] {
	const out: FlatNode[] = [];
	const walk = (nodes: readonly TreeNode[], depth: number, parent: string | null) => {
		nodes.forEach((node, i) => {
			const id = parent === null ? String(i) : `${parent}.${i}`;
			out.push({ id, node, depth, parent });
			walk(node.children, depth + 1, id);
		});
	};
	walk(tree, 0, null);
	return out;
}

/** The innermost node whose byte range holds offset, or null. */
export function innermostAt(flat: readonly FlatNode[], offset: number): FlatNode | null {
	let best: FlatNode | null = null;
	for (const f of flat) {
		const { off, len } = f.node;
		if (len <= 0 || offset < off || offset >= off + len) continue;
		if (!best || len < best.node.len || (len === best.node.len && f.depth > best.depth)) best = f;
	}
	return best;
}

/** Ids of a node's ancestors, outermost first: what must be open to show it. */
export function ancestorsOf(id: string): string[] {
	const parts = id.split('.');
	const out: string[] = [];
	for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
	return out;
}

/** A node's highlighted byte range clipped to the bytes held: [start, end). */
export function byteRange(node: TreeNode | null, byteCount: number): [number, number] {
	if (!node || node.len <= 0) return [0, 0];
	const start = Math.min(Math.max(0, node.off), byteCount);
	return [start, Math.min(byteCount, start + node.len)];
}

export interface HexRow {
	offset: number;
	offsetText: string; // "0010"
	cells: string[]; // "4f"
	ascii: string[]; // printable character or "."
}

export function hexRows(bytes: Uint8Array, width = 16): HexRow[] {
	const rows: HexRow[] = [];
	for (let off = 0; off < bytes.length; off += width) {
		const slice = bytes.subarray(off, off + width);
		rows.push({
			offset: off,
			offsetText: off.toString(16).padStart(4, '0'),
			cells: Array.from(slice, (b) => b.toString(16).padStart(2, '0')),
			ascii: Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')),
		});
	}
	return rows;
}

/** The label of a tree line, as Wireshark shows it. */
export function nodeLabel(n: TreeNode): string {
	if (!n.name) return n.value;
	if (!n.value) return n.name;
	return n.name.includes('.') ? `${n.name}: ${n.value}` : n.value;
}
